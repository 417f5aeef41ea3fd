/*
 * The store: cases, their events, photos, people and search, webhooks and the outbox
 * (sqlite_case.c). Part of the store interface (store.h), which includes every such header; a
 * caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_CASE_H
#define QY_STORE_CASE_H

/* ---- cases ---- */
struct department_rec {
	int64_t id;
	char name[101];
	char name_en[201];
	int64_t jurisdiction_id; /* where it is */
};
typedef int (*department_fn)(void *ctx, const struct department_rec *d);
int store_departments(struct store *st, department_fn fn, void *ctx, struct err *err);
/* ERR_NOT_FOUND when there is none. */
int store_department_get(struct store *st, int64_t id, struct department_rec *d, struct err *err);
int store_department_add(struct store *st, struct department_rec *d, struct err *err);

struct category_rec {
	int64_t id;
	char code[41]; /* the Open311 service_code */
	char name_zh[201], name_en[201];
	char description[2001];
	char group_name[101];
	char keywords[401];
	int64_t department_id;
	char department[101]; /* its name */
	int deadline_hours;
	char attributes[8001]; /* Open311 attribute definitions, a JSON array */
	int active;
	int64_t jurisdiction_id; /* the level it is defined at; it serves the subtree */
};
/*
 * Reads the versions of the settings that route a case (categories and
 * their departments, the rules of places, limits, closing rules, the
 * working calendar) and of the jurisdiction tree, in one statement: for
 * the rest of the request's reads, the lookups of those may answer from
 * what this process read of them at the same versions.  A request that
 * reads several of them (an intake) calls it first; the tree's version
 * read is its hint too (store_jurisdiction_hint).  Inside a write it
 * does nothing.  A failure to read leaves every lookup to the database.
 */
void store_settings_hint(struct store *st);
typedef int (*category_fn)(void *ctx, const struct category_rec *c);
int store_categories(struct store *st, category_fn fn, void *ctx, struct err *err);
int store_category_get(struct store *st, int64_t id, struct category_rec *c, struct err *err);
/* By service code; ERR_NOT_FOUND when there is none. */
int store_category_by_code(struct store *st, const char *code, struct category_rec *c,
                           struct err *err);
int store_category_add(struct store *st, struct category_rec *c, struct err *err);

struct point_rec {
	int64_t id;
	char type[24];
	char name_zh[201], name_en[201];
	char street[101];
	char address[401];
	int located;
	double lon, lat;
	char keeper[201];
	char hours[201];
	int active;
	int64_t cases;           /* cases collected here */
	int64_t jurisdiction_id; /* where it is */
};
typedef int (*point_fn)(void *ctx, const struct point_rec *p);
int store_points(struct store *st, point_fn fn, void *ctx, struct err *err);
int store_point_get(struct store *st, int64_t id, struct point_rec *p, struct err *err);
int store_point_add(struct store *st, struct point_rec *p, struct err *err);
int store_point_update(struct store *st, const struct point_rec *p, struct err *err);

#define CASE_TEXT_MAX 4000 /* characters, as Open311's description */
struct case_rec {
	int64_t id, version;
	char tracking_code[11];
	char request_key[121]; /* "<caller>:<Idempotency-Key>" */
	enum case_kind kind;
	char channel[24];
	int64_t point_id;
	char point_name[201];
	int64_t category_id;
	char category_code[41];
	char category_zh[201], category_en[201];
	int64_t department_id;
	char department[101], department_en[201];
	char text[4 * CASE_TEXT_MAX + 1];
	char street[101];
	char address[401];
	char address_id[401]; /* Open311: a place's id in an addressing system */
	int located;
	double lon, lat;
	int64_t enterprise_id;
	char enterprise_name[4 * ENT_NAME_MAX + 1];
	char enterprise_en[4 * ENT_NAME_MAX + 1]; /* its English name, "" when it has none */
	int64_t cluster_id, grid_id;              /* the enterprise's, for scope */
	int64_t visit_id;
	int64_t created_by;
	char client[101];
	char media_url[1001];
	char attributes[4001]; /* Open311 attribute values, a JSON object */
	int public_;
	enum case_state state;
	int reopened;
	char deadline[21];
	char escalated_at[21];
	int64_t merged_into;
	char reply[4 * 2000 + 1];
	int rating; /* 0: not rated */
	char rating_note[4 * 500 + 1];
	char resolved_at[21], closed_at[21], erased_at[21];
	char created_at[21], updated_at[21];
	/* The jurisdiction it lies in and that one's district; a transfer
	 * accepted changes both (store_case_update writes the first and
	 * takes the second from the tree). */
	int64_t jurisdiction_id, district_id;
	/* Read only: the transfer waiting for an answer, id 0 when none. */
	struct transfer_rec transfer;
	/* A service request's service (kind CASE_SERVICE_REQUEST); 0 for
	 * every other case.  Its names are read only. */
	int64_t service_id;
	char service_zh[4 * SVC_NAME_MAX + 1], service_en[4 * SVC_NAME_MAX + 1];
	/* Its steps (case_limits.h): read with the case, written at intake
	 * and by the step functions of store_casereq.h. */
	struct case_steps steps;
	/* Intake only: the similarity shingles to store. */
	const uint32_t *shingles;
	int nshingles;
};
/* Personal data of the resident who raised a case, kept apart. */
struct case_person {
	char name[4 * 50 + 1];
	char phone[41];
	char email[201];
};
struct case_event {
	int64_t id, case_id, user_id;
	char at[21];
	char actor[101];
	char action[24]; /* intake, transition, assign, reply, merge, rate, reopen, escalate,
	                    erase, photo, deadline */
	char from_state[16], to_state[16];
	char note[4 * 2000 + 1];
	int public_;
	/* The facts of an entry the server words itself, a JSON object
	 * (src/domain/timeline.h), or NULL: a person's words alone, or a row
	 * written before the facts were kept. */
	const char *detail;
	/* Read back: the user's display name and role now, NULL for the
	 * public, the system or a user no longer there. */
	const char *actor_name, *actor_role;
};

/* Inserts the case (setting id, version, times), its person when any
 * field is set, and its intake event.  A request key seen before is
 * ERR_CONFLICT "duplicate_request" with *existing_id set. */
int store_case_insert(struct store *st, struct case_rec *c, const struct case_person *p,
                      const char *actor, int64_t *existing_id, struct err *err);
/* Inserts cs[0..n) as store_case_insert does each, in statements of many
 * rows; none may carry a request key (whose look comes first).  On an
 * error, what it wrote stays for the caller to roll back. */
int store_cases_insert(struct store *st, struct case_rec *const *cs,
                       const struct case_person *const *ps, const char *const *actors, int n,
                       struct err *err);
int store_case_get(struct store *st, int64_t id, struct case_rec *c, struct err *err);
int store_case_by_code(struct store *st, const char *code, struct case_rec *c, struct err *err);
int store_case_by_request_key(struct store *st, const char *key, int64_t *id, struct err *err);
/* ERR_NOT_FOUND when there are none (never given or erased). */
int store_case_person(struct store *st, int64_t id, struct case_person *p, struct err *err);
/* Writes the mutable fields (state, reopened, category, department,
 * deadline, escalated_at, merged_into, reply, rating, resolved/closed
 * times) if the version is still expected, bumping it; ERR_STALE
 * otherwise. */
int store_case_update(struct store *st, struct case_rec *c, int64_t expected_version,
                      struct err *err);
/* Adds ev; its id is not read back (the write may go with the next
 * statement, store_step_unread). */
int store_case_event_add(struct store *st, struct case_event *ev, struct err *err);
typedef int (*case_event_fn)(void *ctx, const struct case_event *ev);
int store_case_events(struct store *st, int64_t case_id, case_event_fn fn, void *ctx,
                      struct err *err);

/* Filters of a list of cases; zero values filter nothing. */
struct case_filter {
	const char *state; /* one state name */
	int open;          /* 1: open only, 2: final only */
	int overdue;       /* open and past the deadline at `now` */
	const char *now;
	const char *kind;
	int64_t department_id;
	const char *department; /* by name, for handlers */
	int64_t category_id;
	const char **category_codes; /* any of these (Open311), NULL-terminated */
	int64_t enterprise_id;
	int64_t cluster_id;
	int64_t grid_id;         /* enterprise placed in this grid or one inside it */
	const int64_t *grid_ids; /* enterprise in one of these, or created_by */
	int ngrid_ids;
	int64_t created_by;
	int64_t point_id;
	const char *street;
	const char *channel; /* this channel only */
	int public_only;
	const int64_t *ids; /* exactly these (Open311 service_request_id) */
	int nids;
	const char *since, *until; /* created_at in [since, until) */
	int64_t before_id;         /* cursor: ids below this */
	int oldest_first;
	int by_created; /* newest created first (Open311), else by id */
	/* With by_created and before_id: the cursor is the case (created_at,
	 * id) = (before_created, before_id), and the page lies below it. */
	const char *before_created;
	int limit;
	int offset;
	/* The cases lying in this subtree of jurisdictions; NULL or a zeroed
	 * scope, every one. */
	const struct jur_scope *scope;
};
typedef int (*case_fn)(void *ctx, const struct case_rec *c);
int store_cases(struct store *st, const struct case_filter *f, case_fn fn, void *ctx,
                struct err *err);
/* The cases merged into this one (their submitters follow it). */
int store_case_followers(struct store *st, int64_t id, id_fn fn, void *ctx, struct err *err);
/* Open cases past their deadline and not yet escalated. */
int store_cases_to_escalate(struct store *st, const char *now, int limit, id_fn fn, void *ctx,
                            struct err *err);
/* Cases closed before `before` whose personal data are still kept. */
int store_cases_to_erase(struct store *st, const char *before, int limit, id_fn fn, void *ctx,
                         struct err *err);
/* Deletes the case's person and photos and marks it erased. */
int store_case_erase(struct store *st, int64_t id, const char *now, struct err *err);
typedef int (*shingles_fn)(void *ctx, int64_t id, const uint32_t *sh, int n, int located,
                           double lon, double lat);
/* Every open, unmerged case's stored shingles, for the duplicate index. */
int store_case_shingles(struct store *st, shingles_fn fn, void *ctx, struct err *err);
/* One case as the duplicate index keeps it: fn is called when the case is
 * open (and not merged), *open says whether it was; an unknown id is not
 * open. */
int store_case_index_row(struct store *st, int64_t id, int *open, shingles_fn fn, void *ctx,
                         struct err *err);

struct case_photo {
	int64_t id, case_id;
	char type[16];
	int64_t size;
	const void *data; /* valid during the callback or until the next call */
	char created_at[21];
};
int store_case_photo_add(struct store *st, int64_t case_id, const char *type, const void *data,
                         size_t size, int64_t *id, struct err *err);
/* The photo's bytes are copied into out. */
int store_case_photo_get(struct store *st, int64_t case_id, int64_t photo_id, char type[16],
                         struct buf *out, struct err *err);
typedef int (*photo_fn)(void *ctx, const struct case_photo *p);
int store_case_photos(struct store *st, int64_t case_id, photo_fn fn, void *ctx, struct err *err);

/* Outcomes by department, category or month: how many closed on time,
 * how satisfied. */
struct case_stat {
	char key[201];
	int64_t total, open, overdue, finished, on_time, rated;
	double rating_sum;
};
typedef int (*case_stat_fn)(void *ctx, const struct case_stat *s);
int store_case_stats(struct store *st, const char *by, const char *now, case_stat_fn fn, void *ctx,
                     struct err *err);
/* The same over the cases lying in a scope (NULL: every one). */
int store_case_stats_in(struct store *st, const char *by, const char *now,
                        const struct jur_scope *scope, case_stat_fn fn, void *ctx, struct err *err);

/* Where a new case lies when nothing closer says: the jurisdiction of an
 * enterprise, of a grid (0 when there is none with the id). */
int store_case_enterprise_jurisdiction(struct store *st, int64_t enterprise_id, int64_t *jur,
                                       struct err *err);
int store_case_grid_jurisdiction(struct store *st, int64_t grid_id, int64_t *jur, struct err *err);
/* The department and time limit of a category for a case lying in
 * jurisdiction jur: the category_rules row of the nearest jurisdiction
 * on jur's path (jur itself, then up), or the category's own when none;
 * *ruled says which. */
int store_category_route(struct store *st, int64_t category_id, int64_t jur, int64_t *department_id,
                         int *deadline_hours, int *ruled, struct err *err);
/* Adds or replaces the rule of a category at a jurisdiction. */
int store_category_rule_put(struct store *st, int64_t category_id, int64_t jur,
                            int64_t department_id, int deadline_hours, struct err *err);

/* ---- webhooks and the outbox ---- */
struct webhook_rec {
	int64_t id;
	char url[1001];
	char secret[129];
	int active;
	char created_at[21];
};
typedef int (*webhook_fn)(void *ctx, const struct webhook_rec *w);
int store_webhooks(struct store *st, webhook_fn fn, void *ctx, struct err *err);
int store_webhook_add(struct store *st, struct webhook_rec *w, struct err *err);
int store_webhook_disable(struct store *st, int64_t id, struct err *err);
/* Queues the event for every active webhook, in the caller's
 * transaction. */
int store_outbox_add(struct store *st, const char *event, int64_t case_id, const char *payload,
                     struct err *err);
struct outbox_rec {
	int64_t id, webhook_id, case_id;
	char event[41];
	const char *payload;
	int attempts;
	char url[1001];
	char secret[129];
};
typedef int (*outbox_fn)(void *ctx, const struct outbox_rec *o);
/* Undelivered messages due at `now`, oldest first. */
int store_outbox_due(struct store *st, const char *now, int limit, outbox_fn fn, void *ctx,
                     struct err *err);
/* Records an attempt: delivered, or failed with the next try's time. */
int store_outbox_done(struct store *st, int64_t id, const char *delivered_at, const char *next_at,
                      const char *error, struct err *err);
struct outbox_counts {
	int64_t pending, delivered, failing;
	int64_t abandoned; /* undelivered, for a webhook since disabled */
};
int store_outbox_counts(struct store *st, struct outbox_counts *c, struct err *err);

#endif
