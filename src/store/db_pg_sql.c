/*
 * pg_translate: a statement's text written for SQLite, as PostgreSQL
 * reads it.
 *
 * The store writes one text for both backends (docs/DESIGN.md, "One SQL
 * text, two backends").  What cannot be written once in standard SQL is
 * rewritten here, word by word; each rewrite is one SQLite idiom with one
 * PostgreSQL meaning:
 *
 *   ?  ?N  :name        $N, numbered as SQLite numbers them (a bare ?
 *                       takes one more than the largest so far; a name
 *                       keeps the number it got first)
 *   LIKE                ILIKE (SQLite's LIKE ignores the case of Latin
 *                       letters)
 *   x IS y, x IS NOT y  x IS NOT DISTINCT FROM y, x IS DISTINCT FROM y
 *                       (y not NULL, TRUE or FALSE)
 *   INSERT OR IGNORE    INSERT ... ON CONFLICT DO NOTHING
 *   CROSS JOIN          JOIN (in SQLite it fixes the join order, and the
 *                       store always gives it an ON)
 *   INDEXED BY name,    nothing (planner hints)
 *   NOT INDEXED, +col
 *   LIMIT -1            LIMIT ALL
 *   AS INTEGER, AS REAL AS bigint, AS double precision (SQLite's
 *                       integers have 64 bits, its reals 8 bytes)
 *   group_concat(       string_agg(
 *   instr(, char(       strpos(, chr(
 *   json_each(          qy_json_each( (src/store/pg_compat.sql)
 *
 * Quoted text ('...'), quoted names ("...") and comments are copied as
 * they are; so is anything already written for PostgreSQL ($N, ::type).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "db_pg.h"

struct tr {
	const char *p;
	struct buf *out;
	char **names;
	char *used;
	int nnames, nparams, max;
	int insert_ignore;
	/* Where ON CONFLICT DO NOTHING goes: before RETURNING (ret_at, one
	 * past), else after the last thing written that was not a space, a
	 * comment or a ';' (end_at). */
	size_t ret_at, end_at;
	/* The last two words, upper-cased (for LIKE's and IS's context), and
	 * the last character written that was not a space. */
	char prev[2][24];
	char last;
	int last_word; /* the last thing written was a word */
};

static int word_char(int c)
{
	return isalnum(c) || c == '_' || (c & 0x80);
}

static int word_is(const char *w, size_t n, const char *kw)
{
	return strlen(kw) == n && !strncasecmp(w, kw, n);
}

static void remember(struct tr *t, const char *w, size_t n)
{
	size_t i;

	memcpy(t->prev[0], t->prev[1], sizeof(t->prev[0]));
	for (i = 0; i < n && i < sizeof(t->prev[1]) - 1; i++)
		t->prev[1][i] = (char)toupper((unsigned char)w[i]);
	t->prev[1][i] = '\0';
}

static void emit(struct tr *t, const char *s, size_t n)
{
	size_t at = t->out->len;

	buf_add(t->out, s, n);
	for (size_t i = n; i > 0; i--)
		if (!isspace((unsigned char)s[i - 1])) {
			t->last = s[i - 1];
			t->last_word = 0;
			if (s[i - 1] != ';')
				t->end_at = at + i;
			break;
		}
}

static void emits(struct tr *t, const char *s)
{
	emit(t, s, strlen(s));
}

/* A parameter: its number, recorded under its name. */
static int param(struct tr *t, const char *name, size_t n, long number)
{
	int k;

	if (number > 0) {
		if (number > t->nnames)
			return -1;
		k = (int)number;
	} else if (name) {
		for (k = 0; k < t->nparams && k < t->nnames; k++)
			if (t->names[k] && strlen(t->names[k]) == n &&
			    !strncmp(t->names[k], name, n)) {
				t->used[k] = 1;
				return k + 1;
			}
		k = t->max + 1;
	} else {
		k = t->max + 1;
	}
	if (k > t->nnames)
		return -1;
	for (int i = t->nparams; i < k; i++) {
		t->names[i] = NULL;
		t->used[i] = 0;
	}
	if (name && !t->names[k - 1]) {
		t->names[k - 1] = malloc(n + 1);
		if (t->names[k - 1]) {
			memcpy(t->names[k - 1], name, n);
			t->names[k - 1][n] = '\0';
		}
	}
	if (k > t->nparams)
		t->nparams = k;
	if (k > t->max)
		t->max = k;
	t->used[k - 1] = 1;
	return k;
}

/* Skips spaces and comments from p; the position after them. */
static const char *skip_space(const char *p)
{
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else {
			return p;
		}
	}
}

/* The word at p, its length in *n (0: none). */
static const char *peek_word(const char *p, size_t *n)
{
	p = skip_space(p);
	*n = 0;
	while (word_char((unsigned char)p[*n]))
		(*n)++;
	return p;
}

/* Copies a quoted run ('...' or "..."), doubled quotes included. */
static void quoted(struct tr *t)
{
	char q = *t->p;
	const char *s = t->p++;

	for (;;) {
		if (!*t->p)
			break;
		if (*t->p == q) {
			if (t->p[1] == q) {
				t->p += 2;
				continue;
			}
			t->p++;
			break;
		}
		t->p++;
	}
	emit(t, s, (size_t)(t->p - s));
}

static int param_start(const char *p)
{
	return *p == '?' || ((*p == ':' || *p == '@') && p[1] != ':');
}

/* Whether what follows IS [NOT] is a value (IS then means "equal, NULL
 * included") rather than NULL, TRUE, FALSE or DISTINCT FROM. */
static int is_operand(const char *p)
{
	static const char *not_values[] = {"NULL", "TRUE", "FALSE", "UNKNOWN", "DISTINCT", "NOT"};
	size_t n = 0;

	if (param_start(p) || strchr("'\"(-$@", *p) || isdigit((unsigned char)*p))
		return *p != '\0';
	while (word_char((unsigned char)p[n]))
		n++;
	if (!n)
		return 0;
	for (size_t i = 0; i < sizeof(not_values) / sizeof(not_values[0]); i++)
		if (word_is(p, n, not_values[i]))
			return 0;
	return 1;
}

/* A unary plus: one that follows an operator, a comma, an opening
 * parenthesis or a keyword after which a value starts. */
static int unary_plus(const struct tr *t)
{
	static const char *after[] = {"AND", "OR",   "NOT",    "WHERE", "ON",    "SELECT",
	                              "BY",  "WHEN", "THEN",   "ELSE",  "WHEN",  "SET",
	                              "IN",  "IS",   "HAVING", "CASE",  "RETURN"};

	if (!t->last_word)
		return t->last && strchr("(,=<>", t->last);
	{
		for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++)
			if (!strcmp(t->prev[1], after[i]))
				return 1;
	}
	return 0;
}

/* The digits at p as a number (no sign, no spaces), capped so that it
 * cannot overflow: any number past 1,000,000 is more parameters than
 * anyone has.  *end: after the digits. */
static long digits_value(const char *p, const char **end)
{
	long v = 0;

	for (*end = p; isdigit((unsigned char)**end); (*end)++)
		if (v <= 1000000)
			v = v * 10 + (**end - '0');
	return v;
}

static int tr_param(struct tr *t)
{
	char num[16];
	const char *s = t->p;
	int k;

	if (*s == '?') {
		const char *end;
		long v = digits_value(s + 1, &end);
		if (end > s + 1) {
			/* ?0 and numbers beyond the parameters there may be are
			 * refused, as SQLite refuses them. */
			k = v > 0 ? param(t, NULL, 0, v) : -1;
			t->p = end;
		} else {
			k = param(t, NULL, 0, 0);
			t->p = s + 1;
		}
	} else { /* :name or @name */
		size_t n = 1;
		while (word_char((unsigned char)s[n]))
			n++;
		k = param(t, s, n, 0);
		t->p = s + n;
	}
	if (k < 0)
		return -1;
	snprintf(num, sizeof(num), "$%d", k);
	emits(t, num);
	return 0;
}

static void tr_word(struct tr *t)
{
	const char *w = t->p;
	size_t n = 0, m;
	const char *next;

	while (word_char((unsigned char)w[n]))
		n++;
	t->p = w + n;
	if (word_is(w, n, "LIKE")) {
		emits(t, "ILIKE");
	} else if (word_is(w, n, "IS") && (next = peek_word(t->p, &m)) &&
	           ((word_is(next, m, "NOT") && is_operand(skip_space(next + 3))) ||
	            is_operand(next))) {
		/* x IS y, x IS NOT y: SQLite's IS compares as = does, with
		 * NULL equal to NULL */
		if (word_is(next, m, "NOT")) {
			emits(t, "IS DISTINCT FROM");
			t->p = next + 3;
		} else {
			emits(t, "IS NOT DISTINCT FROM");
		}
	} else if (word_is(w, n, "INSERT") && (next = peek_word(t->p, &m)) && m == 2 &&
	           !strncasecmp(next, "OR", 2)) {
		const char *what = peek_word(next + 2, &m);
		if (word_is(what, m, "IGNORE")) {
			t->insert_ignore = 1;
			emits(t, "INSERT");
			t->p = what + m;
		} else {
			emit(t, w, n); /* OR REPLACE: written for both already */
		}
	} else if (word_is(w, n, "CROSS") && (next = peek_word(t->p, &m)) &&
	           word_is(next, m, "JOIN")) {
		emits(t, "JOIN");
		t->p = next + m;
	} else if (word_is(w, n, "INDEXED") && (next = peek_word(t->p, &m)) &&
	           word_is(next, m, "BY")) {
		peek_word(next + m, &n);
		t->p = skip_space(next + m) + n;
		return;
	} else if (word_is(w, n, "NOT") && (next = peek_word(t->p, &m)) &&
	           word_is(next, m, "INDEXED")) {
		t->p = next + m;
		return;
	} else if (word_is(w, n, "LIMIT") && *skip_space(t->p) == '-' &&
	           skip_space(t->p)[1] == '1' && !isdigit((unsigned char)skip_space(t->p)[2])) {
		emits(t, "LIMIT ALL");
		t->p = skip_space(t->p) + 2;
	} else if (word_is(w, n, "INTEGER") && !strcmp(t->prev[1], "AS")) {
		emits(t, "bigint");
	} else if (word_is(w, n, "REAL") && !strcmp(t->prev[1], "AS")) {
		emits(t, "double precision");
	} else if (*skip_space(t->p) == '(' && word_is(w, n, "group_concat")) {
		emits(t, "string_agg");
	} else if (*skip_space(t->p) == '(' && word_is(w, n, "instr")) {
		emits(t, "strpos");
	} else if (*skip_space(t->p) == '(' && word_is(w, n, "char")) {
		emits(t, "chr");
	} else if (*skip_space(t->p) == '(' && word_is(w, n, "json_each")) {
		emits(t, "qy_json_each");
	} else {
		if (t->insert_ignore && !t->ret_at && word_is(w, n, "RETURNING"))
			t->ret_at = t->out->len + 1;
		emit(t, w, n);
	}
	remember(t, w, n);
	t->last_word = 1;
}

int pg_translate(const char *sql, struct buf *out, char **names, char *used, int nnames)
{
	struct tr t = {.p = sql, .out = out, .names = names, .used = used, .nnames = nnames};

	while (*t.p) {
		const char *p = t.p;
		if (*p == '\'' || *p == '"') {
			quoted(&t);
		} else if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) {
			const char *e = skip_space(p);
			buf_add(out, p, (size_t)(e - p)); /* not content: end_at stays */
			t.p = e;
		} else if (*p == '?' || ((*p == ':' || *p == '@') && p[1] != ':' &&
		                         (isalpha((unsigned char)p[1]) || p[1] == '_'))) {
			if (t.last == ':' && *p == ':') { /* ::type, written for PostgreSQL */
				emit(&t, p, 1);
				t.p++;
			} else if (tr_param(&t)) {
				return -1;
			}
		} else if (*p == ':' && p[1] == ':') {
			emit(&t, p, 2);
			t.p += 2;
			/* The type's name is copied as it is. */
			while (word_char((unsigned char)*t.p))
				emit(&t, t.p++, 1);
		} else if (*p == '$' && isdigit((unsigned char)p[1])) {
			const char *end;
			long v = digits_value(p + 1, &end);
			if (v <= 0 || param(&t, NULL, 0, v) < 0)
				return -1;
			emit(&t, p, (size_t)(end - p));
			t.p = end;
		} else if (*p == '+' && word_char((unsigned char)*skip_space(p + 1)) &&
		           !isdigit((unsigned char)*skip_space(p + 1)) && unary_plus(&t)) {
			t.p++;
		} else if (word_char((unsigned char)*p) && !isdigit((unsigned char)*p)) {
			tr_word(&t);
		} else if (isdigit((unsigned char)*p)) {
			while (word_char((unsigned char)*t.p) || *t.p == '.')
				t.p++;
			emit(&t, p, (size_t)(t.p - p));
			remember(&t, "", 0);
		} else {
			if (!isspace((unsigned char)*p))
				remember(&t, "", 0);
			emit(&t, p, 1);
			t.p++;
		}
	}
	if (t.insert_ignore && out->s) {
		/* The clause goes in before RETURNING or after the statement's
		 * last word, ahead of a trailing comment or ';'. */
		size_t at = t.ret_at ? t.ret_at - 1 : t.end_at;
		struct buf rest = BUF_INIT;
		buf_adds(&rest, out->s + at);
		out->len = at;
		out->s[at] = '\0';
		buf_adds(out, t.ret_at ? "ON CONFLICT DO NOTHING " : " ON CONFLICT DO NOTHING");
		buf_adds(out, buf_cstr(&rest));
		if (rest.failed)
			out->failed = 1;
		buf_release(&rest);
	}
	return t.nparams;
}
