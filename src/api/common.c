#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/article.h"
#include "../util/num.h"
#include "api.h"
#include "open311.h"

const struct route api_routes[] = {
    {"GET", "/api/v1/session", h_session_get, ROUTE_PUBLIC},
    {"POST", "/api/v1/session", h_session_login, ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_ON_WORKER},
    {"DELETE", "/api/v1/session", h_session_logout, 0},
    {"PUT", "/api/v1/session/password", h_session_password, ROUTE_ON_WORKER},
    {"GET", "/api/v1/jurisdictions", h_jurisdiction_list, ROUTE_PUBLIC},
    {"POST", "/api/v1/jurisdictions", h_jurisdiction_add, 0},
    {"GET", "/api/v1/jurisdictions/:id", h_jurisdiction_get, ROUTE_PUBLIC},
    {"PATCH", "/api/v1/jurisdictions/:id", h_jurisdiction_update, 0},
    {"GET", "/api/v1/jurisdictions/:id/rollup", h_jurisdiction_rollup, 0},
    {"GET", "/api/v1/users", h_user_list, 0},
    {"POST", "/api/v1/users", h_user_add, 0},
    {"PATCH", "/api/v1/users/:id", h_user_update, 0},
    {"PUT", "/api/v1/users/:id/role", h_user_role, 0},
    {"PUT", "/api/v1/users/:id/password", h_user_password, ROUTE_ON_WORKER},
    {"GET", "/api/v1/users/:id/keys", h_user_keys, 0},
    {"POST", "/api/v1/users/:id/keys", h_user_key_add, 0},
    {"DELETE", "/api/v1/users/:id/keys/:key", h_user_key_revoke, 0},
    {"GET", "/api/v1/enterprises", h_enterprise_list, 0},
    {"POST", "/api/v1/enterprises", h_enterprise_create, 0},
    {"POST", "/api/v1/enterprises/import", h_enterprise_import, 0},
    {"GET", "/api/v1/enterprises/:id", h_enterprise_get, 0},
    {"PATCH", "/api/v1/enterprises/:id", h_enterprise_update, 0},
    {"POST", "/api/v1/enterprises/:id/retire", h_enterprise_retire, 0},
    {"POST", "/api/v1/enterprises/:id/move", h_enterprise_move, 0},
    {"GET", "/api/v1/enterprises/:id/moves", h_enterprise_moves, 0},
    {"GET", "/api/v1/enterprise-moves", h_move_list, 0},
    {"GET", "/api/v1/clusters", h_cluster_list, 0},
    {"POST", "/api/v1/clusters", h_cluster_add, 0},
    {"GET", "/api/v1/clusters/:id", h_cluster_get, 0},
    {"PATCH", "/api/v1/clusters/:id", h_cluster_update, 0},
    {"GET", "/api/v1/organisations", h_organisation_list, 0},
    {"POST", "/api/v1/organisations", h_organisation_create, 0},
    {"GET", "/api/v1/organisations/tree", h_organisation_tree, 0},
    {"GET", "/api/v1/organisations/:id", h_organisation_get, 0},
    {"PATCH", "/api/v1/organisations/:id", h_organisation_update, 0},
    {"GET", "/api/v1/coverage", h_coverage, 0},
    {"GET", "/api/v1/coverage/uncovered", h_coverage_uncovered, 0},
    {"GET", "/api/v1/coverage/geojson", h_coverage_geojson, 0},
    {"GET", "/api/v1/alliances", h_alliance_list, 0},
    {"GET", "/api/v1/alliances/:id", h_alliance_get, 0},
    {"POST", "/api/v1/alliances/:id/members", h_alliance_member_add, 0},
    {"GET", "/api/v1/audit", h_audit_list, 0},
    /* The bulletin (bulletin.c): public to read, written by staff; its
     * Atom feeds outside /api/v1, where feed readers look (the server
     * sends only paths ending in .atom there; the pages are the
     * console's). */
    {"GET", "/api/v1/bulletin", h_bulletin_list, ROUTE_PUBLIC},
    {"POST", "/api/v1/bulletin", h_bulletin_create, 0},
    {"GET", "/api/v1/bulletin/tags", h_bulletin_tags, ROUTE_PUBLIC},
    {"POST", "/api/v1/bulletin/preview", h_bulletin_preview, ROUTE_ON_WORKER},
    {"GET", "/api/v1/bulletin/:id", h_bulletin_get, ROUTE_PUBLIC},
    {"PATCH", "/api/v1/bulletin/:id", h_bulletin_update, 0},
    {"DELETE", "/api/v1/bulletin/:id", h_bulletin_delete, 0},
    {"POST", "/api/v1/bulletin/:id/publish", h_bulletin_publish, 0},
    {"POST", "/api/v1/bulletin/:id/unpublish", h_bulletin_unpublish, 0},
    {"POST", "/api/v1/bulletin/:id/images", h_bulletin_image_add, 0},
    {"GET", "/api/v1/bulletin/:id/images/:image", h_bulletin_image_get, ROUTE_PUBLIC},
    {"GET", "/bulletin.atom", h_bulletin_feed, ROUTE_PUBLIC},
    {"GET", "/bulletin/tags/:tag", h_bulletin_tag_feed, ROUTE_PUBLIC},
    {"GET", "/api/v1/clusters/:id/chain", h_chain_map, 0},
    {"POST", "/api/v1/clusters/:id/chain/nodes", h_chain_node_add, 0},
    {"POST", "/api/v1/clusters/:id/chain/edges", h_chain_edge_add, 0},
    {"GET", "/api/v1/clusters/:id/gaps", h_chain_gaps, 0},
    {"GET", "/api/v1/clusters/:id/localisation", h_chain_localisation, 0},
    {"GET", "/api/v1/clusters/:id/loops", h_chain_loops, 0},
    {"GET", "/api/v1/chain/nodes/:id", h_chain_node, 0},
    {"GET", "/api/v1/enterprises/:id/partners", h_enterprise_partners, 0},
    {"GET", "/api/v1/enterprises/:id/localisation", h_enterprise_localisation, 0},
    {"GET", "/api/v1/enterprises/:id/attracted", h_enterprise_attracted, 0},
    {"POST", "/api/v1/enterprises/:id/partner-contacts", h_partner_contact_add, 0},
    {"PUT", "/api/v1/enterprises/:id/products/:node", h_offer_put, 0},
    {"PUT", "/api/v1/enterprises/:id/needs/:node", h_offer_put, 0},
    {"DELETE", "/api/v1/enterprises/:id/products/:node", h_offer_put, 0},
    {"DELETE", "/api/v1/enterprises/:id/needs/:node", h_offer_put, 0},
    {"POST", "/api/v1/supply-links", h_supply_link_add, 0},
    {"PUT", "/api/v1/chain/nodes/:id", h_chain_node_update, 0},
    {"DELETE", "/api/v1/chain/nodes/:id", h_chain_node_delete, 0},
    {"DELETE", "/api/v1/clusters/:id/chain/edges/:from/:to", h_chain_edge_delete, 0},
    {"GET", "/api/v1/enterprises/:id/chain", h_enterprise_chain, 0},
    {"GET", "/api/v1/leads", h_lead_list, 0},
    {"POST", "/api/v1/leads", h_lead_add, 0},
    {"GET", "/api/v1/leads/:id", h_lead_get, 0},
    {"POST", "/api/v1/leads/:id/stage", h_lead_stage, 0},
    {"GET", "/api/v1/grids", h_grid_list, 0},
    {"POST", "/api/v1/grids", h_grid_add, 0},
    {"GET", "/api/v1/grids/geojson", h_grid_export, 0},
    {"POST", "/api/v1/grids/import", h_grid_import, 0},
    {"GET", "/api/v1/grids/unplaced", h_grid_unplaced, 0},
    {"GET", "/api/v1/grids/:id", h_grid_get, 0},
    {"PUT", "/api/v1/grids/:id", h_grid_update, 0},
    {"PUT", "/api/v1/grids/:id/members", h_grid_members, 0},
    {"GET", "/api/v1/grids/:id/cards.pdf", h_grid_cards_pdf, 0},
    {"POST", "/api/v1/grids/:id/split", h_grid_split, 0},
    {"POST", "/api/v1/grids/:id/members", h_grid_member_add, 0},
    {"DELETE", "/api/v1/grids/:id/members/:user", h_grid_member_remove, 0},
    {"GET", "/api/v1/grids/:id/candidates", h_grid_candidates, 0},
    {"GET", "/api/v1/enterprises/:id/visits", h_enterprise_visits, 0},
    {"POST", "/api/v1/visits", h_visit_add, 0},
    {"GET", "/api/v1/enterprises/:id/indicators", h_enterprise_indicators, 0},
    {"PUT", "/api/v1/enterprises/:id/indicators/:period", h_indicator_put, 0},
    {"GET", "/api/v1/alerts", h_alert_list, 0},
    {"GET", "/api/v1/cases", h_case_list, 0},
    {"POST", "/api/v1/cases", h_case_create, ROUTE_ON_WORKER},
    {"GET", "/api/v1/cases/similar", h_case_similar, 0},
    {"GET", "/api/v1/cases/stats", h_case_stats, 0},
    {"GET", "/api/v1/cases/export", h_case_export, 0},
    {"GET", "/api/v1/cases/rankings", h_case_rankings, 0},
    {"GET", "/api/v1/cases/:id", h_case_get, 0},
    {"POST", "/api/v1/cases/:id/transition", h_case_move, 0},
    {"POST", "/api/v1/cases/:id/assign", h_case_assign, 0},
    {"POST", "/api/v1/cases/:id/reply", h_case_reply, 0},
    {"POST", "/api/v1/cases/:id/merge", h_case_merge, 0},
    {"POST", "/api/v1/cases/:id/rating", h_case_rate, 0},
    {"POST", "/api/v1/cases/:id/reopen", h_case_reopen, 0},
    {"POST", "/api/v1/cases/:id/photos", h_case_photo_add, 0},
    {"GET", "/api/v1/cases/:id/photos/:photo", h_case_photo_get, 0},
    {"POST", "/api/v1/cases/:id/transfer", h_case_transfer, 0},
    {"POST", "/api/v1/cases/:id/transfer/accept", h_case_transfer_accept, 0},
    {"POST", "/api/v1/cases/:id/transfer/return", h_case_transfer_return, 0},
    {"GET", "/api/v1/cases/:id/transfers", h_case_transfers, 0},
    {"GET", "/api/v1/transfers", h_transfer_list, 0},
    /* Cases by step: requests and their decisions, parking, the
     * callback and the check on site (case_requests.c). */
    {"GET", "/api/v1/cases/:id/requests", h_case_requests, 0},
    {"POST", "/api/v1/cases/:id/requests", h_case_request_add, 0},
    {"POST", "/api/v1/cases/:id/requests/:rid/decision", h_case_request_decide, 0},
    {"POST", "/api/v1/cases/:id/resume", h_case_resume, 0},
    {"POST", "/api/v1/cases/:id/callback", h_case_callback, 0},
    {"POST", "/api/v1/cases/:id/site-check", h_case_site_check, 0},
    {"GET", "/api/v1/case-requests", h_case_requests_waiting, 0},
    {"GET", "/api/v1/departments", h_department_list, 0},
    {"GET", "/api/v1/case-categories", h_category_list, ROUTE_PUBLIC},
    {"POST", "/api/v1/case-categories", h_category_add, 0},
    {"GET", "/api/v1/case-categories/:id/limits", h_category_limits_get, 0},
    {"PUT", "/api/v1/case-categories/:id/limits", h_category_limits_put, 0},
    {"GET", "/api/v1/work-calendar/:year", h_work_calendar_get, 0},
    {"PUT", "/api/v1/work-calendar/:year", h_work_calendar_put, 0},
    {"GET", "/api/v1/collection-points", h_point_list, ROUTE_PUBLIC},
    {"GET", "/api/v1/booklet.pdf", h_booklet_pdf, 0},
    {"POST", "/api/v1/collection-points", h_point_add, 0},
    {"PUT", "/api/v1/collection-points/:id", h_point_update, 0},
    {"GET", "/api/v1/webhooks", h_webhook_list, 0},
    {"POST", "/api/v1/webhooks", h_webhook_add, 0},
    {"DELETE", "/api/v1/webhooks/:id", h_webhook_delete, 0},
    {"POST", "/api/v1/public/cases", h_public_case_create, ROUTE_PUBLIC | ROUTE_ON_WORKER},
    {"GET", "/api/v1/public/cases/:code", h_public_case_get, ROUTE_PUBLIC},
    {"POST", "/api/v1/public/cases/:code/rating", h_public_case_rate, ROUTE_PUBLIC},
    {"POST", "/api/v1/public/cases/:code/reopen", h_public_case_reopen, ROUTE_PUBLIC},
    {"GET", "/api/v1/public/suggestions", h_public_suggestions, ROUTE_PUBLIC},
    {"GET", "/api/v1/public/similar", h_public_similar, ROUTE_PUBLIC},
    /* Suggestions carried through, the departments' reply templates and
     * bulk replies (case_suggestions.c, case_plans.c, case_replies.c). */
    {"GET", "/api/v1/public/suggestions/:id", h_public_suggestion_get, ROUTE_PUBLIC},
    {"GET", "/api/v1/cases/:id/plan", h_case_plan_get, 0},
    {"PUT", "/api/v1/cases/:id/plan", h_case_plan_put, 0},
    {"POST", "/api/v1/cases/bulk-reply", h_case_bulk_reply, 0},
    {"GET", "/api/v1/departments/:id/reply-templates", h_reply_template_list, 0},
    {"POST", "/api/v1/departments/:id/reply-templates", h_reply_template_add, 0},
    {"PUT", "/api/v1/reply-templates/:id", h_reply_template_update, 0},
    {"DELETE", "/api/v1/reply-templates/:id", h_reply_template_delete, 0},
    {"GET", "/api/v1/enterprises/:id/card", h_card_get, 0},
    {"GET", "/api/v1/enterprises/:id/card.vcf", h_card_vcf, 0},
    {"GET", "/api/v1/enterprises/:id/card.svg", h_card_svg, 0},
    {"GET", "/api/v1/enterprises/:id/card.png", h_card_png, 0},
    {"GET", "/api/v1/enterprises/:id/card.pdf", h_card_pdf, 0},
    {"POST", "/api/v1/enterprises/:id/card/token", h_card_token_issue, 0},
    {"GET", "/api/v1/public/cards/:token", h_public_card, ROUTE_PUBLIC},
    {"GET", "/api/v1/jurisdictions/:id/service-desk", h_desk_get, ROUTE_PUBLIC},
    {"PUT", "/api/v1/jurisdictions/:id/service-desk", h_desk_put, 0},
    {"GET", "/q/:token", h_card_open, ROUTE_PUBLIC},
    /* The service catalogue: public to read; its HSDS export outside
     * /api/v1, as other directories expect to find it. */
    {"GET", "/api/v1/services", h_service_list, ROUTE_PUBLIC},
    {"POST", "/api/v1/services", h_service_create, 0},
    {"GET", "/api/v1/services/:id", h_service_get, ROUTE_PUBLIC},
    {"PATCH", "/api/v1/services/:id", h_service_update, 0},
    {"POST", "/api/v1/services/:id/retire", h_service_retire, 0},
    {"POST", "/api/v1/services/:id/approve", h_service_approve, 0},
    {"POST", "/api/v1/services/:id/request", h_service_request, 0},
    {"GET", "/hsds/services", h_hsds_services, ROUTE_PUBLIC},
    /* Policy measures, matching, applications and grant batches
     * (policies.c, applications.c).  The rule check writes nothing. */
    {"GET", "/api/v1/policies", h_policy_list, 0},
    {"POST", "/api/v1/policies", h_policy_create, 0},
    {"POST", "/api/v1/policies/check", h_policy_check, ROUTE_ON_WORKER},
    {"GET", "/api/v1/policies/:id", h_policy_get, 0},
    {"PUT", "/api/v1/policies/:id", h_policy_update, 0},
    {"GET", "/api/v1/policies/:id/eligible", h_policy_eligible, 0},
    {"POST", "/api/v1/policies/:id/applications", h_application_create, 0},
    {"POST", "/api/v1/policies/:id/batches", h_batch_create, 0},
    {"GET", "/api/v1/policies/:id/batches", h_batch_list, 0},
    {"GET", "/api/v1/enterprises/:id/policies", h_enterprise_policies, 0},
    {"GET", "/api/v1/enterprises/:id/questions", h_enterprise_questions, 0},
    {"GET", "/api/v1/applications", h_application_list, 0},
    {"GET", "/api/v1/applications/:id", h_application_get, 0},
    {"POST", "/api/v1/applications/:id/transition", h_application_step, 0},
    {"GET", "/api/v1/batches/:id", h_batch_get, 0},
    {"POST", "/api/v1/batches/:id/confirm", h_batch_confirm, 0},
    /* Events, their agenda and calendars (events.c).  GET
     * /api/v1/events/{id}.ics is the :id route with the suffix; the feeds
     * are public routes that authenticate by session, key or ?token=. */
    {"GET", "/api/v1/event-kinds", h_event_kind_list, 0},
    {"POST", "/api/v1/event-kinds", h_event_kind_put, 0},
    {"GET", "/api/v1/events", h_event_list, 0},
    {"POST", "/api/v1/events", h_event_create, 0},
    {"GET", "/api/v1/events/alerts", h_event_alerts, 0},
    {"GET", "/api/v1/events/:id", h_event_get, 0},
    {"PATCH", "/api/v1/events/:id", h_event_update, 0},
    {"POST", "/api/v1/events/:id/agenda/draft", h_event_draft, 0},
    {"POST", "/api/v1/events/:id/items", h_event_item_add, 0},
    {"PATCH", "/api/v1/events/:id/items/:item", h_event_item_update, 0},
    {"DELETE", "/api/v1/events/:id/items/:item", h_event_item_delete, 0},
    {"POST", "/api/v1/events/:id/problems", h_event_problem, 0},
    {"POST", "/api/v1/events/:id/reply", h_event_reply, 0},
    {"POST", "/api/v1/calendars/token", h_calendar_token, 0},
    {"GET", "/api/v1/calendars/:type/:id", h_calendar_feed, ROUTE_PUBLIC},
    {"GET", "/api/v1/dashboard", h_dashboard, 0},
    {"GET", "/api/v1/dashboard/report.xlsx", h_dashboard_xlsx, 0},
    {"GET", "/api/v1/dashboard/report.pdf", h_dashboard_pdf, 0},
    {"GET", "/api/v1/reference-employment", h_refemp_list, 0},
    {"POST", "/api/v1/reference-employment", h_refemp_import, 0},
};
const int api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);

/* Open311 answers in its own forms and authenticates by api_key in the
 * body, so the session's CSRF rule does not apply to it. */
const struct route open311_routes[] = {
    {"GET", "/open311/v2/discovery", h_open311_discovery, ROUTE_PUBLIC},
    {"GET", "/open311/v2/services", h_open311_services, ROUTE_PUBLIC},
    {"GET", "/open311/v2/services/:code", h_open311_service, ROUTE_PUBLIC},
    {"GET", "/open311/v2/requests", h_open311_requests, ROUTE_PUBLIC},
    {"POST", "/open311/v2/requests", h_open311_post,
     ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_ON_WORKER},
    {"GET", "/open311/v2/requests/:id", h_open311_request, ROUTE_PUBLIC},
    {"GET", "/open311/v2/tokens/:token", h_open311_token, ROUTE_PUBLIC},
};
const int open311_nroutes = sizeof(open311_routes) / sizeof(open311_routes[0]);

/* 1 when a Content-Type names JSON: application/json, or GeoJSON's
 * application/geo+json (RFC 7946), with or without parameters. */
static int is_json_type(const char *type)
{
	static const char *const types[] = {"application/json", "application/geo+json"};

	for (size_t i = 0; type && i < sizeof(types) / sizeof(types[0]); i++) {
		size_t n = strlen(types[i]);
		if (strncasecmp(type, types[i], n) == 0 &&
		    (type[n] == '\0' || type[n] == ';' || type[n] == ' ' || type[n] == '\t'))
			return 1;
	}
	return 0;
}

json_t *req_json_object(struct req *r)
{
	const char *type = req_header(r, "Content-Type");
	json_error_t je;
	json_t *v; /* A body without a type is refused too: a cross-site form or a
	            * no-cors fetch can send one without a preflight. */
	if (!is_json_type(type)) {
		err_set(&r->err, ERR_MEDIA_TYPE, "unsupported_media_type", NULL,
		        "the body must be application/json, not %.60s", type ? type : "untyped");
		return NULL;
	}
	if (!r->body_len) {
		err_set(&r->err, ERR_MALFORMED, "empty_body", NULL,
		        "the request needs a JSON object as its body");
		return NULL;
	}
	v = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		err_set(&r->err, ERR_MALFORMED, "malformed_json", NULL,
		        "the body is not valid JSON: %s at line %d, column %d", je.text, je.line,
		        je.column);
		r->err.line = je.line;
		r->err.column = je.column;
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		err_set(&r->err, ERR_MALFORMED, "not_an_object", NULL,
		        "the body must be a JSON object");
		return NULL;
	}
	return v;
}

int api_need_login(struct req *r)
{
	return err_set(&r->err, ERR_UNAUTHORIZED, "login_required", NULL,
	               "sign in first (POST /api/v1/session) or send an API key");
}

int api_forbidden(struct req *r, const char *what)
{
	return err_set(&r->err, ERR_FORBIDDEN, "forbidden", NULL, "%s %s may not %s",
	               article(role_name(r->who.role)), role_name(r->who.role), what);
}

int api_not_found(struct req *r, const char *thing, int64_t id)
{
	err_clear(&r->err);
	return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no %s with id %lld", thing,
	               (long long)id);
}

int api_param_id(struct req *r, int i, int64_t *id)
{
	const char *s = i < r->nparams ? r->params[i] : "";
	int64_t v = 0;
	enum num_result rc = num_int64(s, &v);

	/* Beyond 64 bits is no id either, not the largest one. */
	if (rc == NUM_RANGE)
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id",
		               "'%.40s' is not an id: ids are at most %lld", s,
		               (long long)INT64_MAX);
	if (rc != NUM_OK || v <= 0)
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id",
		               "'%.40s' is not an id: ids are positive whole numbers", s);
	*id = v;
	return 0;
}

int api_only_fields(struct req *r, json_t *body, const char *const *known, const char *of_what)
{
	const char *key;
	json_t *v;
	int bad = 0;

	json_object_foreach(body, key, v)
	{
		int ok = 0;
		struct buf list = BUF_INIT;

		for (int i = 0; known[i] && !ok; i++)
			ok = strcmp(key, known[i]) == 0;
		if (ok)
			continue;
		for (int i = 0; known[i]; i++)
			buf_printf(&list, "%s%s", i ? ", " : "", known[i]);
		err_field(&r->err, key, "unknown_field", "%.60s: is not a field %s (%s)", key,
		          of_what, buf_cstr(&list));
		buf_release(&list);
		bad = 1;
	}
	return bad ? -1 : 0;
}

int api_audit(struct req *r, const char *action, const char *entity, int64_t id, const char *before,
              const char *after)
{
	struct audit_entry a = {
	    .user_id = r->who.user_id,
	    .username = r->who.username,
	    .action = action,
	    .entity = entity,
	    .entity_id = id,
	    .before = before,
	    .after = after,
	    .request_id = r->request_id,
	};
	return store_audit_add(r->db, &a, &r->err);
}

int api_field_id(struct req *r, json_t *body, const char *name, int required, int64_t *out)
{
	json_t *v = json_object_get(body, name);

	if (!v || json_is_null(v)) {
		if (required)
			err_field(&r->err, name, "required", "%s: is required (an id)", name);
		return required ? -1 : 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		err_field(&r->err, name, json_is_integer(v) ? "out_of_range" : "wrong_type",
		          "%s: must be a positive whole number (an id)", name);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

int api_field_number(struct req *r, json_t *body, const char *name, int required, double min,
                     double max, double *out)
{
	json_t *v = json_object_get(body, name);

	if (!v || json_is_null(v)) {
		if (required)
			err_field(&r->err, name, "required", "%s: is required (a number)", name);
		return required ? -1 : 0;
	}
	if (!json_is_number(v)) {
		err_field(&r->err, name, "wrong_type", "%s: must be a number", name);
		return -1;
	}
	/* jansson reads no NaN or infinity from JSON text, but a number is
	 * checked here whatever made it. */
	if (!isfinite(json_number_value(v)) || json_number_value(v) < min ||
	    json_number_value(v) > max) {
		err_field(&r->err, name, "out_of_range", "%s: must be between %g and %g, got %g",
		          name, min, max, json_number_value(v));
		return -1;
	}
	*out = json_number_value(v);
	return 0;
}

int api_field_string(struct req *r, json_t *body, const char *name, int required, long maxchars,
                     char *out, size_t outsz)
{
	json_t *v = json_object_get(body, name);
	long n;

	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
		if (required)
			err_field(&r->err, name, "required", "%s: is required (text)", name);
		return required ? -1 : 0;
	}
	if (!json_is_string(v)) {
		err_field(&r->err, name, "wrong_type", "%s: must be a string", name);
		return -1;
	}
	n = utf8_chars(json_string_value(v));
	if (n < 0 || n > maxchars || strlen(json_string_value(v)) >= outsz) {
		err_field(&r->err, name, "too_long", "%s: must be at most %ld characters", name,
		          maxchars);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)json_string_value(v); *p; p++) {
		if (*p < 0x20) {
			err_field(&r->err, name, "control_character",
			          "%s: must not contain control characters", name);
			return -1;
		}
	}
	snprintf(out, outsz, "%s", json_string_value(v));
	return 0;
}

int api_field_date(struct req *r, json_t *body, const char *name, int required, char out[11])
{
	char tmp[32] = "";
	struct enterprise probe;
	struct err e;

	if (api_field_string(r, body, name, required, 10, tmp, sizeof(tmp)) || !tmp[0])
		return tmp[0] || !required ? (r->err.kind != ERR_NONE ? -1 : 0) : -1;
	/* One date rule for the whole product: the registry's. */
	err_clear(&e);
	if (enterprise_set_text(&probe, "founded", tmp, &e)) {
		err_field(&r->err, name, "invalid_date",
		          "%s: '%s' must be a date YYYY-MM-DD between 1800 and 2100", name, tmp);
		return -1;
	}
	memcpy(out, tmp, 11);
	return 0;
}

void api_list_next(struct buf *b, const char *cursor)
{
	buf_adds(b, "],\"next\":");
	buf_json_str(b, cursor && *cursor ? cursor : NULL);
}

void api_list_next_id(struct buf *b, int more, int64_t last)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)last);
	api_list_next(b, more ? id : NULL);
}

int api_query_cursor_id(struct req *r, const char *older, int64_t lo, int64_t *out)
{
	return api_query_int(r, req_query(r, "cursor") ? "cursor" : older, lo, INT64_MAX, out);
}

int api_query_int(struct req *r, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
	const char *v = req_query(r, name);
	int64_t n = 0;

	if (!v)
		return 0;
	if (num_int64(v, &n) != NUM_OK || n < lo || n > hi)
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", name,
		               "%s: must be a whole number from %lld to %lld", name, (long long)lo,
		               (long long)hi);
	*out = n;
	return 0;
}

int api_query_decimal(struct req *r, const char *name, double lo, double hi, double *out,
                      int *given)
{
	const char *v = req_query(r, name);
	double x = 0;
	enum num_result rc;

	*given = 0;
	if (!v || !*v)
		return 0;
	rc = num_decimal(v, &x);
	if (rc != NUM_OK || x < lo || x > hi)
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", name,
		               "%s: '%.40s' must be a decimal number from %g to %g%s", name, v, lo,
		               hi,
		               rc == NUM_SYNTAX ? " (digits, an optional '-', '.' and exponent; "
		                                  "no hexadecimal, nan or inf)"
		                                : "");
	*out = x;
	*given = 1;
	return 0;
}

int h_health(struct req *r)
{
	buf_adds(&r->out, "{\"status\":\"ok\"}\n");
	return 0;
}

int api_idset_add(void *ctx, int64_t id)
{
	struct idset *s = ctx;

	if (s->n < 256)
		s->v[s->n++] = id;
	return 0;
}

int api_idset_has(const struct idset *s, int64_t id)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return 1;
	return 0;
}

int api_in_my_grid(struct req *r, int64_t grid_id, struct idset *mine)
{
	if (!grid_id || r->who.role != ROLE_GRID_WORKER)
		return 0;
	if (!mine->n && store_user_grids(r->db, r->who.user_id, api_idset_add, mine, &r->err))
		return 0;
	return api_idset_has(mine, grid_id);
}

const struct http_app *api_app(void)
{
	static const struct http_app app = {
	    .routes = api_routes,
	    .nroutes = sizeof(api_routes) / sizeof(api_routes[0]),
	    .open311_routes = open311_routes,
	    .nopen311_routes = sizeof(open311_routes) / sizeof(open311_routes[0]),
	    .open311_split = open311_split,
	    .open311_error = open311_error,
	    .open311_content_type = open311_content_type,
	    .open311_cors = open311_cors_headers,
	    .write_prepare = api_write_prepare,
	    .need_login = api_need_login,
	};
	return &app;
}
