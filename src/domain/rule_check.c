/*
 * The checker: every name against the schema of facts, every operator
 * against the types of its operands, every period and industry code for
 * what it means, before a rule is saved.  So a rule that compiles cannot
 * fail at evaluation for anything but missing facts and divisions by
 * zero, which are unknown, not errors.
 *
 * Errors point at the operand at fault and say what was expected there:
 * "line 1, column 8: expected a size class (micro, small, medium, large)
 * to compare with 'size', found a number '3'".
 */
#include "rule_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "industry.h"

struct checker {
	struct rule *r;
	struct rule_error *err;
};

static const char *type_desc(enum rule_type t)
{
	switch (t) {
	case RT_BOOL:
		return "a condition";
	case RT_NUM:
		return "a number";
	case RT_SIZE:
		return "a size class (micro, small, medium, large)";
	case RT_STAGE:
		return "a chain stage (none, leading, upstream, midstream, downstream, service)";
	case RT_STATUS:
		return "a status (active, moved_out, closed)";
	case RT_INDUSTRY:
		return "an industry code in quotes such as \"C38\"";
	case RT_TAGS:
		return "the list of tags";
	case RT_ID:
		return "a whole number";
	case RT_DATE:
		return "a date such as 2020-01-01";
	case RT_PERIOD:
		return "a period";
	case RT_STR:
		return "a string";
	case RT_WORD:
		return "a word";
	case RT_IND:
		return "an indicator";
	}
	return "a value";
}

/* The kind of value a node is, for "found …": "a number '3'". */
static void found_desc(const struct checker *c, const struct node *n, char *out, size_t len)
{
	char text[120];
	enum rule_type wt;

	rule_quote(c->r->src, n->off, n->end, 40, text, sizeof(text));
	if (n->type == RT_WORD && rule_word(n->str, n->slen, &wt) >= 0) {
		const char *kind = wt == RT_SIZE    ? "the size class"
		                   : wt == RT_STAGE ? "the chain stage"
		                                    : "the status";
		snprintf(out, len, "%s '%s'", kind, text);
		return;
	}
	snprintf(out, len, "%s '%s'", type_desc((enum rule_type)n->type), text);
}

static int fail_at(struct checker *c, const struct node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_at(struct checker *c, const struct node *n, const char *fmt, ...)
{
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rule_utf8_trim(what);
	return rule_fail(c->err, n->line, n->col, "%s", what);
}

/* At the place just after n: where a missing comparison would go. */
static int fail_after(struct checker *c, const struct node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_after(struct checker *c, const struct node *n, const char *fmt, ...)
{
	int line, col;
	char what[300];
	va_list ap;

	rule_pos(c->r->src, n->end, &line, &col);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rule_utf8_trim(what);
	return rule_fail(c->err, line, col, "%s", what);
}

static void text_of(const struct checker *c, const struct node *n, char *out, size_t len)
{
	rule_quote(c->r->src, n->off, n->end, 40, out, len);
}

static int check(struct checker *c, struct node *n);

/* A condition is needed here. */
static int need_bool(struct checker *c, const struct node *n)
{
	char text[120];

	if (n->type == RT_BOOL)
		return 0;
	text_of(c, n, text, sizeof(text));
	return fail_after(c, n, "expected a comparison after '%s'", text);
}

/* A number is needed here (the operand of arithmetic, of min...). */
static int need_num(struct checker *c, const struct node *n, const char *where)
{
	char f[200];

	if (n->type == RT_NUM)
		return 0;
	found_desc(c, n, f, sizeof(f));
	if (n->type == RT_PERIOD)
		return fail_at(c, n,
		               "expected a number %s, found %s (a period is the argument of an "
		               "indicator, as in revenue(last_year))",
		               where, f);
	return fail_at(c, n, "expected a number %s, found %s", where, f);
}

/* ------------------------------------------------------------------ */
/* Names                                                                */

static const char *const functions[] = {"min", "max", "abs", "if"};
static const char *const relatives[] = {"", "this_year", "last_year", "this_quarter",
                                        "last_quarter"};

static int name_is(const struct node *n, const char *s)
{
	return (int)strlen(s) == n->slen && memcmp(n->str, s, (size_t)n->slen) == 0;
}

/* Levenshtein distance, capped: names are at most 40 characters. */
static int distance(const char *a, int la, const char *b, int lb)
{
	int row[48], prev;

	if (la > 40 || lb > 40)
		return 99;
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int cur = row[j];
			int best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static void suggest(const struct node *n, char *out, size_t len)
{
	static const char *const others[] = {
	    "and",        "or",      "not",    "in",        "between", "true",     "false",
	    "micro",      "small",   "medium", "large",     "leading", "upstream", "midstream",
	    "downstream", "service", "active", "moved_out", "closed",  "none"};
	const char *best = NULL;
	int bestd = n->slen <= 3 ? 2 : 3;

	for (int i = 0; i < rule_schema_n + 4 + 4 + (int)(sizeof(others) / sizeof(others[0]));
	     i++) {
		const char *cand;
		int d;
		if (i < rule_schema_n)
			cand = rule_schema[i].name;
		else if (i < rule_schema_n + 4)
			cand = functions[i - rule_schema_n];
		else if (i < rule_schema_n + 8)
			cand = relatives[i - rule_schema_n - 4 + 1];
		else
			cand = others[i - rule_schema_n - 8];
		d = distance(n->str, n->slen, cand, (int)strlen(cand));
		if (d < bestd) {
			bestd = d;
			best = cand;
		}
	}
	if (best)
		snprintf(out, len, " (did you mean '%s'?)", best);
	else
		out[0] = '\0';
}

/* ------------------------------------------------------------------ */
/* Periods                                                              */

int pspec_is_quarter(struct pspec p)
{
	return p.rel == PR_ABS ? p.quarter != 0
	                       : p.rel == PR_THIS_QUARTER || p.rel == PR_LAST_QUARTER;
}

int pspec_resolve(struct pspec p, int year, int quarter, struct rule_period *out)
{
	long y, q; /* q: 0 for a year, else quarters counted from year 0 */

	switch (p.rel) {
	case PR_ABS:
		y = p.year;
		q = p.quarter;
		break;
	case PR_THIS_YEAR:
		y = year;
		q = 0;
		break;
	case PR_LAST_YEAR:
		y = year - 1;
		q = 0;
		break;
	case PR_THIS_QUARTER:
		y = year;
		q = quarter;
		break;
	default:
		y = year;
		q = quarter - 1;
		if (q == 0) {
			y--;
			q = 4;
		}
		break;
	}
	if (q == 0) {
		y += p.offset;
	} else {
		long k = y * 4 + (q - 1) + p.offset;
		y = k >= 0 ? k / 4 : -1;
		q = k >= 0 ? k % 4 + 1 : 1;
	}
	if (y < RULE_YEAR_MIN || y > RULE_YEAR_MAX)
		return -1;
	out->year = (int16_t)y;
	out->quarter = (uint8_t)q;
	return 0;
}

void period_text(struct rule_period p, char *out, size_t n)
{
	if (p.quarter)
		snprintf(out, n, "%dQ%d", p.year, p.quarter);
	else
		snprintf(out, n, "%d", p.year);
}

int period_code(struct rule_period p)
{
	return p.year * 5 + p.quarter;
}

/* The period a node means as an indicator's argument: a year (2024), a
 * quarter (2024Q3), a relative period (last_year), any of them plus or
 * minus a whole number (last_year - 1: years for a year, quarters for a
 * quarter). */
static int period_of(struct checker *c, struct node *n, struct pspec *out, const char *whose)
{
	char text[120];

	n->type = RT_PERIOD;
	switch (n->kind) {
	case N_NUM:
		if (n->is_int && n->num >= RULE_YEAR_MIN && n->num <= RULE_YEAR_MAX) {
			*out = (struct pspec){PR_ABS, 0, (int16_t)n->num, 0};
			return 0;
		}
		break;
	case N_PERIOD:
		if (n->per.year < RULE_YEAR_MIN || n->per.year > RULE_YEAR_MAX)
			return fail_at(c, n, "expected a period of the years %d-%d", RULE_YEAR_MIN,
			               RULE_YEAR_MAX);
		*out = n->per;
		return 0;
	case N_NAME:
		for (int r = PR_THIS_YEAR; r <= PR_LAST_QUARTER && !n->call; r++)
			if (name_is(n, relatives[r])) {
				n->prel = (int16_t)r;
				*out = (struct pspec){(uint8_t)r, 0, 0, 0};
				return 0;
			}
		break;
	case N_ARITH:
		if ((n->op == '+' || n->op == '-') && n->b->kind == N_NUM && n->b->is_int &&
		    n->b->num <= 400) {
			int k = (int)n->b->num * (n->op == '-' ? -1 : 1);
			if (period_of(c, n->a, out, whose))
				return -1;
			n->b->type = RT_NUM;
			if (out->rel == PR_ABS) {
				struct rule_period res;
				out->offset = (int16_t)k;
				if (pspec_resolve(*out, 0, 0, &res))
					return fail_at(c, n, "expected a period of the years %d-%d",
					               RULE_YEAR_MIN, RULE_YEAR_MAX);
				*out = (struct pspec){PR_ABS, res.quarter, res.year, 0};
			} else {
				if (out->offset + k < -400 || out->offset + k > 400)
					return fail_at(
					    c, n, "expected a period at most 400 periods away");
				out->offset = (int16_t)(out->offset + k);
			}
			return 0;
		}
		break;
	default:
		break;
	}
	text_of(c, n, text, sizeof(text));
	return fail_at(
	    c, n,
	    "expected a period (2024, 2024Q3, last_year or last_year - 1) as the argument "
	    "of '%s', found '%s'",
	    whose, text);
}

static int add_ref(struct checker *c, int ind, struct pspec p)
{
	struct rule *r = c->r;

	for (int k = 0; k < r->nrefs; k++)
		if (r->refs[k].ind == ind && memcmp(&r->refs[k].p, &p, sizeof(p)) == 0)
			return k;
	r->refs[r->nrefs].ind = (uint8_t)ind;
	r->refs[r->nrefs].p = p;
	return r->nrefs++;
}

static int add_tag(struct checker *c, const char *s, int len)
{
	struct rule *r = c->r;

	for (int k = 0; k < r->ntags; k++)
		if (r->tags[k].len == len && memcmp(r->tags[k].s, s, (size_t)len) == 0)
			return k;
	r->tags[r->ntags].s = s;
	r->tags[r->ntags].len = len;
	return r->ntags++;
}

/* ------------------------------------------------------------------ */
/* Facts and functions                                                  */

static int indicator_of(const struct node *n)
{
	if (n->kind != N_NAME || n->call)
		return -1;
	for (int s = S_REVENUE; s <= S_LOCALISATION; s++)
		if (name_is(n, rule_schema[s].name))
			return rule_schema[s].ind;
	return -1;
}

static int check_fact_call(struct checker *c, struct node *n, int s)
{
	const struct rule_fact_def *d = &rule_schema[s];
	struct pspec p;
	char text[120];

	if (d->args == RA_PERIOD) {
		if (n->nargs != 1) {
			return fail_at(
			    c, n->nargs ? n->args[1] : n,
			    "expected one period as the argument of '%s', as in %s(2024)", d->name,
			    d->name);
		}
		if (period_of(c, n->args[0], &p, d->name))
			return -1;
		if (s == S_RD_INTENSITY) {
			n->ref = add_ref(c, RI_RD_SPEND, p);
			n->ref2 = add_ref(c, RI_REVENUE, p);
		} else {
			n->ref = add_ref(c, d->ind, p);
		}
		n->per = p;
		return 0;
	}
	/* growth_yoy(indicator, period) */
	if (n->nargs != 2)
		return fail_at(
		    c, n->nargs > 2 ? n->args[2] : n,
		    "expected an indicator and a period as the arguments of 'growth_yoy', as "
		    "in growth_yoy(revenue, 2024)");
	n->ind = (int16_t)indicator_of(n->args[0]);
	if (n->ind < 0) {
		text_of(c, n->args[0], text, sizeof(text));
		return fail_at(c, n->args[0],
		               "expected an indicator (revenue, output, tax, rd_spend, energy, "
		               "localisation) as the first argument of 'growth_yoy', found '%s'",
		               text);
	}
	n->args[0]->type = RT_IND;
	if (period_of(c, n->args[1], &p, d->name))
		return -1;
	n->per = p;
	n->ref = add_ref(c, n->ind, p);
	p.offset = (int16_t)(p.offset - (pspec_is_quarter(p) ? 4 : 1));
	if (p.rel == PR_ABS) {
		struct rule_period res;
		if (pspec_resolve(p, 0, 0, &res))
			return fail_at(c, n->args[1], "expected a period of the years %d-%d",
			               RULE_YEAR_MIN + 1, RULE_YEAR_MAX);
		p = (struct pspec){PR_ABS, res.quarter, res.year, 0};
	}
	n->ref2 = add_ref(c, n->ind, p);
	return 0;
}

static int check_function(struct checker *c, struct node *n, int f)
{
	static const char *const names[] = {"min", "max", "abs", "if"};
	char where[80];

	snprintf(where, sizeof(where), "as an argument of '%s'", names[f]);
	if ((f == FN_MIN || f == FN_MAX) && n->nargs < 2)
		return fail_at(c, n, "expected at least two numbers as the arguments of '%s'",
		               names[f]);
	if (f == FN_ABS && n->nargs != 1)
		return fail_at(c, n, "expected one number as the argument of 'abs'");
	if (f == FN_IF && n->nargs != 3)
		return fail_at(c, n,
		               "expected a condition and two numbers as the arguments of 'if', "
		               "as in if(size = small, 50万, 20万)");
	for (int i = 0; i < n->nargs; i++) {
		if (check(c, n->args[i]))
			return -1;
		n->has_facts |= n->args[i]->has_facts;
		if (f == FN_IF && i == 0) {
			if (need_bool(c, n->args[0]))
				return -1;
		} else if (need_num(c, n->args[i], where)) {
			return -1;
		}
		if (!n->unit && i > (f == FN_IF ? 0 : -1))
			n->unit = n->args[i]->unit;
	}
	n->type = RT_NUM;
	return 0;
}

static int check_name(struct checker *c, struct node *n)
{
	const struct rule_fact_def *d = rule_fact_find(n->str, (size_t)n->slen);
	enum rule_type wt;
	char hint[80];
	int code;

	if (n->call) {
		for (int f = 0; f < 4; f++)
			if (name_is(n, functions[f])) {
				n->func = (int16_t)f;
				return check_function(c, n, f);
			}
		if (d && d->args == RA_NONE)
			return fail_at(c, n,
			               "expected '%s' without parentheses: it takes no arguments",
			               d->name);
		if (d) {
			int s = (int)(d - rule_schema);
			n->fact = (int16_t)s;
			n->type = (uint8_t)d->type;
			n->unit = (uint8_t)d->unit;
			n->has_facts = 1;
			return check_fact_call(c, n, s);
		}
	} else {
		if (d && d->args == RA_NONE) {
			int s = (int)(d - rule_schema);
			n->fact = (int16_t)s;
			n->type = (uint8_t)d->type;
			n->unit = (uint8_t)d->unit;
			n->has_facts = 1;
			c->r->reg |= 1u << schema_reg(s);
			return 0;
		}
		if (d && d->args == RA_IND_PERIOD)
			return fail_after(
			    c, n,
			    "expected '(', an indicator and a period after '%s', as in "
			    "%s(revenue, 2024)",
			    d->name, d->name);
		if (d)
			return fail_after(c, n,
			                  "expected '(' and a period after '%s', as in %s(2024)",
			                  d->name, d->name);
		for (int f = 0; f < 4; f++)
			if (name_is(n, functions[f]))
				return fail_after(c, n, "expected '(' and the arguments of '%s'",
				                  functions[f]);
		for (int r = PR_THIS_YEAR; r <= PR_LAST_QUARTER; r++)
			if (name_is(n, relatives[r])) {
				n->prel = (int16_t)r;
				n->type = RT_PERIOD;
				return 0;
			}
		code = rule_word(n->str, n->slen, &wt);
		if (code >= 0) {
			n->type = RT_WORD;
			n->num = code;
			return 0;
		}
	}
	suggest(n, hint, sizeof(hint));
	return fail_at(c, n,
	               "unknown fact '%.*s'; expected a fact such as size, industry or "
	               "revenue(2024)%s",
	               n->slen, n->str, hint);
}

/* ------------------------------------------------------------------ */
/* Comparisons                                                          */

/* Makes a word node a value of type t, or says what was expected. */
static int resolve_word(struct checker *c, struct node *w, enum rule_type t,
                        const struct node *other)
{
	enum rule_type wt;
	char f[200], o[120];

	if (w->type != RT_WORD)
		return 0;
	rule_word(w->str, w->slen, &wt);
	if (wt == t) {
		w->type = (uint8_t)t;
		return 0;
	}
	found_desc(c, w, f, sizeof(f));
	text_of(c, other, o, sizeof(o));
	return fail_at(c, w, "expected %s to compare with '%s', found %s", type_desc(t), o, f);
}

/*
 * An industry code as the range of class codes it covers: a section
 * letter ("C": divisions 13-43), a division ("38", "C38"), a group
 * ("383") or a class ("3832"), each with or without its section's letter.
 */
static int industry_range(const char *s, int len, double *lo, double *hi, char *why, size_t n)
{
	char letter = 0;
	int digits = 0, v = 0, div;

	if (len > 0 && ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) {
		letter = (char)(s[0] & ~0x20);
		s++;
		len--;
	}
	for (int i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			snprintf(why, n,
			         "it has a character that is not a digit after the section");
			return -1;
		}
		if (++digits > 4)
			break; /* refused below, before v could overflow */
		v = v * 10 + (s[i] - '0');
	}
	if (digits == 0) {
		int first = 0, last = 0;
		if (!letter) {
			snprintf(why, n, "it is empty");
			return -1;
		}
		for (int d = 1; d <= 97; d++)
			if (industry_section(d) == letter) {
				if (!first)
					first = d;
				last = d;
			}
		if (!first) {
			snprintf(why, n, "there is no section %c (A-T)", letter);
			return -1;
		}
		*lo = first * 100;
		*hi = last * 100 + 99;
		return 0;
	}
	if (digits < 2 || digits > 4) {
		snprintf(why, n, "a code has 2, 3 or 4 digits");
		return -1;
	}
	div = digits == 2 ? v : digits == 3 ? v / 10 : v / 100;
	if (!industry_section(div)) {
		snprintf(why, n, "division %02d does not exist (01-97)", div);
		return -1;
	}
	if (letter && industry_section(div) != letter) {
		snprintf(why, n, "division %02d is in section %c, not %c", div,
		         industry_section(div), letter);
		return -1;
	}
	*lo = digits == 2 ? v * 100 : digits == 3 ? v * 10 : v;
	*hi = digits == 2 ? v * 100 + 99 : digits == 3 ? v * 10 + 9 : v;
	return 0;
}

/* The ranges of the industry codes items[0..n) into owner->ranges. */
static int industry_ranges(struct checker *c, struct node *owner, struct node **items, int n)
{
	owner->ranges = ra_alloc(&c->r->arena, sizeof(double) * 2 * (size_t)n);
	if (!owner->ranges)
		return fail_at(c, owner, "out of memory");
	for (int i = 0; i < n; i++) {
		char why[120], f[200];
		if (items[i]->kind != N_STR) {
			found_desc(c, items[i], f, sizeof(f));
			return fail_at(
			    c, items[i],
			    "expected an industry code in quotes such as \"C38\", found %s", f);
		}
		if (industry_range(items[i]->str, items[i]->slen, &owner->ranges[2 * i],
		                   &owner->ranges[2 * i + 1], why, sizeof(why))) {
			char code[100];
			text_of(c, items[i], code, sizeof(code)); /* with its quotes */
			return fail_at(
			    c, items[i],
			    "expected a GB/T 4754-2017 code such as \"C\", \"C38\", \"383\" "
			    "or \"3832\", found %s: %s",
			    code, why);
		}
	}
	owner->nranges = n;
	return 0;
}

static int ordered(enum rule_type t)
{
	return t == RT_NUM || t == RT_SIZE || t == RT_DATE;
}

/* A whole number written out, for clusters and grids. */
static int is_whole_literal(const struct node *n)
{
	return n->kind == N_NUM && n->is_int;
}

static int check_cmp(struct checker *c, struct node *n)
{
	struct node *a = n->a, *b = n->b;
	char f[200], o[120];
	enum rule_type t;

	if (check(c, a) || check(c, b))
		return -1;
	n->has_facts = a->has_facts | b->has_facts;
	n->type = RT_BOOL;
	if (a->type == RT_WORD && b->type == RT_WORD) {
		text_of(c, a, f, sizeof(f));
		text_of(c, b, o, sizeof(o));
		return fail_at(c, a,
		               "expected a fact such as size on one side of the comparison, "
		               "found the words '%s' and '%s'",
		               f, o);
	}
	if (a->type == RT_WORD && resolve_word(c, a, (enum rule_type)b->type, b))
		return -1;
	if (b->type == RT_WORD && resolve_word(c, b, (enum rule_type)a->type, a))
		return -1;
	t = (enum rule_type)a->type;
	if (t == RT_STR && b->type == RT_STR)
		return fail_at(c, a, "expected a fact such as industry to compare with a string");
	if (t == RT_PERIOD || b->type == RT_PERIOD)
		return need_num(c, t == RT_PERIOD ? a : b, "to compare");
	if (t == RT_TAGS) {
		text_of(c, b, o, sizeof(o));
		return fail_at(
		    c, a, "expected \"tag\" in tags: tags is a list, not compared with '%s'", o);
	}
	if (t == RT_STR && b->type == RT_INDUSTRY)
		return fail_at(c, a, "expected the fact first, as in industry = \"C38\"");
	if (t == RT_INDUSTRY) {
		if (n->op != RC_EQ && n->op != RC_NE)
			return fail_at(c, b,
			               "expected = , != or in before an industry code (industries "
			               "are compared by prefix and have no order)");
		return industry_ranges(c, n, &n->b, 1);
	}
	if (t == RT_ID) {
		if (!is_whole_literal(b)) {
			found_desc(c, b, f, sizeof(f));
			text_of(c, a, o, sizeof(o));
			return fail_at(c, b,
			               "expected a whole number written out to compare with '%s', "
			               "found %s",
			               o, f);
		}
		b->type = RT_ID;
	} else if (b->type != t) {
		found_desc(c, b, f, sizeof(f));
		text_of(c, a, o, sizeof(o));
		return fail_at(c, b, "expected %s to compare with '%s', found %s", type_desc(t), o,
		               f);
	}
	if (!ordered(t) && n->op != RC_EQ && n->op != RC_NE) {
		text_of(c, a, o, sizeof(o));
		return fail_at(c, a, "expected = or != with '%s': %s has no order", o,
		               type_desc(t));
	}
	return 0;
}

/* The items of an in-list: values written out, of the type of the fact. */
static int check_in_list(struct checker *c, struct node *n)
{
	struct node *a = n->a;
	enum rule_type t = (enum rule_type)a->type;
	char f[200], o[120];

	text_of(c, a, o, sizeof(o));
	if (t == RT_INDUSTRY)
		return industry_ranges(c, n, n->args, n->nargs);
	if (t != RT_NUM && t != RT_SIZE && t != RT_STAGE && t != RT_STATUS && t != RT_ID &&
	    t != RT_DATE) {
		found_desc(c, a, f, sizeof(f));
		return fail_at(c, a,
		               "expected a fact such as size, stage or industry before 'in (…)', "
		               "found %s",
		               f);
	}
	for (int i = 0; i < n->nargs; i++) {
		struct node *x = n->args[i];
		int ok;
		if (check(c, x))
			return -1;
		if (x->type == RT_WORD && resolve_word(c, x, t, a))
			return -1;
		switch (t) {
		case RT_NUM:
			ok = x->kind == N_NUM || (x->kind == N_NEG && x->a->kind == N_NUM);
			break;
		case RT_ID:
			ok = is_whole_literal(x);
			break;
		case RT_DATE:
			ok = x->kind == N_DATE;
			break;
		default:
			ok = x->type == t && x->kind == N_NAME;
			break;
		}
		if (!ok) {
			found_desc(c, x, f, sizeof(f));
			return fail_at(c, x,
			               "expected %s written out in the list of '%s', found %s",
			               type_desc(t), o, f);
		}
		x->type = (uint8_t)t;
	}
	return 0;
}

static int check_in(struct checker *c, struct node *n)
{
	struct node *a = n->a;
	char f[200];

	if (check(c, a))
		return -1;
	n->type = RT_BOOL;
	n->has_facts = a->has_facts;
	if (n->args)
		return check_in_list(c, n);
	if (check(c, n->b))
		return -1;
	n->has_facts |= n->b->has_facts;
	if (n->b->type != RT_TAGS) {
		found_desc(c, n->b, f, sizeof(f));
		return fail_at(c, n->b,
		               "expected tags or '(' and a list of values after 'in', found %s", f);
	}
	if (a->kind != N_STR) {
		found_desc(c, a, f, sizeof(f));
		return fail_at(c, a, "expected a tag in quotes before 'in tags', found %s", f);
	}
	n->tag = add_tag(c, a->str, a->slen);
	c->r->reg |= 1u << RF_TAGS;
	return 0;
}

static int check_between(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	char f[200], o[120];
	enum rule_type t;

	if (check(c, x) || check(c, n->b) || check(c, n->c))
		return -1;
	n->type = RT_BOOL;
	n->has_facts = x->has_facts | n->b->has_facts | n->c->has_facts;
	t = (enum rule_type)x->type;
	if (!ordered(t)) {
		found_desc(c, x, f, sizeof(f));
		return fail_at(c, x,
		               "expected a number, a size or a date before 'between', found %s", f);
	}
	text_of(c, x, o, sizeof(o));
	for (int i = 0; i < 2; i++) {
		struct node *bound = i ? n->c : n->b;
		if (bound->type == RT_WORD && t == RT_SIZE && resolve_word(c, bound, t, x))
			return -1;
		if (bound->type != t) {
			found_desc(c, bound, f, sizeof(f));
			return fail_at(c, bound, "expected %s as a bound of '%s between', found %s",
			               type_desc(t), o, f);
		}
	}
	return 0;
}

/* The unit of a + b, a * b, a / b: for showing only. */
static int arith_unit(int op, int ua, int ub)
{
	switch (op) {
	case '+':
	case '-':
		return ua ? ua : ub;
	case '*':
		if (ua == RU_RATIO || ua == RU_NONE)
			return ub ? ub : ua;
		return ua;
	default:
		if (ua && ua == ub)
			return RU_RATIO;
		return ua;
	}
}

static int check(struct checker *c, struct node *n)
{
	switch (n->kind) {
	case N_NUM:
		n->type = RT_NUM;
		n->unit = n->lit_unit;
		return 0;
	case N_STR:
		n->type = RT_STR;
		return 0;
	case N_DATE:
		n->type = RT_DATE;
		return 0;
	case N_PERIOD:
		n->type = RT_PERIOD;
		return 0;
	case N_BOOL:
		n->type = RT_BOOL;
		return 0;
	case N_NAME:
		return check_name(c, n);
	case N_NEG:
		if (check(c, n->a) || need_num(c, n->a, "after '-'"))
			return -1;
		n->type = RT_NUM;
		n->unit = n->a->unit;
		n->has_facts = n->a->has_facts;
		return 0;
	case N_ARITH: {
		char where[40];
		snprintf(where, sizeof(where), "on either side of '%c'", n->op);
		if (check(c, n->a) || need_num(c, n->a, where) || check(c, n->b) ||
		    need_num(c, n->b, where))
			return -1;
		n->type = RT_NUM;
		n->unit = (uint8_t)arith_unit(n->op, n->a->unit, n->b->unit);
		n->has_facts = n->a->has_facts | n->b->has_facts;
		return 0;
	}
	case N_NOT:
		if (check(c, n->a) || need_bool(c, n->a))
			return -1;
		n->type = RT_BOOL;
		n->has_facts = n->a->has_facts;
		return 0;
	case N_AND:
	case N_OR:
		if (check(c, n->a) || need_bool(c, n->a) || check(c, n->b) || need_bool(c, n->b))
			return -1;
		n->type = RT_BOOL;
		n->has_facts = n->a->has_facts | n->b->has_facts;
		return 0;
	case N_CMP:
		return check_cmp(c, n);
	case N_IN:
		return check_in(c, n);
	case N_BETWEEN:
		return check_between(c, n);
	}
	return fail_at(c, n, "expected a value");
}

int rule_check(struct rule *r, struct rule_error *err)
{
	struct checker c = {r, err};

	/* At most two references and one tag per node. */
	r->refs = ra_alloc(&r->arena, sizeof(*r->refs) * (size_t)(2 * r->nnodes + 1));
	r->tags = ra_alloc(&r->arena, sizeof(*r->tags) * (size_t)(r->nnodes + 1));
	if (!r->refs || !r->tags)
		return rule_fail(err, 1, 1, "out of memory");
	if (check(&c, r->root))
		return -1;
	if (r->kind == RULE_ELIGIBILITY)
		return need_bool(&c, r->root);
	if (r->root->type != RT_NUM) {
		char f[200];
		found_desc(&c, r->root, f, sizeof(f));
		return fail_at(
		    &c, r->root,
		    "expected an amount (a number or a formula such as min(500万, 10%% * "
		    "rd_spend(last_year))), found %s",
		    f);
	}
	return 0;
}
