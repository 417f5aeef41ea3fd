/*
 * pg_translate (src/store/db_pg_sql.c): SQLite texts and the PostgreSQL
 * texts they become, one rule of the file's header at a time, with the
 * edges where a rule must not apply; then the parameters' names, which
 * of them the text refers to, and the count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_pg.h"
#include "util/buf.h"

#define NNAMES 8

/*
 * A text, what it must become, the count, and for each parameter k+1
 * its name (NULL: positional) and whether the text refers to it ('1'
 * or '0' at used[k]).  The rows without names or used list only
 * positional parameters, every one referred to.
 */
struct row {
	const char *in, *out;
	int n;
	const char *used;
	const char *names[4];
};

static const struct row rows[] = {
    /* Parameters */
    {"SELECT a FROM t WHERE b = ? AND c = ?",
     "SELECT a FROM t WHERE b = $1 AND c = $2",
     2,
     NULL,
     {NULL}},
    {"SELECT ?1, ?2, ?1", "SELECT $1, $2, $1", 2, NULL, {NULL}},
    {"SELECT ?2, ?1, ?", "SELECT $2, $1, $3", 3, NULL, {NULL}},
    {"SELECT :a, :b, :a", "SELECT $1, $2, $1", 2, "11", {":a", ":b"}},
    {"SELECT @a, @a, :a", "SELECT $1, $1, $2", 2, "11", {"@a", ":a"}},
    {"SELECT :a_1, :a", "SELECT $1, $2", 2, "11", {":a_1", ":a"}},
    /* a bare ? takes one more than the largest so far, a name too */
    {"SELECT ?1, :a, ?", "SELECT $1, $2, $3", 3, "111", {NULL, ":a", NULL}},
    {"SELECT :a, ?1, :b", "SELECT $1, $1, $2", 2, "11", {":a", ":b"}},
    {"SELECT ?3, ?", "SELECT $3, $4", 4, "0011", {NULL}},
    /* never named in the text: used 0 */
    {"SELECT ?3, :a", "SELECT $3, $4", 4, "0011", {NULL, NULL, NULL, ":a"}},
    {"SELECT ?2, :a, :a", "SELECT $2, $3, $3", 3, "011", {NULL, NULL, ":a"}},
    {"SELECT ?8", "SELECT $8", 8, "00000001", {NULL}},
    {"SELECT ?1 - 1, ?3 + 1", "SELECT $1 - 1, $3 + 1", 3, "101", {NULL}},
    /* written for PostgreSQL already */
    {"SELECT $1, ?", "SELECT $1, $2", 2, NULL, {NULL}},
    {"SELECT $2", "SELECT $2", 2, "01", {NULL}},
    {"SELECT x::text, ?::bigint, 'a'::date FROM t",
     "SELECT x::text, $1::bigint, 'a'::date FROM t",
     1,
     NULL,
     {NULL}},
    {"SELECT CAST(? AS text)::INTEGER", "SELECT CAST($1 AS text)::INTEGER", 1, NULL, {NULL}},
    {"SELECT ?, count(*) FROM t", "SELECT $1, count(*) FROM t", 1, NULL, {NULL}},
    {"SELECT a FROM t", "SELECT a FROM t", 0, NULL, {NULL}},
    {"", "", 0, NULL, {NULL}},

    /* Quoted text, quoted names, comments */
    {"SELECT 'it''s ? :a ?1 LIKE x IS y' , ?",
     "SELECT 'it''s ? :a ?1 LIKE x IS y' , $1",
     1,
     NULL,
     {NULL}},
    {"SELECT '' || ? || ''''", "SELECT '' || $1 || ''''", 1, NULL, {NULL}},
    {"SELECT 'LIMIT -1 CROSS JOIN group_concat(' FROM t",
     "SELECT 'LIMIT -1 CROSS JOIN group_concat(' FROM t",
     0,
     NULL,
     {NULL}},
    {"SELECT \"like\", \"a \"\"?\"\"\" FROM t WHERE \"x ?\" = ?",
     "SELECT \"like\", \"a \"\"?\"\"\" FROM t WHERE \"x ?\" = $1",
     1,
     NULL,
     {NULL}},
    {"SELECT a -- ? LIKE :x IS y\nFROM t WHERE b = ?",
     "SELECT a -- ? LIKE :x IS y\nFROM t WHERE b = $1",
     1,
     NULL,
     {NULL}},
    {"SELECT a /* ? LIKE :x INSERT OR IGNORE */ FROM t /* ?1 */",
     "SELECT a /* ? LIKE :x INSERT OR IGNORE */ FROM t /* ?1 */",
     0,
     NULL,
     {NULL}},
    {"SELECT a FROM t -- LIMIT -1", "SELECT a FROM t -- LIMIT -1", 0, NULL, {NULL}},
    /* not closed: copied to the end */
    {"SELECT 'a ?", "SELECT 'a ?", 0, NULL, {NULL}},
    {"SELECT a /* ?", "SELECT a /* ?", 0, NULL, {NULL}},

    /* LIKE */
    {"SELECT a FROM t WHERE name LIKE ? AND x NOT like ?",
     "SELECT a FROM t WHERE name ILIKE $1 AND x NOT ILIKE $2",
     2,
     NULL,
     {NULL}},
    {"SELECT likes, unlike, like_count, t.alike FROM t",
     "SELECT likes, unlike, like_count, t.alike FROM t",
     0,
     NULL,
     {NULL}},
    {"SELECT a FROM t WHERE b LIKE '%x%' ESCAPE '\\'",
     "SELECT a FROM t WHERE b ILIKE '%x%' ESCAPE '\\'",
     0,
     NULL,
     {NULL}},

    /* IS */
    {"WHERE a IS NULL AND b IS NOT NULL AND c IS TRUE AND d IS NOT FALSE AND e IS UNKNOWN",
     "WHERE a IS NULL AND b IS NOT NULL AND c IS TRUE AND d IS NOT FALSE AND e IS UNKNOWN",
     0,
     NULL,
     {NULL}},
    {"WHERE a is null AND b is not null", "WHERE a is null AND b is not null", 0, NULL, {NULL}},
    {"WHERE a IS DISTINCT FROM b AND c IS NOT DISTINCT FROM d",
     "WHERE a IS DISTINCT FROM b AND c IS NOT DISTINCT FROM d",
     0,
     NULL,
     {NULL}},
    {"WHERE a IS ? AND b IS NOT ?",
     "WHERE a IS NOT DISTINCT FROM $1 AND b IS DISTINCT FROM $2",
     2,
     NULL,
     {NULL}},
    {"WHERE a IS ?2 AND b IS NOT :x",
     "WHERE a IS NOT DISTINCT FROM $2 AND b IS DISTINCT FROM $3",
     3,
     "011",
     {NULL, NULL, ":x"}},
    {"WHERE c IS d AND e IS NOT f AND g is h",
     "WHERE c IS NOT DISTINCT FROM d AND e IS DISTINCT FROM f AND g IS NOT DISTINCT FROM h",
     0,
     NULL,
     {NULL}},
    {"WHERE a IS nullable AND b IS NOT nothing",
     "WHERE a IS NOT DISTINCT FROM nullable AND b IS DISTINCT FROM nothing",
     0,
     NULL,
     {NULL}},
    {"WHERE b IS 'z' AND c IS (SELECT 1) AND d IS 5",
     "WHERE b IS NOT DISTINCT FROM 'z' AND c IS NOT DISTINCT FROM (SELECT 1) AND d IS NOT "
     "DISTINCT FROM 5",
     0,
     NULL,
     {NULL}},
    {"ORDER BY a IS NULL, a", "ORDER BY a IS NULL, a", 0, NULL, {NULL}},
    {"SELECT island, this, is_open FROM t", "SELECT island, this, is_open FROM t", 0, NULL, {NULL}},

    /* a bare ? keeps what follows it: a sign or a space is not its number */
    {"SELECT ? -1", "SELECT $1 -1", 1, NULL, {NULL}},
    {"SELECT ?+1, ?-1", "SELECT $1+1, $2-1", 2, NULL, {NULL}},
    {"SELECT ? 7", "SELECT $1 7", 1, NULL, {NULL}},
    /* IS before a quoted name, a negative number, $N or @name */
    {"WHERE a IS \"b\" AND c IS -1 AND d IS NOT $1",
     "WHERE a IS NOT DISTINCT FROM \"b\" AND c IS NOT DISTINCT FROM -1 AND d IS DISTINCT FROM $1",
     1,
     NULL,
     {NULL}},
    {"WHERE a IS @x", "WHERE a IS NOT DISTINCT FROM $1", 1, "1", {"@x"}},
    /* INSERT OR IGNORE; OR REPLACE is written for both already */
    {"INSERT OR IGNORE INTO t (a) VALUES (?)",
     "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING",
     1,
     NULL,
     {NULL}},
    {"INSERT OR IGNORE INTO t (a) VALUES (?);",
     "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING;",
     1,
     NULL,
     {NULL}},
    {"INSERT OR IGNORE INTO t (a) VALUES (?) ; \n",
     "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING ; \n",
     1,
     NULL,
     {NULL}},
    /* the clause goes before a trailing comment and before RETURNING */
    {"INSERT OR IGNORE INTO t (a) VALUES (1) -- note",
     "INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING -- note",
     0,
     NULL,
     {NULL}},
    {"INSERT OR IGNORE INTO t (a) VALUES (?) RETURNING id",
     "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id",
     1,
     NULL,
     {NULL}},
    {"insert or ignore into t (a) SELECT b FROM u WHERE c = ?",
     "INSERT into t (a) SELECT b FROM u WHERE c = $1 ON CONFLICT DO NOTHING",
     1,
     NULL,
     {NULL}},
    {"INSERT  OR\n IGNORE INTO t (a, b) SELECT ?1, id FROM u WHERE v IS ?2;",
     "INSERT INTO t (a, b) SELECT $1, id FROM u WHERE v IS NOT DISTINCT FROM $2 ON CONFLICT DO "
     "NOTHING;",
     2,
     NULL,
     {NULL}},
    {"INSERT OR REPLACE INTO t (a) VALUES (?)",
     "INSERT OR REPLACE INTO t (a) VALUES ($1)",
     1,
     NULL,
     {NULL}},
    {"INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO NOTHING;",
     "INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO NOTHING;",
     1,
     NULL,
     {NULL}},
    {"INSERT INTO t (a) VALUES ('OR IGNORE')",
     "INSERT INTO t (a) VALUES ('OR IGNORE')",
     0,
     NULL,
     {NULL}},

    /* CROSS JOIN, INDEXED BY, NOT INDEXED */
    {"SELECT * FROM a CROSS JOIN b ON b.id = a.id",
     "SELECT * FROM a JOIN b ON b.id = a.id",
     0,
     NULL,
     {NULL}},
    {"SELECT * FROM a cross  join b ON b.id = a.id",
     "SELECT * FROM a JOIN b ON b.id = a.id",
     0,
     NULL,
     {NULL}},
    {"SELECT cross_total FROM a", "SELECT cross_total FROM a", 0, NULL, {NULL}},
    {"SELECT * FROM t INDEXED BY t_idx WHERE a = ?",
     "SELECT * FROM t  WHERE a = $1",
     1,
     NULL,
     {NULL}},
    {"SELECT * FROM t indexed by t_idx", "SELECT * FROM t ", 0, NULL, {NULL}},
    {"SELECT * FROM t NOT INDEXED WHERE a = ?", "SELECT * FROM t  WHERE a = $1", 1, NULL, {NULL}},
    {"SELECT indexed_at FROM t WHERE NOT a",
     "SELECT indexed_at FROM t WHERE NOT a",
     0,
     NULL,
     {NULL}},

    /* Unary plus: dropped after an operator, a comma, a parenthesis or
     * a keyword before a value; a binary plus is kept */
    {"SELECT (+a), f(x, +b) FROM t WHERE +c = 1 AND +d > 0 OR +g < 2 ORDER BY +e",
     "SELECT (a), f(x, b) FROM t WHERE c = 1 AND d > 0 OR g < 2 ORDER BY e",
     0,
     NULL,
     {NULL}},
    {"SELECT +a FROM t JOIN u ON +u.id = t.id WHERE x >= +y AND NOT +z",
     "SELECT a FROM t JOIN u ON u.id = t.id WHERE x >= y AND NOT z",
     0,
     NULL,
     {NULL}},
    {"SELECT CASE WHEN +a THEN +b ELSE +c END FROM t",
     "SELECT CASE WHEN a THEN b ELSE c END FROM t",
     0,
     NULL,
     {NULL}},
    {"SELECT a + b, 1 + 2, x+1, a+b, ? + c, (a) + b, 'x' + y, a +b FROM t",
     "SELECT a + b, 1 + 2, x+1, a+b, $1 + c, (a) + b, 'x' + y, a +b FROM t",
     1,
     NULL,
     {NULL}},
    {"SELECT (+1), a = +2", "SELECT (+1), a = +2", 0, NULL, {NULL}},
    {"SELECT 1.5e+3, count(*) + n FROM t", "SELECT 1.5e+3, count(*) + n FROM t", 0, NULL, {NULL}},

    /* LIMIT -1 */
    {"SELECT a FROM t LIMIT -1 OFFSET ?", "SELECT a FROM t LIMIT ALL OFFSET $1", 1, NULL, {NULL}},
    {"SELECT a FROM t limit -1", "SELECT a FROM t LIMIT ALL", 0, NULL, {NULL}},
    {"SELECT a FROM t LIMIT  -1", "SELECT a FROM t LIMIT ALL", 0, NULL, {NULL}},
    {"SELECT a FROM t LIMIT -10", "SELECT a FROM t LIMIT -10", 0, NULL, {NULL}},
    {"SELECT a FROM t LIMIT ?", "SELECT a FROM t LIMIT $1", 1, NULL, {NULL}},
    {"SELECT a - -1 FROM t", "SELECT a - -1 FROM t", 0, NULL, {NULL}},

    /* Casts */
    {"SELECT CAST(x AS INTEGER), CAST(y AS REAL), cast(z as integer), CAST(w AS Real) FROM t",
     "SELECT CAST(x AS bigint), CAST(y AS double precision), cast(z as bigint), CAST(w AS "
     "double precision) FROM t",
     0,
     NULL,
     {NULL}},
    {"SELECT CAST(x AS TEXT), integer_part, real_total FROM t",
     "SELECT CAST(x AS TEXT), integer_part, real_total FROM t",
     0,
     NULL,
     {NULL}},

    /* Functions */
    {"SELECT group_concat(a, ','), instr(a, 'x'), char(65), GROUP_CONCAT (b, ';') FROM t",
     "SELECT string_agg(a, ','), strpos(a, 'x'), chr(65), string_agg (b, ';') FROM t",
     0,
     NULL,
     {NULL}},
    {"SELECT a FROM json_each(?) j WHERE x IN (SELECT value FROM json_each(:ids))",
     "SELECT a FROM qy_json_each($1) j WHERE x IN (SELECT value FROM qy_json_each($2))",
     2,
     "11",
     {NULL, ":ids"}},
    {"SELECT group_concat, instr, char, json_each FROM t",
     "SELECT group_concat, instr, char, json_each FROM t",
     0,
     NULL,
     {NULL}},
    {"SELECT my_instr(a), varchar(b), json_each_x(c) FROM t",
     "SELECT my_instr(a), varchar(b), json_each_x(c) FROM t",
     0,
     NULL,
     {NULL}},

    /* Words in other scripts are words */
    {"SELECT 名称 FROM t WHERE 名称 LIKE ?",
     "SELECT 名称 FROM t WHERE 名称 ILIKE $1",
     1,
     NULL,
     {NULL}},
};

static void check_row(const struct row *r)
{
	struct buf out = BUF_INIT;
	char *names[NNAMES];
	char used[NNAMES];
	int n;

	/* What the caller hands in is not assumed to be clean. */
	for (int k = 0; k < NNAMES; k++) {
		names[k] = NULL;
		used[k] = 7;
	}
	n = pg_translate(r->in, &out, names, used, NNAMES);
	assert_false(out.failed);
	if (strcmp(buf_cstr(&out), r->out) || n != r->n)
		fail_msg("%s\n  gives %s (%d)\n  wants %s (%d)", r->in, buf_cstr(&out), n, r->out,
		         r->n);
	for (int k = 0; k < n; k++) {
		int want_used = r->used ? r->used[k] == '1' : 1;
		const char *want_name = k < 4 ? r->names[k] : NULL;

		if (used[k] != want_used)
			fail_msg("%s: parameter %d used %d, wants %d", r->in, k + 1, used[k],
			         want_used);
		if (!want_name && names[k])
			fail_msg("%s: parameter %d named %s, wants none", r->in, k + 1, names[k]);
		if (want_name && (!names[k] || strcmp(names[k], want_name)))
			fail_msg("%s: parameter %d named %s, wants %s", r->in, k + 1,
			         names[k] ? names[k] : "(none)", want_name);
	}
	for (int k = 0; k < NNAMES; k++)
		free(names[k]);
	buf_release(&out);
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
}

/* The count for nnames slots, its names freed as db_pg.c frees them. */
static int count(const char *sql, int nnames)
{
	struct buf out = BUF_INIT;
	char *names[NNAMES] = {0};
	char used[NNAMES] = {0};
	int n;

	assert_true(nnames <= NNAMES);
	n = pg_translate(sql, &out, names, used, nnames);
	for (int k = 0; k < NNAMES; k++)
		free(names[k]);
	buf_release(&out);
	return n;
}

static void test_too_many(void **state)
{
	(void)state;
	assert_int_equal(count("SELECT ?, ?, ?", 3), 3);
	assert_int_equal(count("SELECT ?, ?, ?", 2), -1);
	assert_int_equal(count("SELECT :a, :b, :a", 2), 2);
	assert_int_equal(count("SELECT :a, :b, :c", 2), -1);
	assert_int_equal(count("SELECT ?3", 3), 3);
	assert_int_equal(count("SELECT ?4", 3), -1);
	assert_int_equal(count("SELECT ?1, ?", 1), -1);
	assert_int_equal(count("SELECT $4", 3), -1);
	assert_int_equal(count("SELECT ?9", NNAMES), -1);
	assert_int_equal(count("SELECT ?99999", NNAMES), -1);
	assert_int_equal(count("SELECT a FROM t", 0), 0);
	assert_int_equal(count("SELECT ?", 0), -1);
	/* numbers past any count, and ?0 / $0, are refused, never wrapped */
	assert_int_equal(count("SELECT ?2147483648", NNAMES), -1);
	assert_int_equal(count("SELECT ?4294967297", NNAMES), -1);
	assert_int_equal(count("SELECT $4294967295", NNAMES), -1);
	assert_int_equal(count("SELECT $99999999999999999999999999", NNAMES), -1);
	assert_int_equal(count("SELECT ?0", NNAMES), -1);
	assert_int_equal(count("SELECT $0", NNAMES), -1);
	/* quoted and commented parameters take no slot */
	assert_int_equal(count("SELECT '?', \"?\", ? -- ?\n/* ? */", 1), 1);
}

/* The longest names and words are copied whole (the translator keeps
 * only a prefix of each word for its context). */
static void test_long_words(void **state)
{
	struct buf in = BUF_INIT, want = BUF_INIT, out = BUF_INIT;
	char *names[NNAMES] = {0};
	char used[NNAMES] = {0};
	char word[201];

	(void)state;
	memset(word, 'x', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	buf_printf(&in, "SELECT %s FROM t WHERE %s LIKE :%s AND y IS :%s", word, word, word, word);
	buf_printf(&want, "SELECT %s FROM t WHERE %s ILIKE $1 AND y IS NOT DISTINCT FROM $1", word,
	           word);
	assert_int_equal(pg_translate(buf_cstr(&in), &out, names, used, NNAMES), 1);
	assert_string_equal(buf_cstr(&out), buf_cstr(&want));
	assert_non_null(names[0]);
	assert_int_equal(strlen(names[0]), 201);
	assert_int_equal(names[0][0], ':');
	assert_int_equal(used[0], 1);
	free(names[0]);
	buf_release(&in);
	buf_release(&want);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_too_many),
	    cmocka_unit_test(test_long_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
