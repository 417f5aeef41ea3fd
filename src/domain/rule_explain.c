/*
 * Explanations: the answer of rule_eval() with its reasons, for the
 * answers people read ("policies for you", a measure's eligible list, the
 * questions for a grid worker's next visit).
 *
 * The tree is walked rather than the code run, and walked whole (no
 * short cut), so that every criterion has its value and the facts it
 * read.  The arithmetic is the machine's, operation for operation on the
 * same frame, so the values and the answer are the same doubles and the
 * same outcome; the property test holds both to it.
 */
#include "rule_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ex {
	const struct rule_set *s;
	const struct set_rule *sr;
	const struct rule *r;
	const struct rule_frame *fr;
	struct rule_explanation *out;
	double *val; /* by node id */
	int *conj_crit;
	struct rule_criterion *cur;  /* the criterion being read into */
	struct rule_criterion spare; /* for those beyond RULE_EXPLAIN_MAX */
};

static double frame_ref(const struct ex *x, int ref)
{
	return x->fr->v[x->sr->slotmap[ref]];
}

/* The name of ref as read at the set's moment: "rd_spend(2024)". */
static void ref_name(const struct ex *x, int ref, char *out, size_t n)
{
	const struct rule_slot *sl = &x->s->slots[x->sr->slotmap[ref] - RF_NREG];
	char p[16];

	period_text(sl->p, p, sizeof(p));
	snprintf(out, n, "%s(%s)", rule_ind_name((enum rule_ind)sl->ind), p);
}

static void add_read(struct ex *x, const char *name, double v, enum rule_type t, enum rule_unit u)
{
	struct rule_criterion *c = x->cur;
	struct rule_read *rd;

	if (!c)
		return;
	for (int i = 0; i < c->nreads; i++)
		if (strcmp(c->reads[i].name, name) == 0)
			return;
	if (c->nreads == RULE_READS_MAX)
		return;
	rd = &c->reads[c->nreads++];
	snprintf(rd->name, sizeof(rd->name), "%s", name);
	rd->known = !isnan(v);
	rd->value = v;
	rule_value_text(v, t, u, rd->text, sizeof(rd->text));
}

static void read_ref(struct ex *x, int ref, enum rule_unit u)
{
	char name[40];

	ref_name(x, ref, name, sizeof(name));
	add_read(x, name, frame_ref(x, ref), RT_NUM, u);
}

static void set_reason(struct ex *x, const struct node *n, const char *what)
{
	char text[170];
	char *reason = x->cur ? x->cur->reason : x->out->reason;

	if (reason[0])
		return;
	rule_quote(x->r->src, n->off, n->end, 60, text, sizeof(text));
	snprintf(reason, 200, "%s in '%s'", what, text);
	rule_utf8_trim(reason);
}

static double divide(struct ex *x, const struct node *n, double a, double b)
{
	if (b == 0) {
		set_reason(x, n, "division by zero");
		return NAN;
	}
	return a / b;
}

static double ev(struct ex *x, const struct node *n);

static int is_leaf(const struct node *n)
{
	return n->type == RT_BOOL && n->kind != N_AND && n->kind != N_OR && n->kind != N_NOT &&
	       !(n->kind == N_NAME && n->func == FN_IF);
}

static int conj_index(const struct ex *x, const struct node *n)
{
	for (int i = 0; i < x->r->nconj; i++)
		if (x->r->conj[i] == n)
			return i;
	return -1;
}

static enum rule_cmp flip(enum rule_cmp op)
{
	switch (op) {
	case RC_LT:
		return RC_GT;
	case RC_LE:
		return RC_GE;
	case RC_GT:
		return RC_LT;
	case RC_GE:
		return RC_LE;
	default:
		return op;
	}
}

/* Label of the have side of a comparison: the fact's own words with
 * its period, else the text as written. */
static void label(struct ex *x, const struct node *h, struct rule_criterion *c)
{
	if (h->kind == N_NAME && h->fact >= 0) {
		const struct rule_fact_def *d = &rule_schema[h->fact];
		if (d->args == RA_NONE) {
			snprintf(c->label_en, sizeof(c->label_en), "%s", d->label_en);
			snprintf(c->label_zh, sizeof(c->label_zh), "%s", d->label_zh);
		} else {
			const struct rule_slot *sl = &x->s->slots[x->sr->slotmap[h->ref] - RF_NREG];
			char p[16];
			period_text(sl->p, p, sizeof(p));
			if (h->fact == S_GROWTH_YOY) {
				const struct rule_fact_def *ind = &rule_schema[S_REVENUE + h->ind];
				snprintf(c->label_en, sizeof(c->label_en),
				         "%s growth year on year (%s)", ind->label_en, p);
				snprintf(c->label_zh, sizeof(c->label_zh), "%s同比增长（%s）",
				         ind->label_zh, p);
			} else {
				snprintf(c->label_en, sizeof(c->label_en), "%s (%s)", d->label_en,
				         p);
				snprintf(c->label_zh, sizeof(c->label_zh), "%s（%s）", d->label_zh,
				         p);
			}
		}
		return;
	}
	rule_quote(x->r->src, h->off, h->end, 30, c->label_en, sizeof(c->label_en));
	snprintf(c->label_zh, sizeof(c->label_zh), "%s", c->label_en);
}

/* What a numeric comparison has, needs, and misses by. */
static void gap(struct ex *x, const struct node *n, struct rule_criterion *c)
{
	const struct node *h, *need;
	double hv, nv;

	if (n->kind == N_CMP && n->op <= RC_GE && n->a->type == RT_NUM && !n->nranges) {
		int left = rule_near_kind(n) == NEAR_LEFT;
		h = left ? n->b : n->a;
		need = left ? n->a : n->b;
		hv = x->val[h->id];
		nv = x->val[need->id];
		c->op = left ? flip((enum rule_cmp)n->op) : (enum rule_cmp)n->op;
	} else if (n->kind == N_BETWEEN && !n->negated && n->a->type == RT_NUM) {
		double lo = x->val[n->b->id], hi = x->val[n->c->id];
		h = n->a;
		hv = x->val[h->id];
		if (hv > hi) {
			need = n->c;
			nv = hi;
			c->op = RC_LE;
		} else {
			need = n->b;
			nv = lo;
			c->op = RC_GE;
		}
	} else {
		return;
	}
	if (isnan(hv) || isnan(nv))
		return;
	c->has_gap = 1;
	c->have = hv;
	c->need = nv;
	c->unit = (enum rule_unit)(h->unit ? h->unit : need->unit);
	c->gap = c->value == RULE_TRUE ? 0 : nv != 0 ? fabs(hv - nv) / fabs(nv) : INFINITY;
	label(x, h, c);
}

static double ev_name(struct ex *x, const struct node *n)
{
	double a, b;

	switch (n->func) {
	case FN_MIN:
	case FN_MAX: {
		double m = ev(x, n->args[0]);
		for (int i = 1; i < n->nargs; i++) {
			double v = ev(x, n->args[i]);
			if (isnan(v) || isnan(m))
				m = NAN;
			else if (n->func == FN_MIN ? v <= m : v >= m)
				m = v;
		}
		return m;
	}
	case FN_ABS:
		return fabs(ev(x, n->args[0]));
	case FN_IF: {
		double c = ev(x, n->args[0]), t = ev(x, n->args[1]), e = ev(x, n->args[2]);
		return isnan(c) ? NAN : c != 0 ? t : e;
	}
	default:
		break;
	}
	if (n->fact < 0)
		return n->num; /* a word */
	switch (n->fact) {
	case S_RD_INTENSITY:
		read_ref(x, n->ref, RU_MONEY);
		read_ref(x, n->ref2, RU_MONEY);
		return divide(x, n, frame_ref(x, n->ref), frame_ref(x, n->ref2));
	case S_GROWTH_YOY:
		a = frame_ref(x, n->ref);
		b = frame_ref(x, n->ref2);
		read_ref(x, n->ref, rule_schema[S_REVENUE + n->ind].unit);
		read_ref(x, n->ref2, rule_schema[S_REVENUE + n->ind].unit);
		return divide(x, n, a - b, fabs(b));
	default:
		break;
	}
	if (rule_schema[n->fact].args != RA_NONE) {
		read_ref(x, n->ref, rule_schema[n->fact].unit);
		return frame_ref(x, n->ref);
	}
	a = x->fr->v[schema_reg(n->fact)];
	add_read(x, rule_schema[n->fact].name, a, rule_schema[n->fact].type,
	         rule_schema[n->fact].unit);
	return a;
}

static double tri(double a, double b, int v)
{
	return isnan(a) || isnan(b) ? NAN : (double)v;
}

static double kleene_and(double a, double b)
{
	return a == 0 || b == 0 ? 0 : isnan(a) || isnan(b) ? NAN : 1;
}

static double ev_node(struct ex *x, const struct node *n)
{
	double a, b, c;

	switch (n->kind) {
	case N_NUM:
	case N_DATE:
	case N_BOOL:
		return n->num;
	case N_NAME:
		return ev_name(x, n);
	case N_NEG:
		return -ev(x, n->a);
	case N_ARITH:
		a = ev(x, n->a);
		b = ev(x, n->b);
		switch (n->op) {
		case '+':
			return a + b;
		case '-':
			return a - b;
		case '*':
			return a * b;
		default:
			return divide(x, n, a, b);
		}
	case N_NOT:
		a = ev(x, n->a);
		return isnan(a) ? a : a == 0;
	case N_AND:
		return kleene_and(ev(x, n->a), ev(x, n->b));
	case N_OR:
		a = ev(x, n->a);
		b = ev(x, n->b);
		return a == 1 || b == 1 ? 1 : isnan(a) || isnan(b) ? NAN : 0;
	case N_CMP:
		a = ev(x, n->a);
		if (n->nranges) {
			c = isnan(a) ? NAN : 0;
			for (int i = 0; i < n->nranges && !isnan(a); i++)
				if (a >= n->ranges[2 * i] && a <= n->ranges[2 * i + 1])
					c = 1;
			return n->op == RC_NE && !isnan(c) ? c == 0 : c;
		}
		b = ev(x, n->b);
		switch (n->op) {
		case RC_LT:
			return tri(a, b, a < b);
		case RC_LE:
			return tri(a, b, a <= b);
		case RC_GT:
			return tri(a, b, a > b);
		case RC_GE:
			return tri(a, b, a >= b);
		case RC_EQ:
			return tri(a, b, a == b);
		default:
			return tri(a, b, a != b);
		}
	case N_IN:
		if (n->b) {
			int has = x->fr->tag[x->sr->tagmap[n->tag]];
			if (x->cur && x->cur->nreads < RULE_READS_MAX) {
				struct rule_read *rd = &x->cur->reads[x->cur->nreads++];
				snprintf(rd->name, sizeof(rd->name), "tags");
				rd->known = 1;
				rd->value = has;
				snprintf(rd->text, sizeof(rd->text), "%s \"%.*s\"",
				         has ? "include" : "do not include", n->a->slen, n->a->str);
			}
			c = has;
		} else {
			a = ev(x, n->a);
			c = isnan(a) ? NAN : 0;
			if (n->nranges) {
				for (int i = 0; i < n->nranges && !isnan(a); i++)
					if (a >= n->ranges[2 * i] && a <= n->ranges[2 * i + 1])
						c = 1;
			} else {
				for (int i = 0; i < n->nargs; i++) {
					double item = ev(x, n->args[i]);
					if (!isnan(a) && a == item)
						c = 1;
				}
			}
		}
		return n->negated && !isnan(c) ? c == 0 : c;
	case N_BETWEEN:
		a = ev(x, n->a);
		b = ev(x, n->b);
		c = ev(x, n->c);
		c = kleene_and(tri(a, b, a >= b), tri(a, c, a <= c));
		return n->negated && !isnan(c) ? c == 0 : c;
	}
	return NAN;
}

static enum rule_outcome outcome_of(double v)
{
	return isnan(v) ? RULE_UNKNOWN : v != 0 ? RULE_TRUE : RULE_FALSE;
}

static double ev(struct ex *x, const struct node *n)
{
	struct rule_criterion *c = NULL;
	double v;

	if (!x->cur && (is_leaf(n) || (x->r->kind == RULE_BENEFIT && n == x->r->root))) {
		struct rule_explanation *o = x->out;
		int k = conj_index(x, n);
		if (o->ncrit < RULE_EXPLAIN_MAX) {
			if (k >= 0)
				x->conj_crit[k] = o->ncrit;
			c = &o->crit[o->ncrit++];
		} else {
			o->truncated = 1;
			c = &x->spare;
		}
		memset(c, 0, sizeof(*c));
		c->line = n->line;
		c->column = n->col;
		rule_quote(x->r->src, n->off, n->end, 60, c->text, sizeof(c->text));
		c->top = k >= 0;
		x->cur = c;
	}
	v = ev_node(x, n);
	x->val[n->id] = v;
	if (c) {
		if (x->r->kind == RULE_BENEFIT && n == x->r->root)
			c->value = isnan(v) ? RULE_UNKNOWN : RULE_TRUE;
		else
			c->value = outcome_of(v);
		gap(x, n, c);
		x->cur = NULL;
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* What is missing                                                      */

static void add_missing(struct rule_explanation *o, const char *name)
{
	for (int i = 0; i < o->nmissing; i++)
		if (strcmp(o->missing[i], name) == 0)
			return;
	if (o->nmissing < RULE_MISSING_MAX)
		snprintf(o->missing[o->nmissing++], sizeof(o->missing[0]), "%s", name);
}

/* Every fact under n that the enterprise lacks, named as a grid worker
 * would collect it: age and size_derived by what they come from. */
static void missing_under(struct ex *x, const struct node *n)
{
	char name[40];

	if (!n)
		return;
	if (n->kind == N_NAME && n->fact >= 0) {
		if (rule_schema[n->fact].args == RA_NONE) {
			int reg = schema_reg(n->fact);
			if (reg == RF_TAGS || !isnan(x->fr->v[reg]))
				return;
			if (reg == RF_AGE) {
				add_missing(x->out, "founded");
			} else if (reg == RF_SIZE_DERIVED) {
				if (!x->fr->der.year) {
					snprintf(name, sizeof(name), "revenue(%d)", x->s->year - 1);
					add_missing(x->out, name);
				} else {
					add_missing(x->out, "employees");
				}
			} else {
				add_missing(x->out, rule_schema[n->fact].name);
			}
			return;
		}
		if (isnan(frame_ref(x, n->ref))) {
			ref_name(x, n->ref, name, sizeof(name));
			add_missing(x->out, name);
		}
		if (n->ref2 >= 0 && isnan(frame_ref(x, n->ref2))) {
			ref_name(x, n->ref2, name, sizeof(name));
			add_missing(x->out, name);
		}
		return;
	}
	missing_under(x, n->a);
	missing_under(x, n->b);
	missing_under(x, n->c);
	if (n->kind == N_NAME || n->kind == N_IN)
		for (int i = 0; i < n->nargs; i++)
			missing_under(x, n->args[i]);
}

/* Down the unknown paths only: a part already decided (false in an
 * "and", true in an "or") does not need the facts of its neighbours. */
static void missing_on_path(struct ex *x, const struct node *n)
{
	if (!isnan(x->val[n->id]))
		return;
	if (n->kind == N_AND || n->kind == N_OR || n->kind == N_NOT) {
		missing_on_path(x, n->a);
		if (n->b)
			missing_on_path(x, n->b);
		return;
	}
	missing_under(x, n);
}

/* ------------------------------------------------------------------ */

int rule_explain(const struct rule_set *s, int i, const struct rule_frame *fr,
                 struct rule_explanation *out)
{
	struct ex x;
	const struct rule *r = s->rules[i].r;
	int failed = 0, unknown = 0, near_k = -1;

	memset(&x, 0, sizeof(x));
	/* Only the counts and heads: a criterion is cleared when it is
	 * opened, and the whole would be 60 KiB to clear per answer. */
	out->outcome = RULE_UNKNOWN;
	out->ncrit = out->truncated = out->nmissing = out->amount_known = 0;
	out->amount = NAN;
	out->reason[0] = '\0';
	out->nearly = -1;
	x.s = s;
	x.sr = &s->rules[i];
	x.r = r;
	x.fr = fr;
	x.out = out;
	x.val = malloc(sizeof(*x.val) * (size_t)r->nnodes);
	x.conj_crit = malloc(sizeof(*x.conj_crit) * (size_t)r->nconj);
	if (!x.val || !x.conj_crit) {
		free(x.val);
		free(x.conj_crit);
		return -1;
	}
	for (int k = 0; k < r->nconj; k++)
		x.conj_crit[k] = -1;
	for (int k = 0; k < r->nnodes; k++)
		x.val[k] = NAN;
	if (r->kind == RULE_BENEFIT) {
		double v = ev(&x, r->root);
		out->outcome = isnan(v) || v < 0 ? RULE_UNKNOWN : RULE_TRUE;
		out->amount_known = out->outcome == RULE_TRUE;
		out->amount = v;
		if (isnan(v)) {
			missing_under(&x, r->root);
			if (out->ncrit && out->crit[0].reason[0])
				snprintf(out->reason, sizeof(out->reason), "%s",
				         out->crit[0].reason);
			else if (out->nmissing)
				snprintf(out->reason, sizeof(out->reason), "missing %s%s",
				         out->missing[0], out->nmissing > 1 ? " and more" : "");
		} else if (v < 0) {
			char amount[64];
			rule_format_value(v, RU_MONEY, amount, sizeof(amount));
			snprintf(out->reason, sizeof(out->reason), "the amount is negative: %s",
			         amount);
		}
		free(x.val);
		free(x.conj_crit);
		return 0;
	}
	/* The top-level criteria, decided as the machine decides them. */
	for (int k = 0; k < r->nconj; k++) {
		const struct node *c = r->conj[k];
		double v = ev(&x, c);
		int near = 0;
		if (v == 1)
			continue;
		if (isnan(v)) {
			unknown = 1;
			continue;
		}
		switch (rule_near_kind(c)) {
		case NEAR_RIGHT:
			near = rule_near(x.val[c->a->id], x.val[c->b->id], s->ctx.margin);
			break;
		case NEAR_LEFT:
			near = rule_near(x.val[c->b->id], x.val[c->a->id], s->ctx.margin);
			break;
		case NEAR_BETWEEN: {
			double bx = x.val[c->a->id], lo = x.val[c->b->id], hi = x.val[c->c->id];
			near = rule_near(bx, bx < lo ? lo : hi, s->ctx.margin);
			break;
		}
		default:
			break;
		}
		if (failed || !near)
			failed = 2; /* false for good */
		else
			failed = 1;
		near_k = k;
	}
	if (failed == 2)
		out->outcome = RULE_FALSE;
	else if (failed == 1)
		out->outcome = unknown ? RULE_FALSE : RULE_NEARLY;
	else
		out->outcome = unknown ? RULE_UNKNOWN : RULE_TRUE;
	if (out->outcome == RULE_NEARLY)
		out->nearly = x.conj_crit[near_k];
	if (out->outcome == RULE_UNKNOWN) {
		/* No criterion is false: every unknown one could decide. */
		for (int k = 0; k < r->nconj; k++)
			missing_on_path(&x, r->conj[k]);
		for (int k = 0; k < out->ncrit && !out->reason[0]; k++)
			if (out->crit[k].value == RULE_UNKNOWN && out->crit[k].reason[0])
				snprintf(out->reason, sizeof(out->reason), "%s",
				         out->crit[k].reason);
	}
	free(x.val);
	free(x.conj_crit);
	return 0;
}

int rule_explain_one(const struct rule *r, const struct rule_ctx *ctx, const struct rule_facts *f,
                     struct rule_explanation *out)
{
	struct rule_set *s = rule_set_new(ctx);
	struct rule_frame *fr = NULL;
	int rc = -1;

	if (s && rule_set_add(s, r) == 0 && (fr = rule_frame_new(s)) && !rule_frame_load(fr, s, f))
		rc = rule_explain(s, 0, fr, out);
	rule_frame_free(fr);
	rule_set_free(s);
	return rc;
}

static int ends_with_bracket(const char *s)
{
	size_t n = strlen(s);

	return n >= 3 && strcmp(s + n - 3, "\xef\xbc\x89") == 0; /* ） */
}

void rule_gap_text(const struct rule_criterion *c, int zh, char *out, size_t n)
{
	static const char *const ops[] = {"<", "≤", ">", "≥", "=", "≠"};
	char have[64], need[64];

	if (!c->has_gap) {
		if (n)
			out[0] = '\0';
		return;
	}
	if (zh) {
		rule_format_value(c->have, c->unit, have, sizeof(have));
		rule_format_value(c->need, c->unit, need, sizeof(need));
	} else {
		rule_format_value_en(c->have, c->unit, have, sizeof(have));
		rule_format_value_en(c->need, c->unit, need, sizeof(need));
	}
	/* Chinese spaces its words from the figures, but not after a
	 * full-width bracket: 成立年限 14, 营业收入（2024）27万. */
	if (zh)
		snprintf(out, n, "%s%s%s，需 %s %s", c->label_zh,
		         ends_with_bracket(c->label_zh) ? "" : " ", have, ops[c->op], need);
	else
		snprintf(out, n, "%s %s, needs %s %s", c->label_en, have, ops[c->op], need);
}
