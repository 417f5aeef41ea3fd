/*
 * Time limits of a case by step, as hotline offices set them: each
 * category has a limit for dispatch (派单), for the department's first
 * reply (首次答复) and for resolution (办结), for each urgency (ordinary,
 * urgent, emergency), in working days, working hours or plain hours.
 * Every limit counts from intake: the submitter waits from then, and a
 * slow dispatch eats into the department's time, which is why dispatch
 * has a short limit of its own.
 *
 * Working time is counted in the town's calendar, in Asia/Shanghai (UTC+8
 * all year, as hours.h explains): a working day is Monday to Friday,
 * unless the calendar makes it a holiday, and a weekend day the calendar
 * makes a working day (调休) is one.  A working day's working time is
 * 09:00-12:00 and 13:00-18:00, eight hours.
 *
 *   N working days   the end of the N-th working day after the day the
 *                    clock starts (the day of intake itself never
 *                    counts, as a caller at 17:55 would lose it)
 *   N working hours  N hours of working time from the start
 *   N hours          N hours round the clock (emergencies)
 *
 * A parked case's clock stops: when it runs again, each deadline still to
 * come moves by the working time (or, for plain hours, the time) it was
 * parked.
 *
 * Pure functions over plain structs (tests/unit/test_case_limits.c).
 */
#ifndef QY_CASE_LIMITS_H
#define QY_CASE_LIMITS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../util/buf.h"
#include "../util/err.h"

enum case_urgency { CU_ORDINARY = 0, CU_URGENT, CU_EMERGENCY, CU_N };
enum case_step { STEP_DISPATCH = 0, STEP_FIRST_REPLY, STEP_RESOLUTION, STEP_N };
enum limit_unit { LU_NONE = 0, LU_WORKING_DAYS, LU_WORKING_HOURS, LU_HOURS };

const char *case_urgency_name(enum case_urgency u);
int case_urgency_parse(const char *s, enum case_urgency *out);
const char *case_step_name(enum case_step s);
int case_step_parse(const char *s, enum case_step *out);
const char *limit_unit_name(enum limit_unit u);
int limit_unit_parse(const char *s, enum limit_unit *out);
extern const char case_urgencies_list[]; /* "ordinary, urgent, emergency" */
extern const char limit_units_list[];    /* "working_days, working_hours, hours" */

/* A limit; unit LU_NONE (amount 0) is no limit. */
struct case_limit {
	int amount;
	enum limit_unit unit;
};
/* The largest amount of each unit: a year's working days, a year's
 * working hours, a year. */
int limit_max(enum limit_unit u);
/* "3 working_days", "" for none; and back (-1 on anything else). */
void case_limit_format(const struct case_limit *l, char out[24]);
int case_limit_parse(const char *s, struct case_limit *l);

/* A category's limits and whether closing needs a check on site. */
struct case_limits {
	struct case_limit l[CU_N][STEP_N];
	int site_check;
};
void case_limits_init(struct case_limits *x);
/* 1 when no step of any urgency has a limit. */
int case_limits_empty(const struct case_limits *x);

/*
 * Reads {"limits": {"<urgency>": {"<step>": {"amount", "unit"} | null}},
 * "site_check": bool} (each part optional).  Every fault is a field
 * error named from its path ("limits.urgent.dispatch.amount"): wrong_type,
 * unknown_field, invalid_enum (an urgency, step or unit), out_of_range
 * (the amount for its unit), required (an amount or unit alone).
 * Returns 0, or -1 with at least one error added.
 */
int case_limits_from_json(const json_t *v, struct case_limits *x, struct err *e);
/* The canonical object case_limits_from_json reads: every urgency, every
 * step, null where none. */
void case_limits_to_json(const struct case_limits *x, struct buf *out);

/*
 * Where one case stands by step (the row of case_steps): its urgency,
 * the limits it was given at intake, each step's deadline and when it
 * was done or escalated, its parking, its callback and its check on
 * site.  The resolution's deadline and escalation are the case's own
 * (deadline, escalated_at).  has is 0 for a case taken in before steps
 * were kept (or loaded in bulk): it has the resolution deadline only.
 */
struct case_steps {
	int has;
	enum case_urgency urgency;
	struct case_limit limit[STEP_N];
	char dispatch_due[21], dispatched_at[21], dispatch_escalated_at[21];
	char reply_due[21], replied_at[21], reply_escalated_at[21];
	char parked_at[21], park_review[11];
	int callback_tries;
	char callback_unreached_at[21];
	int site_check; /* the category asks for a check on site */
	char site_checked_at[21];
	int64_t site_checked_by, site_check_photo;
	int site_check_passed;
};

/* ---- the working calendar ---- */

#define WORK_CAL_MAX     4096 /* dates the calendar holds: a century of holidays */
#define WORK_YEAR_MAX    120  /* dates one year may name */
#define WORK_DAY_OPEN1   (9 * 60)
#define WORK_DAY_CLOSE1  (12 * 60)
#define WORK_DAY_OPEN2   (13 * 60)
#define WORK_DAY_CLOSE2  (18 * 60)
#define WORK_DAY_MINUTES 480
#define WORK_NAME_MAX    50 /* characters of a date's name */

/* The dates the calendar decides, as the arithmetic needs them: small,
 * so that it is read afresh for each use rather than cached. */
struct work_calendar {
	int n;
	struct {
		int32_t day; /* days since 1970-01-01, the town's date */
		int32_t workday;
	} d[WORK_CAL_MAX]; /* by day, each day once */
};
/* One year's dates with their names, as they are listed and replaced. */
struct work_year {
	int year, n;
	struct work_year_date {
		long day;
		int workday; /* 1: a weekend day worked; 0: a holiday */
		char name[4 * WORK_NAME_MAX + 1];
	} d[WORK_YEAR_MAX];
};

void work_calendar_init(struct work_calendar *c);
/* Adds or replaces a date, keeping the order; -1 when full. */
int work_calendar_put(struct work_calendar *c, long day, int workday);
/* The town's day of an instant, and the instant a day's minute starts. */
long work_day_of(time_t t);
time_t work_day_at(long day, int minute);
/* 1 when the day is a working day. */
int work_is_day(const struct work_calendar *c, long day);
/* The instant after `minutes` of working time from t (t itself for 0);
 * -1 when that is more than five years away. */
time_t work_add_minutes(const struct work_calendar *c, time_t t, long minutes);
/* Minutes of working time in [a, b); 0 when b <= a. */
long work_minutes_between(const struct work_calendar *c, time_t a, time_t b);
/* The end of the n-th working day after t's day; -1 past five years. */
time_t work_add_days(const struct work_calendar *c, time_t t, int n);
/* The deadline of a limit started at t: -1 for none or out of reach. */
time_t case_limit_due(const struct work_calendar *c, time_t t, const struct case_limit *l);
/* A deadline moved for a clock stopped from `from` to `to`: by the
 * working time between them, or for plain hours by the time itself. */
time_t case_limit_shift(const struct work_calendar *c, time_t due, enum limit_unit unit,
                        time_t from, time_t to);

/*
 * Reads one year's dates from {"year"?, "days": [{"date", "kind":
 * "holiday"|"workday", "name"?}]} (year, when given, must be `year`):
 * each date of that year, once; a
 * workday only on a Saturday or Sunday (a weekday works anyway).  Field
 * errors: days[i].date invalid_date (not a date, or of another year, or
 * given twice), days[i].kind invalid_enum, days[i].name too_long,
 * days too_many, unknown_field, wrong_type, required.  y gets the dates
 * in order.
 */
int work_year_from_json(const json_t *v, int year, struct work_year *y, struct err *e);
/* The year's dates as {"year", "days": [...]}, what work_year_from_json
 * reads (and the year). */
void work_year_to_json(const struct work_year *y, struct buf *out);

/* Times in the stored form YYYY-MM-DDTHH:MM:SSZ; -1 when not. */
int case_time_parse(const char *s, time_t *t);
void case_time_format(time_t t, char out[21]);

#endif
