#include "policy_question.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pq_kind_name(enum pq_kind k)
{
	return k == PQ_REGISTRY ? "registry" : k == PQ_INDICATOR ? "indicator" : "chain";
}

/* The rules' indicators as the figures a visit records. */
static const struct {
	const char *rule_name, *field;
	enum ind_field ind;
} ind_names[] = {
    {"revenue", "revenue", IND_REVENUE},
    {"output", "output", IND_OUTPUT},
    {"tax", "tax", IND_TAX},
    {"rd_spend", "rd", IND_RD},
    {"energy", "energy", IND_ENERGY},
    {"employees", "employees", IND_EMPLOYEES},
};

/* "2025" or "2025Q3": the year and quarter (0 for the year). */
static int parse_period(const char *s, size_t len, int *year, int *quarter)
{
	if (len != 4 && len != 6)
		return -1;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	*year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*quarter = 0;
	if (len == 6) {
		if (s[4] != 'Q' || s[5] < '1' || s[5] > '4')
			return -1;
		*quarter = s[5] - '0';
	}
	return *year >= RULE_YEAR_MIN && *year <= RULE_YEAR_MAX ? 0 : -1;
}

int pq_fact_parse(const char *name, struct pq_fact *out)
{
	const char *open = strchr(name, '(');
	size_t base = open ? (size_t)(open - name) : strlen(name);

	memset(out, 0, sizeof(*out));
	if (strlen(name) >= sizeof(out->name) || base >= sizeof(out->field))
		return -1;
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->def = rule_fact_find(name, base);
	if (!open) {
		/* The registry's fields a visit can fill; the others are always
		 * known (status, stage, tags, ...) or required (industry). */
		static const char *const reg[] = {"employees", "founded", "size"};
		for (size_t i = 0; i < sizeof(reg) / sizeof(reg[0]); i++)
			if (strcmp(name, reg[i]) == 0) {
				out->kind = PQ_REGISTRY;
				snprintf(out->field, sizeof(out->field), "%s", name);
				return 0;
			}
		if (strcmp(name, "makes_gap_node") == 0) {
			out->kind = PQ_CHAIN;
			snprintf(out->field, sizeof(out->field), "%s", name);
			return 0;
		}
		return -1;
	}
	{
		size_t plen = strlen(open + 1);
		if (plen < 2 || open[plen] != ')' ||
		    parse_period(open + 1, plen - 1, &out->year, &out->quarter))
			return -1;
	}
	if (base == strlen("localisation") && strncmp(name, "localisation", base) == 0) {
		out->kind = PQ_CHAIN;
		snprintf(out->field, sizeof(out->field), "localisation");
		return 0;
	}
	for (size_t i = 0; i < sizeof(ind_names) / sizeof(ind_names[0]); i++)
		if (strlen(ind_names[i].rule_name) == base &&
		    strncmp(name, ind_names[i].rule_name, base) == 0) {
			out->kind = PQ_INDICATOR;
			out->ind = ind_names[i].ind;
			snprintf(out->field, sizeof(out->field), "%s", ind_names[i].field);
			return 0;
		}
	return -1;
}

/* The rules' indicator of a visit's field. */
static enum rule_ind rule_ind_of(enum ind_field f)
{
	switch (f) {
	case IND_REVENUE:
		return RI_REVENUE;
	case IND_OUTPUT:
		return RI_OUTPUT;
	case IND_TAX:
		return RI_TAX;
	case IND_RD:
		return RI_RD_SPEND;
	case IND_ENERGY:
		return RI_ENERGY;
	default:
		return RI_EMPLOYEES;
	}
}

int pq_quarters_missing(const struct pq_fact *q, const struct indicator *series, int n,
                        struct period *out)
{
	/* Whether a quarter is whole is decided by the same conversion the
	 * matching reads (a quarter's own figure, else its three months), so
	 * that the form never asks for a figure the rules already have or
	 * misses one they lack. */
	struct rule_ind_value *v;
	int nv, count = 0, first, last;
	enum rule_ind ri = rule_ind_of(q->ind);

	if (q->kind != PQ_INDICATOR)
		return 0;
	first = q->quarter ? q->quarter : 1;
	last = q->quarter ? q->quarter : 4;
	v = malloc(sizeof(*v) * (size_t)(6 * 5 * 64));
	nv = v ? rule_values_from_indicators(series, n, v, 6 * 5 * 64) : 0;
	for (int k = first; k <= last; k++) {
		int have = 0;
		for (int i = 0; i < nv && !have; i++)
			have = v[i].ind == ri && v[i].year == q->year && v[i].quarter == k &&
			       !isnan(v[i].v);
		if (!have)
			out[count++] = (struct period){q->year, PERIOD_QUARTER, k};
	}
	free(v);
	return count;
}

void pq_list_init(struct pq_list *l)
{
	l->n = l->truncated = 0;
}

static void add_policy(struct pq_question *q, int64_t policy_id)
{
	for (int i = 0; i < q->npolicies; i++)
		if (q->policies[i] == policy_id)
			return;
	if (q->npolicies < PQ_POLICIES_MAX)
		q->policies[q->npolicies++] = policy_id;
	else
		q->more_policies++;
}

void pq_list_add(struct pq_list *l, const struct rule_explanation *ex, int64_t policy_id,
                 const struct indicator *series, int n)
{
	for (int i = 0; i < ex->nmissing; i++) {
		struct pq_fact f;
		struct pq_question *q = NULL;

		if (pq_fact_parse(ex->missing[i], &f))
			continue;
		for (int k = 0; k < l->n && !q; k++)
			if (strcmp(l->q[k].fact.name, f.name) == 0)
				q = &l->q[k];
		if (!q) {
			if (l->n == PQ_MAX) {
				l->truncated = 1;
				continue;
			}
			q = &l->q[l->n++];
			memset(q, 0, sizeof(*q));
			q->fact = f;
			q->nperiods = pq_quarters_missing(&f, series, n, q->periods);
		}
		add_policy(q, policy_id);
	}
}
