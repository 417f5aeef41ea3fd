/*
 * The dashboard's figures gathered from the store.
 *
 * The counts are read one district at a time (store_dash.h), as the
 * roll-ups read theirs: the scope's node names the districts its subtree
 * touches, each is read over its part of the subtree, and the counts are
 * added here.  Cases and enterprises come from the counters that
 * migration 020's triggers keep, so a city's year costs the reading of
 * some hundred thousand counter rows rather than of millions of cases.
 * The rest (indicators, visits, links, events, coverage, policies) is
 * read from its rows, which a town has few of.
 *
 * Each section's rows carry the list behind them: the console's address
 * and the API's with the filters that give the same rows.
 */
#include "dashboard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../domain/enterprise.h"
#include "../domain/indicator.h"
#include "../store/store_dash.h"

/* ------------------------------------------------------------------ */
/* Accumulators                                                         */

struct cacc {
	char key[40];
	int64_t created, closed, on_time, rated, rating_sum, satisfied, reopened, adopted,
	    implemented;
};

struct cvec {
	struct cacc *v;
	size_t n, cap;
};

struct eacc {
	int64_t id;
	int64_t n, employees;
	int64_t visited;
};

struct evec {
	struct eacc *v;
	size_t n, cap;
};

/* Per enterprise of the indicator walk: its quarters and months of two
 * years (the period's and the one before), three fields each. */
#define IND_Q 8
#define IND_M 24

struct build {
	struct store *st;
	const struct dash_request *q;
	struct dashboard *d;
	int year;
	/* cases */
	struct cacc total;
	struct cvec by_channel, by_category, by_department, by_kind, by_month;
	/* enterprises (active, of the park) */
	int64_t ent_n, ent_employees, ent_gridded;
	struct evec by_cluster, by_grid;
	int64_t by_size[5], by_stage[6];
	/* indicators */
	int64_t cur_ent;
	double eq[IND_Q][3], em[IND_M][3];
	double tq[IND_Q][3], tm[IND_M][3];
	/* alerts */
	int64_t visited_recent, reported, falls;
	int64_t alert_ent;
	struct indicator series[3];
	int nseries;
	struct period cur_q;
	/* links: cluster x 3 years, total and local */
	struct {
		int64_t cluster;
		double total[3], local[3];
	} * links;
	size_t nlinks, caplinks;
	/* events by quarter of the year */
	int64_t events[4];
	int64_t covered;
	struct dash_policy_sums pol;
	int oom;
};

static struct cacc *cget(struct build *b, struct cvec *v, const char *key)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].key, key) == 0)
			return &v->v[i];
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 16;
		struct cacc *p = realloc(v->v, cap * sizeof(*p));
		if (!p) {
			b->oom = 1;
			return NULL;
		}
		v->v = p;
		v->cap = cap;
	}
	memset(&v->v[v->n], 0, sizeof(v->v[0]));
	snprintf(v->v[v->n].key, sizeof(v->v[0].key), "%s", key);
	return &v->v[v->n++];
}

static struct eacc *eget(struct build *b, struct evec *v, int64_t id)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].id == id)
			return &v->v[i];
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 16;
		struct eacc *p = realloc(v->v, cap * sizeof(*p));
		if (!p) {
			b->oom = 1;
			return NULL;
		}
		v->v = p;
		v->cap = cap;
	}
	memset(&v->v[v->n], 0, sizeof(v->v[0]));
	v->v[v->n].id = id;
	return &v->v[v->n++];
}

static void cadd(struct cacc *a, const struct dash_case_count *c)
{
	if (!a)
		return;
	a->created += c->created;
	a->closed += c->closed;
	a->on_time += c->on_time;
	a->rated += c->rated;
	a->rating_sum += c->rating_sum;
	a->satisfied += c->satisfied;
	a->reopened += c->reopened;
	a->adopted += c->adopted;
	a->implemented += c->implemented;
}

static int on_case(void *ctx, const struct dash_case_count *c)
{
	struct build *b = ctx;
	char k[24];

	cadd(&b->total, c);
	cadd(cget(b, &b->by_channel, c->channel), c);
	snprintf(k, sizeof(k), "%lld", (long long)c->category_id);
	cadd(cget(b, &b->by_category, k), c);
	snprintf(k, sizeof(k), "%lld", (long long)c->department_id);
	cadd(cget(b, &b->by_department, k), c);
	cadd(cget(b, &b->by_kind, c->kind), c);
	cadd(cget(b, &b->by_month, c->month), c);
	return b->oom;
}

static int on_ent(void *ctx, const struct dash_ent_count *c)
{
	struct build *b = ctx;
	struct eacc *a;
	enum size_class z = SIZE_NONE;
	enum chain_stage s = STAGE_NONE;

	if (strcmp(c->status, "active") != 0)
		return 0;
	b->ent_n += c->enterprises;
	b->ent_employees += c->employees;
	if (c->grid_id)
		b->ent_gridded += c->enterprises;
	if ((a = eget(b, &b->by_cluster, c->cluster_id))) {
		a->n += c->enterprises;
		a->employees += c->employees;
	}
	if ((a = eget(b, &b->by_grid, c->grid_id)))
		a->n += c->enterprises;
	if (c->size[0])
		size_class_parse(c->size, &z);
	if (c->stage[0])
		chain_stage_parse(c->stage, &s);
	b->by_size[(unsigned)z < 5 ? z : 0] += c->enterprises;
	b->by_stage[(unsigned)s < 6 ? s : 0] += c->enterprises;
	return b->oom;
}

/* ---- indicators: per enterprise, quarters reported as quarters, else
 * as the sum of their months, so that a figure reported both ways counts
 * once (as the roll-ups count output) ---- */

static void add_nan(double *to, double v)
{
	if (isnan(v))
		return;
	*to = isnan(*to) ? v : *to + v;
}

static void ind_flush(struct build *b)
{
	for (int k = 0; k < IND_Q; k++)
		for (int f = 0; f < 3; f++) {
			double v = b->eq[k][f];
			if (isnan(v))
				for (int m = 3 * k; m < 3 * k + 3; m++)
					add_nan(&v, b->em[m][f]);
			add_nan(&b->tq[k][f], v);
		}
	for (int m = 0; m < IND_M; m++)
		for (int f = 0; f < 3; f++)
			add_nan(&b->tm[m][f], b->em[m][f]);
	for (int k = 0; k < IND_Q; k++)
		for (int f = 0; f < 3; f++)
			b->eq[k][f] = NAN;
	for (int m = 0; m < IND_M; m++)
		for (int f = 0; f < 3; f++)
			b->em[m][f] = NAN;
}

static int on_ind(void *ctx, int64_t ent, const char *period, double rev, double out, double tax)
{
	struct build *b = ctx;
	struct period p;
	double v[3] = {rev, out, tax};
	int y;

	if (ent != b->cur_ent) {
		ind_flush(b);
		b->cur_ent = ent;
	}
	if (!period || period_parse(period, &p))
		return 0;
	y = p.year - (b->year - 1);
	if (y < 0 || y > 1)
		return 0;
	for (int f = 0; f < 3; f++) {
		if (p.kind == PERIOD_QUARTER)
			b->eq[4 * y + p.n - 1][f] = v[f];
		else
			b->em[12 * y + p.n - 1][f] = v[f];
	}
	return 0;
}

/* ---- alerts ---- */

static void alert_flush(struct build *b)
{
	int fell = 0;
	double c;

	for (int f = 0; f < 3 && !fell; f++)
		for (int yoy = 0; yoy <= 1 && !fell; yoy++)
			if (!indicator_change(b->series, b->nseries, b->cur_q, (enum ind_field)f,
			                      yoy, &c) &&
			    c < -b->q->alert_fall - 1e-9)
				fell = 1;
	b->falls += fell;
	b->nseries = 0;
}

static int on_series(void *ctx, int64_t ent, const char *period, const double v[6])
{
	struct build *b = ctx;

	if (ent != b->alert_ent) {
		if (b->nseries)
			alert_flush(b);
		b->alert_ent = ent;
	}
	if (b->nseries < 3 && !period_parse(period, &b->series[b->nseries].p)) {
		for (int f = 0; f < IND_NFIELDS; f++)
			b->series[b->nseries].v[f] = f < 6 ? v[f] : NAN;
		b->nseries++;
	}
	return 0;
}

static int on_visited(void *ctx, int64_t grid, int64_t n)
{
	struct build *b = ctx;
	struct eacc *a = eget(b, &b->by_grid, grid);

	if (a)
		a->visited += n;
	return b->oom;
}

/* ---- localisation ---- */

struct link_ctx {
	struct build *b;
	const struct dash_cut *scope; /* local: the supplier lies in [lo, hi] of the tree */
	int64_t lo, hi;
};

static int jur_lo(const struct dash_request *q, int64_t id, int64_t *lo)
{
	for (size_t i = 0; i < q->ntree; i++)
		if (q->tree[i].id == id) {
			*lo = q->tree[i].lo;
			return 0;
		}
	return -1;
}

static int on_link(void *ctx, int64_t cluster, int64_t supplier_jur, int in_park, const char *since,
                   const char *until, double value)
{
	struct link_ctx *x = ctx;
	struct build *b = x->b;
	int64_t lo = -1;
	int local;
	size_t i;

	if (!cluster)
		return 0;
	local = in_park && !jur_lo(b->q, supplier_jur, &lo) && lo >= x->lo && lo <= x->hi;
	for (i = 0; i < b->nlinks && b->links[i].cluster != cluster; i++)
		;
	if (i == b->nlinks) {
		if (b->nlinks == b->caplinks) {
			size_t cap = b->caplinks ? 2 * b->caplinks : 8;
			void *p = realloc(b->links, cap * sizeof(*b->links));
			if (!p)
				return b->oom = 1;
			b->links = p;
			b->caplinks = cap;
		}
		memset(&b->links[i], 0, sizeof(*b->links));
		b->links[i].cluster = cluster;
		b->nlinks++;
	}
	/* Running at some time in each year of the three. */
	for (int k = 0; k < 3; k++) {
		int y = b->year - 2 + k;
		char first[24], last[24];
		snprintf(first, sizeof(first), "%04d-01-01", y);
		snprintf(last, sizeof(last), "%04d-12-31", y);
		if (strcmp(since, last) > 0 || (until && *until && strcmp(until, first) < 0))
			continue;
		b->links[i].total[k] += value;
		if (local)
			b->links[i].local[k] += value;
	}
	return 0;
}

static int on_event(void *ctx, const char *quarter, int64_t n)
{
	struct build *b = ctx;
	int k = quarter && strlen(quarter) == 7 ? quarter[6] - '1' : -1;

	if (k >= 0 && k < 4)
		b->events[k] += n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reading every district of the scope                                  */

static size_t run_end(const struct dash_request *q, size_t at)
{
	size_t e = at + 1;

	while (e < q->ntree && q->tree[e].lo <= q->tree[at].hi)
		e++;
	return e;
}

static const struct jurisdiction *find(const struct dash_request *q, int64_t id)
{
	for (size_t i = 0; i < q->ntree; i++)
		if (q->tree[i].id == id)
			return &q->tree[i];
	return NULL;
}

static int read_district(struct build *b, struct dash_cut *cut, const char *grids_json,
                         struct err *err)
{
	const struct dash_request *q = b->q;
	const struct dash_period *p = &q->period;
	char ind_from[24], ind_to[24], yfrom[24], yto[24], qfrom[24], qto[24], cutoff[24];
	struct link_ctx lx = {b, cut, q->tree[q->at].lo, q->tree[q->at].hi};
	struct period prev, yago;
	char cq[16], pq[16], yq[16];
	int64_t n;

	cut->cluster_id = q->cluster_id;
	cut->grids_json = grids_json;
	snprintf(ind_from, sizeof(ind_from), "%04d-01", b->year - 1);
	snprintf(ind_to, sizeof(ind_to), "%04d-Q4", b->year);
	snprintf(yfrom, sizeof(yfrom), "%04d-01-01", b->year - 2);
	snprintf(yto, sizeof(yto), "%04d-12-31", b->year);
	snprintf(qfrom, sizeof(qfrom), "%04d-Q1", b->year);
	snprintf(qto, sizeof(qto), "%04d-Q4", b->year);
	/* Not visited: no visit done on or after today less the days. */
	{
		int y = atoi(q->today), m = atoi(q->today + 5), d = atoi(q->today + 8);
		struct tm tm = {.tm_year = y - 1900,
		                .tm_mon = m - 1,
		                .tm_mday = d - q->alert_visit_days,
		                .tm_hour = 12};
		time_t t = timegm(&tm);
		struct tm o;
		gmtime_r(&t, &o);
		strftime(cutoff, sizeof(cutoff), "%Y-%m-%d", &o);
	}
	prev = period_prev(b->cur_q);
	yago = period_year_ago(b->cur_q);
	period_format(b->cur_q, cq, sizeof(cq));
	period_format(prev, pq, sizeof(pq));
	period_format(yago, yq, sizeof(yq));

	b->cur_ent = 0;
	b->alert_ent = 0;
	b->nseries = 0;
	if (store_dash_cases(b->st, cut, p->month_from, p->month_to, p->from_at, p->to_at, on_case,
	                     b, err) ||
	    store_dash_enterprises(b->st, cut, on_ent, b, err) ||
	    store_dash_indicators(b->st, cut, ind_from, ind_to, on_ind, b, err))
		return -1;
	ind_flush(b);
	if (store_dash_visited(b->st, cut, p->since, p->until, on_visited, b, err) ||
	    store_dash_visited_since(b->st, cut, cutoff, &n, err))
		return -1;
	b->visited_recent += n;
	if (store_dash_reported(b->st, cut, cq, &n, err))
		return -1;
	b->reported += n;
	if (store_dash_alert_series(b->st, cut, cq, pq, yq, on_series, b, err))
		return -1;
	if (b->nseries)
		alert_flush(b);
	if (store_dash_links(b->st, cut, yfrom, yto, on_link, &lx, err) ||
	    store_dash_events(b->st, cut, qfrom, qto, on_event, b, err) ||
	    store_dash_covered(b->st, cut, &n, err))
		return -1;
	b->covered += n;
	{
		struct dash_policy_sums s;
		if (store_dash_policies(b->st, cut, p->from_at, p->to_at, &s, err))
			return -1;
		b->pol.matches += s.matches;
		b->pol.applications += s.applications;
		b->pol.approved += s.approved;
		b->pol.grants += s.grants;
		b->pol.granted += s.granted;
	}
	return b->oom ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory") : 0;
}

static int read_all(struct build *b, struct err *err)
{
	const struct dash_request *q = b->q;
	const struct jurisdiction *node = &q->tree[q->at];
	size_t end = run_end(q, q->at);
	struct buf grids = BUF_INIT;
	int rc = 0;

	if (q->grid_cut) {
		buf_addc(&grids, '[');
		for (size_t i = 0; i < q->ngrids; i++)
			buf_printf(&grids, "%s%lld", i ? "," : "", (long long)q->grids[i]);
		buf_addc(&grids, ']');
		if (grids.failed) {
			buf_release(&grids);
			return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		}
	}
	for (size_t i = q->at; i < end && !rc; i++) {
		int64_t dist = q->tree[i].district_id;
		const struct jurisdiction *dj;
		struct dash_cut cut;
		int seen = 0;

		for (size_t k = q->at; k < i && !seen; k++)
			seen = q->tree[k].district_id == dist;
		if (seen)
			continue;
		if (node->district_id == dist && node->id != dist)
			dj = node;
		else if (!(dj = find(q, dist)))
			continue;
		memset(&cut, 0, sizeof(cut));
		cut.district_id = dist;
		cut.lo = dj->lo;
		cut.hi = dj->hi;
		rc = read_district(b, &cut, q->grid_cut ? buf_cstr(&grids) : NULL, err);
	}
	buf_release(&grids);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Names and links                                                      */

struct name_rec {
	int64_t id;
	char code[65];
	char zh[401], en[401];
};

struct names {
	struct name_rec *clusters;
	size_t nclusters, capc;
	struct category_rec *cats;
	size_t ncats, capk;
	struct department_rec *depts;
	size_t ndepts, capd;
	struct name_rec *grids;
	size_t ngrids, capg;
	int oom;
};

#define PUSH(arr, n, cap, item, failed)                                                            \
	do {                                                                                       \
		if ((n) == (cap)) {                                                                \
			size_t c_ = (cap) ? 2 * (cap) : 16;                                        \
			void *p_ = realloc((arr), c_ * sizeof(*(arr)));                            \
			if (!p_) {                                                                 \
				(failed) = 1;                                                      \
				return 1;                                                          \
			}                                                                          \
			(arr) = p_;                                                                \
			(cap) = c_;                                                                \
		}                                                                                  \
		(arr)[(n)++] = (item);                                                             \
	} while (0)

static int name_of(void *ctx, int64_t id, const char *code, const char *zh, const char *en,
                   int grid)
{
	struct names *x = ctx;
	struct name_rec r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	snprintf(r.code, sizeof(r.code), "%s", code ? code : "");
	snprintf(r.zh, sizeof(r.zh), "%s", zh ? zh : "");
	snprintf(r.en, sizeof(r.en), "%s", en ? en : "");
	if (grid)
		PUSH(x->grids, x->ngrids, x->capg, r, x->oom);
	else
		PUSH(x->clusters, x->nclusters, x->capc, r, x->oom);
	return 0;
}

static int name_cluster(void *ctx, int64_t id, const char *code, const char *zh, const char *en)
{
	return name_of(ctx, id, code, zh, en, 0);
}

static int name_grid(void *ctx, int64_t id, const char *code, const char *zh, const char *en)
{
	return name_of(ctx, id, code, zh, en, 1);
}

static int name_category(void *ctx, const struct category_rec *c)
{
	struct names *x = ctx;
	PUSH(x->cats, x->ncats, x->capk, *c, x->oom);
	return 0;
}

static int name_dept(void *ctx, const struct department_rec *d)
{
	struct names *x = ctx;
	PUSH(x->depts, x->ndepts, x->capd, *d, x->oom);
	return 0;
}

static void names_free(struct names *x)
{
	free(x->clusters);
	free(x->cats);
	free(x->depts);
	free(x->grids);
}

static const struct name_rec *cluster_of(const struct names *x, int64_t id)
{
	for (size_t i = 0; i < x->nclusters; i++)
		if (x->clusters[i].id == id)
			return &x->clusters[i];
	return NULL;
}

/* The API's filters of the scope, to append to a list's address. */
static void scope_query(const struct build *b, char *out, size_t n)
{
	const struct dash_request *q = b->q;

	if (q->cluster_id)
		snprintf(out, n, "jurisdiction=%s&cluster=%lld", q->tree[q->at].code,
		         (long long)q->cluster_id);
	else
		snprintf(out, n, "jurisdiction=%s", q->tree[q->at].code);
}

static void link(struct dash_row *r, const char *console, const char *api)
{
	if (!r)
		return;
	snprintf(r->console, sizeof(r->console), "%s", console ? console : "");
	snprintf(r->api, sizeof(r->api), "%s", api ? api : "");
}

/* ------------------------------------------------------------------ */
/* Sections                                                             */

static const struct {
	const char *key, *zh, *en;
} channel_names[] = {
    {"console", "控制台录入", "Console"},
    {"web", "网上", "Web"},
    {"open311", "Open311 接口", "Open311"},
    {"grid_visit", "网格走访", "Grid visit"},
    {"event", "活动", "Event"},
    {"workstation", "工作站", "Workstation"},
    {"contact_point", "联络点", "Contact point"},
    {"mailbox", "意见箱", "Mailbox"},
    {"residential", "居民区", "Residential"},
    {"street_reception", "街道接待", "Street reception"},
    {"hotline", "热线", "Hotline"},
    {"card", "服务卡", "Service card"},
    {"enterprise", "企业自报", "Enterprise"},
};

static const char *const kind_zh[][3] = {{"problem", "问题", "Problems"},
                                         {"suggestion", "建议", "Suggestions"},
                                         {"complaint", "投诉", "Complaints"},
                                         {"service_request", "服务申请", "Service requests"}};

static void case_cols(struct dash_section *s)
{
	dash_col_add(s, "created", "受理量", "Cases", DK_COUNT);
	dash_col_add(s, "closed", "办结", "Closed", DK_COUNT);
	dash_col_add(s, "on_time_rate", "按时办结率", "On-time rate", DK_RATE);
	dash_col_add(s, "satisfaction", "满意度（1–5）", "Satisfaction (1–5)", DK_SCORE);
	dash_col_add(s, "satisfied_rate", "满意率", "Satisfied share", DK_RATE);
	dash_col_add(s, "reopen_rate", "重办率", "Reopen rate", DK_RATE);
}

static void case_vals(struct dash_row *r, const struct cacc *a)
{
	if (!r)
		return;
	r->v[0] = (double)a->created;
	r->v[1] = (double)a->closed;
	r->v[2] = dash_share((double)a->on_time, (double)a->closed);
	r->v[3] = dash_mean((double)a->rating_sum, (double)a->rated);
	r->v[4] = dash_share((double)a->satisfied, (double)a->rated);
	r->v[5] = dash_share((double)a->reopened, (double)a->created);
}

static void summary_row(struct dash_section *s, const char *key, const char *zh, const char *en,
                        enum dash_kind kind, double v, double before, const char *console,
                        const char *api)
{
	struct dash_row *r = dash_row_add(s, key, zh, en);

	if (!r)
		return;
	r->kind = (int)kind;
	r->v[0] = v;
	r->v[1] = before;
	r->v[2] = dash_change(v, before);
	link(r, console, api);
}

/* The sum of the period's quarters (or months) of field f; before: the
 * same a year earlier. */
static double econ(const struct build *b, int f, int before)
{
	const struct dash_period *p = &b->q->period;
	int y = before ? 0 : 1;
	double v = NAN;

	if (p->kind == DP_MONTH) {
		add_nan(&v, b->tm[12 * y + p->n - 1][f]);
		return v;
	}
	for (int k = 0; k < 4; k++) {
		int qn = k + 1;
		if (p->kind == DP_QUARTER && qn != p->n)
			continue;
		add_nan(&v, b->tq[4 * y + k][f]);
	}
	return v;
}

static int make_sections(struct build *b, const struct names *x, struct err *err)
{
	struct dashboard *d = b->d;
	const struct dash_request *q = b->q;
	const struct dash_period *p = &q->period;
	struct dash_section *s;
	struct dash_row *r;
	char sq[120], c[400], a[400];
	const char *fields[3][3] = {{"revenue", "营业收入（万元）", "Revenue (10,000 CNY)"},
	                            {"output", "工业产值（万元）", "Output (10,000 CNY)"},
	                            {"tax", "税收（万元）", "Tax (10,000 CNY)"}};

	scope_query(b, sq, sizeof(sq));

	/* ---- the figures at a glance ---- */
	if (!(s = dash_section_add(d, "summary", "概览", "At a glance")))
		goto oom;
	dash_col_add(s, "value", "本期", "This period", DK_COUNT);
	dash_col_add(s, "year_ago", "上年同期", "A year before", DK_COUNT);
	dash_col_add(s, "change", "同比", "Year on year", DK_CHANGE);
	snprintf(a, sizeof(a), "/api/v1/enterprises?status=active&%s", sq);
	summary_row(s, "enterprises", "在册企业（在营）", "Enterprises (active)", DK_COUNT,
	            (double)b->ent_n, NAN, "/enterprises?status=active", a);
	summary_row(s, "employees", "从业人员", "Employees", DK_COUNT, (double)b->ent_employees,
	            NAN, "/enterprises?status=active&sort=-employees", a);
	for (int f = 0; f < 3; f++)
		summary_row(s, fields[f][0], fields[f][1], fields[f][2], DK_AMOUNT, econ(b, f, 0),
		            econ(b, f, 1), "/enterprises?status=active", a);
	snprintf(a, sizeof(a), "/api/v1/cases?since=%s&until=%s&%s", p->from_at, p->to_at, sq);
	{
		const struct cacc *t = &b->total;
		const struct cacc *sg = NULL;
		char ca[400];
		for (size_t i = 0; i < b->by_kind.n; i++)
			if (strcmp(b->by_kind.v[i].key, "suggestion") == 0)
				sg = &b->by_kind.v[i];
		summary_row(s, "cases", "诉求受理量", "Cases", DK_COUNT, (double)t->created, NAN,
		            "/cases?tab=all", a);
		summary_row(s, "on_time_rate", "按时办结率", "On-time rate", DK_RATE,
		            dash_share((double)t->on_time, (double)t->closed), NAN,
		            "/cases?tab=closed", a);
		summary_row(s, "satisfaction", "满意度（1–5）", "Satisfaction (1–5)", DK_SCORE,
		            dash_mean((double)t->rating_sum, (double)t->rated), NAN,
		            "/cases?tab=closed", a);
		summary_row(s, "satisfied_rate", "满意率", "Satisfied share", DK_RATE,
		            dash_share((double)t->satisfied, (double)t->rated), NAN,
		            "/cases?tab=closed", a);
		summary_row(s, "reopen_rate", "重办率", "Reopen rate", DK_RATE,
		            dash_share((double)t->reopened, (double)t->created), NAN,
		            "/cases?tab=all", a);
		snprintf(ca, sizeof(ca), "/api/v1/cases?kind=suggestion&since=%s&until=%s&%s",
		         p->from_at, p->to_at, sq);
		summary_row(s, "suggestions", "建议", "Suggestions", DK_COUNT,
		            sg ? (double)sg->created : 0, NAN, "/cases?tab=all&kind=suggestion",
		            ca);
		summary_row(s, "adopted", "建议已采纳", "Suggestions adopted", DK_COUNT,
		            sg ? (double)sg->adopted : 0, NAN, "/cases?tab=all&kind=suggestion",
		            ca);
		summary_row(s, "implemented", "建议已落实", "Suggestions implemented", DK_COUNT,
		            sg ? (double)sg->implemented : 0, NAN, "/cases?tab=all&kind=suggestion",
		            ca);
		summary_row(s, "adoption_rate", "建议采纳率", "Adoption rate", DK_RATE,
		            sg ? dash_share((double)sg->adopted, (double)sg->created) : NAN, NAN,
		            "/cases?tab=all&kind=suggestion", ca);
	}
	{
		int64_t visited = 0;
		for (size_t i = 0; i < b->by_grid.n; i++)
			visited += b->by_grid.v[i].visited;
		snprintf(a, sizeof(a), "/api/v1/enterprises?status=active&%s", sq);
		summary_row(s, "visited_share", "走访覆盖率", "Share visited", DK_RATE,
		            dash_share((double)visited, (double)b->ent_n), NAN, "/map", a);
	}
	{
		int64_t held = 0;
		for (int k = 0; k < 4; k++) {
			int qn = k + 1;
			if (p->kind == DP_YEAR ||
			    qn == (p->kind == DP_QUARTER ? p->n : (p->n + 2) / 3))
				held += b->events[k];
		}
		snprintf(c, sizeof(c), "/events?year=%d", b->year);
		snprintf(a, sizeof(a), "/api/v1/events?year=%d", b->year);
		summary_row(s, "events_held", "活动举办（场）", "Events held", DK_COUNT,
		            (double)held, NAN, c, a);
	}
	summary_row(s, "coverage", "组织覆盖率", "Organisation coverage", DK_RATE,
	            dash_share((double)b->covered, (double)b->ent_n), NAN, "/coverage",
	            "/api/v1/coverage");
	summary_row(s, "policy_matches", "政策匹配（符合）", "Policy matches", DK_COUNT,
	            (double)b->pol.matches, NAN, "/policies", "/api/v1/policies");
	summary_row(s, "applications", "政策申报", "Applications", DK_COUNT,
	            (double)b->pol.applications, NAN, "/applications", "/api/v1/applications");
	summary_row(s, "approved", "申报获批", "Applications approved", DK_COUNT,
	            (double)b->pol.approved, NAN, "/applications", "/api/v1/applications");
	summary_row(s, "grants", "兑现笔数", "Grants paid out", DK_COUNT, (double)b->pol.grants,
	            NAN, "/policies", "/api/v1/policies");
	summary_row(s, "granted", "兑现金额（元）", "Granted (CNY)", DK_AMOUNT, b->pol.granted, NAN,
	            "/policies", "/api/v1/policies");

	/* ---- enterprises by cluster, with the location quotient ---- */
	if (!(s = dash_section_add(d, "clusters", "产业集群：企业与集聚度",
	                           "Clusters: enterprises and strength")))
		goto oom;
	dash_col_add(s, "enterprises", "企业", "Enterprises", DK_COUNT);
	dash_col_add(s, "employees", "从业人员", "Employees", DK_COUNT);
	dash_col_add(s, "share_here", "本地就业占比", "Share of employment here", DK_RATE);
	dash_col_add(s, "reference_employees", "参照区域就业", "Reference employment", DK_COUNT);
	dash_col_add(s, "share_reference", "参照区域占比", "Share in the reference region",
	             DK_RATE);
	dash_col_add(s, "lq", "区位商", "Location quotient", DK_QUOTIENT);
	for (size_t i = 0; i < b->by_cluster.n; i++) {
		const struct eacc *e = &b->by_cluster.v[i];
		const struct name_rec *cl = cluster_of(x, e->id);
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)e->id);
		r = dash_row_add(s, key,
		                 cl      ? cl->zh
		                 : e->id ? key
		                         : "未归集群",
		                 cl      ? cl->en
		                 : e->id ? key
		                         : "No cluster");
		if (!r)
			goto oom;
		r->v[0] = (double)e->n;
		r->v[1] = (double)e->employees;
		r->v[2] = dash_share((double)e->employees, (double)b->ent_employees);
		if (e->id) {
			snprintf(c, sizeof(c), "/enterprises?cluster=%lld&status=active",
			         (long long)e->id);
			snprintf(a, sizeof(a), "/api/v1/enterprises?cluster=%lld&status=active&%s",
			         (long long)e->id, sq);
		} else {
			snprintf(c, sizeof(c), "/enterprises?status=active");
			snprintf(a, sizeof(a), "/api/v1/enterprises?status=active&%s", sq);
		}
		link(r, c, a);
	}

	/* ---- by size and by stage ---- */
	{
		static const char *const size_key[] = {"", "micro", "small", "medium", "large"};
		static const char *const size_zh[] = {"未填", "微型", "小型", "中型", "大型"};
		static const char *const size_en[] = {"Not given", "Micro", "Small", "Medium",
		                                      "Large"};
		static const char *const stage_key[] = {"",          "leading",    "upstream",
		                                        "midstream", "downstream", "service"};
		static const char *const stage_zh[] = {"未填", "链主", "上游",
		                                       "中游", "下游", "配套服务"};
		static const char *const stage_en[] = {"Not given", "Leading",    "Upstream",
		                                       "Midstream", "Downstream", "Service"};
		if (!(s = dash_section_add(d, "sizes", "企业规模", "Enterprises by size")))
			goto oom;
		dash_col_add(s, "enterprises", "企业", "Enterprises", DK_COUNT);
		for (int k = 1; k <= 4; k++) {
			if (!(r = dash_row_add(s, size_key[k], size_zh[k], size_en[k])))
				goto oom;
			r->v[0] = (double)b->by_size[k];
			snprintf(c, sizeof(c), "/enterprises?size=%s&status=active", size_key[k]);
			snprintf(a, sizeof(a), "/api/v1/enterprises?size=%s&status=active&%s",
			         size_key[k], sq);
			link(r, c, a);
		}
		if (b->by_size[0] && (r = dash_row_add(s, "none", size_zh[0], size_en[0])))
			r->v[0] = (double)b->by_size[0];
		if (!(s = dash_section_add(d, "stages", "产业链环节",
		                           "Enterprises by chain stage")))
			goto oom;
		dash_col_add(s, "enterprises", "企业", "Enterprises", DK_COUNT);
		for (int k = 1; k <= 5; k++) {
			if (!(r = dash_row_add(s, stage_key[k], stage_zh[k], stage_en[k])))
				goto oom;
			r->v[0] = (double)b->by_stage[k];
			snprintf(c, sizeof(c), "/enterprises?stage=%s&status=active", stage_key[k]);
			snprintf(a, sizeof(a), "/api/v1/enterprises?stage=%s&status=active&%s",
			         stage_key[k], sq);
			link(r, c, a);
		}
		if (b->by_stage[0] && (r = dash_row_add(s, "none", stage_zh[0], stage_en[0])))
			r->v[0] = (double)b->by_stage[0];
	}

	/* ---- revenue, output and tax by quarter, year on year ---- */
	if (!(s = dash_section_add(d, "economy", "经济指标（按季度）",
	                           "Revenue, output and tax by quarter")))
		goto oom;
	for (int f = 0; f < 3; f++) {
		char k[24], zh[64], en[64];
		dash_col_add(s, fields[f][0], fields[f][1], fields[f][2], DK_AMOUNT);
		snprintf(k, sizeof(k), "%s_yoy", fields[f][0]);
		snprintf(zh, sizeof(zh), "%s同比", f == 0 ? "营收" : f == 1 ? "产值" : "税收");
		snprintf(en, sizeof(en), "%s, year on year",
		         f == 0   ? "Revenue"
		         : f == 1 ? "Output"
		                  : "Tax");
		dash_col_add(s, k, zh, en, DK_CHANGE);
	}
	for (int k = 0; k < dash_period_last_quarter(p); k++) {
		char key[32];
		snprintf(key, sizeof(key), "%04d-Q%d", b->year, k + 1);
		if (!(r = dash_row_add(s, key, key, key)))
			goto oom;
		for (int f = 0; f < 3; f++) {
			r->v[2 * f] = b->tq[4 + k][f];
			r->v[2 * f + 1] = dash_change(b->tq[4 + k][f], b->tq[k][f]);
		}
		snprintf(a, sizeof(a), "/api/v1/enterprises?status=active&%s", sq);
		link(r, "/enterprises?status=active", a);
	}

	/* ---- localisation of each cluster by year ---- */
	if (!(s = dash_section_add(d, "localisation", "集群本地配套率（按年）",
	                           "Localisation of each cluster by year")))
		goto oom;
	for (int k = 0; k < 3; k++) {
		char y[16];
		snprintf(y, sizeof(y), "%d", b->year - 2 + k);
		dash_col_add(s, y, y, y, DK_RATE);
	}
	for (size_t i = 0; i < b->nlinks; i++) {
		const struct name_rec *cl = cluster_of(x, b->links[i].cluster);
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)b->links[i].cluster);
		if (!(r = dash_row_add(s, key, cl ? cl->zh : key, cl ? cl->en : key)))
			goto oom;
		for (int k = 0; k < 3; k++)
			r->v[k] = dash_share(b->links[i].local[k], b->links[i].total[k]);
		snprintf(c, sizeof(c), "/clusters/%lld/chain", (long long)b->links[i].cluster);
		snprintf(a, sizeof(a), "/api/v1/clusters/%lld/localisation",
		         (long long)b->links[i].cluster);
		link(r, c, a);
	}

	/* ---- cases ---- */
	if (!(s = dash_section_add(d, "cases_by_channel", "诉求：按渠道", "Cases by channel")))
		goto oom;
	case_cols(s);
	for (size_t i = 0; i < b->by_channel.n; i++) {
		const char *k = b->by_channel.v[i].key, *zh = k, *en = k;
		for (size_t j = 0; j < sizeof(channel_names) / sizeof(channel_names[0]); j++)
			if (strcmp(channel_names[j].key, k) == 0)
				zh = channel_names[j].zh, en = channel_names[j].en;
		if (!(r = dash_row_add(s, k, zh, en)))
			goto oom;
		case_vals(r, &b->by_channel.v[i]);
		snprintf(a, sizeof(a), "/api/v1/cases?channel=%s&since=%s&until=%s&%s", k,
		         p->from_at, p->to_at, sq);
		link(r, "/cases?tab=all", a);
	}
	dash_rank(s, 0, -1);
	if (!(s = dash_section_add(d, "cases_by_category", "诉求：按类别", "Cases by category")))
		goto oom;
	case_cols(s);
	for (size_t i = 0; i < b->by_category.n; i++) {
		const char *k = b->by_category.v[i].key, *zh = k, *en = k;
		for (size_t j = 0; j < x->ncats; j++)
			if (x->cats[j].id == atoll(k))
				zh = x->cats[j].name_zh, en = x->cats[j].name_en;
		if (!(r = dash_row_add(s, k, zh, en)))
			goto oom;
		case_vals(r, &b->by_category.v[i]);
		snprintf(c, sizeof(c), "/cases?tab=all&category_id=%s", k);
		snprintf(a, sizeof(a), "/api/v1/cases?category_id=%s&since=%s&until=%s&%s", k,
		         p->from_at, p->to_at, sq);
		link(r, c, a);
	}
	dash_rank(s, 0, -1);
	if (!(s = dash_section_add(d, "cases_by_kind", "诉求：按性质", "Cases by kind")))
		goto oom;
	case_cols(s);
	for (size_t i = 0; i < b->by_kind.n; i++) {
		const char *k = b->by_kind.v[i].key, *zh = k, *en = k;
		for (size_t j = 0; j < 4; j++)
			if (strcmp(kind_zh[j][0], k) == 0)
				zh = kind_zh[j][1], en = kind_zh[j][2];
		if (!(r = dash_row_add(s, k, zh, en)))
			goto oom;
		case_vals(r, &b->by_kind.v[i]);
		snprintf(c, sizeof(c), "/cases?tab=all&kind=%s", k);
		snprintf(a, sizeof(a), "/api/v1/cases?kind=%s&since=%s&until=%s&%s", k, p->from_at,
		         p->to_at, sq);
		link(r, c, a);
	}
	dash_rank(s, 0, -1);
	if (!(s = dash_section_add(d, "cases_by_month", "诉求：按月", "Cases by month")))
		goto oom;
	case_cols(s);
	for (int m = atoi(p->month_from + 5); m <= atoi(p->month_to + 5); m++) {
		char key[16];
		const struct cacc *v = NULL;
		static const struct cacc zero;
		snprintf(key, sizeof(key), "%04d-%02d", p->year, m);
		for (size_t i = 0; i < b->by_month.n; i++)
			if (strcmp(b->by_month.v[i].key, key) == 0)
				v = &b->by_month.v[i];
		if (!(r = dash_row_add(s, key, key, key)))
			goto oom;
		case_vals(r, v ? v : &zero);
		link(r, "/cases?tab=all", NULL);
	}
	if (!(s = dash_section_add(d, "departments", "部门排名（按时办结率、满意度）",
	                           "Departments ranked by on-time rate and satisfaction")))
		goto oom;
	case_cols(s);
	for (size_t i = 0; i < b->by_department.n; i++) {
		const char *k = b->by_department.v[i].key, *zh = k, *en = k;
		for (size_t j = 0; j < x->ndepts; j++)
			if (x->depts[j].id == atoll(k))
				zh = x->depts[j].name, en = x->depts[j].name_en;
		if (!(r = dash_row_add(s, k, zh, en)))
			goto oom;
		case_vals(r, &b->by_department.v[i]);
		snprintf(c, sizeof(c), "/cases?tab=all&department_id=%s", k);
		snprintf(a, sizeof(a), "/api/v1/cases?department_id=%s&since=%s&until=%s&%s", k,
		         p->from_at, p->to_at, sq);
		link(r, c, a);
	}
	dash_rank(s, 2, 3);

	/* ---- visits by grid ---- */
	if (!(s = dash_section_add(d, "visits", "走访：本期走访企业占比（按网格）",
	                           "Visits: share of enterprises visited, by grid")))
		goto oom;
	dash_col_add(s, "enterprises", "企业", "Enterprises", DK_COUNT);
	dash_col_add(s, "visited", "已走访", "Visited", DK_COUNT);
	dash_col_add(s, "visited_share", "走访覆盖率", "Share visited", DK_RATE);
	for (size_t i = 0; i < b->by_grid.n; i++) {
		const struct eacc *e = &b->by_grid.v[i];
		const char *zh = "未划入网格", *en = "Not in a grid";
		char key[24];
		for (size_t j = 0; j < x->ngrids; j++)
			if (x->grids[j].id == e->id)
				zh = x->grids[j].zh, en = x->grids[j].en;
		snprintf(key, sizeof(key), "%lld", (long long)e->id);
		if (!(r = dash_row_add(s, key, zh, en)))
			goto oom;
		r->v[0] = (double)e->n;
		r->v[1] = (double)e->visited;
		r->v[2] = dash_share((double)e->visited, (double)e->n);
		if (e->id) {
			snprintf(c, sizeof(c), "/grids/%lld", (long long)e->id);
			snprintf(a, sizeof(a), "/api/v1/enterprises?grid=%lld&status=active&%s",
			         (long long)e->id, sq);
			link(r, c, a);
		}
	}
	dash_rank(s, 2, 0);

	/* ---- open alerts ---- */
	if (!(s = dash_section_add(d, "alerts", "未处理预警（企业数）",
	                           "Open alerts (enterprises)")))
		goto oom;
	dash_col_add(s, "enterprises", "企业", "Enterprises", DK_COUNT);
	if ((r = dash_row_add(s, "fall", "指标下滑", "Falling figures"))) {
		r->v[0] = (double)b->falls;
		link(r, "/alerts?kind=fall", "/api/v1/alerts");
	}
	if ((r = dash_row_add(s, "missing_report", "未报指标", "Missing reports"))) {
		r->v[0] = (double)(b->ent_gridded - b->reported);
		link(r, "/alerts?kind=missing_report", "/api/v1/alerts");
	}
	if ((r = dash_row_add(s, "not_visited", "久未走访", "Not visited"))) {
		r->v[0] = (double)(b->ent_gridded - b->visited_recent);
		link(r, "/alerts?kind=not_visited", "/api/v1/alerts");
	}

	/* ---- events held per quarter ---- */
	if (!(s = dash_section_add(d, "events", "活动举办（按季度）", "Events held by quarter")))
		goto oom;
	dash_col_add(s, "held", "举办场次", "Held", DK_COUNT);
	for (int k = 0; k < 4; k++) {
		char key[32];
		snprintf(key, sizeof(key), "%04d-Q%d", b->year, k + 1);
		if (!(r = dash_row_add(s, key, key, key)))
			goto oom;
		r->v[0] = (double)b->events[k];
		snprintf(c, sizeof(c), "/events?year=%d", b->year);
		snprintf(a, sizeof(a), "/api/v1/events?year=%d", b->year);
		link(r, c, a);
	}
	if (d->failed)
		goto oom;
	for (size_t i = 0; i < d->n; i++)
		if (d->s[i].failed)
			goto oom;
	return 0;
oom:
	return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

/* ---- leads by stage, of the clusters the scope sees ---- */

struct lead_ctx {
	struct build *b;
	int64_t stages[6];
};

static const char *const lead_stages[] = {"contacted", "visited", "negotiating",
                                          "signed",    "settled", "dropped"};

static int on_lead(void *ctx, int64_t cluster, const char *stage, int64_t n)
{
	struct lead_ctx *x = ctx;
	int seen = !x->b->q->cluster_id || cluster == x->b->q->cluster_id;

	if (!seen)
		return 0;
	for (int k = 0; k < 6; k++)
		if (strcmp(stage, lead_stages[k]) == 0)
			x->stages[k] += n;
	return 0;
}

static int pipeline(struct build *b, struct err *err)
{
	static const char *const zh[] = {"初步接触", "实地考察", "洽谈中",
	                                 "已签约",   "已落地",   "已放弃"};
	static const char *const en[] = {"Contacted", "Visited", "Negotiating",
	                                 "Signed",    "Settled", "Dropped"};
	struct lead_ctx x = {b, {0}};
	struct dash_section *s;
	struct dash_row *r;
	char c[64], a[96];

	if (store_dash_leads(b->st, on_lead, &x, err))
		return -1;
	if (!(s = dash_section_add(b->d, "pipeline", "招商项目（按阶段）",
	                           "Attraction pipeline by stage")))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	dash_col_add(s, "leads", "项目数", "Leads", DK_COUNT);
	for (int k = 0; k < 6; k++) {
		if (!(r = dash_row_add(s, lead_stages[k], zh[k], en[k])))
			return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		r->v[0] = (double)x.stages[k];
		if (b->q->cluster_id)
			snprintf(c, sizeof(c), "/pipeline?cluster=%lld",
			         (long long)b->q->cluster_id);
		else
			snprintf(c, sizeof(c), "/pipeline");
		snprintf(a, sizeof(a), "/api/v1/leads?stage=%s", lead_stages[k]);
		link(r, c, a);
	}
	return 0;
}

/* ---- location quotients: each cluster's classes against the region ---- */

struct lq_ctx {
	struct build *b;
	struct refemp_row *rows;
	size_t n, cap;
	int64_t total;
	/* the reference employment of each cluster's classes */
	int64_t cluster;
	int oom;
};

static int on_refemp(void *ctx, const struct refemp_row *r)
{
	struct lq_ctx *x = ctx;

	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		void *p = realloc(x->rows, cap * sizeof(*x->rows));
		if (!p)
			return x->oom = 1;
		x->rows = p;
		x->cap = cap;
	}
	x->rows[x->n++] = *r;
	x->total += r->employees;
	return 0;
}

static int on_class(void *ctx, int64_t cluster, const char *industry)
{
	struct lq_ctx *x = ctx;
	struct dash_section *s = NULL;
	struct dash_row *r;
	char key[24];

	for (size_t i = 0; i < x->b->d->n; i++)
		if (strcmp(x->b->d->s[i].id, "clusters") == 0)
			s = &x->b->d->s[i];
	snprintf(key, sizeof(key), "%lld", (long long)cluster);
	if (!s || !(r = dash_row_find(s, key)))
		return 0;
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->rows[i].industry, industry) == 0)
			r->v[3] = (isnan(r->v[3]) ? 0 : r->v[3]) + (double)x->rows[i].employees;
	return 0;
}

static int quotients(struct build *b, struct err *err)
{
	struct lq_ctx x = {.b = b};
	struct dash_section *s = NULL;
	int rc = 0;

	if (store_refemp_list(b->st, on_refemp, &x, err)) {
		free(x.rows);
		return -1;
	}
	if (x.oom) {
		free(x.rows);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	b->d->reference_employees = x.total;
	if (x.n)
		snprintf(b->d->reference_region, sizeof(b->d->reference_region), "%s",
		         x.rows[0].region);
	for (size_t i = 0; i < b->d->n; i++)
		if (strcmp(b->d->s[i].id, "clusters") == 0)
			s = &b->d->s[i];
	if (x.n && s) {
		/* A cluster without a class of the region's has a reference
		 * employment of 0, and no quotient. */
		for (size_t i = 0; i < s->n; i++)
			if (strcmp(s->rows[i].key, "0") != 0)
				s->rows[i].v[3] = 0;
		rc = store_dash_cluster_classes(b->st, on_class, &x, err);
		for (size_t i = 0; i < s->n && !rc; i++) {
			struct dash_row *r = &s->rows[i];
			if (strcmp(r->key, "0") == 0)
				continue;
			r->v[4] = dash_share(r->v[3], (double)x.total);
			r->v[5] =
			    dash_lq(r->v[1], (double)b->ent_employees, r->v[3], (double)x.total);
		}
	}
	free(x.rows);
	return rc;
}

int dashboard_build(struct store *st, const struct dash_request *q, struct dashboard *d,
                    struct err *err)
{
	struct build *b = calloc(1, sizeof(*b));
	struct names x;
	const struct jurisdiction *node = &q->tree[q->at];
	int rc = -1;

	memset(&x, 0, sizeof(x));
	if (!b)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	b->st = st;
	b->q = q;
	b->d = d;
	b->year = q->period.year;
	for (int k = 0; k < IND_Q; k++)
		for (int f = 0; f < 3; f++)
			b->eq[k][f] = b->tq[k][f] = NAN;
	for (int m = 0; m < IND_M; m++)
		for (int f = 0; f < 3; f++)
			b->em[m][f] = b->tm[m][f] = NAN;
	/* The alerts' quarter: the last that should have been reported by
	 * today, as the alert list has it. */
	{
		struct period now;
		period_of_date(q->today, PERIOD_QUARTER, &now);
		b->cur_q = period_prev(now);
	}
	d->period = q->period;
	d->scope_kind = q->cluster_id ? DSK_CLUSTER : q->grid_cut ? DSK_GRIDS : DSK_JURISDICTION;
	d->scope_id = node->id;
	snprintf(d->scope_code, sizeof(d->scope_code), "%s", node->code);
	snprintf(d->scope_zh, sizeof(d->scope_zh), "%s", node->name_zh);
	snprintf(d->scope_en, sizeof(d->scope_en), "%s", node->name_en);

	if (read_all(b, err) || store_dash_names(st, 0, name_cluster, &x, err) ||
	    store_categories(st, name_category, &x, err) ||
	    store_departments(st, name_dept, &x, err) ||
	    store_dash_names(st, 1, name_grid, &x, err))
		goto out;
	if (x.oom || b->oom) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (q->cluster_id) {
		const struct name_rec *cl = cluster_of(&x, q->cluster_id);
		d->scope_id = q->cluster_id;
		if (cl) {
			snprintf(d->scope_code, sizeof(d->scope_code), "%s", cl->code);
			snprintf(d->scope_zh, sizeof(d->scope_zh), "%s", cl->zh);
			snprintf(d->scope_en, sizeof(d->scope_en), "%s", cl->en);
		}
	}
	if (make_sections(b, &x, err) || pipeline(b, err) || quotients(b, err))
		goto out;
	/* Amounts to the fen (two decimals), as every form of the report
	 * writes them, so that none shows a sum's last binary digits. */
	for (size_t i = 0; i < d->n; i++)
		for (size_t k = 0; k < d->s[i].n; k++)
			for (int c = 0; c < d->s[i].ncols; c++)
				if (dash_value_kind(&d->s[i], &d->s[i].rows[k], c) == DK_AMOUNT &&
				    !isnan(d->s[i].rows[k].v[c]))
					d->s[i].rows[k].v[c] =
					    round(d->s[i].rows[k].v[c] * 100) / 100;
	rc = 0;
out:
	free(b->by_channel.v);
	free(b->by_category.v);
	free(b->by_department.v);
	free(b->by_kind.v);
	free(b->by_month.v);
	free(b->by_cluster.v);
	free(b->by_grid.v);
	free(b->links);
	free(b);
	names_free(&x);
	return rc;
}
