/*
 * The enterprise list's cursors: parse_cursor, the decoder of the
 * ?cursor= a client sends back, reached by including its file (it is
 * static there).  The first byte picks the list's order; the rest is the
 * cursor.  Then the other way: a cursor made (make_cursor) from a row
 * built of the same bytes must decode to that row's place.
 */
#include "api/enterprises.c"

#include "harness.h"

static void round_trip(struct ent_query *q, const uint8_t *data, size_t size)
{
	struct enterprise *e = calloc(1, sizeof(*e));
	struct buf out = BUF_INIT;
	struct ent_query back;
	struct req r;
	char *c;

	if (!e)
		abort();
	if (size >= 16) {
		memcpy(&e->id, data, 8);
		memcpy(&e->employees, data + 8, 8);
		data += 16;
		size -= 16;
	}
	/* Text keys as the store holds them: a date, a name. */
	snprintf(e->founded, sizeof(e->founded), "%.*s", (int)(size < 10 ? size : 10),
	         (const char *)data);
	snprintf(e->name_zh, sizeof(e->name_zh), "%.*s",
	         (int)(size < sizeof(e->name_zh) - 1 ? size : sizeof(e->name_zh) - 1),
	         (const char *)data);
	make_cursor(&out, q, e);
	if (out.failed || out.len < 2)
		abort();
	c = fz_cstr((const uint8_t *)out.s + 1, out.len - 2); /* inside the quotes */
	memset(&back, 0, sizeof(back));
	back.sort = q->sort;
	back.desc = q->desc;
	fz_req_init(&r, NULL, NULL, 0);
	if (parse_cursor(&r, c, &back)) {
		fprintf(stderr, "a cursor made here is refused: %s (%s)\n", r.err.message, c);
		abort();
	}
	if (back.cursor_id != e->id ||
	    ((q->sort == SORT_ID || q->sort == SORT_EMPLOYEES) &&
	     back.cursor_num != (q->sort == SORT_ID ? e->id : e->employees)) ||
	    (q->sort == SORT_FOUNDED && strcmp(back.cursor_text, e->founded)) ||
	    (q->sort == SORT_NAME && strcmp(back.cursor_text, e->name_zh))) {
		fprintf(stderr, "a cursor does not decode to its row: %s\n", c);
		abort();
	}
	free(c);
	buf_release(&out);
	free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned pick = fz_take_byte(&data, &size);
	char *c = fz_cstr(data, size);
	struct ent_query q;
	struct req r;

	memset(&q, 0, sizeof(q));
	q.sort = sorts[pick % 4].sort;
	q.desc = (pick >> 2) & 1;
	fz_req_init(&r, NULL, NULL, 0);
	if (parse_cursor(&r, c, &q) && r.err.kind == ERR_NONE)
		abort();
	free(c);
	round_trip(&q, data, size);
	return 0;
}
