/*
 * The demo's working calendar and its categories' time limits by urgency
 * and step (demo_steps.c), as a 12345 hotline office in Shanghai would
 * set them; docs/DESIGN.md ("Cases by step") explains the choices.
 */
#ifndef QY_DEMO_STEPS_H
#define QY_DEMO_STEPS_H

/* A date the calendar decides: a holiday, or a weekend day worked. */
struct demo_work_date {
	const char *from, *to; /* YYYY-MM-DD, inclusive */
	int workday;
	const char *name;
};
#define DEMO_WORK_DATES 20
extern const struct demo_work_date demo_work_dates[DEMO_WORK_DATES];

/* A category's limits: for each urgency (ordinary, urgent, emergency) and
 * step (dispatch, first reply, resolution) an amount and a unit
 * ("working_days", "working_hours", "hours"; NULL: none). */
struct demo_limit {
	int amount;
	const char *unit;
};
struct demo_category_limits {
	const char *category;
	struct demo_limit l[3][3];
	int site_check;
};
#define DEMO_CATEGORY_LIMITS 13
extern const struct demo_category_limits demo_category_limits[DEMO_CATEGORY_LIMITS];

#endif
