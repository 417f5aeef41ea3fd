/*
 * Policy measures: what a district or a town grants enterprises, who
 * qualifies (an eligibility rule, rule.h), what it grants (a fixed amount
 * or a benefit formula in the same language), and how: by application
 * (apply) or from the data without one (automatic, confirmed in batches).
 *
 * The rules of a whole measure, of an application's steps and of who may
 * do what live here, free of HTTP and SQL, so that they are unit-tested
 * without a server (tests/unit/test_policy.c).  The JSON body is read at
 * the edge (src/api/policies.c).
 */
#ifndef QY_POLICY_H
#define QY_POLICY_H

#include <stdint.h>

#include "../util/err.h"
#include "access.h"
#include "rule.h"

#define POL_ISSUER_MAX  100 /* characters */
#define POL_DOCNO_MAX   60
#define POL_TITLE_MAX   200
#define POL_SUMMARY_MAX 2000
#define POL_DOC_MAX     100 /* one required document's name */
#define POL_MAX_DOCS    10
#define POL_REASON_MAX  200
#define POL_AMOUNT_MAX  1e10 /* yuan: 100亿, beyond any measure */

/* The measures' categories, in the order the console lists them. */
struct policy_category {
	const char *code, *name_zh, *name_en;
};
extern const struct policy_category policy_categories[];
extern const int policy_ncategories;
extern const char policy_categories_list[]; /* "tax, financing, ..." */
const struct policy_category *policy_category_find(const char *code);

enum policy_mode { POL_APPLY = 0, POL_AUTOMATIC };
const char *policy_mode_name(enum policy_mode m);
int policy_mode_parse(const char *s, enum policy_mode *out);

/* A measure.  Text fields hold UTF-8 of at most their limit in
 * characters (4 bytes each).  rule_version moves when the rule or the
 * benefit changes, version with every change (If-Match). */
struct policy {
	int64_t id, version, rule_version;
	char issuer[4 * POL_ISSUER_MAX + 1];
	char level[9]; /* "district" or "town": its jurisdiction's level */
	char doc_number[4 * POL_DOCNO_MAX + 1];
	char title_zh[4 * POL_TITLE_MAX + 1], title_en[4 * POL_TITLE_MAX + 1];
	char summary_zh[4 * POL_SUMMARY_MAX + 1], summary_en[4 * POL_SUMMARY_MAX + 1];
	char category[16];
	char effective_from[11], effective_to[11]; /* YYYY-MM-DD; to "": open */
	int64_t jurisdiction_id, district_id;
	/* The benefit: a fixed amount (has_amount) or a formula. */
	int has_amount;
	double amount; /* yuan */
	char formula[RULE_SOURCE_MAX + 1];
	int ndocs;
	char docs[POL_MAX_DOCS][4 * POL_DOC_MAX + 1];
	enum policy_mode mode;
	char rule[RULE_SOURCE_MAX + 1];
	int64_t created_by;
	char created_at[21], updated_at[21];
};

void policy_init(struct policy *p);
/*
 * The rules of a whole measure: its category, level and mode known, its
 * period in order, one benefit (an amount of 0 .. POL_AMOUNT_MAX, or a
 * formula), and its rule and formula compiled.  A rule refused names the
 * field ("rule", "benefit.formula") with code invalid_rule, and e->line
 * and e->column the place of the first one.  Every fault is listed.
 */
int policy_validate(const struct policy *p, struct err *e);
/* Compiles a rule (kind) into err's form: 0, or -1 with invalid_rule on
 * field, its line and column, and "what was expected" in the message. */
int policy_rule_check(const char *text, enum rule_kind kind, const char *field, struct err *e);
/* 1 when the measure is in force on date (YYYY-MM-DD). */
int policy_in_force(const struct policy *p, const char *date);

/* Who may do what. */
int policy_may_manage(const struct principal *p); /* officers, admins */
int policy_may_apply(const struct principal *p);  /* an enterprise's contact */

/* ------------------------------------------------------------------ */
/* Applications                                                         */

/*
 * An application to an apply measure:
 *
 *   applied --review--> review --approve--> approved --pay--> paid
 *      |                   |
 *      +----reject---------+--reject--> rejected
 *
 * approved needs an amount, rejected a reason.  The states are kept as
 * their names.
 */
enum app_state { APP_APPLIED = 0, APP_REVIEW, APP_APPROVED, APP_REJECTED, APP_PAID, APP_NSTATES };
const char *app_state_name(enum app_state s);
int app_state_parse(const char *s, enum app_state *out);
/* 0 when the step from -> to is allowed, else -1. */
int app_step_allowed(enum app_state from, enum app_state to);
/* The states reachable from s, ", " separated ("" when none). */
void app_allowed_list(enum app_state s, char *out, size_t n);
/*
 * Checks a step with what it carries: allowed (else ERR_CONFLICT
 * illegal_transition naming the allowed ones), an amount of 0 ..
 * POL_AMOUNT_MAX for approved (has_amount), a reason for rejected.
 */
int app_step_check(enum app_state from, enum app_state to, int has_amount, double amount,
                   const char *reason, struct err *e);

#endif
