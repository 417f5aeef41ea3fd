/*
 * The registry's records and the caller's jurisdictions: one record read
 * inside the caller's scope or not at all, and the jurisdiction every
 * enterprise answer names.
 *
 * A record outside the scope answers exactly as an id that does not exist
 * (404 not_found, the same message), so that an officer of one town
 * cannot learn from ids what another town holds.  Reference data is seen
 * from below as well (jur_sees): a district's cluster serves its towns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/enterprise_json.h"
#include "api.h"
#include "jur_tree.h"

int api_enterprise_in(const struct jur_tree *t, const struct jur_scope *s,
                      const struct enterprise *e)
{
	struct jur_pos pos;

	if (s->id == 0)
		return 1;
	pos = jur_tree_pos(t, e->jurisdiction_id);
	return jur_in_scope(s, &pos);
}

int api_enterprise_load(struct req *r, int64_t id, struct enterprise *e)
{
	struct jur_tree *t;
	int in;

	if (store_enterprise_get(r->db, id, e, &r->err))
		return -1;
	if (r->who.scope.id == 0)
		return 0;
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	in = api_enterprise_in(t, &r->who.scope, e);
	jur_tree_put(t);
	if (!in)
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id",
		               "no enterprise with id %lld", (long long)id);
	return 0;
}

int api_enterprise_named(struct req *r, int64_t id, const char *field, struct enterprise *e)
{
	struct jur_tree *t;
	struct err miss;
	int in = 1;

	err_clear(&miss);
	if (store_enterprise_get(r->db, id, e, &miss) == 0) {
		if (r->who.scope.id) {
			if (!(t = jur_tree_get(r->db, &r->err)))
				return -1;
			in = api_enterprise_in(t, &r->who.scope, e);
			jur_tree_put(t);
		}
		if (in)
			return 0;
	} else if (miss.kind != ERR_NOT_FOUND) {
		r->err = miss;
		return -1;
	}
	err_field(&r->err, field, "unknown_enterprise", "%s: no enterprise with id %lld", field,
	          (long long)id);
	return -1;
}

int api_cluster_seen(const struct jur_tree *t, const struct jur_scope *s, int64_t jurisdiction_id)
{
	struct jur_pos pos;

	if (s->id == 0)
		return 1;
	pos = jur_tree_pos(t, jurisdiction_id);
	return pos.hi && jur_sees(s, &pos);
}

int api_cluster_load(struct req *r, int64_t id, struct cluster *c)
{
	struct jur_tree *t;
	int seen;

	if (store_cluster_get(r->db, id, c, &r->err))
		return -1;
	if (r->who.scope.id == 0)
		return 0;
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	seen = api_cluster_seen(t, &r->who.scope, c->jurisdiction_id);
	jur_tree_put(t);
	if (!seen)
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no cluster with id %lld",
		               (long long)id);
	return 0;
}

/*
 * The USCC names the division that registered the enterprise (characters
 * 3 to 8).  One registered in another district than the one it lies in
 * may have moved, or registered at the city; it is kept, and the answer
 * says so.  Only a district's code is compared: a lone town at the top of
 * its tree has no district code to compare with.
 */
static void warnings_json(struct buf *out, const struct jur_tree *t, const struct enterprise *e)
{
	const struct jurisdiction *d = jur_tree_find(t, e->district_id), *named;
	char region[7];

	buf_adds(out, ",\"warnings\":[");
	if (d && d->level == JL_DISTRICT && jur_uscc_region_matches(e->uscc, d->code) == 0) {
		char msg[1400];
		snprintf(region, sizeof(region), "%.6s", e->uscc + 2);
		named = jur_tree_by_code(t, region);
		snprintf(msg, sizeof(msg),
		         "uscc: characters 3 to 8 name the division %s%s%s%s where the code was "
		         "issued, not %s (%s) where the enterprise lies; kept as given (it may "
		         "have moved, or registered elsewhere)",
		         region, named ? " (" : "", named ? named->name_zh : "", named ? ")" : "",
		         d->name_zh, d->code);
		buf_adds(out, "{\"field\":\"uscc\",\"code\":\"uscc_region_mismatch\",\"message\":");
		buf_json_str(out, msg);
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
}

void api_enterprise_json(struct buf *out, const struct jur_tree *t, const struct enterprise *e,
                         int clear_contacts, int warnings)
{
	enterprise_write_json(out, e, clear_contacts);
	out->len--; /* the closing brace: the jurisdiction follows */
	api_jurisdiction_json(out, t, e->jurisdiction_id);
	if (warnings)
		warnings_json(out, t, e);
	buf_addc(out, '}');
}

static int count_add(void *ctx, int64_t id, int64_t n)
{
	struct api_counts *c = ctx;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		int64_t(*v)[2] = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return c->failed = 1;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n][0] = id;
	c->v[c->n++][1] = n;
	return 0;
}

int api_counts_load(struct req *r, enum ent_count_by by, const struct jur_scope *s,
                    struct api_counts *c)
{
	memset(c, 0, sizeof(*c));
	/* Either the whole count or nothing held: a read that fails after
	 * some rows leaves no array for the caller to free. */
	if (store_enterprise_counts(r->db, by, s, count_add, c, &r->err)) {
		api_counts_free(c);
		return -1;
	}
	if (c->failed) {
		api_counts_free(c);
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	return 0;
}

int64_t api_counts_get(const struct api_counts *c, int64_t id)
{
	/* A few hundred clusters or grids at most: a scan. */
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i][0] == id)
			return c->v[i][1];
	return 0;
}

void api_counts_free(struct api_counts *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}
