#include "case_index.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/similar.h"

#define EMPTY UINT32_MAX

/* A cell of the spatial grid: about 555 m north-south, 475 m east-west
 * at 31° N.  The lookup visits every cell a 500 m circle can touch. */
#define CELL_DEG 0.005
struct cell {
	int32_t cx, cy;
	uint32_t n, cap;
	uint32_t *docs;
};

/* A posting list: the documents holding one shingle. */
/*
 * A posting list: the documents whose prefix holds one shingle.  Beside
 * each, what the filters need, so that a lookup rules most postings out
 * without touching the document: the shingle's position in the
 * document's order, the document's size, and whether it is located
 * (meta = pos | size << 9 | located << 18; sizes are at most 256).
 */
struct postings {
	uint32_t key;
	uint32_t n, cap;
	uint64_t *ent; /* document | meta << 32, side by side for the scan */
};
#define META(pos, len, loc) ((uint32_t)(pos) | (uint32_t)(len) << 9 | (uint32_t)(loc) << 18)
#define META_POS(m)         ((int)((m)&0x1FF))
#define META_LEN(m)         ((int)(((m) >> 9) & 0x1FF))
#define META_LOC(m)         ((int)((m) >> 18 & 1))

struct case_index {
	/* Documents, by slot; a removed one stays dead in its slot (and in
	 * posting lists) until the next compaction. */
	int64_t *ids;
	uint32_t *off; /* into pool */
	uint16_t *len;
	float *lon, *lat; /* NAN when not located */
	/* 128 bits per document, one per shingle hashed to 7 bits: a
	 * shingle of the query whose bit is clear is not in the document,
	 * which bounds the overlap before the exact count is taken. */
	uint64_t (*mask)[2];
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
	/* Located documents by cell of CELL_DEG degrees, for the pairs
	 * that count as similar only because they are near. */
	struct cell *cells;
	uint32_t *cell_table;
	uint32_t cell_cap, ncells, capcells;
	/* Document frequencies frozen at the last rebuild: the global order
	 * of shingles (rarest first) that prefixes are taken in.  It must
	 * not move between indexing a case and looking up another, so it
	 * changes only when everything is indexed again. */
	uint32_t *fq_keys, *fq_vals; /* vals: frequency + 1, 0 for empty */
	uint32_t fq_cap, nfq;
	uint32_t frozen_docs;
	/*
	 * How far the order has drifted from the cases indexed since: the
	 * postings at the last rebuild, and the postings added since to
	 * lists grown past twice the frequency frozen for their shingle.
	 * An order taken on one kind of text puts the shingles it never saw
	 * first, as the rarest; when many new cases share shingles it never
	 * saw (a new place, a new trouble, a city's texts loaded before a
	 * town's), their lists grow long while the order still probes them
	 * first, and a lookup walks them all.  Rebuilding when the drift
	 * reaches a sixteenth of the postings keeps the lists near the
	 * lengths the order expects, at a cost per case that stays constant
	 * (each rebuild indexes again what at least a sixteenth more
	 * postings paid for).
	 */
	uint64_t frozen_postings, drift;
	uint64_t npostings; /* in the lists, dead documents' too */
	int rebuilding;
	/* Last, so that a rebuild can replace everything before it. */
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
	free(x->fq_keys);
	free(x->fq_vals);
	for (uint32_t i = 0; i < x->ncells; i++)
		free(x->cells[i].docs);
	free(x->cells);
	free(x->cell_table);
	for (uint32_t i = 0; i < x->nlists; i++) {
		free(x->lists[i].ent);
	}
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
	free(x->mask);
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

static int list_push(struct postings *p, uint32_t doc, uint32_t meta)
{
	size_t cap = p->cap;

	if (grow((void **)&p->ent, &cap, p->n + 1, sizeof(*p->ent)))
		return -1;
	p->cap = (uint32_t)cap;
	p->ent[p->n++] = doc | (uint64_t)meta << 32;
	return 0;
}

/* ---- the frozen order ---- */

static uint32_t df_of(const struct case_index *x, uint32_t key)
{
	uint32_t mask, i;

	if (!x->fq_cap)
		return 0;
	mask = x->fq_cap - 1;
	for (i = (uint32_t)mix(key) & mask; x->fq_vals[i]; i = (i + 1) & mask)
		if (x->fq_keys[i] == key)
			return x->fq_vals[i] - 1;
	return 0;
}

static int fq_count(struct case_index *x, uint32_t key)
{
	uint32_t mask, i;

	if ((uint64_t)(x->nfq + 1) * 2 >= x->fq_cap) {
		uint32_t ocap = x->fq_cap, ncap = ocap ? ocap * 2 : 4096;
		uint32_t *ok = x->fq_keys, *ov = x->fq_vals;
		uint32_t *nk = malloc(ncap * sizeof(*nk)), *nv = calloc(ncap, sizeof(*nv));
		if (!nk || !nv) {
			free(nk);
			free(nv);
			return -1;
		}
		for (uint32_t k = 0; k < ocap; k++) {
			if (!ov[k])
				continue;
			for (i = (uint32_t)mix(ok[k]) & (ncap - 1); nv[i]; i = (i + 1) & (ncap - 1))
				;
			nk[i] = ok[k];
			nv[i] = ov[k];
		}
		free(ok);
		free(ov);
		x->fq_keys = nk;
		x->fq_vals = nv;
		x->fq_cap = ncap;
	}
	mask = x->fq_cap - 1;
	for (i = (uint32_t)mix(key) & mask; x->fq_vals[i]; i = (i + 1) & mask)
		if (x->fq_keys[i] == key) {
			x->fq_vals[i]++;
			return 0;
		}
	x->fq_keys[i] = key;
	x->fq_vals[i] = 2; /* seen once */
	x->nfq++;
	return 0;
}

struct probe {
	uint32_t key, df;
};

static int by_rarity(const void *a, const void *b)
{
	const struct probe *p = a, *q = b;

	if (p->df != q->df)
		return p->df < q->df ? -1 : 1;
	return p->key < q->key ? -1 : p->key > q->key;
}

/* The shingles in the global order, rarest first; NULL when memory runs
 * out. */
static struct probe *in_order(const struct case_index *x, const uint32_t *sh, int n)
{
	struct probe *p = malloc((size_t)(n > 0 ? n : 1) * sizeof(*p));

	if (!p)
		return NULL;
	for (int i = 0; i < n; i++) {
		p[i].key = sh[i];
		p[i].df = df_of(x, sh[i]);
	}
	qsort(p, (size_t)n, sizeof(*p), by_rarity);
	return p;
}

/* The Jaccard a pair needs to be similar by text alone; pairs similar
 * only with a nearness bonus are found through the cells instead. */
#define TEXT_JACCARD SIMILAR_THRESHOLD

/* How many of its shingles, in the global order, a set of n must index
 * (or probe) so that any set with Jaccard >= t shares one with it. */
static int prefix_len(int n, double t)
{
	int need = (int)ceil(t * n - 1e-9);

	if (n <= 0)
		return 0;
	return n - (need < 1 ? 1 : need) + 1;
}

/* ---- cells ---- */

static uint64_t cell_key(int32_t cx, int32_t cy)
{
	return (uint64_t)(uint32_t)cx << 32 | (uint32_t)cy;
}

static struct cell *cell_find(const struct case_index *x, int32_t cx, int32_t cy)
{
	uint32_t mask, i;

	if (!x->cell_cap)
		return NULL;
	mask = x->cell_cap - 1;
	for (i = (uint32_t)mix(cell_key(cx, cy)) & mask; x->cell_table[i] != EMPTY;
	     i = (i + 1) & mask) {
		struct cell *c = &x->cells[x->cell_table[i]];
		if (c->cx == cx && c->cy == cy)
			return c;
	}
	return NULL;
}

static int cell_add(struct case_index *x, double lon, double lat, uint32_t d)
{
	int32_t cx = (int32_t)floor(lon / CELL_DEG), cy = (int32_t)floor(lat / CELL_DEG);
	struct cell *c = cell_find(x, cx, cy);
	size_t cap;

	if (!c) {
		uint32_t mask, i;
		if ((uint64_t)(x->ncells + 1) * 2 >= x->cell_cap) {
			uint32_t ncap = x->cell_cap ? x->cell_cap * 2 : 256;
			uint32_t *t = malloc(ncap * sizeof(*t));
			if (!t)
				return -1;
			memset(t, 0xFF, ncap * sizeof(*t));
			for (uint32_t k = 0; k < x->ncells; k++) {
				uint32_t j =
				    (uint32_t)mix(cell_key(x->cells[k].cx, x->cells[k].cy)) &
				    (ncap - 1);
				while (t[j] != EMPTY)
					j = (j + 1) & (ncap - 1);
				t[j] = k;
			}
			free(x->cell_table);
			x->cell_table = t;
			x->cell_cap = ncap;
		}
		cap = x->capcells;
		if (grow((void **)&x->cells, &cap, x->ncells + 1, sizeof(*x->cells)))
			return -1;
		x->capcells = (uint32_t)cap;
		mask = x->cell_cap - 1;
		for (i = (uint32_t)mix(cell_key(cx, cy)) & mask; x->cell_table[i] != EMPTY;
		     i = (i + 1) & mask)
			;
		x->cell_table[i] = x->ncells;
		c = &x->cells[x->ncells++];
		memset(c, 0, sizeof(*c));
		c->cx = cx;
		c->cy = cy;
	}
	cap = c->cap;
	if (grow((void **)&c->docs, &cap, c->n + 1, sizeof(*c->docs)))
		return -1;
	c->cap = (uint32_t)cap;
	c->docs[c->n++] = d;
	return 0;
}

/* ---- documents ---- */

static unsigned mask_bit(uint32_t sh)
{
	return (unsigned)((sh * 2654435761u) >> 25); /* Knuth's multiplier: 7 good bits */
}

static int rebuild_locked(struct case_index *x);

static int add_locked(struct case_index *x, int64_t id, const uint32_t *sh, int n, int located,
                      double lon, double lat)
{
	size_t capdocs = x->capdocs, c;
	uint32_t d, *slot;

	if (n > 256)
		n = 256; /* as many as similar_shingles keeps for intake */
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
	c = capdocs;
	if (grow((void **)&x->mask, &c, x->ndocs + 1, sizeof(*x->mask)))
		return -1;
	x->capdocs = (uint32_t)c;
	if (grow((void **)&x->pool, &x->cappool, x->npool + (size_t)n, sizeof(*x->pool)))
		return -1;
	d = x->ndocs;
	{
		/* Only the prefix is indexed: the rare shingles, whose lists
		 * are short.  Common ones are compared on verification. */
		struct probe *order = in_order(x, sh, n);
		int plen = prefix_len(n, TEXT_JACCARD);
		if (!order)
			return -1;
		for (int i = 0; i < plen; i++) {
			struct postings *p = list_get(x, order[i].key);
			if (!p || list_push(p, d, META(i, n, located != 0))) {
				free(order);
				return -1;
			}
			if (!x->rebuilding && p->n > 2 * (uint64_t)order[i].df + 8)
				x->drift++;
		}
		x->npostings += (uint64_t)plen;
		free(order);
	}
	x->ids[d] = id;
	x->off[d] = (uint32_t)x->npool;
	x->len[d] = (uint16_t)n;
	x->lon[d] = located ? (float)lon : NAN;
	x->lat[d] = located ? (float)lat : NAN;
	if (located && cell_add(x, lon, lat, d))
		return -1;
	x->alive[d] = 1;
	x->mask[d][0] = x->mask[d][1] = 0;
	for (int i = 0; i < n; i++) {
		unsigned b = mask_bit(sh[i]);
		x->mask[d][b >> 6] |= 1ull << (b & 63);
	}
	memcpy(x->pool + x->npool, sh, (size_t)n * sizeof(*sh));
	x->npool += (size_t)n;
	x->ndocs++;
	x->nalive++;
	slot = slot_find(x, id, 1);
	*slot = d;
	/* The order was frozen on far fewer cases: take it again.  A
	 * doubling each time keeps the cost per case constant. */
	if (!x->rebuilding && x->nalive >= 1024 &&
	    (x->nalive >= 2 * x->frozen_docs || x->drift > x->frozen_postings / 16 + 1024))
		rebuild_locked(x); /* on failure the index stays usable as it is */
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
 * Indexes the living cases again from scratch: the frequencies (the
 * order) taken afresh, dead cases dropped from the lists.  Done when the
 * index has doubled since the order was taken, when the order has
 * drifted (see frozen_postings), and when the dead outnumber the living.
 */
static int rebuild_locked(struct case_index *x)
{
	struct case_index fresh;
	int rc = 0;

	memset(&fresh, 0, sizeof(fresh));
	fresh.rebuilding = 1;
	for (uint32_t d = 0; d < x->ndocs && !rc; d++)
		for (int i = 0; x->alive[d] && i < x->len[d] && !rc; i++)
			rc = fq_count(&fresh, x->pool[x->off[d] + i]);
	fresh.frozen_docs = x->nalive;
	for (uint32_t d = 0; d < x->ndocs && !rc; d++)
		if (x->alive[d])
			rc = add_locked(&fresh, x->ids[d], x->pool + x->off[d], x->len[d],
			                !isnan(x->lon[d]), x->lon[d], x->lat[d]);
	if (rc) {
		clear(&fresh);
		return -1;
	}
	fresh.rebuilding = 0;
	fresh.frozen_postings = fresh.npostings;
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
		rebuild_locked(x); /* on failure the index stays usable as it is */
	pthread_rwlock_unlock(&x->lock);
}

void case_index_loading(struct case_index *x, int on)
{
	pthread_rwlock_wrlock(&x->lock);
	x->rebuilding = on;
	if (!on)
		rebuild_locked(x); /* on failure the index stays usable as it is */
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

/*
 * Each thread's scratch: one word per document, the lookup's generation
 * in the high half and the prefix matches counted so far in the low
 * (PRUNED once ruled out), so that nothing is cleared between lookups
 * and a posting costs one memory access at most.
 */
#define PRUNED 0xFFFFu
struct scratch {
	uint32_t *word;
	uint32_t cap, gen;
	uint32_t *touched;
	size_t ntouched, captouched;
};
static _Thread_local struct scratch *sc;
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

/* A worker thread's scratch goes with the thread. */
static void scratch_free(void *p)
{
	struct scratch *s = p;

	free(s->word);
	free(s->touched);
	free(s);
}

static void scratch_key_make(void)
{
	pthread_key_create(&scratch_key, scratch_free);
}

static int scratch_reserve(uint32_t ndocs)
{
	if (!sc) {
		pthread_once(&scratch_once, scratch_key_make);
		if (!(sc = calloc(1, sizeof(*sc))))
			return -1;
		pthread_setspecific(scratch_key, sc);
	}
	if (ndocs > sc->cap) {
		uint32_t ncap = ndocs + ndocs / 2 + 1024;
		uint32_t *w = realloc(sc->word, ncap * sizeof(*w));
		if (!w)
			return -1;
		memset(w + sc->cap, 0, (ncap - sc->cap) * sizeof(*w));
		sc->word = w;
		sc->cap = ncap;
	}
	if (++sc->gen > 0xFFFF) {
		memset(sc->word, 0, sc->cap * sizeof(*sc->word));
		sc->gen = 1;
	}
	sc->ntouched = 0;
	return 0;
}

/*
 * The overlap of two sorted sets if it reaches need, else -1 as soon as
 * what is left of either cannot make up the difference: most candidates
 * fail, and fail early.
 */
static int overlap_at_least(const uint32_t *a, int na, const uint32_t *b, int nb, int need)
{
	int i = 0, j = 0, o = 0;

	while (i < na && j < nb) {
		int left = na - i < nb - j ? na - i : nb - j;
		if (o + left < need)
			return -1;
		if (a[i] == b[j]) {
			o++;
			i++;
			j++;
		} else if (a[i] < b[j]) {
			i++;
		} else {
			j++;
		}
	}
	return o >= need ? o : -1;
}

static int better(const struct similar_hit *a, const struct similar_hit *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	return a->id > b->id;
}

#define CHECKED 0xFFFEu
#define NEAR_KM 0.5 /* the reach of similar_score's nearness bonus */

/* Scores document d against the query and keeps it among the best when
 * it is similar enough: the bit mask's bound first, then the exact
 * overlap. */
static void consider(const struct case_index *x, uint32_t d, const uint32_t *q,
                     const unsigned char *qbit, int nq, double km, int64_t exclude,
                     struct similar_hit *out, int max, int *nout)
{
	int nd = x->len[d], need, ub = 0, o;
	/* The Jaccard this pair needs: the threshold less its nearness. */
	double t = SIMILAR_THRESHOLD - (similar_score(0, km) > 0 ? similar_score(0, km) : 0);
	struct similar_hit h;

	if (!x->alive[d] || x->ids[d] == exclude)
		return;
	if (nd < t * nq - 1e-9 || t * nd > nq + 1e-9)
		return;
	need = (int)ceil(t / (1 + t) * (nq + nd) - 1e-9);
	for (int i = 0; i < nq; i++)
		ub += (int)(x->mask[d][qbit[i] >> 6] >> (qbit[i] & 63) & 1);
	if (ub < need)
		return;
	o = overlap_at_least(q, nq, x->pool + x->off[d], nd, need);
	if (o < 0)
		return;
	h.id = x->ids[d];
	h.jaccard = (double)o / (double)(nq + nd - o);
	h.km = km;
	h.score = similar_score(h.jaccard, km);
	if (h.score < SIMILAR_THRESHOLD)
		return;
	/* Insertion into the short, sorted answer. */
	if (*nout < max)
		(*nout)++;
	else if (!better(&h, &out[max - 1]))
		return;
	{
		int j = *nout - 1;
		while (j > 0 && better(&h, &out[j - 1])) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = h;
	}
}

int case_index_lookup(struct case_index *x, const uint32_t *q, int nq, int located, double lon,
                      double lat, int64_t exclude, struct similar_hit *out, int max)
{
	struct probe *pr;
	int nout = 0, nprobe, alpha[257];
	unsigned char qbit[256];
	uint32_t hi;

	if (nq <= 0 || max <= 0)
		return 0;
	if (nq > 256)
		nq = 256;
	for (int i = 0; i < nq; i++)
		qbit[i] = (unsigned char)mask_bit(q[i]);
	pthread_rwlock_rdlock(&x->lock);
	if (scratch_reserve(x->ndocs) || !(pr = in_order(x, q, nq))) {
		pthread_rwlock_unlock(&x->lock);
		return -1;
	}
	hi = sc->gen << 16;
	/*
	 * Two ways to be similar.  By text alone (Jaccard >= 0.5): the
	 * inverted lists, probed with the query's prefix.  By text and
	 * place (a lower Jaccard made up by nearness): only within 500 m,
	 * so those are the located cases of the cells around the query,
	 * each checked in full.
	 */
	nprobe = prefix_len(nq, TEXT_JACCARD);
	/* The overlap each size of document needs (Jaccard >= t means an
	 * overlap >= t / (1 + t) of the two sizes together), or 0 where the
	 * length filter rules the size out (Jaccard is at most the smaller
	 * set over the larger). */
	for (int nd = 0; nd <= 256; nd++) {
		double t = TEXT_JACCARD;
		alpha[nd] = nd < t * nq - 1e-9 || t * nd > nq + 1e-9
		                ? 0
		                : (int)ceil(t / (1 + t) * (nq + nd) - 1e-9);
	}
	{
		/* Room for every document the lists could name, so that the
		 * loop below never stops to grow it. */
		size_t most = 0;
		for (int i = 0; i < nprobe; i++) {
			const struct postings *p = list_find(x, pr[i].key);
			most += p ? p->n : 0;
		}
		if (grow((void **)&sc->touched, &sc->captouched, most + 1, sizeof(*sc->touched))) {
			nout = -1;
			goto done;
		}
	}
	for (int i = 0; i < nprobe; i++) {
		const struct postings *p = list_find(x, pr[i].key);
		for (uint32_t k = 0; p && k < p->n; k++) {
			uint32_t m = (uint32_t)(p->ent[k] >> 32), d = (uint32_t)p->ent[k], *w;
			int nd = META_LEN(m), rest, count, need = alpha[nd];
			if (!need)
				continue;
			/*
			 * The positional filter (Xiao et al., PPJoin, WWW 2008):
			 * both sets are in the one global order, so past this
			 * match they share at most the shorter of their tails.
			 * A pair that meets only on common shingles meets late
			 * in both and cannot reach the overlap its threshold
			 * needs.
			 */
			rest =
			    nq - i - 1 < nd - META_POS(m) - 1 ? nq - i - 1 : nd - META_POS(m) - 1;
			if (k + 8 < p->n)
				__builtin_prefetch(&sc->word[(uint32_t)p->ent[k + 8]]);
			w = &sc->word[d];
			if ((*w & 0xFFFF0000u) != hi) {
				count = 0;
				sc->touched[sc->ntouched++] = d;
			} else {
				count = (int)(*w & 0xFFFF);
				if (count == (int)PRUNED)
					continue;
			}
			if (count + 1 + rest < need)
				*w = hi | PRUNED;
			else
				*w = hi | (uint32_t)(count + 1);
		}
	}
	for (size_t k = 0; k < sc->ntouched; k++) {
		uint32_t d = sc->touched[k];
		double km;

		if ((sc->word[d] & 0xFFFF) == PRUNED)
			continue;
		/* The distance of those left only: most were pruned. */
		km = located && !isnan(x->lon[d]) ? case_index_km(lon, lat, x->lon[d], x->lat[d])
		                                  : -1;
		/* Checked here, whatever the outcome: the cells pass it by. */
		sc->word[d] = hi | CHECKED;
		consider(x, d, q, qbit, nq, km, exclude, out, max, &nout);
	}
	if (located) {
		double km_lat = 111.2 * CELL_DEG, km_lon = km_lat * cos(lat * M_PI / 180);
		int32_t cx = (int32_t)floor(lon / CELL_DEG), cy = (int32_t)floor(lat / CELL_DEG);
		int32_t rx = (int32_t)ceil(NEAR_KM / km_lon), ry = (int32_t)ceil(NEAR_KM / km_lat);
		for (int32_t gx = cx - rx; gx <= cx + rx; gx++)
			for (int32_t gy = cy - ry; gy <= cy + ry; gy++) {
				const struct cell *c = cell_find(x, gx, gy);
				for (uint32_t k = 0; c && k < c->n; k++) {
					uint32_t d = c->docs[k];
					double km;
					if (sc->word[d] == (hi | CHECKED))
						continue;
					km = case_index_km(lon, lat, x->lon[d], x->lat[d]);
					if (km >= NEAR_KM)
						continue;
					consider(x, d, q, qbit, nq, km, exclude, out, max, &nout);
				}
			}
	}
done:
	pthread_rwlock_unlock(&x->lock);
	free(pr);
	return nout;
}
