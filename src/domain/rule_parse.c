/*
 * The rule language's parser: recursive descent over the grammar of
 * docs/DESIGN.md ("Eligibility rules"), one function per level of
 * precedence, from the loosest:
 *
 *     or  <  and  <  not  <  comparison, in, between  <  + -  <  * /  <  unary -
 *
 * Nodes come from the rule's arena.  Every error names the place and what
 * was expected there, and after what; nothing here knows the facts (the
 * checker does), so `revnue(2024)` parses and is refused later, at the
 * same position.
 */
#include "rule_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int next(struct parser *p)
{
	p->prev_end = p->tok.end;
	p->prev_off = p->tok.off;
	p->prev_line = p->lx.line;
	p->prev_col = p->lx.col;
	return lex_next(&p->lx, &p->tok);
}

/* The token after the current one, without moving. */
static int peek(struct parser *p, struct token *t)
{
	struct lexer save = p->lx;
	int rc = lex_next(&save, t);

	return rc;
}

/* "'>='" or "the end of the rule", for "found …". */
static void found(const struct parser *p, char *out, size_t n)
{
	char q[100];

	if (p->tok.t == T_EOF) {
		snprintf(out, n, "the end of the rule");
		return;
	}
	rule_quote(p->lx.src, p->tok.off, p->tok.end, 24, q, sizeof(q));
	snprintf(out, n, "'%s'", q);
}

/* An error at the current token (after the previous one when the rule
 * ended early, since the end of the text may be lines further down),
 * with ", found …" added. */
static int fail_here(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_here(struct parser *p, const char *fmt, ...)
{
	char what[240], f[110];
	int line = p->tok.line, col = p->tok.col;
	va_list ap;

	if (p->tok.t == T_EOF && p->prev_end > 0) {
		line = p->prev_line;
		col = p->prev_col;
	}
	found(p, f, sizeof(f));
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rule_utf8_trim(what);
	return rule_fail(p->err, line, col, "%s, found %s", what, f);
}

static void span_text(const struct parser *p, int off, int end, char *out, size_t n)
{
	rule_quote(p->lx.src, off, end, 40, out, n);
}

static struct node *mk(struct parser *p, enum nkind k, int off, int line, int col)
{
	struct node *n;

	if (p->nnodes >= RULE_NODES_MAX) {
		rule_fail(p->err, line, col, "expected a rule of at most %d values and operators",
		          RULE_NODES_MAX);
		return NULL;
	}
	n = ra_alloc(p->arena, sizeof(*n));
	if (!n) {
		rule_fail(p->err, line, col, "out of memory");
		return NULL;
	}
	n->kind = (uint8_t)k;
	n->id = p->nnodes++;
	n->off = off;
	n->end = off;
	n->line = line;
	n->col = col;
	n->fact = -1;
	n->func = FN_NONE;
	n->ind = -1;
	n->ref = n->ref2 = n->tag = -1;
	return n;
}

static struct node *mk_tok(struct parser *p, enum nkind k)
{
	struct node *n = mk(p, k, p->tok.off, p->tok.line, p->tok.col);

	if (n)
		n->end = p->tok.end;
	return n;
}

static struct node *mk_pair(struct parser *p, enum nkind k, int op, struct node *a, struct node *b)
{
	struct node *n = mk(p, k, a->off, a->line, a->col);

	if (!n)
		return NULL;
	n->op = (uint8_t)op;
	n->a = a;
	n->b = b;
	n->end = b->end;
	return n;
}

static int deeper(struct parser *p)
{
	if (++p->depth > RULE_DEPTH_MAX) {
		rule_fail(p->err, p->tok.line, p->tok.col,
		          "expected a rule nested at most %d levels deep", RULE_DEPTH_MAX);
		return -1;
	}
	return 0;
}

static struct node *parse_or(struct parser *p);
static struct node *parse_sum(struct parser *p);

/* The arguments of a call or the items of an in-list, after '(' up to and
 * with ')'. */
static int parse_list(struct parser *p, struct node *owner, int conditions, const char *whose)
{
	struct node *items[RULE_ARGS_MAX];
	int n = 0;
	char after[120];

	if (next(p))
		return -1;
	if (p->tok.t == T_RP) {
		if (!conditions) {
			span_text(p, owner->off, p->prev_end, after, sizeof(after));
			return fail_here(p, "expected a value in the list after '%s'", after);
		}
		owner->nargs = 0;
		owner->end = p->tok.end;
		return next(p);
	}
	for (;;) {
		struct node *x = conditions ? parse_or(p) : parse_sum(p);
		if (!x)
			return -1;
		if (n == RULE_ARGS_MAX)
			return rule_fail(p->err, x->line, x->col, "expected at most %d %s",
			                 RULE_ARGS_MAX,
			                 conditions ? "arguments" : "values in the list");
		items[n++] = x;
		if (p->tok.t == T_COMMA) {
			if (next(p))
				return -1;
			continue;
		}
		if (p->tok.t == T_RP)
			break;
		span_text(p, x->off, x->end, after, sizeof(after));
		return fail_here(p, "expected ',' or ')' after '%s' in %s", after, whose);
	}
	owner->args = ra_alloc(p->arena, sizeof(*owner->args) * (size_t)n);
	if (!owner->args)
		return rule_fail(p->err, owner->line, owner->col, "out of memory");
	memcpy(owner->args, items, sizeof(*items) * (size_t)n);
	owner->nargs = n;
	owner->end = p->tok.end;
	return next(p);
}

static struct node *parse_primary(struct parser *p)
{
	struct node *n;
	char after[120];

	switch (p->tok.t) {
	case T_NUM:
		if (!(n = mk_tok(p, N_NUM)))
			return NULL;
		n->num = p->tok.num;
		n->is_int = (uint8_t)p->tok.is_int;
		n->lit_unit = (uint8_t)p->tok.unit;
		break;
	case T_STR:
		if (!(n = mk_tok(p, N_STR)))
			return NULL;
		n->str = p->tok.s;
		n->slen = p->tok.slen;
		break;
	case T_DATE:
		if (!(n = mk_tok(p, N_DATE)))
			return NULL;
		n->num = p->tok.num;
		break;
	case T_PERIOD:
		if (!(n = mk_tok(p, N_PERIOD)))
			return NULL;
		n->per.rel = PR_ABS;
		n->per.year = (int16_t)p->tok.year;
		n->per.quarter = (uint8_t)p->tok.quarter;
		break;
	case T_TRUE:
	case T_FALSE:
		if (!(n = mk_tok(p, N_BOOL)))
			return NULL;
		n->num = p->tok.t == T_TRUE;
		break;
	case T_NAME: {
		char whose[80];
		if (!(n = mk_tok(p, N_NAME)))
			return NULL;
		n->str = p->tok.s;
		n->slen = p->tok.slen;
		if (next(p))
			return NULL;
		if (p->tok.t != T_LP)
			return n;
		if (deeper(p))
			return NULL;
		snprintf(whose, sizeof(whose), "the arguments of '%.*s'", n->slen, n->str);
		n->call = 1;
		if (parse_list(p, n, 1, whose))
			return NULL;
		p->depth--;
		return n;
	}
	case T_LP: {
		int off = p->tok.off, line = p->tok.line, col = p->tok.col;
		char where[80];
		if (deeper(p) || next(p))
			return NULL;
		if (!(n = parse_or(p)))
			return NULL;
		if (p->tok.t != T_RP) {
			span_text(p, n->off, n->end, after, sizeof(after));
			snprintf(where, sizeof(where), "line %d, column %d", line, col);
			return fail_here(p, "expected ')' after '%s' to close the '(' of %s", after,
			                 where),
			       NULL;
		}
		p->depth--;
		/* The parentheses belong to the span: "after '(a or b)'". */
		n->off = off;
		n->line = line;
		n->col = col;
		n->end = p->tok.end;
		break;
	}
	default:
		if (p->prev_end == 0 && p->tok.t == T_EOF)
			return rule_fail(
			           p->err, 1, 1,
			           "expected a condition such as size = small, found an empty "
			           "rule"),
			       NULL;
		if (p->prev_end == 0)
			return fail_here(p, "expected a condition such as size = small"), NULL;
		span_text(p, p->prev_off, p->prev_end, after, sizeof(after));
		return fail_here(p,
		                 "expected a value (a number, a fact such as revenue(2024), a "
		                 "string or '(') after '%s'",
		                 after),
		       NULL;
	}
	if (next(p))
		return NULL;
	return n;
}

static struct node *parse_unary(struct parser *p)
{
	if (p->tok.t == T_MINUS) {
		struct node *n = mk_tok(p, N_NEG), *x;
		if (!n || deeper(p) || next(p))
			return NULL;
		if (!(x = parse_unary(p)))
			return NULL;
		p->depth--;
		n->a = x;
		n->end = x->end;
		return n;
	}
	return parse_primary(p);
}

static struct node *parse_product(struct parser *p)
{
	struct node *a = parse_unary(p);

	while (a && (p->tok.t == T_STAR || p->tok.t == T_SLASH)) {
		int op = p->tok.t == T_STAR ? '*' : '/';
		struct node *b;
		if (next(p) || !(b = parse_unary(p)))
			return NULL;
		a = mk_pair(p, N_ARITH, op, a, b);
	}
	return a;
}

static struct node *parse_sum(struct parser *p)
{
	struct node *a = parse_product(p);

	while (a && (p->tok.t == T_PLUS || p->tok.t == T_MINUS)) {
		int op = p->tok.t == T_PLUS ? '+' : '-';
		struct node *b;
		if (next(p) || !(b = parse_product(p)))
			return NULL;
		a = mk_pair(p, N_ARITH, op, a, b);
	}
	return a;
}

static int cmp_of(enum tok t)
{
	switch (t) {
	case T_LT:
		return RC_LT;
	case T_LE:
		return RC_LE;
	case T_GT:
		return RC_GT;
	case T_GE:
		return RC_GE;
	case T_EQ:
		return RC_EQ;
	case T_NE:
		return RC_NE;
	default:
		return -1;
	}
}

static struct node *parse_cmp(struct parser *p)
{
	struct node *a = parse_sum(p), *n;
	int negated = 0, op;
	char after[120];

	if (!a)
		return NULL;
	op = cmp_of(p->tok.t);
	if (op >= 0) {
		struct node *b;
		if (next(p) || !(b = parse_sum(p)))
			return NULL;
		return mk_pair(p, N_CMP, op, a, b);
	}
	if (p->tok.t == T_NOT) {
		struct token t;
		if (peek(p, &t))
			return NULL;
		if (t.t != T_IN && t.t != T_BETWEEN) {
			span_text(p, a->off, a->end, after, sizeof(after));
			if (next(p))
				return NULL;
			return fail_here(p, "expected 'in' or 'between' after '%s not'", after),
			       NULL;
		}
		negated = 1;
		if (next(p))
			return NULL;
	}
	if (p->tok.t == T_IN) {
		if (!(n = mk(p, N_IN, a->off, a->line, a->col)))
			return NULL;
		n->a = a;
		n->negated = (uint8_t)negated;
		if (p->tok.t == T_IN && next(p))
			return NULL;
		if (p->tok.t == T_LP) {
			if (deeper(p))
				return NULL;
			span_text(p, a->off, p->prev_end, after, sizeof(after));
			{
				char whose[160];
				snprintf(whose, sizeof(whose), "the list of '%s'", after);
				if (parse_list(p, n, 0, whose))
					return NULL;
			}
			p->depth--;
			return n;
		}
		if (!(n->b = parse_sum(p)))
			return NULL;
		n->end = n->b->end;
		return n;
	}
	if (p->tok.t == T_BETWEEN) {
		if (!(n = mk(p, N_BETWEEN, a->off, a->line, a->col)))
			return NULL;
		n->a = a;
		n->negated = (uint8_t)negated;
		if (next(p) || !(n->b = parse_sum(p)))
			return NULL;
		if (p->tok.t != T_AND) {
			span_text(p, a->off, n->b->end, after, sizeof(after));
			return fail_here(p, "expected 'and' after '%s'", after), NULL;
		}
		if (next(p) || !(n->c = parse_sum(p)))
			return NULL;
		n->end = n->c->end;
		return n;
	}
	return a;
}

static struct node *parse_not(struct parser *p)
{
	if (p->tok.t == T_NOT) {
		struct node *n = mk_tok(p, N_NOT), *x;
		if (!n || deeper(p) || next(p))
			return NULL;
		if (!(x = parse_not(p)))
			return NULL;
		p->depth--;
		n->a = x;
		n->end = x->end;
		return n;
	}
	return parse_cmp(p);
}

static struct node *parse_and(struct parser *p)
{
	struct node *a = parse_not(p);

	while (a && p->tok.t == T_AND) {
		struct node *b;
		if (next(p) || !(b = parse_not(p)))
			return NULL;
		a = mk_pair(p, N_AND, 0, a, b);
	}
	return a;
}

static struct node *parse_or(struct parser *p)
{
	struct node *a = parse_and(p);

	while (a && p->tok.t == T_OR) {
		struct node *b;
		if (next(p) || !(b = parse_and(p)))
			return NULL;
		a = mk_pair(p, N_OR, 0, a, b);
	}
	return a;
}

struct node *rule_parse(const char *src, int len, struct ra *arena, struct rule_error *err,
                        int *nnodes)
{
	struct parser p;
	struct node *root;
	char after[120];

	memset(&p, 0, sizeof(p));
	p.arena = arena;
	p.err = err;
	lex_init(&p.lx, src, len, arena, err);
	if (lex_next(&p.lx, &p.tok))
		return NULL;
	if (!(root = parse_or(&p)))
		return NULL;
	if (p.tok.t != T_EOF) {
		span_text(&p, root->off, root->end, after, sizeof(after));
		if (p.tok.t == T_RP)
			return fail_here(&p,
			                 "expected 'and', 'or' or the end of the rule after '%s', "
			                 "not a ')' without its '('",
			                 after),
			       NULL;
		if (cmp_of(p.tok.t) >= 0 || p.tok.t == T_IN || p.tok.t == T_BETWEEN)
			return fail_here(&p,
			                 "expected 'and', 'or' or the end of the rule after '%s' "
			                 "(comparisons do not chain)",
			                 after),
			       NULL;
		return fail_here(
		           &p,
		           "expected an operator, 'and', 'or' or the end of the rule after '%s'",
		           after),
		       NULL;
	}
	*nnodes = p.nnodes;
	return root;
}
