#include "case_plan.h"

#include <string.h>

int case_plan_writable(enum case_kind kind, enum case_state state)
{
	return kind == CASE_SUGGESTION &&
	       (state == CS_ADOPTED || state == CS_IMPLEMENTING || state == CS_IMPLEMENTED);
}

int case_plan_done(enum case_state state)
{
	return state == CS_IMPLEMENTED || state == CS_CLOSED;
}

int case_plan_progress(const struct plan_milestone *m, int n, int done)
{
	long total = 0, reached = 0;

	for (int i = 0; i < n; i++) {
		total += m[i].weight;
		if (m[i].reached_on[0])
			reached += m[i].weight;
	}
	return case_plan_progress_of(total, reached, done);
}

int case_plan_progress_of(long total, long reached, int done)
{
	if (done)
		return 100;
	if (total <= 0 || reached <= 0)
		return 0;
	if (reached >= total)
		return 100;
	/* Rounded down: 99.5% is not done, and must not read as 100. */
	return (int)(reached * 100 / total);
}

/* Blanks only, the ideographic space U+3000 included (a Chinese input
 * method types it for the space bar). */
static int blank(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
			p += 3;
		else
			return 0;
	}
	return 1;
}

enum milestone_rule case_milestone_check(const struct plan_milestone *m, const char *today)
{
	if (blank(m->title))
		return MR_TITLE;
	if (m->weight < 1 || m->weight > PLAN_WEIGHT_MAX)
		return MR_WEIGHT;
	/* Both YYYY-MM-DD: text order is date order.  A milestone reached
	 * "tomorrow" would tell the public of something not yet done. */
	if (m->reached_on[0] && today && strcmp(m->reached_on, today) > 0)
		return MR_REACHED_FUTURE;
	return MR_OK;
}

int case_milestone_public(const struct plan_milestone *m)
{
	return m->reached_on[0] != '\0';
}

static int find(const struct plan_milestone *m, int n, int64_t id)
{
	for (int i = 0; id && i < n; i++)
		if (m[i].id == id)
			return i;
	return -1;
}

enum plan_change case_plan_change_check(const struct plan_milestone *old, int nold,
                                        const struct plan_milestone *next, int nnext, int *at)
{
	*at = -1;
	for (int i = 0; i < nnext; i++) {
		int j;
		if (!next[i].id)
			continue;
		if ((j = find(old, nold, next[i].id)) < 0) {
			*at = i;
			return PC_UNKNOWN_ID;
		}
		if (find(next, i, next[i].id) >= 0) {
			*at = i;
			return PC_DUPLICATE_ID;
		}
		if (old[j].reached_on[0] && !next[i].reached_on[0]) {
			*at = i;
			return PC_REACHED_CLEARED;
		}
	}
	for (int j = 0; j < nold; j++) {
		if (old[j].reached_on[0] && find(next, nnext, old[j].id) < 0) {
			*at = j;
			return PC_REACHED_DROPPED;
		}
	}
	return PC_OK;
}

int case_milestone_newly_reached(const struct plan_milestone *old, int nold,
                                 const struct plan_milestone *m)
{
	int j;

	if (!m->reached_on[0])
		return 0;
	j = find(old, nold, m->id);
	return j < 0 || !old[j].reached_on[0];
}
