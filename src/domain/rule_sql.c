/*
 * A rule as an SQL expression over the flat facts table (rule.h), for the
 * property test that holds the evaluator to SQL's three-valued logic and
 * for the benchmark that compares the two.  It builds text with numbered
 * parameters and runs nothing.
 *
 * SQL already is three-valued the way rules are: NULL is unknown, AND,
 * OR and NOT are Kleene's, a comparison or arithmetic with NULL is NULL,
 * SQLite's x / 0 is NULL and its min() and max() of several arguments
 * are NULL when one is.  So the translation is word for word; only
 * industry prefixes, tags and if() are spelt out.  No part of a rule is
 * written twice (but a benefit, checked for a negative amount), so the
 * text grows with the rule, never with its nesting.
 */
#include "rule_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"

struct sqlgen {
	const struct rule *r;
	int year, quarter;
	struct buf *b;
	struct rule_sql *q;
	int cap, failed;
};

static int param(struct sqlgen *g, double v, const char *text, int len)
{
	struct rule_sql_param *p;

	if (g->q->nparams == g->cap) {
		int cap = g->cap ? g->cap * 2 : 16;
		p = realloc(g->q->params, sizeof(*p) * (size_t)cap);
		if (!p) {
			g->failed = 1;
			return 1;
		}
		g->q->params = p;
		g->cap = cap;
	}
	p = &g->q->params[g->q->nparams];
	memset(p, 0, sizeof(*p));
	if (text) {
		/* Tags are stored between unit separators, so a whole tag is
		 * found and never a part of one. */
		p->is_text = 1;
		snprintf(p->text, sizeof(p->text), "\x1f%.*s\x1f", len, text);
	} else {
		p->num = v;
	}
	return ++g->q->nparams;
}

static void num(struct sqlgen *g, double v)
{
	buf_printf(g->b, "?%d", param(g, v, NULL, 0));
}

void rule_sql_column(const struct rule_slot *s, char *out, size_t n)
{
	if (s->p.quarter)
		snprintf(out, n, "%s_%dq%d", rule_ind_name((enum rule_ind)s->ind), s->p.year,
		         s->p.quarter);
	else
		snprintf(out, n, "%s_%d", rule_ind_name((enum rule_ind)s->ind), s->p.year);
}

static void ref_column(struct sqlgen *g, int ref)
{
	struct rule_slot s;
	char col[64];

	s.ind = g->r->refs[ref].ind;
	if (pspec_resolve(g->r->refs[ref].p, g->year, g->quarter, &s.p)) {
		g->failed = 1;
		return;
	}
	rule_sql_column(&s, col, sizeof(col));
	buf_adds(g->b, col);
}

static void sql(struct sqlgen *g, const struct node *n);
static void chain(struct sqlgen *g, const struct node *n);

static void sql_name(struct sqlgen *g, const struct node *n)
{
	switch (n->func) {
	case FN_MIN:
	case FN_MAX:
		buf_adds(g->b, n->func == FN_MIN ? "min(" : "max(");
		for (int i = 0; i < n->nargs; i++) {
			if (i)
				buf_adds(g->b, ", ");
			sql(g, n->args[i]);
		}
		buf_addc(g->b, ')');
		return;
	case FN_ABS:
		buf_adds(g->b, "abs(");
		sql(g, n->args[0]);
		buf_addc(g->b, ')');
		return;
	case FN_IF:
		/* The condition once (nested ifs would double the text at each
		 * level), and neither branch when it is NULL. */
		buf_adds(g->b, "(CASE ");
		sql(g, n->args[0]);
		buf_adds(g->b, " WHEN 1 THEN ");
		sql(g, n->args[1]);
		buf_adds(g->b, " WHEN 0 THEN ");
		sql(g, n->args[2]);
		buf_adds(g->b, " END)");
		return;
	default:
		break;
	}
	if (n->fact < 0) {
		num(g, n->num);
		return;
	}
	switch (n->fact) {
	case S_RD_INTENSITY:
		buf_addc(g->b, '(');
		ref_column(g, n->ref);
		buf_adds(g->b, " / ");
		ref_column(g, n->ref2);
		buf_addc(g->b, ')');
		return;
	case S_GROWTH_YOY:
		buf_adds(g->b, "((");
		ref_column(g, n->ref);
		buf_adds(g->b, " - ");
		ref_column(g, n->ref2);
		buf_adds(g->b, ") / abs(");
		ref_column(g, n->ref2);
		buf_adds(g->b, "))");
		return;
	default:
		if (rule_schema[n->fact].args == RA_NONE)
			buf_adds(g->b, rule_schema[n->fact].name);
		else
			ref_column(g, n->ref);
		return;
	}
}

static void ranges(struct sqlgen *g, const struct node *x, const struct node *n)
{
	buf_addc(g->b, '(');
	for (int i = 0; i < n->nranges; i++) {
		if (i)
			buf_adds(g->b, " OR ");
		buf_addc(g->b, '(');
		sql(g, x);
		buf_adds(g->b, " >= ");
		num(g, n->ranges[2 * i]);
		buf_adds(g->b, " AND ");
		sql(g, x);
		buf_adds(g->b, " <= ");
		num(g, n->ranges[2 * i + 1]);
		buf_addc(g->b, ')');
	}
	buf_addc(g->b, ')');
}

/* Operators that group from the left in the rule and in SQL alike: a
 * chain of them is written without the parentheses of its left side,
 * "(a OR b OR c)", "(a - b + c)", which SQL groups as the rule did.
 * SQLite's parser takes only so many open parentheses (about a hundred
 * in 3.40), and a measure listing a hundred grids would need as many. */
static int same_group(const struct node *left, const struct node *n)
{
	if (left->kind != n->kind)
		return 0;
	if (n->kind != N_ARITH)
		return 1;
	return (left->op == '+' || left->op == '-') == (n->op == '+' || n->op == '-');
}

static void chain(struct sqlgen *g, const struct node *n)
{
	if (same_group(n->a, n))
		chain(g, n->a);
	else
		sql(g, n->a);
	if (n->kind == N_ARITH)
		buf_printf(g->b, " %c ", n->op);
	else
		buf_adds(g->b, n->kind == N_AND ? " AND " : " OR ");
	sql(g, n->b);
}

static void sql(struct sqlgen *g, const struct node *n)
{
	static const char *const cmp[] = {" < ", " <= ", " > ", " >= ", " = ", " <> "};

	switch (n->kind) {
	case N_NUM:
	case N_DATE:
	case N_BOOL:
		num(g, n->num);
		return;
	case N_NAME:
		sql_name(g, n);
		return;
	case N_NEG:
		buf_adds(g->b, "(- ");
		sql(g, n->a);
		buf_addc(g->b, ')');
		return;
	case N_ARITH:
	case N_AND:
	case N_OR:
		buf_addc(g->b, '(');
		chain(g, n);
		buf_addc(g->b, ')');
		return;
	case N_NOT:
		buf_adds(g->b, "(NOT ");
		sql(g, n->a);
		buf_addc(g->b, ')');
		return;
	case N_CMP:
		if (n->nranges) {
			if (n->op == RC_NE)
				buf_adds(g->b, "(NOT ");
			ranges(g, n->a, n);
			if (n->op == RC_NE)
				buf_addc(g->b, ')');
			return;
		}
		buf_addc(g->b, '(');
		sql(g, n->a);
		buf_adds(g->b, cmp[n->op]);
		sql(g, n->b);
		buf_addc(g->b, ')');
		return;
	case N_IN:
		if (n->negated)
			buf_adds(g->b, "(NOT ");
		if (n->b) {
			buf_printf(g->b, "(instr(tags, ?%d) > 0)",
			           param(g, 0, n->a->str, n->a->slen));
		} else if (n->nranges) {
			ranges(g, n->a, n);
		} else {
			buf_addc(g->b, '(');
			sql(g, n->a);
			buf_adds(g->b, " IN (");
			for (int i = 0; i < n->nargs; i++) {
				if (i)
					buf_adds(g->b, ", ");
				sql(g, n->args[i]);
			}
			buf_adds(g->b, "))");
		}
		if (n->negated)
			buf_addc(g->b, ')');
		return;
	case N_BETWEEN:
		/* x once: SQL's between is x >= lo and x <= hi, three-valued. */
		buf_adds(g->b, n->negated ? "(NOT (" : "(");
		sql(g, n->a);
		buf_adds(g->b, " BETWEEN ");
		sql(g, n->b);
		buf_adds(g->b, " AND ");
		sql(g, n->c);
		buf_adds(g->b, n->negated ? "))" : ")");
		return;
	default:
		g->failed = 1;
		return;
	}
}

int rule_sql(const struct rule *r, const struct rule_ctx *ctx, struct rule_sql *out)
{
	struct buf b = BUF_INIT;
	struct sqlgen g;
	int ymd = rule_ymd(ctx->as_of);

	memset(out, 0, sizeof(*out));
	if (ymd < 0)
		return -1;
	memset(&g, 0, sizeof(g));
	g.r = r;
	g.year = ymd / 10000;
	g.quarter = (ymd / 100 % 100 - 1) / 3 + 1;
	g.b = &b;
	g.q = out;
	if (r->kind == RULE_BENEFIT) {
		/* A negative amount is unknown. */
		buf_adds(&b, "(CASE WHEN ");
		sql(&g, r->root);
		buf_adds(&b, " >= 0 THEN ");
		sql(&g, r->root);
		buf_adds(&b, " END)");
	} else {
		sql(&g, r->root);
	}
	if (g.failed || b.failed) {
		buf_release(&b);
		rule_sql_release(out);
		return -1;
	}
	out->text = buf_detach(&b, NULL);
	return out->text ? 0 : -1;
}

void rule_sql_release(struct rule_sql *q)
{
	free(q->text);
	free(q->params);
	memset(q, 0, sizeof(*q));
}

void rule_sql_create_table(struct buf *b, const char *table, const struct rule_slot *slots, int n)
{
	buf_printf(b,
	           "CREATE TABLE %s(id INTEGER PRIMARY KEY, size INTEGER, size_derived INTEGER, "
	           "industry INTEGER, employees REAL, age REAL, founded INTEGER, status INTEGER, "
	           "stage INTEGER, cluster INTEGER, grid INTEGER, in_park INTEGER, "
	           "makes_gap_node INTEGER, tags TEXT NOT NULL DEFAULT ''",
	           table);
	for (int i = 0; i < n; i++) {
		char col[64];
		rule_sql_column(&slots[i], col, sizeof(col));
		buf_printf(b, ", %s REAL", col);
	}
	buf_adds(b, ")");
}
