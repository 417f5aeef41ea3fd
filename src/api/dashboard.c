/*
 * GET /api/v1/dashboard?period=&scope=: the town at a glance, every
 * figure with the list behind it (service/dashboard.c fills the struct);
 * GET /api/v1/dashboard/report.xlsx and report.pdf: the same struct as a
 * workbook and as the quarterly report; GET and POST
 * /api/v1/reference-employment: the reference region's employment that
 * the clusters' location quotients compare against.
 *
 * Who sees what: admins and officers a jurisdiction of their scope (the
 * whole of it by default); a secretary its cluster's enterprises and
 * their cases, in its scope; a grid worker the enterprises of its grids.
 * Every other role is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../domain/refemp.h"
#include "../print/print_report.h"
#include "../service/dashboard.h"
#include "../store/store_dash.h"
#include "../util/timeutil.h"
#include "api.h"
#include "jur_tree.h"

static void town_today(char out[11])
{
	char now[21];

	time_iso(time(NULL) + 8 * 3600, now);
	memcpy(out, now, 10);
	out[10] = '\0';
}

/* The period of ?period=, the current quarter by default. */
static int read_period(struct req *r, const char *today, struct dash_period *p)
{
	const char *v = req_query(r, "period");
	char why[200];

	if (!v || !*v) {
		dash_period_of(DP_QUARTER, today, p);
		return 0;
	}
	if (dash_period_parse(v, today, p, why, sizeof(why)))
		return err_set(&r->err, ERR_INVALID, "invalid_period", "period", "period: %s", why);
	return 0;
}

/* The scope's node: ?scope= (an id or a code) inside the caller's
 * jurisdictions, else the top of them. */
static int read_scope(struct req *r, const struct jur_tree *t, size_t *at)
{
	const char *v = req_query(r, "scope");
	const struct jurisdiction *j = NULL;
	struct jur_pos pos;

	if (v && *v) {
		char *end;
		long long id = strtoll(v, &end, 10);
		j = jur_tree_by_code(t, v);
		if (!j && *end == '\0' && id > 0)
			j = jur_tree_find(t, id);
		if (!j)
			return err_set(&r->err, ERR_INVALID, "unknown_jurisdiction", "scope",
			               "scope: no jurisdiction with the code or id '%.40s'", v);
	} else if (r->who.scope.id) {
		j = jur_tree_find(t, r->who.scope.id);
	} else {
		for (size_t i = 0; i < t->len && !j; i++)
			if (!t->n[i].parent_id)
				j = &t->n[i];
	}
	if (!j)
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "scope",
		               "scope: the tree of jurisdictions is empty");
	pos = (struct jur_pos){j->lo, j->hi};
	if (!access_in_scope(&r->who, &pos))
		return err_set(
		    &r->err, ERR_FORBIDDEN, "outside_scope", "scope",
		    "scope: %s (%s) lies outside the jurisdictions this account acts for",
		    j->name_zh, j->code);
	*at = (size_t)(j - t->n);
	return 0;
}

/* Builds the dashboard the request asks for into d; t is held by the
 * caller. */
static int build(struct req *r, const struct jur_tree *t, struct dashboard *d, struct idset *mine)
{
	struct dash_request q;
	char today[11];

	memset(&q, 0, sizeof(q));
	switch (r->who.role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		break;
	case ROLE_SECRETARY:
		if (!r->who.cluster_id)
			return api_forbidden(r, "read the dashboard without a cluster");
		q.cluster_id = r->who.cluster_id;
		break;
	case ROLE_GRID_WORKER:
		if (store_user_grids(r->db, r->who.user_id, api_idset_add, mine, &r->err))
			return -1;
		q.grid_cut = 1;
		q.grids = mine->v;
		q.ngrids = (size_t)mine->n;
		break;
	case ROLE_PUBLIC:
		return api_need_login(r);
	default:
		return api_forbidden(r, "read the dashboard");
	}
	town_today(today);
	if (read_period(r, today, &q.period) || read_scope(r, t, &q.at))
		return -1;
	q.tree = t->n;
	q.ntree = t->len;
	q.today = today;
	q.alert_fall = r->cfg ? r->cfg->alert_fall_percent / 100.0 : 0.2;
	q.alert_visit_days = r->cfg ? r->cfg->alert_visit_days : 90;
	time_now_iso(d->generated_at);
	return dashboard_build(r->db, &q, d, &r->err);
}

static void bi_json(struct buf *b, const char *name, const char *zh, const char *en)
{
	buf_printf(b, "\"%s\":{\"zh\":", name);
	buf_json_str(b, zh);
	buf_adds(b, ",\"en\":");
	buf_json_str(b, en);
	buf_addc(b, '}');
}

static void value_json(struct buf *b, enum dash_kind k, double v)
{
	if (v != v)
		buf_adds(b, "null");
	else if (k == DK_COUNT)
		buf_printf(b, "%.0f", v);
	else if (k == DK_AMOUNT)
		buf_printf(b, "%.15g", v);
	else
		buf_printf(b, "%.6g", v);
}

/* The dashboard as JSON: the period, the scope, and the sections, each a
 * table whose rows name the list behind them. */
void dashboard_json(struct buf *b, const struct dashboard *d)
{
	static const char *const scope_kinds[] = {"jurisdiction", "cluster", "grids"};
	const struct dash_period *p = &d->period;

	buf_adds(b, "{\"period\":{\"label\":");
	buf_json_str(b, p->label);
	buf_printf(b,
	           ",\"kind\":\"%s\",\"since\":\"%s\",\"until\":\"%s\",\"months\":[\"%s\",\"%s\"]}",
	           p->kind == DP_MONTH     ? "month"
	           : p->kind == DP_QUARTER ? "quarter"
	                                   : "year",
	           p->since, p->until, p->month_from, p->month_to);
	buf_printf(b,
	           ",\"scope\":{\"kind\":\"%s\",\"id\":%lld,\"code\":", scope_kinds[d->scope_kind],
	           (long long)d->scope_id);
	buf_json_str(b, d->scope_code);
	buf_adds(b, ",");
	bi_json(b, "name", d->scope_zh, d->scope_en);
	buf_adds(b, "},\"reference\":{\"region\":");
	buf_json_str(b, d->reference_region[0] ? d->reference_region : NULL);
	buf_printf(b, ",\"employees\":%lld}", (long long)d->reference_employees);
	buf_adds(b, ",\"generated_at\":");
	buf_json_str(b, d->generated_at);
	buf_adds(b, ",\"sections\":[");
	for (size_t i = 0; i < d->n; i++) {
		const struct dash_section *s = &d->s[i];
		buf_adds(b, i ? ",{\"id\":" : "{\"id\":");
		buf_json_str(b, s->id);
		buf_addc(b, ',');
		bi_json(b, "title", s->zh, s->en);
		buf_adds(b, ",\"columns\":[");
		for (int c = 0; c < s->ncols; c++) {
			buf_adds(b, c ? ",{\"key\":" : "{\"key\":");
			buf_json_str(b, s->cols[c].key);
			buf_addc(b, ',');
			bi_json(b, "title", s->cols[c].zh, s->cols[c].en);
			buf_printf(b, ",\"kind\":\"%s\"}", dash_kind_name(s->cols[c].kind));
		}
		buf_adds(b, "],\"rows\":[");
		for (size_t k = 0; k < s->n; k++) {
			const struct dash_row *row = &s->rows[k];
			buf_adds(b, k ? ",{\"key\":" : "{\"key\":");
			buf_json_str(b, row->key);
			buf_addc(b, ',');
			bi_json(b, "label", row->zh, row->en);
			if (row->kind >= 0)
				buf_printf(b, ",\"kind\":\"%s\"",
				           dash_kind_name((enum dash_kind)row->kind));
			buf_adds(b, ",\"values\":{");
			for (int c = 0; c < s->ncols; c++) {
				buf_printf(b, "%s\"%s\":", c ? "," : "", s->cols[c].key);
				value_json(b, dash_value_kind(s, row, c), row->v[c]);
			}
			buf_adds(b, "},\"links\":{\"console\":");
			buf_json_str(b, row->console[0] ? row->console : NULL);
			buf_adds(b, ",\"api\":");
			buf_json_str(b, row->api[0] ? row->api : NULL);
			buf_adds(b, "}}");
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "]}\n");
}

int h_dashboard(struct req *r)
{
	struct jur_tree *t;
	struct dashboard d;
	struct idset *mine = malloc(sizeof(*mine));
	int rc = -1;

	if (!mine)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	mine->n = 0;
	dashboard_init(&d);
	if (!(t = jur_tree_get(r->db, &r->err))) {
		free(mine);
		return -1;
	}
	if (!build(r, t, &d, mine)) {
		dashboard_json(&r->out, &d);
		rc = 0;
	}
	jur_tree_put(t);
	dashboard_free(&d);
	free(mine);
	return rc;
}

/* GET /api/v1/dashboard/report.xlsx and report.pdf. */
static int report(struct req *r, int pdf)
{
	struct jur_tree *t;
	struct dashboard d;
	struct idset *mine = malloc(sizeof(*mine));
	char path[] = "/tmp/qunyan-report-XXXXXX";
	int rc = -1, fd = -1;

	if (!mine)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	mine->n = 0;
	dashboard_init(&d);
	if (!(t = jur_tree_get(r->db, &r->err))) {
		free(mine);
		return -1;
	}
	if (build(r, t, &d, mine))
		goto out;
	if (pdf) {
		if (print_dashboard_pdf(&d, &r->out, &r->err))
			goto out;
		r->content_type = "application/pdf";
	} else {
		char chunk[8192];
		size_t got;
		FILE *f;
		if ((fd = mkstemp(path)) < 0) {
			err_set(&r->err, ERR_INTERNAL, "export_failed", NULL,
			        "cannot make a temporary file for the workbook");
			goto out;
		}
		close(fd);
		if (dashboard_xlsx(&d, path, &r->err))
			goto out;
		if (!(f = fopen(path, "rb"))) {
			err_set(&r->err, ERR_INTERNAL, "export_failed", NULL,
			        "cannot read the workbook");
			goto out;
		}
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&r->out, chunk, got);
		fclose(f);
		if (r->out.failed) {
			err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		r->content_type =
		    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
	snprintf(r->disposition, sizeof(r->disposition), "attachment; filename=\"report-%s-%s.%s\"",
	         d.period.label, d.scope_code[0] ? d.scope_code : "scope", pdf ? "pdf" : "xlsx");
	rc = 0;
out:
	if (fd >= 0)
		unlink(path);
	jur_tree_put(t);
	dashboard_free(&d);
	free(mine);
	return rc;
}

int h_dashboard_xlsx(struct req *r)
{
	return report(r, 0);
}

int h_dashboard_pdf(struct req *r)
{
	return report(r, 1);
}

/* ---- the reference region's employment ---- */

static int refemp_row_json(void *ctx, const struct refemp_row *row)
{
	struct api_list *l = ctx;

	buf_adds(l->out, l->n++ ? ",{\"region\":" : "{\"region\":");
	buf_json_str(l->out, row->region);
	buf_adds(l->out, ",\"industry\":");
	buf_json_str(l->out, row->industry);
	buf_printf(l->out, ",\"employees\":%lld}", (long long)row->employees);
	return 0;
}

static int may_read_reference(struct req *r)
{
	if (r->who.role == ROLE_PUBLIC)
		return api_need_login(r);
	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER &&
	    r->who.role != ROLE_SECRETARY && r->who.role != ROLE_GRID_WORKER)
		return api_forbidden(r, "read the reference employment");
	return 0;
}

int h_refemp_list(struct req *r)
{
	struct api_list l = {&r->out, 0};

	if (may_read_reference(r))
		return -1;
	buf_adds(&r->out, "{\"items\":[");
	if (store_refemp_list(r->db, refemp_row_json, &l, &r->err))
		return -1;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", l.n);
	return 0;
}

/*
 * POST /api/v1/reference-employment with a CSV body (text/csv): replaces
 * the reference region's rows, all or nothing.  Every problem is named
 * with its line (422 invalid_reference_employment, each in errors[]).
 */
int h_refemp_import(struct req *r)
{
	struct refemp_file f;
	const char *ct = req_header(r, "Content-Type");
	char now[21], after[120];
	int rc = -1;

	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER)
		return api_forbidden(r, "import the reference employment");
	if (!ct || strncmp(ct, "text/csv", 8) != 0)
		return err_set(&r->err, ERR_MEDIA_TYPE, "unsupported_media_type", NULL,
		               "the body must be CSV (Content-Type: text/csv) with the columns "
		               "region, industry and employees");
	memset(&f, 0, sizeof(f));
	if (refemp_parse(r->body ? r->body : "", r->body ? r->body_len : 0, &f, &r->err))
		goto out;
	if (f.nproblems) {
		err_set(&r->err, ERR_INVALID, "invalid_reference_employment", f.problems[0].field,
		        "%zu line%s of the file %s wrong; nothing was imported (first: %s)",
		        f.nproblems, f.nproblems == 1 ? "" : "s", f.nproblems == 1 ? "is" : "are",
		        f.problems[0].message);
		r->err.nfields = 0;
		for (size_t i = 0; i < f.nproblems && i < ERR_MAX_FIELDS; i++)
			err_field(&r->err, f.problems[i].field, "invalid_reference_employment",
			          "%s", f.problems[i].message);
		r->err.line = f.problems[0].line;
		goto out;
	}
	time_now_iso(now);
	snprintf(after, sizeof(after), "{\"rows\":%zu}", f.n);
	if (store_begin(r->db, &r->err) || store_refemp_replace(r->db, f.rows, f.n, now, &r->err) ||
	    api_audit(r, "import_reference_employment", "reference_employment", 0, NULL, after) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "{\"imported\":%zu,\"region\":", f.n);
	buf_json_str(&r->out, f.rows[0].region);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	store_rollback(r->db);
	refemp_free(&f);
	return rc;
}
