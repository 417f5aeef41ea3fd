/*
 * Cases: channels, collection points, deadlines and who may do what.
 * Pure functions, so every rule is unit-tested without a server.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "case.h"

static const char *const channels[] = {
    "console",     "web",           "open311", "grid_visit",  "event",
    "workstation", "contact_point", "mailbox", "residential", "street_reception",
    "hotline",     "card", /* the QR code of an enterprise's service card */
    "enterprise",          /* raised by the enterprise itself, signed in */
};
const char case_channels_list[] = "console, web, open311, grid_visit, event, workstation, "
                                  "contact_point, mailbox, residential, street_reception, hotline, "
                                  "card, enterprise";

/* A point's type, and the channel its cases came through: salons,
 * roundtables and party classes are events. */
static const struct {
	const char *type, *channel;
} point_types[] = {
    {"workstation", "workstation"},
    {"contact_point", "contact_point"},
    {"mailbox", "mailbox"},
    {"residential", "residential"},
    {"street_reception", "street_reception"},
    {"salon", "event"},
    {"roundtable", "event"},
    {"party_class", "event"},
};
const char case_point_types_list[] =
    "workstation, contact_point, mailbox, residential, street_reception, salon, roundtable, "
    "party_class";

int case_channel_valid(const char *s)
{
	for (size_t i = 0; s && i < sizeof(channels) / sizeof(channels[0]); i++)
		if (strcmp(s, channels[i]) == 0)
			return 1;
	return 0;
}

const char *case_point_channel(const char *type)
{
	for (size_t i = 0; type && i < sizeof(point_types) / sizeof(point_types[0]); i++)
		if (strcmp(type, point_types[i].type) == 0)
			return point_types[i].channel;
	return NULL;
}

int case_point_type_valid(const char *s)
{
	return case_point_channel(s) != NULL;
}

/* As residents type them: digits with an optional leading +, dashes and
 * spaces; the catalogue's phones and e-mail addresses are checked by the
 * same rules. */
int case_phone_valid(const char *s)
{
	int digits = 0;

	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!(*p == '+' && p == s) && *p != '-' && *p != ' ')
			return 0;
	}
	return digits >= 5 && digits <= 20;
}

int case_email_valid(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return 0;
	for (const char *p = s; *p; p++)
		if (isspace((unsigned char)*p) || *p == '<' || *p == '>' || *p == ',')
			return 0;
	return at[1] != '.' && s[strlen(s) - 1] != '.';
}

/* Reads the one form times are stored in; timegm() because they are UTC. */
static int parse_utc(const char *s, time_t *t)
{
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (!s || strlen(s) != 20 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != 20)
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*t = timegm(&tm);
	return 0;
}

int case_deadline(const char *created, int hours, char out[21])
{
	time_t t;
	struct tm tm;

	if (parse_utc(created, &t))
		return -1;
	t += (time_t)hours * 3600;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

int case_days_between(const char *since, const char *now)
{
	time_t a, b;

	if (parse_utc(since, &a) || parse_utc(now, &b))
		return -1;
	if (b < a)
		return 0;
	return (int)((b - a) / 86400);
}

static int town_wide(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER;
}

static int my_department(const struct principal *p, const struct case_scope *s)
{
	return p->role == ROLE_HANDLER && p->department[0] && s->department &&
	       strcmp(p->department, s->department) == 0;
}

int case_may_read(const struct principal *p, const struct case_scope *s)
{
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		return 1;
	case ROLE_HANDLER:
		return my_department(p, s);
	case ROLE_ENTERPRISE:
		return p->enterprise_id > 0 && s->enterprise_id == p->enterprise_id;
	case ROLE_SECRETARY:
		/* The salon's agenda: the problems of the cluster's firms. */
		return p->cluster_id > 0 && s->cluster_id == p->cluster_id;
	case ROLE_GRID_WORKER:
		return s->in_my_grid || (p->user_id && s->created_by == p->user_id);
	case ROLE_PUBLIC:
		break;
	}
	return 0;
}

int case_may_create(const struct principal *p, enum case_kind kind)
{
	/* It names its service, whose provider routes it: POST
	 * /services/{id}/request, not the form of a case. */
	if (kind == CASE_SERVICE_REQUEST)
		return 0;
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
	case ROLE_SECRETARY:
	case ROLE_GRID_WORKER:
		return 1;
	case ROLE_ENTERPRISE:
		/* An enterprise raises its own problems; suggestions and
		 * complaints are residents' and come through the public form. */
		return kind == CASE_PROBLEM && p->enterprise_id > 0;
	case ROLE_HANDLER:
	case ROLE_PUBLIC:
		break;
	}
	return 0;
}

int case_may_move(const struct principal *p, const struct case_scope *s, enum case_state to)
{
	switch (to) {
	case CS_ACCEPTED:
	case CS_REJECTED:
	case CS_ASSIGNED:
		/* Intake and dispatch are the officer's desk. */
		return town_wide(p);
	case CS_IN_PROGRESS:
	case CS_RESOLVED:
	case CS_UNDER_REVIEW:
	case CS_ADOPTED:
	case CS_NOT_ADOPTED:
	case CS_IMPLEMENTING:
	case CS_IMPLEMENTED:
	case CS_CLOSED:
		return town_wide(p) || my_department(p, s);
	case CS_SUBMITTED:
	case CS_REOPENED:
	case CS_NSTATES:
		break;
	}
	return 0;
}

int case_may_dispatch(const struct principal *p)
{
	return town_wide(p);
}

int case_may_reply(const struct principal *p, const struct case_scope *s)
{
	return town_wide(p) || my_department(p, s);
}

int case_sees_person(const struct principal *p, const struct case_scope *s)
{
	return my_department(p, s);
}

int case_may_rate(const struct principal *p, const struct case_scope *s)
{
	if (town_wide(p))
		return 1;
	return p->role == ROLE_ENTERPRISE && p->enterprise_id > 0 &&
	       s->enterprise_id == p->enterprise_id;
}
