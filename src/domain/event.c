/*
 * Events' own rules (event.h).
 */
#include "event.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const organisers[] = {"cluster", "organisation", "alliance"};
const char event_organisers_list[] = "cluster, organisation, alliance";
static const char *const states[] = {"planned", "held", "cancelled"};
static const char *const replies[] = {NULL, "coming", "not_coming"};

const char *event_organiser_name(enum evt_organiser o)
{
	return (unsigned)o < 3 ? organisers[o] : "cluster";
}

int event_organiser_parse(const char *s, enum evt_organiser *out)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(s, organisers[i]) == 0) {
			*out = (enum evt_organiser)i;
			return 0;
		}
	return -1;
}

const char *event_state_name(enum evt_state s)
{
	return (unsigned)s < 3 ? states[s] : "planned";
}

int event_state_parse(const char *s, enum evt_state *out)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(s, states[i]) == 0) {
			*out = (enum evt_state)i;
			return 0;
		}
	return -1;
}

const char *event_reply_name(enum evt_reply r)
{
	return (unsigned)r < 3 ? replies[r] : NULL;
}

int event_reply_parse(const char *s, enum evt_reply *out)
{
	for (int i = 1; s && i < 3; i++)
		if (strcmp(s, replies[i]) == 0) {
			*out = (enum evt_reply)i;
			return 0;
		}
	return -1;
}

int event_kind_code_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int event_time_valid(const char *s)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, hh, mm, leap;

	if (!s || strlen(s) != 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':')
		return 0;
	y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
	hh = num(s + 11, 2), mm = num(s + 14, 2);
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || hh < 0 || hh > 23 || mm < 0 ||
	    mm > 59)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

void event_quarter(const char *time, char out[8])
{
	int y = num(time, 4), m = num(time + 5, 2);

	snprintf(out, 8, "%04d-Q%d", y < 0 ? 0 : y % 10000, m < 1 || m > 12 ? 1 : (m - 1) / 3 + 1);
}

void event_quarter_next(const char *q, char out[8])
{
	int y = num(q, 4), n = q[6] - '0';

	if (n >= 4)
		y++, n = 1;
	else
		n++;
	snprintf(out, 8, "%04d-Q%d", y < 0 ? 0 : y % 10000, n < 1 ? 1 : n);
}

int event_validate(struct event *e, struct err *err)
{
	int bad = 0;

	if (!e->title[0]) {
		err_field(err, "title", "required", "title: is required (text)");
		bad = 1;
	}
	if (!event_time_valid(e->starts_at)) {
		err_field(err, "starts_at", "invalid_time",
		          "starts_at: '%.20s' must be the town's time YYYY-MM-DDTHH:MM",
		          e->starts_at);
		bad = 1;
	}
	if (!event_time_valid(e->ends_at)) {
		err_field(err, "ends_at", "invalid_time",
		          "ends_at: '%.20s' must be the town's time YYYY-MM-DDTHH:MM", e->ends_at);
		bad = 1;
	}
	if (!bad && strcmp(e->ends_at, e->starts_at) <= 0) {
		/* Same form, so the text compares as the time does. */
		err_field(err, "ends_at", "ends_before_start",
		          "ends_at: %s is not after starts_at %s: an event ends after it starts",
		          e->ends_at, e->starts_at);
		bad = 1;
	}
	if (bad) {
		err->kind = ERR_INVALID;
		return -1;
	}
	event_quarter(e->starts_at, e->quarter);
	return 0;
}

int event_may_create(const struct principal *p, int64_t cluster_id)
{
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		return 1;
	case ROLE_SECRETARY:
		return p->cluster_id > 0 && cluster_id == p->cluster_id;
	default:
		return 0;
	}
}

int event_may_run(const struct principal *p, const struct event *e)
{
	return event_may_create(p, e->cluster_id);
}
