#include "case_index.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/similar.h"

#define EMPTY UINT32_MAX

/* A posting list: the documents holding one shingle. */
struct postings {
	uint32_t key;
	uint32_t n, cap;
	uint32_t *docs;
};

struct case_index {
	/* Documents, by slot; a removed one stays dead in its slot (and in
	 * posting lists) until the next compaction. */
	int64_t *ids;
	uint32_t *off; /* into pool */
	uint16_t *len;
	float *lon, *lat; /* NAN when not located */
	unsigned char *alive;
	uint32_t ndocs, capdocs, nalive;
	uint32_t *pool;
	size_t npool, cappool;
	/* id -> slot, open addressing */
	int64_t *slot_keys;
	uint32_t *slot_vals;
	uint32_t slot_cap; /* power of two */
	/* shingle -> posting list, open addressing over an index into lists */
	uint32_t *pl_table;
	uint32_t pl_cap;
	struct postings *lists;
	uint32_t nlists, caplists;
	/* Last, so that compaction can replace everything before it. */
	pthread_rwlock_t lock;
};

static uint64_t mix(uint64_t h)
{
	/* splitmix64's finaliser: ids and shingles are not random enough
	 * for a power-of-two table by themselves. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * size);
	if (!np)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

struct case_index *case_index_new(void)
{
	struct case_index *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	pthread_rwlock_init(&x->lock, NULL);
	return x;
}

static void clear(struct case_index *x)
{
	for (uint32_t i = 0; i < x->nlists; i++)
		free(x->lists[i].docs);
	free(x->lists);
	free(x->pl_table);
	free(x->slot_keys);
	free(x->slot_vals);
	free(x->ids);
	free(x->off);
	free(x->len);
	free(x->lon);
	free(x->lat);
	free(x->alive);
	free(x->pool);
}

void case_index_free(struct case_index *x)
{
	if (!x)
		return;
	clear(x);
	pthread_rwlock_destroy(&x->lock);
	free(x);
}

/* ---- id -> slot ---- */

static uint32_t *slot_find(struct case_index *x, int64_t id, int insert)
{
	uint32_t mask, i;

	if (!x->slot_cap)
		return NULL;
	mask = x->slot_cap - 1;
	for (i = (uint32_t)mix((uint64_t)id) & mask;; i = (i + 1) & mask) {
		if (x->slot_vals[i] == EMPTY) {
			if (!insert)
				return NULL;
			x->slot_keys[i] = id;
			return &x->slot_vals[i];
		}
		if (x->slot_keys[i] == id)
			return &x->slot_vals[i];
	}
}

static int slot_reserve(struct case_index *x, uint32_t n)
{
	uint32_t ncap = x->slot_cap ? x->slot_cap : 1024;
	int64_t *ok = x->slot_keys;
	uint32_t *ov = x->slot_vals, ocap = x->slot_cap;

	/* At most half full: probes stay short. */
	if ((uint64_t)n * 2 < x->slot_cap)
		return 0;
	while ((uint64_t)n * 2 >= ncap)
		ncap *= 2;
	x->slot_keys = malloc(ncap * sizeof(*x->slot_keys));
	x->slot_vals = malloc(ncap * sizeof(*x->slot_vals));
	if (!x->slot_keys || !x->slot_vals) {
		free(x->slot_keys);
		free(x->slot_vals);
		x->slot_keys = ok;
		x->slot_vals = ov;
		return -1;
	}
	memset(x->slot_vals, 0xFF, ncap * sizeof(*x->slot_vals));
	x->slot_cap = ncap;
	for (uint32_t i = 0; i < ocap; i++)
		if (ov[i] != EMPTY)
			*slot_find(x, ok[i], 1) = ov[i];
	free(ok);
	free(ov);
	return 0;
}

/* ---- shingle -> posting list ---- */

static struct postings *list_find(const struct case_index *x, uint32_t key)
{
	uint32_t mask, i;

	if (!x->pl_cap)
		return NULL;
	mask = x->pl_cap - 1;
	for (i = (uint32_t)mix(key) & mask;; i = (i + 1) & mask) {
		if (x->pl_table[i] == EMPTY)
			return NULL;
		if (x->lists[x->pl_table[i]].key == key)
			return &x->lists[x->pl_table[i]];
	}
}

static int list_table_grow(struct case_index *x)
{
	uint32_t ncap = x->pl_cap ? x->pl_cap * 2 : 4096, mask = ncap - 1;
	uint32_t *t = malloc(ncap * sizeof(*t));

	if (!t)
		return -1;
	memset(t, 0xFF, ncap * sizeof(*t));
	for (uint32_t k = 0; k < x->nlists; k++) {
		uint32_t i = (uint32_t)mix(x->lists[k].key) & mask;
		while (t[i] != EMPTY)
			i = (i + 1) & mask;
		t[i] = k;
	}
	free(x->pl_table);
	x->pl_table = t;
	x->pl_cap = ncap;
	return 0;
}

static struct postings *list_get(struct case_index *x, uint32_t key)
{
	struct postings *p = list_find(x, key);
	uint32_t mask, i;
	size_t cap = x->caplists;

	if (p)
		return p;
	if ((uint64_t)(x->nlists + 1) * 2 >= x->pl_cap && list_table_grow(x))
		return NULL;
	if (grow((void **)&x->lists, &cap, x->nlists + 1, sizeof(*x->lists)))
		return NULL;
	x->caplists = (uint32_t)cap;
	mask = x->pl_cap - 1;
	for (i = (uint32_t)mix(key) & mask; x->pl_table[i] != EMPTY; i = (i + 1) & mask)
		;
	x->pl_table[i] = x->nlists;
	p = &x->lists[x->nlists++];
	memset(p, 0, sizeof(*p));
	p->key = key;
	return p;
}

static int list_push(struct postings *p, uint32_t doc)
{
	size_t cap = p->cap;

	if (grow((void **)&p->docs, &cap, p->n + 1, sizeof(*p->docs)))
		return -1;
	p->cap = (uint32_t)cap;
	p->docs[p->n++] = doc;
	return 0;
}

/* ---- documents ---- */

static int add_locked(struct case_index *x, int64_t id, const uint32_t *sh, int n, int located,
                      double lon, double lat)
{
	size_t capdocs = x->capdocs, c;
	uint32_t d, *slot;

	if (n > UINT16_MAX)
		n = UINT16_MAX;
	if (slot_reserve(x, x->ndocs + 1))
		return -1;
	c = capdocs;
	if (grow((void **)&x->ids, &c, x->ndocs + 1, sizeof(*x->ids)))
		return -1;
	c = capdocs;
	if (grow((void **)&x->off, &c, x->ndocs + 1, sizeof(*x->off)))
		return -1;
	c = capdocs;
	if (grow((void **)&x->len, &c, x->ndocs + 1, sizeof(*x->len)))
		return -1;
	c = capdocs;
	if (grow((void **)&x->lon, &c, x->ndocs + 1, sizeof(*x->lon)))
		return -1;
	c = capdocs;
	if (grow((void **)&x->lat, &c, x->ndocs + 1, sizeof(*x->lat)))
		return -1;
	c = capdocs;
	if (grow((void **)&x->alive, &c, x->ndocs + 1, sizeof(*x->alive)))
		return -1;
	x->capdocs = (uint32_t)c;
	if (grow((void **)&x->pool, &x->cappool, x->npool + (size_t)n, sizeof(*x->pool)))
		return -1;
	d = x->ndocs;
	for (int i = 0; i < n; i++) {
		struct postings *p = list_get(x, sh[i]);
		if (!p || list_push(p, d))
			return -1;
	}
	x->ids[d] = id;
	x->off[d] = (uint32_t)x->npool;
	x->len[d] = (uint16_t)n;
	x->lon[d] = located ? (float)lon : NAN;
	x->lat[d] = located ? (float)lat : NAN;
	x->alive[d] = 1;
	memcpy(x->pool + x->npool, sh, (size_t)n * sizeof(*sh));
	x->npool += (size_t)n;
	x->ndocs++;
	x->nalive++;
	slot = slot_find(x, id, 1);
	*slot = d;
	return 0;
}

static void remove_locked(struct case_index *x, int64_t id)
{
	uint32_t *slot = slot_find(x, id, 0);

	if (!slot || !x->alive[*slot])
		return;
	x->alive[*slot] = 0;
	x->nalive--;
}

/*
 * Dead documents stay in the posting lists, which costs lookups; once
 * they outnumber the living the index is rebuilt from the living.
 */
static int compact_locked(struct case_index *x)
{
	struct case_index fresh;
	int rc = 0;

	memset(&fresh, 0, sizeof(fresh));
	for (uint32_t d = 0; d < x->ndocs && !rc; d++)
		if (x->alive[d])
			rc = add_locked(&fresh, x->ids[d], x->pool + x->off[d], x->len[d],
			                !isnan(x->lon[d]), x->lon[d], x->lat[d]);
	if (rc) {
		clear(&fresh);
		return -1;
	}
	clear(x);
	memcpy(x, &fresh, offsetof(struct case_index, lock));
	return 0;
}

int case_index_add(struct case_index *x, int64_t id, const uint32_t *sh, int n, int located,
                   double lon, double lat)
{
	int rc;

	pthread_rwlock_wrlock(&x->lock);
	remove_locked(x, id);
	rc = add_locked(x, id, sh, n, located, lon, lat);
	pthread_rwlock_unlock(&x->lock);
	return rc;
}

void case_index_remove(struct case_index *x, int64_t id)
{
	pthread_rwlock_wrlock(&x->lock);
	remove_locked(x, id);
	if (x->ndocs - x->nalive > 4096 && x->ndocs - x->nalive > x->nalive)
		compact_locked(x); /* on failure the index stays usable as it is */
	pthread_rwlock_unlock(&x->lock);
}

size_t case_index_count(struct case_index *x)
{
	size_t n;

	pthread_rwlock_rdlock(&x->lock);
	n = x->nalive;
	pthread_rwlock_unlock(&x->lock);
	return n;
}

double case_index_km(double lon1, double lat1, double lon2, double lat2)
{
	const double r = 6371.0088, rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

/* ---- lookup ---- */

/* Each thread's scratch: a counter per document, valid where its stamp
 * is the current lookup's, so nothing is cleared between lookups. */
static _Thread_local struct {
	uint32_t *stamp;
	uint32_t cap, gen;
	uint32_t *touched;
	size_t ntouched, captouched;
} scratch;

static int scratch_reserve(uint32_t ndocs)
{
	if (ndocs > scratch.cap) {
		uint32_t ncap = ndocs + ndocs / 2 + 1024;
		uint32_t *s = realloc(scratch.stamp, ncap * sizeof(*s));
		if (!s)
			return -1;
		memset(s + scratch.cap, 0, (ncap - scratch.cap) * sizeof(*s));
		scratch.stamp = s;
		scratch.cap = ncap;
	}
	if (++scratch.gen == 0) {
		memset(scratch.stamp, 0, scratch.cap * sizeof(*scratch.stamp));
		scratch.gen = 1;
	}
	scratch.ntouched = 0;
	return 0;
}

struct probe {
	uint32_t key, df;
};

static int by_df(const void *a, const void *b)
{
	const struct probe *x = a, *y = b;
	return x->df < y->df ? -1 : x->df > y->df;
}

static int better(const struct similar_hit *a, const struct similar_hit *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	return a->id > b->id;
}

int case_index_lookup(struct case_index *x, const uint32_t *q, int nq, int located, double lon,
                      double lat, int64_t exclude, struct similar_hit *out, int max)
{
	struct probe *pr;
	int nout = 0, need, nprobe;
	/* The text similarity a candidate needs at the least: with the
	 * nearness bonus at its most, the threshold less that bonus. */
	double t = SIMILAR_THRESHOLD - (located ? 0.2 : 0.0);

	if (nq <= 0 || max <= 0)
		return 0;
	if (!(pr = malloc((size_t)nq * sizeof(*pr))))
		return -1;
	pthread_rwlock_rdlock(&x->lock);
	if (scratch_reserve(x->ndocs)) {
		pthread_rwlock_unlock(&x->lock);
		free(pr);
		return -1;
	}
	for (int i = 0; i < nq; i++) {
		const struct postings *p = list_find(x, q[i]);
		pr[i].key = q[i];
		pr[i].df = p ? p->n : 0;
	}
	qsort(pr, (size_t)nq, sizeof(*pr), by_df);
	need = (int)ceil(t * nq - 1e-9);
	if (need < 1)
		need = 1;
	nprobe = nq - need + 1;
	for (int i = 0; i < nprobe; i++) {
		const struct postings *p = pr[i].df ? list_find(x, pr[i].key) : NULL;
		for (uint32_t k = 0; p && k < p->n; k++) {
			uint32_t d = p->docs[k];
			if (scratch.stamp[d] == scratch.gen)
				continue;
			scratch.stamp[d] = scratch.gen;
			if (grow((void **)&scratch.touched, &scratch.captouched,
			         scratch.ntouched + 1, sizeof(*scratch.touched))) {
				nout = -1;
				goto done;
			}
			scratch.touched[scratch.ntouched++] = d;
		}
	}
	for (size_t k = 0; k < scratch.ntouched; k++) {
		uint32_t d = scratch.touched[k];
		int nd = x->len[d];
		double jac, km = -1, bound;
		struct similar_hit h;

		if (!x->alive[d] || x->ids[d] == exclude)
			continue;
		/* Jaccard can be no more than the smaller set over the larger. */
		bound = (double)(nd < nq ? nd : nq) / (double)(nd > nq ? nd : nq);
		if (bound < t)
			continue;
		jac = similar_jaccard(q, nq, x->pool + x->off[d], nd);
		if (located && !isnan(x->lon[d]))
			km = case_index_km(lon, lat, x->lon[d], x->lat[d]);
		h.id = x->ids[d];
		h.jaccard = jac;
		h.km = km;
		h.score = similar_score(jac, km);
		if (h.score < SIMILAR_THRESHOLD)
			continue;
		/* Insertion into the short, sorted answer. */
		if (nout < max)
			nout++;
		else if (!better(&h, &out[max - 1]))
			continue;
		{
			int j = nout - 1;
			while (j > 0 && better(&h, &out[j - 1])) {
				out[j] = out[j - 1];
				j--;
			}
			out[j] = h;
		}
	}
done:
	pthread_rwlock_unlock(&x->lock);
	free(pr);
	return nout;
}
