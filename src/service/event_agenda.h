/*
 * Drafting an event's agenda over the store: the open cases of the
 * invited enterprises read, those the organiser may not see left out,
 * similar ones found with the duplicate index of cases (case_index.h,
 * built over just these cases), and the ranking of domain/agenda.h.
 * HTTP-free, so the API, the demo and bench/events share it.
 */
#ifndef QY_EVENT_AGENDA_H
#define QY_EVENT_AGENDA_H

#include "../domain/agenda.h"
#include "../store/store_event.h"

struct drafted_item {
	enum agenda_reason reason;
	int64_t department_id;
	char department[101];
	int enterprises;
	char title[4 * EVT_TITLE_MAX + 1];
	int64_t *case_ids;
	int ncases;
};

struct event_draft {
	struct drafted_item *items;
	int nitems;
	int cases_read;   /* open cases of the invited enterprises */
	int cases_hidden; /* of those, left out: the caller may not see them */
	int64_t *pool;    /* the items' case ids */
};

/* 1 when the caller may put the case on an agenda. */
typedef int (*case_visible_fn)(void *ctx, const struct event_case *c);

/*
 * The first max_items items of the agenda drafted at `now` (Unix
 * seconds) from the open cases of enterprises ents[0..n), each case that
 * visible (NULL: all) accepts.  event_draft_free releases it.
 */
int event_agenda_draft(struct store *st, const int64_t *ents, int n, int64_t now,
                       case_visible_fn visible, void *vctx, int max_items, struct event_draft *out,
                       struct err *err);
void event_draft_free(struct event_draft *d);

#endif
