/*
 * The store's events (sqlite_event.c): events with their invitations,
 * replies, attendance, agenda items and the cases these are about, the
 * kinds an event may be, the open cases an agenda is drafted from, and
 * the calendar tokens of feeds.  Part of the store interface, kept apart
 * from store.h as the events' own.
 */
#ifndef QY_STORE_EVENT_H
#define QY_STORE_EVENT_H

#include "../domain/event.h"
#include "store.h"

struct event_kind {
	char code[33];
	char name_zh[4 * 50 + 1], name_en[4 * 80 + 1];
	int active;
};
typedef int (*event_kind_fn)(void *ctx, const struct event_kind *k);
int store_event_kinds(struct store *st, event_kind_fn fn, void *ctx, struct err *err);
/* ERR_NOT_FOUND for an unknown code. */
int store_event_kind_get(struct store *st, const char *code, struct event_kind *k, struct err *err);
/* Adds or renames a kind. */
int store_event_kind_put(struct store *st, const struct event_kind *k, struct err *err);

/* Inserts (id 0: id, uid, version 1 and the times set on return) or
 * updates the event if its version is still expected_version (else
 * ERR_STALE), bumping it. */
int store_event_put(struct store *st, struct event *e, int64_t expected_version, struct err *err);
int store_event_get(struct store *st, int64_t id, struct event *e, struct err *err);

struct event_filter {
	const char *from, *to; /* starts_at in [from, to), either NULL */
	int by_organiser;
	enum evt_organiser organiser;
	int64_t organiser_id;
	int64_t cluster_id;     /* counts for this cluster */
	int64_t enterprise_id;  /* invites this enterprise */
	int64_t department_id;  /* invites this department */
	const char *department; /* invites the department of this name */
	const char *kind;
	int64_t after_id; /* the page after this event (order: starts_at, id) */
	const char *after_start;
	int limit; /* 0: no limit */
};
typedef int (*event_fn)(void *ctx, const struct event *e);
int store_events(struct store *st, const struct event_filter *f, event_fn fn, void *ctx,
                 struct err *err);
/* The latest event of the same organiser that started before e and was
 * not cancelled; ERR_NOT_FOUND when there is none. */
int store_event_previous(struct store *st, const struct event *e, struct event *prev,
                         struct err *err);
/* The quarters in which events counting for the cluster were held or are
 * planned (not cancelled), each once, in order. */
typedef int (*quarter_fn)(void *ctx, const char *quarter);
int store_event_quarters(struct store *st, int64_t cluster_id, quarter_fn fn, void *ctx,
                         struct err *err);

/* ---- invitations, replies, attendance ---- */
struct event_invitee {
	int64_t enterprise_id, cluster_id;
	char name_zh[401], name_en[401];
	char status[16]; /* the enterprise's: active, moved_out, closed */
	enum evt_reply reply;
	char reply_note[4 * EVT_NOTE_MAX + 1];
	char replied_at[21];
	int attended;
};
typedef int (*invitee_fn)(void *ctx, const struct event_invitee *v);
int store_event_invitees(struct store *st, int64_t event_id, invitee_fn fn, void *ctx,
                         struct err *err);
/* Makes the invited enterprises exactly ids[0..n): those dropped lose
 * their reply, those kept keep it. */
int store_event_invite(struct store *st, const struct event *e, const int64_t *ids, int n,
                       struct err *err);
/* ERR_NOT_FOUND when the enterprise is not invited. */
int store_event_reply(struct store *st, int64_t event_id, int64_t enterprise_id,
                      enum evt_reply reply, const char *note, int64_t user_id, struct err *err);

struct event_dept {
	int64_t department_id;
	char name[101], name_en[201];
	char why[8]; /* invited, agenda */
	int attended;
};
typedef int (*event_dept_fn)(void *ctx, const struct event_dept *d);
int store_event_depts(struct store *st, int64_t event_id, event_dept_fn fn, void *ctx,
                      struct err *err);
/* Makes the departments invited by hand exactly ids[0..n); those an
 * agenda item needs stay. */
int store_event_depts_set(struct store *st, const struct event *e, const int64_t *ids, int n,
                          struct err *err);
/* Invites a department an agenda item needs (kept if already invited). */
int store_event_dept_need(struct store *st, const struct event *e, int64_t dept_id,
                          struct err *err);
/* Attendance: exactly these enterprises and departments were there. */
int store_event_attend(struct store *st, int64_t event_id, const int64_t *ents, int nents,
                       const int64_t *depts, int ndepts, struct err *err);

/* ---- the agenda ---- */
struct event_item {
	int64_t id, event_id;
	int pos;
	char source[8]; /* drafted, added, raised */
	char reason[8]; /* overdue, shared, age, or "" */
	char title[4 * EVT_TITLE_MAX + 1];
	int64_t department_id; /* 0: none */
	char department[101], department_en[201];
	char minutes[4 * EVT_MINUTES_MAX + 1];
	char decision[4 * EVT_DECISION_MAX + 1];
	int64_t district_id;
};
typedef int (*event_item_fn)(void *ctx, const struct event_item *it);
/* In agenda order. */
int store_event_items(struct store *st, int64_t event_id, event_item_fn fn, void *ctx,
                      struct err *err);
/* One item of the event; ERR_NOT_FOUND when the event has none of id. */
int store_event_item_get(struct store *st, int64_t event_id, int64_t id, struct event_item *it,
                         struct err *err);
/* Adds the item at the end of the agenda (pos set on return). */
int store_event_item_add(struct store *st, struct event_item *it, struct err *err);
int store_event_item_update(struct store *st, const struct event_item *it, struct err *err);
int store_event_item_delete(struct store *st, int64_t event_id, int64_t id, struct err *err);
int store_event_item_case_add(struct store *st, const struct event_item *it, int64_t case_id,
                              struct err *err);
/* Drops the drafted items nobody wrote minutes or a decision for. */
int store_event_drafted_clear(struct store *st, int64_t event_id, struct err *err);

/* A case an item is about, with what its progress shows and what the
 * rules of who may read it need. */
struct event_case {
	int64_t item_id, case_id;
	char tracking_code[11];
	char kind[16], state[20];
	char deadline[21], created_at[21], resolved_at[21], closed_at[21];
	char excerpt[4 * 80 + 1];
	int64_t enterprise_id, cluster_id, grid_id, created_by, jurisdiction_id, merged_into;
	char enterprise_zh[401];
	int64_t department_id;
	char department[101];
	int64_t transfer_to; /* a transfer waiting for an answer: its receiver */
	char enterprise_en[401], department_en[201]; /* "" when there is none */
};
typedef int (*event_case_fn)(void *ctx, const struct event_case *c);
/* Every case of every item of the event, by item then case. */
int store_event_cases(struct store *st, int64_t event_id, event_case_fn fn, void *ctx,
                      struct err *err);

/*
 * The open cases of an enterprise (not resolved, closed, rejected, not
 * adopted, implemented, merged or erased), for drafting an agenda: of
 * struct event_case what ranking them and deciding who may see them
 * needs (id, state, deadline, created_at, enterprise, cluster, grid,
 * created_by, jurisdiction, department, transfer_to; not the tracking
 * code, kind, excerpt or times of resolution), and the similarity
 * shingles as stored.  Times as Unix seconds in created and deadline.
 */
struct event_open_case {
	struct event_case c;
	int64_t created, deadline;
	const uint32_t *shingles;
	int nshingles;
	int located;
	double lon, lat;
};
typedef int (*open_case_fn)(void *ctx, const struct event_open_case *c);
int store_event_open_cases(struct store *st, int64_t enterprise_id, open_case_fn fn, void *ctx,
                           struct err *err);
/* The first 80 characters of a case's text. */
int store_event_case_excerpt(struct store *st, int64_t case_id, char *out, size_t n,
                             struct err *err);

/* ---- calendar tokens ---- */
/* Keeps the token's hash as the user's one calendar token. */
int store_calendar_token_set(struct store *st, int64_t user_id, const char *hash, struct err *err);
/* The user of a token; ERR_UNAUTHORIZED for an unknown one. */
int store_calendar_token_user(struct store *st, const char *hash, int64_t *user_id,
                              struct err *err);

#endif
