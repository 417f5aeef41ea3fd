/*
 * The service catalogue and resource list ("Qun Xin Hui Yan"): services
 * the town and its partners offer enterprises, read by everyone, kept by
 * officers and admins inside their jurisdictions, offered by enterprises
 * (pending until an officer approves them), and requested by enterprises:
 * a request is a case of the kind service_request, routed to the
 * department that answers for the service's provider with the service's
 * time limit.
 *
 * Who sees what: an active service, everyone (the catalogue is public);
 * the others, staff of a scope that sees the service (its jurisdiction or
 * one above it, jur_sees), and an enterprise contact its own offers.  A
 * service the caller may not see is 404, as an unknown id is.  Changes
 * need the service to lie inside the caller's jurisdictions (a district's
 * service seen by a town's officer: 403 outside_scope).
 */
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "../util/num.h"
#include "../util/timeutil.h"
#include "case_common.h"
#include "precondition.h"
#include "services.h"

#define LIST_DEFAULT 50
#define LIST_MAX     200

/* The town's day (Asia/Shanghai, UTC+8) of an instant, YYYY-MM-DD. */
static void day_of(time_t t, char out[11])
{
	long long local = (long long)t + HOURS_UTC_OFFSET;

	hours_days_date((long)(local / 86400), out);
}

/* The instant "open now" is judged at: ?at= (a W3C date-time with its
 * zone, for planning and for tests), else now. */
static int at_param(struct req *r, time_t *at)
{
	const char *v = req_query(r, "at");

	*at = time(NULL);
	if (!v || !*v)
		return 0;
	if (time_parse_w3c(v, at))
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "at",
		               "at: '%.40s' must be a date-time such as 2026-10-01T09:30:00+08:00",
		               v);
	return 0;
}

/* ------------------------------------------------------------------ */
/* A service as JSON                                                    */

static void str_field(struct buf *b, const char *name, const char *v)
{
	buf_adds(b, ",\"");
	buf_adds(b, name);
	buf_adds(b, "\":");
	buf_json_str(b, v);
}

/* Today's spans at `at`, as a reader wants them: the date, its spans
 * (24:00 and past midnight as written), and the exception that decides
 * the day. */
static void today_json(struct buf *b, const struct service *v, time_t at)
{
	struct hours_span spans[HOURS_MAX_WEEKLY + HOURS_MAX_EXCEPTIONS];
	long long local = (long long)at + HOURS_UTC_OFFSET;
	long days = (long)(local / 86400);
	char date[11], o[6], c[6];
	int exc = -1, n;

	if (hours_empty(&v->hours)) {
		buf_adds(b, ",\"hours_today\":null");
		return;
	}
	n = hours_day_spans(&v->hours, days, spans, (int)(sizeof(spans) / sizeof(spans[0])), &exc);
	hours_days_date(days, date);
	buf_printf(b, ",\"hours_today\":{\"date\":\"%s\",\"spans\":[", date);
	for (int i = 0; i < n; i++) {
		hours_time_format(spans[i].start, o);
		hours_time_format(spans[i].end > 1440 ? spans[i].end - 1440 : spans[i].end, c);
		buf_printf(b, "%s\"%s-%s\"", i ? "," : "", o, c);
	}
	buf_adds(b, "],\"exception\":");
	buf_json_str(b, exc >= 0 ? v->hours.exceptions[exc].description : NULL);
	buf_printf(b, ",\"closed\":%s}", n ? "false" : "true");
}

void api_service_json(struct buf *b, const struct jur_tree *t, const struct service *v, time_t at)
{
	const struct service_category *cat = service_category_find(v->category);
	int open = hours_open_at(&v->hours, at);

	buf_printf(b, "{\"id\":%lld,\"version\":%lld", (long long)v->id, (long long)v->version);
	api_jurisdiction_json(b, t, v->jurisdiction_id);
	str_field(b, "name_zh", v->name_zh);
	str_field(b, "name_en", v->name_en);
	str_field(b, "description_zh", v->description_zh);
	str_field(b, "description_en", v->description_en);
	buf_adds(b, ",\"category\":{\"code\":");
	buf_json_str(b, v->category);
	str_field(b, "name_zh", cat ? cat->name_zh : "");
	str_field(b, "name_en", cat ? cat->name_en : "");
	buf_printf(b, "},\"provider\":{\"id\":%lld", (long long)v->provider_id);
	str_field(b, "name_zh", v->provider_zh);
	str_field(b, "name_en", v->provider_en);
	str_field(b, "kind", v->provider_kind);
	str_field(b, "phone", v->provider_phone);
	buf_adds(b, "},\"department\":");
	if (v->department_id) {
		buf_printf(b, "{\"id\":%lld", (long long)v->department_id);
		str_field(b, "name", v->department);
		str_field(b, "name_en", v->department_en);
		buf_addc(b, '}');
	} else {
		buf_adds(b, "null");
	}
	str_field(b, "eligibility", v->eligibility);
	str_field(b, "fees", v->fees);
	buf_adds(b, ",\"languages\":[");
	for (int i = 0; i < v->nlanguages; i++) {
		if (i)
			buf_addc(b, ',');
		buf_json_str(b, v->languages[i]);
	}
	buf_adds(b, "],\"documents\":[");
	for (int i = 0; i < v->ndocuments; i++) {
		if (i)
			buf_addc(b, ',');
		buf_json_str(b, v->documents[i]);
	}
	buf_addc(b, ']');
	str_field(b, "url", v->url);
	str_field(b, "email", v->email);
	str_field(b, "phone", v->phone);
	str_field(b, "status", service_status_name(v->status));
	str_field(b, "status_reason", v->status_reason);
	buf_adds(b, ",\"last_verified\":");
	buf_json_str(b, v->last_verified[0] ? v->last_verified : NULL);
	buf_printf(b, ",\"deadline_hours\":%d,\"locations\":[", v->deadline_hours);
	for (int i = 0; i < v->nlocations; i++) {
		const struct service_location *l = &v->locations[i];
		buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		buf_json_str(b, l->name);
		str_field(b, "address", l->address);
		if (l->located)
			buf_printf(b, ",\"lon\":%.7f,\"lat\":%.7f}", l->lon, l->lat);
		else
			buf_adds(b, ",\"lon\":null,\"lat\":null}");
	}
	buf_adds(b, "],\"contacts\":[");
	for (int i = 0; i < v->ncontacts; i++) {
		const struct service_contact *c = &v->contacts[i];
		buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		buf_json_str(b, c->name);
		str_field(b, "title", c->title);
		str_field(b, "phone", c->phone);
		str_field(b, "email", c->email);
		buf_addc(b, '}');
	}
	buf_adds(b, "],\"hours\":");
	hours_to_json(&v->hours, b);
	buf_printf(b, ",\"open_now\":%s", open < 0 ? "null" : open ? "true" : "false");
	today_json(b, v, at);
	if (v->offered_by)
		buf_printf(b, ",\"offered_by\":%lld", (long long)v->offered_by);
	else
		buf_adds(b, ",\"offered_by\":null");
	buf_adds(b, ",\"approved_at\":");
	buf_json_str(b, v->approved_at[0] ? v->approved_at : NULL);
	str_field(b, "created_at", v->created_at);
	str_field(b, "updated_at", v->updated_at);
	buf_addc(b, '}');
}

/* ------------------------------------------------------------------ */
/* Who sees a service                                                   */

/* 1 when the caller may see the service: its status for the role, and a
 * scoped caller's jurisdictions (a district's service serves its towns). */
static int sees(const struct req *r, const struct jur_tree *t, const struct service *v)
{
	struct jur_pos pos = jur_tree_pos(t, v->jurisdiction_id);

	if (!service_may_read(&r->who, v->status, v->offered_by))
		return 0;
	return r->who.scope.id == 0 || jur_sees(&r->who.scope, &pos);
}

/* Loads service `id` for a caller who may see it; 404 otherwise. */
static int service_load(struct req *r, const struct jur_tree *t, int64_t id, struct service *v)
{
	if (store_service_get(r->db, id, v, &r->err))
		return -1;
	if (!sees(r, t, v))
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no service with id %lld",
		               (long long)id);
	return 0;
}

/* A change needs the service inside the caller's jurisdictions. */
static int in_my_scope(struct req *r, const struct jur_tree *t, const struct service *v)
{
	struct jur_pos pos = jur_tree_pos(t, v->jurisdiction_id);
	const struct jurisdiction *j = jur_tree_find(t, v->jurisdiction_id);

	if (access_in_scope(&r->who, &pos))
		return 0;
	return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "id",
	               "service %lld belongs to %s (%s), above the jurisdictions this account "
	               "acts for; it is read here, and changed there",
	               (long long)v->id, j ? j->name_zh : "?", j ? j->code : "?");
}

/* ------------------------------------------------------------------ */
/* Reading a body                                                       */

/* The service's plain text fields, their keys and limits: one table
 * for creating and changing. */
#define SF(f) offsetof(struct service, f), sizeof(((struct service *)0)->f)
static const struct {
	const char *name;
	size_t off, size;
	long max; /* characters */
} text_fields[] = {
    {"name_zh", SF(name_zh), SVC_NAME_MAX},
    {"name_en", SF(name_en), SVC_NAME_MAX},
    {"description_zh", SF(description_zh), SVC_DESC_MAX},
    {"description_en", SF(description_en), SVC_DESC_MAX},
    {"category", SF(category), 23},
    {"eligibility", SF(eligibility), SVC_ELIGIBLE_MAX},
    {"fees", SF(fees), SVC_FEES_MAX},
    {"url", SF(url), SVC_URL_MAX},
    {"email", SF(email), SVC_EMAIL_MAX},
    {"phone", SF(phone), SVC_PHONE_MAX},
};
#undef SF

/* A string inside an array or object, named by its path
 * ("contacts[2].phone"): the rules of api_field_string. */
static int text_at(struct req *r, const json_t *v, const char *path, long max, char *out, size_t n)
{
	const char *s;
	long chars;

	out[0] = '\0';
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		err_field(&r->err, path, "wrong_type", "%s: must be a string", path);
		return -1;
	}
	s = json_string_value(v);
	chars = utf8_chars(s);
	if (chars < 0 || chars > max || strlen(s) >= n) {
		err_field(&r->err, path, "too_long", "%s: must be at most %ld characters", path,
		          max);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20) {
			err_field(&r->err, path, "control_character",
			          "%s: must not contain control characters", path);
			return -1;
		}
	snprintf(out, n, "%s", s);
	return 0;
}

/* An array field of at most max items; NULL (with an error) when it is
 * there but no such array. */
static const json_t *array_field(struct req *r, json_t *body, const char *name, size_t max)
{
	const json_t *a = json_object_get(body, name);

	if (!a || json_is_null(a))
		return NULL;
	if (!json_is_array(a)) {
		err_field(&r->err, name, "wrong_type", "%s: must be an array", name);
		return NULL;
	}
	if (json_array_size(a) > max) {
		err_field(&r->err, name, "too_many", "%s: at most %zu items", name, max);
		return NULL;
	}
	return a;
}

static void only_keys(struct req *r, const json_t *o, const char *path, const char *const *known,
                      const char *what)
{
	const char *key;
	json_t *x;

	json_object_foreach((json_t *)o, key, x)
	{
		int ok = 0;
		for (int k = 0; known[k] && !ok; k++)
			ok = strcmp(key, known[k]) == 0;
		if (!ok)
			err_field(&r->err, path, "unknown_field",
			          "%s: '%.40s' is not a field of %s", path, key, what);
	}
}

static void read_lists(struct req *r, json_t *body, struct service *v)
{
	const json_t *a;
	json_t *x;
	size_t i;
	char path[48];

	if (json_object_get(body, "languages")) {
		v->nlanguages = 0;
		if ((a = array_field(r, body, "languages", SVC_MAX_LANGS)))
			json_array_foreach(a, i, x)
			{
				snprintf(path, sizeof(path), "languages[%zu]", i);
				if (!text_at(r, x, path, 15, v->languages[v->nlanguages],
				             sizeof(v->languages[0])) &&
				    v->languages[v->nlanguages][0])
					v->nlanguages++;
			}
	}
	if (json_object_get(body, "documents")) {
		v->ndocuments = 0;
		if ((a = array_field(r, body, "documents", SVC_MAX_DOCS)))
			json_array_foreach(a, i, x)
			{
				snprintf(path, sizeof(path), "documents[%zu]", i);
				if (!text_at(r, x, path, SVC_DOC_MAX, v->documents[v->ndocuments],
				             sizeof(v->documents[0])) &&
				    v->documents[v->ndocuments][0])
					v->ndocuments++;
			}
	}
	if (json_object_get(body, "locations")) {
		static const char *const known[] = {"name", "address", "lon", "lat", NULL};
		v->nlocations = 0;
		if ((a = array_field(r, body, "locations", SVC_MAX_LOCATIONS)))
			json_array_foreach(a, i, x)
			{
				struct service_location *l = &v->locations[v->nlocations];
				const json_t *lon = json_object_get(x, "lon"),
				             *lat = json_object_get(x, "lat");
				int has_lon = lon && !json_is_null(lon),
				    has_lat = lat && !json_is_null(lat);
				snprintf(path, sizeof(path), "locations[%zu]", i);
				if (!json_is_object(x)) {
					err_field(&r->err, path, "wrong_type",
					          "%s: must be an object {name, address, lon, lat}",
					          path);
					continue;
				}
				memset(l, 0, sizeof(*l));
				only_keys(r, x, path, known, "a location");
				snprintf(path, sizeof(path), "locations[%zu].name", i);
				text_at(r, json_object_get(x, "name"), path, SVC_NAME_MAX, l->name,
				        sizeof(l->name));
				snprintf(path, sizeof(path), "locations[%zu].address", i);
				text_at(r, json_object_get(x, "address"), path, SVC_ADDR_MAX,
				        l->address, sizeof(l->address));
				if (has_lon != has_lat) {
					snprintf(path, sizeof(path), "locations[%zu].%s", i,
					         has_lon ? "lat" : "lon");
					err_field(&r->err, path, "required",
					          "%s: lon and lat come together", path);
				} else if (has_lon) {
					snprintf(path, sizeof(path), "locations[%zu].lon", i);
					if (!json_is_number(lon) || !json_is_number(lat)) {
						err_field(&r->err, path, "wrong_type",
						          "%s: lon and lat must be numbers", path);
					} else {
						l->located = 1;
						l->lon = json_number_value(lon);
						l->lat = json_number_value(lat);
					}
				}
				v->nlocations++;
			}
	}
	if (json_object_get(body, "contacts")) {
		static const char *const known[] = {"name", "title", "phone", "email", NULL};
		v->ncontacts = 0;
		if ((a = array_field(r, body, "contacts", SVC_MAX_CONTACTS)))
			json_array_foreach(a, i, x)
			{
				struct service_contact *c = &v->contacts[v->ncontacts];
				snprintf(path, sizeof(path), "contacts[%zu]", i);
				if (!json_is_object(x)) {
					err_field(
					    &r->err, path, "wrong_type",
					    "%s: must be an object {name, title, phone, email}",
					    path);
					continue;
				}
				memset(c, 0, sizeof(*c));
				only_keys(r, x, path, known, "a contact");
				snprintf(path, sizeof(path), "contacts[%zu].name", i);
				text_at(r, json_object_get(x, "name"), path, SVC_PERSON_MAX,
				        c->name, sizeof(c->name));
				snprintf(path, sizeof(path), "contacts[%zu].title", i);
				text_at(r, json_object_get(x, "title"), path, SVC_PERSON_MAX,
				        c->title, sizeof(c->title));
				snprintf(path, sizeof(path), "contacts[%zu].phone", i);
				text_at(r, json_object_get(x, "phone"), path, SVC_PHONE_MAX,
				        c->phone, sizeof(c->phone));
				snprintf(path, sizeof(path), "contacts[%zu].email", i);
				text_at(r, json_object_get(x, "email"), path, SVC_EMAIL_MAX,
				        c->email, sizeof(c->email));
				v->ncontacts++;
			}
	}
}

/*
 * Reads the fields of a service from a body into v (the record being
 * changed, or a new one).  A field absent keeps its value; null or ""
 * clears an optional one.  An enterprise's offer names neither provider,
 * status nor jurisdiction: they follow from the enterprise.  Every bad
 * field is listed in r->err; the record's rules follow
 * (service_validate).
 */
static int service_fields(struct req *r, json_t *body, struct service *v, int offer,
                          const struct jur_tree *t, const struct jurisdiction **named)
{
	static const char *const known[] = {
	    "name_zh",     "name_en", "description_zh", "description_en", "category",
	    "eligibility", "fees",    "languages",      "documents",      "url",
	    "email",       "phone",   "last_verified",  "deadline_hours", "locations",
	    "contacts",    "hours",   "provider_id",    "status",         "jurisdiction",
	    NULL};
	static const char *const offer_known[] = {
	    "name_zh",     "name_en", "description_zh", "description_en", "category",
	    "eligibility", "fees",    "languages",      "documents",      "url",
	    "email",       "phone",   "deadline_hours", "locations",      "contacts",
	    "hours",       NULL};
	const json_t *x;

	api_only_fields(r, body, offer ? offer_known : known,
	                offer ? "of an enterprise's offer" : "of a service");
	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
		char *out = (char *)v + text_fields[i].off;
		json_t *f = json_object_get(body, text_fields[i].name);
		if (!f)
			continue;
		if (json_is_null(f) || (json_is_string(f) && !*json_string_value(f)))
			out[0] = '\0';
		else
			api_field_string(r, body, text_fields[i].name, 0, text_fields[i].max, out,
			                 text_fields[i].size);
	}
	read_lists(r, body, v);
	if ((x = json_object_get(body, "deadline_hours")) && !json_is_null(x)) {
		if (!json_is_integer(x))
			err_field(&r->err, "deadline_hours", "wrong_type",
			          "deadline_hours: must be a whole number of hours");
		else if (json_integer_value(x) < SVC_DEADLINE_MIN ||
		         json_integer_value(x) > SVC_DEADLINE_MAX)
			err_field(&r->err, "deadline_hours", "out_of_range",
			          "deadline_hours: must be from %d to %d hours", SVC_DEADLINE_MIN,
			          SVC_DEADLINE_MAX);
		else
			v->deadline_hours = (int)json_integer_value(x);
	}
	if ((x = json_object_get(body, "last_verified"))) {
		if (json_is_null(x) || (json_is_string(x) && !*json_string_value(x)))
			v->last_verified[0] = '\0';
		else
			api_field_date(r, body, "last_verified", 0, v->last_verified);
	}
	if (json_object_get(body, "hours"))
		hours_from_json(json_object_get(body, "hours"), "hours", &v->hours, &r->err);
	if (!offer) {
		char status[16] = "";
		api_field_id(r, body, "provider_id", 0, &v->provider_id);
		if (!api_field_string(r, body, "status", 0, 15, status, sizeof(status)) &&
		    status[0]) {
			enum service_status st;
			if (service_status_parse(status, &st) || st == SVC_PENDING)
				err_field(&r->err, "status", "invalid_enum",
				          "status: must be active or inactive (pending is an "
				          "enterprise's offer, listed by POST .../approve)");
			else if (st == SVC_RETIRED)
				err_field(&r->err, "status", "use_retire",
				          "status: retire a service with POST .../retire, which "
				          "records a reason");
			else if (v->status == SVC_PENDING)
				err_field(&r->err, "status", "invalid_enum",
				          "status: a pending offer is listed by POST .../approve");
			else
				v->status = st;
		}
		if (api_field_jurisdiction(r, body, "jurisdiction", 0, t, named) &&
		    r->err.kind != ERR_INVALID)
			return -1;
	}
	{
		char today[11];
		day_of(time(NULL), today);
		service_validate(v, today, &r->err);
	}
	return r->err.kind != ERR_NONE ? -1 : 0;
}

/*
 * The provider of a staff-made service: an organisation the caller sees
 * that serves the service's jurisdiction (defined there or above it);
 * an active service needs its provider to name a department that
 * answers requests.
 */
static int provider_check(struct req *r, const struct jur_tree *t, struct service *v)
{
	struct organisation *o;
	struct err miss;
	int rc = -1;

	if (!v->provider_id) {
		err_field(&r->err, "provider_id", "required",
		          "provider_id: is required (the organisation that provides it)");
		return -1;
	}
	if (!(o = malloc(sizeof(*o))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	err_clear(&miss);
	if (store_organisation_get(r->db, v->provider_id, o, &miss)) {
		if (miss.kind != ERR_NOT_FOUND)
			r->err = miss;
		else
			err_field(&r->err, "provider_id", "unknown_provider",
			          "provider_id: no organisation %lld", (long long)v->provider_id);
		goto out;
	}
	{
		struct jur_pos pos = jur_tree_pos(t, o->jurisdiction_id);
		const struct jurisdiction *at = jur_tree_find(t, v->jurisdiction_id);
		struct jur_scope place = at ? jur_scope_of(at) : jur_scope_all();
		if (r->who.scope.id && !jur_sees(&r->who.scope, &pos)) {
			err_field(&r->err, "provider_id", "unknown_provider",
			          "provider_id: no organisation %lld", (long long)v->provider_id);
			goto out;
		}
		if (!jur_sees(&place, &pos)) {
			const struct jurisdiction *oj = jur_tree_find(t, o->jurisdiction_id);
			err_field(&r->err, "provider_id", "unknown_provider",
			          "provider_id: %s belongs to %s and does not serve %s", o->name_zh,
			          oj ? oj->name_zh : "another jurisdiction",
			          at ? at->name_zh : "this place");
			goto out;
		}
	}
	if (v->status == SVC_ACTIVE && !o->department_id) {
		err_field(&r->err, "provider_id", "required",
		          "provider_id: %s names no department to answer requests; set its "
		          "department_id (PATCH /api/v1/organisations/%lld) before listing a "
		          "service of it",
		          o->name_zh, (long long)o->id);
		goto out;
	}
	rc = 0;
out:
	free(o);
	return rc;
}

/* The organisation that stands for the caller's enterprise in the
 * catalogue, made with the offer when it has none yet; run inside the
 * write's transaction. */
static int offer_provider(struct req *r, const struct enterprise *e, int64_t *id)
{
	struct organisation *o = calloc(1, sizeof(*o));
	struct err miss;
	int rc = -1;

	if (!o)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	err_clear(&miss);
	if (store_organisation_of_enterprise(r->db, e->id, o, &miss) == 0) {
		*id = o->id;
		rc = 0;
		goto out;
	}
	if (miss.kind != ERR_NOT_FOUND) {
		r->err = miss;
		goto out;
	}
	memset(o, 0, sizeof(*o));
	snprintf(o->name_zh, sizeof(o->name_zh), "%s", e->name_zh[0] ? e->name_zh : e->name_en);
	snprintf(o->name_en, sizeof(o->name_en), "%s", e->name_en);
	snprintf(o->kind, sizeof(o->kind), "enterprise");
	o->enterprise_id = e->id;
	o->cluster_id = e->cluster_id;
	o->jurisdiction_id = e->jurisdiction_id;
	if (e->ncontacts && case_phone_valid(e->contacts[0].phone) &&
	    strlen(e->contacts[0].phone) < sizeof(o->phone))
		memcpy(o->phone, e->contacts[0].phone, strlen(e->contacts[0].phone) + 1);
	if (store_organisation_put(r->db, o, 0, &r->err) ||
	    api_audit(r, "create", "organisation", o->id, NULL, "{\"for\":\"offer\"}"))
		goto out;
	*id = o->id;
	rc = 0;
out:
	free(o);
	return rc;
}

/* Writes v (version expected; 0 for a new one), audits the change with
 * before, and answers with the service as stored. */
static int service_save(struct req *r, const struct jur_tree *t, struct service *v,
                        int64_t expected, const char *action, const char *before)
{
	struct buf after = BUF_INIT;
	int creating = v->id == 0, rc = -1;
	time_t now = time(NULL);

	if (store_service_put(r->db, v, expected, &r->err))
		goto out;
	api_service_json(&after, t, v, now);
	if (after.failed) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (api_audit(r, action, "service", v->id, before, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	api_etag_version(r, v->version);
	if (creating) {
		r->status = 201;
		snprintf(r->location, sizeof(r->location), "/api/v1/services/%lld",
		         (long long)v->id);
	}
	rc = 0;
out:
	buf_release(&after);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Handlers                                                             */

/* POST /api/v1/services: a service of the catalogue (officer, admin), or
 * an enterprise's offer of its own resource (enterprise contact), which
 * waits for an officer's approval. */
int h_service_create(struct req *r)
{
	int offer = r->who.role == ROLE_ENTERPRISE;
	const struct jurisdiction *named = NULL;
	struct service *v = NULL;
	struct enterprise *e = NULL;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int rc = -1;

	if (offer ? !service_may_offer(&r->who) : !service_may_manage(&r->who))
		return api_forbidden(r, "add services to the catalogue");
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	if (!(v = malloc(sizeof(*v))) || !(e = malloc(sizeof(*e)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	service_init(v);
	if (offer) {
		if (store_enterprise_get(r->db, r->who.enterprise_id, e, &r->err))
			goto out;
		v->status = SVC_PENDING;
		v->offered_by = e->id;
		v->jurisdiction_id = e->jurisdiction_id;
	}
	service_fields(r, body, v, offer, t, &named);
	if (r->err.kind != ERR_NONE && r->err.kind != ERR_INVALID)
		goto out;
	if (!offer) {
		/* Where it is kept: the body's, else the caller's own
		 * jurisdiction, else home. */
		v->jurisdiction_id = named ? named->id : r->who.scope.id ? r->who.scope.id : 1;
		if (!err_has_field(&r->err, "provider_id"))
			provider_check(r, t, v);
	}
	if (r->err.kind != ERR_NONE)
		goto out;
	v->created_by = r->who.user_id;
	if (store_begin(r->db, &r->err) || (offer && offer_provider(r, e, &v->provider_id)))
		goto out;
	rc = service_save(r, t, v, 0, offer ? "offer" : "create", NULL);
out:
	store_rollback(r->db);
	jur_tree_put(t);
	json_decref(body);
	free(v);
	free(e);
	return rc;
}

/* The service of path parameter 0 for a change: the write lock taken
 * first (the version checked is the version replaced), the caller an
 * officer or admin of its jurisdiction.  *before gets it as it was. */
static int load_for_change(struct req *r, const struct jur_tree *t, struct service *v,
                           int need_match, struct buf *before)
{
	int64_t id;

	if (!service_may_manage(&r->who))
		return api_forbidden(r, "change the catalogue");
	if (api_param_id(r, 0, &id) || store_begin(r->db, &r->err) || service_load(r, t, id, v) ||
	    in_my_scope(r, t, v) || api_if_match(r, "service", v->version, need_match))
		return -1;
	api_service_json(before, t, v, time(NULL));
	return 0;
}

/* PATCH /api/v1/services/{id} with If-Match. */
int h_service_update(struct req *r)
{
	const struct jurisdiction *named = NULL;
	struct service *v = malloc(sizeof(*v));
	struct buf before = BUF_INIT;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int64_t provider;
	int rc = -1;

	if (!v)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!service_may_manage(&r->who)) {
		api_forbidden(r, "change the catalogue");
		goto out;
	}
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)) ||
	    load_for_change(r, t, v, 1, &before))
		goto out;
	provider = v->provider_id;
	if (service_fields(r, body, v, 0, t, &named) && r->err.kind != ERR_INVALID)
		goto out;
	if (named)
		v->jurisdiction_id = named->id;
	/* An offer keeps its enterprise as its provider. */
	if (v->offered_by && v->provider_id != provider && !err_has_field(&r->err, "provider_id"))
		err_field(&r->err, "provider_id", "not_allowed",
		          "provider_id: an enterprise's offer is provided by the enterprise");
	else if (!err_has_field(&r->err, "provider_id") &&
	         (v->provider_id != provider || named || v->status == SVC_ACTIVE))
		provider_check(r, t, v);
	if (r->err.kind != ERR_NONE)
		goto out;
	if (!v->offered_by && named) {
		struct jur_pos pos = {named->lo, named->hi};
		if (!access_in_scope(&r->who, &pos)) {
			err_set(
			    &r->err, ERR_FORBIDDEN, "outside_scope", "jurisdiction",
			    "jurisdiction: %s lies outside the jurisdictions this account acts for",
			    named->name_zh);
			goto out;
		}
	}
	rc = service_save(r, t, v, v->version, "update", buf_cstr(&before));
out:
	store_rollback(r->db);
	buf_release(&before);
	jur_tree_put(t);
	json_decref(body);
	free(v);
	return rc;
}

/* POST /api/v1/services/{id}/retire {"reason"}: no longer offered; the
 * record stays, with its requests. */
int h_service_retire(struct req *r)
{
	static const char *const known[] = {"reason", NULL};
	struct service *v = malloc(sizeof(*v));
	struct buf before = BUF_INIT;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	char reason[4 * SVC_REASON_MAX + 1] = "";
	int rc = -1;

	if (!v)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!service_may_manage(&r->who)) {
		api_forbidden(r, "retire services");
		goto out;
	}
	if (!(body = req_json_object(r)))
		goto out;
	api_only_fields(r, body, known, "of a retirement");
	api_field_string(r, body, "reason", 1, SVC_REASON_MAX, reason, sizeof(reason));
	if (r->err.kind != ERR_NONE || !(t = jur_tree_get(r->db, &r->err)) ||
	    load_for_change(r, t, v, 0, &before))
		goto out;
	if (v->status == SVC_RETIRED) {
		err_set(&r->err, ERR_CONFLICT, "no_change", NULL, "service %lld is retired already",
		        (long long)v->id);
		goto out;
	}
	v->status = SVC_RETIRED;
	snprintf(v->status_reason, sizeof(v->status_reason), "%s", reason);
	rc = service_save(r, t, v, v->version, "retire", buf_cstr(&before));
out:
	store_rollback(r->db);
	buf_release(&before);
	jur_tree_put(t);
	json_decref(body);
	free(v);
	return rc;
}

/* Sets the provider's department when the approval names one, so that
 * requests for the offer have a department to go to. */
static int approve_department(struct req *r, const struct jur_tree *t, struct service *v,
                              int64_t dept)
{
	struct organisation *o = malloc(sizeof(*o));
	struct buf before = BUF_INIT, after = BUF_INIT;
	int rc = -1;

	if (!o)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_organisation_get(r->db, v->provider_id, o, &r->err))
		goto out;
	if (!dept) {
		if (!o->department_id)
			err_field(
			    &r->err, "department_id", "required",
			    "department_id: %s names no department to answer requests for its "
			    "offer; name one",
			    o->name_zh);
		rc = o->department_id ? 0 : -1;
		goto out;
	}
	if (case_department_serves(r, t, "department_id", dept, v->jurisdiction_id))
		goto out;
	if (o->department_id == dept) {
		rc = 0;
		goto out;
	}
	buf_printf(&before, "{\"department_id\":%lld}", (long long)o->department_id);
	o->department_id = dept;
	if (store_organisation_put(r->db, o, o->version, &r->err))
		goto out;
	buf_printf(&after, "{\"department_id\":%lld}", (long long)o->department_id);
	rc = api_audit(r, "update", "organisation", o->id, buf_cstr(&before), buf_cstr(&after));
out:
	buf_release(&before);
	buf_release(&after);
	free(o);
	return rc;
}

/* POST /api/v1/services/{id}/approve {"department_id"?}: an enterprise's
 * offer is listed. */
int h_service_approve(struct req *r)
{
	static const char *const known[] = {"department_id", NULL};
	struct service *v = malloc(sizeof(*v));
	struct buf before = BUF_INIT;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int64_t dept = 0;
	int rc = -1;

	if (!v)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!service_may_manage(&r->who)) {
		api_forbidden(r, "approve offers");
		goto out;
	}
	if (!(body = req_json_object(r)))
		goto out;
	api_only_fields(r, body, known, "of an approval");
	api_field_id(r, body, "department_id", 0, &dept);
	if (r->err.kind != ERR_NONE || !(t = jur_tree_get(r->db, &r->err)) ||
	    load_for_change(r, t, v, 0, &before))
		goto out;
	if (v->status != SVC_PENDING) {
		err_set(&r->err, ERR_CONFLICT, "not_pending", NULL,
		        "service %lld is %s; only a pending offer is approved", (long long)v->id,
		        service_status_name(v->status));
		goto out;
	}
	if (approve_department(r, t, v, dept))
		goto out;
	v->status = SVC_ACTIVE;
	v->status_reason[0] = '\0';
	v->approved_by = r->who.user_id;
	time_now_iso(v->approved_at);
	rc = service_save(r, t, v, v->version, "approve", buf_cstr(&before));
out:
	store_rollback(r->db);
	buf_release(&before);
	jur_tree_put(t);
	json_decref(body);
	free(v);
	return rc;
}

int h_service_get(struct req *r)
{
	struct service *v = malloc(sizeof(*v));
	struct jur_tree *t = NULL;
	time_t at;
	int64_t id;
	int rc = -1;

	if (!v)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (api_param_id(r, 0, &id) || at_param(r, &at) || !(t = jur_tree_get(r->db, &r->err)) ||
	    service_load(r, t, id, v))
		goto out;
	api_service_json(&r->out, t, v, at);
	buf_addc(&r->out, '\n');
	api_etag_version(r, v->version);
	rc = 0;
out:
	jur_tree_put(t);
	free(v);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The catalogue                                                        */

struct page {
	struct req *r;
	const struct jur_tree *t;
	time_t at;
	int limit, n;
	int more;
	int64_t last;
};

static int page_row(void *ctx, const struct service *v)
{
	struct page *p = ctx;

	if (p->n == p->limit) {
		p->more = 1;
		return 1;
	}
	if (p->n++)
		buf_addc(&p->r->out, ',');
	api_service_json(&p->r->out, p->t, v, p->at);
	p->last = v->id;
	return 0;
}

/* Cursors are opaque: base64url of "svc:<id of the last row>". */
static void cursor_json(struct buf *out, int64_t id)
{
	char raw[32], b64[64];

	snprintf(raw, sizeof(raw), "svc:%lld", (long long)id);
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)raw, strlen(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_json_str(out, b64);
}

static int cursor_param(struct req *r, int64_t *after)
{
	const char *c = req_query(r, "cursor");
	unsigned char raw[40];
	size_t n = 0;

	if (!c || !*c)
		return 0;
	if (strlen(c) > 48 ||
	    sodium_base642bin(raw, sizeof(raw) - 1, c, strlen(c), NULL, &n, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    n < 5 || memcmp(raw, "svc:", 4) != 0)
		goto bad;
	raw[n] = '\0';
	if (num_int64((const char *)raw + 4, after) != NUM_OK || *after < 0)
		goto bad;
	return 0;
bad:
	return err_set(&r->err, ERR_MALFORMED, "invalid_cursor", "cursor",
	               "cursor: is not a cursor this server gave out");
}

/*
 * The filters of the catalogue, shared by the list and the HSDS export:
 * q (NFKC-folded into *folded, the caller frees it), category, provider,
 * jurisdiction; the caller's view of statuses is the caller's to set.
 */
int api_service_filters(struct req *r, const struct jur_tree *t, struct service_query *q,
                        char **folded)
{
	const char *v;

	*folded = NULL;
	if ((v = req_query(r, "category")) && *v) {
		if (!service_category_find(v))
			return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "category",
			               "category: '%.40s' must be one of %s", v,
			               service_categories_list);
		q->category = v;
	}
	if (api_query_int(r, "provider", 1, INT64_MAX, &q->provider_id))
		return -1;
	if ((v = req_query(r, "q")) && *v) {
		int words = 0;
		if (utf8_chars(v) < 0 || strlen(v) > 200)
			return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "q",
			               "q: must be UTF-8 text of at most 200 bytes");
		/* Full-width letters typed by a Chinese input method, and
		 * the ideographic space between words, as their plain forms. */
		*folded = (char *)utf8proc_NFKC((const utf8proc_uint8_t *)v);
		q->q = *folded ? *folded : v;
		for (const char *p = q->q; *p;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (!*p)
				break;
			words++;
			p += strcspn(p, " \t");
		}
		if (words > 8)
			return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "q",
			               "q: at most 8 words");
	}
	return api_list_scope(r, t, &q->scope);
}

/* GET /api/v1/services: the catalogue (public), with q, category,
 * provider, status, offered_by, open_now (and at), jurisdiction, limit,
 * cursor. */
int h_service_list(struct req *r)
{
	struct service_query q;
	struct page p = {r, NULL, 0, LIST_DEFAULT, 0, 0, 0};
	struct jur_tree *t;
	char *folded = NULL;
	const char *v;
	int64_t limit = LIST_DEFAULT;
	int rc = -1;

	memset(&q, 0, sizeof(q));
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	p.t = t;
	if (api_service_filters(r, t, &q, &folded) || at_param(r, &p.at) ||
	    api_query_int(r, "limit", 1, LIST_MAX, &limit) ||
	    api_query_int(r, "offered_by", 1, INT64_MAX, &q.offered_by) ||
	    cursor_param(r, &q.after_id))
		goto out;
	p.limit = (int)limit;
	if ((v = req_query(r, "open_now")) && *v) {
		if (strcmp(v, "1") && strcmp(v, "0") && strcmp(v, "true") && strcmp(v, "false")) {
			err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "open_now",
			        "open_now: must be 1 or 0");
			goto out;
		}
		/* The store judges it, before it reads a closed row whole. */
		q.open_only = !strcmp(v, "1") || !strcmp(v, "true");
		q.open_at = p.at;
	}
	/* The statuses each caller may list: everyone the active ones, an
	 * enterprise contact its own offers too, staff any. */
	q.status = "active";
	if ((v = req_query(r, "status")) && *v) {
		enum service_status s;
		if (strcmp(v, "any") && service_status_parse(v, &s)) {
			err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "status",
			        "status: must be active, pending, inactive, retired or any");
			goto out;
		}
		q.status = strcmp(v, "any") ? service_status_name(s) : NULL;
		if (r->who.role == ROLE_PUBLIC && (!q.status || strcmp(q.status, "active"))) {
			err_set(&r->err, ERR_FORBIDDEN, "forbidden", "status",
			        "status: the public reads the active services; sign in for the "
			        "others");
			goto out;
		}
	}
	if (r->who.role == ROLE_ENTERPRISE) {
		if (q.offered_by && q.offered_by != r->who.enterprise_id) {
			err_set(
			    &r->err, ERR_FORBIDDEN, "forbidden", "offered_by",
			    "offered_by: an enterprise contact lists its own enterprise's offers");
			goto out;
		}
		q.own_enterprise = r->who.enterprise_id ? r->who.enterprise_id : -1;
	}
	buf_adds(&r->out, "{\"items\":[");
	if (store_services(r->db, &q, page_row, &p, &r->err))
		goto out;
	buf_adds(&r->out, "],\"next\":");
	if (p.more)
		cursor_json(&r->out, p.last);
	else
		buf_adds(&r->out, "null");
	buf_printf(&r->out, ",\"count\":%d}\n", p.n);
	rc = 0;
out:
	jur_tree_put(t);
	free(folded);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Requesting a service                                                 */

/*
 * POST /api/v1/services/{id}/request {"text"?, "enterprise_id"?}: an
 * enterprise contact asks for a service for its enterprise; an officer
 * or admin on an enterprise's behalf (enterprise_id).  The request is a
 * case of the kind service_request: routed to the provider's department
 * with the service's time limit (case_draft_complete), followed, rated
 * and reopened as every case is.  An Idempotency-Key makes a retry the
 * same case.  Runs on the writer: the one category of service requests
 * is made the first time one is needed.
 */
int h_service_request(struct req *r)
{
	static const char *const known[] = {"text", "enterprise_id", NULL};
	struct case_draft *d = calloc(1, sizeof(*d));
	struct service *v = malloc(sizeof(*v));
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int64_t id, category;
	int rc = -1;

	if (!d || !v) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (!service_may_request(&r->who)) {
		api_forbidden(r,
		              "request services (enterprise contacts do, and officers for them)");
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(body = req_json_object(r)) ||
	    !(t = jur_tree_get(r->db, &r->err)) || service_load(r, t, id, v))
		goto out;
	api_only_fields(r, body, known, "of a service request");
	api_field_string(r, body, "text", 0, CASE_TEXT_MAX, d->c.text, sizeof(d->c.text));
	api_field_id(r, body, "enterprise_id", r->who.role != ROLE_ENTERPRISE, &d->c.enterprise_id);
	if (r->who.role == ROLE_ENTERPRISE) {
		if (d->c.enterprise_id && d->c.enterprise_id != r->who.enterprise_id) {
			api_forbidden(r, "request services for another enterprise");
			goto out;
		}
		d->c.enterprise_id = r->who.enterprise_id;
	}
	if (r->err.kind != ERR_NONE)
		goto out;
	if (d->c.enterprise_id && r->who.role != ROLE_ENTERPRISE) {
		struct enterprise *e = malloc(sizeof(*e));
		struct err miss;
		err_clear(&miss);
		if (!e) {
			err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		/* An enterprise outside the officer's places is none. */
		if (api_enterprise_load(r, d->c.enterprise_id, e)) {
			if (r->err.kind == ERR_NOT_FOUND) {
				err_clear(&r->err);
				err_set(&r->err, ERR_INVALID, "unknown_enterprise", "enterprise_id",
				        "enterprise_id: no enterprise %lld",
				        (long long)d->c.enterprise_id);
			}
			free(e);
			goto out;
		}
		free(e);
	}
	if (v->status != SVC_ACTIVE) {
		err_set(&r->err, ERR_CONFLICT, "service_not_active", "id",
		        "service %lld is %s; only an active service takes requests", (long long)id,
		        service_status_name(v->status));
		goto out;
	}
	if (!v->department_id) {
		err_set(&r->err, ERR_CONFLICT, "service_not_active", "id",
		        "service %lld: its provider names no department to answer requests; an "
		        "officer sets one on the provider",
		        (long long)id);
		goto out;
	}
	if (!d->c.text[0])
		snprintf(d->c.text, sizeof(d->c.text), "申请服务：%s%s%s", v->name_zh,
		         v->name_en[0] ? " / Request for: " : "", v->name_en);
	if (store_begin(r->db, &r->err) ||
	    store_service_request_category(r->db, v->department_id, &category, &r->err) ||
	    store_commit(r->db, &r->err))
		goto out;
	d->c.category_id = category;
	d->c.kind = CASE_SERVICE_REQUEST;
	d->c.service_id = v->id;
	/* The enterprise's own request, or one an officer made for it. */
	snprintf(d->c.channel, sizeof(d->c.channel), "%s",
	         r->who.role == ROLE_ENTERPRISE ? "enterprise" : "console");
	d->c.created_by = r->who.user_id;
	d->scope_id = r->who.scope.id;
	if (case_request_key(r, d, r->who.user_id) || case_draft_complete(r->db, d, &r->err))
		goto out;
	{
		/* The case lies where its enterprise does; an officer acts
		 * for the enterprises of its own places only. */
		struct jur_pos pos = jur_tree_pos(t, d->c.jurisdiction_id);
		const struct jurisdiction *j = jur_tree_find(t, d->c.jurisdiction_id);
		if (!jur_in_scope(&r->who.scope, &pos)) {
			err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "enterprise_id",
			        "enterprise_id: the request would lie in %s (%s), outside the "
			        "jurisdictions this account acts for",
			        j ? j->name_zh : "?", j ? j->code : "?");
			goto out;
		}
	}
	rc = case_intake_defer(r, d, r->who.username, INTAKE_STAFF);
out:
	store_rollback(r->db);
	jur_tree_put(t);
	json_decref(body);
	free(d);
	free(v);
	return rc;
}
