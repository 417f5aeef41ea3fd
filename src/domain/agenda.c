/*
 * Drafting an agenda (agenda.h): similar cases joined by union-find, the
 * groups ranked by a key each carries, so that both sorts are plain
 * qsort over self-contained rows.
 */
#include "agenda.h"

#include <stdlib.h>
#include <string.h>

const char *agenda_reason_name(enum agenda_reason r)
{
	static const char *const names[] = {"overdue", "shared", "age"};

	return (unsigned)r < 3 ? names[r] : "age";
}

static int find(int *parent, int i)
{
	int root = i;

	while (parent[root] != root)
		root = parent[root];
	while (parent[i] != root) { /* path compression */
		int next = parent[i];
		parent[i] = root;
		i = next;
	}
	return root;
}

static void join(int *parent, int a, int b)
{
	a = find(parent, a);
	b = find(parent, b);
	/* The smaller index roots the set: the result does not depend on
	 * which side of a pair was found first. */
	if (a < b)
		parent[b] = a;
	else if (b < a)
		parent[a] = b;
}

/* A case in its group, sortable without the input. */
struct row {
	int root, idx;
	int64_t created, id;
};

static int cmp_row(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;

	if (a->root != b->root)
		return a->root < b->root ? -1 : 1;
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* An item with its ranking key. */
struct key {
	struct agenda_item it;
	int64_t min_id;
};

static int cmp_key(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;

	if (a->it.reason != b->it.reason)
		return a->it.reason < b->it.reason ? -1 : 1;
	switch (a->it.reason) {
	case AGENDA_OVERDUE:
		if (a->it.deadline != b->it.deadline)
			return a->it.deadline < b->it.deadline ? -1 : 1;
		break;
	case AGENDA_SHARED:
		if (a->it.enterprises != b->it.enterprises)
			return a->it.enterprises > b->it.enterprises ? -1 : 1;
		break;
	case AGENDA_AGE:
		break;
	}
	if (a->it.oldest != b->it.oldest)
		return a->it.oldest < b->it.oldest ? -1 : 1;
	return a->min_id < b->min_id ? -1 : a->min_id > b->min_id;
}

static int cmp_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

/* Fills the item of rows r[0..n): its counts, dates and department. */
static void describe(const struct agenda_case *c, const struct row *r, int n, int64_t now,
                     int64_t *scratch, struct key *k)
{
	int64_t best_dept = c[r[0].idx].department_id;
	int best = 0, overdue = 0;

	k->it.oldest = r[0].created;
	k->it.deadline = c[r[0].idx].deadline;
	k->min_id = r[0].id;
	for (int i = 0; i < n; i++) {
		const struct agenda_case *x = &c[r[i].idx];
		if (x->deadline < k->it.deadline)
			k->it.deadline = x->deadline;
		if (x->id < k->min_id)
			k->min_id = x->id;
		overdue |= x->deadline < now;
		scratch[i] = x->enterprise_id;
	}
	qsort(scratch, (size_t)n, sizeof(*scratch), cmp_i64);
	k->it.enterprises = 0;
	for (int i = 0; i < n; i++)
		if (i == 0 || scratch[i] != scratch[i - 1])
			k->it.enterprises++;
	/* The department most of its cases lie with; on a tie the oldest
	 * case's (rows are oldest first).  Counted over the sorted ids, so
	 * that a large group costs n log n, not n squared. */
	for (int i = 0; i < n; i++)
		scratch[i] = c[r[i].idx].department_id;
	qsort(scratch, (size_t)n, sizeof(*scratch), cmp_i64);
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && scratch[j] == scratch[i])
			j++;
		if (j - i > best)
			best = j - i;
		i = j;
	}
	for (int i = 0; i < n; i++) {
		int64_t d = c[r[i].idx].department_id;
		const int64_t *at = bsearch(&d, scratch, (size_t)n, sizeof(*scratch), cmp_i64);
		int lo = (int)(at - scratch), hi = lo;
		while (lo > 0 && scratch[lo - 1] == d)
			lo--;
		while (hi < n && scratch[hi] == d)
			hi++;
		if (hi - lo == best) {
			best_dept = d;
			break;
		}
	}
	k->it.department_id = best_dept;
	k->it.reason = overdue                 ? AGENDA_OVERDUE
	               : k->it.enterprises > 1 ? AGENDA_SHARED
	                                       : AGENDA_AGE;
}

int agenda_draft(const struct agenda_case *c, int n, int64_t now, agenda_similar_fn sim, void *ctx,
                 struct agenda *out)
{
	enum { MAX_SIMILAR = 64 };
	int *parent = NULL, hits[MAX_SIMILAR];
	struct row *rows = NULL;
	struct key *keys = NULL;
	int64_t *scratch = NULL;
	int nkeys = 0;

	memset(out, 0, sizeof(*out));
	if (n <= 0)
		return 0;
	parent = malloc(sizeof(*parent) * (size_t)n);
	rows = malloc(sizeof(*rows) * (size_t)n);
	keys = malloc(sizeof(*keys) * (size_t)n);
	scratch = malloc(sizeof(*scratch) * (size_t)n);
	out->cases = malloc(sizeof(*out->cases) * (size_t)n);
	if (!parent || !rows || !keys || !scratch || !out->cases)
		goto fail;
	for (int i = 0; i < n; i++)
		parent[i] = i;
	for (int i = 0; sim && i < n; i++) {
		int m = sim(ctx, i, hits, MAX_SIMILAR);
		if (m < 0)
			goto fail;
		for (int j = 0; j < m; j++)
			if (hits[j] >= 0 && hits[j] < n && hits[j] != i)
				join(parent, i, hits[j]);
	}
	for (int i = 0; i < n; i++)
		rows[i] = (struct row){find(parent, i), i, c[i].created, c[i].id};
	qsort(rows, (size_t)n, sizeof(*rows), cmp_row);
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && rows[j].root == rows[i].root)
			j++;
		describe(c, rows + i, j - i, now, scratch, &keys[nkeys]);
		keys[nkeys].it.first = i; /* into rows, until laid out below */
		keys[nkeys].it.n = j - i;
		nkeys++;
		i = j;
	}
	qsort(keys, (size_t)nkeys, sizeof(*keys), cmp_key);
	if (!(out->items = malloc(sizeof(*out->items) * (size_t)nkeys)))
		goto fail;
	for (int k = 0; k < nkeys; k++) {
		struct agenda_item it = keys[k].it;
		int from = it.first;
		it.first = out->ncases;
		for (int i = 0; i < it.n; i++)
			out->cases[out->ncases++] = rows[from + i].idx;
		out->items[out->nitems++] = it;
	}
	free(parent);
	free(rows);
	free(keys);
	free(scratch);
	return 0;
fail:
	free(parent);
	free(rows);
	free(keys);
	free(scratch);
	agenda_free(out);
	return -1;
}

void agenda_free(struct agenda *a)
{
	free(a->items);
	free(a->cases);
	memset(a, 0, sizeof(*a));
}
