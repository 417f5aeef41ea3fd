/*
 * The duplicate index kept right when other servers write.  On a shared
 * database (PostgreSQL) each server's index sees its own intakes and
 * closures at once; this thread brings it those of the others: every
 * change of a case is told on commit (pg_compat.sql's cases_notify), and
 * the case is read again and added to the index or taken out.  After a
 * lost connection it subscribes again and adds every open case anew, so
 * what was missed meanwhile is caught up (a case closed meanwhile stays
 * in the index until the next restart; lookups read the cases they find).
 * The same thread hears the changes of API keys' holders, for the
 * holders a server remembers (principal_cache.h): while it is subscribed
 * they may be remembered, and each change told forgets them.
 */
#ifndef QY_CASE_FOLLOW_H
#define QY_CASE_FOLLOW_H

#include "../util/err.h"

/* Starts following the database at target; nothing on an unshared one.
 * The server then waits for the subscription (up to timeout_ms), loads
 * the index of open cases, and says so; only then are changes followed
 * (see case_follow.c). */
int case_follow_start(const char *target, struct err *err);
void case_follow_subscribed(int timeout_ms);
void case_follow_loaded(void);
void case_follow_stop(void);
/* Changes of other servers' cases read into the index so far. */
long long case_follow_count(void);

#endif
