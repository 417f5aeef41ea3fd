/*
 * Events: salons, roundtables, classes and alliance meetings, with their
 * organiser, time, place, invitations, replies, attendance, agenda
 * (agenda.h) and minutes.  The rules of a whole event and of who may run
 * or read one live here, free of HTTP and SQL (tests/unit/test_event.c);
 * the JSON is read at the edge (src/api/events.c).
 *
 * Times are the town's wall clock (Asia/Shanghai, +08:00 all year),
 * YYYY-MM-DDTHH:MM, as people set and read them; the quarter an event
 * counts for is that of its start.
 */
#ifndef QY_EVENT_H
#define QY_EVENT_H

#include <stdint.h>

#include "../util/err.h"
#include "access.h"

#define EVT_TITLE_MAX    100 /* characters */
#define EVT_DESC_MAX     2000
#define EVT_PLACE_MAX    200
#define EVT_MINUTES_MAX  4000
#define EVT_DECISION_MAX 2000
#define EVT_NOTE_MAX     200
#define EVT_MAX_INVITED  1000 /* enterprises an event invites */
#define EVT_MAX_DEPTS    50
#define EVT_MAX_ITEMS    60 /* an agenda longer than this is no agenda */
#define EVT_DRAFT_ITEMS  20 /* what a draft keeps */

enum evt_organiser { EVT_ORG_CLUSTER = 0, EVT_ORG_ORGANISATION, EVT_ORG_ALLIANCE };
const char *event_organiser_name(enum evt_organiser o);
int event_organiser_parse(const char *s, enum evt_organiser *out);
extern const char event_organisers_list[];

enum evt_state { EVT_PLANNED = 0, EVT_HELD, EVT_CANCELLED };
const char *event_state_name(enum evt_state s);
int event_state_parse(const char *s, enum evt_state *out);

enum evt_reply { EVT_REPLY_NONE = 0, EVT_COMING, EVT_NOT_COMING };
const char *event_reply_name(enum evt_reply r); /* NULL for none */
int event_reply_parse(const char *s, enum evt_reply *out);

/* A kind's code: lower-case letters, digits and '_', 1 to 32. */
int event_kind_code_valid(const char *s);

struct event {
	int64_t id, version;
	char uid[80];
	char kind[33];
	char title[4 * EVT_TITLE_MAX + 1];
	char description[4 * EVT_DESC_MAX + 1];
	enum evt_organiser organiser;
	int64_t organiser_id;
	int64_t cluster_id;              /* the cluster it counts for; 0: none (an alliance's) */
	char starts_at[17], ends_at[17]; /* YYYY-MM-DDTHH:MM */
	char quarter[8];                 /* YYYY-Qn */
	char place[4 * EVT_PLACE_MAX + 1];
	enum evt_state state;
	int64_t jurisdiction_id, district_id;
	int64_t created_by;
	char created_at[21], updated_at[21];
};

/* 1 when s is a wall-clock time YYYY-MM-DDTHH:MM of a real day, years
 * 1900..2100. */
int event_time_valid(const char *s);
/* The quarter "YYYY-Qn" of such a time. */
void event_quarter(const char *time, char out[8]);
/* The quarter of a date or time that follows q ("2024-Q4" -> "2025-Q1"). */
void event_quarter_next(const char *q, char out[8]);
/*
 * The record's own rules, each failure a field error: both times of that
 * form (invalid_time), the end after the start (ends_before_start: an
 * event ending before, or as, it starts), the title present.  Sets the
 * quarter.  -1 when one failed.
 */
int event_validate(struct event *e, struct err *err);

/*
 * Who may do what.  An event is run (created, changed, its agenda built,
 * its minutes kept) by admins and officers inside their jurisdictions and
 * by the secretary of the cluster it counts for; it is read by those, by
 * the contacts of the enterprises it invites and by the handlers of the
 * departments it invites.  Grid workers see none: their work is the
 * visit, and an invitation reaches them through their enterprises.
 */
int event_may_create(const struct principal *p, int64_t cluster_id);
int event_may_run(const struct principal *p, const struct event *e);

#endif
