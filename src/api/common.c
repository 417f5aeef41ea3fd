#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

const struct route api_routes[] = {
    {"GET", "/api/v1/session", h_session_get, ROUTE_PUBLIC},
    {"POST", "/api/v1/session", h_session_login, ROUTE_PUBLIC | ROUTE_NO_CSRF},
    {"DELETE", "/api/v1/session", h_session_logout, 0},
    {"GET", "/api/v1/enterprises", h_enterprise_list, 0},
    {"POST", "/api/v1/enterprises", h_enterprise_create, 0},
    {"GET", "/api/v1/enterprises/:id", h_enterprise_get, 0},
    {"PATCH", "/api/v1/enterprises/:id", h_enterprise_update, 0},
    {"POST", "/api/v1/enterprises/:id/retire", h_enterprise_retire, 0},
    {"GET", "/api/v1/clusters", h_cluster_list, 0},
    {"GET", "/api/v1/organisations", h_organisation_list, 0},
    {"GET", "/api/v1/audit", h_audit_list, 0},
    {"GET", "/api/v1/bulletin", h_bulletin_list, ROUTE_PUBLIC},
};
const int api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);

json_t *req_json_object(struct req *r)
{
	const char *type = req_header(r, "Content-Type");
	json_error_t je;
	json_t *v;

	if (type && strncasecmp(type, "application/json", 16) != 0) {
		err_set(&r->err, ERR_MEDIA_TYPE, "unsupported_media_type", NULL,
			"the body must be application/json, not %.60s", type);
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
	return err_set(&r->err, ERR_FORBIDDEN, "forbidden", NULL, "a %s may not %s",
		       role_name(r->who.role), what);
}

int api_param_id(struct req *r, int i, int64_t *id)
{
	const char *s = i < r->nparams ? r->params[i] : "";
	char *end;
	long long v = strtoll(s, &end, 10);

	if (!*s || *end || v <= 0)
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id",
			       "'%.40s' is not an id: ids are positive whole numbers", s);
	*id = v;
	return 0;
}

int api_audit(struct req *r, const char *action, const char *entity, int64_t id,
	      const char *before, const char *after)
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

int h_health(struct req *r)
{
	buf_adds(&r->out, "{\"status\":\"ok\"}\n");
	return 0;
}
