/*
 * bench/chain/chainbench.c — the industrial-chain benchmark (driven by
 * bench/chain/run; see there).
 *
 *   chainbench signature        what the city is made of, one line (the run
 *                               script keeps it beside a generated database
 *                               to know whether it can be reused)
 *   chainbench gen DB           fills DB, a fresh `qunyan init` database,
 *                               with the city
 *   chainbench run DB [opts]    measures and prints the table; exits 1 when
 *                               a floor fails, 2 on an error
 *
 * The city: 20 clusters; 200 chain nodes in 4 layers of 50 (material →
 * component → product → service), node j of a layer belonging to cluster
 * j mod 20, each node of layers 1-3 with 3 inputs in the layer before (2
 * of its cluster, 1 of another); 1,000,000 enterprises, each in one
 * cluster and layer, making 1-2 nodes of that layer (capacity) and buying
 * 2-4 nodes (need): inputs of what it makes, or for the material layer,
 * services; 10,000,000 supply links, customer uniform, node one of its
 * needs, supplier a producer of the node chosen with a skew (a few
 * producers have hundreds of customers).  90% of enterprises are in the
 * park (1% of those moved out), 3% have no location, 2% no size class,
 * none is placed in a grid.  Fixed seed: the same city every time.
 *
 * Knobs for quick trials (environment, read by every subcommand):
 * CHAIN_BENCH_ENTS, CHAIN_BENCH_LINKS.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/chain.h"
#include "store/store.h"

#define GEN_VERSION 1
#define SEED        0x7175e79a6e2024ULL
#define N_CLUSTERS  20
#define N_LAYERS    4
#define PER_LAYER   50
#define N_NODES     (N_LAYERS * PER_LAYER)
#define N_INPUTS    3
#define MAX_MAKE    2
#define MAX_BUY     4

/* Floors. */
#define FLOOR_REC_P50_MS 5.0
#define FLOOR_REC_P99_MS 20.0
#define FLOOR_WHOLE_S    10.0
#define FLOOR_HWM_KIB    (4.0 * 1024 * 1024)

/* The machine is shared: each recommendation is timed REC_PASSES times and
 * its best time kept, and the whole-graph analyses are run WHOLE_PASSES
 * times; the single-pass and CPU-time figures are printed beside them. */
#define REC_PASSES   3
#define WHOLE_PASSES 2

#define REC_MAX    20
#define NEAR_MAX   1000
#define LOC_FROM   2016
#define LOC_TO     2024
#define DEG_TO_RAD (3.14159265358979323846 / 180.0)

static int n_ents = 1000000;
static long n_links = 10000000;

/* ------------------------------------------------------------------ */
/* Small helpers                                                      */
/* ------------------------------------------------------------------ */

static uint64_t rng;

static uint64_t rnd(void) /* splitmix64 */
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

static double rnd_unit(void)
{
	return (double)(rnd() >> 11) * 0x1p-53;
}

/* Log-uniform in [lo, hi), rounded to 0.01. */
static double rnd_amount(double lo, double hi)
{
	return round(lo * exp(rnd_unit() * log(hi / lo)) * 100) / 100;
}

static double cpu_s(void) /* this thread's CPU time */
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "chainbench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		die("out of memory");
	return p;
}

static void read_knobs(void)
{
	const char *s;

	if ((s = getenv("CHAIN_BENCH_ENTS")) && *s)
		n_ents = atoi(s);
	if ((s = getenv("CHAIN_BENCH_LINKS")) && *s)
		n_links = atol(s);
	if (n_ents < 1000 || n_links < 1)
		die("CHAIN_BENCH_ENTS must be >= 1000 and CHAIN_BENCH_LINKS >= 1");
}

/* VmRSS and VmHWM in KiB. */
static void mem_kib(long *rss, long *hwm)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];

	*rss = *hwm = -1;
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			*rss = atol(line + 6);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm = atol(line + 6);
	}
	fclose(f);
}

static void db_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die("SQL failed: %s: %s", sql, msg ? msg : sqlite3_errmsg(db));
}

static sqlite3_stmt *db_prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die("cannot prepare %s: %s", sql, sqlite3_errmsg(db));
	return s;
}

static void db_step_done(sqlite3 *db, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die("insert failed: %s", sqlite3_errmsg(db));
	sqlite3_reset(s);
}

static int64_t db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = db_prep(db, sql);
	int64_t v = -1;

	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* ------------------------------------------------------------------ */
/* The city                                                           */
/* ------------------------------------------------------------------ */

static int node_cluster(int node) /* 0-based node index -> 1-based cluster id */
{
	return node % PER_LAYER % N_CLUSTERS + 1;
}

/* The nodes of a cluster (0-based) in a layer: j = c, c + 20, c + 40 < 50. */
static int cluster_nodes(int c, int layer, int *out)
{
	int n = 0;

	for (int j = c; j < PER_LAYER; j += N_CLUSTERS)
		out[n++] = layer * PER_LAYER + j;
	return n;
}

static int has(const int *a, int n, int v)
{
	for (int i = 0; i < n; i++)
		if (a[i] == v)
			return 1;
	return 0;
}

static void sort_small(int *a, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && a[j - 1] > a[j]; j--) {
			int t = a[j];
			a[j] = a[j - 1];
			a[j - 1] = t;
		}
}

static void shuffle(int *a, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = (int)rnd_below((uint32_t)i + 1), t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

static const char *const stage_of_layer[N_LAYERS] = {"upstream", "midstream", "downstream",
                                                     "service"};
static const char *const kind_of_layer[N_LAYERS] = {"material", "component", "product", "service"};

struct drop {
	char name[128];
	char *sql;
	int is_index;
};

static int gen(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	struct drop drops[64];
	int ndrops = 0;
	int inputs[N_NODES][N_INPUTS];
	int16_t *make, *buy; /* [ent][MAX_MAKE], [ent][MAX_BUY]; -1: none */
	int *pstart, *plist, *pfill;
	double t0 = now_s(), t;
	char buf[256], buf2[256];

	rng = SEED;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die("cannot open %s: %s", path, sqlite3_errmsg(db));
	if (db_int(db, "SELECT count(*) FROM enterprises") != 0 ||
	    db_int(db, "SELECT count(*) FROM chain_nodes") != 0)
		die("%s is not a fresh database (run `qunyan init --db %s` first)", path, path);
	db_exec(db,
	        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;"
	        "PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY;"
	        "PRAGMA cache_size = -2097152; PRAGMA threads = 2");

	/* Secondary indexes and row triggers of the bulk tables go, to come
	 * back exactly as the migrations wrote them once the rows are in. */
	s = db_prep(db,
	            "SELECT name, sql, type = 'index' FROM sqlite_master WHERE sql IS NOT NULL "
	            "AND ((type = 'index' AND tbl_name IN ('enterprises', 'enterprise_products', "
	            "'enterprise_needs', 'supply_links')) OR (type = 'trigger' AND (name GLOB "
	            "'chain_v_*' OR name GLOB 'enterprises_fts_*')))");
	while (sqlite3_step(s) == SQLITE_ROW && ndrops < 64) {
		snprintf(drops[ndrops].name, sizeof drops[ndrops].name, "%s",
		         (const char *)sqlite3_column_text(s, 0));
		drops[ndrops].sql = strdup((const char *)sqlite3_column_text(s, 1));
		drops[ndrops].is_index = sqlite3_column_int(s, 2);
		ndrops++;
	}
	sqlite3_finalize(s);
	for (int i = 0; i < ndrops; i++) {
		char *q = sqlite3_mprintf("DROP %s \"%w\"", drops[i].is_index ? "INDEX" : "TRIGGER",
		                          drops[i].name);
		db_exec(db, q);
		sqlite3_free(q);
	}
	fprintf(stderr, "gen: dropped %d indexes and triggers for the load\n", ndrops);

	db_exec(db, "BEGIN");
	/* Clusters and the template. */
	s = db_prep(db,
	            "INSERT INTO clusters (id, code, name_zh, name_en) VALUES (?1, ?2, ?3, ?4)");
	for (int c = 1; c <= N_CLUSTERS; c++) {
		sqlite3_bind_int(s, 1, c);
		snprintf(buf, sizeof buf, "B%02d", c);
		sqlite3_bind_text(s, 2, buf, -1, SQLITE_TRANSIENT);
		snprintf(buf, sizeof buf, "基准产业集群%02d", c);
		sqlite3_bind_text(s, 3, buf, -1, SQLITE_TRANSIENT);
		snprintf(buf, sizeof buf, "Bench cluster %02d", c);
		sqlite3_bind_text(s, 4, buf, -1, SQLITE_TRANSIENT);
		db_step_done(db, s);
	}
	sqlite3_finalize(s);
	s = db_prep(db, "INSERT INTO chain_nodes (id, cluster_id, code, name_zh, name_en, kind, "
	                "stage) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	for (int n = 0; n < N_NODES; n++) {
		int layer = n / PER_LAYER;
		sqlite3_bind_int(s, 1, n + 1);
		sqlite3_bind_int(s, 2, node_cluster(n));
		snprintf(buf, sizeof buf, "L%d-%02d", layer, n % PER_LAYER);
		sqlite3_bind_text(s, 3, buf, -1, SQLITE_TRANSIENT);
		snprintf(buf, sizeof buf, "链节点%03d", n + 1);
		sqlite3_bind_text(s, 4, buf, -1, SQLITE_TRANSIENT);
		snprintf(buf, sizeof buf, "Node %03d (%s)", n + 1, kind_of_layer[layer]);
		sqlite3_bind_text(s, 5, buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 6, kind_of_layer[layer], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, stage_of_layer[layer], -1, SQLITE_STATIC);
		db_step_done(db, s);
	}
	sqlite3_finalize(s);
	s = db_prep(db, "INSERT INTO chain_edges (from_node, to_node) VALUES (?1, ?2)");
	for (int n = PER_LAYER; n < N_NODES; n++) {
		int layer = n / PER_LAYER, c = node_cluster(n) - 1, own[3], nown, k = 0;
		nown = cluster_nodes(c, layer - 1, own);
		shuffle(own, nown);
		for (int i = 0; i < 2; i++)
			inputs[n][k++] = own[i];
		do
			inputs[n][k] = (layer - 1) * PER_LAYER + (int)rnd_below(PER_LAYER);
		while (node_cluster(inputs[n][k]) - 1 == c);
		for (int i = 0; i < N_INPUTS; i++) {
			sqlite3_bind_int(s, 1, inputs[n][i] + 1);
			sqlite3_bind_int(s, 2, n + 1);
			db_step_done(db, s);
		}
	}
	sqlite3_finalize(s);

	/* Enterprises with what they make and buy. */
	make = xmalloc((size_t)n_ents * MAX_MAKE * sizeof *make);
	buy = xmalloc((size_t)n_ents * MAX_BUY * sizeof *buy);
	{
		sqlite3_stmt *se = db_prep(
		    db,
		    "INSERT INTO enterprises (id, uscc, name_zh, name_en, industry, cluster_id, "
		    "stage, size, founded, address, lon, lat, employees, status, created_at, "
		    "updated_at, in_park) VALUES (?1, ?2, ?3, ?4, '3833', ?5, ?6, ?7, ?8, '', ?9, "
		    "?10, ?11, ?12, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', ?13)");
		sqlite3_stmt *sp =
		    db_prep(db, "INSERT INTO enterprise_products (enterprise_id, node_id, "
		                "capacity) VALUES (?1, ?2, ?3)");
		sqlite3_stmt *sn =
		    db_prep(db, "INSERT INTO enterprise_needs (enterprise_id, node_id, "
		                "annual_need) VALUES (?1, ?2, ?3)");
		static const char *const sizes[] = {"micro", "small", "medium", "large"};
		static const int emp_lo[] = {3, 20, 100, 300}, emp_span[] = {17, 80, 200, 2000};

		for (int e = 0; e < n_ents; e++) {
			int c = (int)rnd_below(N_CLUSTERS), layer = (int)rnd_below(N_LAYERS);
			int own[3], nown = cluster_nodes(c, layer, own), mk[MAX_MAKE], nmk = 0;
			int pool[16], npool = 0, nb, in_park = rnd_unit() < 0.9;
			double u = rnd_unit();
			int size = u < 0.02 ? -1 : u < 0.42 ? 0 : u < 0.76 ? 1 : u < 0.95 ? 2 : 3;
			int64_t id = e + 1;

			mk[nmk++] = own[rnd_below((uint32_t)nown)];
			if (rnd_unit() < 0.5) {
				int m;
				if (rnd_unit() < 0.15)
					do
						m = layer * PER_LAYER + (int)rnd_below(PER_LAYER);
					while (m == mk[0]);
				else
					do
						m = own[rnd_below((uint32_t)nown)];
					while (m == mk[0]);
				mk[nmk++] = m;
			}
			if (layer > 0) {
				for (int i = 0; i < nmk; i++)
					for (int k = 0; k < N_INPUTS; k++)
						if (!has(pool, npool, inputs[mk[i]][k]))
							pool[npool++] = inputs[mk[i]][k];
			} else {
				npool = cluster_nodes(c, N_LAYERS - 1, pool);
				for (int k = 0; k < 2; k++) {
					int m =
					    (N_LAYERS - 1) * PER_LAYER + (int)rnd_below(PER_LAYER);
					if (!has(pool, npool, m))
						pool[npool++] = m;
				}
			}
			shuffle(pool, npool);
			nb = 2 + (int)rnd_below(3);
			if (nb > npool)
				nb = npool;
			sort_small(mk, nmk);
			sort_small(pool, nb);
			for (int i = 0; i < MAX_MAKE; i++)
				make[(size_t)e * MAX_MAKE + i] = (int16_t)(i < nmk ? mk[i] : -1);
			for (int i = 0; i < MAX_BUY; i++)
				buy[(size_t)e * MAX_BUY + i] = (int16_t)(i < nb ? pool[i] : -1);

			sqlite3_bind_int64(se, 1, id);
			snprintf(buf, sizeof buf, "9132028%010lldA", (long long)id);
			sqlite3_bind_text(se, 2, buf, 18, SQLITE_TRANSIENT);
			snprintf(buf, sizeof buf, "基准企业%07lld有限公司", (long long)id);
			sqlite3_bind_text(se, 3, buf, -1, SQLITE_TRANSIENT);
			snprintf(buf2, sizeof buf2, "Bench Enterprise %07lld Co., Ltd.",
			         (long long)id);
			sqlite3_bind_text(se, 4, buf2, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(se, 5, c + 1);
			sqlite3_bind_text(se, 6,
			                  rnd_unit() < 0.02 ? "leading" : stage_of_layer[layer], -1,
			                  SQLITE_STATIC);
			if (size >= 0) {
				sqlite3_bind_text(se, 7, sizes[size], -1, SQLITE_STATIC);
				sqlite3_bind_int(se, 11,
				                 emp_lo[size] +
				                     (int)rnd_below((uint32_t)emp_span[size]));
			} else {
				sqlite3_bind_null(se, 7);
				sqlite3_bind_null(se, 11);
			}
			snprintf(buf, sizeof buf, "%04d-%02d-%02d", 1990 + (int)rnd_below(34),
			         1 + (int)rnd_below(12), 1 + (int)rnd_below(28));
			sqlite3_bind_text(se, 8, buf, -1, SQLITE_TRANSIENT);
			if (rnd_unit() < 0.03) {
				sqlite3_bind_null(se, 9);
				sqlite3_bind_null(se, 10);
			} else if (in_park) { /* the park: about 22 × 22 km */
				sqlite3_bind_double(se, 9, 120.30 + (rnd_unit() - 0.5) * 0.24);
				sqlite3_bind_double(se, 10, 31.50 + (rnd_unit() - 0.5) * 0.20);
			} else { /* the rest of the Yangtze delta and beyond */
				sqlite3_bind_double(se, 9, 115.0 + rnd_unit() * 7.0);
				sqlite3_bind_double(se, 10, 28.0 + rnd_unit() * 6.0);
			}
			sqlite3_bind_text(se, 12,
			                  in_park && rnd_unit() < 0.01 ? "moved_out" : "active", -1,
			                  SQLITE_STATIC);
			sqlite3_bind_int(se, 13, in_park);
			db_step_done(db, se);
			for (int i = 0; i < nmk; i++) {
				sqlite3_bind_int64(sp, 1, id);
				sqlite3_bind_int(sp, 2, mk[i] + 1);
				sqlite3_bind_double(sp, 3, rnd_amount(100, 10000));
				db_step_done(db, sp);
			}
			for (int i = 0; i < nb; i++) {
				sqlite3_bind_int64(sn, 1, id);
				sqlite3_bind_int(sn, 2, pool[i] + 1);
				sqlite3_bind_double(sn, 3, rnd_amount(20, 2000));
				db_step_done(db, sn);
			}
		}
		sqlite3_finalize(se);
		sqlite3_finalize(sp);
		sqlite3_finalize(sn);
	}
	t = now_s();
	fprintf(stderr, "gen: %d enterprises with offers in %.1f s\n", n_ents, t - t0);

	/* Producers by node, each list shuffled once: the skewed pick below
	 * then favours a random few, not the lowest ids. */
	pstart = xcalloc(N_NODES + 1, sizeof *pstart);
	for (size_t i = 0; i < (size_t)n_ents * MAX_MAKE; i++)
		if (make[i] >= 0)
			pstart[make[i] + 1]++;
	for (int n = 0; n < N_NODES; n++)
		pstart[n + 1] += pstart[n];
	plist = xmalloc((size_t)pstart[N_NODES] * sizeof *plist);
	pfill = xmalloc(N_NODES * sizeof *pfill);
	memcpy(pfill, pstart, N_NODES * sizeof *pfill);
	for (size_t i = 0; i < (size_t)n_ents * MAX_MAKE; i++)
		if (make[i] >= 0)
			plist[pfill[make[i]]++] = (int)(i / MAX_MAKE);
	for (int n = 0; n < N_NODES; n++) {
		if (pstart[n + 1] == pstart[n])
			die("a node has no producer: the city is too small");
		shuffle(plist + pstart[n], pstart[n + 1] - pstart[n]);
	}

	{
		static const char *const sources[] = {"declared", "visit", "inferred"};
		char since[16][12][11], until[16][11];
		sqlite3_stmt *sl = db_prep(
		    db, "INSERT INTO supply_links (id, supplier_id, customer_id, node_id, "
		        "annual_value, "
		        "since, until, source, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		        "'2025-01-01T00:00:00Z')");
		for (int y = 0; y < 16; y++) {
			for (int m = 0; m < 12; m++)
				snprintf(since[y][m], sizeof since[y][m], "%04d-%02d-01", 2015 + y,
				         m + 1);
			snprintf(until[y], sizeof until[y], "%04d-12-31", 2015 + y);
		}
		for (long i = 0; i < n_links; i++) {
			int cust = (int)rnd_below((uint32_t)n_ents), node, np, sup, nb = 0, sy;
			double u;
			while (nb < MAX_BUY && buy[(size_t)cust * MAX_BUY + nb] >= 0)
				nb++;
			node = buy[(size_t)cust * MAX_BUY + rnd_below((uint32_t)nb)];
			np = pstart[node + 1] - pstart[node];
			do {
				u = rnd_unit();
				sup = plist[pstart[node] + (int)(u * u * np)];
			} while (sup == cust && np > 1);
			if (sup == cust)
				continue;
			sy = (int)rnd_below(10);
			sqlite3_bind_int64(sl, 1, i + 1);
			sqlite3_bind_int64(sl, 2, sup + 1);
			sqlite3_bind_int64(sl, 3, cust + 1);
			sqlite3_bind_int(sl, 4, node + 1);
			sqlite3_bind_double(sl, 5, rnd_amount(5, 500));
			sqlite3_bind_text(sl, 6, since[sy][rnd_below(12)], 10, SQLITE_STATIC);
			if (rnd_unit() < 0.12)
				sqlite3_bind_text(sl, 7,
				                  until[sy + (int)rnd_below((uint32_t)(11 - sy))],
				                  10, SQLITE_STATIC);
			else
				sqlite3_bind_null(sl, 7);
			u = rnd_unit();
			sqlite3_bind_text(sl, 8,
			                  sources[u < 0.7   ? 0
			                          : u < 0.9 ? 1
			                                    : 2],
			                  -1, SQLITE_STATIC);
			db_step_done(db, sl);
			if ((i + 1) % 2000000 == 0)
				fprintf(stderr, "gen: %ld links (%.0f s)\n", i + 1, now_s() - t0);
		}
		sqlite3_finalize(sl);
	}
	db_exec(db, "UPDATE meta SET value = value + 1 WHERE key = 'chain_version'");
	db_exec(db, "COMMIT");
	t = now_s();
	fprintf(stderr, "gen: rows in at %.1f s; recreating indexes and triggers\n", t - t0);
	db_exec(db, "BEGIN");
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < ndrops; i++)
			if (drops[i].is_index == !pass) {
				db_exec(db, drops[i].sql);
				free(drops[i].sql);
			}
	db_exec(db, "COMMIT");
	fprintf(stderr, "gen: indexes in %.1f s\n", now_s() - t);
	db_exec(db, "PRAGMA locking_mode = NORMAL");
	db_exec(db, "PRAGMA journal_mode = WAL");
	if (sqlite3_close(db) != SQLITE_OK)
		die("closing %s failed", path);
	free(make);
	free(buy);
	free(pstart);
	free(plist);
	free(pfill);
	fprintf(stderr, "gen: done in %.1f s\n", now_s() - t0);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The SQL yardstick                                                  */
/* ------------------------------------------------------------------ */

/*
 * The same recommendations as chain_recommend, as one query over the
 * store: candidates from the two offer tables through their node indexes,
 * the spare capacity a correlated sum over the supplier's running links
 * (supply_links_supplier), trading partners from both link indexes.  The
 * candidates are MATERIALIZED: flattened, the spare capacity's subquery
 * would be copied into each of the three places the score reads it.  The
 * score adds the parts in the order chain.c does (parts_sum) and the
 * distance is the same haversine, so scores agree to the last bit barring
 * libm.  The city places no enterprise in a grid (grid_id NULL), so the
 * grid part is never earned on either side.  ?2 is DEG_TO_RAD as a
 * double.
 */
static const char REC_SQL[] =
    "WITH me AS (\n"
    "  SELECT id, lon, lat, cluster_id, grid_id, CASE size WHEN 'micro' THEN 1 WHEN 'small' THEN "
    "2\n"
    "    WHEN 'medium' THEN 3 WHEN 'large' THEN 4 ELSE 0 END AS sz\n"
    "  FROM enterprises WHERE id = ?1),\n"
    "linked(pid) AS (\n"
    "  SELECT customer_id FROM supply_links WHERE supplier_id = ?1 AND until IS NULL\n"
    "  UNION SELECT supplier_id FROM supply_links WHERE customer_id = ?1 AND until IS NULL),\n"
    "cand(pid, node, role, need, spare) AS MATERIALIZED (\n"
    "  SELECT p.enterprise_id, w.node_id, 0, w.annual_need,\n"
    "    p.capacity - (SELECT total(s.annual_value) FROM supply_links s\n"
    "      WHERE s.supplier_id = p.enterprise_id AND s.node_id = w.node_id AND s.until IS NULL)\n"
    "  FROM enterprise_needs w JOIN enterprise_products p ON p.node_id = w.node_id\n"
    "  WHERE w.enterprise_id = ?1 AND p.enterprise_id <> ?1\n"
    "  UNION ALL\n"
    "  SELECT c.enterprise_id, m.node_id, 1, c.annual_need,\n"
    "    m.capacity - (SELECT total(s.annual_value) FROM supply_links s\n"
    "      WHERE s.supplier_id = ?1 AND s.node_id = m.node_id AND s.until IS NULL)\n"
    "  FROM enterprise_products m JOIN enterprise_needs c ON c.node_id = m.node_id\n"
    "  WHERE m.enterprise_id = ?1 AND c.enterprise_id <> ?1),\n"
    "parts AS (\n"
    "  SELECT cand.pid, cand.node, cand.role, cand.need, cand.spare,\n"
    "    (x.in_park AND x.status = 'active') AS inpark,\n"
    "    CASE WHEN me.lon IS NULL OR x.lon IS NULL THEN NULL ELSE\n"
    "      2 * 6371.0 * asin(sqrt(min(1.0, max(0.0,\n"
    "        sin((x.lat * ?2 - me.lat * ?2) / 2) * sin((x.lat * ?2 - me.lat * ?2) / 2)\n"
    "        + cos(me.lat * ?2) * cos(x.lat * ?2)\n"
    "          * sin((x.lon - me.lon) * ?2 / 2) * sin((x.lon - me.lon) * ?2 / 2)))))\n"
    "    END AS km,\n"
    "    CASE WHEN me.sz = 0 THEN 0 ELSE CASE x.size WHEN 'micro' THEN 1 WHEN 'small' THEN 2\n"
    "      WHEN 'medium' THEN 3 WHEN 'large' THEN 4 ELSE 0 END END AS xsz,\n"
    "    me.sz AS msz,\n"
    "    (me.grid_id <> 0 AND x.grid_id = me.grid_id) AS samegrid,\n"
    "    (me.cluster_id <> 0 AND x.cluster_id = me.cluster_id) AS samecl\n"
    "  FROM cand JOIN enterprises x ON x.id = cand.pid, me)\n"
    "SELECT pid, node, role, inpark,\n"
    "  40.0\n"
    "  + CASE WHEN inpark THEN 15 ELSE 0 END\n"
    "  + CASE WHEN NOT (spare > 0) THEN 0 WHEN NOT (need > 0) OR spare >= need THEN 15\n"
    "      ELSE 15 * spare / need END\n"
    "  + CASE WHEN km < 10 THEN 10 * (1 - km / 10) ELSE 0 END\n"
    "  + CASE WHEN msz = 0 OR xsz = 0 THEN 0 WHEN msz = xsz THEN 5\n"
    "      WHEN abs(msz - xsz) = 1 THEN 3 ELSE 0 END\n"
    "  + CASE WHEN pid IN linked THEN 5 ELSE 0 END\n"
    "  + CASE WHEN samegrid THEN 5 ELSE 0 END\n"
    "  + CASE WHEN samegrid THEN 0 WHEN samecl THEN 3 ELSE 0 END AS score\n"
    "FROM parts\n"
    "ORDER BY score DESC, inpark DESC, pid, node, role\n"
    "LIMIT ?3";

static double sql_deadline;

static int sql_progress(void *ctx)
{
	(void)ctx;
	return now_s() > sql_deadline;
}

/* libm under SQL's names, for an SQLite built without its math functions. */
static void fn_math(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	double (*f)(double) = (double (*)(double))sqlite3_user_data(cx);

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		sqlite3_result_null(cx);
	else
		sqlite3_result_double(cx, f(sqlite3_value_double(argv[0])));
}

/* ------------------------------------------------------------------ */
/* The measurements                                                   */
/* ------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least p of the sample at or
 * below it. */
static double pct(const double *sorted, int n, double p)
{
	int k = (int)ceil(p * n) - 1;
	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return n ? sorted[k] : NAN;
}

struct rec_id {
	int64_t ent, node;
	int role;
	double score;
};

static int failures;

static void row(const char *what, const char *value, const char *floor, int pass)
{
	if (floor[0])
		printf("%-30s %14s   floor %-12s %s\n", what, value, floor, pass ? "PASS" : "FAIL");
	else
		printf("%-30s %14s\n", what, value);
	if (floor[0] && !pass)
		failures++;
}

static int run(const char *path, int sample, int sql_sample, double sql_budget, int verbose)
{
	struct store *st;
	struct err err;
	struct chain_data d;
	double t, t_load, *rec_ms, *rec_first, *rec_cpu, *sql_ms = NULL;
	double best[3], first[3], cpu[3]; /* p50, p99, max */
	long rss, hwm, rss_load, hwm_load;
	int *sample_ents;
	struct partner_rec out[REC_MAX];
	struct rec_id *mem_recs;
	int *mem_n, *sql_n = NULL, sql_done = 0, sql_same = 0, sql_close = 0;
	long rec_total = 0;
	char v[64], f[64];

	memset(&err, 0, sizeof err);
	if (store_open(&st, path, 0, &err))
		die("cannot open the store: %s", err.message);
	if (store_schema_version(st) != store_schema_latest())
		die("%s is at another schema version than this qunyan; regenerate it", path);

	/* 1. Loading. */
	t = now_s();
	if (store_chain_load(st, &d, &err))
		die("store_chain_load: %s", err.message);
	t_load = now_s() - t;
	mem_kib(&rss_load, &hwm_load);
	if (d.g.nents != n_ents || d.g.nlinks < n_links * 99 / 100 || d.g.nnodes != N_NODES)
		die("the database does not hold the expected city; regenerate it");
	fprintf(stderr,
	        "run: loaded %d nodes, %d edges, %d enterprises, %d products, %d needs, "
	        "%d links in %.2f s\n",
	        d.g.nnodes, d.g.nedges, d.g.nents, d.g.nprod, d.g.nneed, d.g.nlinks, t_load);

	/* 2. Recommendations. */
	rng = SEED ^ 0x5eedULL;
	sample_ents = xmalloc((size_t)sample * sizeof *sample_ents);
	for (int i = 0; i < sample; i++)
		sample_ents[i] = (int)rnd_below((uint32_t)d.g.nents);
	if (sql_sample > sample)
		sql_sample = sample;
	rec_ms = xmalloc((size_t)sample * sizeof *rec_ms);
	rec_first = xmalloc((size_t)sample * sizeof *rec_first);
	rec_cpu = xmalloc((size_t)sample * sizeof *rec_cpu);
	mem_recs = xcalloc((size_t)sql_sample * REC_MAX, sizeof *mem_recs);
	mem_n = xcalloc((size_t)sql_sample, sizeof *mem_n);
	for (int i = 0; i < 50 && i < sample; i++) /* warm the code paths */
		chain_recommend(&d.g, &d.ix, sample_ents[i], out, REC_MAX);
	for (int pass = 0; pass < REC_PASSES; pass++)
		for (int i = 0; i < sample; i++) {
			double t1 = now_s(), c1 = cpu_s();
			int n = chain_recommend(&d.g, &d.ix, sample_ents[i], out, REC_MAX);
			double c2 = cpu_s(), ms = (now_s() - t1) * 1e3, cms = (c2 - c1) * 1e3;
			if (n < 0)
				die("chain_recommend ran out of memory");
			if (pass > 0) {
				if (ms < rec_ms[i])
					rec_ms[i] = ms;
				if (cms < rec_cpu[i])
					rec_cpu[i] = cms;
				continue;
			}
			rec_first[i] = rec_ms[i] = ms;
			rec_cpu[i] = cms;
			rec_total += n;
			if (i < sql_sample) {
				mem_n[i] = n;
				for (int k = 0; k < n; k++)
					mem_recs[(size_t)i * REC_MAX + k] = (struct rec_id){
					    d.ent_ids[out[k].ent], d.node_info[out[k].node].id,
					    (int)out[k].role, out[k].score};
			}
		}
	if (verbose) {
		/* Where the time goes: candidates examined (producers of what the
		 * enterprise buys plus consumers of what it makes) against time. */
		double *nspc = xmalloc((size_t)sample * sizeof *nspc);
		int slow[5] = {-1, -1, -1, -1, -1};
		for (int i = 0; i < sample; i++) {
			int e = sample_ents[i];
			long cand = 0;
			for (int q = d.ix.need_ent_start[e]; q < d.ix.need_ent_start[e + 1]; q++) {
				int n = d.g.need[d.ix.need_by_ent[q]].node;
				cand += d.ix.prod_start[n + 1] - d.ix.prod_start[n];
			}
			for (int q = d.ix.prod_ent_start[e]; q < d.ix.prod_ent_start[e + 1]; q++) {
				int n = d.g.prod[d.ix.prod_by_ent[q]].node;
				cand += d.ix.need_start[n + 1] - d.ix.need_start[n];
			}
			nspc[i] = cand ? rec_ms[i] * 1e6 / (double)cand : 0;
			for (int k = 0; k < 5; k++)
				if (slow[k] < 0 || rec_ms[i] > rec_ms[slow[k]]) {
					memmove(slow + k + 1, slow + k,
					        (size_t)(4 - k) * sizeof *slow);
					slow[k] = i;
					break;
				}
			if (i < 5 || (slow[0] == i))
				fprintf(stderr,
				        "run: rec ent %d: %.3f ms, %ld candidates, %.0f ns each\n",
				        e, rec_ms[i], cand, nspc[i]);
		}
		for (int k = 0; k < 5 && slow[k] >= 0; k++) {
			int e = sample_ents[slow[k]];
			fprintf(
			    stderr,
			    "run: slow rec #%d: ent %d %.3f ms (%.0f ns/candidate), in_park %d, "
			    "%d makes, %d needs, %d out, %d in\n",
			    slow[k], e, rec_ms[slow[k]], nspc[slow[k]], d.g.ents[e].in_park,
			    d.ix.prod_ent_start[e + 1] - d.ix.prod_ent_start[e],
			    d.ix.need_ent_start[e + 1] - d.ix.need_ent_start[e],
			    d.ix.out_start[e + 1] - d.ix.out_start[e],
			    d.ix.in_start[e + 1] - d.ix.in_start[e]);
		}
		qsort(nspc, (size_t)sample, sizeof *nspc, cmp_double);
		fprintf(stderr, "run: ns per candidate: p50 %.0f, p90 %.0f, p99 %.0f\n",
		        pct(nspc, sample, 0.5), pct(nspc, sample, 0.9), pct(nspc, sample, 0.99));
		free(nspc);
	}
	{
		double *const src[3] = {rec_ms, rec_first, rec_cpu};
		double *const dst[3] = {best, first, cpu};
		for (int k = 0; k < 3; k++) {
			qsort(src[k], (size_t)sample, sizeof(double), cmp_double);
			dst[k][0] = pct(src[k], sample, 0.50);
			dst[k][1] = pct(src[k], sample, 0.99);
			dst[k][2] = src[k][sample - 1];
		}
	}
	fprintf(stderr,
	        "run: %d recommendations × %d passes, %.1f partners each on average; best "
	        "of %d: p50 %.3f p99 %.3f max %.3f ms; first pass: p50 %.3f p99 %.3f max %.3f "
	        "ms; CPU time: p50 %.3f p99 %.3f max %.3f ms\n",
	        sample, REC_PASSES, (double)rec_total / sample, REC_PASSES, best[0], best[1],
	        best[2], first[0], first[1], first[2], cpu[0], cpu[1], cpu[2]);

	/* 3. The whole-graph analyses. */
	double t_map = 0, t_loc = 0, t_loops = 0, t_near = 0, t_gaps = 0, t_whole = INFINITY;
	double t_cpu = 0, t_runs[WHOLE_PASSES];
	int nloops, nnear, ngaps, nclusters = 0, biggest = 0;
	int64_t clusters[N_NODES];
	double loc_sum = 0;
	{
		struct node_summary *map = xmalloc((size_t)d.g.nnodes * sizeof *map);
		int *comp = xmalloc((size_t)d.g.nents * sizeof *comp);
		struct near_loop *near = xmalloc(NEAR_MAX * sizeof *near);
		int *gaps = xmalloc((size_t)d.g.nnodes * sizeof *gaps);
		double rate[LOC_TO - LOC_FROM + 1];

		for (int n = 0; n < d.g.nnodes; n++) {
			int64_t c = d.node_info[n].cluster_id;
			int k = 0;
			while (k < nclusters && clusters[k] != c)
				k++;
			if (k == nclusters)
				clusters[nclusters++] = c;
		}
		for (int pass = 0; pass < WHOLE_PASSES; pass++) {
			double c0 = cpu_s(), t0 = now_s(), t1, t2, t3, t4, t5;
			chain_map(&d.g, &d.ix, 0, map);
			t1 = now_s();
			loc_sum = 0;
			for (int k = 0; k < nclusters; k++) {
				chain_localisation(&d.g, &d.ix, -1, clusters[k], LOC_FROM, LOC_TO,
				                   rate, NULL, NULL);
				loc_sum += rate[LOC_TO - LOC_FROM];
			}
			t2 = now_s();
			nloops = chain_loops(&d.g, &d.ix, 0, comp);
			t3 = now_s();
			nnear = chain_near_loops(&d.g, &d.ix, 0, near, NEAR_MAX);
			t4 = now_s();
			ngaps = chain_gaps(&d.g, map, gaps, d.g.nnodes);
			t5 = now_s();
			if (nloops < 0 || nnear < 0)
				die("a whole-graph analysis ran out of memory");
			t_runs[pass] = t5 - t0;
			if (t5 - t0 < t_whole) {
				t_whole = t5 - t0;
				t_map = t1 - t0;
				t_loc = t2 - t1;
				t_loops = t3 - t2;
				t_near = t4 - t3;
				t_gaps = t5 - t4;
				t_cpu = cpu_s() - c0;
			}
		}
		{
			int *size = xcalloc((size_t)nloops + 1, sizeof *size);
			for (int i = 0; i < d.g.nents; i++)
				if (comp[i] >= 0 && ++size[comp[i]] > biggest)
					biggest = size[comp[i]];
			free(size);
		}
		free(map);
		free(comp);
		free(near);
		free(gaps);
	}
	mem_kib(&rss, &hwm);
	fprintf(stderr,
	        "run: whole-graph analyses: %.2f s then %.2f s; best: CPU %.2f s, map %.3f s, "
	        "localisation of %d clusters %.3f s (mean rate %d: %.3f), "
	        "loops %.3f s (%d, biggest %d), near-loops %.3f s (%d), gaps %.4f s (%d)\n",
	        t_runs[0], t_runs[WHOLE_PASSES - 1], t_cpu, t_map, nclusters, t_loc, LOC_TO,
	        loc_sum / nclusters, t_loops, nloops, biggest, t_near, nnear, t_gaps, ngaps);

	chain_data_free(&d);
	store_close(st);

	/* 4. The same recommendations in SQL. */
	if (sql_sample > 0) {
		sqlite3 *db;
		sqlite3_stmt *s;
		double t0;

		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
			die("cannot open %s: %s", path, sqlite3_errmsg(db));
		/* The store's own connection settings. */
		db_exec(db, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8000");
		if (sqlite3_exec(db, "SELECT sqrt(1), asin(1), sin(1), cos(1)", NULL, NULL, NULL) !=
		    SQLITE_OK) {
			static const struct {
				const char *name;
				double (*f)(double);
			} fns[] = {{"sqrt", sqrt}, {"asin", asin}, {"sin", sin}, {"cos", cos}};
			for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
				sqlite3_create_function(db, fns[i].name, 1,
				                        SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				                        (void *)fns[i].f, fn_math, NULL, NULL);
		}
		s = db_prep(db, REC_SQL);
		if (verbose) {
			sqlite3_stmt *e;
			char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", REC_SQL);
			e = db_prep(db, q);
			sqlite3_free(q);
			fprintf(stderr, "run: the SQL's plan:\n");
			while (sqlite3_step(e) == SQLITE_ROW)
				fprintf(stderr, "  %3d %3d  %s\n", sqlite3_column_int(e, 0),
				        sqlite3_column_int(e, 1), sqlite3_column_text(e, 3));
			sqlite3_finalize(e);
		}
		sql_ms = xmalloc((size_t)sql_sample * sizeof *sql_ms);
		sql_n = xcalloc((size_t)sql_sample, sizeof *sql_n);
		t0 = now_s();
		sql_deadline = t0 + sql_budget;
		sqlite3_progress_handler(db, 10000, sql_progress, NULL);
		for (int i = 0; i < sql_sample && now_s() < sql_deadline; i++) {
			const struct rec_id *m = &mem_recs[(size_t)i * REC_MAX];
			double t1 = now_s(), worst = 0;
			int n = 0, rc, same = 1;

			sqlite3_bind_int64(s, 1, (int64_t)sample_ents[i] + 1); /* ids are 1..N */
			sqlite3_bind_double(s, 2, DEG_TO_RAD);
			sqlite3_bind_int(s, 3, REC_MAX);
			while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
				if (n < mem_n[i]) {
					double sc = sqlite3_column_double(s, 4);
					if (sqlite3_column_int64(s, 0) != m[n].ent ||
					    sqlite3_column_int64(s, 1) != m[n].node ||
					    sqlite3_column_int(s, 2) != m[n].role)
						same = 0;
					if (fabs(sc - m[n].score) > worst)
						worst = fabs(sc - m[n].score);
				}
				n++;
			}
			sqlite3_reset(s);
			if (rc == SQLITE_INTERRUPT)
				break;
			if (rc != SQLITE_DONE)
				die("the SQL recommendation failed: %s", sqlite3_errmsg(db));
			sql_ms[sql_done++] = (now_s() - t1) * 1e3;
			sql_n[i] = n;
			if (n != mem_n[i])
				same = 0, worst = INFINITY;
			sql_same += same && worst < 1e-9;
			sql_close += worst < 1e-6;
		}
		sqlite3_finalize(s);
		sqlite3_close(db);
		fprintf(stderr,
		        "run: %d SQL recommendations in %.1f s; %d of them the same list as "
		        "in memory, %d the same scores (within 1e-6)\n",
		        sql_done, now_s() - t0, sql_same, sql_close);
		if (sql_done)
			qsort(sql_ms, (size_t)sql_done, sizeof *sql_ms, cmp_double);
	}

	/* The table. */
	printf("\nchain benchmark: %d enterprises, %d chain nodes, %ld supply links\n\n", n_ents,
	       N_NODES, n_links);
	snprintf(v, sizeof v, "%.2f s", t_load);
	row("store_chain_load", v, "", 1);
	snprintf(v, sizeof v, "%.0f MiB", rss_load / 1024.0);
	row("  VmRSS after load", v, "", 1);
	snprintf(v, sizeof v, "%.0f MiB", hwm_load / 1024.0);
	row("  VmHWM after load", v, "", 1);
	snprintf(v, sizeof v, "%.3f ms", best[0]);
	snprintf(f, sizeof f, "≤ %g ms", FLOOR_REC_P50_MS);
	row("recommend p50 (best of 3)", v, f, best[0] <= FLOOR_REC_P50_MS);
	snprintf(v, sizeof v, "%.3f ms", best[1]);
	snprintf(f, sizeof f, "≤ %g ms", FLOOR_REC_P99_MS);
	row("recommend p99 (best of 3)", v, f, best[1] <= FLOOR_REC_P99_MS);
	snprintf(v, sizeof v, "%.3f ms", best[2]);
	snprintf(f, sizeof f, "  max (n=%d)", sample);
	row(f, v, "", 1);
	snprintf(v, sizeof v, "%.2f/%.2f ms", first[0], first[1]);
	row("  p50/p99 one pass", v, "", 1);
	snprintf(v, sizeof v, "%.2f/%.2f ms", cpu[0], cpu[1]);
	row("  p50/p99 CPU time", v, "", 1);
	snprintf(v, sizeof v, "%.3f s", t_map);
	row("  chain_map", v, "", 1);
	snprintf(v, sizeof v, "%.3f s", t_loc);
	row("  chain_localisation ×20", v, "", 1);
	snprintf(v, sizeof v, "%.3f s", t_loops);
	row("  chain_loops", v, "", 1);
	snprintf(v, sizeof v, "%.3f s", t_near);
	row("  chain_near_loops", v, "", 1);
	snprintf(v, sizeof v, "%.4f s", t_gaps);
	row("  chain_gaps", v, "", 1);
	snprintf(v, sizeof v, "%.2f s", t_whole);
	snprintf(f, sizeof f, "≤ %g s", FLOOR_WHOLE_S);
	row("whole-graph (best of 2)", v, f, t_whole <= FLOOR_WHOLE_S);
	snprintf(v, sizeof v, "%.2f s", t_cpu);
	row("  CPU time", v, "", 1);
	snprintf(v, sizeof v, "%.2f, %.2f s", t_runs[0], t_runs[WHOLE_PASSES - 1]);
	row("  each run", v, "", 1);
	snprintf(v, sizeof v, "%.0f MiB", hwm / 1024.0);
	row("peak resident (VmHWM)", v, "≤ 4096 MiB", hwm >= 0 && hwm <= FLOOR_HWM_KIB);
	snprintf(v, sizeof v, "%.0f MiB", rss / 1024.0);
	row("  VmRSS after analyses", v, "", 1);
	if (sql_sample > 0 && sql_done > 0) {
		char what[64];
		double p50 = pct(sql_ms, sql_done, 0.5), p99 = pct(sql_ms, sql_done, 0.99);
		snprintf(what, sizeof what, "SQL recommend p50 (n=%d)", sql_done);
		snprintf(v, sizeof v, "%.1f ms", p50);
		row(what, v, "", 1);
		snprintf(what, sizeof what, "SQL recommend p99 (n=%d)", sql_done);
		snprintf(v, sizeof v, "%.1f ms", p99);
		row(what, v, "", 1);
		printf("\nratio SQL p50 / in-memory p50 (one pass each): %.0f×   (top-%d lists "
		       "identical for %d of %d)\n",
		       p50 / first[0], REC_MAX, sql_same, sql_done);
		if (sql_done < sql_sample)
			printf("(the SQL sample stopped at %d of %d: its time budget of %.0f s ran "
			       "out)\n",
			       sql_done, sql_sample, sql_budget);
	}
	printf("\n%s\n", failures ? "FAIL: a floor is not met" : "all floors met");
	free(sample_ents);
	free(rec_ms);
	free(rec_first);
	free(rec_cpu);
	free(mem_recs);
	free(mem_n);
	free(sql_ms);
	free(sql_n);
	return failures ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: chainbench signature\n"
	                "       chainbench gen DB\n"
	                "       chainbench run DB [--sample N] [--sql-sample N] [--sql-budget S] "
	                "[--verbose]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	read_knobs();
	if (argc == 2 && strcmp(argv[1], "signature") == 0) {
		printf("chainbench-city v%d seed=%llx ents=%d links=%ld nodes=%d schema=%d\n",
		       GEN_VERSION, (unsigned long long)SEED, n_ents, n_links, N_NODES,
		       store_schema_latest());
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "run") == 0) {
		int sample = 2000, sql_sample = 100, verbose = 0;
		double budget = 420;
		for (int i = 3; i < argc; i++) {
			if (strcmp(argv[i], "--verbose") == 0)
				verbose = 1;
			else if (i + 1 < argc && strcmp(argv[i], "--sample") == 0)
				sample = atoi(argv[++i]);
			else if (i + 1 < argc && strcmp(argv[i], "--sql-sample") == 0)
				sql_sample = atoi(argv[++i]);
			else if (i + 1 < argc && strcmp(argv[i], "--sql-budget") == 0)
				budget = atof(argv[++i]);
			else
				usage();
		}
		if (sample < 1 || sql_sample < 0)
			usage();
		return run(argv[2], sample, sql_sample, budget, verbose);
	}
	usage();
	return 2;
}
