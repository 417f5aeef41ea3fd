/*
 * A category's time limits by urgency and step, with its closing rule,
 * and the town's working calendar by year:
 *
 *   GET /api/v1/case-categories/{id}/limits     signed in
 *   PUT /api/v1/case-categories/{id}/limits     admin (of the category's place)
 *   GET /api/v1/work-calendar/{year}            signed in
 *   PUT /api/v1/work-calendar/{year}            admin of the whole tree
 *
 * A change applies to cases taken in afterwards: a case keeps the limits
 * it was given at intake, its promise to the submitter.
 */
#include <stdlib.h>
#include <string.h>

#include "../store/store_casereq.h"
#include "api.h"
#include "jur_tree.h"

/* Loads category path parameter 0; 404 for none. */
static int load_category(struct req *r, struct category_rec *cat)
{
	int64_t id;

	if (api_param_id(r, 0, &id))
		return -1;
	return store_category_get(r->db, id, cat, &r->err);
}

static void limits_answer(struct req *r, const struct category_rec *cat,
                          const struct case_limits *x)
{
	buf_printf(&r->out, "{\"category_id\":%lld,\"code\":", (long long)cat->id);
	buf_json_str(&r->out, cat->code);
	buf_printf(&r->out, ",\"deadline_hours\":%d,", cat->deadline_hours);
	/* The canonical object without its braces, after the category's. */
	{
		struct buf b = BUF_INIT;
		case_limits_to_json(x, &b);
		buf_add(&r->out, buf_cstr(&b) + 1, b.len - 1);
		buf_release(&b);
	}
	buf_addc(&r->out, '\n');
}

int h_category_limits_get(struct req *r)
{
	struct category_rec *cat = malloc(sizeof(*cat));
	struct case_limits x;
	int rc = -1;

	if (!cat)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (r->who.role == ROLE_PUBLIC) {
		api_need_login(r);
		goto out;
	}
	if (load_category(r, cat) || store_case_limits_get(r->db, cat->id, &x, &r->err))
		goto out;
	limits_answer(r, cat, &x);
	rc = 0;
out:
	free(cat);
	return rc;
}

int h_category_limits_put(struct req *r)
{
	struct category_rec *cat = malloc(sizeof(*cat));
	struct case_limits x;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body = NULL;
	int rc = -1;

	if (!cat)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (r->who.role == ROLE_PUBLIC) {
		api_need_login(r);
		goto out;
	}
	if (r->who.role != ROLE_ADMIN) {
		api_forbidden(r, "set a category's time limits; an admin does");
		goto out;
	}
	if (!(body = req_json_object(r)) || load_category(r, cat))
		goto out;
	/* The category's own place: an admin of one town sets the limits of
	 * the categories defined there or below, not the city's. */
	if (r->who.scope.id) {
		struct jur_tree *t = jur_tree_get(r->db, &r->err);
		struct jur_pos pos =
		    t ? jur_tree_pos(t, cat->jurisdiction_id) : (struct jur_pos){0, 0};
		int in = t && jur_in_scope(&r->who.scope, &pos);
		jur_tree_put(t);
		if (!t)
			goto out;
		if (!in) {
			err_set(
			    &r->err, ERR_FORBIDDEN, "outside_scope", NULL,
			    "category %s is defined above the jurisdictions this account acts for; "
			    "an admin there sets its limits",
			    cat->code);
			goto out;
		}
	}
	if (case_limits_from_json(body, &x, &r->err))
		goto out;
	{
		struct case_limits old;
		if (store_begin(r->db, &r->err) ||
		    store_case_limits_get(r->db, cat->id, &old, &r->err))
			goto out;
		case_limits_to_json(&old, &before);
		case_limits_to_json(&x, &after);
	}
	if (store_case_limits_put(r->db, cat->id, &x, &r->err) ||
	    api_audit(r, "limits", "case_category", cat->id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	limits_answer(r, cat, &x);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	json_decref(body);
	free(cat);
	return rc;
}

static int year_param(struct req *r, int *year)
{
	int64_t y;

	if (api_param_id(r, 0, &y))
		return -1;
	if (y < 2000 || y > 2099)
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "year",
		               "year: must be from 2000 to 2099");
	*year = (int)y;
	return 0;
}

int h_work_calendar_get(struct req *r)
{
	struct work_year *y = malloc(sizeof(*y));
	int year, rc = -1;

	if (!y)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (r->who.role == ROLE_PUBLIC) {
		api_need_login(r);
		goto out;
	}
	if (year_param(r, &year) || store_work_year_get(r->db, year, y, &r->err))
		goto out;
	work_year_to_json(y, &r->out);
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	free(y);
	return rc;
}

int h_work_calendar_put(struct req *r)
{
	struct work_year *y = malloc(sizeof(*y)), *old = malloc(sizeof(*old));
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body = NULL;
	int year, rc = -1;

	if (!y || !old) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (r->who.role == ROLE_PUBLIC) {
		api_need_login(r);
		goto out;
	}
	/* The calendar is the whole town's (the country's holidays): its
	 * admin's, not one part's. */
	if (r->who.role != ROLE_ADMIN || r->who.scope.id) {
		api_forbidden(r, "set the working calendar; an admin of the whole tree does");
		goto out;
	}
	if (year_param(r, &year) || !(body = req_json_object(r)) ||
	    work_year_from_json(body, year, y, &r->err))
		goto out;
	if (store_begin(r->db, &r->err) || store_work_year_get(r->db, year, old, &r->err))
		goto out;
	work_year_to_json(old, &before);
	work_year_to_json(y, &after);
	if (store_work_year_put(r->db, y, &r->err) ||
	    api_audit(r, "calendar", "work_calendar", year, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	work_year_to_json(y, &r->out);
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	json_decref(body);
	free(y);
	free(old);
	return rc;
}
