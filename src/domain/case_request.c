/*
 * Requests of extension, return and parking, and the closing rules
 * (case_request.h).
 */
#include "case_request.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[CR_NKINDS] = {"extension", "return", "park"};
static const char *const status_names[] = {"pending", "approved", "refused"};

const char *creq_kind_name(enum creq_kind k)
{
	return (unsigned)k < CR_NKINDS ? kind_names[k] : "unknown";
}

int creq_kind_parse(const char *s, enum creq_kind *out)
{
	for (int i = 0; s && i < CR_NKINDS; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum creq_kind)i;
			return 0;
		}
	return -1;
}

const char *creq_status_name(enum creq_status s)
{
	return (unsigned)s <= CRS_REFUSED ? status_names[s] : "unknown";
}

int creq_status_parse(const char *s, enum creq_status *out)
{
	for (int i = 0; s && i <= CRS_REFUSED; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum creq_status)i;
			return 0;
		}
	return -1;
}

int creq_max(enum creq_kind k)
{
	switch (k) {
	case CR_EXTENSION:
		return CASE_EXTENSIONS_MAX;
	case CR_RETURN:
		return CASE_RETURNS_MAX;
	case CR_PARK:
		return CASE_PARKS_MAX;
	case CR_NKINDS:
		break;
	}
	return 0;
}

/* Before the department's answer: the states in which its work is still
 * to be done (a resolved or implemented case waits for its callback). */
static int before_resolution(enum case_state s)
{
	switch (s) {
	case CS_SUBMITTED:
	case CS_ACCEPTED:
	case CS_ASSIGNED:
	case CS_IN_PROGRESS:
	case CS_UNDER_REVIEW:
	case CS_ADOPTED:
	case CS_IMPLEMENTING:
	case CS_REOPENED:
		return 1;
	default:
		return 0;
	}
}

/* With a department: dispatched to it and not yet answered.  A return
 * gives a case back to the dispatcher, so it must have been dispatched. */
static int with_department(enum case_state s)
{
	return s == CS_ASSIGNED || s == CS_IN_PROGRESS || s == CS_UNDER_REVIEW || s == CS_ADOPTED ||
	       s == CS_IMPLEMENTING;
}

static int fits_state(const struct creq_facts *f, enum creq_kind k)
{
	switch (k) {
	case CR_EXTENSION:
		return before_resolution(f->state);
	case CR_RETURN:
		return with_department(f->state);
	case CR_PARK:
		return before_resolution(f->state) && !f->parked;
	case CR_NKINDS:
		break;
	}
	return 0;
}

enum creq_result creq_check(const struct creq_facts *f, enum creq_kind k)
{
	if (f->merged || !case_state_is_open(f->state) || f->transfer)
		return CRQ_NOT_OPEN;
	if (f->pending)
		return CRQ_PENDING;
	if (!fits_state(f, k))
		return CRQ_WRONG_STATE;
	if (f->asked[k] >= creq_max(k))
		return CRQ_LIMIT;
	return CRQ_OK;
}

int creq_allowed_list(const struct creq_facts *f, char *out, size_t n)
{
	size_t len = 0;

	if (n == 0)
		return 0;
	out[0] = '\0';
	for (int k = 0; k < CR_NKINDS; k++) {
		size_t need = strlen(kind_names[k]) + (len ? 2 : 0);
		if (creq_check(f, (enum creq_kind)k) != CRQ_OK)
			continue;
		if (len + need >= n)
			break;
		len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "", kind_names[k]);
	}
	return (int)len;
}

enum creq_decide_result creq_decide_check(enum creq_status status, int64_t asked_by,
                                          int64_t decider)
{
	if (status != CRS_PENDING)
		return CRD_DECIDED;
	/* The approval is a second pair of eyes; one pair twice is none. */
	if (asked_by && asked_by == decider)
		return CRD_OWN;
	return CRD_OK;
}

enum case_closing_missing case_closing_check(const struct case_closing *c)
{
	if (c->rating < 1 && !c->unreached)
		return CCM_CALLBACK;
	if (c->site_check && !c->site_checked)
		return CCM_SITE_CHECK;
	return CCM_NONE;
}

int case_dissatisfied(int rating)
{
	return rating == 1 || rating == 2;
}

int creq_may_ask(const struct principal *p, const struct case_scope *s)
{
	if (p->role == ROLE_ADMIN || p->role == ROLE_OFFICER)
		return 1;
	return p->role == ROLE_HANDLER && p->department[0] && s->department &&
	       strcmp(p->department, s->department) == 0;
}

int creq_may_decide(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER;
}

int case_may_callback(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER;
}

int case_may_site_check(const struct principal *p)
{
	return p->role == ROLE_GRID_WORKER;
}
