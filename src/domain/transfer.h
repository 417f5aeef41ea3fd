/*
 * Transfers: a case sent from one jurisdiction to another, as the 12345
 * hotline does with a case that was taken in by the wrong town (转办).
 * The sending side asks with a reason; the receiving side accepts (the
 * case moves, and its department and time limit become those of its new
 * side) or returns it with a reason (the case stays where it was).
 *
 *   (none) -> pending -> accepted | returned
 *
 * The rules are pure: whether a case may be sent, and where to, is
 * judged from the case's state and place and the transfers it has had,
 * so the whole table is unit-tested without a database.
 */
#ifndef QY_TRANSFER_H
#define QY_TRANSFER_H

#include <stddef.h>
#include <stdint.h>

enum transfer_status { TS_PENDING = 0, TS_ACCEPTED, TS_RETURNED };

const char *transfer_status_name(enum transfer_status s);
int transfer_status_parse(const char *s, enum transfer_status *out);

#define TRANSFER_REASON_MAX 500 /* characters */

/* One transfer as it is kept (case_transfers). */
struct transfer_rec {
	int64_t id, case_id, district_id;
	int64_t from_id, to_id;
	char reason[4 * TRANSFER_REASON_MAX + 1];
	int64_t sent_by;
	char sent_by_name[65];
	char sent_by_display[201]; /* read back: the sender's display name now */
	char sent_at[21];
	enum transfer_status status;
	int64_t answered_by;
	char answered_by_name[65];
	char answered_by_display[201];
	char answered_at[21];
	char answer_note[4 * TRANSFER_REASON_MAX + 1];
	/* Lists only: the case it is about. */
	char tracking_code[11];
	char case_state[16];
	char category_code[41];
};

/* What the rules look at of a case's earlier transfers. */
struct transfer_step {
	int64_t from_id, to_id;
	enum transfer_status status;
};

enum transfer_result {
	TR_OK = 0,
	TR_FINAL,          /* the case is closed, rejected, not adopted or merged */
	TR_PENDING,        /* a transfer of the case waits for an answer */
	TR_UNKNOWN_TARGET, /* "to" names no jurisdiction */
	TR_NEEDS_REASON,   /* no reason, or blanks only */
	TR_TO_ITSELF,      /* "to" is where the case already lies */
	TR_LOOP,           /* the case came back to "to" once already */
	TR_RETURNED,       /* "to" returned the case twice already */
	TR_NONE_PENDING,   /* an answer with no transfer waiting for one */
};

/* The facts a sending is judged by. */
struct transfer_facts {
	int final_; /* the case is in a final state, or merged */
	int64_t at; /* the jurisdiction the case lies in */
	int64_t to; /* the target; 0 when it names no jurisdiction */
	const char *reason;
	const struct transfer_step *history; /* the case's transfers so far, any order */
	size_t nhistory;
	/* The sender lies above both the case's place and the target (the
	 * common parent, or the whole tree): its word settles a dispute. */
	int above_both;
};

/*
 * May the case be sent to f->to?  Returns TR_OK or the first rule
 * broken, in the order: what no body can fix (final, pending), then the
 * body's fields (target, reason), then where it goes (itself, a loop,
 * a target that keeps returning it).
 *
 * A loop: a case may go back to a jurisdiction it was transferred away
 * from, once.  Counting the accepted transfers away from the target,
 * one means it was there and left (going back is the first return), two
 * that it left, came back and left again: a third stay is refused, and
 * the hotline asks the jurisdictions' common parent to decide instead.
 * Returns are disputes of the same kind: a case the target returned once
 * may be sent again (with what was missing), one it returned twice not.
 * A sender above both places (f->above_both) is that parent: its
 * transfer settles where the case belongs, past both rules.
 */
enum transfer_result transfer_send_check(const struct transfer_facts *f);

/* The pending transfer of a history, NULL when none. */
const struct transfer_step *transfer_pending_of(const struct transfer_step *h, size_t n);
/* How many accepted transfers took the case away from jurisdiction j. */
int transfer_times_left(const struct transfer_step *h, size_t n, int64_t j);
/* How many times jurisdiction j returned the case. */
int transfer_times_returned(const struct transfer_step *h, size_t n, int64_t j);

/*
 * May the pending transfer be answered: accepted (returning 0) or
 * returned (returning 1, which needs a reason)?  TR_NONE_PENDING when
 * none waits, TR_NEEDS_REASON for a return without one.
 */
enum transfer_result transfer_answer_check(const struct transfer_step *h, size_t n, int returning,
                                           const char *reason);

/* 1 when s holds something other than white space. */
int transfer_text_given(const char *s);

#endif
