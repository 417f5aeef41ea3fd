/*
 * The timeline's notes read back into facts (domain/timeline.h): a
 * stored note holds a person's words after the server's own, so any text
 * may follow a known beginning.  The input is the action, a newline, the
 * actor, a newline and the note.  Whatever the note, what is read is
 * either nothing or one JSON object that a client can parse (for a note
 * in UTF-8, as every stored note is), and reading it again gives the
 * same.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/timeline.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fz_cstr(data, size), *actor, *note;
	struct buf a = BUF_INIT, b = BUF_INIT;
	json_t *utf8, *d;

	if (!(actor = strchr(in, '\n')) || !(note = strchr(actor + 1, '\n'))) {
		timeline_note_detail("assign", "officer", in, &a);
		buf_release(&a);
		free(in);
		return 0;
	}
	*actor++ = '\0';
	*note++ = '\0';
	if (timeline_note_detail(in, actor, note, &a) !=
	        timeline_note_detail(in, actor, note, &b) ||
	    strcmp(buf_cstr(&a), buf_cstr(&b)) != 0)
		abort();
	utf8 = json_string(note);
	if (a.len && utf8) {
		d = json_loads(buf_cstr(&a), 0, NULL);
		if (!d || !json_is_object(d)) {
			fprintf(stderr, "not an object: %s\n", buf_cstr(&a));
			abort();
		}
		json_decref(d);
	}
	json_decref(utf8);
	buf_release(&a);
	buf_release(&b);
	free(in);
	return 0;
}
