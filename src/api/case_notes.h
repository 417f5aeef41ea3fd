/*
 * Public and internal notes on cases (case_notes.c): reading the choice
 * from a body, and writing a move's note and a reply as the choice says,
 * so that an internal note is only ever a timeline entry the public
 * does not read (src/domain/case_note.h).
 */
#ifndef QY_CASE_NOTES_H
#define QY_CASE_NOTES_H

#include "../domain/case_note.h"
#include "case_common.h"

/* The body's "public": absent or null is NOTE_UNSAID, true or false the
 * choice; anything else a field error (wrong_type). */
int case_note_asked(struct req *r, json_t *body, enum note_asked *asked);

/*
 * Moves the case to `to` (case_move) with its note public or internal as
 * asked (case_note_public): an internal note is kept apart from the move,
 * as an entry of its own that only staff read, so that the move itself
 * (public, as every step of a case) carries no words; an owed reason
 * asked internal is 422 note_must_be_public.
 */
int case_move_noted(struct req *r, struct case_rec *c, enum case_state to, const char *note,
                    enum note_asked asked, const struct case_actor *a);

/*
 * The department's reply: public, it is the case's reply (shown on the
 * tracking page, the lists and Open311's status_notes) and a timeline
 * entry with its notification; internal, a note on the staff's timeline
 * only, the case's reply unchanged.
 */
int case_reply_write(struct req *r, struct case_rec *c, const char *text, int public_,
                     const struct case_actor *a);

#endif
