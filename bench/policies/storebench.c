/*
 * storebench: matching over the store, the whole path the product runs
 * (driven by bench/policies/store; see there).
 *
 * policybench times the rule machine in memory.  This times what the
 * server does around it: each enterprise's facts read from SQLite (its
 * record, its indicators, its chain facts), matched against the measures
 * serving it, and the outcomes written (policy_matches, and the outbox
 * for every enterprise newly eligible), in one transaction.
 *
 * Into a database made by `qunyan init --demo` (its town, its chains and
 * its measures, the demo's own eight) it adds N enterprises of Zhangyan
 * (POLICY_STORE_ENTS, 100,000) once: registry fields with about 5 % of
 * employee counts and founding dates missing, twelve quarters of
 * indicators up to the last one (8 % of the values missing), a product
 * at a chain node for three in ten, supply links into half of them.
 * Then, POLICY_STORE_RUNS times (3), with the measures' matches forgotten
 * first (untimed), so that every run writes them afresh:
 *
 *   - loading only: every enterprise's facts read, nothing evaluated;
 *   - full matching: pm_match_all, every enterprise against every measure
 *     serving it, each enterprise read once, the chain's gap makers once;
 *   - re-matching measure by measure: pm_rematch_policy for each measure,
 *     as when each is saved (every enterprise read once per measure); the
 *     matches it keeps must be the full matching's, measure by measure and
 *     outcome by outcome (else exit 2).
 *
 * Prints each run and the medians, full matching beside its floor: the
 * issue's 1,000,000 enterprises in 60 s scaled linearly to N (6 s for
 * 100,000).  Exits 1 when the median misses it, 2 on an error.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/jur_tree.h"
#include "api/policy_match.h"
#include "demo/demo_places.h"
#include "domain/uscc.h"
#include "store/store.h"
#include "util/timeutil.h"

#define FLOOR_S_PER_MILLION 60.0
#define MAX_RUNS            9

static uint64_t rng = 0x73746f7265626e63ULL;

static uint64_t rnd(void) /* splitmix64 */
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static double unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int die(const struct err *e)
{
	fprintf(stderr, "storebench: %s\n", e->message);
	return 2;
}

static long env_long(const char *name, long dflt)
{
	const char *s = getenv(name);

	return s && *s ? atol(s) : dflt;
}

static const char *const industries[] = {"3831", "3832", "3833", "3976", "3985", "2929",
                                         "3311", "3360", "3511", "3422", "2651", "7320"};

/* ------------------------------------------------------------------ */
/* The enterprises                                                      */

struct world {
	int64_t town, district;
	int64_t *nodes;
	int nnodes;
	int64_t first, last; /* the bench's enterprise ids */
};

static int add_enterprises(struct store *st, struct world *w, long n, struct err *e)
{
	struct enterprise *ent = malloc(sizeof(*ent));
	char now[21];
	int rc = -1;

	if (!ent)
		return err_set(e, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	enterprise_init(ent);
	time_now_iso(now);
	if (store_bulk_begin(st, e))
		goto out;
	for (long i = 0; i < n; i++) {
		char org[24];
		uint32_t r = below(100);

		enterprise_reset(ent);
		snprintf(org, sizeof(org), "QB%06ld", i);
		if (uscc_make("91310116", org, ent->uscc)) {
			err_set(e, ERR_INTERNAL, "uscc", NULL, "cannot make a USCC for %ld", i);
			store_bulk_end(st, 0, e);
			goto out;
		}
		snprintf(ent->name_zh, sizeof(ent->name_zh), "张堰测试企业%ld有限公司", i);
		snprintf(ent->name_en, sizeof(ent->name_en), "Zhangyan Bench Co. %ld", i);
		memcpy(ent->industry, industries[below(sizeof(industries) / sizeof(industries[0]))],
		       5);
		ent->cluster_id = 1 + below(4);
		ent->stage = (enum chain_stage)(1 + below(5));
		ent->employees = r < 5    ? -1
		                 : r < 60 ? (int64_t)(1 + below(19))
		                 : r < 90 ? (int64_t)(20 + below(280))
		                          : (int64_t)(300 + below(3000));
		ent->size = ent->employees < 0     ? SIZE_NONE
		            : ent->employees < 20  ? SIZE_MICRO
		            : ent->employees < 300 ? SIZE_SMALL
		                                   : SIZE_MEDIUM;
		if (below(100) >= 5)
			snprintf(ent->founded, sizeof(ent->founded), "%04u-%02u-%02u",
			         1990 + below(35), 1 + below(12), 1 + below(28));
		if (below(100) < 15)
			snprintf(ent->tags[ent->ntags++], sizeof(ent->tags[0]), "规上企业");
		if (below(100) < 5)
			snprintf(ent->tags[ent->ntags++], sizeof(ent->tags[0]), "专精特新");
		ent->status = below(100) < 96 ? STATUS_ACTIVE : STATUS_MOVED_OUT;
		ent->in_park = below(100) < 90;
		ent->jurisdiction_id = w->town;
		ent->district_id = w->district;
		memcpy(ent->created_at, now, sizeof(now));
		memcpy(ent->updated_at, now, sizeof(now));
		if (store_bulk_enterprise(st, ent, e)) {
			store_bulk_end(st, 0, e);
			goto out;
		}
		if (i == 0)
			w->first = ent->id;
		w->last = ent->id;
	}
	rc = store_bulk_end(st, 1, e);
out:
	free(ent);
	return rc;
}

/* Twelve quarters up to the last whole one, products and supply links. */
static int add_facts(struct store *st, const struct world *w, struct err *e)
{
	char today[11];
	struct period last;

	pm_today(today);
	period_of_date(today, PERIOD_QUARTER, &last);
	last = period_prev(last);
	if (store_begin(st, e))
		return -1;
	for (int64_t id = w->first; id <= w->last; id++) {
		double revenue = 50 * exp(6 * unit()); /* 万元 a quarter: 50 to 20,000 */
		double employees = 5 + 20 * revenue / 100 * unit();
		struct period p = last;
		for (int k = 0; k < 11; k++)
			p = period_prev(p);
		for (int k = 0; k < 12; k++, p.n = p.n == 4 ? 1 : p.n + 1, p.year += p.n == 1) {
			struct indicator ind;
			double v[IND_NFIELDS] = {revenue * (0.8 + 0.5 * unit()), 0, 0, employees, 0,
			                         revenue / 50 * unit()};
			v[IND_OUTPUT] = v[IND_REVENUE] * (0.9 + 0.2 * unit());
			v[IND_TAX] = v[IND_REVENUE] * 0.06 * unit();
			v[IND_RD] = v[IND_REVENUE] * 0.08 * unit();
			ind.p = p;
			for (int f = 0; f < IND_NFIELDS; f++)
				ind.v[f] = below(100) < 8 ? NAN : v[f];
			if (store_indicator_put(st, id, &ind, "import", 0, e))
				goto fail;
		}
		if (w->nnodes && below(10) < 3 &&
		    store_offer_put(st, 0, id, w->nodes[below((uint32_t)w->nnodes)],
		                    100 + 1000 * unit(), e))
			goto fail;
		if (w->nnodes && below(2) == 0) {
			for (int k = 0; k < 2; k++) {
				struct supply_link_rec l = {0};
				l.supplier_id =
				    w->first + below((uint32_t)(w->last - w->first + 1));
				if (l.supplier_id == id)
					continue;
				l.customer_id = id;
				l.node_id = w->nodes[below((uint32_t)w->nnodes)];
				l.value = 10 + 500 * unit();
				snprintf(l.since, sizeof(l.since), "%04u-01-01", 2018 + below(8));
				if (below(5) == 0)
					snprintf(l.until, sizeof(l.until), "%04u-12-31",
					         2024 + below(2));
				snprintf(l.source, sizeof(l.source), "declared");
				if (store_link_add(st, &l, e))
					goto fail;
			}
		}
	}
	return store_commit(st, e);
fail:
	store_rollback(st);
	return -1;
}

/* ------------------------------------------------------------------ */
/* The runs                                                             */

struct policies {
	struct policy *v;
	int n;
};

static int add_policy(void *ctx, const struct policy *p)
{
	struct policies *ps = ctx;
	struct policy *v = realloc(ps->v, (size_t)(ps->n + 1) * sizeof(*v));

	if (!v)
		return 1;
	ps->v = v;
	ps->v[ps->n++] = *p;
	return 0;
}

static int forget(struct store *st, const struct policies *ps, struct err *e)
{
	if (store_begin(st, e))
		return -1;
	for (int i = 0; i < ps->n; i++)
		if (store_match_forget(st, ps->v[i].id, e)) {
			store_rollback(st);
			return -1;
		}
	return store_commit(st, e);
}

static int load_all(struct store *st, double *secs, double *cpu, struct err *e)
{
	struct pm_facts *x = malloc(sizeof(*x));
	struct pm_chain chain;
	struct jur_scope all = jur_scope_all();
	int64_t *ids = NULL;
	size_t n = 0;
	double t0 = now_s(), c0 = cpu_s();
	int rc = -1;

	if (!x)
		return err_set(e, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_begin(st, e))
		goto out;
	if (pm_scope_ids(st, &all, &ids, &n, e) || pm_chain_open(st, 1, 1, &chain, e)) {
		store_rollback(st);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (pm_facts_load_run(st, ids[i], &chain, x, e)) {
			pm_chain_close(&chain);
			store_rollback(st);
			goto out;
		}
	pm_chain_close(&chain);
	store_rollback(st);
	*secs = now_s() - t0;
	*cpu = cpu_s() - c0;
	rc = 0;
out:
	free(ids);
	free(x);
	return rc;
}

/* The kept matches of every measure by outcome, and a checksum of who. */
struct tally {
	int64_t n[4];
	uint64_t sum;
};

static int tally_add(void *ctx, const struct policy_match *m)
{
	struct tally *t = ctx;

	t->n[m->outcome & 3]++;
	t->sum += (uint64_t)m->enterprise_id * 2654435761u + (uint64_t)m->outcome;
	return 0;
}

static int tally(struct store *st, const struct policies *ps, struct tally *out, struct err *e)
{
	for (int i = 0; i < ps->n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		if (store_matches(st, ps->v[i].id, -1, tally_add, &out[i], e))
			return -1;
	}
	return 0;
}

/* One pm_match_all in its transaction, the matches forgotten first when
 * cold: wall and CPU seconds. */
static int timed_run(struct store *st, const struct jur_tree *t, struct pm_run_stats *stats,
                     double *secs, double *cpu, struct err *e)
{
	double t0 = now_s(), c0 = cpu_s();

	if (store_begin(st, e))
		return -1;
	if (pm_match_all(st, t, stats, e)) {
		store_rollback(st);
		return -1;
	}
	if (store_commit(st, e))
		return -1;
	*secs = now_s() - t0;
	*cpu = cpu_s() - c0;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	long nents = env_long("POLICY_STORE_ENTS", 100000);
	int runs = (int)env_long("POLICY_STORE_RUNS", 3);
	double load[MAX_RUNS], load_cpu[MAX_RUNS], full[MAX_RUNS], full_cpu[MAX_RUNS],
	    warm[MAX_RUNS], warm_cpu[MAX_RUNS], each[MAX_RUNS];
	struct world w = {0};
	struct policies ps = {0};
	struct pm_run_stats stats = {0};
	struct tally *all_at_once = NULL, *one_by_one = NULL;
	struct store *st = NULL;
	struct jur_tree *t;
	struct chain_data cd;
	struct err e;
	int64_t count = 0;
	double floor_s, t0;

	if (argc != 2 || nents < 1 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: storebench DB (a database made by qunyan init --demo)\n");
		return 2;
	}
	err_clear(&e);
	if (store_open(&st, argv[1], STORE_MIGRATE, &e) || !(t = jur_tree_get(st, &e)))
		return die(&e);
	{
		const struct jurisdiction *town = jur_tree_by_code(t, DEMO_HOME_CODE);
		if (!town) {
			fprintf(stderr, "storebench: %s is not a demo database\n", argv[1]);
			return 2;
		}
		w.town = town->id;
		w.district = town->district_id;
	}
	if (store_enterprise_count(st, &count, &e) || store_chain_load(st, &cd, &e))
		return die(&e);
	w.nnodes = cd.g.nnodes;
	if (!(w.nodes = malloc(sizeof(*w.nodes) * (size_t)(w.nnodes + 1))))
		return 2;
	for (int i = 0; i < w.nnodes; i++)
		w.nodes[i] = cd.node_info[i].id;
	chain_data_free(&cd);
	if (count < nents) {
		t0 = now_s();
		fprintf(stderr, "storebench: adding %ld enterprises with their facts\n", nents);
		if (add_enterprises(st, &w, nents, &e) || add_facts(st, &w, &e))
			return die(&e);
		fprintf(stderr, "storebench: added in %.1f s\n", now_s() - t0);
		count += nents;
	}
	if (store_policies(st, add_policy, &ps, &e))
		return die(&e);
	if (!(all_at_once = calloc((size_t)ps.n + 1, sizeof(*all_at_once))) ||
	    !(one_by_one = calloc((size_t)ps.n + 1, sizeof(*one_by_one))))
		return 2;
	printf("enterprises %lld, measures %d (the demo's), %d runs\n", (long long)count, ps.n,
	       runs);
	for (int r = 0; r < runs; r++) {
		if (forget(st, &ps, &e) || load_all(st, &load[r], &load_cpu[r], &e))
			return die(&e);
		/* Cold: every outcome written afresh, every eligible enterprise
		 * told; warm: the same run again, the outcomes in place. */
		if (timed_run(st, t, &stats, &full[r], &full_cpu[r], &e) ||
		    timed_run(st, t, &stats, &warm[r], &warm_cpu[r], &e))
			return die(&e);
		if (tally(st, &ps, all_at_once, &e) || forget(st, &ps, &e))
			return die(&e);
		t0 = now_s();
		if (store_begin(st, &e))
			return die(&e);
		for (int i = 0; i < ps.n; i++)
			if (pm_rematch_policy(st, t, &ps.v[i], NULL, &e))
				return die(&e);
		if (store_commit(st, &e))
			return die(&e);
		each[r] = now_s() - t0;
		/* The run over all and the measures one by one keep the same
		 * matches. */
		if (tally(st, &ps, one_by_one, &e))
			return die(&e);
		if (memcmp(all_at_once, one_by_one, sizeof(*one_by_one) * (size_t)ps.n) != 0) {
			fprintf(stderr, "storebench: the run over all and the measures one by one "
			                "disagree\n");
			return 2;
		}
		printf("run %d: loading only %.2f s (CPU %.2f), full matching %.2f s (CPU %.2f), "
		       "again "
		       "%.2f s (CPU %.2f), measure by measure %.2f s\n",
		       r + 1, load[r], load_cpu[r], full[r], full_cpu[r], warm[r], warm_cpu[r],
		       each[r]);
		fflush(stdout);
	}
	floor_s = FLOOR_S_PER_MILLION * (double)stats.enterprises / 1e6;
	{
		double m_load = median(load, runs), m_load_cpu = median(load_cpu, runs),
		       m_full = median(full, runs), m_cpu = median(full_cpu, runs),
		       m_warm = median(warm, runs), m_warm_cpu = median(warm_cpu, runs),
		       m_each = median(each, runs);
		printf("\nmedian of %d runs, %lld enterprises, %lld measures matched today "
		       "(%lld evaluations, %lld outcomes kept):\n",
		       runs, (long long)stats.enterprises, (long long)stats.measures,
		       (long long)stats.evaluations, (long long)stats.kept);
		printf("  %-44s %8.2f s   CPU %6.2f s\n", "loading the facts only", m_load,
		       m_load_cpu);
		printf("  %-44s %8.2f s   CPU %6.2f s   (floor <= %.1f: 60 s per 1,000,000 "
		       "enterprises)\n",
		       "full matching, read + match + write", m_full, m_cpu, floor_s);
		printf("  %-44s %8.1f us  CPU %6.1f us\n", "  per enterprise",
		       m_full / (double)stats.enterprises * 1e6,
		       m_cpu / (double)stats.enterprises * 1e6);
		printf("  %-44s %8.2f s   CPU %6.2f s\n", "the same again, the outcomes in place",
		       m_warm, m_warm_cpu);
		printf("  %-44s %8.2f s\n", "re-matching measure by measure", m_each);
		return m_full <= floor_s ? 0 : 1;
	}
}
