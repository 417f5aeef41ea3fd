/*
 * The tokenizer qy_grams (src/store/sqlite_grams.c): the tokens it gives
 * a document and a query, Latin capitals folded as LIKE folds them,
 * spaces and tabs never in a token, bytes that are not UTF-8 taken one by
 * one; and, over random texts in an FTS5 table that uses it, that the
 * rows a word of one or two characters matches are exactly the rows a
 * LIKE '%word%' finds, which is what the catalogue's search relies on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

struct tokens {
	char text[64][16];
	int n;
};

static int on_token(void *ctx, int flags, const char *tok, int ntok, int start, int end)
{
	struct tokens *t = ctx;

	(void)flags;
	assert_true(ntok > 0 && ntok < 16);
	assert_true(start >= 0 && end > start);
	if (t->n < 64)
		snprintf(t->text[t->n++], sizeof(t->text[0]), "%.*s", ntok, tok);
	return SQLITE_OK;
}

static void tokenize(int flags, const char *text, int n, struct tokens *t)
{
	memset(t, 0, sizeof(*t));
	assert_int_equal(store_grams_tokenize(t, flags, text, n, on_token), SQLITE_OK);
}

static void expect(const struct tokens *t, const char *const *want)
{
	int n = 0;

	for (; want[n]; n++) {
		if (n >= t->n)
			fail_msg("token %d: none, want '%s'", n, want[n]);
		if (strcmp(t->text[n], want[n]))
			fail_msg("token %d: '%s', want '%s'", n, t->text[n], want[n]);
	}
	assert_int_equal(t->n, n);
}

static void test_document_tokens(void **state)
{
	struct tokens t;

	(void)state;
	tokenize(FTS5_TOKENIZE_DOCUMENT, "HR 张堰", -1 + (int)sizeof("HR 张堰"), &t);
	expect(&t, (const char *const[]){"h", "hr", "r", "张", "张堰", "堰", NULL});
	/* A tab is a gap as a space is; a lone character is a token. */
	tokenize(FTS5_TOKENIZE_DOCUMENT, "a\tb", 3, &t);
	expect(&t, (const char *const[]){"a", "b", NULL});
	tokenize(FTS5_TOKENIZE_DOCUMENT, "", 0, &t);
	assert_int_equal(t.n, 0);
	/* Only ASCII capitals are folded, as LIKE folds them. */
	tokenize(FTS5_TOKENIZE_DOCUMENT, "ÄZ", 3, &t);
	expect(&t, (const char *const[]){"Ä", "Äz", "z", NULL});
}

static void test_query_tokens(void **state)
{
	struct tokens t;

	(void)state;
	/* One token for a word of one or two characters. */
	tokenize(FTS5_TOKENIZE_QUERY, "法", 3, &t);
	expect(&t, (const char *const[]){"法", NULL});
	tokenize(FTS5_TOKENIZE_QUERY, "Ip", 2, &t);
	expect(&t, (const char *const[]){"ip", NULL});
	/* A longer one gives its pairs. */
	tokenize(FTS5_TOKENIZE_QUERY, "张堰镇", 9, &t);
	expect(&t, (const char *const[]){"张堰", "堰镇", NULL});
}

static void test_bytes_not_utf8(void **state)
{
	/* A lead byte without its continuation, a stray continuation byte,
	 * a sequence cut by the end: each byte on its own. */
	static const char text[] = {'\xE5', 'a', '\x80', 'b', '\xE5', '\xBC'};
	struct tokens t;

	(void)state;
	tokenize(FTS5_TOKENIZE_DOCUMENT, text, (int)sizeof(text), &t);
	assert_int_equal(t.n, 11);
	assert_string_equal(t.text[0], "\xE5");
	assert_string_equal(t.text[1], "\xE5"
	                               "a");
	assert_string_equal(t.text[10], "\xBC");
}

/* A random text over an alphabet that makes words meet often. */
static void random_text(unsigned *seed, char *out, size_t n)
{
	static const char *const alphabet[] = {"a",  "B",  "b", "A", " ",  "\t", "企", "业",
	                                       "服", "务", "%", "_", "\\", "\"", "é"};
	size_t len = 0, want = (size_t)(rand_r(seed) % 12);

	for (size_t i = 0; i < want; i++) {
		const char *c = alphabet[rand_r(seed) % (sizeof(alphabet) / sizeof(alphabet[0]))];
		if (len + strlen(c) + 1 > n)
			break;
		memcpy(out + len, c, strlen(c));
		len += strlen(c);
	}
	out[len] = '\0';
}

static int64_t count(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *s;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, arg, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	else
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return n;
}

static void test_index_finds_what_like_finds(void **state)
{
	static const char *const words[] = {"a", "A", "b",  "ab", "Ba", "企", "企业", "业服", "务",
	                                    "%", "_", "\\", "a%", "\"", "é",  "éa",   "服a",  "x"};
	unsigned seed = 20241212;
	sqlite3 *db;
	char text[64], pattern[16], query[16];
	int found = 0;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(store_grams_register(db), 0);
	assert_int_equal(sqlite3_exec(db,
	                              "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT, y TEXT);"
	                              "CREATE VIRTUAL TABLE g USING fts5(x, y, content='t', "
	                              "content_rowid='id', tokenize='qy_grams', detail=none);",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	for (int i = 0; i < 400; i++) {
		sqlite3_stmt *s;
		char other[64];
		random_text(&seed, text, sizeof(text));
		random_text(&seed, other, sizeof(other));
		assert_int_equal(
		    sqlite3_prepare_v2(db, "INSERT INTO t (x, y) VALUES (?1, ?2)", -1, &s, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(s, 1, text, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, other, -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		sqlite3_finalize(s);
	}
	assert_int_equal(sqlite3_exec(db, "INSERT INTO g(g) VALUES ('rebuild')", NULL, NULL, NULL),
	                 SQLITE_OK);
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
		int64_t like, match;
		size_t j = 0;
		pattern[j++] = '%';
		for (const char *p = words[k]; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				pattern[j++] = '\\';
			pattern[j++] = *p;
		}
		pattern[j++] = '%';
		pattern[j] = '\0';
		snprintf(query, sizeof(query), "\"%s\"",
		         strcmp(words[k], "\"") ? words[k] : "\"\"");
		like = count(db,
		             "SELECT count(*) FROM t WHERE x LIKE ?1 ESCAPE '\\' OR y LIKE ?1 "
		             "ESCAPE '\\'",
		             pattern);
		match = count(db, "SELECT count(*) FROM g WHERE g MATCH ?1", query);
		if (like != match)
			fail_msg("'%s': LIKE finds %lld rows, the index %lld", words[k],
			         (long long)like, (long long)match);
		found += like > 0;
	}
	/* Most words occur somewhere: the comparison is not of empty sets. */
	assert_true(found >= 14);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_document_tokens),
	    cmocka_unit_test(test_query_tokens),
	    cmocka_unit_test(test_bytes_not_utf8),
	    cmocka_unit_test(test_index_finds_what_like_finds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
