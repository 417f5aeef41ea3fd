/*
 * The dashboard filled from the store: every figure of one scope and
 * period (domain/dashboard.h holds the struct and the rules of its rates
 * and quotients).  The API answers it as JSON, and the quarterly report,
 * from the API and from `qunyan report`, writes the same struct as a
 * workbook and a PDF.
 */
#ifndef QY_SERVICE_DASHBOARD_H
#define QY_SERVICE_DASHBOARD_H

#include <stddef.h>

#include "../domain/dashboard.h"
#include "../domain/jurisdiction.h"
#include "../store/store.h"
#include "../util/buf.h"

struct dash_request {
	/* The tree in tree order, and the scope's node in it. */
	const struct jurisdiction *tree;
	size_t ntree, at;
	/* Narrower cuts: a cluster's enterprises (a secretary's), or those
	 * of a set of grids (a grid worker's: grid_cut set, ngrids of
	 * them, none at all possibly). */
	int64_t cluster_id;
	int grid_cut;
	const int64_t *grids;
	size_t ngrids;
	struct dash_period period;
	const char *today; /* the town's date, YYYY-MM-DD */
	double alert_fall; /* 0.2: a fall of more than 20 % */
	int alert_visit_days;
};

/* Fills d (dashboard_init'ed by the caller, who frees it). */
int dashboard_build(struct store *st, const struct dash_request *q, struct dashboard *d,
                    struct err *err);

/* The workbook of the dashboard (one sheet per section) written to path;
 * the PDF report is print_dashboard_pdf's (print/print_report.h). */
int dashboard_xlsx(const struct dashboard *d, const char *path, struct err *err);

#endif
