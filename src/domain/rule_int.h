/*
 * The inside of the rule language, shared by its files and by no one
 * else: tokens (rule_lex.c), the tree (rule_parse.c), the checker
 * (rule_check.c), the code (rule_code.c), sets and frames (rule_eval.c),
 * explanations (rule_explain.c) and SQL (rule_sql.c).
 */
#ifndef QY_RULE_INT_H
#define QY_RULE_INT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "rule.h"

/* ------------------------------------------------------------------ */
/* The arena: every node, string and array of a rule in a few blocks,    */
/* freed at once with the rule.                                         */

struct ra_chunk {
	struct ra_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct ra {
	struct ra_chunk *head;
};

/* n bytes, zeroed and aligned for any type; NULL when out of memory. */
void *ra_alloc(struct ra *a, size_t n);
void ra_release(struct ra *a);

/* ------------------------------------------------------------------ */
/* Tokens                                                               */

enum tok {
	T_EOF = 0,
	T_NUM,
	T_STR,
	T_DATE,
	T_PERIOD,
	T_NAME,
	T_AND,
	T_OR,
	T_NOT,
	T_IN,
	T_BETWEEN,
	T_TRUE,
	T_FALSE,
	T_LP,
	T_RP,
	T_COMMA,
	T_PLUS,
	T_MINUS,
	T_STAR,
	T_SLASH,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
};

struct token {
	enum tok t;
	int off, end;  /* bytes [off, end) of the source */
	int line, col; /* of off */
	double num;    /* T_NUM; T_DATE as yyyymmdd */
	int is_int;    /* T_NUM: digits only, no unit */
	int unit;      /* T_NUM: RU_NONE, RU_RATIO (%), RU_MONEY (万, 亿, 元) */
	int year, quarter;
	const char *s; /* T_STR: unescaped, in the arena; T_NAME: in the source */
	int slen;
};

struct lexer {
	const char *src;
	int len, pos, line, col;
	int checked; /* the whole source was found to be UTF-8 */
	struct ra *arena;
	struct rule_error *err;
};

void lex_init(struct lexer *lx, const char *src, int len, struct ra *arena, struct rule_error *err);
/* The next token; -1 with the error set. */
int lex_next(struct lexer *lx, struct token *t);

/* Sets err ("line L, column C: " + what) and returns -1. */
int rule_fail(struct rule_error *err, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The line and column of byte off of src. */
void rule_pos(const char *src, int off, int *line, int *col);
/* Cuts a character that a bounded snprintf left incomplete at the end
 * of s, so that every message stays UTF-8 (the API writes them into
 * JSON). */
void rule_utf8_trim(char *s);
/* src[off, end) quoted for a message: at most max characters, "…" after
 * a cut; control characters as spaces. */
void rule_quote(const char *src, int off, int end, int max, char *out, size_t n);

/* ------------------------------------------------------------------ */
/* Periods as written                                                   */

enum prel { PR_ABS = 0, PR_THIS_YEAR, PR_LAST_YEAR, PR_THIS_QUARTER, PR_LAST_QUARTER };

struct pspec {
	uint8_t rel;     /* enum prel */
	uint8_t quarter; /* PR_ABS: 0 a year, 1-4 a quarter */
	int16_t year;    /* PR_ABS */
	int16_t offset;  /* years for a year, quarters for a quarter */
};

/* 1 when p is a quarter. */
int pspec_is_quarter(struct pspec p);
/* The period p means at a moment (year, quarter of as_of); -1 when it
 * falls outside RULE_YEAR_MIN..RULE_YEAR_MAX. */
int pspec_resolve(struct pspec p, int year, int quarter, struct rule_period *out);
/* 2024, 2024Q3. */
void period_text(struct rule_period p, char *out, size_t n);
int period_code(struct rule_period p); /* year * 5 + quarter: ordered, dense */

/* ------------------------------------------------------------------ */
/* The tree                                                             */

enum nkind {
	N_NUM = 0,
	N_STR,
	N_DATE,
	N_PERIOD,
	N_BOOL,
	N_NAME, /* a fact, a function, a relative period, an enumeration's value */
	N_NEG,
	N_ARITH, /* op '+', '-', '*', '/' */
	N_NOT,
	N_AND,
	N_OR,
	N_CMP,     /* op enum rule_cmp */
	N_IN,      /* a in (args...), or a in b (tags) */
	N_BETWEEN, /* a between b and c */
};

enum func { FN_NONE = -1, FN_MIN = 0, FN_MAX, FN_ABS, FN_IF };

/* Indices of rule_schema[], in its order. */
enum schema_index {
	S_SIZE = 0,
	S_SIZE_DERIVED,
	S_INDUSTRY,
	S_EMPLOYEES,
	S_AGE,
	S_FOUNDED,
	S_STATUS,
	S_TAGS,
	S_CLUSTER,
	S_STAGE,
	S_IN_PARK,
	S_GRID,
	S_GAP_NODE,
	S_REVENUE,
	S_OUTPUT,
	S_TAX,
	S_RD_SPEND,
	S_ENERGY,
	S_LOCALISATION,
	S_RD_INTENSITY,
	S_GROWTH_YOY,
	S_N
};
/* The frame slot of a registry fact of the schema (RF_*), -1 for others. */
int schema_reg(int s);

struct node {
	uint8_t kind;
	uint8_t op;
	uint8_t type; /* enum rule_type, once checked */
	uint8_t unit; /* enum rule_unit, for showing */
	uint8_t negated;
	uint8_t has_facts;
	uint8_t is_int;   /* N_NUM: digits only, no unit */
	uint8_t lit_unit; /* N_NUM: the unit written */
	uint8_t call;     /* N_NAME: written with parentheses (nargs of them) */
	int16_t fact;     /* N_NAME: index in rule_schema, -1 */
	int16_t func;     /* N_NAME: enum func */
	int16_t prel;     /* N_NAME: a relative period (enum prel), 0 */
	int16_t ind;      /* N_NAME as growth_yoy's first argument: enum rule_ind */
	int id;           /* 0, 1, ... in the order made */
	int off, end, line, col;
	double num;
	const char *str;
	int slen;
	struct pspec per;
	int ref, ref2; /* rule->refs of an indicator; growth_yoy: now, a year before */
	int tag;       /* rule->tags of "x" in tags */
	int nranges;   /* industry prefixes as [lo, hi] pairs of class codes */
	double *ranges;
	struct node *a, *b, *c;
	int nargs;
	struct node **args;
};

struct parser {
	struct lexer lx;
	struct token tok;        /* the current token */
	int prev_off, prev_end;  /* the token before it */
	int prev_line, prev_col; /* the position just after it */
	int depth, nnodes;
	struct ra *arena;
	struct rule_error *err;
};

/* The tree of a whole rule; NULL with err set. */
struct node *rule_parse(const char *src, int len, struct ra *arena, struct rule_error *err,
                        int *nnodes);

/* ------------------------------------------------------------------ */
/* The compiled rule                                                    */

struct rule_ref {
	uint8_t ind;
	struct pspec p;
};

struct rule_tagref {
	const char *s;
	int len;
};

enum opcode {
	OP_CONST = 0, /* push consts[b] */
	OP_LOAD,      /* push frame[a] */
	OP_REF,       /* push the value of rule ref a (a set rewrites it as OP_LOAD) */
	OP_TAG,       /* push 1 when the enterprise has tag a, else 0 */
	OP_NEG,
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV, /* unknown when dividing by zero */
	OP_ABS,
	OP_MIN, /* of the top a values */
	OP_MAX,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_EQ,
	OP_NE,
	OP_IN,      /* top among consts[b .. b+a) */
	OP_INR,     /* top within one of the a ranges consts[b + 2k], consts[b + 2k + 1] */
	OP_BETWEEN, /* x lo hi -> x >= lo and x <= hi */
	OP_NOT,
	OP_AND_SC, /* top false: jump by b, keeping it */
	OP_OR_SC,  /* top true: jump by b, keeping it */
	OP_AND,
	OP_OR,
	OP_IFJ,  /* pop a condition: unknown: push unknown, jump by a; false: jump by b */
	OP_JMP,  /* by b */
	OP_CONJ, /* pop a top-level criterion; a: how it may be nearly met (enum near) */
	OP_END_BOOL,
	OP_END_NUM,
	/* Fused: frame[a] compared with consts[b] (op - OP_LKLT + OP_LT). */
	OP_LKLT,
	OP_LKLE,
	OP_LKGT,
	OP_LKGE,
	OP_LKEQ,
	OP_LKNE,
	OP_REFK, /* OP_REF followed by a compare with consts[b]: n is the compare */
	/* A top-level criterion that is one fused comparison: OP_LK* and
	 * OP_CONJ in one (op - OP_CLT + OP_LT), n how it may be nearly met. */
	OP_CLT,
	OP_CLE,
	OP_CGT,
	OP_CGE,
	OP_CEQ,
	OP_CNE,
	OP_REFC, /* OP_REFK and OP_CONJ: n is compare - OP_LT + 8 * enum near */
};

/* How a top-level criterion may be nearly met. */
enum near { NEAR_NO = 0, NEAR_RIGHT, NEAR_LEFT, NEAR_BETWEEN };

struct rule_op {
	uint8_t op;
	uint8_t n;
	uint16_t a;
	int32_t b;
};

struct rule {
	struct ra arena;
	enum rule_kind kind;
	char *src;
	int len;
	struct node *root;
	int nnodes;
	int nconj;
	struct node **conj;
	int nrefs;
	struct rule_ref *refs;
	int ntags;
	struct rule_tagref *tags;
	struct rule_op *code;
	int ncode;
	double *consts;
	int nconsts;
	uint32_t reg;
};

/* Checks the tree against the schema, resolving names, periods, words
 * and industry codes; fills r->refs and r->tags.  -1 with err set. */
int rule_check(struct rule *r, struct rule_error *err);
/* The top-level criteria of r->root (its outermost "and"s undone). */
int rule_conjuncts(struct rule *r);
/* The postfix code of a checked rule.  -1 with err set. */
int rule_codegen(struct rule *r, struct rule_error *err);
/* How conjunct c may be nearly met. */
enum near rule_near_kind(const struct node *c);

/* The one test of "nearly", shared by the evaluator and the explainer so
 * that both decide alike: have misses the threshold by at most margin of
 * it. */
static inline int rule_near(double have, double threshold, double margin)
{
	return threshold != 0 && !isnan(have) && !isnan(threshold) &&
	       fabs(have - threshold) <= margin * fabs(threshold);
}

/* ------------------------------------------------------------------ */
/* Sets and frames                                                      */

struct set_rule {
	const struct rule *r;
	uint32_t start;    /* of its code in the set's */
	int kind;          /* r->kind, kept at hand */
	uint16_t *slotmap; /* r->refs[k] -> frame slot */
	uint16_t *tagmap;  /* r->tags[k] -> the set's tag */
};

struct rule_set {
	struct rule_ctx ctx;
	int year, quarter, ymd; /* of ctx.as_of */
	int n, cap;
	struct set_rule *rules;
	struct rule_op *code;
	size_t ncode, capcode;
	double *consts;
	size_t nconsts, capconsts;
	struct rule_slot *slots; /* frame slot RF_NREG + k */
	int nslots, capslots;
	int16_t *lookup; /* (ind, period code) -> slot k */
	int lk_base, lk_span;
	char **tags; /* the tags the rules test, copied */
	int ntags, captags;
	int *tag_hash; /* open addressing: tag index + 1, 0 empty */
	int tag_hash_cap;
	uint32_t reg;
};

struct rule_frame {
	double *v; /* RF_NREG registry slots, then the set's slots */
	int capv;
	uint8_t *tag;
	int captag;
	int nv, ntag;
	struct rule_size_derivation der;
};

/* yyyymmdd of a date YYYY-MM-DD, -1 when it is none. */
int rule_ymd(const char *date);
/* The enumeration words: their type and code; -1 when w is none. */
int rule_word(const char *w, int len, enum rule_type *type);
/* The name of code c of an enumeration type ("small"). */
const char *rule_word_name(enum rule_type t, int c);
/* A value of type t as text ("small", "2019-05-01", "1,500万"). */
void rule_value_text(double v, enum rule_type t, enum rule_unit u, char *out, size_t n);

#endif
