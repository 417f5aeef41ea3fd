/*
 * GET /api/v1/cases/rankings?from=&to=&by=department|category|handler:
 * how departments, categories and the people who handled the cases did
 * over a period, on time and to the submitters' satisfaction, ranked.
 * Read from the outcomes the triggers of migration 017 keep by day
 * (store_case_rankings), so a year costs a year of days.
 *
 * A case counts on the day its department answered it (resolved,
 * implemented, not adopted), under the user who gave the answer: on time
 * when by the deadline it had then (extensions approved and parking
 * included); its callback's rating under the same answer, satisfied when
 * 4 or 5.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../domain/hours.h"
#include "../store/store_casereq.h"
#include "api.h"
#include "jur_tree.h"

struct rank_rows {
	struct case_rank_row *v;
	size_t n, cap;
	int oom;
};

static int take_row(void *ctx, const struct case_rank_row *row)
{
	struct rank_rows *x = ctx;

	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 32;
		struct case_rank_row *v = realloc(x->v, cap * sizeof(*v));
		if (!v) {
			x->oom = 1;
			return 1;
		}
		x->v = v;
		x->cap = cap;
	}
	x->v[x->n++] = *row;
	return 0;
}

static double rate(int64_t part, int64_t whole)
{
	return whole ? (double)part / (double)whole : -1;
}

/* Best first: on-time rate, then satisfaction, then the work done; a row
 * with nothing answered (ratings alone) last; then by id, so that the
 * order never depends on the store's. */
static int by_rank(const void *pa, const void *pb)
{
	const struct case_rank_row *a = pa, *b = pb;
	double ta = rate(a->on_time, a->finished), tb = rate(b->on_time, b->finished);
	double sa = rate(a->satisfied, a->rated), sb = rate(b->satisfied, b->rated);

	if (ta != tb)
		return ta > tb ? -1 : 1;
	if (sa != sb)
		return sa > sb ? -1 : 1;
	if (a->finished != b->finished)
		return a->finished > b->finished ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* A rate to four places, a half rounded up as people round by hand:
 * 29 of 32 is 0.9063, where printf's round-half-even alone gives 0.9062. */
static double rate4(int64_t part, int64_t whole)
{
	return round(rate(part, whole) * 10000.0) / 10000.0;
}

static void figures(struct buf *b, const struct case_rank_row *x)
{
	buf_printf(b, "\"finished\":%lld,\"on_time\":%lld,\"rated\":%lld,\"satisfied\":%lld",
	           (long long)x->finished, (long long)x->on_time, (long long)x->rated,
	           (long long)x->satisfied);
	if (x->finished)
		buf_printf(b, ",\"on_time_rate\":%.4f", rate4(x->on_time, x->finished));
	else
		buf_adds(b, ",\"on_time_rate\":null");
	if (x->rated)
		buf_printf(b, ",\"satisfaction_rate\":%.4f,\"average_rating\":%.2f",
		           rate4(x->satisfied, x->rated), (double)x->rating_sum / (double)x->rated);
	else
		buf_adds(b, ",\"satisfaction_rate\":null,\"average_rating\":null");
}

/* A day of the period from the query, YYYY-MM-DD; absent leaves out. */
static int day_param(struct req *r, const char *name, char out[11])
{
	const char *v = req_query(r, name);

	if (!v || !*v)
		return 0;
	if (strlen(v) != 10 || !hours_date_valid(v))
		return err_set(&r->err, ERR_MALFORMED, "invalid_date", name,
		               "%s: must be a date YYYY-MM-DD (the town's day)", name);
	memcpy(out, v, 11);
	return 0;
}

int h_case_rankings(struct req *r)
{
	static const char *const bys[] = {"department", "category", "handler"};
	const char *by = req_query(r, "by");
	struct rank_rows rows = {NULL, 0, 0, 0};
	struct case_rank_row total;
	struct jur_scope scope;
	struct jur_tree *t;
	char from[11] = "", to[11] = "";
	int k = 0, rc;

	if (r->who.role == ROLE_PUBLIC)
		return api_need_login(r);
	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER)
		return api_forbidden(r, "see the rankings of departments and handlers");
	if (by && *by) {
		for (k = 0; k < 3 && strcmp(by, bys[k]); k++)
			;
		if (k == 3)
			return err_set(&r->err, ERR_MALFORMED, "invalid_by", "by",
			               "by: must be department, category or handler");
	}
	if (day_param(r, "from", from) || day_param(r, "to", to))
		return -1;
	/* By default the year to today, in the town's days. */
	if (!to[0])
		hours_days_date(work_day_of(time(NULL)), to);
	if (!from[0])
		hours_days_date(hours_date_days(to) - 364, from);
	if (strcmp(from, to) > 0)
		return err_set(&r->err, ERR_INVALID, "before_since", "to",
		               "to: %s is before from %s; the period runs from one to the other",
		               to, from);
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	rc = api_list_scope(r, t, &scope);
	jur_tree_put(t);
	if (rc || store_case_rankings(r->db, (enum case_rank_by)k, from, to, &scope, take_row,
	                              &rows, &r->err))
		goto out;
	if (rows.oom) {
		rc = err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (rows.n)
		qsort(rows.v, rows.n, sizeof(rows.v[0]), by_rank);
	memset(&total, 0, sizeof(total));
	buf_printf(&r->out, "{\"by\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"items\":[", bys[k],
	           from, to);
	for (size_t i = 0; i < rows.n; i++) {
		const struct case_rank_row *x = &rows.v[i];
		total.finished += x->finished;
		total.on_time += x->on_time;
		total.rated += x->rated;
		total.satisfied += x->satisfied;
		total.rating_sum += x->rating_sum;
		buf_printf(&r->out, "%s{\"rank\":%zu,", i ? "," : "", i + 1);
		if (x->id)
			buf_printf(&r->out, "\"id\":%lld", (long long)x->id);
		else
			buf_adds(&r->out, "\"id\":null");
		if (k == RANK_HANDLER) {
			/* A person: the store gives the username and the
			 * display name; the name shown is the latter. */
			const char *shown = !x->id          ? "system"
			                    : x->name_en[0] ? x->name_en
			                                    : x->name;
			buf_adds(&r->out, ",\"username\":");
			buf_json_str(&r->out, x->id ? x->name : "system");
			buf_adds(&r->out, ",\"name\":");
			buf_json_str(&r->out, shown);
			buf_adds(&r->out, ",\"name_en\":");
			buf_json_str(&r->out, shown);
		} else {
			buf_adds(&r->out, ",\"name\":");
			buf_json_str(&r->out, x->name);
			buf_adds(&r->out, ",\"name_en\":");
			buf_json_str(&r->out, x->name_en[0] ? x->name_en : x->name);
		}
		buf_addc(&r->out, ',');
		figures(&r->out, x);
		buf_addc(&r->out, '}');
	}
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, ",\"total\":{");
	figures(&r->out, &total);
	buf_adds(&r->out, "}}\n");
	rc = 0;
out:
	free(rows.v);
	return rc ? -1 : 0;
}
