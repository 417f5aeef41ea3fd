/*
 * Step limits and the working calendar (case_limits.h): names, the JSON
 * of a category's limits and of a year's calendar, and the arithmetic of
 * working time.
 */
#include "case_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hours.h"

static const char *const urgency_names[CU_N] = {"ordinary", "urgent", "emergency"};
static const char *const step_names[STEP_N] = {"dispatch", "first_reply", "resolution"};
static const char *const unit_names[] = {"", "working_days", "working_hours", "hours"};
const char case_urgencies_list[] = "ordinary, urgent, emergency";
const char limit_units_list[] = "working_days, working_hours, hours";

static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (names[i][0] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *case_urgency_name(enum case_urgency u)
{
	return (unsigned)u < CU_N ? urgency_names[u] : "unknown";
}

int case_urgency_parse(const char *s, enum case_urgency *out)
{
	int i = lookup(urgency_names, CU_N, s);

	if (i < 0)
		return -1;
	*out = (enum case_urgency)i;
	return 0;
}

const char *case_step_name(enum case_step s)
{
	return (unsigned)s < STEP_N ? step_names[s] : "unknown";
}

int case_step_parse(const char *s, enum case_step *out)
{
	int i = lookup(step_names, STEP_N, s);

	if (i < 0)
		return -1;
	*out = (enum case_step)i;
	return 0;
}

const char *limit_unit_name(enum limit_unit u)
{
	return (unsigned)u <= LU_HOURS ? unit_names[u] : "";
}

int limit_unit_parse(const char *s, enum limit_unit *out)
{
	int i = lookup(unit_names, 4, s);

	if (i <= 0)
		return -1;
	*out = (enum limit_unit)i;
	return 0;
}

int limit_max(enum limit_unit u)
{
	switch (u) {
	case LU_WORKING_DAYS:
		return 250;
	case LU_WORKING_HOURS:
		return 2000;
	case LU_HOURS:
		return 8760;
	case LU_NONE:
		break;
	}
	return 0;
}

void case_limit_format(const struct case_limit *l, char out[24])
{
	if (l->unit == LU_NONE || l->amount <= 0)
		out[0] = '\0';
	else
		snprintf(out, 24, "%d %s", l->amount, limit_unit_name(l->unit));
}

int case_limit_parse(const char *s, struct case_limit *l)
{
	char unit[20];
	int amount, n = 0;

	l->amount = 0;
	l->unit = LU_NONE;
	if (!s || !*s)
		return 0;
	if (sscanf(s, "%5d %19s%n", &amount, unit, &n) != 2 || s[n] ||
	    limit_unit_parse(unit, &l->unit) || amount < 1 || amount > limit_max(l->unit)) {
		l->unit = LU_NONE;
		return -1;
	}
	l->amount = amount;
	return 0;
}

void case_limits_init(struct case_limits *x)
{
	memset(x, 0, sizeof(*x));
}

int case_limits_empty(const struct case_limits *x)
{
	for (int u = 0; u < CU_N; u++)
		for (int s = 0; s < STEP_N; s++)
			if (x->l[u][s].unit != LU_NONE)
				return 0;
	return 1;
}

/* Reports each key of o not among names (NULL-terminated). */
static void only_keys(const json_t *o, const char *prefix, const char *const *names,
                      const char *allowed, struct err *e)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)o, key, v)
	{
		int known = 0;
		(void)v;
		for (int i = 0; names[i]; i++)
			known |= strcmp(names[i], key) == 0;
		if (!known)
			err_field(e, prefix, "unknown_field", "%s: no field '%.40s'; allowed: %s",
			          prefix, key, allowed);
	}
}

static void one_limit(const json_t *v, const char *path, struct case_limit *l, struct err *e)
{
	static const char *const keys[] = {"amount", "unit", NULL};
	const json_t *amount, *unit;
	char field[160];

	l->amount = 0;
	l->unit = LU_NONE;
	if (!v || json_is_null(v))
		return;
	if (!json_is_object(v)) {
		err_field(e, path, "wrong_type", "%s: must be an object {amount, unit} or null",
		          path);
		return;
	}
	only_keys(v, path, keys, "amount, unit", e);
	amount = json_object_get(v, "amount");
	unit = json_object_get(v, "unit");
	snprintf(field, sizeof(field), "%s.unit", path);
	if (!unit) {
		err_field(e, field, "required", "%s: is required (%s)", field, limit_units_list);
		return;
	}
	if (!json_is_string(unit) || limit_unit_parse(json_string_value(unit), &l->unit)) {
		err_field(e, field, "invalid_enum", "%s: must be one of %s", field,
		          limit_units_list);
		return;
	}
	snprintf(field, sizeof(field), "%s.amount", path);
	if (!amount) {
		err_field(e, field, "required", "%s: is required (a whole number)", field);
	} else if (!json_is_integer(amount)) {
		err_field(e, field, "wrong_type", "%s: must be a whole number", field);
	} else if (json_integer_value(amount) < 1 ||
	           json_integer_value(amount) > limit_max(l->unit)) {
		err_field(e, field, "out_of_range", "%s: must be from 1 to %d %s", field,
		          limit_max(l->unit), limit_unit_name(l->unit));
	} else {
		l->amount = (int)json_integer_value(amount);
		return;
	}
	l->unit = LU_NONE;
}

int case_limits_from_json(const json_t *v, struct case_limits *x, struct err *e)
{
	static const char *const top[] = {"limits", "site_check", NULL};
	static const char *const steps[] = {"dispatch", "first_reply", "resolution", NULL};
	const json_t *limits, *site;
	int before = e->nfields;

	case_limits_init(x);
	if (!json_is_object(v)) {
		err_field(e, "limits", "wrong_type",
		          "the body must be an object {limits, site_check}");
		return -1;
	}
	only_keys(v, "limits", top, "limits, site_check", e);
	site = json_object_get(v, "site_check");
	if (site && !json_is_boolean(site))
		err_field(e, "site_check", "wrong_type", "site_check: must be true or false");
	else
		x->site_check = site && json_is_true(site);
	limits = json_object_get(v, "limits");
	if (limits && !json_is_null(limits) && !json_is_object(limits)) {
		err_field(e, "limits", "wrong_type", "limits: must be an object of urgencies (%s)",
		          case_urgencies_list);
	} else if (limits && json_is_object(limits)) {
		const char *key;
		json_t *u;
		json_object_foreach((json_t *)limits, key, u)
		{
			enum case_urgency cu;
			char path[128];
			if (case_urgency_parse(key, &cu)) {
				err_field(e, "limits", "invalid_enum",
				          "limits: '%.30s' is no urgency; allowed: %s", key,
				          case_urgencies_list);
				continue;
			}
			snprintf(path, sizeof(path), "limits.%s", key);
			if (json_is_null(u))
				continue;
			if (!json_is_object(u)) {
				err_field(e, path, "wrong_type",
				          "%s: must be an object of steps (dispatch, first_reply, "
				          "resolution)",
				          path);
				continue;
			}
			only_keys(u, path, steps, "dispatch, first_reply, resolution", e);
			for (int s = 0; s < STEP_N; s++) {
				char sp[144];
				snprintf(sp, sizeof(sp), "%s.%s", path, step_names[s]);
				one_limit(json_object_get(u, step_names[s]), sp, &x->l[cu][s], e);
			}
		}
	}
	return e->nfields > before || e->kind != ERR_NONE ? -1 : 0;
}

void case_limits_to_json(const struct case_limits *x, struct buf *out)
{
	buf_adds(out, "{\"limits\":{");
	for (int u = 0; u < CU_N; u++) {
		buf_printf(out, "%s\"%s\":{", u ? "," : "", urgency_names[u]);
		for (int s = 0; s < STEP_N; s++) {
			const struct case_limit *l = &x->l[u][s];
			buf_printf(out, "%s\"%s\":", s ? "," : "", step_names[s]);
			if (l->unit == LU_NONE)
				buf_adds(out, "null");
			else
				buf_printf(out, "{\"amount\":%d,\"unit\":\"%s\"}", l->amount,
				           limit_unit_name(l->unit));
		}
		buf_addc(out, '}');
	}
	buf_printf(out, "},\"site_check\":%s}", x->site_check ? "true" : "false");
}

/* ------------------------------------------------------------------ */
/* Working time                                                         */

#define TZ_OFFSET (8 * 3600)
/* Five years of days: no limit reaches further (a year at most), so a
 * walk that does is a calendar gone wrong, not a deadline. */
#define HORIZON_DAYS (5 * 366)

void work_calendar_init(struct work_calendar *c)
{
	c->n = 0;
}

static int find_date(const struct work_calendar *c, long day)
{
	int lo = 0, hi = c->n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (c->d[mid].day == day)
			return mid;
		if (c->d[mid].day < day)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -(lo + 1);
}

int work_calendar_put(struct work_calendar *c, long day, int workday)
{
	int i = find_date(c, day);

	if (i < 0) {
		if (c->n >= WORK_CAL_MAX)
			return -1;
		i = -i - 1;
		memmove(&c->d[i + 1], &c->d[i], (size_t)(c->n - i) * sizeof(c->d[0]));
		c->n++;
	}
	c->d[i].day = (int32_t)day;
	c->d[i].workday = workday != 0;
	return 0;
}

/* Division rounding down, for instants before 1970 as well. */
static long floor_div(long long a, long b)
{
	return (long)(a >= 0 ? a / b : -((-a + b - 1) / b));
}

long work_day_of(time_t t)
{
	return floor_div((long long)t + TZ_OFFSET, 86400);
}

time_t work_day_at(long day, int minute)
{
	return (time_t)day * 86400 - TZ_OFFSET + (time_t)minute * 60;
}

int work_is_day(const struct work_calendar *c, long day)
{
	int i = c ? find_date(c, day) : -1;

	if (i >= 0)
		return c->d[i].workday;
	return hours_weekday(day) < 5;
}

/* The working spans of a day, as instants. */
static int day_spans(const struct work_calendar *c, long day, time_t span[2][2])
{
	if (!work_is_day(c, day))
		return 0;
	span[0][0] = work_day_at(day, WORK_DAY_OPEN1);
	span[0][1] = work_day_at(day, WORK_DAY_CLOSE1);
	span[1][0] = work_day_at(day, WORK_DAY_OPEN2);
	span[1][1] = work_day_at(day, WORK_DAY_CLOSE2);
	return 2;
}

time_t work_add_minutes(const struct work_calendar *c, time_t t, long minutes)
{
	long long left = (long long)minutes * 60;
	long day = work_day_of(t);

	if (minutes <= 0)
		return t;
	for (int k = 0; k < HORIZON_DAYS; k++, day++) {
		time_t span[2][2];
		int n = day_spans(c, day, span);
		for (int i = 0; i < n; i++) {
			time_t from = span[i][0] > t ? span[i][0] : t;
			if (span[i][1] <= from)
				continue;
			if (left <= span[i][1] - from)
				return from + (time_t)left;
			left -= span[i][1] - from;
		}
	}
	return -1;
}

long work_minutes_between(const struct work_calendar *c, time_t a, time_t b)
{
	long long secs = 0;
	long day, last;

	if (b <= a)
		return 0;
	day = work_day_of(a);
	last = work_day_of(b);
	/* A stop longer than the horizon counts up to it: a case is not
	 * parked for five years. */
	if (last - day > HORIZON_DAYS)
		last = day + HORIZON_DAYS;
	for (; day <= last; day++) {
		time_t span[2][2];
		int n = day_spans(c, day, span);
		for (int i = 0; i < n; i++) {
			time_t from = span[i][0] > a ? span[i][0] : a;
			time_t to = span[i][1] < b ? span[i][1] : b;
			if (to > from)
				secs += to - from;
		}
	}
	return (long)(secs / 60);
}

time_t work_add_days(const struct work_calendar *c, time_t t, int n)
{
	long day = work_day_of(t);

	if (n <= 0)
		return t;
	for (int k = 0; k < HORIZON_DAYS; k++) {
		day++;
		if (work_is_day(c, day) && --n == 0)
			return work_day_at(day, WORK_DAY_CLOSE2);
	}
	return -1;
}

time_t case_limit_due(const struct work_calendar *c, time_t t, const struct case_limit *l)
{
	if (l->amount <= 0 || l->amount > limit_max(l->unit))
		return -1;
	switch (l->unit) {
	case LU_WORKING_DAYS:
		return work_add_days(c, t, l->amount);
	case LU_WORKING_HOURS:
		return work_add_minutes(c, t, (long)l->amount * 60);
	case LU_HOURS:
		return t + (time_t)l->amount * 3600;
	case LU_NONE:
		break;
	}
	return -1;
}

time_t case_limit_shift(const struct work_calendar *c, time_t due, enum limit_unit unit,
                        time_t from, time_t to)
{
	time_t moved;

	if (to <= from)
		return due;
	if (unit == LU_HOURS || unit == LU_NONE)
		return due + (to - from);
	/* The working time the case stood still, added after the old
	 * deadline: what was left of the limit is left again. */
	moved = work_add_minutes(c, due, work_minutes_between(c, from, to));
	return moved < 0 ? due + (to - from) : moved;
}

/* The index of day among y's dates, or -(where it would go) - 1. */
static int year_find(const struct work_year *y, long day)
{
	for (int i = 0; i < y->n; i++) {
		if (y->d[i].day == day)
			return i;
		if (y->d[i].day > day)
			return -i - 1;
	}
	return -y->n - 1;
}

int work_year_from_json(const json_t *v, int year, struct work_year *y, struct err *e)
{
	static const char *const top[] = {"year", "days", NULL};
	static const char *const keys[] = {"date", "kind", "name", NULL};
	const json_t *days, *named;
	size_t i;
	json_t *d;
	int before = e->nfields;

	y->year = year;
	y->n = 0;
	if (!json_is_object(v)) {
		err_field(e, "days", "wrong_type", "the body must be an object {days: [...]}");
		return -1;
	}
	only_keys(v, "days", top, "year, days", e);
	/* What GET answers may be sent back: its year, if given, is the
	 * path's. */
	named = json_object_get(v, "year");
	if (named && (!json_is_integer(named) || json_integer_value(named) != year))
		err_field(e, "year", "out_of_range", "year: must be %d, the year of the path",
		          year);
	days = json_object_get(v, "days");
	if (!days) {
		err_field(e, "days", "required", "days: is required (a list of dates)");
		return -1;
	}
	if (!json_is_array(days)) {
		err_field(e, "days", "wrong_type", "days: must be a list of {date, kind, name}");
		return -1;
	}
	if (json_array_size(days) > WORK_YEAR_MAX) {
		err_field(e, "days", "too_many", "days: at most %d dates a year", WORK_YEAR_MAX);
		return -1;
	}
	json_array_foreach(days, i, d)
	{
		char path[32], field[48];
		const json_t *date, *kind, *name;
		const char *ds = NULL, *ks, *ns = "";
		long day = 0;
		int workday = 0, bad = 0, at;

		snprintf(path, sizeof(path), "days[%zu]", i);
		if (!json_is_object(d)) {
			err_field(e, path, "wrong_type", "%s: must be an object {date, kind, name}",
			          path);
			continue;
		}
		only_keys(d, path, keys, "date, kind, name", e);
		date = json_object_get(d, "date");
		kind = json_object_get(d, "kind");
		name = json_object_get(d, "name");
		snprintf(field, sizeof(field), "%s.date", path);
		if (!date) {
			err_field(e, field, "required", "%s: is required (YYYY-MM-DD)", field);
			bad = 1;
		} else if (!json_is_string(date) || !hours_date_valid(json_string_value(date))) {
			err_field(e, field, "invalid_date", "%s: must be a date YYYY-MM-DD", field);
			bad = 1;
		} else if (atoi(ds = json_string_value(date)) != year) {
			err_field(e, field, "invalid_date", "%s: %s is not in %d", field, ds, year);
			bad = 1;
		} else {
			day = hours_date_days(ds);
			if (year_find(y, day) >= 0) {
				err_field(e, field, "invalid_date", "%s: %s is given twice", field,
				          ds);
				bad = 1;
			}
		}
		snprintf(field, sizeof(field), "%s.kind", path);
		ks = json_is_string(kind) ? json_string_value(kind) : NULL;
		if (!kind) {
			err_field(e, field, "required", "%s: is required (holiday or workday)",
			          field);
			bad = 1;
		} else if (!ks || (strcmp(ks, "holiday") && strcmp(ks, "workday"))) {
			err_field(e, field, "invalid_enum", "%s: must be holiday or workday",
			          field);
			bad = 1;
		} else {
			workday = strcmp(ks, "workday") == 0;
			if (workday && !bad && hours_weekday(day) < 5) {
				err_field(e, field, "invalid_enum",
				          "%s: %s is a weekday, a working day anyway; a workday "
				          "names a Saturday or Sunday worked",
				          field, ds);
				bad = 1;
			}
		}
		snprintf(field, sizeof(field), "%s.name", path);
		if (name && !json_is_null(name)) {
			size_t chars = 0;
			if (!json_is_string(name)) {
				err_field(e, field, "wrong_type", "%s: must be a text", field);
				bad = 1;
			} else {
				ns = json_string_value(name);
				for (const unsigned char *p = (const unsigned char *)ns; *p; p++)
					chars += (*p & 0xC0) != 0x80;
				if (chars > WORK_NAME_MAX || strlen(ns) >= sizeof(y->d[0].name)) {
					err_field(e, field, "too_long",
					          "%s: must be at most %d characters", field,
					          WORK_NAME_MAX);
					bad = 1;
				}
			}
		}
		if (bad || (at = year_find(y, day)) >= 0)
			continue;
		at = -at - 1;
		memmove(&y->d[at + 1], &y->d[at], (size_t)(y->n - at) * sizeof(y->d[0]));
		y->d[at].day = day;
		y->d[at].workday = workday;
		snprintf(y->d[at].name, sizeof(y->d[at].name), "%s", ns);
		y->n++;
	}
	return e->nfields > before || e->kind != ERR_NONE ? -1 : 0;
}

void work_year_to_json(const struct work_year *y, struct buf *out)
{
	buf_printf(out, "{\"year\":%d,\"days\":[", y->year);
	for (int i = 0; i < y->n; i++) {
		char date[11];
		hours_days_date(y->d[i].day, date);
		buf_printf(out, "%s{\"date\":\"%s\",\"kind\":\"%s\",\"name\":", i ? "," : "", date,
		           y->d[i].workday ? "workday" : "holiday");
		buf_json_str(out, y->d[i].name);
		buf_addc(out, '}');
	}
	buf_adds(out, "]}");
}

int case_time_parse(const char *s, time_t *t)
{
	char date[11];
	int h, m, sec, n = 0;

	if (!s || strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z')
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!hours_date_valid(date) || sscanf(s + 11, "%2d:%2d:%2dZ%n", &h, &m, &sec, &n) != 3 ||
	    n != 9 || h > 23 || m > 59 || sec > 59 || h < 0 || m < 0 || sec < 0)
		return -1;
	*t = (time_t)hours_date_days(date) * 86400 + h * 3600 + m * 60 + sec;
	return 0;
}

void case_time_format(time_t t, char out[21])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
