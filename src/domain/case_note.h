/*
 * Notes on cases and the department's replies: which the public reads
 * and which stay with the staff, and the reply templates a department
 * keeps for answers it gives often.
 *
 * A note is public or internal.  Public ones are the department's words
 * to the submitter: the tracking page, the public lists, Open311's notes
 * and the notifications carry them.  Internal ones are the staff's among
 * themselves and appear only on the staff's timeline.  Some notes are
 * owed to the submitter (why a case was rejected or not adopted, why it
 * was reopened): those are public whatever is asked.
 */
#ifndef QY_CASE_NOTE_H
#define QY_CASE_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "access.h"
#include "case.h"

/* What a caller asked of a note: nothing, internal or public. */
enum note_asked { NOTE_UNSAID = -1, NOTE_INTERNAL = 0, NOTE_PUBLIC = 1 };

/* 1 for the moves whose note is the reason the submitter is owed:
 * rejected, not_adopted, reopened. */
int case_note_owed(enum case_state to);

/*
 * Whether the note of a move to `to` is public: as asked; unsaid, public
 * (what the tracking page has always shown, so that a client that never
 * heard of the choice keeps its meaning).  -1 when an owed reason is
 * asked internal: the caller refuses that, naming the rule.
 */
int case_note_public(enum case_state to, enum note_asked asked);

#define TEMPLATE_TITLE_MAX 100  /* characters */
#define TEMPLATE_BODY_MAX  2000 /* as a reply */

/*
 * A template's body is the reply's text with placeholders that each
 * case fills in: {id} (the case's number), {category} (its category's
 * name), {department} (the handling department's name) and {date}
 * (today, YYYY-MM-DD).  Braces around anything but a lower-case name
 * are text; a name that is none of these is a mistake to be told.
 */
struct template_vars {
	int64_t id;
	const char *category;
	const char *department;
	const char *date;
};
/* 0 when every placeholder is known; else -1 with the first unknown one
 * (braces included, cut to fit) in bad. */
int reply_template_check(const char *body, char *bad, size_t n);
/* The body with its placeholders filled into out (n bytes); -1 when it
 * does not fit (out is then ""). */
int reply_template_expand(const char *body, const struct template_vars *v, char *out, size_t n);

/* Who keeps a department's templates (reads, writes, uses them): the
 * department's handlers, and officers and admins. */
int reply_template_may_keep(const struct principal *p, const char *department);

#endif
