/*
 * The server's background rounds: overdue cases escalated to the
 * officer, residents' personal data erased once a closed case has waited
 * its days, and the outbox delivered to the webhooks.
 *
 * Delivery is at least once: a message is marked delivered only after
 * its receiver answered 2xx, and one that failed waits longer each time
 * (outbox_backoff) but is never dropped.  Receivers tell repeats apart by
 * the X-Qunyan-Delivery header.
 */
#ifndef QY_MAINTENANCE_H
#define QY_MAINTENANCE_H

#include "../config.h"
#include "../store/store.h"

int maintenance_start(const struct config *cfg, struct err *err);
void maintenance_stop(void);
/* Wakes the delivery thread: a change has queued notifications. */
void maintenance_kick(void);

/* One round of each, on the given store (the CLI and tests call these
 * directly); they return how many cases or messages they handled, or -1. */
int maintenance_escalate(struct store *st, const char *now, struct err *err);
int maintenance_erase(struct store *st, const char *now, int erase_days, struct err *err);
int maintenance_deliver(struct store *st, const char *now, int timeout, struct err *err);

/* Seconds before the next try after `attempts` failures: 10 s doubling
 * to at most an hour, so a receiver down for a day is tried about 30
 * times, and one back within a minute hears within a minute. */
int outbox_backoff(int attempts);

#endif
