/*
 * Who holds an API key, remembered by a server whose database is a round
 * trip away.
 *
 * On PostgreSQL a request made with an API key reads the key's holder
 * (the key, its user, the user's jurisdiction) in a round trip of its own
 * before the one that answers it: for a record read by its id, half of
 * the database's work.  A holder changes rarely (a key revoked, a user
 * disabled or given another role or jurisdiction, the jurisdiction tree
 * changed), and every such change is told to every server as it commits
 * (pg_compat.sql's principals_notify, heard by case_follow.c's thread).
 * So a server that hears those changes may remember what it read:
 *
 * - memory is trusted only while the changes are heard: until the thread
 *   has subscribed, and from the moment its connection fails until it
 *   has subscribed again, nothing is remembered or recalled (a change
 *   made meanwhile was told to no one);
 * - a change told, and a change this process writes itself (at once,
 *   before its notice comes back: store_principals_changed), forgets
 *   everything: a generation counter makes that one addition;
 * - a holder read while a change was under way is not kept: the
 *   generation is taken before the database is read, and the answer kept
 *   only if the generation is the same when it comes.  A change's notice
 *   follows its commit, so a read that saw the rows before the change
 *   finds the generation moved on, or its entry is forgotten when the
 *   notice comes;
 * - an entry lives PRINCIPAL_CACHE_TTL seconds at most, whatever is told:
 *   a notice held up behind many others delays a revocation that long at
 *   worst.
 *
 * Only keys that were found are remembered (a guesser's wrong keys would
 * only push out the right ones), and no session: a browser's requests
 * are few beside a machine client's, and a session's end comes with its
 * expiry time, which the database checks.  On SQLite nothing is
 * remembered: the holder is read from a file in microseconds, and other
 * processes (qunyan user key --revoke) change it without telling.
 */
#ifndef QY_PRINCIPAL_CACHE_H
#define QY_PRINCIPAL_CACHE_H

#include <stdint.h>

#include "../domain/access.h"

#define PRINCIPAL_CACHE_TTL 5 /* seconds */

/* The generation to read the database under; 0 while nothing may be
 * remembered. */
uint64_t principal_cache_begin(void);
/* The holder of the key whose hash (64 hex digits) is given, and the
 * jurisdiction tree's version it was read with: 1 if remembered. */
int principal_cache_get(const char *key_hash, struct principal *p, int64_t *jur_version);
/* Remembers a holder read under generation gen (principal_cache_begin),
 * unless something changed since. */
void principal_cache_put(uint64_t gen, const char *key_hash, const struct principal *p,
                         int64_t jur_version);
/* A change was told: forget everything. */
void principal_cache_forget(void);
/* Whether changes are heard (1) or not (0); either way everything is
 * forgotten. */
void principal_cache_trust(int heard);
/* For the tests: the lifetime of an entry, in seconds (the default
 * PRINCIPAL_CACHE_TTL). */
void principal_cache_set_ttl(int seconds);

#endif
