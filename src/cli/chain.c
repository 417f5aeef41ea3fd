/*
 * qunyan chain map|gaps|loops|localisation CLUSTER_ID
 * qunyan chain partners ENTERPRISE_ID
 *
 * The chain analyses from the command line, over the same store and
 * domain code as the API, printed as tables for a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/store.h"
#include "cli.h"

static void usage(void)
{
	printf("usage: qunyan chain map CLUSTER_ID [--year YYYY]\n"
	       "       qunyan chain gaps CLUSTER_ID\n"
	       "       qunyan chain loops CLUSTER_ID\n"
	       "       qunyan chain localisation CLUSTER_ID [--from YYYY] [--to YYYY]\n"
	       "       qunyan chain partners ENTERPRISE_ID [--limit N]\n\n"
	       "map: every node of the cluster's chain with its producers and consumers in\n"
	       "the park and its state (covered, outside_only, gap).  gaps: the nodes to\n"
	       "fill, by the demand in the park they would serve.  loops: local supply\n"
	       "loops and the missing links that would close more.  localisation: the\n"
	       "share of input value bought inside the park, by year, for the cluster and\n"
	       "its leading enterprise.  partners: suppliers and customers recommended\n"
	       "for an enterprise, with the points each reason earned.\n");
}

static const char *state_name(enum node_state s)
{
	return s == NODE_COVERED ? "covered" : s == NODE_OUTSIDE_ONLY ? "outside_only" : "gap";
}

static long opt(int argc, char **argv, const char *name, long def)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return atol(argv[i + 1]);
	return def;
}

static void print_series(const char *label, const struct chain_data *d, int ent, int64_t cluster,
                         int from, int to)
{
	int n = to - from + 1;
	double *v = calloc(3 * (size_t)n, sizeof(double));

	if (!v)
		return;
	chain_localisation(&d->g, &d->ix, ent, cluster, from, to, v, v + n, v + 2 * n);
	printf("%s\n", label);
	for (int i = 0; i < n; i++) {
		if (v[i] < 0)
			printf("  %d      -\n", from + i);
		else
			printf("  %d  %5.1f %%  (%.0f of %.0f ten-thousand CNY)\n", from + i,
			       100 * v[i], v[n + i], v[2 * n + i]);
	}
	free(v);
}

int cmd_chain(int argc, char **argv, struct config *cfg)
{
	struct store *st = NULL;
	struct chain_data d;
	struct cluster c;
	struct err err;
	int64_t id;
	int rc = 1;

	if (cli_wants_help(argc, argv) || argc < 3) {
		usage();
		return cli_wants_help(argc, argv) ? 0 : 2;
	}
	id = atoll(argv[2]);
	if (id <= 0)
		return cli_usage("chain: '%s' is not an id", argv[2]);
	err_clear(&err);
	memset(&d, 0, sizeof(d));
	if (store_open(&st, cfg->db, STORE_READONLY, &err))
		return cli_fail_err(&err);
	if (store_chain_load(st, &d, &err)) {
		cli_fail_err(&err);
		goto out;
	}
	if (strcmp(argv[1], "partners") == 0) {
		int ent = chain_data_ent(&d, id);
		int limit = (int)opt(argc, argv, "--limit", 10);
		struct partner_rec *recs;
		if (ent < 0) {
			cli_fail("chain: no enterprise with id %lld", (long long)id);
			goto out;
		}
		if (limit < 1 || limit > 1000 || !(recs = calloc((size_t)limit, sizeof(*recs)))) {
			cli_fail("chain: --limit must be 1 to 1000");
			goto out;
		}
		int n = chain_recommend(&d.g, &d.ix, ent, recs, limit);
		printf("%-8s %6s %8s  %-24s %s\n", "role", "score", "partner", "node", "reasons");
		for (int i = 0; i < n; i++) {
			static const char *const rn[8] = {"node", "park",   "capacity", "near",
			                                  "size", "linked", "grid",     "cluster"};
			printf("%-8s %6.2f %8lld  %-24s",
			       recs[i].role == PARTNER_SUPPLIER ? "supplier" : "customer",
			       recs[i].score, (long long)d.ent_ids[recs[i].ent],
			       d.node_info[recs[i].node].code);
			for (int b = 0; b < 8; b++)
				if (recs[i].reasons & (1u << b))
					printf(" %s+%.1f", rn[b], recs[i].part[b]);
			printf("\n");
		}
		free(recs);
		rc = 0;
		goto out;
	}
	if (store_cluster_get(st, id, &c, &err)) {
		cli_fail_err(&err);
		goto out;
	}
	if (strcmp(argv[1], "map") == 0 || strcmp(argv[1], "gaps") == 0) {
		struct node_summary *sum = calloc((size_t)d.g.nnodes + 1, sizeof(*sum));
		int *gaps = calloc((size_t)d.g.nnodes + 1, sizeof(*gaps));
		if (!sum || !gaps) {
			free(sum);
			free(gaps);
			cli_fail("chain: out of memory");
			goto out;
		}
		chain_map(&d.g, &d.ix, (int)opt(argc, argv, "--year", 0), sum);
		printf("%s (%s)\n", c.name_zh, c.name_en);
		printf("%-20s %-10s %-12s %6s %6s %6s %12s\n", "node", "stage", "state", "makers",
		       "outside", "buyers", "demand");
		if (strcmp(argv[1], "map") == 0) {
			for (int i = 0; i < d.g.nnodes; i++) {
				if (d.node_info[i].cluster_id != c.id)
					continue;
				printf("%-20s %-10s %-12s %6d %6d %6d %12.0f\n",
				       d.node_info[i].code, chain_stage_name(d.node_info[i].stage),
				       state_name(sum[i].state), sum[i].producers_in_park,
				       sum[i].producers_outside, sum[i].consumers_in_park,
				       sum[i].demand_in_park);
			}
		} else {
			int n = chain_gaps(&d.g, sum, gaps, d.g.nnodes);
			for (int k = 0; k < n; k++) {
				int i = gaps[k];
				/* A retired node is no gap to fill (as over HTTP). */
				if (d.node_info[i].cluster_id != c.id || d.node_info[i].retired)
					continue;
				printf("%-20s %-10s %-12s %6d %6d %6d %12.0f\n",
				       d.node_info[i].code, chain_stage_name(d.node_info[i].stage),
				       state_name(sum[i].state), sum[i].producers_in_park,
				       sum[i].producers_outside, sum[i].consumers_in_park,
				       sum[i].demand_in_park);
			}
		}
		free(sum);
		free(gaps);
		rc = 0;
	} else if (strcmp(argv[1], "loops") == 0) {
		int *comp = malloc(((size_t)d.g.nents + 1) * sizeof(*comp));
		struct near_loop near[20];
		int nloops, nnear;
		if (!comp) {
			cli_fail("chain: out of memory");
			goto out;
		}
		nloops = chain_loops(&d.g, &d.ix, 0, comp);
		for (int k = 0; k < nloops; k++) {
			int touches = 0;
			for (int i = 0; i < d.g.nents; i++)
				touches |= comp[i] == k && d.g.ents[i].cluster_id == c.id;
			if (!touches)
				continue;
			printf("loop %d:", k + 1);
			for (int i = 0; i < d.g.nents; i++)
				if (comp[i] == k)
					printf(" %lld", (long long)d.ent_ids[i]);
			printf("\n");
		}
		nnear = chain_near_loops(&d.g, &d.ix, 0, near, 20);
		for (int k = 0; k < nnear; k++)
			printf("near loop: %lld could supply %lld with %s (need %.0f)\n",
			       (long long)d.ent_ids[near[k].supplier],
			       (long long)d.ent_ids[near[k].customer],
			       d.node_info[near[k].node].code, near[k].need);
		free(comp);
		rc = 0;
	} else if (strcmp(argv[1], "localisation") == 0) {
		int from = (int)opt(argc, argv, "--from", 2016),
		    to = (int)opt(argc, argv, "--to", 2024);
		int lead = chain_data_ent(&d, c.leading_enterprise_id);
		if (from < 1990 || to > 2100 || to < from) {
			cli_fail("chain: --from and --to must be years, from before to");
			goto out;
		}
		print_series("cluster", &d, -1, c.id, from, to);
		if (lead >= 0)
			print_series("leading enterprise", &d, lead, 0, from, to);
		rc = 0;
	} else {
		usage();
		rc = 2;
	}
out:
	chain_data_free(&d);
	store_close(st);
	return rc;
}
