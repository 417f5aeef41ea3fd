/*
 * orgbench: a city's coverage report (driven by bench/organisations/run;
 * see there).
 *
 * A database made with the real schema (store_open, every migration)
 * holding 1,000,000 enterprises in 20 clusters and a grid tree of 1 +
 * 100 + 10,000 grids, and 50,000 organisations (a committee, 20 general
 * branches, the rest branches and unions under them) covering about 88 %
 * of the enterprises, some twice.  It times what GET /api/v1/coverage
 * does for the whole city: read the enterprises and the coverage rows
 * (store_coverage_load), the grids (store_grid_each), and tally by
 * cluster and by grid (coverage_mark, coverage_compute); the same with
 * kind=party (a join to the organisations); and the reach of every
 * organisation of the tree (store_coverage_rows, coverage_reach).  The
 * figures must equal the generator's own count.
 *
 * Prints each figure (the median of BENCH_REPEAT timings, 5) beside its
 * floor; exits 1 when one is missed, 2 on an error.  Fixed seed.  Usage:
 * orgbench DB (made when absent; kept, so that later runs time reads
 * only).  Knobs: ORG_BENCH_ENTS (1000000), ORG_BENCH_ORGS (50000).
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/coverage.h"
#include "store/store.h"

#define FLOOR_S  2.0
#define CLUSTERS 20
#define AREAS    100
#define CELLS    100 /* per area */
#define REPEAT   5

static int n_ents = 1000000, n_orgs = 50000;
static uint64_t rng = 0x636f766572616765ULL;

static uint64_t rnd(void) /* splitmix64 */
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "orgbench: %s\n  in %.200s\n", msg, sql);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int step(sqlite3 *db, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "orgbench: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* The city, written straight into the tables the migrations made.  The
 * enterprises' search and version triggers are dropped for the load (the
 * report reads neither); the rows are what the registry would hold. */
static int generate(const char *path, int64_t *expect_counted, int64_t *expect_covered,
                    int64_t *expect_party)
{
	struct store *st;
	struct err err;
	sqlite3 *db;
	sqlite3_stmt *s;
	char sql[512];
	int64_t org_first, nrows = 0;
	double t0 = now_s();

	err_clear(&err);
	if (store_open(&st, path, STORE_CREATE, &err)) {
		fprintf(stderr, "orgbench: %s\n", err.message);
		return -1;
	}
	store_close(st);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	if (exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
	             "PRAGMA cache_size=-400000; BEGIN;"
	             "DROP TRIGGER IF EXISTS enterprises_fts_ins;"
	             "DROP TRIGGER IF EXISTS chain_v_ent_ins;"))
		return -1;
	for (int c = 1; c <= CLUSTERS; c++) {
		snprintf(sql, sizeof(sql),
		         "INSERT INTO clusters (id, code, name_zh, name_en) VALUES (%d, 'c%d', "
		         "'集群%d', 'Cluster %d')",
		         c, c, c, c);
		if (exec(db, sql))
			return -1;
	}
	/* Grids: a town, its areas, their cells (ids 1, 2.., then cells). */
	sqlite3_prepare_v2(db,
	                   "INSERT INTO grids (id, parent_id, level, code, name_zh, geometry, "
	                   "area_km2, min_lon, min_lat, max_lon, max_lat, created_at, updated_at) "
	                   "VALUES (?1, ?2, ?3, ?4, ?4, '{}', 1, 0, 0, 0, 0, '', '')",
	                   -1, &s, NULL);
	for (int g = 1; g <= 1 + AREAS + AREAS * CELLS; g++) {
		char code[32];
		int parent = g == 1 ? 0 : g <= 1 + AREAS ? 1 : 2 + (g - 2 - AREAS) / CELLS;
		snprintf(code, sizeof(code), "G%d", g);
		sqlite3_bind_int(s, 1, g);
		if (parent)
			sqlite3_bind_int(s, 2, parent);
		else
			sqlite3_bind_null(s, 2);
		sqlite3_bind_text(s, 3,
		                  g == 1           ? "town"
		                  : g <= 1 + AREAS ? "area"
		                                   : "cell",
		                  -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, code, -1, SQLITE_TRANSIENT);
		if (step(db, s))
			return -1;
	}
	sqlite3_finalize(s);
	/* Organisations: a committee, a general branch per cluster under it,
	 * then branches (party) and unions, each under a general branch. */
	sqlite3_prepare_v2(db,
	                   "INSERT INTO organisations (id, name_zh, name_en, kind, cluster_id, "
	                   "parent_id, updated_at) VALUES (?1, ?2, '', ?3, ?4, ?5, '')",
	                   -1, &s, NULL);
	for (int o = 1; o <= n_orgs; o++) {
		char name[32];
		int c = 1 + (o - 1) % CLUSTERS;
		const char *kind = o == 1              ? "party_committee"
		                   : o <= 1 + CLUSTERS ? "party_general_branch"
		                   : o % 5 == 0        ? "trade_union"
		                   : o % 2 == 0        ? "joint_party_branch"
		                                       : "party_branch";
		snprintf(name, sizeof(name), "组织%d", o);
		sqlite3_bind_int(s, 1, o);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, c);
		if (o == 1)
			sqlite3_bind_null(s, 5);
		else
			sqlite3_bind_int(s, 5, o <= 1 + CLUSTERS ? 1 : 2 + (o - 1) % CLUSTERS);
		if (step(db, s))
			return -1;
	}
	sqlite3_finalize(s);
	org_first = 2 + CLUSTERS;
	/* Enterprises, and who covers each: 88 % one organisation, a tenth
	 * of those a union as well; 3 % outside the park, 2 % retired. */
	{
		sqlite3_stmt *e, *c;
		sqlite3_prepare_v2(
		    db,
		    "INSERT INTO enterprises (id, uscc, name_zh, industry, cluster_id, "
		    "status, created_at, updated_at, in_park, grid_id) VALUES (?1, ?2, "
		    "?2, '3831', ?3, ?4, '', '', ?5, ?6)",
		    -1, &e, NULL);
		sqlite3_prepare_v2(db,
		                   "INSERT OR IGNORE INTO organisation_coverage (organisation_id, "
		                   "enterprise_id) VALUES (?1, ?2)",
		                   -1, &c, NULL);
		*expect_counted = *expect_covered = *expect_party = 0;
		for (int i = 1; i <= n_ents; i++) {
			char uscc[24];
			int in_park = rnd() % 100 >= 3, active = rnd() % 100 >= 2;
			int counted = in_park && active, covered = rnd() % 100 < 88, party = 0;
			snprintf(uscc, sizeof(uscc), "B%017d", i);
			sqlite3_bind_int(e, 1, i);
			sqlite3_bind_text(e, 2, uscc, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(e, 3, 1 + (int)(rnd() % CLUSTERS));
			sqlite3_bind_text(e, 4, active ? "active" : "closed", -1, SQLITE_STATIC);
			sqlite3_bind_int(e, 5, in_park);
			sqlite3_bind_int(e, 6, 2 + AREAS + (int)(rnd() % (AREAS * CELLS)));
			if (step(db, e))
				return -1;
			if (covered) {
				int64_t o = org_first +
				            (int64_t)(rnd() % (uint64_t)(n_orgs - org_first + 1));
				party = o % 5 != 0;
				sqlite3_bind_int64(c, 1, o);
				sqlite3_bind_int(c, 2, i);
				if (step(db, c))
					return -1;
				nrows++;
				if (rnd() % 10 == 0) {
					/* A union: a multiple of 5 past the general
					 * branches. */
					int64_t u =
					    5 * (5 + (int64_t)(rnd() % (uint64_t)(n_orgs / 5 - 4)));
					sqlite3_bind_int64(c, 1, u);
					sqlite3_bind_int(c, 2, i);
					if (step(db, c))
						return -1;
					nrows++;
				}
			}
			*expect_counted += counted;
			*expect_covered += counted && covered;
			*expect_party += counted && party;
		}
		sqlite3_finalize(e);
		sqlite3_finalize(c);
	}
	snprintf(sql, sizeof(sql),
	         "INSERT OR REPLACE INTO meta (key, value) VALUES ('bench_counted', %lld), "
	         "('bench_covered', %lld), ('bench_party', %lld); COMMIT; ANALYZE;",
	         (long long)*expect_counted, (long long)*expect_covered, (long long)*expect_party);
	if (exec(db, sql) || exec(db, "PRAGMA journal_mode=WAL"))
		return -1;
	sqlite3_close(db);
	printf("made %s: %d enterprises, %d organisations, %lld coverage rows in %.1f s\n", path,
	       n_ents, n_orgs, (long long)nrows, now_s() - t0);
	return 0;
}

static int expected(const char *path, int64_t *counted, int64_t *covered, int64_t *party)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta WHERE key LIKE 'bench_%'", -1, &s,
	                       NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *k = (const char *)sqlite3_column_text(s, 0);
			int64_t v = sqlite3_column_int64(s, 1);
			n++;
			if (strcmp(k, "bench_counted") == 0)
				*counted = v;
			else if (strcmp(k, "bench_covered") == 0)
				*covered = v;
			else
				*party = v;
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return n == 3 ? 0 : -1;
}

struct grids {
	struct cov_grid *v;
	size_t n, cap;
};

static int grid_row(void *ctx, const struct grid_rec *g)
{
	struct grids *x = ctx;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 1024;
		x->v = realloc(x->v, x->cap * sizeof(*x->v));
		if (!x->v)
			return 1;
	}
	x->v[x->n].id = g->id;
	x->v[x->n++].parent_id = g->parent_id;
	return 0;
}

/* One report as the handler makes it; the total's covered in *covered. */
static int report(struct store *st, const char *kind, int64_t *counted, int64_t *covered)
{
	struct jur_scope all;
	struct cov_ent *e = NULL;
	int64_t *ids = NULL;
	size_t ne, nc;
	struct grids g = {0};
	struct coverage c;
	struct err err;

	memset(&all, 0, sizeof(all));
	err_clear(&err);
	if (store_grid_each(st, 0, grid_row, &g, &err) ||
	    store_coverage_load(st, &all, kind, &e, &ne, &ids, &nc, &err)) {
		fprintf(stderr, "orgbench: %s\n", err.message);
		return -1;
	}
	coverage_mark(e, ne, ids, nc);
	if (coverage_compute(e, ne, g.v, g.n, &c, &err)) {
		fprintf(stderr, "orgbench: %s\n", err.message);
		return -1;
	}
	*counted = c.total.enterprises;
	*covered = c.total.covered;
	/* The town grid holds every placed enterprise. */
	if (c.grids[0].enterprises + c.unplaced.enterprises != c.total.enterprises) {
		fprintf(stderr, "orgbench: the grid tree does not add up\n");
		return -1;
	}
	coverage_free(&c);
	free(e);
	free(ids);
	free(g.v);
	return 0;
}

struct orgs {
	struct cov_org *v;
	size_t n, cap;
};

static int org_row(void *ctx, const struct organisation *o)
{
	struct orgs *x = ctx;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 1024;
		x->v = realloc(x->v, x->cap * sizeof(*x->v));
		if (!x->v)
			return 1;
	}
	x->v[x->n].id = o->id;
	x->v[x->n++].parent_id = o->parent_id;
	return 0;
}

static int reach(struct store *st, int64_t *top)
{
	struct orgs o = {0};
	struct cov_row *rows;
	size_t nrows;
	int64_t *r;
	struct err err;

	err_clear(&err);
	if (store_organisation_each(st, org_row, &o, &err) ||
	    store_coverage_rows(st, &rows, &nrows, &err))
		return -1;
	if (!(r = calloc(o.n + 1, sizeof(*r))) || coverage_reach(o.v, o.n, rows, nrows, r, &err))
		return -1;
	*top = r[0];
	free(r);
	free(rows);
	free(o.v);
	return 0;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	int64_t counted = 0, covered = 0, party = 0;
	double any[REPEAT], by_party[REPEAT], tree[REPEAT];
	struct store *st;
	struct err err;
	const char *v;
	int fail = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: orgbench DB\n");
		return 2;
	}
	if ((v = getenv("ORG_BENCH_ENTS")))
		n_ents = atoi(v);
	if ((v = getenv("ORG_BENCH_ORGS")))
		n_orgs = atoi(v);
	store_global_init();
	if (access(argv[1], F_OK) != 0 && generate(argv[1], &counted, &covered, &party))
		return 2;
	if (expected(argv[1], &counted, &covered, &party)) {
		fprintf(stderr, "orgbench: %s was not made by orgbench; remove it\n", argv[1]);
		return 2;
	}
	err_clear(&err);
	if (store_open(&st, argv[1], STORE_READONLY, &err)) {
		fprintf(stderr, "orgbench: %s\n", err.message);
		return 2;
	}
	for (int i = 0; i < REPEAT; i++) {
		int64_t n, c, top;
		double t0 = now_s();
		if (report(st, NULL, &n, &c))
			return 2;
		any[i] = now_s() - t0;
		if (n != counted || c != covered) {
			fprintf(stderr,
			        "orgbench: %lld of %lld covered; the generator made %lld of %lld\n",
			        (long long)c, (long long)n, (long long)covered, (long long)counted);
			return 2;
		}
		t0 = now_s();
		if (report(st, "party", &n, &c))
			return 2;
		by_party[i] = now_s() - t0;
		if (c != party) {
			fprintf(stderr,
			        "orgbench: %lld covered by the party; the generator made %lld\n",
			        (long long)c, (long long)party);
			return 2;
		}
		t0 = now_s();
		if (reach(st, &top))
			return 2;
		tree[i] = now_s() - t0;
	}
	store_close(st);
	{
		double a = median(any, REPEAT), p = median(by_party, REPEAT),
		       t = median(tree, REPEAT);
		printf("coverage of %d enterprises by %d organisations (median of %d):\n", n_ents,
		       n_orgs, REPEAT);
		printf("coverage report, any organisation   %8.3f s   (floor <= %.0f)\n", a,
		       FLOOR_S);
		printf("coverage report, kind=party         %8.3f s   (floor <= %.0f)\n", p,
		       FLOOR_S);
		printf("reach of every organisation (tree)  %8.3f s\n", t);
		printf("covered %lld of %lld in-park active enterprises (%.1f %%), by the party "
		       "%lld\n",
		       (long long)covered, (long long)counted,
		       100.0 * (double)covered / (double)counted, (long long)party);
		fail = a > FLOOR_S || p > FLOOR_S;
	}
	return fail;
}
