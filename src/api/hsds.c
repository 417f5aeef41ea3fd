/*
 * The catalogue for other directories: GET /hsds/services, the active
 * services in the shape of HSDS 3.0 (Open Referral's Human Services Data
 * Specification) and of its API's paged lists (total_items, total_pages,
 * page_number, size, first_page, last_page, empty, contents).
 *
 * Each service carries its organization, phones, contacts, schedules,
 * service_at_locations (each with its location and address), languages,
 * required_documents and its category as an attribute of the taxonomy
 * "qunyan-resource-list".  Identifiers are strings made from the
 * server's own ids ("svc-12", "org-3", "svc-12-loc-0"): stable for as long
 * as the records are, not UUIDs.  Times carry the town's offset (+08:00);
 * a schedule whose closes_at is before its opens_at runs past midnight.
 * The mapping is described in docs/DESIGN.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "services.h"

static void str(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, ",\"%s\":", name);
	buf_json_str(b, v);
}

/* The node of the level above `id` in the tree, or NULL. */
static const struct jurisdiction *at_level(const struct jur_tree *t, int64_t id,
                                           enum jur_level level)
{
	const struct jurisdiction *j = jur_tree_find(t, id);

	while (j && j->level > level)
		j = j->parent_id ? jur_tree_find(t, j->parent_id) : NULL;
	return j && j->level == level ? j : NULL;
}

static void phone_obj(struct buf *b, const char *id, const char *svc, const char *contact,
                      const char *number, const char *description)
{
	buf_adds(b, "{\"id\":");
	buf_json_str(b, id);
	str(b, "service_id", svc);
	buf_adds(b, ",\"contact_id\":");
	buf_json_str(b, contact);
	str(b, "number", number);
	str(b, "type", "voice");
	str(b, "description", description);
	buf_adds(b, ",\"languages\":[]}");
}

static void schedules(struct buf *b, const struct service *v, const char *svc)
{
	char id[48], o[6], c[6], days[21];
	int n = 0;

	buf_adds(b, ",\"schedules\":[");
	for (int i = 0; i < v->hours.nweekly; i++) {
		const struct hours_rule *r = &v->hours.weekly[i];
		hours_byday_format(r->days, days);
		hours_time_format(r->opens, o);
		hours_time_format(r->closes, c);
		snprintf(id, sizeof(id), "%s-schedule-%d", svc, i);
		buf_adds(b, n++ ? ",{\"id\":" : "{\"id\":");
		buf_json_str(b, id);
		str(b, "service_id", svc);
		buf_printf(b,
		           ",\"freq\":\"WEEKLY\",\"wkst\":\"MO\",\"interval\":1,\"byday\":\"%s\","
		           "\"opens_at\":\"%s+08:00\",\"closes_at\":\"%s+08:00\",\"timezone\":8,"
		           "\"description\":",
		           days, o, c);
		buf_json_str(b, r->closes < r->opens
		                    ? "每周；闭馆时间在次日 / Weekly; closes the next day"
		                    : "每周 / Weekly");
		buf_addc(b, '}');
	}
	/* An exception is a schedule valid for its dates only: a closed one
	 * has no opening times, and says so in its description and notes. */
	for (int i = 0; i < v->hours.nexceptions; i++) {
		const struct hours_exception *x = &v->hours.exceptions[i];
		char text[300];
		snprintf(id, sizeof(id), "%s-exception-%d", svc, i);
		buf_adds(b, n++ ? ",{\"id\":" : "{\"id\":");
		buf_json_str(b, id);
		str(b, "service_id", svc);
		str(b, "valid_from", x->valid_from);
		str(b, "valid_to", x->valid_to);
		buf_adds(b, ",\"timezone\":8");
		if (x->closed) {
			snprintf(text, sizeof(text), "不开放 / Closed%s%s",
			         x->description[0] ? ": " : "", x->description);
			str(b, "description", text);
			str(b, "notes", "closed");
		} else {
			hours_time_format(x->opens, o);
			hours_time_format(x->closes, c);
			buf_printf(b, ",\"opens_at\":\"%s+08:00\",\"closes_at\":\"%s+08:00\"", o,
			           c);
			snprintf(text, sizeof(text), "特别开放 / Open%s%s",
			         x->description[0] ? ": " : "", x->description);
			str(b, "description", text);
			str(b, "notes", "open");
		}
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static void hsds_service(struct buf *b, const struct jur_tree *t, const struct service *v)
{
	const struct service_category *cat = service_category_find(v->category);
	const struct jurisdiction *city = at_level(t, v->jurisdiction_id, JL_CITY);
	const struct jurisdiction *district = at_level(t, v->jurisdiction_id, JL_DISTRICT);
	char svc[32], org[32], id[64], id2[64], text[400];

	snprintf(svc, sizeof(svc), "svc-%lld", (long long)v->id);
	snprintf(org, sizeof(org), "org-%lld", (long long)v->provider_id);
	buf_adds(b, "{\"id\":");
	buf_json_str(b, svc);
	str(b, "organization_id", org);
	str(b, "name", v->name_zh);
	str(b, "alternate_name", v->name_en);
	str(b, "description", v->description_zh);
	str(b, "url", v->url);
	str(b, "email", v->email);
	str(b, "status", service_status_name(v->status));
	snprintf(text, sizeof(text),
	         "在群雁服务目录中申请（/services/%lld），或致电联系人 / Request it in the qunyan "
	         "catalogue (/services/%lld) or call a contact",
	         (long long)v->id, (long long)v->id);
	str(b, "application_process", text);
	str(b, "fees_description", v->fees);
	str(b, "eligibility_description", v->eligibility);
	buf_adds(b, ",\"assured_date\":");
	buf_json_str(b, v->last_verified[0] ? v->last_verified : NULL);
	str(b, "last_modified", v->updated_at);
	buf_adds(b, ",\"organization\":{\"id\":");
	buf_json_str(b, org);
	str(b, "name", v->provider_zh);
	str(b, "alternate_name", v->provider_en);
	str(b, "description", v->provider_en[0] ? v->provider_en : v->provider_zh);
	buf_adds(b, "}");

	/* The service's own line, then each contact's. */
	buf_adds(b, ",\"phones\":[");
	{
		int n = 0;
		if (v->phone[0]) {
			snprintf(id, sizeof(id), "%s-phone", svc);
			phone_obj(b, id, svc, NULL, v->phone, "服务电话 / Service line");
			n++;
		}
		for (int i = 0; i < v->ncontacts; i++) {
			if (!v->contacts[i].phone[0])
				continue;
			if (n++)
				buf_addc(b, ',');
			snprintf(id, sizeof(id), "%s-contact-%d-phone", svc, i);
			snprintf(id2, sizeof(id2), "%s-contact-%d", svc, i);
			phone_obj(b, id, svc, id2, v->contacts[i].phone, v->contacts[i].name);
		}
	}
	buf_adds(b, "],\"contacts\":[");
	for (int i = 0; i < v->ncontacts; i++) {
		const struct service_contact *c = &v->contacts[i];
		snprintf(id, sizeof(id), "%s-contact-%d", svc, i);
		buf_adds(b, i ? ",{\"id\":" : "{\"id\":");
		buf_json_str(b, id);
		str(b, "service_id", svc);
		str(b, "name", c->name);
		str(b, "title", c->title);
		str(b, "department", v->department);
		str(b, "email", c->email);
		buf_adds(b, ",\"phones\":[");
		if (c->phone[0]) {
			snprintf(id2, sizeof(id2), "%s-contact-%d-phone", svc, i);
			phone_obj(b, id2, svc, id, c->phone, c->name);
		}
		buf_adds(b, "]}");
	}
	buf_addc(b, ']');
	schedules(b, v, svc);
	buf_adds(b, ",\"service_at_locations\":[");
	for (int i = 0; i < v->nlocations; i++) {
		const struct service_location *l = &v->locations[i];
		char loc[48];
		snprintf(loc, sizeof(loc), "%s-loc-%d", svc, i);
		snprintf(id, sizeof(id), "%s-at-%d", svc, i);
		buf_adds(b, i ? ",{\"id\":" : "{\"id\":");
		buf_json_str(b, id);
		str(b, "service_id", svc);
		str(b, "location_id", loc);
		buf_adds(b, ",\"location\":{\"id\":");
		buf_json_str(b, loc);
		str(b, "location_type", "physical");
		str(b, "organization_id", org);
		str(b, "name", l->name[0] ? l->name : v->name_zh);
		if (l->located)
			buf_printf(b, ",\"latitude\":%.7f,\"longitude\":%.7f", l->lat, l->lon);
		else
			buf_adds(b, ",\"latitude\":null,\"longitude\":null");
		snprintf(id2, sizeof(id2), "%s-address", loc);
		buf_adds(b, ",\"addresses\":[{\"id\":");
		buf_json_str(b, id2);
		str(b, "location_id", loc);
		str(b, "address_1", l->address);
		str(b, "city", city ? city->name_zh : "");
		str(b, "region", district ? district->name_zh : "");
		str(b, "state_province", city ? city->name_zh : "");
		str(b, "postal_code", "");
		str(b, "country", "CN");
		str(b, "address_type", "physical");
		buf_adds(b, "}]}}");
	}
	buf_adds(b, "],\"languages\":[");
	for (int i = 0; i < v->nlanguages; i++) {
		snprintf(id, sizeof(id), "%s-lang-%d", svc, i);
		buf_adds(b, i ? ",{\"id\":" : "{\"id\":");
		buf_json_str(b, id);
		str(b, "service_id", svc);
		str(b, "code", v->languages[i]);
		str(b, "name",
		    strncmp(v->languages[i], "zh", 2) == 0   ? "中文"
		    : strncmp(v->languages[i], "en", 2) == 0 ? "English"
		                                             : v->languages[i]);
		buf_addc(b, '}');
	}
	buf_adds(b, "],\"required_documents\":[");
	for (int i = 0; i < v->ndocuments; i++) {
		snprintf(id, sizeof(id), "%s-doc-%d", svc, i);
		buf_adds(b, i ? ",{\"id\":" : "{\"id\":");
		buf_json_str(b, id);
		str(b, "service_id", svc);
		str(b, "document", v->documents[i]);
		buf_addc(b, '}');
	}
	/* The category, as a term of the resource list's taxonomy. */
	snprintf(id, sizeof(id), "qunyan-category-%s", v->category);
	snprintf(id2, sizeof(id2), "%s-category", svc);
	buf_adds(b, "],\"attributes\":[{\"id\":");
	buf_json_str(b, id2);
	str(b, "link_id", svc);
	str(b, "link_type", "service");
	str(b, "link_entity", "service");
	str(b, "taxonomy_term_id", id);
	buf_adds(b, ",\"taxonomy_term\":{\"id\":");
	buf_json_str(b, id);
	str(b, "code", v->category);
	str(b, "name", cat ? cat->name_zh : v->category);
	str(b, "description", cat ? cat->name_en : "");
	str(b, "taxonomy", "qunyan-resource-list");
	buf_adds(b, "}}]}");
}

struct hsds_page {
	struct buf *out;
	const struct jur_tree *t;
	int64_t size;
	int n;
};

static int hsds_row(void *ctx, const struct service *v)
{
	struct hsds_page *p = ctx;

	if (p->n == p->size)
		return 1;
	if (p->n++)
		buf_addc(p->out, ',');
	hsds_service(p->out, p->t, v);
	return 0;
}

/* GET /hsds/services?page=&per_page=&q=&category=&provider=&jurisdiction=
 * (public): the active services, a page at a time. */
int h_hsds_services(struct req *r)
{
	struct service_query q;
	struct hsds_page p = {&r->out, NULL, 50, 0};
	struct jur_tree *t;
	char *folded = NULL;
	int64_t page = 1, total = 0, pages;
	int rc = -1;

	memset(&q, 0, sizeof(q));
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	p.t = t;
	if (api_service_filters(r, t, &q, &folded) || api_query_int(r, "page", 1, 1000000, &page) ||
	    api_query_int(r, "per_page", 1, 200, &p.size))
		goto out;
	q.status = "active";
	if (store_service_count(r->db, &q, &total, &r->err))
		goto out;
	pages = (total + p.size - 1) / p.size;
	q.offset = (page - 1) * p.size;
	buf_printf(&r->out,
	           "{\"total_items\":%lld,\"total_pages\":%lld,\"page_number\":%lld,\"size\":%lld,"
	           "\"first_page\":%s,\"last_page\":%s,\"empty\":%s,\"contents\":[",
	           (long long)total, (long long)pages, (long long)page, (long long)p.size,
	           page == 1 ? "true" : "false", page >= pages ? "true" : "false",
	           total == 0 ? "true" : "false");
	if (store_services(r->db, &q, hsds_row, &p, &r->err))
		goto out;
	buf_adds(&r->out, "]}\n");
	rc = 0;
out:
	jur_tree_put(t);
	free(folded);
	return rc;
}
