/*
 * A memo of values read from the database, shared by a process's
 * threads and good while the versions they were read at stand.
 *
 * The store counts the changes of what seldom changes and much is read
 * (meta's settings_version and jurisdiction_version); a request reads
 * the counts once, and every lookup made under those counts may answer
 * from the memo instead of the database.  A memo holds entries of one
 * pair of versions only: an entry put under newer versions empties it,
 * one put under older versions (a request that began before a change)
 * is not kept, and a lookup under other versions than the memo's misses.
 * Values are copied in and out, so nothing a caller holds is shared.
 * Entries belong to one space (a database: a process that opens another
 * one reads other rows at the same versions); an entry put in another
 * space empties the memo whatever its versions.
 *
 * On PostgreSQL each lookup answered here is a round trip saved: five of
 * the nine reads of a resident's suggestion were of settings.
 */
#ifndef QY_MEMO_H
#define QY_MEMO_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define MEMO_KEY_MAX 64

struct memo_entry;

struct memo {
	pthread_mutex_t lock;
	int64_t space;   /* the space of every entry */
	int64_t v1, v2;  /* and their versions */
	size_t max;      /* entries at most; the memo empties itself when full */
	size_t n, slots; /* entries, and the table's size (a power of two) */
	struct memo_entry *e;
	long hits, misses; /* for tests and figures */
};

/* A memo of at most max entries (a static initialiser). */
#define MEMO_INIT(max_entries)                                                                     \
	{                                                                                          \
		PTHREAD_MUTEX_INITIALIZER, -1, -1, -1, (max_entries), 0, 0, NULL, 0, 0             \
	}

/* The versions a value was read at, in its space. */
struct memo_at {
	int64_t space, v1, v2;
};

/* Copies the value kept under key into out (size bytes) and returns 1
 * when the memo holds it as read at `at`, with that size; else 0. */
int memo_get(struct memo *m, struct memo_at at, const void *key, size_t klen, void *out,
             size_t size);
/* Keeps a copy of value under key, as read at `at`.  Keys longer than
 * MEMO_KEY_MAX, and a memo out of memory, keep nothing. */
void memo_put(struct memo *m, struct memo_at at, const void *key, size_t klen, const void *value,
              size_t size);
/* Forgets every entry (and frees the memo's storage). */
void memo_clear(struct memo *m);

#endif
