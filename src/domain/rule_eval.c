/*
 * Sets of rules, enterprises' frames, and the machine that runs the code.
 *
 * Matching is many rules times many enterprises.  The set gathers the
 * facts its rules read into numbered slots once: every registry fact has
 * a fixed slot, and every (indicator, period) any rule reads, resolved to
 * the set's moment, gets the next one.  Loading an enterprise fills its
 * frame from its facts in one pass; every rule's code was rewritten when
 * it joined the set to read the frame's slots directly, and the code of
 * all the rules lies in one array, so evaluating a thousand rules against
 * a loaded frame touches nothing else.
 */
#include "rule_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rule_ctx_init(struct rule_ctx *c, const char *as_of)
{
	int ymd = rule_ymd(as_of);

	memset(c, 0, sizeof(*c));
	if (ymd < 0 || ymd / 10000 < RULE_YEAR_MIN || ymd / 10000 > RULE_YEAR_MAX)
		return -1;
	snprintf(c->as_of, sizeof(c->as_of), "%s", as_of);
	c->margin = RULE_MARGIN;
	return 0;
}

struct rule_set *rule_set_new(const struct rule_ctx *ctx)
{
	struct rule_set *s;
	int ymd = rule_ymd(ctx->as_of);

	if (ymd < 0 || ymd / 10000 < RULE_YEAR_MIN || ymd / 10000 > RULE_YEAR_MAX)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->ctx = *ctx;
	s->ymd = ymd;
	s->year = ymd / 10000;
	s->quarter = (ymd / 100 % 100 - 1) / 3 + 1;
	return s;
}

void rule_set_free(struct rule_set *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++) {
		free(s->rules[i].slotmap);
		free(s->rules[i].tagmap);
	}
	for (int i = 0; i < s->ntags; i++)
		free(s->tags[i]);
	free(s->rules);
	free(s->code);
	free(s->consts);
	free(s->slots);
	free(s->lookup);
	free(s->tags);
	free(s->tag_hash);
	free(s);
}

int rule_set_count(const struct rule_set *s)
{
	return s->n;
}

const struct rule_slot *rule_set_slots(const struct rule_set *s, int *n)
{
	*n = s->nslots;
	return s->slots;
}

int rule_set_reads(const struct rule_set *s, int i, struct rule_slot *out, int max)
{
	const struct set_rule *sr = &s->rules[i];
	int n = 0;

	for (int k = 0; k < sr->r->nrefs && n < max; k++)
		out[n++] = s->slots[sr->slotmap[k] - RF_NREG];
	return n;
}

static int grow(void **p, int *cap, int need, size_t size)
{
	void *q;
	int c = *cap ? *cap : 16;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, (size_t)c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

/* (indicator, period) -> slot, over the span of period codes in use. */
static int rebuild_lookup(struct rule_set *s)
{
	int lo = 1 << 30, hi = -1;
	int16_t *t;

	for (int k = 0; k < s->nslots; k++) {
		int c = period_code(s->slots[k].p);
		if (c < lo)
			lo = c;
		if (c > hi)
			hi = c;
	}
	if (hi < 0)
		return 0;
	t = malloc(sizeof(*t) * (size_t)RI_N * (size_t)(hi - lo + 1));
	if (!t)
		return -1;
	for (int i = 0; i < RI_N * (hi - lo + 1); i++)
		t[i] = -1;
	for (int k = 0; k < s->nslots; k++)
		t[s->slots[k].ind * (hi - lo + 1) + period_code(s->slots[k].p) - lo] = (int16_t)k;
	free(s->lookup);
	s->lookup = t;
	s->lk_base = lo;
	s->lk_span = hi - lo + 1;
	return 0;
}

static uint32_t tag_hash(const char *t, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)t[i];
		h *= 16777619u;
	}
	return h;
}

static int tag_find(const struct rule_set *s, const char *t, size_t len)
{
	uint32_t mask = (uint32_t)s->tag_hash_cap - 1, h;

	if (!s->tag_hash_cap)
		return -1;
	for (h = tag_hash(t, len) & mask; s->tag_hash[h]; h = (h + 1) & mask) {
		const char *cand = s->tags[s->tag_hash[h] - 1];
		if (strlen(cand) == len && memcmp(cand, t, len) == 0)
			return s->tag_hash[h] - 1;
	}
	return -1;
}

static int rebuild_tag_hash(struct rule_set *s)
{
	int cap = 16;
	int *t;

	while (cap < 2 * s->ntags)
		cap *= 2;
	t = calloc((size_t)cap, sizeof(*t));
	if (!t)
		return -1;
	for (int k = 0; k < s->ntags; k++) {
		uint32_t h = tag_hash(s->tags[k], strlen(s->tags[k])) & (uint32_t)(cap - 1);
		while (t[h])
			h = (h + 1) & (uint32_t)(cap - 1);
		t[h] = k + 1;
	}
	free(s->tag_hash);
	s->tag_hash = t;
	s->tag_hash_cap = cap;
	return 0;
}

int rule_set_add(struct rule_set *s, const struct rule *r)
{
	struct set_rule *sr;
	uint16_t *tagmap = NULL;
	int added_slots = 0, added_tags = 0;
	size_t cbase;

	if (grow((void **)&s->rules, &s->cap, s->n + 1, sizeof(*s->rules)))
		return -1;
	sr = &s->rules[s->n];
	memset(sr, 0, sizeof(*sr));
	sr->r = r;
	sr->slotmap = malloc(sizeof(*sr->slotmap) * (size_t)(r->nrefs + 1));
	tagmap = malloc(sizeof(*tagmap) * (size_t)(r->ntags + 1));
	if (!sr->slotmap || !tagmap)
		goto fail;
	for (int k = 0; k < r->nrefs; k++) {
		struct rule_slot want;
		int slot = -1;
		want.ind = r->refs[k].ind;
		if (pspec_resolve(r->refs[k].p, s->year, s->quarter, &want.p))
			goto fail;
		for (int j = 0; j < s->nslots && slot < 0; j++)
			if (s->slots[j].ind == want.ind && s->slots[j].p.year == want.p.year &&
			    s->slots[j].p.quarter == want.p.quarter)
				slot = j;
		if (slot < 0) {
			if (s->nslots + RF_NREG >= 65535 || grow((void **)&s->slots, &s->capslots,
			                                         s->nslots + 1, sizeof(*s->slots)))
				goto fail;
			slot = s->nslots++;
			s->slots[slot] = want;
			added_slots = 1;
		}
		sr->slotmap[k] = (uint16_t)(RF_NREG + slot);
	}
	for (int k = 0; k < r->ntags; k++) {
		int t = -1;
		for (int j = 0; j < s->ntags && t < 0; j++)
			if ((int)strlen(s->tags[j]) == r->tags[k].len &&
			    memcmp(s->tags[j], r->tags[k].s, (size_t)r->tags[k].len) == 0)
				t = j;
		if (t < 0) {
			char *copy;
			if (grow((void **)&s->tags, &s->captags, s->ntags + 1, sizeof(*s->tags)) ||
			    !(copy = malloc((size_t)r->tags[k].len + 1)))
				goto fail;
			memcpy(copy, r->tags[k].s, (size_t)r->tags[k].len);
			copy[r->tags[k].len] = '\0';
			t = s->ntags++;
			s->tags[t] = copy;
			added_tags = 1;
		}
		tagmap[k] = (uint16_t)t;
	}
	/* The rule's code and constants, appended, with its references made
	 * slots of the frame and its constants' indices moved. */
	{
		int capcode = (int)s->capcode, capconsts = (int)s->capconsts;
		if (grow((void **)&s->code, &capcode, (int)s->ncode + r->ncode, sizeof(*s->code)) ||
		    grow((void **)&s->consts, &capconsts, (int)s->nconsts + r->nconsts + 1,
		         sizeof(*s->consts)))
			goto fail;
		s->capcode = (size_t)capcode;
		s->capconsts = (size_t)capconsts;
	}
	cbase = s->nconsts;
	memcpy(s->consts + s->nconsts, r->consts, sizeof(*r->consts) * (size_t)r->nconsts);
	s->nconsts += (size_t)r->nconsts;
	sr->start = (uint32_t)s->ncode;
	for (int i = 0; i < r->ncode; i++) {
		struct rule_op op = r->code[i];
		switch (op.op) {
		case OP_REF:
			op.op = OP_LOAD;
			op.a = sr->slotmap[op.a];
			break;
		case OP_REFK:
			op.op = (uint8_t)(OP_LKLT + (op.n - OP_LT));
			op.a = sr->slotmap[op.a];
			op.b += (int32_t)cbase;
			break;
		case OP_REFC:
			op.op = (uint8_t)(OP_CLT + op.n % 8);
			op.n = (uint8_t)(op.n / 8);
			op.a = sr->slotmap[op.a];
			op.b += (int32_t)cbase;
			break;
		case OP_TAG:
			op.a = tagmap[op.a];
			break;
		case OP_CONST:
		case OP_IN:
		case OP_INR:
		case OP_LKLT:
		case OP_LKLE:
		case OP_LKGT:
		case OP_LKGE:
		case OP_LKEQ:
		case OP_LKNE:
		case OP_CLT:
		case OP_CLE:
		case OP_CGT:
		case OP_CGE:
		case OP_CEQ:
		case OP_CNE:
			op.b += (int32_t)cbase;
			break;
		default:
			break;
		}
		s->code[s->ncode++] = op;
	}
	if ((added_slots && rebuild_lookup(s)) || (added_tags && rebuild_tag_hash(s)))
		goto fail_late;
	sr->tagmap = tagmap;
	sr->kind = r->kind;
	s->reg |= r->reg;
	return s->n++;
fail_late:
	s->ncode = sr->start;
	s->nconsts = cbase;
fail:
	/* Slots and tags added for the rule stay: they are harmless, and
	 * the lookup tables were rebuilt only on success. */
	free(sr->slotmap);
	sr->slotmap = NULL;
	free(tagmap);
	if (added_slots)
		rebuild_lookup(s);
	if (added_tags)
		rebuild_tag_hash(s);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Frames                                                               */

struct rule_frame *rule_frame_new(const struct rule_set *s)
{
	struct rule_frame *fr = calloc(1, sizeof(*fr));

	(void)s;
	return fr;
}

void rule_frame_free(struct rule_frame *fr)
{
	if (!fr)
		return;
	free(fr->v);
	free(fr->tag);
	free(fr);
}

static double class_code(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' ||
	    s[3] < '0' || s[3] > '9' || s[4])
		return NAN;
	return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
}

int rule_frame_load(struct rule_frame *fr, const struct rule_set *s, const struct rule_facts *f)
{
	int nv = RF_NREG + s->nslots;
	double *v;
	int ymd;

	if (nv > fr->capv) {
		double *p = realloc(fr->v, sizeof(*p) * (size_t)nv);
		if (!p)
			return -1;
		fr->v = p;
		fr->capv = nv;
	}
	if (s->ntags > fr->captag) {
		uint8_t *p = realloc(fr->tag, (size_t)s->ntags);
		if (!p)
			return -1;
		fr->tag = p;
		fr->captag = s->ntags;
	}
	fr->nv = nv;
	fr->ntag = s->ntags;
	v = fr->v;
	v[RF_SIZE] = f->size > SIZE_NONE && f->size <= SIZE_LARGE ? (double)f->size : NAN;
	v[RF_INDUSTRY] = class_code(f->industry);
	v[RF_EMPLOYEES] = f->employees >= 0 ? (double)f->employees : NAN;
	ymd = f->founded[0] ? rule_ymd(f->founded) : -1;
	v[RF_FOUNDED] = ymd >= 0 ? (double)ymd : NAN;
	/* Completed years: a birthday not yet reached this year does not
	 * count. */
	v[RF_AGE] = ymd >= 0
	                ? (double)(s->ymd / 10000 - ymd / 10000 - (s->ymd % 10000 < ymd % 10000))
	                : NAN;
	v[RF_STATUS] = (double)f->status;
	v[RF_CLUSTER] = (double)f->cluster_id;
	v[RF_STAGE] = (double)f->stage;
	v[RF_IN_PARK] = f->in_park != 0;
	v[RF_GRID] = (double)f->grid_id;
	v[RF_GAP_NODE] = f->makes_gap_node < 0 ? NAN : (double)(f->makes_gap_node != 0);
	if (s->reg & (1u << RF_SIZE_DERIVED)) {
		rule_size_derive(f, s->year, &fr->der);
		v[RF_SIZE_DERIVED] = fr->der.size ? (double)fr->der.size : NAN;
	} else {
		memset(&fr->der, 0, sizeof(fr->der));
		v[RF_SIZE_DERIVED] = NAN;
	}
	for (int k = RF_NREG; k < nv; k++)
		v[k] = NAN;
	if (s->nslots) {
		for (int i = 0; i < f->nvalues; i++) {
			const struct rule_ind_value *iv = &f->values[i];
			int c = iv->year * 5 + iv->quarter - s->lk_base, k;
			if (iv->ind >= RI_N || c < 0 || c >= s->lk_span || iv->quarter > 4)
				continue;
			k = s->lookup[iv->ind * s->lk_span + c];
			if (k >= 0)
				v[RF_NREG + k] = iv->v;
		}
	}
	if (s->ntags) {
		memset(fr->tag, 0, (size_t)s->ntags);
		for (int i = 0; i < f->ntags && i < ENT_MAX_TAGS; i++) {
			int k;
			if (!f->tags[i])
				continue;
			k = tag_find(s, f->tags[i], strlen(f->tags[i]));
			if (k >= 0)
				fr->tag[k] = 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The machine                                                          */

static inline double kleene_and(double a, double b)
{
	if (a == 0 || b == 0)
		return 0;
	if (isnan(a) || isnan(b))
		return NAN;
	return 1;
}

static inline double kleene_or(double a, double b)
{
	if (a == 1 || b == 1)
		return 1;
	if (isnan(a) || isnan(b))
		return NAN;
	return 0;
}

#define TRI(a, b, expr) (isnan(a) || isnan(b) ? NAN : (double)(expr))

/*
 * Runs the code at start.  An eligibility rule's answer is returned; a
 * benefit's value goes to *amount (RULE_TRUE returned).  The comparison
 * last made is remembered (ca, cb; bx, blo, bhi for between), so that a
 * top-level criterion found false can be measured against the margin at
 * once.
 *
 * Dispatch is direct threading (GCC's and clang's labels as values, as
 * CPython's and Ruby's interpreters do): each instruction jumps to the
 * next one's code through a jump of its own, which the processor learns
 * to predict far better than the single jump of a switch.  Rules are
 * short (a criterion of a fact against a figure is one instruction), so
 * the dispatch is most of the cost.
 */
static inline enum rule_outcome run(const struct rule_set *s, uint32_t start,
                                    const struct rule_frame *fr, double *amount)
{
	static const void *const ops[] = {
	    [OP_CONST] = &&op_const,     [OP_LOAD] = &&op_load,     [OP_REF] = &&op_load,
	    [OP_TAG] = &&op_tag,         [OP_NEG] = &&op_neg,       [OP_ADD] = &&op_add,
	    [OP_SUB] = &&op_sub,         [OP_MUL] = &&op_mul,       [OP_DIV] = &&op_div,
	    [OP_ABS] = &&op_abs,         [OP_MIN] = &&op_min,       [OP_MAX] = &&op_max,
	    [OP_LT] = &&op_lt,           [OP_LE] = &&op_le,         [OP_GT] = &&op_gt,
	    [OP_GE] = &&op_ge,           [OP_EQ] = &&op_eq,         [OP_NE] = &&op_ne,
	    [OP_IN] = &&op_in,           [OP_INR] = &&op_inr,       [OP_BETWEEN] = &&op_between,
	    [OP_NOT] = &&op_not,         [OP_AND_SC] = &&op_and_sc, [OP_OR_SC] = &&op_or_sc,
	    [OP_AND] = &&op_and,         [OP_OR] = &&op_or,         [OP_IFJ] = &&op_ifj,
	    [OP_JMP] = &&op_jmp,         [OP_CONJ] = &&op_conj,     [OP_END_BOOL] = &&op_end_bool,
	    [OP_END_NUM] = &&op_end_num, [OP_LKLT] = &&op_lklt,     [OP_LKLE] = &&op_lkle,
	    [OP_LKGT] = &&op_lkgt,       [OP_LKGE] = &&op_lkge,     [OP_LKEQ] = &&op_lkeq,
	    [OP_LKNE] = &&op_lkne,       [OP_REFK] = &&op_refk,     [OP_CLT] = &&op_clt,
	    [OP_CLE] = &&op_cle,         [OP_CGT] = &&op_cgt,       [OP_CGE] = &&op_cge,
	    [OP_CEQ] = &&op_ceq,         [OP_CNE] = &&op_cne,       [OP_REFC] = &&op_refk,
	};
	const struct rule_op *pc = s->code + start;
	const double *k = s->consts, *v = fr->v;
	const uint8_t *tag = fr->tag;
	double st[RULE_STACK_MAX + 1], a, b, c;
	double ca = NAN, cb = NAN, bx = NAN, blo = NAN, bhi = NAN;
	int sp = 0, failed = 0, unknown = 0, near;

#define NEXT goto *ops[(++pc)->op]
#define BINARY(expr)                                                                               \
	do {                                                                                       \
		sp--;                                                                              \
		a = ca = st[sp - 1];                                                               \
		b = cb = st[sp];                                                                   \
		st[sp - 1] = TRI(a, b, expr);                                                      \
		NEXT;                                                                              \
	} while (0)
/* A top-level criterion: frame[a] against consts[b], then as op_conj. */
#define CRITERION(expr)                                                                            \
	do {                                                                                       \
		a = v[pc->a];                                                                      \
		b = k[pc->b];                                                                      \
		if (isnan(a)) {                                                                    \
			unknown = 1;                                                               \
			NEXT;                                                                      \
		}                                                                                  \
		if (expr)                                                                          \
			NEXT;                                                                      \
		if (failed || pc->n != NEAR_RIGHT || !rule_near(a, b, s->ctx.margin))              \
			return RULE_FALSE;                                                         \
		failed = 1;                                                                        \
		NEXT;                                                                              \
	} while (0)
#define FUSED(expr)                                                                                \
	do {                                                                                       \
		a = ca = v[pc->a];                                                                 \
		b = cb = k[pc->b];                                                                 \
		st[sp++] = TRI(a, b, expr);                                                        \
		NEXT;                                                                              \
	} while (0)

	goto *ops[pc->op];
op_const:
	st[sp++] = k[pc->b];
	NEXT;
op_load:
	st[sp++] = v[pc->a];
	NEXT;
op_tag:
	st[sp++] = tag[pc->a];
	NEXT;
op_neg:
	st[sp - 1] = -st[sp - 1];
	NEXT;
op_add:
	sp--;
	st[sp - 1] += st[sp];
	NEXT;
op_sub:
	sp--;
	st[sp - 1] -= st[sp];
	NEXT;
op_mul:
	sp--;
	st[sp - 1] *= st[sp];
	NEXT;
op_div:
	sp--;
	st[sp - 1] = st[sp] == 0 ? NAN : st[sp - 1] / st[sp];
	NEXT;
op_abs:
	st[sp - 1] = fabs(st[sp - 1]);
	NEXT;
op_min:
op_max : {
	/* A tie goes to the later argument, as in SQLite's min() and max():
	 * 0 and -0 are equal but divide apart. */
	int n = pc->a;
	double m = st[sp - n];
	for (int i = sp - n + 1; i < sp; i++) {
		if (isnan(st[i]) || isnan(m))
			m = NAN;
		else if (pc->op == OP_MIN ? st[i] <= m : st[i] >= m)
			m = st[i];
	}
	sp -= n - 1;
	st[sp - 1] = m;
	NEXT;
}
op_lt:
	BINARY(a < b);
op_le:
	BINARY(a <= b);
op_gt:
	BINARY(a > b);
op_ge:
	BINARY(a >= b);
op_eq:
	BINARY(a == b);
op_ne:
	BINARY(a != b);
op_lklt:
	FUSED(a < b);
op_lkle:
	FUSED(a <= b);
op_lkgt:
	FUSED(a > b);
op_lkge:
	FUSED(a >= b);
op_lkeq:
	FUSED(a == b);
op_lkne:
	FUSED(a != b);
op_clt:
	CRITERION(a < b);
op_cle:
	CRITERION(a <= b);
op_cgt:
	CRITERION(a > b);
op_cge:
	CRITERION(a >= b);
op_ceq:
	CRITERION(a == b);
op_cne:
	CRITERION(a != b);
op_in:
	a = st[sp - 1];
	c = 0;
	if (isnan(a))
		c = NAN;
	else
		for (int i = 0; i < pc->a; i++)
			if (a == k[pc->b + i])
				c = 1;
	st[sp - 1] = c;
	NEXT;
op_inr:
	a = st[sp - 1];
	c = 0;
	if (isnan(a))
		c = NAN;
	else
		for (int i = 0; i < pc->a; i++)
			if (a >= k[pc->b + 2 * i] && a <= k[pc->b + 2 * i + 1])
				c = 1;
	st[sp - 1] = c;
	NEXT;
op_between:
	bhi = st[--sp];
	blo = st[--sp];
	bx = st[sp - 1];
	st[sp - 1] = kleene_and(TRI(bx, blo, bx >= blo), TRI(bx, bhi, bx <= bhi));
	NEXT;
op_not:
	if (!isnan(st[sp - 1]))
		st[sp - 1] = st[sp - 1] == 0;
	NEXT;
op_and_sc:
	if (st[sp - 1] == 0)
		pc += pc->b - 1;
	NEXT;
op_or_sc:
	if (st[sp - 1] == 1)
		pc += pc->b - 1;
	NEXT;
op_and:
	sp--;
	st[sp - 1] = kleene_and(st[sp - 1], st[sp]);
	NEXT;
op_or:
	sp--;
	st[sp - 1] = kleene_or(st[sp - 1], st[sp]);
	NEXT;
op_ifj:
	c = st[--sp];
	if (isnan(c)) {
		st[sp++] = NAN;
		pc += pc->a - 1;
	} else if (c == 0) {
		pc += pc->b - 1;
	}
	NEXT;
op_jmp:
	pc += pc->b - 1;
	NEXT;
op_conj:
	c = st[--sp];
	if (c == 1)
		NEXT;
	if (isnan(c)) {
		unknown = 1;
		NEXT;
	}
	switch (pc->a) {
	case NEAR_RIGHT:
		near = rule_near(ca, cb, s->ctx.margin);
		break;
	case NEAR_LEFT:
		near = rule_near(cb, ca, s->ctx.margin);
		break;
	case NEAR_BETWEEN:
		near = rule_near(bx, bx < blo ? blo : bhi, s->ctx.margin);
		break;
	default:
		near = 0;
		break;
	}
	if (failed || !near)
		return RULE_FALSE;
	failed = 1;
	NEXT;
op_end_bool:
	if (failed)
		return unknown ? RULE_FALSE : RULE_NEARLY;
	return unknown ? RULE_UNKNOWN : RULE_TRUE;
op_end_num:
	*amount = st[0];
	return RULE_TRUE;
op_refk:
	/* rewritten by rule_set_add */
	return RULE_UNKNOWN;
#undef NEXT
#undef BINARY
#undef FUSED
#undef CRITERION
}

enum rule_outcome rule_eval(const struct rule_set *s, int i, const struct rule_frame *fr)
{
	double amount = NAN;
	enum rule_outcome o = run(s, s->rules[i].start, fr, &amount);

	if (s->rules[i].kind == RULE_BENEFIT)
		return isnan(amount) ? RULE_UNKNOWN : amount < 0 ? RULE_UNKNOWN : RULE_TRUE;
	return o;
}

void rule_eval_all(const struct rule_set *s, const struct rule_frame *fr, uint8_t *out)
{
	for (int i = 0; i < s->n; i++) {
		double amount = NAN;
		enum rule_outcome o = run(s, s->rules[i].start, fr, &amount);
		if (s->rules[i].kind == RULE_BENEFIT)
			o = isnan(amount) || amount < 0 ? RULE_UNKNOWN : RULE_TRUE;
		out[i] = (uint8_t)o;
	}
}

int rule_amount(const struct rule_set *s, int i, const struct rule_frame *fr, double *amount)
{
	double v = NAN;

	run(s, s->rules[i].start, fr, &v);
	if (isnan(v) || v < 0 || s->rules[i].kind != RULE_BENEFIT)
		return -1;
	*amount = v;
	return 0;
}
