/*
 * Reference data of the registry: clusters and organisations; the public
 * bulletin; the audit log for admins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

struct out_ctx {
	struct buf *out;
	int n;
};

static int cluster_row(void *ctx, const struct cluster *c)
{
	struct out_ctx *x = ctx;

	buf_adds(x->out, x->n++ ? ",{" : "{");
	buf_printf(x->out, "\"id\":%lld,\"code\":", (long long)c->id);
	buf_json_str(x->out, c->code);
	buf_adds(x->out, ",\"name_zh\":");
	buf_json_str(x->out, c->name_zh);
	buf_adds(x->out, ",\"name_en\":");
	buf_json_str(x->out, c->name_en);
	buf_printf(x->out,
	           ",\"leading_enterprise_id\":%lld,\"secretary_user_id\":%lld,"
	           "\"enterprises\":%lld}",
	           (long long)c->leading_enterprise_id, (long long)c->secretary_user_id,
	           (long long)c->enterprises);
	return 0;
}

int h_cluster_list(struct req *r)
{
	struct out_ctx x = {&r->out, 0};

	buf_adds(&r->out, "{\"items\":[");
	if (store_cluster_each(r->db, cluster_row, &x, &r->err))
		return -1;
	buf_adds(&r->out, "]}\n");
	return 0;
}

static int organisation_row(void *ctx, const struct organisation *o)
{
	struct out_ctx *x = ctx;

	buf_adds(x->out, x->n++ ? ",{" : "{");
	buf_printf(x->out, "\"id\":%lld,\"name_zh\":", (long long)o->id);
	buf_json_str(x->out, o->name_zh);
	buf_adds(x->out, ",\"name_en\":");
	buf_json_str(x->out, o->name_en);
	buf_adds(x->out, ",\"kind\":");
	buf_json_str(x->out, o->kind);
	buf_printf(x->out, ",\"cluster_id\":%lld,\"enterprise_id\":%lld}", (long long)o->cluster_id,
	           (long long)o->enterprise_id);
	return 0;
}

int h_organisation_list(struct req *r)
{
	struct out_ctx x = {&r->out, 0};

	if (!access_chain_read(&r->who))
		return api_forbidden(r, "list the organisations");
	buf_adds(&r->out, "{\"items\":[");
	if (store_organisation_each(r->db, organisation_row, &x, &r->err))
		return -1;
	buf_adds(&r->out, "]}\n");
	return 0;
}

static int bulletin_row(void *ctx, const struct bulletin_item *b)
{
	struct out_ctx *x = ctx;

	buf_adds(x->out, x->n++ ? ",{" : "{");
	buf_printf(x->out, "\"id\":%lld,\"title\":", (long long)b->id);
	buf_json_str(x->out, b->title);
	buf_adds(x->out, ",\"published\":");
	buf_json_str(x->out, b->published);
	buf_adds(x->out, ",\"tags\":");
	buf_json_str(x->out, b->tags);
	buf_adds(x->out, ",\"body\":");
	buf_json_str(x->out, b->body);
	buf_addc(x->out, '}');
	return 0;
}

int h_bulletin_list(struct req *r)
{
	struct out_ctx x = {&r->out, 0};

	buf_adds(&r->out, "{\"items\":[");
	if (store_bulletin_each(r->db, 100, bulletin_row, &x, &r->err))
		return -1;
	buf_adds(&r->out, "]}\n");
	return 0;
}

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

int h_audit_list(struct req *r)
{
	struct audit_ctx x = {&r->out, 0, 0};
	int64_t entity_id = 0, before = 0, limit = 100;
	const char *entity = req_query(r, "entity");

	if (!access_enterprise(&r->who, ACT_AUDIT_READ, NULL))
		return api_forbidden(r, "read the audit log");
	if (api_query_int(r, "entity_id", 1, INT64_MAX, &entity_id) ||
	    api_query_int(r, "before", 1, INT64_MAX, &before) ||
	    api_query_int(r, "limit", 1, 1000, &limit))
		return -1;
	buf_adds(&r->out, "{\"items\":[");
	if (store_audit_list(r->db, entity, entity_id, before, (int)limit, audit_row, &x, &r->err))
		return -1;
	buf_adds(&r->out, "],\"next_before\":");
	if (x.n == limit)
		buf_printf(&r->out, "%lld", (long long)x.last);
	else
		buf_adds(&r->out, "null");
	buf_adds(&r->out, "}\n");
	return 0;
}
