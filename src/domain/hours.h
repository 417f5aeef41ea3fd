/*
 * Opening hours of a service: a weekly schedule and its exceptions, in
 * the time of Asia/Shanghai (UTC+8 all year: China has kept no daylight
 * saving time since 1991, so the offset is a constant and no time-zone
 * database is needed).
 *
 * The model follows the schedules of HSDS 3.0 (Open Referral): a weekly
 * rule names its days (byday: MO,TU,...) and one span opens_at-closes_at;
 * an exception covers the dates valid_from..valid_to and either closes
 * them (a public holiday) or opens them for a span of its own (a
 * weekend made a working day).  On a date that an exception covers the
 * exceptions decide alone; on any other date the weekly rules of its
 * weekday do.
 *
 * A span belongs to the day it opens.  closes_at before opens_at means
 * that it runs past midnight into the next day (22:00-02:00), so "open
 * now" at 01:00 looks at the spans of the day before as well; a holiday
 * closes the spans that open on it, not the night that began the day
 * before.  Times are HH:MM from 00:00 to 24:00; 24:00 only closes.
 *
 * Pure functions over a fixed-size struct, so every rule is unit-tested
 * without a server (tests/unit/test_hours.c).
 */
#ifndef QY_HOURS_H
#define QY_HOURS_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "../util/buf.h"
#include "../util/err.h"

#define HOURS_MAX_WEEKLY     28
#define HOURS_MAX_EXCEPTIONS 64
#define HOURS_NOTE_MAX       50  /* characters of an exception's description */
#define HOURS_MAX_DAYS       366 /* the longest range one exception covers */
#define HOURS_UTC_OFFSET     (8 * 3600)

struct hours_rule {
	unsigned days;     /* bit 0 Monday ... bit 6 Sunday */
	int opens, closes; /* minutes from midnight, 0..1440 */
};

struct hours_exception {
	char valid_from[11], valid_to[11]; /* YYYY-MM-DD, inclusive */
	int closed;
	int opens, closes; /* when not closed */
	char description[4 * HOURS_NOTE_MAX + 1];
};

struct hours {
	int nweekly;
	struct hours_rule weekly[HOURS_MAX_WEEKLY];
	int nexceptions;
	struct hours_exception exceptions[HOURS_MAX_EXCEPTIONS];
};

/* A span of one day, in minutes from its midnight; end may pass 1440. */
struct hours_span {
	int start, end;
};

void hours_init(struct hours *h);
/* 1 when no rule and no exception is known: hours unknown. */
int hours_empty(const struct hours *h);

/*
 * "HH:MM", hours 00-24 and minutes 00-59, exactly five characters; 24:00
 * only when allow_24 (a closing time).  Sets *minutes; -1 otherwise
 * (25:00, 12:60, 7:30, 24:30).
 */
int hours_time_parse(const char *s, int allow_24, int *minutes);
void hours_time_format(int minutes, char out[6]);
/* A date YYYY-MM-DD between 2000-01-01 and 2099-12-31 that exists. */
int hours_date_valid(const char *s);
/* Days since 1970-01-01 of a valid date; weekday 0 Monday .. 6 Sunday. */
long hours_date_days(const char *s);
int hours_weekday(long days);
void hours_days_date(long days, char out[11]);
/* "MO,TU" into a mask of days; -1 on an unknown or repeated day. */
int hours_byday_parse(const char *s, unsigned *days);
void hours_byday_format(unsigned days, char out[21]);

/*
 * Reads the hours from JSON: null or an object {"weekly": [...],
 * "exceptions": [...]} (each optional).  Every fault is added to e as a
 * field error named from prefix ("hours.weekly[2].closes_at") with its
 * rule: wrong_type, required, unknown_field, invalid_enum (a day),
 * invalid_time, empty_span (opens_at equal to closes_at), invalid_date,
 * before_since (valid_to before valid_from), out_of_range (a range longer
 * than a year), not_allowed (times on a closed exception), too_long,
 * too_many, hours_overlap (two spans of the week, or of one date, that
 * share a minute; a closed exception whose dates meet another's).
 * Returns 0, or -1 with at least one error added.
 */
int hours_from_json(const json_t *v, const char *prefix, struct hours *h, struct err *e);
/* The canonical JSON object of the hours (what hours_from_json reads). */
void hours_to_json(const struct hours *h, struct buf *out);
/* Reads hours stored as hours_to_json wrote them ("" is none). */
int hours_parse_text(const char *text, struct hours *h, struct err *e);

/*
 * The spans that open on the date of `days` (since 1970-01-01), from
 * the exceptions covering it or else the weekly rules of its weekday,
 * in order of opening, at most n of them; returns their number.  *exc
 * (may be NULL) gets the index of the first exception covering the date,
 * -1 when none does.
 */
int hours_day_spans(const struct hours *h, long days, struct hours_span *out, int n, int *exc);
/*
 * Whether the service is open at the instant t (seconds since the epoch,
 * UTC) in Asia/Shanghai: 1 open, 0 closed, -1 unknown (no hours).
 */
int hours_open_at(const struct hours *h, time_t t);

#endif
