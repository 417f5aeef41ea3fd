#include "case_common.h"

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "case_requests.h"
#include "open311.h"

struct case_scope case_scope_of(struct req *r, const struct case_rec *c, struct idset *mine)
{
	struct case_scope s;

	memset(&s, 0, sizeof(s));
	s.department = c->department;
	s.enterprise_id = c->enterprise_id;
	s.cluster_id = c->cluster_id;
	s.created_by = c->created_by;
	s.in_my_grid = api_in_my_grid(r, c->grid_id, mine);
	return s;
}

int case_in_scope(const struct req *r, const struct jur_tree *t, const struct case_rec *c)
{
	struct jur_pos pos;

	if (!r->who.scope.id)
		return 1;
	pos = jur_tree_pos(t, c->jurisdiction_id);
	if (jur_in_scope(&r->who.scope, &pos))
		return 1;
	if (!c->transfer.id)
		return 0;
	pos = jur_tree_pos(t, c->transfer.to_id);
	return jur_in_scope(&r->who.scope, &pos);
}

int case_load(struct req *r, const struct jur_tree *t, int64_t id, struct case_rec *c,
              struct case_scope *s, struct idset *mine)
{
	if (store_case_get(r->db, id, c, &r->err))
		return -1;
	*s = case_scope_of(r, c, mine);
	if (r->err.kind != ERR_NONE)
		return -1;
	if (!case_may_read(&r->who, s) || !case_in_scope(r, t, c))
		return api_not_found(r, "case", id);
	return 0;
}

/* Finds one department (a department_fn). */
struct dept_find {
	int64_t id;
	struct department_rec d;
	int found;
};

static int dept_find_row(void *ctx, const struct department_rec *d)
{
	struct dept_find *f = ctx;

	if (d->id != f->id)
		return 0;
	f->d = *d;
	f->found = 1;
	return 1;
}

int case_department_serves(struct req *r, const struct jur_tree *t, const char *field, int64_t dept,
                           int64_t jur)
{
	struct dept_find f = {.id = dept};
	struct jur_scope place = jur_scope_all();
	const struct jurisdiction *j = jur_tree_find(t, jur);
	struct jur_pos pos;

	if (store_departments(r->db, dept_find_row, &f, &r->err))
		return -1;
	pos = jur_tree_pos(t, f.d.jurisdiction_id);
	/* A department the caller cannot see is, to it, no department. */
	if (!f.found || (r->who.scope.id && !jur_sees(&r->who.scope, &pos))) {
		err_field(&r->err, field, "unknown_department", "%s: no department %lld", field,
		          (long long)dept);
		return -1;
	}
	if (j)
		place = jur_scope_of(j);
	if (!jur_sees(&place, &pos)) {
		const struct jurisdiction *d = jur_tree_find(t, f.d.jurisdiction_id);
		err_field(&r->err, field, "department_elsewhere",
		          "%s: %s belongs to %s and does not serve %s; name a department of %s "
		          "or above it",
		          field, f.d.name, d ? d->name_zh : "another jurisdiction",
		          j ? j->name_zh : "this place", j ? j->name_zh : "this place");
		return -1;
	}
	return 0;
}

void case_transfer_json(struct buf *b, const struct jur_tree *t, const struct transfer_rec *x)
{
	buf_printf(b, "{\"id\":%lld,\"case_id\":%lld,", (long long)x->id, (long long)x->case_id);
	api_jur_ref_json(b, t, "from", x->from_id);
	buf_addc(b, ',');
	api_jur_ref_json(b, t, "to", x->to_id);
	buf_adds(b, ",\"reason\":");
	buf_json_str(b, x->reason);
	buf_adds(b, ",\"status\":");
	buf_json_str(b, transfer_status_name(x->status));
	buf_adds(b, ",\"sent_at\":");
	buf_json_str(b, x->sent_at);
	buf_adds(b, ",\"sent_by\":");
	buf_json_str(b, x->sent_by_name[0] ? x->sent_by_name : NULL);
	/* The person as the console names them; the login above is kept
	 * for the API's readers. */
	buf_adds(b, ",\"sent_by_display_name\":");
	buf_json_str(b, x->sent_by_display[0] ? x->sent_by_display : NULL);
	buf_adds(b, ",\"answered_at\":");
	buf_json_str(b, x->answered_at[0] ? x->answered_at : NULL);
	buf_adds(b, ",\"answered_by\":");
	buf_json_str(b, x->answered_by_name[0] ? x->answered_by_name : NULL);
	buf_adds(b, ",\"answered_by_display_name\":");
	buf_json_str(b, x->answered_by_display[0] ? x->answered_by_display : NULL);
	buf_adds(b, ",\"note\":");
	buf_json_str(b, x->answer_note);
	buf_addc(b, '}');
}

static void str_field(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, ",\"%s\":", name);
	buf_json_str(b, v);
}

static void time_or_null(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, ",\"%s\":", name);
	buf_json_str(b, v && *v ? v : NULL);
}

/* The fields both audiences see. */
static void common_json(struct buf *b, const struct jur_tree *t, const struct case_rec *c,
                        const char *now)
{
	buf_printf(b, "{\"id\":%lld", (long long)c->id);
	api_jurisdiction_json(b, t, c->jurisdiction_id);
	str_field(b, "kind", case_kind_name(c->kind));
	str_field(b, "channel", c->channel);
	buf_adds(b, ",\"category\":{\"code\":");
	buf_json_str(b, c->category_code);
	str_field(b, "name_zh", c->category_zh);
	str_field(b, "name_en", c->category_en);
	buf_printf(b, "},\"department\":{\"id\":%lld", (long long)c->department_id);
	str_field(b, "name", c->department);
	str_field(b, "name_en", c->department_en);
	buf_adds(b, "}");
	str_field(b, "text", c->text);
	str_field(b, "street", c->street);
	str_field(b, "state", case_state_name(c->state));
	str_field(b, "status", case_state_is_open(c->state) ? "open" : "closed");
	/* A parked case's clock stands: it is not late (case_limits.h). */
	buf_printf(b, ",\"overdue\":%s",
	           case_is_overdue(c->state, c->deadline, now) && !c->steps.parked_at[0] ? "true"
	                                                                                 : "false");
	str_field(b, "deadline", c->deadline);
	if (c->merged_into)
		buf_printf(b, ",\"merged_into\":%lld", (long long)c->merged_into);
	else
		buf_adds(b, ",\"merged_into\":null");
	str_field(b, "reply", c->reply);
	if (c->rating)
		buf_printf(b, ",\"rating\":%d", c->rating);
	else
		buf_adds(b, ",\"rating\":null");
	buf_printf(b, ",\"reopened\":%d", c->reopened);
	time_or_null(b, "resolved_at", c->resolved_at);
	time_or_null(b, "closed_at", c->closed_at);
	str_field(b, "created_at", c->created_at);
	str_field(b, "updated_at", c->updated_at);
}

void case_json(struct buf *b, const struct jur_tree *t, const struct case_rec *c,
               const struct case_person *person, int clear, const char *now)
{
	common_json(b, t, c, now);
	case_steps_json(b, c, now);
	buf_adds(b, ",\"transfer\":");
	if (c->transfer.id)
		case_transfer_json(b, t, &c->transfer);
	else
		buf_adds(b, "null");
	buf_printf(b, ",\"version\":%lld", (long long)c->version);
	str_field(b, "tracking_code", c->tracking_code);
	buf_printf(b, ",\"category_id\":%lld", (long long)c->category_id);
	if (c->point_id) {
		buf_printf(b, ",\"point\":{\"id\":%lld", (long long)c->point_id);
		str_field(b, "name", c->point_name);
		buf_adds(b, "}");
	} else {
		buf_adds(b, ",\"point\":null");
	}
	str_field(b, "address", c->address);
	if (c->located)
		buf_printf(b, ",\"lon\":%.7f,\"lat\":%.7f", c->lon, c->lat);
	else
		buf_adds(b, ",\"lon\":null,\"lat\":null");
	if (c->enterprise_id) {
		buf_printf(b, ",\"enterprise\":{\"id\":%lld", (long long)c->enterprise_id);
		str_field(b, "name", c->enterprise_name);
		str_field(b, "name_en", c->enterprise_en);
		buf_adds(b, "}");
	} else {
		buf_adds(b, ",\"enterprise\":null");
	}
	if (c->visit_id)
		buf_printf(b, ",\"visit_id\":%lld", (long long)c->visit_id);
	else
		buf_adds(b, ",\"visit_id\":null");
	/* A service request's service, by which it was routed. */
	if (c->service_id) {
		buf_printf(b, ",\"service\":{\"id\":%lld", (long long)c->service_id);
		str_field(b, "name_zh", c->service_zh);
		str_field(b, "name_en", c->service_en);
		buf_adds(b, "}");
	} else {
		buf_adds(b, ",\"service\":null");
	}
	str_field(b, "client", c->client);
	str_field(b, "media_url", c->media_url);
	buf_adds(b, ",\"attributes\":");
	buf_adds(b, c->attributes[0] ? c->attributes : "{}");
	buf_printf(b, ",\"public\":%s", c->public_ ? "true" : "false");
	time_or_null(b, "escalated_at", c->escalated_at);
	str_field(b, "rating_note", c->rating_note);
	time_or_null(b, "erased_at", c->erased_at);
	if (person) {
		char name[sizeof(person->name)], phone[64], email[sizeof(person->email)];
		if (clear) {
			snprintf(name, sizeof(name), "%s", person->name);
			snprintf(phone, sizeof(phone), "%s", person->phone);
			snprintf(email, sizeof(email), "%s", person->email);
		} else {
			const char *at = strchr(person->email, '@');
			case_mask_name(person->name, name, sizeof(name));
			case_mask_phone(person->phone, phone, sizeof(phone));
			/* The domain says where, not who. */
			snprintf(email, sizeof(email), "%s%s", at ? "***" : "", at ? at : "");
		}
		buf_adds(b, ",\"person\":{\"name\":");
		buf_json_str(b, name);
		str_field(b, "phone", phone);
		str_field(b, "email", email);
		buf_printf(b, ",\"masked\":%s}", clear ? "false" : "true");
	} else {
		buf_adds(b, ",\"person\":null");
	}
	buf_adds(b, "}");
}

void case_public_json(struct buf *b, const struct jur_tree *t, const struct case_rec *c,
                      const char *now)
{
	common_json(b, t, c, now);
	buf_adds(b, "}");
}

/* ------------------------------------------------------------------ */
/* Fields of a new case                                                 */

static int blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

int case_fields(struct req *r, json_t *body, struct case_draft *d, int channel_free)
{
	struct case_rec *c = &d->c;
	char kind[16] = "";
	int has_lon, has_lat;
	json_t *cat = json_object_get(body, "category");

	if (!api_field_string(r, body, "kind", 1, 15, kind, sizeof(kind)) &&
	    (case_kind_parse(kind, &c->kind) || c->kind == CASE_SERVICE_REQUEST))
		err_field(&r->err, "kind", "invalid_enum",
		          "kind: must be problem, suggestion or complaint%s",
		          strcmp(kind, "service_request") == 0
		              ? "; a service request is made on its service (POST "
		                "/api/v1/services/{id}/request)"
		              : "");
	if (cat && json_is_integer(cat)) {
		c->category_id = json_integer_value(cat);
	} else if (!json_object_get(body, "category_id")) {
		api_field_string(r, body, "category", 1, 40, c->category_code,
		                 sizeof(c->category_code));
	}
	api_field_id(r, body, "category_id", 0, &c->category_id);
	if (!api_field_string(r, body, "text", 1, CASE_TEXT_MAX, c->text, sizeof(c->text)) &&
	    c->text[0] && blank(c->text))
		err_field(&r->err, "text", "required", "text: is required (more than spaces)");
	api_field_id(r, body, "point_id", 0, &c->point_id);
	api_field_string(r, body, "street", 0, 50, c->street, sizeof(c->street));
	api_field_string(r, body, "address", 0, 200, c->address, sizeof(c->address));
	has_lon = json_object_get(body, "lon") && !json_is_null(json_object_get(body, "lon"));
	has_lat = json_object_get(body, "lat") && !json_is_null(json_object_get(body, "lat"));
	if (has_lon != has_lat) {
		err_field(&r->err, has_lon ? "lat" : "lon", "required",
		          "%s: lon and lat come together", has_lon ? "lat" : "lon");
	} else if (has_lon) {
		int bad = api_field_number(r, body, "lon", 1, -180, 180, &c->lon);
		bad |= api_field_number(r, body, "lat", 1, -90, 90, &c->lat);
		c->located = !bad;
	}
	api_field_id(r, body, "enterprise_id", 0, &c->enterprise_id);
	api_field_id(r, body, "visit_id", 0, &c->visit_id);
	if (channel_free) {
		if (!api_field_string(r, body, "channel", 0, 20, c->channel, sizeof(c->channel)) &&
		    c->channel[0] && !case_channel_valid(c->channel))
			err_field(&r->err, "channel", "invalid_enum", "channel: must be one of %s",
			          case_channels_list);
	}
	if (!api_field_string(r, body, "name", 0, 50, d->person.name, sizeof(d->person.name)) &&
	    d->person.name[0] && blank(d->person.name))
		d->person.name[0] = '\0';
	if (!api_field_string(r, body, "phone", 0, 30, d->person.phone, sizeof(d->person.phone)) &&
	    d->person.phone[0] && !case_phone_valid(d->person.phone))
		err_field(&r->err, "phone", "invalid_phone",
		          "phone: must be 5 to 20 digits, with + - or spaces only");
	if (!api_field_string(r, body, "email", 0, 200, d->person.email, sizeof(d->person.email)) &&
	    d->person.email[0] && !case_email_valid(d->person.email))
		err_field(&r->err, "email", "invalid_email",
		          "email: must be an address like a@b.cn");
	/* The urgency staff give a case at intake (case_limits.h); the
	 * public's forms leave it to the officer. */
	if (json_object_get(body, "urgency")) {
		char u[16] = "";
		if (!channel_free)
			err_field(&r->err, "urgency", "not_allowed",
			          "urgency: staff set it when they take the case in");
		else if (!api_field_string(r, body, "urgency", 1, 15, u, sizeof(u)) &&
		         case_urgency_parse(u, &c->steps.urgency))
			err_field(&r->err, "urgency", "invalid_enum", "urgency: must be one of %s",
			          case_urgencies_list);
	}
	{
		/* A field the form does not know is a typo the sender should
		 * hear of, not something silently dropped. */
		static const char *const known[] = {
		    "kind",    "category", "category_id", "text",          "point_id", "street",
		    "address", "lon",      "lat",         "enterprise_id", "visit_id", "channel",
		    "name",    "phone",    "email",       "jurisdiction",  "urgency",  NULL};
		api_only_fields(r, body, known, "of a case");
	}
	return r->err.kind != ERR_NONE ? -1 : 0;
}

int case_request_key(struct req *r, struct case_draft *d, int64_t user_id)
{
	const char *key = req_header(r, "Idempotency-Key");

	if (!key)
		return 0;
	if (!*key || strlen(key) > 80)
		return err_set(&r->err, ERR_MALFORMED, "invalid_idempotency_key", "Idempotency-Key",
		               "Idempotency-Key: must be 1 to 80 characters");
	if (user_id) {
		snprintf(d->c.request_key, sizeof(d->c.request_key), "u%lld:%s", (long long)user_id,
		         key);
	} else {
		/* An anonymous caller has no name the key could be kept under:
		 * a retry is known by the request itself, the same key from the
		 * same address with the same body.  So a key another resident
		 * happens to use (or a key read off someone's screen) is a new
		 * case, never the first one's answer with its tracking code;
		 * and one resident's retry, byte for byte, is still the one
		 * case.  BLAKE2b of the parts, each ended by a NUL (which
		 * neither an address nor a header holds), the body last. */
		static const char tag[] = "qunyan public Idempotency-Key";
		const char *ip = r->client_ip ? r->client_ip : "";
		unsigned char h[32];
		char hex[2 * sizeof(h) + 1];
		crypto_generichash_state st;
		crypto_generichash_init(&st, NULL, 0, sizeof(h));
		crypto_generichash_update(&st, (const unsigned char *)tag, sizeof(tag));
		crypto_generichash_update(&st, (const unsigned char *)ip, strlen(ip) + 1);
		crypto_generichash_update(&st, (const unsigned char *)key, strlen(key) + 1);
		crypto_generichash_update(&st, (const unsigned char *)r->body, r->body_len);
		crypto_generichash_final(&st, h, sizeof(h));
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		snprintf(d->c.request_key, sizeof(d->c.request_key), "public:%s", hex);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Deferred intake                                                      */

struct intake {
	struct req_deferred d;
	struct case_draft draft;
	char actor[101];
	int64_t existing_id;
	enum intake_view view;
	/* The tree's version as the draft read it (-1: not read), for the
	 * answer's names of places: one read fewer. */
	int64_t jur_version;
};

static int intake_run(struct store *st, struct write_job *job)
{
	struct intake *in = (struct intake *)job;

	if (store_case_insert(st, &in->draft.c, &in->draft.person, in->actor, &in->existing_id,
	                      &job->err))
		return -1;
	return case_notify(st, &in->draft.c, "case.created", "", &job->err);
}

/* The intakes of a writer's group at once: their cases in statements of
 * many rows.  A case with an Idempotency-Key has its own look first, so
 * a group with one runs one by one (as after any failure here). */
static int intake_run_many(struct store *st, struct write_job **jobs, int n)
{
	enum { PART = 64 };
	struct case_rec *cs[PART];
	const struct case_person *ps[PART];
	const char *actors[PART];
	struct err *err = &jobs[0]->err;

	for (int i = 0; i < n; i++)
		if (((struct intake *)jobs[i])->draft.c.request_key[0])
			return -1;
	for (int at = 0; at < n; at += PART) {
		int k = n - at < PART ? n - at : PART;
		for (int i = 0; i < k; i++) {
			struct intake *in = (struct intake *)jobs[at + i];
			cs[i] = &in->draft.c;
			ps[i] = &in->draft.person;
			actors[i] = in->actor;
		}
		if (store_cases_insert(st, cs, ps, actors, k, err))
			return -1;
		for (int i = 0; i < k; i++)
			if (case_notify(st, cs[i], "case.created", "", err))
				return -1;
	}
	return 0;
}

static int intake_respond(struct req_deferred *d, struct req *r)
{
	struct intake *in = (struct intake *)d;
	struct case_rec *c;
	struct similar_hit hits[CASE_SIMILAR_CANDIDATES];
	struct jur_tree *t;
	int64_t id = in->draft.c.id;
	int replay = 0, n = 0;
	char now[21];

	if (d->job.rc) {
		/* The same Idempotency-Key again: the case it made, not a
		 * second one. */
		if (strcmp(d->job.err.code, "duplicate_request") || !in->existing_id) {
			r->err = d->job.err;
			return -1;
		}
		id = in->existing_id;
		replay = 1;
	} else {
		cases_index_update(&in->draft.c, in->draft.shingles, in->draft.c.nshingles);
	}
	/* A new case is answered from its draft, which holds all that was
	 * written and the names it was routed by (case_draft_complete): a
	 * read of it again would cost every intake a statement, and the
	 * answer is of the moment of its commit either way.  A replay's case
	 * is another request's, read. */
	if (!(c = malloc(sizeof(*c))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!replay)
		*c = in->draft.c;
	else if (store_case_get(r->db, id, c, &r->err)) {
		free(c);
		return -1;
	}
	time_now_iso(now);
	r->status = replay ? 200 : 201;
	if (in->view == INTAKE_OPEN311) {
		open311_intake_answer(r, c);
		free(c);
		return 0;
	}
	if (in->jur_version >= 0)
		store_jurisdiction_hint_set(r->db, in->jur_version);
	if (!(t = jur_tree_get(r->db, &r->err))) {
		free(c);
		return -1;
	}
	if (in->view == INTAKE_PUBLIC)
		snprintf(r->location, sizeof(r->location), "/api/v1/public/cases/%s",
		         c->tracking_code);
	else
		snprintf(r->location, sizeof(r->location), "/api/v1/cases/%lld", (long long)c->id);
	/* The draft's shingles are the stored case's, but for a replay,
	 * whose case was made by the first request. */
	n = replay ? cases_similar(c->text, c->located, c->lon, c->lat, c->id, hits,
	                           CASE_SIMILAR_CANDIDATES)
	           : cases_similar_shingles(in->draft.shingles, in->draft.c.nshingles, c->located,
	                                    c->lon, c->lat, c->id, hits, CASE_SIMILAR_CANDIDATES);
	buf_adds(&r->out, "{\"case\":");
	if (in->view == INTAKE_PUBLIC)
		case_public_json(&r->out, t, c, now);
	else
		case_json(&r->out, t, c, NULL, 0, now);
	buf_adds(&r->out, ",\"tracking_code\":");
	buf_json_str(&r->out, c->tracking_code);
	buf_printf(&r->out, ",\"replayed\":%s,\"similar\":", replay ? "true" : "false");
	case_similar_json(r, &r->out, hits, n < 0 ? 0 : n, in->view == INTAKE_PUBLIC, 5);
	buf_adds(&r->out, "}\n");
	jur_tree_put(t);
	free(c);
	return 0;
}

static void intake_release(struct req_deferred *d)
{
	free(d);
}

int case_intake_defer(struct req *r, const struct case_draft *d, const char *actor,
                      enum intake_view view)
{
	struct intake *in = calloc(1, sizeof(*in));

	if (!in)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	in->draft = *d;
	/* The copy's shingles are its own. */
	in->draft.c.shingles = in->draft.shingles;
	snprintf(in->actor, sizeof(in->actor), "%s", actor);
	in->view = view;
	in->jur_version = store_jurisdiction_hint(r->db);
	in->d.job.run = intake_run;
	in->d.job.run_many = intake_run_many;
	in->d.respond = intake_respond;
	in->d.release = intake_release;
	r->deferred = &in->d;
	return 0;
}

int case_page_row(void *ctx, const struct case_rec *c)
{
	struct case_page *p = ctx;

	if (p->n++)
		buf_addc(p->out, ',');
	if (p->public_view)
		case_public_json(p->out, p->tree, c, p->now);
	else
		case_json(p->out, p->tree, c, NULL, 0, p->now);
	p->last = c->id;
	return 0;
}

void case_page_end(const struct case_page *p, int limit)
{
	api_list_next_id(p->out, p->n == limit, p->last);
	buf_printf(p->out, ",\"count\":%d}\n", p->n);
}

void case_similar_json(struct req *r, struct buf *b, const struct similar_hit *h, int n,
                       int public_only, int max)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct idset mine = {.n = 0};
	struct err ignored, saved = r->err;
	struct jur_tree *t = NULL;
	int first = 1, shown = 0;

	/* A caller of one part of the tree sees similar cases of that part
	 * only; the tree failing to load leaves every one out. */
	if (!public_only && r->who.role != ROLE_PUBLIC && r->who.scope.id) {
		err_clear(&ignored);
		if (!(t = jur_tree_get(r->db, &ignored)))
			n = 0;
	}
	buf_addc(b, '[');
	for (int i = 0; c && i < n && shown < max; i++) {
		char excerpt[4 * 80 + 1];
		size_t len = 0, chars = 0;
		err_clear(&ignored);
		if (store_case_get(r->db, h[i].id, c, &ignored))
			continue;
		if (public_only || r->who.role == ROLE_PUBLIC) {
			if (!c->public_)
				continue;
		} else {
			struct case_scope s = case_scope_of(r, c, &mine);
			/* Reading the caller's grids may fail; the case is then
			 * left out, and the answer is not spoilt by it. */
			r->err = saved;
			if (!case_may_read(&r->who, &s) || (t && !case_in_scope(r, t, c)))
				continue;
		}
		shown++;
		/* Up to 80 characters of the text, cut between characters. */
		while (c->text[len] && chars < 80) {
			size_t k = 1;
			while ((c->text[len + k] & 0xC0) == 0x80)
				k++;
			if (len + k >= sizeof(excerpt))
				break;
			len += k;
			chars++;
		}
		memcpy(excerpt, c->text, len);
		excerpt[len] = '\0';
		buf_adds(b, first ? "{" : ",{");
		first = 0;
		buf_printf(b, "\"id\":%lld,\"score\":%.3f,\"similarity\":%.3f,", (long long)c->id,
		           h[i].score, h[i].jaccard);
		if (h[i].km >= 0)
			buf_printf(b, "\"km\":%.3f,", h[i].km);
		else
			buf_adds(b, "\"km\":null,");
		buf_adds(b, "\"state\":");
		buf_json_str(b, case_state_name(c->state));
		buf_adds(b, ",\"category\":");
		buf_json_str(b, c->category_code);
		buf_adds(b, ",\"excerpt\":");
		buf_json_str(b, excerpt);
		buf_adds(b, ",\"created_at\":");
		buf_json_str(b, c->created_at);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	jur_tree_put(t);
	free(c);
}
