/*
 * The eligibility language (src/domain/rule_*.c): any text, compiled as
 * an eligibility rule, or as a benefit formula when the first byte is 'B'
 * (the corpus's files begin with 'E' or 'B').
 *
 * A refusal names a position inside the text (a line that exists, a
 * column at most one past its end) and what was expected, as UTF-8.  A
 * rule that compiles is evaluated on a fixed enterprise, by the machine
 * and by the explainer, which must agree; and its SQL translation, run by
 * SQLite over the same enterprise's row, must give the same answer.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rule.h"
#include "harness.h"
#include "util/buf.h"

static struct rule_ind_value values[] = {
    {RI_REVENUE, 0, 2023, 1.2e7}, {RI_REVENUE, 0, 2024, 1.5e7},    {RI_REVENUE, 3, 2024, 4e6},
    {RI_RD_SPEND, 0, 2024, 38e4}, {RI_RD_SPEND, 0, 2023, 0},       {RI_TAX, 2, 2025, 2e5},
    {RI_OUTPUT, 0, 2024, -3e5},   {RI_LOCALISATION, 0, 2024, 0.4}, {RI_EMPLOYEES, 0, 2024, 140},
};

static void enterprise(struct rule_facts *f)
{
	static const char *const tags[] = {"专精特新", "高新技术企业"};

	rule_facts_init(f);
	f->size = SIZE_MEDIUM;
	snprintf(f->industry, sizeof(f->industry), "3832");
	f->employees = 150;
	snprintf(f->founded, sizeof(f->founded), "2019-06-01");
	f->stage = STAGE_UPSTREAM;
	f->cluster_id = 1;
	f->grid_id = 3;
	f->in_park = 1;
	f->makes_gap_node = -1;
	f->ntags = 2;
	f->tags[0] = tags[0];
	f->tags[1] = tags[1];
	f->values = values;
	f->nvalues = (int)(sizeof(values) / sizeof(values[0]));
}

static void check_position(const char *src, size_t len, const struct rule_error *err)
{
	int line = 1, chars = 0, lines;
	size_t i;

	if (err->line < 1 || err->column < 1 || !err->what[0] || utf8_chars(err->message) < 0 ||
	    utf8_chars(err->what) < 0) {
		fprintf(stderr, "a refusal without a position or a reason: %s\n", err->message);
		abort();
	}
	lines = 1;
	for (i = 0; i < len; i++)
		lines += src[i] == '\n';
	if (err->line > lines) {
		fprintf(stderr, "line %d of a text of %d: %s\n", err->line, lines, err->message);
		abort();
	}
	/* Characters of the error's line (bytes that do not continue one). */
	for (i = 0; i < len && line < err->line; i++)
		line += src[i] == '\n';
	for (; i < len && src[i] != '\n'; i++)
		chars += ((unsigned char)src[i] & 0xC0) != 0x80;
	if (err->column > chars + 1) {
		fprintf(stderr, "column %d of a line of %d characters: %s\n", err->column, chars,
		        err->message);
		abort();
	}
	{
		char head[64];
		snprintf(head, sizeof(head), "line %d, column %d: ", err->line, err->column);
		if (strncmp(err->message, head, strlen(head)) != 0 ||
		    strcmp(err->message + strlen(head), err->what) != 0) {
			fprintf(stderr, "message and position disagree: %s\n", err->message);
			abort();
		}
	}
}

static sqlite3 *db;

/* The rule's SQL over a row of the enterprise's facts; *null 1 for
 * NULL, -1 when SQLite cannot parse it. */
static double sql_answer(const struct rule *r, const struct rule_ctx *ctx, const struct rule_set *s,
                         const struct rule_facts *f, int *null)
{
	struct buf sql = BUF_INIT;
	struct rule_sql q;
	sqlite3_stmt *st = NULL;
	const struct rule_slot *slots;
	int n;
	double v = 0;

	if (!db && sqlite3_open(":memory:", &db) != SQLITE_OK)
		abort();
	sqlite3_exec(db, "DROP TABLE IF EXISTS facts", NULL, NULL, NULL);
	slots = rule_set_slots(s, &n);
	rule_sql_create_table(&sql, "facts", slots, n);
	if (sqlite3_exec(db, buf_cstr(&sql), NULL, NULL, NULL) != SQLITE_OK)
		abort();
	/* medium, size_derived small (140 employees on average and 1,500万 in
	 * 2024), class 3832, age 6 (2019-06-01 to 2025-06-30 or -07-01),
	 * active, upstream, cluster 1, grid 3, in the park, gap node unknown */
	buf_reset(&sql);
	buf_adds(&sql, "INSERT INTO facts VALUES(1, 3, 2, 3832, 150, 6, 20190601, 0, 2, 1, 3, 1, "
	               "NULL, '\x1f专精特新\x1f高新技术企业\x1f'");
	for (int k = 0; k < n; k++) {
		int found = 0;
		for (int i = 0; i < f->nvalues; i++)
			if (f->values[i].ind == slots[k].ind &&
			    f->values[i].year == slots[k].p.year &&
			    f->values[i].quarter == slots[k].p.quarter) {
				buf_printf(&sql, ", %.17g", f->values[i].v);
				found = 1;
			}
		if (!found)
			buf_adds(&sql, ", NULL");
	}
	buf_adds(&sql, ")");
	if (sqlite3_exec(db, buf_cstr(&sql), NULL, NULL, NULL) != SQLITE_OK)
		abort();
	if (rule_sql(r, ctx, &q))
		abort();
	buf_reset(&sql);
	buf_printf(&sql, "SELECT %s FROM facts", q.text);
	if (sqlite3_prepare_v2(db, buf_cstr(&sql), -1, &st, NULL) != SQLITE_OK) {
		/* SQLite's parser holds about a hundred open parentheses; a
		 * rule may nest 48 levels, each one or two of them.  Beyond
		 * that SQLite has no answer to compare with. */
		if (strcmp(sqlite3_errmsg(db), "parser stack overflow") == 0) {
			*null = -1;
			rule_sql_release(&q);
			buf_release(&sql);
			return 0;
		}
		fprintf(stderr, "%s\n%s\n", buf_cstr(&sql), sqlite3_errmsg(db));
		abort();
	}
	for (int k = 0; k < q.nparams; k++) {
		if (q.params[k].is_text)
			sqlite3_bind_text(st, k + 1, q.params[k].text, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_double(st, k + 1, q.params[k].num);
	}
	if (sqlite3_step(st) != SQLITE_ROW)
		abort();
	*null = sqlite3_column_type(st, 0) == SQLITE_NULL;
	v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	rule_sql_release(&q);
	buf_release(&sql);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum rule_kind kind = size && data[0] == 'B' ? RULE_BENEFIT : RULE_ELIGIBILITY;
	struct rule_error err;
	struct rule *r;
	struct rule_ctx ctx;
	struct rule_facts f;
	struct rule_set *s;
	struct rule_frame *fr;
	struct rule_explanation *ex;
	enum rule_outcome o;
	double amount = NAN, v;
	int null;
	char *src;

	if (size) {
		data++;
		size--;
	}
	src = fz_cstr(data, size);
	r = rule_compile(src, size, kind, &err);
	if (!r) {
		check_position(src, size, &err);
		free(src);
		return 0;
	}
	enterprise(&f);
	/* The last days of a quarter and the first of the next. */
	rule_ctx_init(&ctx, size % 2 ? "2025-06-30" : "2025-07-01");
	s = rule_set_new(&ctx);
	if (!s)
		abort();
	if (rule_set_add(s, r) < 0) { /* a period beyond 2100 at this moment */
		rule_set_free(s);
		rule_free(r);
		free(src);
		return 0;
	}
	fr = rule_frame_new(s);
	ex = malloc(sizeof(*ex));
	if (!fr || !ex || rule_frame_load(fr, s, &f) || rule_explain(s, 0, fr, ex))
		abort();
	o = rule_eval(s, 0, fr);
	if (kind == RULE_BENEFIT && rule_amount(s, 0, fr, &amount))
		amount = NAN;
	if (ex->outcome != o || (ex->amount_known && ex->amount != amount)) {
		fprintf(stderr, "machine %s, explainer %s: %s\n", rule_outcome_name(o),
		        rule_outcome_name(ex->outcome), src);
		abort();
	}
	v = sql_answer(r, &ctx, s, &f, &null);
	/* (null < 0: beyond SQLite's parser, nothing to compare) */
	if (null >= 0 &&
	    (kind == RULE_BENEFIT ? (null ? !isnan(amount) : v != amount)
	                          : (null     ? o != RULE_UNKNOWN
	                             : v == 1 ? o != RULE_TRUE
	                                      : v != 0 || (o != RULE_FALSE && o != RULE_NEARLY)))) {
		fprintf(stderr, "machine %s (%.17g), SQL %s%.17g: %s\n", rule_outcome_name(o),
		        amount, null ? "NULL " : "", v, src);
		abort();
	}
	free(ex);
	rule_frame_free(fr);
	rule_set_free(s);
	rule_free(r);
	free(src);
	return 0;
}
