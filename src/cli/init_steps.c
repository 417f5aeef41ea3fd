/*
 * The demo's working calendar, its categories' time limits and a request
 * waiting for a decision (init_steps.h).
 */
#include "init_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../demo/demo_steps.h"
#include "../domain/hours.h"
#include "../service/case_requests.h"

static int oom(struct err *err)
{
	return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

/* The calendar, one year at a time as its API writes it. */
static int load_calendar(struct store *st, struct err *err)
{
	struct work_year *y = malloc(sizeof(*y));
	int rc = -1;

	if (!y)
		return oom(err);
	for (int year = 2026; year <= 2027; year++) {
		y->year = year;
		y->n = 0;
		for (int i = 0; i < DEMO_WORK_DATES; i++) {
			const struct demo_work_date *d = &demo_work_dates[i];
			if (atoi(d->from) != year)
				continue;
			for (long day = hours_date_days(d->from);
			     day <= hours_date_days(d->to) && y->n < WORK_YEAR_MAX; day++) {
				y->d[y->n].day = day;
				y->d[y->n].workday = d->workday;
				snprintf(y->d[y->n].name, sizeof(y->d[y->n].name), "%s", d->name);
				y->n++;
			}
		}
		if (store_work_year_put(st, y, err))
			goto out;
	}
	rc = 0;
out:
	free(y);
	return rc;
}

int load_demo_steps(struct store *st, struct err *err)
{
	struct category_rec *cat = malloc(sizeof(*cat));
	int rc = -1;

	if (!cat)
		return oom(err);
	if (load_calendar(st, err))
		goto out;
	for (int i = 0; i < DEMO_CATEGORY_LIMITS; i++) {
		const struct demo_category_limits *k = &demo_category_limits[i];
		struct case_limits x;
		case_limits_init(&x);
		for (int u = 0; u < CU_N; u++)
			for (int p = 0; p < STEP_N; p++) {
				const struct demo_limit *l = &k->l[u][p];
				if (!l->unit)
					continue;
				if (limit_unit_parse(l->unit, &x.l[u][p].unit)) {
					err_set(err, ERR_INTERNAL, "bad_demo", NULL,
					        "demo unit '%s'", l->unit);
					goto out;
				}
				x.l[u][p].amount = l->amount;
			}
		x.site_check = k->site_check;
		if (store_category_by_code(st, k->category, cat, err) ||
		    store_case_limits_put(st, cat->id, &x, err))
			goto out;
	}
	rc = 0;
out:
	free(cat);
	return rc;
}

static int first_case(void *ctx, const struct case_rec *c)
{
	memcpy(ctx, c, sizeof(*c));
	return 1;
}

int load_demo_requests(struct store *st, struct err *err)
{
	struct case_rec *c = calloc(1, sizeof(*c));
	struct case_request_rec *q = calloc(1, sizeof(*q));
	struct category_rec *cat = malloc(sizeof(*cat));
	struct user u;
	struct case_filter f;
	int rc = -1;

	if (!c || !q || !cat) {
		oom(err);
		goto out;
	}
	/* The enterprise that needs twenty mu of land: the park's handler
	 * asks for a month more while the district weighs the quota. */
	memset(&f, 0, sizeof(f));
	f.state = "in_progress";
	f.limit = 1;
	if (store_category_by_code(st, "land", cat, err) ||
	    store_user_by_name(st, "handler", &u, err))
		goto out;
	f.category_id = cat->id;
	if (store_cases(st, &f, first_case, c, err))
		goto out;
	if (c->id) {
		struct case_actor who = {u.id, u.username};
		time_t t;
		q->kind = CR_EXTENSION;
		q->asked_by = u.id;
		snprintf(q->reason, sizeof(q->reason),
		         "用地指标需报区规划资源局统筹，预计一个月内答复，申请延期。");
		if (case_time_parse(c->deadline, &t) || t < time(NULL))
			t = time(NULL);
		case_time_format(t + 30 * 86400, q->deadline);
		if (case_request_ask(st, c, q, &who, err))
			goto out;
	}
	rc = 0;
out:
	free(c);
	free(q);
	free(cat);
	return rc;
}
