#include "init_plans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../store/store_case_plan.h"
#include "../util/timeutil.h"

/* The town's day `days` from today (UTC+8), as YYYY-MM-DD. */
static void town_day(int days, char out[11])
{
	time_t t = time(NULL) + 8 * 3600 + (time_t)days * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int first_case(void *ctx, const struct case_rec *c)
{
	memcpy(ctx, c, sizeof(*c));
	return 1;
}

/* The demo's first suggestion in `state` into c; 0 with c->id 0 when
 * there is none. */
static int suggestion_in(struct store *st, const char *state, struct case_rec *c, struct err *err)
{
	struct case_filter f;

	memset(&f, 0, sizeof(f));
	memset(c, 0, sizeof(*c));
	f.kind = "suggestion";
	f.state = state;
	f.limit = 1;
	return store_cases(st, &f, first_case, c, err);
}

struct demo_milestone {
	const char *title, *text;
	int due, reached; /* days from today; reached 0: not reached */
};

static int plan(struct store *st, struct case_rec *c, const char *summary,
                const struct demo_milestone *dm, int n, struct err *err)
{
	struct plan_milestone *m = calloc((size_t)n, sizeof(*m));
	int rc = -1;

	if (!m)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	for (int i = 0; i < n; i++) {
		snprintf(m[i].title, sizeof(m[i].title), "%s", dm[i].title);
		snprintf(m[i].text, sizeof(m[i].text), "%s", dm[i].reached ? dm[i].text : "");
		town_day(dm[i].due, m[i].due_on);
		if (dm[i].reached)
			town_day(dm[i].reached, m[i].reached_on);
		m[i].weight = 1;
	}
	if (store_case_plan_put(st, c->id, summary, m, n, 0, err))
		goto out;
	/* A reached milestone became public when it was reached. */
	for (int i = 0; i < n; i++) {
		struct case_event ev;
		if (!dm[i].reached)
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.case_id = c->id;
		snprintf(ev.actor, sizeof(ev.actor), "%s", c->department);
		snprintf(ev.action, sizeof(ev.action), "milestone");
		snprintf(ev.note, sizeof(ev.note), "%s: %s", dm[i].title, dm[i].text);
		ev.public_ = 1;
		time_iso(time(NULL) + (time_t)dm[i].reached * 86400, ev.at);
		if (store_case_event_add(st, &ev, err))
			goto out;
	}
	rc = 0;
out:
	free(m);
	return rc;
}

int load_demo_plans(struct store *st, struct err *err)
{
	static const struct demo_milestone parking[] = {
	    {"排摸周边单位夜间闲置车位", "共排摸到两家单位约120个夜间闲置车位", -20, -18},
	    {"与产权单位签订错峰共享协议", "", 10, 0},
	    {"开放预约并在小区张贴告示", "", 30, 0},
	};
	static const struct demo_milestone shelter[] = {
	    {"候车亭选址与设计", "", 20, 0},
	    {"施工安装遮阳棚", "", 60, 0},
	};
	struct case_rec *c = malloc(sizeof(*c));
	int rc = -1;

	if (!c)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (suggestion_in(st, "implementing", c, err) ||
	    (c->id && plan(st, c, "利用周边单位夜间闲置车位错峰共享，缓解小区夜间停车难。", parking,
	                   3, err)))
		goto out;
	if (suggestion_in(st, "adopted", c, err) ||
	    (c->id && plan(st, c, "纳入年度公交站点改造计划，增设候车遮阳棚。", shelter, 2, err)))
		goto out;
	rc = 0;
out:
	free(c);
	return rc;
}
