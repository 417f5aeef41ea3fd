/*
 * The demo's events written into the store (init_events.c).
 */
#ifndef QY_CLI_INIT_EVENTS_H
#define QY_CLI_INIT_EVENTS_H

#include "../store/store.h"

/* In the caller's transaction, after the cases: the clusters' 2024
 * events, last month's and next month's salons with their agendas, and
 * an alliance meeting when the demo has an alliance. */
int load_demo_events(struct store *st, struct err *err);

#endif
