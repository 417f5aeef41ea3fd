/*
 * The booklet's contents, gathered from the store (service/booklet.h).
 *
 * The printer takes borrowed strings; the store hands out records that
 * live only for its callback.  So every string the booklet prints is
 * copied into chunks the doc owns, which never move once written (the
 * arrays that point to them may grow and move; the strings stay), and
 * the whole is freed at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "booklet.h"

struct booklet_chunk {
	struct booklet_chunk *next;
	size_t used, cap;
	_Alignas(16) char data[];
};

struct booklet_cat {
	struct print_bi name;
	struct print_service *services;
	size_t n, cap;
};

#define CHUNK (64 * 1024)

/* n bytes the doc owns, aligned for any struct; NULL (and d->failed) when
 * out of memory. */
static void *take(struct booklet_doc *d, size_t n)
{
	struct booklet_chunk *c = d->chunks;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK ? n : CHUNK;
		if (!(c = malloc(sizeof(*c) + cap))) {
			d->failed = 1;
			return NULL;
		}
		c->next = d->chunks;
		c->used = 0;
		c->cap = cap;
		d->chunks = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static const char *copy(struct booklet_doc *d, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	char *p = take(d, n + 1);

	if (!p)
		return "";
	memcpy(p, s ? s : "", n);
	p[n] = '\0';
	return p;
}

static struct print_bi copy_bi(struct booklet_doc *d, struct print_bi bi)
{
	struct print_bi out = {copy(d, bi.zh), copy(d, bi.en)};
	return out;
}

/* Makes room for one more element of an array of size sz. */
static int grow(struct booklet_doc *d, void **v, size_t n, size_t *cap, size_t sz)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (!(p = realloc(*v, ncap * sz))) {
		d->failed = 1;
		return -1;
	}
	*v = p;
	*cap = ncap;
	return 0;
}

int booklet_add_service(struct booklet_doc *d, struct print_bi category,
                        const struct print_service *s)
{
	struct booklet_cat *c = NULL;
	struct print_service *o;
	struct print_bi *lines;

	for (size_t i = 0; i < d->ncats; i++)
		if (strcmp(d->cats[i].name.zh, category.zh ? category.zh : "") == 0)
			c = &d->cats[i];
	if (!c) {
		if (grow(d, (void **)&d->cats, d->ncats, &d->cap_cats, sizeof(*d->cats)))
			return -1;
		c = &d->cats[d->ncats++];
		memset(c, 0, sizeof(*c));
		c->name = copy_bi(d, category);
	}
	if (grow(d, (void **)&c->services, c->n, &c->cap, sizeof(*c->services)))
		return -1;
	o = &c->services[c->n];
	memset(o, 0, sizeof(*o));
	o->name = copy_bi(d, s->name);
	o->provider = copy_bi(d, s->provider);
	lines = take(d, (s->ncontacts + s->nhours + 1) * sizeof(*lines));
	if (!lines)
		return -1;
	for (size_t i = 0; i < s->ncontacts; i++)
		lines[i] = copy_bi(d, s->contacts[i]);
	for (size_t i = 0; i < s->nhours; i++)
		lines[s->ncontacts + i] = copy_bi(d, s->hours[i]);
	o->contacts = lines;
	o->ncontacts = s->ncontacts;
	o->hours = lines + s->ncontacts;
	o->nhours = s->nhours;
	c->n++;
	return d->failed ? -1 : 0;
}

/* ---- the store's records ---- */

/* The jurisdictions by id, for where a record lies. */
struct places {
	struct jurisdiction *nodes;
	size_t n;
};

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct jurisdiction *)a)->id, y = ((const struct jurisdiction *)b)->id;
	return (x > y) - (x < y);
}

static const struct jurisdiction *place(const struct places *p, int64_t id)
{
	struct jurisdiction key;

	key.id = id;
	return p->n ? bsearch(&key, p->nodes, p->n, sizeof(key), by_id) : NULL;
}

/* A record of jurisdiction id is in the booklet of the scope when it lies
 * in it or above it, as lists of reference data show them. */
static int seen(const struct places *p, const struct jur_scope *s, int64_t id)
{
	const struct jurisdiction *j;
	struct jur_pos pos;

	if (s->id == 0)
		return 1;
	if (!(j = place(p, id)))
		return 0;
	pos.lo = j->lo;
	pos.hi = j->hi;
	return jur_sees(s, &pos);
}

struct gather {
	struct booklet_doc *d;
	const struct places *places;
	const struct jur_scope *scope;
	/* each cluster's id and its leading enterprise's, whose names and
	 * counts are read after the walk (a read inside another's callback
	 * would nest statements) */
	int64_t (*ids)[2];
	size_t cap_ids;
};

static int cluster_row(void *ctx, const struct cluster *c)
{
	struct gather *g = ctx;
	struct booklet_doc *d = g->d;
	struct print_cluster *o;

	if (!seen(g->places, g->scope, c->jurisdiction_id))
		return 0;
	if (grow(d, (void **)&d->clusters, d->b.nclusters, &d->cap_clusters, sizeof(*d->clusters)))
		return 1;
	if (grow(d, (void **)&g->ids, d->b.nclusters, &g->cap_ids, sizeof(*g->ids)))
		return 1;
	o = &d->clusters[d->b.nclusters];
	memset(o, 0, sizeof(*o));
	o->name.zh = copy(d, c->name_zh);
	o->name.en = copy(d, c->name_en);
	o->enterprises = c->enterprises;
	g->ids[d->b.nclusters][0] = c->id;
	g->ids[d->b.nclusters][1] = c->leading_enterprise_id;
	d->b.nclusters++;
	return d->failed;
}

static int point_row(void *ctx, const struct point_rec *p)
{
	struct gather *g = ctx;
	struct booklet_doc *d = g->d;
	struct print_point *o;

	if (!p->active || !seen(g->places, g->scope, p->jurisdiction_id))
		return 0;
	if (grow(d, (void **)&d->points, d->b.npoints, &d->cap_points, sizeof(*d->points)))
		return 1;
	o = &d->points[d->b.npoints++];
	o->name.zh = copy(d, p->name_zh);
	o->name.en = copy(d, p->name_en);
	o->address = copy(d, p->address);
	o->hours = copy(d, p->hours);
	o->keeper = copy(d, p->keeper);
	return d->failed;
}

static int oom(struct err *err)
{
	return err_set(err, ERR_INTERNAL, "out_of_memory", NULL,
	               "out of memory making the booklet");
}

static int scoped_count(void *ctx, int64_t id, int64_t n)
{
	struct gather *g = ctx;

	/* The clusters are few: a look through them is enough. */
	for (size_t i = 0; i < g->d->b.nclusters; i++)
		if (g->ids[i][0] == id)
			g->d->clusters[i].enterprises = n;
	return 0;
}

/* The leading enterprises' names, and for a scope the clusters' counts
 * of its own enterprises. */
static int clusters_finish(struct store *st, struct gather *g, struct err *err)
{
	struct booklet_doc *d = g->d;
	struct enterprise *e = malloc(sizeof(*e));

	if (!e)
		return oom(err);
	for (size_t i = 0; i < d->b.nclusters; i++) {
		struct err miss;
		if (!g->ids[i][1])
			continue;
		err_clear(&miss);
		if (store_enterprise_get(st, g->ids[i][1], e, &miss)) {
			if (miss.kind == ERR_NOT_FOUND)
				continue;
			*err = miss;
			free(e);
			return -1;
		}
		/* One that has moved out or closed leads the cluster no more. */
		if (e->status != STATUS_ACTIVE)
			continue;
		d->clusters[i].leading.zh = copy(d, e->name_zh);
		d->clusters[i].leading.en = copy(d, e->name_en);
	}
	free(e);
	if (d->failed)
		return oom(err);
	if (g->scope->id) {
		/* A scope's booklet counts the scope's own enterprises in each
		 * cluster, as its list of clusters does. */
		for (size_t i = 0; i < d->b.nclusters; i++)
			d->clusters[i].enterprises = 0;
		if (store_enterprise_counts(st, COUNT_BY_CLUSTER, g->scope, scoped_count, g, err))
			return -1;
	}
	return 0;
}

static void this_month(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	/* The town's calendar: Asia/Shanghai is UTC+8 all year. */
	now += 8 * 3600;
	gmtime_r(&now, &tm);
	snprintf(out, 32, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
}

int booklet_fill(struct store *st, const struct booklet_opts *o, struct booklet_doc *d,
                 struct err *err)
{
	struct places places = {0};
	struct gather g = {d, &places, &o->scope, NULL, 0};
	const struct jurisdiction *town;
	char month[32], buf[1024];
	int rc = -1;

	if (store_jurisdiction_all(st, &places.nodes, &places.n, err))
		return -1;
	qsort(places.nodes, places.n, sizeof(*places.nodes), by_id);

	/* The cover: the title (the setting), and the town it is of. */
	town = place(&places, o->scope.id ? o->scope.id : 1);
	d->b.title.zh = copy(d, o->title_zh);
	d->b.title.en = copy(d, o->title_en);
	if (town) {
		snprintf(buf, sizeof(buf), "%s企业服务手册", town->name_zh);
		d->b.subtitle.zh = copy(d, buf);
		if (*town->name_en) {
			snprintf(buf, sizeof(buf), "Enterprise service booklet of %s",
			         town->name_en);
			d->b.subtitle.en = copy(d, buf);
		}
		d->b.issuer.zh = copy(d, town->name_zh);
		d->b.issuer.en = copy(d, town->name_en);
	}
	if (!o->edition)
		this_month(month);
	d->b.edition = copy(d, o->edition ? o->edition : month);
	if (o->base_url && *o->base_url) {
		snprintf(buf, sizeof(buf), "%s/services", o->base_url);
		d->b.catalogue_url = copy(d, buf);
	}

	if (store_cluster_each(st, cluster_row, &g, err))
		goto out;
	if (d->failed) {
		oom(err);
		goto out;
	}
	if (clusters_finish(st, &g, err))
		goto out;
	if (store_points(st, point_row, &g, err))
		goto out;
	if (d->failed) {
		oom(err);
		goto out;
	}
	if (booklet_fill_services(st, o, d, err))
		goto out;

	/* The arrays are complete: point the booklet at them. */
	if (d->ncats && !(d->categories = calloc(d->ncats, sizeof(*d->categories)))) {
		oom(err);
		goto out;
	}
	for (size_t i = 0; i < d->ncats; i++) {
		d->categories[i].name = d->cats[i].name;
		d->categories[i].services = d->cats[i].services;
		d->categories[i].nservices = d->cats[i].n;
	}
	d->b.clusters = d->clusters;
	d->b.points = d->points;
	d->b.categories = d->categories;
	d->b.ncategories = d->ncats;
	rc = d->failed ? oom(err) : 0;
out:
	free(g.ids);
	free(places.nodes);
	return rc;
}

void booklet_doc_release(struct booklet_doc *d)
{
	while (d->chunks) {
		struct booklet_chunk *next = d->chunks->next;
		free(d->chunks);
		d->chunks = next;
	}
	for (size_t i = 0; i < d->ncats; i++)
		free(d->cats[i].services);
	free(d->cats);
	free(d->categories);
	free(d->clusters);
	free(d->points);
	memset(d, 0, sizeof(*d));
}

int booklet_render(struct store *st, const struct booklet_opts *o, enum print_lang lang,
                   struct buf *out, struct err *err)
{
	struct booklet_doc d;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = booklet_fill(st, o, &d, err);
	if (rc == 0)
		rc = print_booklet_pdf(&d.b, lang, out, err);
	booklet_doc_release(&d);
	return rc;
}
