/*
 * The entries of a case's timeline that the server words itself: an
 * escalation, a dispatch, a photo, a transfer, a request and its
 * decision.  Each keeps its facts beside its note as a JSON object,
 * `detail`, so that the console can say them in the reader's language
 * (a deadline in Beijing time, a category and a department by name);
 * the note stays the English summary Open311 and the notifications
 * read.  A person's words (a reply, a reason, a note) are never
 * reworded: they ride in the detail as `note` or `reason`.
 *
 * The facts by action (ids are numbers, instants UTC ISO 8601, dates
 * YYYY-MM-DD):
 *
 *   intake              channel
 *   assign              category (code), department (id), deadline,
 *                       urgency, note
 *   photo               type (MIME), photo (id)
 *   escalate_dispatch,
 *   escalate_reply,
 *   escalate            deadline (the one missed)
 *   request             kind (extension|park|return), request (id),
 *                       deadline or review_on, reason
 *   decision            kind, request (id), approved (bool), note
 *   extension           deadline
 *   park                review_on
 *   return              department (id; a name in rows read from notes),
 *                       reason
 *   resume              review_on (when the review date restarted it) or
 *                       state (the move that restarted it)
 *   callback            try, tries, given_up (bool), note
 *   site_check          photo (id), passed (bool), note
 *   reopen, transition  cause (callback|site_check), rating, department:
 *                       a case the server sent back
 *   transfer            from, to (jurisdiction ids; codes in rows read
 *                       from notes), reason
 *   transfer_return     to, reason
 *   transfer_accept     from, to, answer
 *   merge               into or merged (case ids), note
 *   rate                rating, note
 *   erase               nothing: {}
 *   raised_at_event     event (id), title
 *
 * Rows written before the facts were kept have their note alone, in the
 * English the server wrote then; timeline_note_detail() reads them back
 * into the same facts.  Pure functions.
 */
#ifndef QY_TIMELINE_H
#define QY_TIMELINE_H

#include "../util/buf.h"

/* A detail is written member by member: timeline_open(), then the
 * members, then timeline_close().  Keys are the literals above. */
void timeline_open(struct buf *b);
void timeline_str(struct buf *b, const char *key, const char *v);
void timeline_int(struct buf *b, const char *key, long long v);
void timeline_bool(struct buf *b, const char *key, int v);
/* Closes the object; its text, or NULL when out of memory. */
const char *timeline_close(struct buf *b);

/*
 * The facts of a stored note the server worded itself, for an entry of
 * `action` by `actor` written without its detail: 1 with the JSON object
 * appended to out, 0 when the note is a person's words (or a form not
 * known), to be shown as written.  Tolerant: anything it does not
 * recognise whole is left to be shown as it is.
 */
int timeline_note_detail(const char *action, const char *actor, const char *note, struct buf *out);

#endif
