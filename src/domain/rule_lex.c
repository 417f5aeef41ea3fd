/*
 * The rule language's tokens, and the arena its trees live in.
 *
 * A rule is typed by officers, often with a Chinese input method on, so
 * the lexer takes what such a method gives beside ASCII: full-width
 * parentheses, comma and percent sign, ≥ ≤ ≠, and amounts with 万, 亿 and
 * 元.  Everything else outside strings and comments is ASCII.
 */
#include "rule_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/num.h"

/* ------------------------------------------------------------------ */
/* Arena                                                                */

#define RA_FIRST 8192

void *ra_alloc(struct ra *a, size_t n)
{
	struct ra_chunk *c = a->head;
	size_t need = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	void *p;

	if (!c || c->cap - c->used < need) {
		size_t cap = c ? c->cap * 2 : RA_FIRST;
		while (cap < need)
			cap *= 2;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
	}
	p = (unsigned char *)c->data + c->used;
	c->used += need;
	memset(p, 0, n);
	return p;
}

void ra_release(struct ra *a)
{
	struct ra_chunk *c = a->head;

	while (c) {
		struct ra_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

/* ------------------------------------------------------------------ */
/* Positions and messages                                               */

void rule_utf8_trim(char *s)
{
	size_t n = strlen(s), k = n;

	if (!n || (unsigned char)s[n - 1] < 0x80)
		return;
	while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k == 0)
		return;
	{
		unsigned char lead = (unsigned char)s[k - 1];
		size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
		if (n - (k - 1) < want)
			s[k - 1] = '\0';
	}
}

int rule_fail(struct rule_error *err, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->what, sizeof(err->what), fmt, ap);
	va_end(ap);
	rule_utf8_trim(err->what);
	err->line = line;
	err->column = col;
	snprintf(err->message, sizeof(err->message), "line %d, column %d: %s", line, col,
	         err->what);
	rule_utf8_trim(err->message);
	return -1;
}

/* A continuation byte of UTF-8 does not start a character. */
static int starts_char(unsigned char c)
{
	return (c & 0xC0) != 0x80;
}

void rule_pos(const char *src, int off, int *line, int *col)
{
	int l = 1, c = 1;

	for (int i = 0; i < off; i++) {
		if (src[i] == '\n') {
			l++;
			c = 1;
		} else if (starts_char((unsigned char)src[i])) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

void rule_quote(const char *src, int off, int end, int max, char *out, size_t n)
{
	size_t o = 0;
	int chars = 0, i = off;

	if (!n)
		return;
	/* Leading and trailing blanks say nothing. */
	while (i < end && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r'))
		i++;
	while (end > i && (src[end - 1] == ' ' || src[end - 1] == '\t' || src[end - 1] == '\n' ||
	                   src[end - 1] == '\r'))
		end--;
	for (; i < end; i++) {
		unsigned char c = (unsigned char)src[i];
		if (starts_char(c)) {
			if (chars == max) {
				if (o + 4 < n) {
					memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
					o += 3;
				}
				break;
			}
			chars++;
		}
		if (o + 1 >= n)
			break;
		out[o++] = c < 0x20 ? ' ' : (char)c;
	}
	/* A cut inside a character would leave broken UTF-8. */
	while (o > 0 && (unsigned char)out[o - 1] >= 0x80) {
		size_t k = o;
		while (k > 0 && !starts_char((unsigned char)out[k - 1]))
			k--;
		if (k == 0)
			break;
		{
			unsigned char lead = (unsigned char)out[k - 1];
			size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
			if (o - (k - 1) >= want)
				break;
			o = k - 1;
		}
	}
	out[o] = '\0';
}

/* ------------------------------------------------------------------ */
/* The lexer                                                            */

void lex_init(struct lexer *lx, const char *src, int len, struct ra *arena, struct rule_error *err)
{
	lx->src = src;
	lx->len = len;
	lx->pos = 0;
	lx->line = 1;
	lx->col = 1;
	lx->arena = arena;
	lx->err = err;
	lx->checked = 0;
}

static int peekc(const struct lexer *lx, int k)
{
	return lx->pos + k < lx->len ? (unsigned char)lx->src[lx->pos + k] : -1;
}

/* Moves over n bytes of one line, counting characters. */
static void advance(struct lexer *lx, int n)
{
	for (int i = 0; i < n && lx->pos < lx->len; i++) {
		unsigned char c = (unsigned char)lx->src[lx->pos++];
		if (c == '\n') {
			lx->line++;
			lx->col = 1;
		} else if (starts_char(c)) {
			lx->col++;
		}
	}
}

/* Does the source continue with the UTF-8 text s here? */
static int at(const struct lexer *lx, int k, const char *s)
{
	size_t n = strlen(s);

	return lx->pos + k + (int)n <= lx->len && memcmp(lx->src + lx->pos + k, s, n) == 0;
}

/* Bytes of the (valid) UTF-8 character starting at byte c. */
static int char_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(int c)
{
	return is_name_start(c) || is_digit(c);
}

/* The character at the current position, quoted, for "found '…'". */
static void this_char(const struct lexer *lx, char *out, size_t n)
{
	int len = lx->pos < lx->len ? char_len((unsigned char)lx->src[lx->pos]) : 0;

	if (lx->pos + len > lx->len)
		len = lx->len - lx->pos;
	rule_quote(lx->src, lx->pos, lx->pos + len, 1, out, n);
}

/* Offset of the first byte that is not UTF-8 (overlong forms, surrogates
 * and values past U+10FFFF refused), or -1. */
static int bad_utf8(const char *s, int len)
{
	int i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		int n;
		uint32_t cp;
		if (c < 0x80) {
			if (c == 0)
				return i;
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + n > len)
			return i;
		for (int k = 1; k < n; k++) {
			unsigned char d = (unsigned char)s[i + k];
			if ((d & 0xC0) != 0x80)
				return i;
			cp = cp << 6 | (d & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n;
	}
	return -1;
}

static int days_in(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static int digits_at(const struct lexer *lx, int k, int n)
{
	for (int i = 0; i < n; i++)
		if (!is_digit(peekc(lx, k + i)))
			return 0;
	return 1;
}

static int num_at(const struct lexer *lx, int k, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (peekc(lx, k + i) - '0');
	return v;
}

/* The units an amount may carry and the power of ten each stands for. */
static const struct {
	const char *text;
	int exp;
	int unit;
} units[] = {
    {"%", -2, RU_RATIO},
    {"\xef\xbc\x85", -2, RU_RATIO},            /* ％ */
    {"\xe4\xb8\x87\xe5\x85\x83", 4, RU_MONEY}, /* 万元 */
    {"\xe4\xba\xbf\xe5\x85\x83", 8, RU_MONEY}, /* 亿元 */
    {"\xe4\xb8\x87", 4, RU_MONEY},
    {"\xe4\xba\xbf", 8, RU_MONEY}, /* 万 亿 */
    {"\xe5\x85\x83", 0, RU_MONEY}, /* 元 */
};

/*
 * A number, a date (2020-01-01) or a quarter (2024Q3, 2024-Q3).  The
 * value is read from its decimal digits and the unit's power of ten
 * together ("1.1e4" for 1.1万), so 1.1万 is exactly 11000 and 3% is the
 * same double as 0.03.
 */
static int lex_number(struct lexer *lx, struct token *t)
{
	char text[64];
	int i = 0, nint = 0, nfrac = 0, exp = 0;

	while (is_digit(peekc(lx, i)))
		i++;
	nint = i;
	if (nint == 4 && (peekc(lx, 4) == 'Q' || peekc(lx, 4) == 'q' ||
	                  (peekc(lx, 4) == '-' && (peekc(lx, 5) == 'Q' || peekc(lx, 5) == 'q')))) {
		int qpos = peekc(lx, 4) == '-' ? 6 : 5;
		int q = peekc(lx, qpos);
		if (q >= '1' && q <= '4' && is_name_char(peekc(lx, qpos + 1))) {
			char found[16];
			advance(lx, qpos + 1);
			this_char(lx, found, sizeof(found));
			return rule_fail(
			    lx->err, lx->line, lx->col,
			    "expected an operator or a space after the quarter '%.*s', "
			    "found '%s'",
			    qpos + 1, lx->src + t->off, found);
		}
		if (q < '1' || q > '4') {
			char found[16];
			advance(lx, qpos);
			this_char(lx, found, sizeof(found));
			return rule_fail(lx->err, lx->line, lx->col,
			                 "expected a quarter 1-4 after '%.4sQ', found %s%s%s",
			                 lx->src + t->off, *found ? "'" : "the end of the rule",
			                 found, *found ? "'" : "");
		}
		t->t = T_PERIOD;
		t->year = num_at(lx, 0, 4);
		t->quarter = q - '0';
		advance(lx, qpos + 1);
		return 0;
	}
	if (nint == 4 && peekc(lx, 4) == '-' && digits_at(lx, 5, 2)) {
		int y = num_at(lx, 0, 4), m = num_at(lx, 5, 2), d;
		if (peekc(lx, 7) != '-' || !digits_at(lx, 8, 2) || is_digit(peekc(lx, 10))) {
			return rule_fail(lx->err, t->line, t->col,
			                 "expected a date such as 2024-03-01 or a quarter such as "
			                 "2024Q1, found '%.7s' (a month is not a period of rules)",
			                 lx->src + t->off);
		}
		d = num_at(lx, 8, 2);
		if (m < 1 || m > 12 || d < 1 || d > days_in(y, m))
			return rule_fail(lx->err, t->line, t->col,
			                 "expected a date that exists, found '%.10s'",
			                 lx->src + t->off);
		if (y < RULE_YEAR_MIN || y > RULE_YEAR_MAX)
			return rule_fail(lx->err, t->line, t->col,
			                 "expected a date of the years %d-%d, found '%.10s'",
			                 RULE_YEAR_MIN, RULE_YEAR_MAX, lx->src + t->off);
		t->t = T_DATE;
		t->num = (double)(y * 10000 + m * 100 + d);
		advance(lx, 10);
		return 0;
	}
	if (peekc(lx, i) == '.') {
		if (!is_digit(peekc(lx, i + 1))) {
			advance(lx, i + 1);
			return rule_fail(lx->err, lx->line, lx->col,
			                 "expected digits after the decimal point of '%.*s'", i + 1,
			                 lx->src + t->off);
		}
		i++;
		while (is_digit(peekc(lx, i))) {
			i++;
			nfrac++;
		}
	}
	if (nint + nfrac > 18)
		return rule_fail(lx->err, t->line, t->col,
		                 "expected a number of at most 18 digits, found '%.*s'",
		                 i > 30 ? 30 : i, lx->src + t->off);
	t->t = T_NUM;
	t->unit = RU_NONE;
	t->is_int = nfrac == 0;
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		if (at(lx, i, units[u].text)) {
			exp = units[u].exp;
			t->unit = units[u].unit;
			t->is_int = 0;
			i += (int)strlen(units[u].text);
			break;
		}
	}
	if (is_name_char(peekc(lx, i)) || peekc(lx, i) == '.') {
		char found[16];
		advance(lx, i);
		this_char(lx, found, sizeof(found));
		return rule_fail(
		    lx->err, lx->line, lx->col,
		    "expected a unit (%%, 万, 亿, 元), an operator or a space after the number "
		    "'%.*s', found '%s'",
		    i > 30 ? 30 : i, lx->src + t->off, found);
	}
	snprintf(text, sizeof(text), "%.*se%d", nint + (nfrac ? nfrac + 1 : 0), lx->src + t->off,
	         exp);
	if (num_decimal(text, &t->num) != NUM_OK)
		return rule_fail(lx->err, t->line, t->col, "expected a number, found '%.*s'",
		                 i > 30 ? 30 : i, lx->src + t->off);
	advance(lx, i);
	return 0;
}

/* A string in "…" or '…'; \" \' and \\ escape, nothing else does. */
static int lex_string(struct lexer *lx, struct token *t)
{
	int quote = peekc(lx, 0), i = 1, n = 0;
	char *s;

	/* Measure first, then copy. */
	for (;;) {
		int c = peekc(lx, i);
		if (c < 0 || c == '\n') {
			return rule_fail(lx->err, t->line, t->col,
			                 "expected the closing %c of the string that starts here",
			                 quote);
		}
		if (c == quote)
			break;
		if (c < 0x20 || c == 0x7F) {
			advance(lx, i);
			return rule_fail(
			    lx->err, lx->line, lx->col,
			    "expected a printable character in the string, found a control "
			    "character");
		}
		if (c == '\\') {
			int e = peekc(lx, i + 1);
			if (e != '"' && e != '\'' && e != '\\') {
				advance(lx, i);
				return rule_fail(
				    lx->err, lx->line, lx->col,
				    "expected \\\", \\' or \\\\ in the string, found an "
				    "unknown escape");
			}
			i++;
		}
		i++;
		n++;
		if (n > RULE_STRING_MAX)
			return rule_fail(lx->err, t->line, t->col,
			                 "expected a string of at most %d bytes", RULE_STRING_MAX);
	}
	s = ra_alloc(lx->arena, (size_t)n + 1);
	if (!s)
		return rule_fail(lx->err, t->line, t->col, "out of memory");
	n = 0;
	for (int k = 1; k < i; k++) {
		char c = lx->src[lx->pos + k];
		if (c == '\\')
			c = lx->src[lx->pos + ++k];
		s[n++] = c;
	}
	s[n] = '\0';
	t->t = T_STR;
	t->s = s;
	t->slen = n;
	advance(lx, i + 1);
	return 0;
}

static const struct {
	const char *word;
	enum tok t;
} keywords[] = {
    {"and", T_AND},         {"or", T_OR},     {"not", T_NOT},     {"in", T_IN},
    {"between", T_BETWEEN}, {"true", T_TRUE}, {"false", T_FALSE},
};

/* Operators, the longest first. */
static const struct {
	const char *text;
	enum tok t;
} ops[] = {
    {"<=", T_LE},
    {">=", T_GE},
    {"!=", T_NE},
    {"<>", T_NE},
    {"==", T_EQ},
    {"\xe2\x89\xa4", T_LE},
    {"\xe2\x89\xa5", T_GE}, /* ≤ ≥ */
    {"\xe2\x89\xa0", T_NE}, /* ≠ */
    {"\xef\xbc\x88", T_LP},
    {"\xef\xbc\x89", T_RP},
    {"\xef\xbc\x8c", T_COMMA}, /* （ ） ， */
    {"(", T_LP},
    {")", T_RP},
    {",", T_COMMA},
    {"+", T_PLUS},
    {"-", T_MINUS},
    {"*", T_STAR},
    {"/", T_SLASH},
    {"=", T_EQ},
    {"<", T_LT},
    {">", T_GT},
};

/* Blanks (ASCII and the ideographic space) and # comments to the end of
 * the line. */
static void skip_blanks(struct lexer *lx)
{
	for (;;) {
		int c = peekc(lx, 0);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			advance(lx, 1);
		} else if (at(lx, 0, "\xe3\x80\x80")) {
			advance(lx, 3);
		} else if (c == '#') {
			while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
				advance(lx, 1);
		} else {
			return;
		}
	}
}

int lex_next(struct lexer *lx, struct token *t)
{
	int c;

	if (!lx->checked) {
		int bad = bad_utf8(lx->src, lx->len);
		if (bad >= 0) {
			int line, col;
			rule_pos(lx->src, bad, &line, &col);
			return rule_fail(lx->err, line, col,
			                 "expected UTF-8 text, found a byte that is not");
		}
		lx->checked = 1;
	}
	skip_blanks(lx);
	memset(t, 0, sizeof(*t));
	t->off = lx->pos;
	t->line = lx->line;
	t->col = lx->col;
	c = peekc(lx, 0);
	if (c < 0) {
		t->t = T_EOF;
		t->end = lx->pos;
		return 0;
	}
	if (is_digit(c)) {
		if (lex_number(lx, t))
			return -1;
	} else if (c == '"' || c == '\'') {
		if (lex_string(lx, t))
			return -1;
	} else if (is_name_start(c)) {
		int i = 0;
		while (is_name_char(peekc(lx, i)))
			i++;
		if (i > 40)
			return rule_fail(lx->err, t->line, t->col,
			                 "expected a name of at most 40 characters");
		t->t = T_NAME;
		t->s = lx->src + lx->pos;
		t->slen = i;
		for (size_t k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++) {
			if (strlen(keywords[k].word) == (size_t)i &&
			    strncasecmp(keywords[k].word, t->s, (size_t)i) == 0) {
				t->t = keywords[k].t;
				break;
			}
		}
		advance(lx, i);
	} else {
		size_t k;
		for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
			if (at(lx, 0, ops[k].text)) {
				t->t = ops[k].t;
				advance(lx, (int)strlen(ops[k].text));
				break;
			}
		}
		if (k == sizeof(ops) / sizeof(ops[0])) {
			char found[16];
			this_char(lx, found, sizeof(found));
			if (c == '.')
				return rule_fail(lx->err, t->line, t->col,
				                 "expected a digit before the decimal point");
			return rule_fail(lx->err, t->line, t->col,
			                 "expected a fact, a number, a string, an operator or '(', "
			                 "found '%s'",
			                 found);
		}
	}
	t->end = lx->pos;
	return 0;
}
