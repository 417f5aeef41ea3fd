/*
 * What a handler sees of a request and fills in for its response.
 *
 * Handlers know nothing of libmicrohttpd: the server (http/server.c)
 * parses the request, authenticates the caller, and then calls the
 * handler with a struct req.  A handler returns 0 with r->status and
 * r->out set, or -1 with r->err set; the server renders the error as JSON
 * with the status that err_http_status() gives.
 */
#ifndef QY_API_H
#define QY_API_H

#include <jansson.h>
#include <stddef.h>

#include "../config.h"
#include "../domain/access.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../http/request.h"
#include "../util/err.h"

/* Parses the body as a JSON object; a syntax error names line and column,
 * a non-object body or a non-JSON content type is refused. */
json_t *req_json_object(struct req *r);

/* Shorthands that set r->err and return -1. */
int api_need_login(struct req *r);
int api_forbidden(struct req *r, const char *what);
/* 404 not_found in the words the store uses for an id it lacks
 * (store_found), for a record outside the caller's places: the two
 * answers must not differ, or ids would tell what other places hold. */
int api_not_found(struct req *r, const char *thing, int64_t id);
/* Adds an unknown_field error for each key of body not in known (a
 * NULL-terminated list), naming the record ("of a cluster") and the
 * fields it has; returns -1 when there was one. */
/* What the audit log keeps of a user: who, whether disabled, and how
 * many sessions a change ended (ended < 0: none said); users.c, for the
 * API and the command line alike. */
void api_user_audit_json(struct buf *out, const struct user *u, int ended);
int api_only_fields(struct req *r, json_t *body, const char *const *known, const char *of_what);
/* Parses path parameter i as a positive id or fails with 404. */
int api_param_id(struct req *r, int i, int64_t *id);

/*
 * Reading one field of a JSON body, at the edge: each adds a field error
 * naming the field and the rule (and returns -1) when the value is
 * missing but required, of the wrong type, or out of range.  A missing
 * optional field leaves *out unchanged and returns 0.
 */
int api_field_id(struct req *r, json_t *body, const char *name, int required, int64_t *out);
int api_field_number(struct req *r, json_t *body, const char *name, int required, double min,
                     double max, double *out);
int api_field_string(struct req *r, json_t *body, const char *name, int required, long maxchars,
                     char *out, size_t outsz);
/* A date YYYY-MM-DD. */
int api_field_date(struct req *r, json_t *body, const char *name, int required, char out[11]);
/* Query parameter as a whole number in [lo, hi] (util/num.h: digits and
 * an optional '-', nothing clamped); absent leaves *out. */
int api_query_int(struct req *r, const char *name, int64_t lo, int64_t hi, int64_t *out);
/* Query parameter as a decimal number in [lo, hi] (util/num.h: no
 * hexadecimal, nan or inf); absent or empty leaves *out and sets *given
 * to 0, a number sets it to 1. */
int api_query_decimal(struct req *r, const char *name, double lo, double hi, double *out,
                      int *given);

/* Writing leads as JSON, alone or as rows of a list. */
struct api_list {
	struct buf *out;
	int n;
};
void api_lead_json(struct buf *out, const struct lead_rec *l);
int api_lead_row(void *ctx, const struct lead_rec *l);

/* The grids a grid worker looks after, read once per request. */
struct idset {
	int64_t v[256];
	int n;
};
int api_idset_add(void *ctx, int64_t id);
int api_idset_has(const struct idset *s, int64_t id);
/* 1 when grid_id is one of the caller's grids (grid workers only). */
int api_in_my_grid(struct req *r, int64_t grid_id, struct idset *mine);

/* Sets a user's password: every session of the user ends but the
 * caller's own (keep_own), audited as action (session.c). */
int api_password_set(struct req *r, struct user *u, const char *new_pw, int keep_own,
                     const char *action);
/* A new password in field name: 8 to 1024 bytes (session.c). */
int api_field_password(struct req *r, json_t *body, const char *name, const char **out);
/* The token hash of the caller's own session, in hash; NULL when the
 * caller came with an API key. */
const char *api_own_session(struct req *r, char hash[65]);

/* Writes an audit entry for the current request. */
int api_audit(struct req *r, const char *action, const char *entity, int64_t id, const char *before,
              const char *after);

/*
 * A write to run on the writer thread (src/api/write.c): a copy of r
 * (every string it points to, its values, its body) and the handler, as
 * a deferred write whose job runs fn on the writer's connection inside
 * the group's transaction and whose respond() gives fn's answer, or the
 * group's error when its COMMIT failed: a 2xx means the write is on
 * disk.  NULL when out of memory.  The server sets conn and job.done.
 */
struct req_deferred *api_write_prepare(const struct req *r, handler_fn fn);

/* Jurisdictions (jurisdictions.c).  The tree is jur_tree.h's. */
struct jur_tree;
/* "name":{"id","code","name_zh","name_en"} of a node, null when unknown. */
void api_jur_ref_json(struct buf *out, const struct jur_tree *t, const char *name, int64_t id);
/* The same as ,"jurisdiction":..., the key every record carries. */
void api_jurisdiction_json(struct buf *out, const struct jur_tree *t, int64_t id);
/* The scope a list is cut to: the caller's, or the narrower one its
 * query parameter jurisdiction= (a division code or an id) names.  A
 * jurisdiction that does not exist is 422 unknown_jurisdiction; one
 * outside the caller's scope 403 outside_scope. */
int api_list_scope(struct req *r, const struct jur_tree *t, struct jur_scope *out);
/* Every list answers {"items":[...],"next":...}: after the last item,
 * api_list_next writes `],"next":` and the cursor to send back for the
 * next page as a string, or null on the last page (and for lists that
 * are never paged); the caller writes what follows and the closing brace.
 * api_list_next_id is the same for a list paged by a row's id. */
void api_list_next(struct buf *b, const char *cursor);
void api_list_next_id(struct buf *b, int more, int64_t last);
/* Where a page of a list paged by id starts: the query's cursor (the
 * previous answer's next), else the parameter's older name (after or
 * before), each at least lo.  0 when neither is given. */
int api_query_cursor_id(struct req *r, const char *older, int64_t lo, int64_t *out);
/* A body's jurisdiction field (a code or an id): it must exist and lie in
 * the caller's scope, else a field error (unknown_jurisdiction) or 403
 * outside_scope.  Missing and optional leaves *out. */
int api_field_jurisdiction(struct req *r, json_t *body, const char *name, int required,
                           const struct jur_tree *t, const struct jurisdiction **out);

/* The registry's records and the caller's jurisdictions
 * (registry_scope.c).  A record outside the caller's scope is 404, as an
 * unknown id is: ids tell nothing. */
int api_enterprise_load(struct req *r, int64_t id, struct enterprise *e);
/* A new enterprise's jurisdiction (enterprises.c); body may be NULL. */
int api_enterprise_jurisdiction(struct req *r, json_t *body, const struct jur_tree *t,
                                struct enterprise *e);
/* 1 when the enterprise lies in the scope (t may be NULL for the whole
 * tree). */
/* An enterprise a body names by id in field: one outside the caller's
 * places is, as one that does not exist, 422 unknown_enterprise. */
int api_enterprise_named(struct req *r, int64_t id, const char *field, struct enterprise *e);
int api_enterprise_in(const struct jur_tree *t, const struct jur_scope *s,
                      const struct enterprise *e);
/* A cluster is seen from its jurisdiction and from every one below it
 * (jur_sees): a district's cluster serves its towns. */
int api_cluster_load(struct req *r, int64_t id, struct cluster *c);
int api_cluster_seen(const struct jur_tree *t, const struct jur_scope *s, int64_t jurisdiction_id);
/* The enterprise as JSON with its jurisdiction, and with its warnings
 * (the USCC's region against its district's) when warnings is set. */
void api_enterprise_json(struct buf *out, const struct jur_tree *t, const struct enterprise *e,
                         int clear_contacts, int warnings);
/* How many enterprises of a scope each cluster or grid holds, for the
 * figures of a scoped list (the whole tree's are the records' own). */
struct api_counts {
	int64_t (*v)[2]; /* id, number */
	size_t n, cap;
	int failed; /* out of memory */
};
int api_counts_load(struct req *r, enum ent_count_by by, const struct jur_scope *s,
                    struct api_counts *c);
int64_t api_counts_get(const struct api_counts *c, int64_t id);
void api_counts_free(struct api_counts *c);

/* Route handlers. */

int h_health(struct req *r);
int h_jurisdiction_list(struct req *r);
int h_jurisdiction_get(struct req *r);
int h_jurisdiction_add(struct req *r);
int h_jurisdiction_update(struct req *r);
int h_jurisdiction_rollup(struct req *r);
/* The dashboard, its report and the reference employment (dashboard.c). */
int h_dashboard(struct req *r);
int h_dashboard_xlsx(struct req *r);
int h_dashboard_pdf(struct req *r);
int h_refemp_list(struct req *r);
int h_refemp_import(struct req *r);
struct dashboard;
void dashboard_json(struct buf *b, const struct dashboard *d);
int h_session_get(struct req *r);
int h_session_login(struct req *r);
int h_session_logout(struct req *r);
int h_session_password(struct req *r);
int h_user_list(struct req *r);
int h_user_update(struct req *r);
int h_user_add(struct req *r);
int h_user_role(struct req *r);
int h_user_password(struct req *r);
int h_user_keys(struct req *r);
int h_user_key_add(struct req *r);
int h_user_key_revoke(struct req *r);
int h_enterprise_list(struct req *r);
int h_enterprise_get(struct req *r);
int h_enterprise_create(struct req *r);
int h_enterprise_import(struct req *r);
int h_enterprise_update(struct req *r);
int h_enterprise_retire(struct req *r);
int h_enterprise_move(struct req *r);
int h_enterprise_moves(struct req *r);
int h_move_list(struct req *r);
int h_cluster_list(struct req *r);
int h_cluster_get(struct req *r);
int h_cluster_add(struct req *r);
int h_cluster_update(struct req *r);
int h_audit_list(struct req *r);
/* The bulletin (bulletin.c) and its Atom feeds (bulletin_feed.c). */
int h_bulletin_list(struct req *r);
int h_bulletin_tags(struct req *r);
int h_bulletin_get(struct req *r);
int h_bulletin_create(struct req *r);
int h_bulletin_update(struct req *r);
int h_bulletin_publish(struct req *r);
int h_bulletin_unpublish(struct req *r);
int h_bulletin_delete(struct req *r);
int h_bulletin_preview(struct req *r);
int h_bulletin_image_add(struct req *r);
int h_bulletin_image_get(struct req *r);
int h_bulletin_feed(struct req *r);
int h_bulletin_tag_feed(struct req *r);
int h_organisation_list(struct req *r);
int h_chain_map(struct req *r);
int h_chain_node(struct req *r);
int h_chain_node_add(struct req *r);
int h_chain_edge_add(struct req *r);
int h_chain_gaps(struct req *r);
int h_chain_localisation(struct req *r);
int h_chain_loops(struct req *r);
int h_enterprise_partners(struct req *r);
int h_enterprise_localisation(struct req *r);
int h_partner_contact_add(struct req *r);
int h_offer_put(struct req *r);
int h_supply_link_add(struct req *r);
/* Keeping a chain template, and an enterprise's part in the chain
 * (chain_edit.c); a node's fields as JSON, the object left open
 * (chains.c); 422 node_retired naming field when n is retired. */
int h_chain_node_update(struct req *r);
int h_chain_node_delete(struct req *r);
int h_chain_edge_delete(struct req *r);
int h_enterprise_chain(struct req *r);
void api_node_json(struct buf *out, const struct chain_node_rec *n);
int api_node_retired(struct req *r, const struct chain_node_rec *n, const char *field);
int h_lead_list(struct req *r);
int h_lead_get(struct req *r);
int h_lead_add(struct req *r);
int h_lead_stage(struct req *r);
int h_enterprise_attracted(struct req *r);
int h_grid_list(struct req *r);
int h_grid_export(struct req *r);
int h_grid_add(struct req *r);
int h_grid_update(struct req *r);
int h_grid_import(struct req *r);
int h_grid_get(struct req *r);
int h_grid_members(struct req *r);
int h_grid_unplaced(struct req *r);
/* Cutting a grid in two (grids.c); one member more or less of a team,
 * and whom it may take (grid_team.c). */
int h_grid_split(struct req *r);
int h_grid_member_add(struct req *r);
int h_grid_member_remove(struct req *r);
int h_grid_candidates(struct req *r);
int h_enterprise_visits(struct req *r);
int h_visit_add(struct req *r);
int h_enterprise_indicators(struct req *r);
int h_indicator_put(struct req *r);
int h_alert_list(struct req *r);
int h_case_list(struct req *r);
int h_case_create(struct req *r);
int h_case_get(struct req *r);
int h_case_similar(struct req *r);
int h_public_similar(struct req *r);
int h_case_move(struct req *r);
int h_case_assign(struct req *r);
int h_case_reply(struct req *r);
int h_case_merge(struct req *r);
int h_case_rate(struct req *r);
int h_case_reopen(struct req *r);
int h_case_photo_add(struct req *r);
int h_case_photo_get(struct req *r);
int h_case_stats(struct req *r);
int h_case_export(struct req *r);
int h_case_transfer(struct req *r);
int h_case_transfer_accept(struct req *r);
int h_case_transfer_return(struct req *r);
int h_case_transfers(struct req *r);
int h_transfer_list(struct req *r);
/* Cases by step (case_requests.c, case_rankings.c, case_limits.c). */
int h_case_requests(struct req *r);
int h_case_request_add(struct req *r);
int h_case_request_decide(struct req *r);
int h_case_resume(struct req *r);
int h_case_callback(struct req *r);
int h_case_site_check(struct req *r);
int h_case_requests_waiting(struct req *r);
int h_case_rankings(struct req *r);
int h_category_limits_get(struct req *r);
int h_category_limits_put(struct req *r);
int h_work_calendar_get(struct req *r);
int h_work_calendar_put(struct req *r);
int h_department_list(struct req *r);
int h_category_list(struct req *r);
int h_category_add(struct req *r);
int h_point_list(struct req *r);
int h_point_add(struct req *r);
int h_point_update(struct req *r);
int h_webhook_list(struct req *r);
int h_webhook_add(struct req *r);
int h_webhook_delete(struct req *r);
int h_public_case_create(struct req *r);
int h_public_case_get(struct req *r);
int h_public_case_rate(struct req *r);
int h_public_case_reopen(struct req *r);
int h_public_suggestions(struct req *r);
/* Suggestions carried through, notes and replies (case_suggestions.c,
 * case_plans.c, case_replies.c). */
int h_public_suggestion_get(struct req *r);
int h_case_plan_get(struct req *r);
int h_case_plan_put(struct req *r);
int h_reply_template_list(struct req *r);
int h_reply_template_add(struct req *r);
int h_reply_template_update(struct req *r);
int h_reply_template_delete(struct req *r);
int h_case_bulk_reply(struct req *r);
int h_open311_discovery(struct req *r);
int h_open311_services(struct req *r);
int h_open311_service(struct req *r);
int h_open311_requests(struct req *r);
int h_open311_request(struct req *r);
int h_open311_post(struct req *r);
int h_open311_token(struct req *r);
/* Service contact cards (cards.c). */
int h_card_get(struct req *r);
int h_card_vcf(struct req *r);
int h_card_svg(struct req *r);
int h_card_png(struct req *r);
int h_card_pdf(struct req *r);
int h_grid_cards_pdf(struct req *r);
int h_card_token_issue(struct req *r);
int h_card_open(struct req *r);
int h_public_card(struct req *r);
int h_desk_get(struct req *r);
int h_desk_put(struct req *r);
/* The service booklet (booklet.c). */
int h_booklet_pdf(struct req *r);
/* The service catalogue (services.c, organisations.c, hsds.c). */
int h_service_list(struct req *r);
int h_service_get(struct req *r);
int h_service_create(struct req *r);
int h_service_update(struct req *r);
int h_service_retire(struct req *r);
int h_service_approve(struct req *r);
int h_service_request(struct req *r);
int h_organisation_get(struct req *r);
int h_organisation_create(struct req *r);
int h_organisation_update(struct req *r);
int h_hsds_services(struct req *r);
/* Organisations as a tree, their coverage and alliances (organisations.c,
 * coverage.c, alliances.c). */
int h_organisation_tree(struct req *r);
int h_coverage(struct req *r);
int h_coverage_uncovered(struct req *r);
int h_coverage_geojson(struct req *r);
int h_alliance_list(struct req *r);
int h_alliance_get(struct req *r);
int h_alliance_member_add(struct req *r);
/* Policy measures (policies.c, applications.c, policy_match.h). */
int h_policy_list(struct req *r);
int h_policy_create(struct req *r);
int h_policy_check(struct req *r);
int h_policy_get(struct req *r);
int h_policy_update(struct req *r);
int h_policy_eligible(struct req *r);
int h_enterprise_policies(struct req *r);
int h_enterprise_questions(struct req *r); /* policy_questions.c */
int h_application_create(struct req *r);
int h_application_list(struct req *r);
int h_application_get(struct req *r);
int h_application_step(struct req *r);
int h_batch_create(struct req *r);
int h_batch_get(struct req *r);
int h_batch_list(struct req *r);
int h_batch_confirm(struct req *r);
/* Re-matches an enterprise against the measures serving it after its
 * record or indicators changed, in the caller's transaction. */
int api_policy_rematch(struct req *r, int64_t enterprise_id);
/* The same after what enterprise makes at a chain node changed: it and,
 * where their makes_gap_node may change, the node's other makers
 * (policy_questions.c). */
int api_policy_rematch_makers(struct req *r, int64_t node, int64_t enterprise);
/* Events, their agenda, minutes and calendars (events.c). */
int h_event_kind_list(struct req *r);
int h_event_kind_put(struct req *r);
int h_event_list(struct req *r);
int h_event_create(struct req *r);
int h_event_alerts(struct req *r);
int h_event_get(struct req *r);
int h_event_update(struct req *r);
int h_event_draft(struct req *r);
int h_event_item_add(struct req *r);
int h_event_item_update(struct req *r);
int h_event_item_delete(struct req *r);
int h_event_problem(struct req *r);
int h_event_reply(struct req *r);
int h_calendar_token(struct req *r);
int h_calendar_feed(struct req *r);

extern const struct route api_routes[];
extern const int api_nroutes;
extern const struct route open311_routes[];
extern const int open311_nroutes;

/* What the server needs of the API (api/common.c): its routes, Open311's
 * forms and the copy of a request for the writer. */
const struct http_app *api_app(void);

#endif
