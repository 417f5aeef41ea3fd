/*
 * From a checked tree to postfix code, and rule_compile() that runs the
 * stages in order.
 *
 * The code is for a stack machine over doubles (rule_eval.c), where a
 * condition is 1, 0 or NAN (unknown) and a missing fact is NAN, so that
 * three-valued logic costs no more than two-valued.  "and" and "or" jump
 * past their right side when the left side decides (false and x is false
 * whatever x is, unknown included).  A comparison of a fact with a
 * constant, most criteria of real measures, is one instruction.
 *
 * An eligibility rule's top-level criteria each end with OP_CONJ, which
 * keeps the count of false and unknown ones so that the machine can tell
 * "nearly" from false without a second pass.
 */
#include "rule_int.h"

#include <stdlib.h>
#include <string.h>

struct gen {
	struct rule *r;
	struct rule_error *err;
	struct rule_op *code;
	int ncode, cap;
	double *consts;
	int nconsts, capconsts;
	int sp, maxsp;
	int failed;
};

static int emit(struct gen *g, int op, int n, int a, int b)
{
	if (g->ncode == g->cap) {
		int cap = g->cap ? g->cap * 2 : 64;
		struct rule_op *c = realloc(g->code, sizeof(*c) * (size_t)cap);
		if (!c) {
			g->failed = 1;
			return 0;
		}
		g->code = c;
		g->cap = cap;
	}
	g->code[g->ncode] = (struct rule_op){(uint8_t)op, (uint8_t)n, (uint16_t)a, b};
	return g->ncode++;
}

static int constant(struct gen *g, double v)
{
	for (int i = 0; i < g->nconsts; i++)
		if (memcmp(&g->consts[i], &v, sizeof(v)) == 0)
			return i;
	if (g->nconsts == g->capconsts) {
		int cap = g->capconsts ? g->capconsts * 2 : 32;
		double *c = realloc(g->consts, sizeof(*c) * (size_t)cap);
		if (!c) {
			g->failed = 1;
			return 0;
		}
		g->consts = c;
		g->capconsts = cap;
	}
	g->consts[g->nconsts] = v;
	return g->nconsts++;
}

/* A run of constants, kept together (in-lists, industry ranges). */
static int constants(struct gen *g, const double *v, int n)
{
	int first = g->nconsts;

	for (int i = 0; i < n; i++) {
		if (g->nconsts == g->capconsts) {
			int cap = g->capconsts ? g->capconsts * 2 : 32;
			double *c = realloc(g->consts, sizeof(*c) * (size_t)cap);
			if (!c) {
				g->failed = 1;
				return 0;
			}
			g->consts = c;
			g->capconsts = cap;
		}
		g->consts[g->nconsts++] = v[i];
	}
	return first;
}

static void push(struct gen *g, int k)
{
	g->sp += k;
	if (g->sp > g->maxsp)
		g->maxsp = g->sp;
}

/* Where a jump emitted at `from` lands when it goes to the next op. */
static void land(struct gen *g, int from)
{
	g->code[from].b = g->ncode - from;
}

/* The value of a constant node: a number, a word, a date, a truth. */
static int const_value(const struct node *n, double *v)
{
	switch (n->kind) {
	case N_NUM:
	case N_DATE:
	case N_BOOL:
		*v = n->num;
		return 1;
	case N_NEG:
		if (n->a->kind == N_NUM) {
			*v = -n->a->num;
			return 1;
		}
		return 0;
	case N_NAME:
		if (n->fact < 0 && n->func < 0 && n->type != RT_PERIOD) {
			*v = n->num;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

static void gen(struct gen *g, const struct node *n);

static void gen_name(struct gen *g, const struct node *n)
{
	if (n->func == FN_MIN || n->func == FN_MAX) {
		for (int i = 0; i < n->nargs; i++)
			gen(g, n->args[i]);
		emit(g, n->func == FN_MIN ? OP_MIN : OP_MAX, 0, n->nargs, 0);
		push(g, 1 - n->nargs);
		return;
	}
	if (n->func == FN_ABS) {
		gen(g, n->args[0]);
		emit(g, OP_ABS, 0, 0, 0);
		return;
	}
	if (n->func == FN_IF) {
		int ifj, jmp;
		gen(g, n->args[0]);
		ifj = emit(g, OP_IFJ, 0, 0, 0);
		push(g, -1);
		gen(g, n->args[1]);
		jmp = emit(g, OP_JMP, 0, 0, 0);
		push(g, -1);
		land(g, ifj);
		gen(g, n->args[2]);
		land(g, jmp);
		/* Unknown jumps straight to the end with NAN pushed. */
		g->code[ifj].a = (uint16_t)(g->ncode - ifj);
		return;
	}
	if (n->fact < 0) {
		double v = 0;
		const_value(n, &v);
		emit(g, OP_CONST, 0, 0, constant(g, v));
		push(g, 1);
		return;
	}
	switch (n->fact) {
	case S_RD_INTENSITY:
		emit(g, OP_REF, 0, n->ref, 0);
		emit(g, OP_REF, 0, n->ref2, 0);
		emit(g, OP_DIV, 0, 0, 0);
		push(g, 2);
		push(g, -1);
		return;
	case S_GROWTH_YOY:
		/* (x(p) - x(p - 1 year)) / |x(p - 1 year)| */
		emit(g, OP_REF, 0, n->ref, 0);
		emit(g, OP_REF, 0, n->ref2, 0);
		push(g, 2);
		emit(g, OP_SUB, 0, 0, 0);
		emit(g, OP_REF, 0, n->ref2, 0);
		emit(g, OP_ABS, 0, 0, 0);
		emit(g, OP_DIV, 0, 0, 0);
		push(g, -1);
		return;
	default:
		if (rule_schema[n->fact].args == RA_NONE)
			emit(g, OP_LOAD, 0, schema_reg(n->fact), 0);
		else
			emit(g, OP_REF, 0, n->ref, 0);
		push(g, 1);
		return;
	}
}

/* A fact compared with a constant: one fused instruction. */
static int gen_fused_cmp(struct gen *g, const struct node *n)
{
	const struct node *a = n->a;
	double k;

	if (a->kind != N_NAME || a->fact < 0 || a->fact == S_RD_INTENSITY ||
	    a->fact == S_GROWTH_YOY || a->fact == S_TAGS || !const_value(n->b, &k))
		return 0;
	if (rule_schema[a->fact].args == RA_NONE)
		emit(g, OP_LKLT + n->op, 0, schema_reg(a->fact), constant(g, k));
	else
		emit(g, OP_REFK, OP_LT + n->op, a->ref, constant(g, k));
	push(g, 1);
	return 1;
}

static void gen(struct gen *g, const struct node *n)
{
	int jump;

	if (g->failed)
		return;
	switch (n->kind) {
	case N_NUM:
	case N_DATE:
	case N_BOOL:
		emit(g, OP_CONST, 0, 0, constant(g, n->num));
		push(g, 1);
		break;
	case N_NAME:
		gen_name(g, n);
		break;
	case N_NEG:
		gen(g, n->a);
		emit(g, OP_NEG, 0, 0, 0);
		break;
	case N_ARITH:
		gen(g, n->a);
		gen(g, n->b);
		emit(g,
		     n->op == '+'   ? OP_ADD
		     : n->op == '-' ? OP_SUB
		     : n->op == '*' ? OP_MUL
		                    : OP_DIV,
		     0, 0, 0);
		push(g, -1);
		break;
	case N_NOT:
		gen(g, n->a);
		emit(g, OP_NOT, 0, 0, 0);
		break;
	case N_AND:
	case N_OR:
		gen(g, n->a);
		jump = emit(g, n->kind == N_AND ? OP_AND_SC : OP_OR_SC, 0, 0, 0);
		gen(g, n->b);
		emit(g, n->kind == N_AND ? OP_AND : OP_OR, 0, 0, 0);
		push(g, -1);
		land(g, jump);
		break;
	case N_CMP:
		if (n->nranges) {
			gen(g, n->a);
			emit(g, OP_INR, 0, n->nranges, constants(g, n->ranges, 2 * n->nranges));
			if (n->op == RC_NE)
				emit(g, OP_NOT, 0, 0, 0);
			break;
		}
		if (gen_fused_cmp(g, n))
			break;
		gen(g, n->a);
		gen(g, n->b);
		emit(g, OP_LT + n->op, 0, 0, 0);
		push(g, -1);
		break;
	case N_IN:
		if (n->b) {
			emit(g, OP_TAG, 0, n->tag, 0);
			push(g, 1);
		} else if (n->nranges) {
			gen(g, n->a);
			emit(g, OP_INR, 0, n->nranges, constants(g, n->ranges, 2 * n->nranges));
		} else {
			double v[RULE_ARGS_MAX];
			for (int i = 0; i < n->nargs; i++)
				const_value(n->args[i], &v[i]);
			gen(g, n->a);
			emit(g, OP_IN, 0, n->nargs, constants(g, v, n->nargs));
		}
		if (n->negated)
			emit(g, OP_NOT, 0, 0, 0);
		break;
	case N_BETWEEN:
		gen(g, n->a);
		gen(g, n->b);
		gen(g, n->c);
		emit(g, OP_BETWEEN, 0, 0, 0);
		push(g, -2);
		if (n->negated)
			emit(g, OP_NOT, 0, 0, 0);
		break;
	default:
		break;
	}
}

enum near rule_near_kind(const struct node *c)
{
	if (c->kind == N_CMP && c->op <= RC_GE && c->a->type == RT_NUM && !c->nranges)
		return c->b->has_facts && !c->a->has_facts ? NEAR_LEFT : NEAR_RIGHT;
	if (c->kind == N_BETWEEN && !c->negated && c->a->type == RT_NUM)
		return NEAR_BETWEEN;
	return NEAR_NO;
}

static int count_conj(const struct node *n)
{
	return n->kind == N_AND ? count_conj(n->a) + count_conj(n->b) : 1;
}

static void collect_conj(struct rule *r, struct node *n)
{
	if (n->kind == N_AND) {
		collect_conj(r, n->a);
		collect_conj(r, n->b);
	} else {
		r->conj[r->nconj++] = n;
	}
}

int rule_conjuncts(struct rule *r)
{
	int n = r->kind == RULE_ELIGIBILITY ? count_conj(r->root) : 1;

	r->conj = ra_alloc(&r->arena, sizeof(*r->conj) * (size_t)n);
	if (!r->conj)
		return -1;
	r->nconj = 0;
	if (r->kind == RULE_ELIGIBILITY)
		collect_conj(r, r->root);
	else
		r->conj[r->nconj++] = r->root;
	return 0;
}

int rule_codegen(struct rule *r, struct rule_error *err)
{
	struct gen g;

	memset(&g, 0, sizeof(g));
	g.r = r;
	g.err = err;
	if (r->kind == RULE_ELIGIBILITY) {
		for (int i = 0; i < r->nconj; i++) {
			int start = g.ncode;
			enum near near = rule_near_kind(r->conj[i]);
			gen(&g, r->conj[i]);
			push(&g, -1);
			/* A criterion of one fused comparison takes its OP_CONJ
			 * in: no jump lands between them (a lone comparison has
			 * none), and most criteria are such. */
			if (!g.failed && g.ncode == start + 1) {
				struct rule_op *op = &g.code[start];
				if (op->op >= OP_LKLT && op->op <= OP_LKNE) {
					op->op = (uint8_t)(OP_CLT + (op->op - OP_LKLT));
					op->n = (uint8_t)near;
					continue;
				}
				if (op->op == OP_REFK) {
					op->op = OP_REFC;
					op->n = (uint8_t)(op->n - OP_LT + 8 * near);
					continue;
				}
			}
			emit(&g, OP_CONJ, 0, near, 0);
		}
		emit(&g, OP_END_BOOL, 0, 0, 0);
	} else {
		gen(&g, r->root);
		emit(&g, OP_END_NUM, 0, 0, 0);
	}
	if (!g.failed && g.maxsp > RULE_STACK_MAX) {
		free(g.code);
		free(g.consts);
		return rule_fail(err, r->root->line, r->root->col,
		                 "expected a simpler rule: its evaluation would hold more than %d "
		                 "values at once",
		                 RULE_STACK_MAX);
	}
	if (!g.failed) {
		r->code = ra_alloc(&r->arena, sizeof(*r->code) * (size_t)g.ncode);
		r->consts = ra_alloc(&r->arena, sizeof(*r->consts) * (size_t)(g.nconsts + 1));
		if (r->code && r->consts) {
			memcpy(r->code, g.code, sizeof(*r->code) * (size_t)g.ncode);
			if (g.nconsts)
				memcpy(r->consts, g.consts, sizeof(*r->consts) * (size_t)g.nconsts);
			r->ncode = g.ncode;
			r->nconsts = g.nconsts;
		} else {
			g.failed = 1;
		}
	}
	free(g.code);
	free(g.consts);
	if (g.failed)
		return rule_fail(err, 1, 1, "out of memory");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Compiling                                                            */

struct rule *rule_compile(const char *src, size_t len, enum rule_kind kind, struct rule_error *err)
{
	struct ra arena = {NULL};
	struct rule *r;

	memset(err, 0, sizeof(*err));
	if (len > RULE_SOURCE_MAX) {
		rule_fail(err, 1, 1, "expected a rule of at most %d bytes, found %zu",
		          RULE_SOURCE_MAX, len);
		return NULL;
	}
	r = ra_alloc(&arena, sizeof(*r));
	if (!r) {
		rule_fail(err, 1, 1, "out of memory");
		return NULL;
	}
	r->arena = arena;
	r->kind = kind;
	r->src = ra_alloc(&r->arena, len + 1);
	if (!r->src) {
		rule_fail(err, 1, 1, "out of memory");
		goto fail;
	}
	if (len)
		memcpy(r->src, src, len);
	r->len = (int)len;
	r->root = rule_parse(r->src, r->len, &r->arena, err, &r->nnodes);
	if (!r->root || rule_check(r, err))
		goto fail;
	if (rule_conjuncts(r)) {
		rule_fail(err, 1, 1, "out of memory");
		goto fail;
	}
	if (rule_codegen(r, err))
		goto fail;
	return r;
fail:
	arena = r->arena;
	ra_release(&arena);
	return NULL;
}

void rule_free(struct rule *r)
{
	struct ra arena;

	if (!r)
		return;
	arena = r->arena;
	ra_release(&arena);
}

enum rule_kind rule_get_kind(const struct rule *r)
{
	return r->kind;
}

const char *rule_source(const struct rule *r)
{
	return r->src;
}

uint32_t rule_reg_facts(const struct rule *r)
{
	return r->reg;
}
