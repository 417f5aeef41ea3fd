/*
 * GET /api/v1/audit: the audit log for the admin of the whole tree,
 * newest first, a page at a time, narrowed by the record (entity,
 * entity_id), the person (user_id), the action and a span of the town's
 * days (from, to).  Every parameter is checked here, at the edge, and a
 * bad one is refused naming it and its rule rather than ignored: an
 * admin who mistypes "enterprize" must not read an empty log as "nobody
 * changed anything".
 */
#include <stdio.h>
#include <string.h>

#include "../domain/hours.h"
#include "../util/timeutil.h"
#include "api.h"

/* The longest entity or action the server writes is far shorter. */
#define AUDIT_CODE_MAX 40

struct audit_ctx {
	struct buf *out;
	int n;
	int64_t last;
};

static int audit_row(void *ctx, const struct audit_entry *a)
{
	struct audit_ctx *x = ctx;

	buf_adds(x->out, x->n++ ? ",{" : "{");
	buf_printf(x->out,
	           "\"id\":%lld,\"at\":\"%s\",\"user_id\":%lld,\"username\":", (long long)a->id,
	           a->at, (long long)a->user_id);
	buf_json_str(x->out, a->username);
	/* The name the person goes by now; null for the command line's
	 * entries, which name a program rather than a user. */
	buf_adds(x->out, ",\"display_name\":");
	buf_json_str(x->out, a->display_name && *a->display_name ? a->display_name : NULL);
	buf_adds(x->out, ",\"action\":");
	buf_json_str(x->out, a->action);
	buf_adds(x->out, ",\"entity\":");
	buf_json_str(x->out, a->entity);
	buf_printf(x->out, ",\"entity_id\":%lld,\"before\":", (long long)a->entity_id);
	/* before/after are JSON written by this server; embed them as is. */
	buf_adds(x->out, a->before ? a->before : "null");
	buf_adds(x->out, ",\"after\":");
	buf_adds(x->out, a->after ? a->after : "null");
	buf_adds(x->out, ",\"request_id\":");
	buf_json_str(x->out, a->request_id);
	buf_addc(x->out, '}');
	x->last = a->id;
	return 0;
}

/* entity= and action=: a name as the log writes them (enterprise,
 * set_role); absent or empty leaves the filter out. */
static int code_param(struct req *r, const char *name, const char *example, const char **out)
{
	const char *v = req_query(r, name);
	size_t n = v ? strlen(v) : 0;

	*out = NULL;
	if (!n)
		return 0;
	if (n <= AUDIT_CODE_MAX && strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_") == n) {
		*out = v;
		return 0;
	}
	return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", name,
	               "%s: '%.40s' is not a name the audit log uses: 1 to %d lowercase letters, "
	               "digits and _ (e.g. %s)",
	               name, v, AUDIT_CODE_MAX, example);
}

/* from= and to=: a day YYYY-MM-DD of the town (UTC+8), turned into the
 * UTC instant the log compares with: from's midnight, and the midnight
 * after to, so that both days are included. */
static int day_param(struct req *r, const char *name, int after, char out[21], int *given)
{
	const char *v = req_query(r, name);
	long days;

	*given = 0;
	if (!v || !*v)
		return 0;
	if (strlen(v) != 10 || !hours_date_valid(v))
		return err_set(
		    &r->err, ERR_MALFORMED, "invalid_date", name,
		    "%s: '%.20s' must be a date YYYY-MM-DD from 2000 to 2099 (the town's "
		    "day, Asia/Shanghai)",
		    name, v);
	days = hours_date_days(v) + (after ? 1 : 0);
	time_iso((time_t)days * 86400 - HOURS_UTC_OFFSET, out);
	*given = 1;
	return 0;
}

int h_audit_list(struct req *r)
{
	struct audit_ctx x = {&r->out, 0, 0};
	struct audit_filter f;
	int64_t limit = 100;
	char from[21], until[21];
	int has_from, has_until;

	if (!access_enterprise(&r->who, ACT_AUDIT_READ, NULL))
		return api_forbidden(r, "read the audit log");
	/* The log's entries name records of every place and carry no place
	 * of their own; until they do, it is read from the top of the tree
	 * only, so that a district's admin learns nothing of another's. */
	if (r->who.scope.id)
		return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", NULL,
		               "the audit log names records of every jurisdiction; an admin of "
		               "the whole tree reads it");
	memset(&f, 0, sizeof(f));
	if (code_param(r, "entity", "enterprise", &f.entity) ||
	    code_param(r, "action", "update", &f.action) ||
	    api_query_int(r, "entity_id", 1, INT64_MAX, &f.entity_id) ||
	    api_query_int(r, "user_id", 1, INT64_MAX, &f.user_id) ||
	    api_query_cursor_id(r, "before", 1, &f.before_id) ||
	    api_query_int(r, "limit", 1, 1000, &limit) ||
	    day_param(r, "from", 0, from, &has_from) || day_param(r, "to", 1, until, &has_until))
		return -1;
	if (has_from && has_until && strcmp(from, until) >= 0)
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "to",
		               "to: '%s' is before from '%s'; the span runs from the first day to "
		               "the last, both included",
		               req_query(r, "to"), req_query(r, "from"));
	f.from = has_from ? from : NULL;
	f.until = has_until ? until : NULL;
	f.limit = (int)limit;
	buf_adds(&r->out, "{\"items\":[");
	if (store_audit_find(r->db, &f, audit_row, &x, &r->err))
		return -1;
	api_list_next_id(&r->out, x.n == limit, x.last);
	buf_adds(&r->out, "}\n");
	return 0;
}
