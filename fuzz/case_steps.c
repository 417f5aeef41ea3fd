/*
 * The bodies of cases by step: a category's limits (case_limits_from_json,
 * PUT /api/v1/case-categories/{id}/limits) and a year of the working
 * calendar (work_year_from_json, PUT /api/v1/work-calendar/{year}).  The
 * first byte picks which.  What is accepted writes in its canonical form,
 * which reads back to the same; every refusal names a field.  Accepted
 * limits and calendars then drive the arithmetic of working time, whose
 * promises are checked: a deadline never before its start, working time
 * added and counted back agrees, a stop moves a deadline forward only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/case_limits.h"
#include "domain/hours.h"
#include "harness.h"

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "%s: %s\n", what, text);
	abort();
}

/* Mid-2026 in steps of seven hours and some minutes: every hour of the
 * week, working or not, over the year's holidays. */
static time_t start_at(unsigned i)
{
	return 1767225600 + (time_t)i * (7 * 3600 + 13 * 60);
}

static void arithmetic(const struct work_calendar *c, const struct case_limits *x)
{
	for (unsigned i = 0; i < 40; i++) {
		time_t t = start_at(i);
		for (int u = 0; u < CU_N; u++)
			for (int p = 0; p < STEP_N; p++) {
				const struct case_limit *l = &x->l[u][p];
				time_t due, moved;
				if (l->unit == LU_NONE)
					continue;
				due = case_limit_due(c, t, l);
				if (due < 0)
					continue;
				if (due < t)
					fail("a deadline before its start",
					     limit_unit_name(l->unit));
				if (l->unit == LU_WORKING_HOURS &&
				    work_minutes_between(c, t, due) != (long)l->amount * 60)
					fail("working hours added do not count back", "");
				moved = case_limit_shift(c, due, l->unit, t, t + 3 * 86400);
				if (moved < due)
					fail("a stop moved a deadline back", "");
			}
	}
}

static void limits(const uint8_t *data, size_t size)
{
	static struct case_limits x, back;
	struct buf a = BUF_INIT, b = BUF_INIT;
	json_error_t je;
	json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, &je);
	struct err e;

	if (!v)
		return;
	err_clear(&e);
	if (case_limits_from_json(v, &x, &e)) {
		if (e.kind == ERR_NONE || !e.field[0])
			fail("a refusal names no field", e.message);
		json_decref(v);
		return;
	}
	json_decref(v);
	case_limits_to_json(&x, &a);
	v = json_loads(buf_cstr(&a), 0, &je);
	if (!v)
		fail("canonical limits are not JSON", buf_cstr(&a));
	err_clear(&e);
	if (case_limits_from_json(v, &back, &e))
		fail("canonical limits do not read back", buf_cstr(&a));
	json_decref(v);
	case_limits_to_json(&back, &b);
	if (strcmp(buf_cstr(&a), buf_cstr(&b)))
		fail("canonical limits write differently", buf_cstr(&a));
	arithmetic(NULL, &x);
	buf_release(&a);
	buf_release(&b);
}

static void year(const uint8_t *data, size_t size)
{
	static struct work_year y, back;
	static struct work_calendar c;
	static struct case_limits x;
	struct buf a = BUF_INIT, b = BUF_INIT;
	json_error_t je;
	json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, &je);
	struct err e;

	if (!v)
		return;
	err_clear(&e);
	if (work_year_from_json(v, 2026, &y, &e)) {
		if (e.kind == ERR_NONE || !e.field[0])
			fail("a refusal names no field", e.message);
		json_decref(v);
		return;
	}
	json_decref(v);
	work_year_to_json(&y, &a);
	v = json_loads(buf_cstr(&a), 0, &je);
	if (!v)
		fail("a canonical year is not JSON", buf_cstr(&a));
	err_clear(&e);
	if (work_year_from_json(v, 2026, &back, &e))
		fail("a canonical year does not read back", buf_cstr(&a));
	json_decref(v);
	work_year_to_json(&back, &b);
	if (strcmp(buf_cstr(&a), buf_cstr(&b)))
		fail("a canonical year writes differently", buf_cstr(&a));
	/* Its dates as the arithmetic reads them, under limits of each unit. */
	work_calendar_init(&c);
	for (int i = 0; i < y.n; i++)
		if (work_calendar_put(&c, y.d[i].day, y.d[i].workday))
			fail("a year's dates overflow the calendar", buf_cstr(&a));
	case_limits_init(&x);
	x.l[CU_ORDINARY][STEP_DISPATCH] = (struct case_limit){3, LU_WORKING_HOURS};
	x.l[CU_ORDINARY][STEP_RESOLUTION] = (struct case_limit){5, LU_WORKING_DAYS};
	x.l[CU_URGENT][STEP_RESOLUTION] = (struct case_limit){30, LU_HOURS};
	arithmetic(&c, &x);
	buf_release(&a);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned pick = fz_take_byte(&data, &size);

	if (pick & 1)
		year(data, size);
	else
		limits(data, size);
	return 0;
}
