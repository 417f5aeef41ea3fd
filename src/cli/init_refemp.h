/*
 * The demo's reference region: Shanghai's employment by GB/T 4754 class
 * (src/demo/reference_employment.txt, figures the project wrote, of the
 * order of the city's), so that the demo dashboard shows the clusters'
 * location quotients.  Read by the same parser as an imported file.
 */
#ifndef QY_CLI_INIT_REFEMP_H
#define QY_CLI_INIT_REFEMP_H

#include "../store/store.h"

/* In the caller's transaction. */
int load_demo_reference(struct store *st, struct err *err);

#endif
