#include "case_notes.h"

#include <stdio.h>
#include <string.h>

int case_note_asked(struct req *r, json_t *body, enum note_asked *asked)
{
	json_t *v = json_object_get(body, "public");

	*asked = NOTE_UNSAID;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		err_field(&r->err, "public", "wrong_type",
		          "public: must be true (the public reads the note) or false (staff only)");
		return -1;
	}
	*asked = json_is_true(v) ? NOTE_PUBLIC : NOTE_INTERNAL;
	return 0;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

int case_move_noted(struct req *r, struct case_rec *c, enum case_state to, const char *note,
                    enum note_asked asked, const struct case_actor *a)
{
	int pub = case_note_public(to, asked);

	if (pub < 0)
		return err_set(&r->err, ERR_INVALID, "note_must_be_public", "public",
		               "public: the note of a move to %s is the reason the submitter is "
		               "owed, and is public; send it with public true or without public",
		               case_state_name(to));
	if (pub || blank(note))
		return case_move(r->db, c, to, note, a, r->cfg->reopen_days, &r->err);
	/* The move is public (the public sees every step of its case); the
	 * words are the staff's, an entry of their own that no public page,
	 * list, notification or Open311 note reads. */
	if (case_move(r->db, c, to, "", a, r->cfg->reopen_days, &r->err))
		return -1;
	return case_log(r->db, c, a, "note", note, 0, &r->err);
}

int case_reply_write(struct req *r, struct case_rec *c, const char *text, int public_,
                     const struct case_actor *a)
{
	if (!public_)
		return case_log(r->db, c, a, "note", text, 0, &r->err);
	snprintf(c->reply, sizeof(c->reply), "%s", text);
	if (store_case_update(r->db, c, c->version, &r->err))
		return -1;
	return case_log(r->db, c, a, "reply", c->reply, 1, &r->err);
}
