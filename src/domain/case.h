/*
 * Cases: enterprises' problems, residents' suggestions and complaints,
 * from intake to "adopted and implemented".  The lifecycle is an explicit
 * state machine; every rule about which step may follow which lives here.
 *
 *   submitted -> accepted | rejected (reason)
 *   accepted -> assigned -> in_progress -> resolved -> closed
 *   a suggestion, once accepted, may instead go
 *   accepted -> under_review -> adopted | not_adopted (reason)
 *   adopted -> implementing -> implemented -> closed
 *   and a suggestion may be adopted from any state before a final one
 *   (submitted, accepted, assigned, in_progress, resolved, reopened)
 *   resolved or implemented -> reopened (once, by the submitter, within
 *   the reopening period) -> assigned
 *
 * A service request (an enterprise asking for a service of the catalogue,
 * src/domain/service.h) takes the problem's path: its department (the
 * provider's) accepts it through the officer, handles it, resolves it, and
 * the enterprise rates it or reopens it once.  It is made on its service
 * only, never by hand (case_may_create), and is not public.
 */
#ifndef QY_CASE_H
#define QY_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "access.h"

enum case_kind { CASE_PROBLEM = 0, CASE_SUGGESTION, CASE_COMPLAINT, CASE_SERVICE_REQUEST };

enum case_state {
	CS_SUBMITTED = 0,
	CS_ACCEPTED,
	CS_REJECTED,
	CS_ASSIGNED,
	CS_IN_PROGRESS,
	CS_RESOLVED,
	CS_CLOSED,
	CS_UNDER_REVIEW,
	CS_ADOPTED,
	CS_NOT_ADOPTED,
	CS_IMPLEMENTING,
	CS_IMPLEMENTED,
	CS_REOPENED,
	CS_NSTATES
};

const char *case_kind_name(enum case_kind k);
int case_kind_parse(const char *s, enum case_kind *k);
const char *case_state_name(enum case_state s);
int case_state_parse(const char *s, enum case_state *out);

/* Open311 maps the lifecycle onto two statuses: closed for rejected,
 * not_adopted and closed; open for the rest. */
int case_state_is_open(enum case_state s);

enum case_transition_result {
	CT_OK = 0,
	CT_ILLEGAL,        /* not a step that follows from the state */
	CT_NEEDS_REASON,   /* rejected, not_adopted and reopening need a
	                    * note; blanks alone are none */
	CT_WRONG_KIND,     /* the adoption path is for suggestions only */
	CT_REOPEN_USED,    /* a case is reopened once at most */
	CT_REOPEN_EXPIRED, /* past the reopening period */
};

struct case_facts {
	enum case_kind kind;
	enum case_state state;
	int reopened;          /* times already reopened */
	int days_since_closed; /* for reopening: days since resolved/implemented */
	int reopen_days;       /* the configured reopening period */
};

/*
 * May a case with these facts move to `to` with this note?  Returns CT_OK
 * or the first rule broken, checked in the order: the step, the kind, the
 * reopening limits (used, then expired), the note -- what no note can fix
 * first.
 */
enum case_transition_result case_transition_check(const struct case_facts *f, enum case_state to,
                                                  const char *note);
/* The states reachable from the facts' state for its kind (given a
 * note; reopening only while allowed), ", " separated, "" when none, for
 * an error message; returns the length written.  Names that do not fit
 * are left off whole. */
int case_allowed_list(const struct case_facts *f, char *out, size_t n);

/* Overdue: not in a final state (closed, rejected, not_adopted) and past
 * its deadline, strictly (dates as YYYY-MM-DDTHH:MM:SSZ, compared as
 * text); no deadline (NULL or "") is never overdue. */
int case_is_overdue(enum case_state s, const char *deadline, const char *now);

/*
 * Masks a resident's phone number as the handling department's peers see
 * it: 13812345678 -> 138****5678; shorter numbers keep only the last four
 * (****5678); seven characters or fewer show nothing (****).  Longer ones
 * are shown as 11-digit ones; characters are UTF-8 characters, and an
 * empty or NULL number gives "", and so does a buffer too small for the
 * whole mask (as for names).
 */
void case_mask_phone(const char *in, char *out, size_t n);
/* Masks a name: 张伟 -> 张*, 欧阳娜娜 -> 欧***, Zhang Wei -> Z***: the first
 * (UTF-8) character, then a star for each further one, at least one and
 * at most three. */
void case_mask_name(const char *in, char *out, size_t n);

/*
 * A tracking code a resident can read over the phone: 10 characters of
 * 23456789ABCDEFGHJKMNPQRSTUVWXYZ (31: no 0/O, 1/I/L), from 8 random
 * bytes, the last a check character: with values 0..30, the code read in
 * base 3 is 0 mod 31 (position i of 10 weighs 3^(9-i) mod 31).  It
 * catches every single substitution and every transposition, which Luhn
 * mod 31 does not (2 and Z swap unseen).  Valid means exactly that form:
 * upper case, no spaces.
 */
void case_tracking_code(const unsigned char random[8], char out[11]);
int case_tracking_code_valid(const char *code);

/*
 * Channels a case comes through, and the kinds of collection point.  A
 * case collected at a point takes the point's channel: a mailbox's cases
 * came through the mailbox, a salon's through an event.
 */
int case_channel_valid(const char *s);
int case_point_type_valid(const char *s);
const char *case_point_channel(const char *point_type);
/* Channels, point types: ", " separated, for error messages. */
extern const char case_channels_list[];
extern const char case_point_types_list[];

/* A phone number and an e-mail address as residents type them: 5 to 20
 * digits with a leading + and dashes or spaces; one @ with a dot after
 * it and no spaces. */
int case_phone_valid(const char *s);
int case_email_valid(const char *s);

/* The deadline: created (YYYY-MM-DDTHH:MM:SSZ) plus hours, in the same
 * form; -1 when created is not in that form. */
int case_deadline(const char *created, int hours, char out[21]);
/* Days from `since` to `now` (both in that form), rounded down; -1 on a
 * malformed time. */
int case_days_between(const char *since, const char *now);

/*
 * Who may do what with a case.  The scope of a case: its department (by
 * name, as users carry it), the enterprise that raised it and that
 * enterprise's cluster, whether it lies in one of the caller's grids, and
 * who entered it.
 */
struct case_scope {
	const char *department;
	int64_t enterprise_id;
	int64_t cluster_id;
	int in_my_grid;
	int64_t created_by;
};
/* Read the case and its timeline. */
int case_may_read(const struct principal *p, const struct case_scope *s);
/* Enter a case of this kind by hand (the public has its own form); a
 * service request is made on its service, by no one by hand. */
int case_may_create(const struct principal *p, enum case_kind kind);
/* Move it to `to` (not a reopening, which belongs to the submitter). */
int case_may_move(const struct principal *p, const struct case_scope *s, enum case_state to);
/* Change its category or department, merge it, extend its deadline. */
int case_may_dispatch(const struct principal *p);
/* Write the department's public reply. */
int case_may_reply(const struct principal *p, const struct case_scope *s);
/* See the resident's name and phone number in clear: the handling
 * department only. */
int case_sees_person(const struct principal *p, const struct case_scope *s);
/* Rate or reopen it in the submitter's name: the enterprise that raised
 * it, or an officer recording a callback. */
int case_may_rate(const struct principal *p, const struct case_scope *s);

#endif
