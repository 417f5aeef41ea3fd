/*
 * The demo's service catalogue, loaded by qunyan init --demo after the
 * town's departments, users and cases (init_services.c, over the tables
 * of src/demo/demo_services.c).
 */
#ifndef QY_CLI_INIT_SERVICES_H
#define QY_CLI_INIT_SERVICES_H

#include "../store/store.h"

/* The providers, the services with their hours, Qifan's laboratory
 * offered and approved, and two of Qifan's requests; in the caller's
 * transaction. */
int load_demo_services(struct store *st, struct err *err);

#endif
