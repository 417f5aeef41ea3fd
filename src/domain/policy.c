#include "policy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct policy_category policy_categories[] = {
    {"tax", "税收减免与服务", "Tax relief and services"},
    {"financing", "融资支持", "Financing"},
    {"talent", "人才与人力资源", "Talent and human resources"},
    {"rd", "研发创新", "R&D and innovation"},
    {"land_premises", "用地与厂房", "Land and premises"},
    {"market", "市场开拓", "Markets"},
    {"chain", "产业链", "Industrial chains"},
};
const int policy_ncategories = sizeof(policy_categories) / sizeof(policy_categories[0]);
const char policy_categories_list[] = "tax, financing, talent, rd, land_premises, market, chain";

const struct policy_category *policy_category_find(const char *code)
{
	for (int i = 0; i < policy_ncategories; i++)
		if (strcmp(policy_categories[i].code, code) == 0)
			return &policy_categories[i];
	return NULL;
}

static const char *const mode_names[] = {"apply", "automatic"};

const char *policy_mode_name(enum policy_mode m)
{
	return (unsigned)m < 2 ? mode_names[m] : "?";
}

int policy_mode_parse(const char *s, enum policy_mode *out)
{
	for (int i = 0; i < 2; i++)
		if (strcmp(s, mode_names[i]) == 0) {
			*out = (enum policy_mode)i;
			return 0;
		}
	return -1;
}

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = POL_APPLY;
}

/* A date as the store keeps it: YYYY-MM-DD with a real day. */
static int date_valid(const char *d)
{
	int y, m, day;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return 0;
	y = atoi(d);
	m = atoi(d + 5);
	day = atoi(d + 8);
	if (y < RULE_YEAR_MIN || y > RULE_YEAR_MAX || m < 1 || m > 12 || day < 1 ||
	    day > mdays[m - 1])
		return 0;
	/* 29 February only in a leap year. */
	return !(m == 2 && day == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

int policy_rule_check(const char *text, enum rule_kind kind, const char *field, struct err *e)
{
	struct rule_error re;
	struct rule *r = rule_compile(text, strlen(text), kind, &re);

	if (r) {
		rule_free(r);
		return 0;
	}
	/* The first refused rule gives the answer its position. */
	if (!e->line) {
		e->line = re.line;
		e->column = re.column;
	}
	err_field(e, field, "invalid_rule", "%s: %s", field, re.message);
	return -1;
}

int policy_validate(const struct policy *p, struct err *e)
{
	int before = e->nfields;

	if (!p->title_zh[0])
		err_field(e, "title_zh", "required", "title_zh: is required");
	if (!p->issuer[0])
		err_field(e, "issuer", "required", "issuer: is required (who issued the measure)");
	if (!policy_category_find(p->category))
		err_field(e, "category", "invalid_category", "category: must be one of %s",
		          policy_categories_list);
	if (strcmp(p->level, "district") != 0 && strcmp(p->level, "town") != 0)
		err_field(e, "level", "invalid_enum", "level: must be district or town");
	if (p->mode != POL_APPLY && p->mode != POL_AUTOMATIC)
		err_field(e, "mode", "invalid_enum", "mode: must be apply or automatic");
	if (!date_valid(p->effective_from))
		err_field(e, "effective_from", "invalid_date",
		          "effective_from: must be a date YYYY-MM-DD of years %d..%d",
		          RULE_YEAR_MIN, RULE_YEAR_MAX);
	if (p->effective_to[0] && !date_valid(p->effective_to))
		err_field(e, "effective_to", "invalid_date",
		          "effective_to: must be a date YYYY-MM-DD of years %d..%d, or absent for "
		          "no end",
		          RULE_YEAR_MIN, RULE_YEAR_MAX);
	else if (p->effective_to[0] && date_valid(p->effective_from) &&
	         strcmp(p->effective_to, p->effective_from) < 0)
		err_field(e, "effective_to", "before_since",
		          "effective_to: %s is before effective_from (%s)", p->effective_to,
		          p->effective_from);
	if (p->ndocs < 0 || p->ndocs > POL_MAX_DOCS)
		err_field(e, "documents", "too_many", "documents: at most %d", POL_MAX_DOCS);
	else
		for (int i = 0; i < p->ndocs; i++)
			if (!p->docs[i][0]) {
				err_field(e, "documents", "required",
				          "documents[%d]: must name a document, not be empty", i);
				break;
			}
	if (p->has_amount && p->formula[0])
		err_field(e, "benefit", "not_allowed",
		          "benefit: give an amount or a formula, not both");
	else if (!p->has_amount && !p->formula[0])
		err_field(e, "benefit", "required",
		          "benefit: is required: {\"amount\": yuan} or {\"formula\": \"...\"}");
	else if (p->has_amount &&
	         (!isfinite(p->amount) || p->amount < 0 || p->amount > POL_AMOUNT_MAX))
		err_field(e, "benefit.amount", "out_of_range",
		          "benefit.amount: must be 0 to %.0f yuan", POL_AMOUNT_MAX);
	else if (p->formula[0])
		policy_rule_check(p->formula, RULE_BENEFIT, "benefit.formula", e);
	if (!p->rule[0])
		err_field(e, "rule", "required",
		          "rule: is required (who qualifies, in the rule language)");
	else
		policy_rule_check(p->rule, RULE_ELIGIBILITY, "rule", e);
	if (e->nfields > before) {
		e->kind = ERR_INVALID;
		return -1;
	}
	return 0;
}

int policy_in_force(const struct policy *p, const char *date)
{
	if (strcmp(date, p->effective_from) < 0)
		return 0;
	return !p->effective_to[0] || strcmp(date, p->effective_to) <= 0;
}

int policy_may_manage(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER;
}

int policy_may_apply(const struct principal *p)
{
	return p->role == ROLE_ENTERPRISE && p->enterprise_id > 0;
}

/* ------------------------------------------------------------------ */
/* Applications                                                         */

static const char *const app_names[APP_NSTATES] = {"applied", "review", "approved", "rejected",
                                                   "paid"};

/* steps[from] has bit `to` set for each allowed step. */
static const unsigned steps[APP_NSTATES] = {
    [APP_APPLIED] = 1u << APP_REVIEW | 1u << APP_REJECTED,
    [APP_REVIEW] = 1u << APP_APPROVED | 1u << APP_REJECTED,
    [APP_APPROVED] = 1u << APP_PAID,
    [APP_REJECTED] = 0,
    [APP_PAID] = 0,
};

const char *app_state_name(enum app_state s)
{
	return (unsigned)s < APP_NSTATES ? app_names[s] : "?";
}

int app_state_parse(const char *s, enum app_state *out)
{
	for (int i = 0; i < APP_NSTATES; i++)
		if (strcmp(s, app_names[i]) == 0) {
			*out = (enum app_state)i;
			return 0;
		}
	return -1;
}

int app_step_allowed(enum app_state from, enum app_state to)
{
	if ((unsigned)from >= APP_NSTATES || (unsigned)to >= APP_NSTATES)
		return -1;
	return steps[from] & (1u << to) ? 0 : -1;
}

void app_allowed_list(enum app_state s, char *out, size_t n)
{
	size_t len = 0;

	if (n)
		out[0] = '\0';
	if ((unsigned)s >= APP_NSTATES)
		return;
	for (int i = 0; i < APP_NSTATES; i++)
		if (steps[s] & (1u << i)) {
			int w = snprintf(out + len, n - len, "%s%s", len ? ", " : "", app_names[i]);
			if (w < 0 || (size_t)w >= n - len)
				return;
			len += (size_t)w;
		}
}

int app_step_check(enum app_state from, enum app_state to, int has_amount, double amount,
                   const char *reason, struct err *e)
{
	char allowed[80];

	if (app_step_allowed(from, to)) {
		app_allowed_list(from, allowed, sizeof(allowed));
		return err_set(e, ERR_CONFLICT, "illegal_transition", "state",
		               "state: an application %s cannot become %s; %s%s",
		               app_state_name(from), app_state_name(to),
		               allowed[0] ? "allowed: " : "it is final", allowed);
	}
	if (to == APP_APPROVED && !has_amount)
		return err_set(e, ERR_INVALID, "required", "amount",
		               "amount: is required to approve (yuan granted)");
	if (to == APP_APPROVED && (!isfinite(amount) || amount < 0 || amount > POL_AMOUNT_MAX))
		return err_set(e, ERR_INVALID, "out_of_range", "amount",
		               "amount: must be 0 to %.0f yuan", POL_AMOUNT_MAX);
	if (to == APP_REJECTED && (!reason || !reason[0]))
		return err_set(e, ERR_INVALID, "reason_required", "reason",
		               "reason: is required to reject an application");
	return 0;
}
