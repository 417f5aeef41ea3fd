#include "chain_facts.h"

static int runs(const struct chain_purchase *p, int year)
{
	return p->since_year <= year && (p->until_year == 0 || p->until_year >= year);
}

int chain_localisation_values(const struct chain_purchase *p, int n, int as_of_year,
                              struct rule_ind_value *out, int max)
{
	int from = 0, to = as_of_year, count = 0;

	for (int i = 0; i < n; i++) {
		if (p[i].since_year > 0 && (!from || p[i].since_year < from))
			from = p[i].since_year;
		if (p[i].until_year > to)
			to = p[i].until_year;
	}
	if (!from)
		return 0;
	/* The latest years are the ones rules read (last_year): keep them
	 * when the history is longer than the values given. */
	if (to - from + 1 > CHAIN_FACTS_YEARS)
		from = to - CHAIN_FACTS_YEARS + 1;
	if (from < RULE_YEAR_MIN)
		from = RULE_YEAR_MIN;
	if (to > RULE_YEAR_MAX)
		to = RULE_YEAR_MAX;
	for (int y = from; y <= to && count < max; y++) {
		double local = 0, total = 0;
		for (int i = 0; i < n; i++) {
			if (!runs(&p[i], y))
				continue;
			total += p[i].value;
			if (p[i].local)
				local += p[i].value;
		}
		if (total > 0)
			out[count++] =
			    (struct rule_ind_value){RI_LOCALISATION, 0, (int16_t)y, local / total};
	}
	return count;
}
