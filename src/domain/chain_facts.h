/*
 * The chain facts of the eligibility rules (rule.h): what an
 * enterprise's supply links say of it, as rule values.
 *
 * makes_gap_node is decided by the store for a whole matching run at
 * once (store_gap_makers: one query over the products, not one per
 * enterprise and rule); localisation is computed here from one
 * enterprise's purchases, by the same rule as the chain's analyses
 * (chain_localisation): value bought from active in-park suppliers over
 * all value bought, by the links running in a year.
 */
#ifndef QY_CHAIN_FACTS_H
#define QY_CHAIN_FACTS_H

#include "rule.h"

/* One supply link into the enterprise. */
struct chain_purchase {
	double value;   /* a year, 10,000 yuan (only the ratio is used) */
	int since_year; /* the first year it runs */
	int until_year; /* the last, 0: still running */
	int local;      /* the supplier is an active enterprise of the park */
};

#define CHAIN_FACTS_YEARS 64 /* the years of localisation given at most */

/*
 * Appends localisation(year) (RI_LOCALISATION, a share 0..1) for every
 * year from the first purchase's to as_of_year (or a later last year of
 * a link) in which the enterprise bought anything, at most
 * CHAIN_FACTS_YEARS of them, to out[0..max); returns how many.  A year
 * without purchases has no value: the rules read it as unknown.
 */
int chain_localisation_values(const struct chain_purchase *p, int n, int as_of_year,
                              struct rule_ind_value *out, int max);

#endif
