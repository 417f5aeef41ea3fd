/*
 * Eligibility rules and benefit formulas of policy measures.
 *
 * A measure says who qualifies in a small expression language over an
 * enterprise's facts (docs/DESIGN.md, "Eligibility rules", has the
 * grammar and examples):
 *
 *     size_derived <= small and industry in ("C38", "C39")
 *       and rd_intensity(last_year) >= 3% and status = active
 *
 * and what it grants in the same language:
 *
 *     min(500万, 10% * rd_spend(last_year))
 *
 * The life of a rule, as the measures' store and matching use it:
 *
 *   rule_compile()      text -> struct rule: parsed into a tree (one
 *                       arena per rule), checked against the schema of
 *                       facts, compiled to postfix code.  Refused with
 *                       the line, column and what was expected: call it
 *                       before a measure is saved and keep the text; a
 *                       compiled rule is cheap to make again (well under
 *                       a millisecond) and is never stored.
 *   rule_set_new/add()  the rules matched together, for one evaluation
 *                       date (struct rule_ctx).  The set lays out every
 *                       fact its rules read as numbered slots, so that an
 *                       enterprise's facts are looked up once, not once
 *                       per rule.  Immutable once built: any number of
 *                       threads evaluate it at once, each with its own
 *                       frames.  An edited measure means a new set
 *                       (1,000 rules are added in about a millisecond).
 *   rule_frame_load()   one enterprise's facts (struct rule_facts, filled
 *                       by the caller from the registry, the indicators
 *                       and the chain) laid out for a set.
 *   rule_eval()         true, false, unknown or nearly (false, but by one
 *                       criterion only and within the margin) for one
 *                       rule of the set; rule_eval_all() for all of
 *                       them; rule_amount() for a benefit formula.  Fast
 *                       (tens of nanoseconds) and allocation-free.
 *   rule_explain()      the same answer with its reasons: every
 *                       criterion with its value and the facts it read,
 *                       the facts whose absence leaves it unknown, the
 *                       gap of a rule nearly met, why a benefit is
 *                       unknown.  Slower (microseconds); for the answers
 *                       shown to people.
 *   rule_sql()          the rule as an SQL expression over the flat facts
 *                       table of rule_sql_create_table(), with bound
 *                       parameters, for comparisons and tests; unknown is
 *                       NULL.
 *
 * Three-valued logic: a fact the enterprise lacks is unknown (not false),
 * and unknown spreads as in SQL (Kleene): false and unknown is false, true
 * or unknown is true, not unknown is unknown, a comparison with unknown
 * is unknown, arithmetic with unknown is unknown, and so is a division by
 * zero.  A benefit that is unknown or negative is unknown.
 *
 * Money is in yuan inside rules and in struct rule_facts (500万 is
 * 5,000,000); the registry's indicators are kept in 10,000 yuan, and
 * rule_values_from_indicators() converts them.  Shares (R&D intensity,
 * growth, localisation, 3%) are fractions: 3% is 0.03.
 *
 * Pure functions over plain structs: no I/O, no SQL run, no HTTP.
 */
#ifndef QY_RULE_H
#define QY_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "enterprise.h"
#include "indicator.h"

struct buf;

/* ------------------------------------------------------------------ */
/* Limits                                                               */

#define RULE_SOURCE_MAX 8192 /* bytes of a rule's text */
#define RULE_NODES_MAX  2048 /* values, names and operators in one rule */
#define RULE_DEPTH_MAX  48   /* nesting of parentheses, not, minus and calls */
#define RULE_STACK_MAX  64   /* values the evaluation holds at once */
#define RULE_ARGS_MAX   16   /* arguments of min() and max(), items of an in-list */
#define RULE_STRING_MAX 128  /* bytes of a string literal (a tag is at most 129) */
#define RULE_MARGIN     0.20 /* default margin of "nearly qualifies": 20 % */
#define RULE_YEAR_MIN   1900
#define RULE_YEAR_MAX   2100

/* ------------------------------------------------------------------ */
/* Values and facts                                                     */

enum rule_kind {
	RULE_ELIGIBILITY = 0, /* a condition: true, false or unknown */
	RULE_BENEFIT,         /* an amount in yuan, or unknown */
};

/* An evaluation's answer.  RULE_NEARLY is false, with one criterion
 * failed within the margin and every other one true (see rule_eval). */
enum rule_outcome { RULE_FALSE = 0, RULE_TRUE = 1, RULE_UNKNOWN = 2, RULE_NEARLY = 3 };
const char *rule_outcome_name(enum rule_outcome o); /* "false", "true", "unknown", "nearly" */

/* The indicators by period a rule can read. */
enum rule_ind {
	RI_REVENUE = 0,  /* yuan */
	RI_OUTPUT,       /* industrial output value, yuan */
	RI_TAX,          /* tax paid, yuan */
	RI_RD_SPEND,     /* R&D spending, yuan */
	RI_ENERGY,       /* tonnes of standard coal equivalent */
	RI_LOCALISATION, /* share of purchases bought in the park, 0..1 (chain) */
	RI_EMPLOYEES,    /* average employees of the period (size derivation only) */
	RI_N
};
const char *rule_ind_name(enum rule_ind i);

/* A year (quarter 0) or a quarter (1-4) of a year. */
struct rule_period {
	int16_t year;
	uint8_t quarter;
};

/* One indicator's value for one period, as the caller supplies it. */
struct rule_ind_value {
	uint8_t ind;     /* enum rule_ind */
	uint8_t quarter; /* 0: the whole year */
	int16_t year;
	double v;
};

/*
 * One enterprise's facts.  Plain data, owned by the caller: the strings
 * and the values array are only read, during rule_frame_load and
 * rule_explain.  rule_facts_init() sets everything to unknown or none.
 */
struct rule_facts {
	int64_t id;             /* the caller's, not read */
	enum size_class size;   /* as registered; SIZE_NONE: unknown */
	char industry[5];       /* GB/T 4754-2017 class, "3832"; "": unknown */
	int64_t employees;      /* -1: unknown */
	char founded[11];       /* YYYY-MM-DD; "": unknown (so is age) */
	enum ent_status status; /* always known */
	enum chain_stage stage; /* STAGE_NONE is a value ("none"), not unknown */
	int64_t cluster_id;     /* 0: in no cluster (known) */
	int64_t grid_id;        /* 0: in no grid (known) */
	int in_park;            /* 0 or 1, always known */
	int makes_gap_node;     /* chain: makes a product at a gap node: 1, 0; -1 unknown */
	int ntags;              /* tags compare byte for byte with the rule's */
	const char *tags[ENT_MAX_TAGS];
	int nvalues; /* indicator values; a missing one is unknown */
	const struct rule_ind_value *values;
};

void rule_facts_init(struct rule_facts *f);
/* The registry's part of an enterprise (tags point into e, which must
 * outlive f); values and chain facts are left as they were. */
void rule_facts_from_enterprise(struct rule_facts *f, const struct enterprise *e);
/*
 * The registry's indicators (struct indicator: months or quarters, money
 * in 10,000 yuan) as rule values (money in yuan): every quarter that is
 * reported whole (as a quarter, or as its three months); every year whose
 * four quarters are all there (flows summed); employees as the mean of
 * the periods reported in a year or quarter.  A field missing from any
 * part leaves the sum missing: a year of three quarters has no revenue.
 * Writes at most max values; returns how many.
 */
int rule_values_from_indicators(const struct indicator *series, int n, struct rule_ind_value *out,
                                int max);

/*
 * Enterprise size by the MIIT 2011 rule for industry (PRODUCT.md):
 * large from 1,000 employees and 40,000万 (400 M yuan) revenue; medium
 * from 300 and 2,000万; small from 20 and 300万; micro below.  The
 * largest class whose two thresholds are both met.
 */
enum size_class rule_size_by_miit(double employees, double revenue_yuan);

/* How size_derived came about for one enterprise. */
struct rule_size_derivation {
	enum size_class size; /* SIZE_NONE: unknown */
	int year;             /* of the revenue used; 0: no year's revenue */
	double revenue;       /* yuan, NAN if none */
	double employees;     /* NAN if none */
	int employees_year;   /* 1: the year's average from the indicators; 0: the registry's */
};
/* From the latest whole year's revenue up to as_of_year, and that year's
 * average employees or else the registry's count. */
void rule_size_derive(const struct rule_facts *f, int as_of_year, struct rule_size_derivation *d);
/* "small: revenue 2023 1,500万 (≥ 300万), employees 150 (≥ 20); medium needs
 * 300 employees and 2,000万" and the same in Chinese (zh = 1). */
void rule_size_derivation_text(const struct rule_size_derivation *d, int zh, char *out, size_t n);

/* ------------------------------------------------------------------ */
/* The schema of facts                                                  */

enum rule_type {
	RT_BOOL = 0, /* a condition */
	RT_NUM,
	RT_SIZE,     /* micro < small < medium < large */
	RT_STAGE,    /* none, leading, upstream, midstream, downstream, service */
	RT_STATUS,   /* active, moved_out, closed */
	RT_INDUSTRY, /* compared with codes in quotes, by prefix */
	RT_TAGS,     /* "tag" in tags */
	RT_ID,       /* a cluster's or a grid's number */
	RT_DATE,
	RT_PERIOD, /* only as an indicator's argument */
	RT_STR,    /* a string literal */
	RT_WORD,   /* an enumeration's value before it meets its fact */
	RT_IND,    /* an indicator's name as growth_yoy's argument */
};

/* What a number means, for showing it: 1,500万; 2.1 %; 150. */
enum rule_unit { RU_NONE = 0, RU_MONEY, RU_RATIO, RU_COUNT, RU_YEARS, RU_ENERGY };

enum rule_args {
	RA_NONE = 0,  /* size */
	RA_PERIOD,    /* revenue(2024) */
	RA_IND_PERIOD /* growth_yoy(revenue, 2024) */
};

struct rule_fact_def {
	const char *name;
	enum rule_type type;
	enum rule_args args;
	enum rule_unit unit;
	int ind; /* enum rule_ind for indicators, else -1 */
	const char *label_en, *label_zh;
	const char *doc; /* one line, English */
};
/* Every fact a rule may name, in the order the documentation lists them. */
extern const struct rule_fact_def rule_schema[];
extern const int rule_schema_n;
const struct rule_fact_def *rule_fact_find(const char *name, size_t len);

/* ------------------------------------------------------------------ */
/* Compiling                                                            */

/*
 * Where and why a rule was refused.  line and column are 1-based;
 * columns count characters (a Chinese character is one column), tabs
 * count one.  what says what was expected ("expected a comparison after
 * 'revenue(2024)'"); message is the same preceded by "line 2, column 14: ".
 */
struct rule_error {
	int line, column;
	char what[300];
	char message[340];
};

struct rule;

/* Compiles len bytes of src (UTF-8, NUL not needed).  Returns the rule,
 * or NULL with err filled (also on an allocation failure, at line 1,
 * column 1).  rule_free() frees it, with everything it holds. */
struct rule *rule_compile(const char *src, size_t len, enum rule_kind kind, struct rule_error *err);
void rule_free(struct rule *r);
enum rule_kind rule_get_kind(const struct rule *r);
const char *rule_source(const struct rule *r); /* the text compiled, NUL-terminated */

/* Bits of rule_reg_facts(): the registry and chain facts a rule reads, so
 * that a change to an enterprise re-matches only the rules it touches. */
enum rule_reg {
	RF_SIZE = 0,
	RF_SIZE_DERIVED,
	RF_INDUSTRY,
	RF_EMPLOYEES,
	RF_AGE,
	RF_FOUNDED,
	RF_STATUS,
	RF_CLUSTER,
	RF_STAGE,
	RF_IN_PARK,
	RF_GRID,
	RF_GAP_NODE,
	RF_NREG,          /* frame slots of indicators follow */
	RF_TAGS = RF_NREG /* a bit only: the rule tests tags */
};
uint32_t rule_reg_facts(const struct rule *r);

/* ------------------------------------------------------------------ */
/* Evaluating                                                           */

/*
 * The evaluation's moment.  as_of fixes the relative periods (this_year is
 * its year, last_year the one before, this_quarter the quarter holding
 * it, last_quarter the one before), age (completed years from founded to
 * as_of) and which year's revenue size_derived uses (the latest whole
 * year up to as_of's).  margin is the share within which a failed
 * criterion counts as nearly met.
 */
struct rule_ctx {
	char as_of[11]; /* YYYY-MM-DD */
	double margin;
};
/* as_of must be a date of years RULE_YEAR_MIN..RULE_YEAR_MAX; margin
 * RULE_MARGIN.  -1 for a bad date. */
int rule_ctx_init(struct rule_ctx *c, const char *as_of);

struct rule_set;
struct rule_frame;

/* A set for one moment; NULL when out of memory or ctx->as_of is bad. */
struct rule_set *rule_set_new(const struct rule_ctx *ctx);
/* Adds a rule (not copied: it must outlive the set).  Returns its index
 * (0, 1, ...), or -1 when out of memory or when its periods fall outside
 * RULE_YEAR_MIN..RULE_YEAR_MAX at this moment. */
int rule_set_add(struct rule_set *s, const struct rule *r);
int rule_set_count(const struct rule_set *s);
/* The indicator periods the set's rules read, resolved to this moment:
 * the columns rule_sql_create_table() needs.  *n receives the count. */
struct rule_slot {
	uint8_t ind; /* enum rule_ind */
	struct rule_period p;
};
const struct rule_slot *rule_set_slots(const struct rule_set *s, int *n);
/* The indicator periods rule i of s reads (at most max into out); returns
 * how many.  With rule_reg_facts(), what re-matching after a change must
 * look at: a new revenue(2024Q3) concerns only the rules that read it. */
int rule_set_reads(const struct rule_set *s, int i, struct rule_slot *out, int max);
void rule_set_free(struct rule_set *s);

/* A frame for enterprises' facts, laid out for s; one per thread. */
struct rule_frame *rule_frame_new(const struct rule_set *s);
/* Lays out f's facts for s (rules added to s after the frame was made are
 * covered too).  -1 when out of memory. */
int rule_frame_load(struct rule_frame *fr, const struct rule_set *s, const struct rule_facts *f);
void rule_frame_free(struct rule_frame *fr);

/*
 * Rule i of s (an eligibility rule) for the facts loaded in fr.
 *
 * Nearly: the rule's top-level criteria are the parts joined by its
 * outermost "and"s (a rule without one is one criterion).  The rule is
 * RULE_NEARLY when it is false, exactly one criterion is false, every
 * other one is true, and the false one is a comparison of numbers (<, <=,
 * >, >=, or between) whose value misses its threshold by at most margin
 * of the threshold: |value - threshold| <= margin * |threshold|, the
 * threshold being the side without facts (or the right side when both
 * have facts; for between, the bound missed).  A threshold of zero is
 * never nearly met.  So 2.5 % against ">= 3 %" is nearly met (short by a
 * sixth of 3 %), 2.1 % is not (short by 30 %).
 */
enum rule_outcome rule_eval(const struct rule_set *s, int i, const struct rule_frame *fr);
/* Every rule of s in order into out[0..count): an enum rule_outcome each;
 * benefit rules get RULE_TRUE when their amount is known. */
void rule_eval_all(const struct rule_set *s, const struct rule_frame *fr, uint8_t *out);
/* Rule i (a benefit formula): 0 with *amount set, or -1 when unknown (a
 * missing fact, a division by zero, a negative amount; rule_explain says
 * which). */
int rule_amount(const struct rule_set *s, int i, const struct rule_frame *fr, double *amount);

/* ------------------------------------------------------------------ */
/* Explaining                                                           */

#define RULE_EXPLAIN_MAX 32 /* criteria listed; more set `truncated` */
#define RULE_READS_MAX   8  /* facts listed per criterion */
#define RULE_MISSING_MAX 16

/* One fact a criterion read, with its value as text (1,500万; 2.1 %;
 * small; 2019-05-01; unknown). */
struct rule_read {
	char name[40]; /* size, revenue(2024), rd_spend(2024Q3) */
	int known;
	double value;
	char text[200]; /* size_derived: with its derivation */
};

/* Comparison operators, as rule_criterion.op. */
enum rule_cmp { RC_LT = 0, RC_LE, RC_GT, RC_GE, RC_EQ, RC_NE };

/* A leaf of the rule: a comparison, an in, a between, a true/false fact. */
struct rule_criterion {
	int line, column;
	char text[200];          /* its source text, shortened with "…" */
	enum rule_outcome value; /* RULE_TRUE, RULE_FALSE or RULE_UNKNOWN */
	int top;                 /* one of the rule's top-level criteria */
	int nreads;
	struct rule_read reads[RULE_READS_MAX];
	char reason[200]; /* unknown for other than a missing fact: a division by zero */
	/* A comparison of numbers: what the enterprise has and what the rule
	 * needs, and by what share of the need it misses (0 when met). */
	int has_gap;
	enum rule_cmp op; /* have op need */
	double have, need, gap;
	enum rule_unit unit;
	char label_en[80], label_zh[80]; /* of the have side: "R&D intensity (2024)" */
};

struct rule_explanation {
	enum rule_outcome outcome;
	int ncrit, truncated;
	struct rule_criterion crit[RULE_EXPLAIN_MAX];
	int nearly; /* index in crit of the criterion nearly met, or -1 */
	/* Unknown: the facts whose absence leaves the answer open (only those
	 * on a path that could change it). */
	int nmissing;
	char missing[RULE_MISSING_MAX][40];
	/* A benefit formula. */
	int amount_known;
	double amount;
	char reason[200]; /* why the amount is unknown */
};

/* Rule i of s for the facts loaded in fr.  Fills out (about 60 KiB:
 * allocate it).  -1 when out of memory. */
int rule_explain(const struct rule_set *s, int i, const struct rule_frame *fr,
                 struct rule_explanation *out);
/* The same for one rule and one enterprise, with a set and frame of its
 * own. */
int rule_explain_one(const struct rule *r, const struct rule_ctx *ctx, const struct rule_facts *f,
                     struct rule_explanation *out);
/* "R&D intensity (2024) 2.1 %, needs ≥ 3 %" or "研发投入强度（2024）2.1 %，需 ≥ 3 %";
 * "" when the criterion has no gap. */
void rule_gap_text(const struct rule_criterion *c, int zh, char *out, size_t n);
/* A number as rules show it: 1,500万, 2.35亿, 8,000元, 2.1 %, 150. */
void rule_format_value(double v, enum rule_unit u, char *out, size_t n);
/* The same for an English sentence, where 万 and 元 mean nothing to the
 * reader: money in yuan, ¥15,000,000; the rest as above. */
void rule_format_value_en(double v, enum rule_unit u, char *out, size_t n);

/* ------------------------------------------------------------------ */
/* SQL                                                                  */

/*
 * The flat facts table: one row per enterprise, unknown as NULL.
 *
 *   size, size_derived   INTEGER 1 micro, 2 small, 3 medium, 4 large
 *   industry             INTEGER the class code (3832)
 *   employees, age       REAL
 *   founded              INTEGER yyyymmdd
 *   status               INTEGER 0 active, 1 moved_out, 2 closed
 *   stage                INTEGER 0 none, 1 leading, 2 upstream, 3 midstream,
 *                                4 downstream, 5 service
 *   cluster, grid        INTEGER (0: none)
 *   in_park              INTEGER 0/1
 *   makes_gap_node       INTEGER 0/1
 *   tags                 TEXT every tag between unit separators (0x1F):
 *                        "\x1F专精特新\x1F高新技术企业\x1F", "" for none
 *   revenue_2024, rd_spend_2024q3, localisation_2023, ...
 *                        REAL, one per indicator and period read
 *
 * Money is in yuan; numbers are REAL so that "/" divides as the
 * evaluator does.
 */
struct rule_sql_param {
	int is_text;
	double num;
	char text[RULE_STRING_MAX + 8];
};

struct rule_sql {
	char *text; /* the expression, to follow WHERE or SELECT */
	int nparams;
	struct rule_sql_param *params; /* ?1 is params[0] */
};

/* Rule r at moment ctx as an SQL expression whose value is 1, 0 or NULL
 * (an eligibility rule) or the amount or NULL (a benefit).  -1 when out of
 * memory or ctx->as_of is bad. */
int rule_sql(const struct rule *r, const struct rule_ctx *ctx, struct rule_sql *out);
void rule_sql_release(struct rule_sql *q);
/* "revenue_2024", "tax_2024q3". */
void rule_sql_column(const struct rule_slot *s, char *out, size_t n);
/* CREATE TABLE table(id INTEGER PRIMARY KEY, the registry's columns,
 * one REAL column per slot). */
void rule_sql_create_table(struct buf *b, const char *table, const struct rule_slot *slots, int n);

#endif
