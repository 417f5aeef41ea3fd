/*
 * GET /api/v1/jurisdictions/{id}/rollup: a jurisdiction's figures for a
 * period and its children's beside them, ranked by one figure, as a
 * hotline office ranks its streets and departments.
 *
 * The counts are read one district at a time (store_rollup_district),
 * grouped by jurisdiction, and added here over each subtree: the tree is
 * in depth-first order, so a node's subtree is the run of nodes from it
 * to the last whose lo is within its hi, and every figure of the node and
 * of each child is a sum over a run.  No query joins the rows of two
 * districts.  The rules of the figures and the ranking are
 * domain/rollup.c's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/timeutil.h"
#include "api.h"
#include "jur_tree.h"

struct acc {
	const struct jur_tree *t;
	struct rollup_sums *sums; /* by position in the tree */
	struct rollup_pair *pairs;
	size_t npairs, cap;
};

static long position(const struct jur_tree *t, int64_t id)
{
	const struct jurisdiction *j = jur_tree_find(t, id);
	return j ? (long)(j - t->n) : -1;
}

static int add_sums(void *ctx, int64_t jid, const struct rollup_sums *s)
{
	struct acc *a = ctx;
	long i = position(a->t, jid);

	/* A row of a jurisdiction the tree no longer has counts nowhere. */
	if (i >= 0)
		rollup_sums_add(&a->sums[i], s);
	return 0;
}

static int add_link(void *ctx, int64_t customer, int64_t supplier, double value)
{
	struct acc *a = ctx;
	long c = position(a->t, customer), s = position(a->t, supplier);

	if (c < 0)
		return 0;
	if (a->npairs == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		struct rollup_pair *p = realloc(a->pairs, cap * sizeof(*p));
		if (!p)
			return 1;
		a->pairs = p;
		a->cap = cap;
	}
	a->pairs[a->npairs++] =
	    (struct rollup_pair){a->t->n[c].lo, s >= 0 ? a->t->n[s].lo : -1, value};
	return 0;
}

/* The period from since= and until=, each checked and named when bad. */
static int read_period(struct req *r, struct rollup_period *p)
{
	const char *names[2] = {"since", "until"}, *v[2];
	char now[21], today[11];

	for (int i = 0; i < 2; i++) {
		v[i] = req_query(r, names[i]);
		if (v[i] && !*v[i])
			v[i] = NULL;
		if (v[i] && !rollup_date_valid(v[i]))
			return err_set(
			    &r->err, ERR_MALFORMED, "invalid_date", names[i],
			    "%s: '%.40s' must be a date YYYY-MM-DD between 1990 and 2100", names[i],
			    v[i]);
	}
	/* The town's today, UTC+8, as visits date themselves. */
	time_iso(time(NULL) + 8 * 3600, now);
	memcpy(today, now, 10);
	today[10] = '\0';
	if (rollup_period_make(p, v[0], v[1], today))
		return err_set(&r->err, ERR_INVALID, "before_since", "until",
		               "until: %s must not be before since (%s)", v[1] ? v[1] : today,
		               v[0] ? v[0] : "the first day of its year");
	return 0;
}

/* Sums the counts of the run of nodes [from, to) of the tree. */
static void run_sum(const struct acc *a, size_t from, size_t to, struct rollup_sums *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = from; i < to; i++)
		rollup_sums_add(out, &a->sums[i]);
}

/* The end of the node's run: the first node after it whose lo lies
 * beyond its hi. */
static size_t run_end(const struct jur_tree *t, size_t at)
{
	size_t e = at + 1;

	while (e < t->len && t->n[e].lo <= t->n[at].hi)
		e++;
	return e;
}

static void figures_of(const struct acc *a, size_t at, struct rollup_figures *f)
{
	struct rollup_sums s;
	double local = 0;
	int has =
	    rollup_localisation(a->pairs, a->npairs, a->t->n[at].lo, a->t->n[at].hi, &local) == 0;

	run_sum(a, at, run_end(a->t, at), &s);
	rollup_figures_make(f, &s, has, local);
}

static void node_json(struct buf *out, const struct jurisdiction *j)
{
	buf_printf(out, "{\"id\":%lld,\"code\":", (long long)j->id);
	buf_json_str(out, j->code);
	buf_adds(out, ",\"name_zh\":");
	buf_json_str(out, j->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, j->name_en);
	buf_adds(out, ",\"level\":");
	buf_json_str(out, jur_level_name(j->level));
	buf_addc(out, '}');
}

static void figures_json(struct buf *out, const struct rollup_figures *f)
{
	buf_addc(out, '{');
	for (int k = 0; k < RF_NFIGURES; k++) {
		buf_printf(out, "%s\"%s\":", k ? "," : "",
		           rollup_figure_name((enum rollup_figure)k));
		if (f->null[k])
			buf_adds(out, "null");
		else if (rollup_figure_is_rate((enum rollup_figure)k))
			buf_printf(out, "%.6g", f->v[k]);
		else if (k == RF_OUTPUT)
			buf_printf(out, "%.15g", f->v[k]);
		else
			buf_printf(out, "%lld", (long long)f->v[k]);
	}
	buf_addc(out, '}');
}

/* Reads the counts of every district the node's subtree touches. */
static int read_counts(struct req *r, struct acc *a, size_t at, const struct rollup_period *p)
{
	const struct jurisdiction *node = &a->t->n[at];
	size_t end = run_end(a->t, at);

	for (size_t i = at; i < end; i++) {
		int64_t d = a->t->n[i].district_id;
		const struct jurisdiction *dj;
		int seen = 0;

		/* Each district once: the first node of the run that has it. */
		for (size_t k = at; k < i && !seen; k++)
			seen = a->t->n[k].district_id == d;
		if (seen)
			continue;
		/* A node inside a district reads its own subtree of it; a
		 * district, or a node above it, the whole of it. */
		if (node->district_id == d && node->id != d)
			dj = node;
		else if (!(dj = jur_tree_find(a->t, d)))
			continue; /* a tree being renumbered: no such district */
		if (store_rollup_district(r->db, d, dj->lo, dj->hi, p, add_sums, add_link, a,
		                          &r->err))
			return -1;
	}
	return 0;
}

int h_jurisdiction_rollup(struct req *r)
{
	const struct jurisdiction *node;
	struct jur_tree *t = NULL;
	struct rollup_period p;
	struct acc a = {0};
	struct rollup_figures *fig = NULL;
	struct rollup_row *rows = NULL;
	size_t *kids = NULL, *order = NULL, nkids = 0, at;
	enum rollup_figure by = RF_ON_TIME_RATE;
	const char *sort;
	int64_t id;
	int rc = -1;

	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER)
		return api_forbidden(r, "read the roll-ups of jurisdictions");
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (!(node = jur_tree_find(t, id))) {
		err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no jurisdiction with id %lld",
		        (long long)id);
		goto out;
	}
	{
		struct jur_pos pos = {node->lo, node->hi};
		if (!access_jurisdiction(&r->who, JA_ROLLUP, &pos)) {
			err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "id",
			        "id: %s (%s) lies outside the jurisdictions this account acts for",
			        node->name_zh, node->code);
			goto out;
		}
	}
	if (read_period(r, &p))
		goto out;
	sort = req_query(r, "sort");
	if (sort && *sort && rollup_figure_parse(sort, &by)) {
		err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "sort",
		        "sort: '%.40s' is not a figure; one of %s", sort, rollup_figures_list);
		goto out;
	}
	at = (size_t)(node - t->n);
	a.t = t;
	if (!(a.sums = calloc(t->len, sizeof(*a.sums))) || !(fig = calloc(t->len, sizeof(*fig))) ||
	    !(rows = calloc(t->len, sizeof(*rows))) || !(kids = calloc(t->len, sizeof(*kids))) ||
	    !(order = calloc(t->len, sizeof(*order)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	/* A GET runs in one read transaction (server.c): every district and
	 * every query see the same moment. */
	if (read_counts(r, &a, at, &p))
		goto out;

	figures_of(&a, at, &fig[at]);
	for (size_t i = at + 1; i < t->len && t->n[i].lo <= node->hi; i++) {
		if (t->n[i].parent_id != node->id)
			continue;
		figures_of(&a, i, &fig[i]);
		rows[nkids] = (struct rollup_row){t->n[i].code, &fig[i]};
		kids[nkids++] = i;
	}
	rollup_rank(rows, nkids, by, order);

	buf_adds(&r->out, "{\"jurisdiction\":");
	node_json(&r->out, node);
	buf_adds(&r->out, ",\"period\":{\"since\":");
	buf_json_str(&r->out, p.since);
	buf_adds(&r->out, ",\"until\":");
	buf_json_str(&r->out, p.until);
	buf_adds(&r->out, "},\"sort\":");
	buf_json_str(&r->out, rollup_figure_name(by));
	buf_adds(&r->out, ",\"figures\":");
	figures_json(&r->out, &fig[at]);
	buf_adds(&r->out, ",\"children\":[");
	for (size_t k = 0; k < nkids; k++) {
		size_t i = kids[order[k]];
		buf_adds(&r->out, k ? ",{\"jurisdiction\":" : "{\"jurisdiction\":");
		node_json(&r->out, &t->n[i]);
		buf_printf(&r->out, ",\"rank\":%zu,\"figures\":", k + 1);
		figures_json(&r->out, &fig[i]);
		buf_addc(&r->out, '}');
	}
	buf_adds(&r->out, "]}\n");
	rc = 0;
out:
	free(a.sums);
	free(a.pairs);
	free(fig);
	free(rows);
	free(kids);
	free(order);
	jur_tree_put(t);
	return rc;
}
