#include "enterprise_json.h"

#include <stdio.h>

#include "industry.h"

static void field_str(struct buf *out, const char *key, const char *v)
{
	buf_printf(out, ",\"%s\":", key);
	buf_json_str(out, v && *v ? v : NULL);
}

void enterprise_write_json(struct buf *out, const struct enterprise *e, int clear_contacts)
{
	const char *iname = industry_name(e->industry, 0);
	const char *iname_zh = industry_name(e->industry, 1);

	buf_printf(out, "{\"id\":%lld,\"version\":%lld", (long long)e->id, (long long)e->version);
	field_str(out, "uscc", e->uscc);
	if (e->uscc_override)
		buf_adds(out, ",\"uscc_override\":true");
	field_str(out, "name_zh", e->name_zh);
	field_str(out, "name_en", e->name_en);
	field_str(out, "industry", e->industry);
	field_str(out, "industry_name", iname);
	field_str(out, "industry_name_zh", iname_zh);
	if (e->cluster_id)
		buf_printf(out, ",\"cluster_id\":%lld", (long long)e->cluster_id);
	else
		buf_adds(out, ",\"cluster_id\":null");
	field_str(out, "stage", chain_stage_name(e->stage));
	field_str(out, "size", size_class_name(e->size));
	field_str(out, "founded", e->founded);
	field_str(out, "address", e->address);
	if (e->has_location == 3)
		buf_printf(out, ",\"lon\":%.7f,\"lat\":%.7f", e->lon, e->lat);
	else
		buf_adds(out, ",\"lon\":null,\"lat\":null");
	if (e->employees >= 0)
		buf_printf(out, ",\"employees\":%lld", (long long)e->employees);
	else
		buf_adds(out, ",\"employees\":null");
	field_str(out, "status", ent_status_name(e->status));
	buf_adds(out, e->in_park ? ",\"in_park\":true" : ",\"in_park\":false");
	if (e->grid_id)
		buf_printf(out, ",\"grid_id\":%lld", (long long)e->grid_id);
	else
		buf_adds(out, ",\"grid_id\":null");
	field_str(out, "status_reason", e->status_reason);
	buf_adds(out, ",\"tags\":[");
	for (int i = 0; i < e->ntags; i++) {
		if (i)
			buf_addc(out, ',');
		buf_json_str(out, e->tags[i]);
	}
	buf_adds(out, "],\"contacts\":[");
	for (int i = 0; i < e->ncontacts; i++) {
		const struct contact *c = &e->contacts[i];
		char phone[40], email[260];

		if (clear_contacts) {
			snprintf(phone, sizeof(phone), "%s", c->phone);
			snprintf(email, sizeof(email), "%s", c->email);
		} else {
			phone[0] = email[0] = '\0';
			if (c->phone[0])
				mask_phone(c->phone, phone, sizeof(phone));
			if (c->email[0])
				mask_email(c->email, email, sizeof(email));
		}
		buf_adds(out, i ? ",{\"name\":" : "{\"name\":");
		buf_json_str(out, c->name);
		field_str(out, "role", c->role);
		field_str(out, "phone", phone);
		field_str(out, "email", email);
		buf_addc(out, '}');
	}
	buf_adds(out, "]");
	field_str(out, "created_at", e->created_at);
	field_str(out, "updated_at", e->updated_at);
	buf_addc(out, '}');
}
