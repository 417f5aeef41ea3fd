#include "jur_tree.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct jur_tree *current;

static void release_locked(struct jur_tree *t)
{
	if (t && --t->refs == 0) {
		free(t->n);
		free(t);
	}
}

struct jur_tree *jur_tree_get(struct store *st, struct err *err)
{
	struct jur_tree *t;
	int64_t version;

	if (store_jurisdiction_version(st, &version, err))
		return NULL;
	pthread_mutex_lock(&lock);
	if (current && current->version == version) {
		current->refs++;
		t = current;
		pthread_mutex_unlock(&lock);
		return t;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		pthread_mutex_unlock(&lock);
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	t->version = version;
	if (store_jurisdiction_all(st, &t->n, &t->len, err)) {
		pthread_mutex_unlock(&lock);
		free(t->n);
		free(t);
		return NULL;
	}
	t->refs = 2; /* the cache's and the caller's */
	release_locked(current);
	current = t;
	pthread_mutex_unlock(&lock);
	return t;
}

void jur_tree_put(struct jur_tree *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&lock);
	release_locked(t);
	pthread_mutex_unlock(&lock);
}

void jur_tree_clear(void)
{
	pthread_mutex_lock(&lock);
	release_locked(current);
	current = NULL;
	pthread_mutex_unlock(&lock);
}

/* The tree holds hundreds of nodes, a city a few thousand: a scan is as
 * quick as an index would be and needs none kept. */
const struct jurisdiction *jur_tree_find(const struct jur_tree *t, int64_t id)
{
	for (size_t i = 0; t && i < t->len; i++)
		if (t->n[i].id == id)
			return &t->n[i];
	return NULL;
}

const struct jurisdiction *jur_tree_by_code(const struct jur_tree *t, const char *code)
{
	for (size_t i = 0; t && i < t->len; i++)
		if (strcmp(t->n[i].code, code) == 0)
			return &t->n[i];
	return NULL;
}

struct jur_pos jur_tree_pos(const struct jur_tree *t, int64_t id)
{
	const struct jurisdiction *j = jur_tree_find(t, id);
	struct jur_pos p = {0, 0};

	if (j) {
		p.lo = j->lo;
		p.hi = j->hi;
	}
	return p;
}
