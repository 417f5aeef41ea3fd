/*
 * pg_translate (src/store/db_pg_sql.c) on any text, with room for eight
 * parameters and for two.  The output is one C string; the count is -1
 * or at most the room; a recorded name is a parameter's name from the
 * text, and one the text refers to.  On a text without quotes or
 * comments, every :name and @name has its slot, and no ? or : is left;
 * on one that also has no '+' and no word that a rule rewrites,
 * nothing but its parameters changes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "store/db_pg.h"
#include "util/buf.h"

/* The words that start a rewrite (LIKE, IS, INSERT OR IGNORE, CROSS
 * JOIN, INDEXED BY, NOT INDEXED, LIMIT -1, AS INTEGER / REAL and the
 * functions). */
static const char *rule_words[] = {"LIKE",  "IS",    "INSERT",   "CROSS", "INDEXED",
                                   "NOT",   "LIMIT", "INTEGER",  "REAL",  "GROUP_CONCAT",
                                   "INSTR", "CHAR",  "JSON_EACH"};

static int word_char(int c)
{
	return isalnum(c) || c == '_' || (c & 0x80);
}

static void breach(const char *sql, const char *out, const char *what)
{
	fprintf(stderr, "pg_translate(\"%s\") -> \"%s\": %s\n", sql, out, what);
	abort();
}

/* No quoted text, no comment, and every ':' starts a name: the text's
 * parameters are then all its '?', ':' and '@' followed by a letter. */
static int plain_text(const char *s)
{
	if (strpbrk(s, "'\"") || strstr(s, "--") || strstr(s, "/*"))
		return 0;
	for (const char *p = strchr(s, ':'); p; p = strchr(p + 1, ':'))
		if (!isalpha((unsigned char)p[1]) && p[1] != '_')
			return 0;
	return 1;
}

/* Whether one of the rules' words stands in the text.  Digits end a
 * word here: the word after ?1 or $1 in "?1LIKE" is one for the
 * translator, and a number's letters ("1e5") never are. */
static int has_rule_word(const char *s)
{
	for (const char *p = s; *p;) {
		size_t n = 0;
		while (word_char((unsigned char)p[n]) && !isdigit((unsigned char)p[n]))
			n++;
		if (!n) {
			p++;
			continue;
		}
		for (size_t i = 0; i < sizeof(rule_words) / sizeof(rule_words[0]); i++)
			if (strlen(rule_words[i]) == n && !strncasecmp(p, rule_words[i], n))
				return 1;
		p += n;
	}
	return 0;
}

/* The text without its parameters (?N, :name, @name, $N), malloc'ed. */
static char *skeleton(const char *s)
{
	char *k = malloc(strlen(s) + 1), *w = k;

	if (!k)
		abort();
	while (*s) {
		if (*s == '?' || (*s == '$' && isdigit((unsigned char)s[1]))) {
			for (s++; isdigit((unsigned char)*s);)
				s++;
		} else if ((*s == ':' || *s == '@') &&
		           (isalpha((unsigned char)s[1]) || s[1] == '_')) {
			for (s++; word_char((unsigned char)*s);)
				s++;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
	return k;
}

static void check_names(const char *sql, const char *out, char **names, const char *used, int n)
{
	for (const char *p = sql; *p; p++) {
		size_t len = 1;
		int k;

		if ((*p != ':' && *p != '@') || (!isalpha((unsigned char)p[1]) && p[1] != '_'))
			continue;
		while (word_char((unsigned char)p[len]))
			len++;
		for (k = 0; k < n; k++)
			if (names[k] && strlen(names[k]) == len && !strncmp(names[k], p, len))
				break;
		if (k == n || !used[k])
			breach(sql, out, "a named parameter has no slot");
		p += len - 1;
	}
}

static void translate(const char *sql, int nnames)
{
	struct buf out = BUF_INIT;
	char **names = calloc((size_t)nnames, sizeof(*names));
	char *used = malloc((size_t)nnames);
	const char *o;
	int n;

	if (!names || !used)
		abort();
	memset(used, 0x5a, (size_t)nnames);
	n = pg_translate(sql, &out, names, used, nnames);
	o = buf_cstr(&out);
	if (out.failed)
		breach(sql, o, "the buffer failed");
	if (strlen(o) != out.len)
		breach(sql, o, "the output is not one C string of its length");
	if (n < -1 || n > nnames)
		breach(sql, o, "the count is out of range");
	for (int k = 0; k < n; k++) {
		if (used[k] != 0 && used[k] != 1)
			breach(sql, o, "a parameter's used is neither 0 nor 1");
		if (names[k] && !used[k])
			breach(sql, o, "a named parameter is not used");
		if (names[k] && ((names[k][0] != ':' && names[k][0] != '@') || !names[k][1] ||
		                 !strstr(sql, names[k])))
			breach(sql, o, "a name that is not in the text");
	}
	for (int k = n < 0 ? 0 : n; n >= 0 && k < nnames; k++)
		if (names[k])
			breach(sql, o, "a name past the count");
	if (n >= 0 && plain_text(sql)) {
		check_names(sql, o, names, used, n);
		if (strpbrk(o, "?:"))
			breach(sql, o, "a parameter is left");
		if (!strchr(sql, '$'))
			for (const char *p = strchr(o, '$'); p; p = strchr(p + 1, '$')) {
				long v = strtol(p + 1, NULL, 10);
				if (v < 1 || v > n || !used[v - 1])
					breach(sql, o, "a $N that is no parameter");
			}
		if (!strchr(sql, '+') && !has_rule_word(sql)) {
			char *a = skeleton(sql), *b = skeleton(o);
			if (strcmp(a, b))
				breach(sql, o, "more than the parameters has changed");
			if (!strpbrk(sql, "?:@$") && (n != 0 || strcmp(o, sql)))
				breach(sql, o, "a text no rule applies to has changed");
			free(a);
			free(b);
		}
	}
	for (int k = 0; k < nnames; k++)
		free(names[k]);
	free(names);
	free(used);
	buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *sql = fz_cstr(data, size);

	translate(sql, 8);
	translate(sql, 2);
	free(sql);
	return 0;
}
