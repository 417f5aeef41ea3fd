#include "open311.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/num.h"
#include "../util/secret.h"
#include "../util/timeutil.h"
#include "case_common.h"

/* ------------------------------------------------------------------ */
/* One writer for both formats                                          */

/*
 * The specification's JSON mirrors its XML: an XML element with children
 * is a JSON object, a repeated element a JSON array, text a string.  So
 * the answers are written once, through these, and come out in either
 * form.
 */
struct out {
	struct buf *b;
	int xml;
	int depth;
	int count[16]; /* members written at each depth, for JSON's commas */
};

static void xml_escape(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&apos;");
			break;
		default:
			/* XML 1.0 has no place for most control characters. */
			if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n' || *s == '\r')
				buf_addc(b, *s);
		}
	}
}

static void json_sep(struct out *o)
{
	if (o->count[o->depth]++)
		buf_addc(o->b, ',');
}

static void json_key(struct out *o, const char *name, int in_list)
{
	json_sep(o);
	if (!in_list) {
		buf_json_str(o->b, name);
		buf_addc(o->b, ':');
	}
}

static void open_(struct out *o, const char *name, int in_list, char json_open)
{
	if (o->xml) {
		buf_printf(o->b, "<%s>", name);
	} else {
		json_key(o, name, in_list);
		buf_addc(o->b, json_open);
	}
	o->count[++o->depth] = 0;
}

static void close_(struct out *o, const char *name, char json_close)
{
	o->depth--;
	if (o->xml)
		buf_printf(o->b, "</%s>", name);
	else
		buf_addc(o->b, json_close);
}

/* A list (JSON array) and an element of it (JSON object). */
static void list_open(struct out *o, const char *name, int in_list)
{
	open_(o, name, in_list, '[');
}
static void list_close(struct out *o, const char *name)
{
	close_(o, name, ']');
}
static void item_open(struct out *o, const char *name)
{
	open_(o, name, 1, '{');
}
static void obj_close(struct out *o, const char *name)
{
	close_(o, name, '}');
}

/*
 * A value that may be absent (NULL or ""): JSON's null then, and in XML
 * an empty element, as the specification's examples write them.
 */
static void str(struct out *o, const char *name, const char *v, int in_list)
{
	if (o->xml) {
		buf_printf(o->b, "<%s>", name);
		xml_escape(o->b, v);
		buf_printf(o->b, "</%s>", name);
	} else {
		json_key(o, name, in_list);
		if (v && *v)
			buf_json_str(o->b, v);
		else
			buf_adds(o->b, "null");
	}
}

static void field(struct out *o, const char *name, const char *v)
{
	str(o, name, v, 0);
}

/* A number or a boolean, written as it is; NULL for an absent one. */
static void raw(struct out *o, const char *name, const char *v)
{
	if (o->xml) {
		buf_printf(o->b, "<%s>%s</%s>", name, v ? v : "", name);
	} else {
		json_key(o, name, 0);
		buf_adds(o->b, v ? v : "null");
	}
}

static void begin(struct out *o, struct buf *b, const char *format)
{
	memset(o, 0, sizeof(*o));
	o->b = b;
	o->xml = strcmp(format, "xml") == 0;
	if (o->xml)
		buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

const char *open311_content_type(const char *format)
{
	return strcmp(format, "xml") == 0 ? "text/xml; charset=utf-8"
	                                  : "application/json; charset=utf-8";
}

int open311_split(const char *url, char *out, size_t n, const char **format)
{
	const char *slash = strrchr(url, '/'), *dot = strrchr(url, '.');
	size_t len;

	if (!dot || (slash && dot < slash))
		return -1;
	if (strcmp(dot, ".json") == 0)
		*format = "json";
	else if (strcmp(dot, ".xml") == 0)
		*format = "xml";
	else
		return -1;
	len = (size_t)(dot - url);
	if (len >= n)
		return -1;
	memcpy(out, url, len);
	out[len] = '\0';
	return 0;
}

int open311_error(struct buf *b, const char *format, const struct err *e)
{
	struct out o;
	int status = err_http_status(e->kind);
	char code[16], msg[sizeof(e->message) + 8];

	if (status != 403 && status != 404 && status != 401 && status < 413)
		status = 400;
	if (status == 401)
		status = 403;
	if (status > 413 && status < 500)
		status = 400;
	snprintf(code, sizeof(code), "%d", status);
	snprintf(msg, sizeof(msg), "%s", e->message);
	begin(&o, b, format);
	list_open(&o, "errors", 1);
	item_open(&o, "error");
	raw(&o, "code", code);
	field(&o, "description", msg);
	obj_close(&o, "error");
	list_close(&o, "errors");
	return status;
}

/* ------------------------------------------------------------------ */
/* CORS                                                                 */

int open311_origin_allowed(const char *allowed, const char *origin)
{
	size_t n;

	if (!allowed || !origin || !*origin)
		return 0;
	n = strlen(origin);
	for (const char *p = allowed; *p;) {
		const char *end;
		size_t len;
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		for (end = p; *end && *end != ',' && *end != ' ' && *end != '\t'; end++)
			;
		len = (size_t)(end - p);
		/* "https://a.example/" is the origin https://a.example. */
		if (len > 1 && p[len - 1] == '/')
			len--;
		if ((len == 1 && *p == '*') || (len == n && len && strncasecmp(p, origin, n) == 0))
			return 1;
		p = end;
	}
	return 0;
}

void open311_cors_headers(const char *allowed, const char *origin, int preflight,
                          void (*add)(void *ctx, const char *name, const char *value), void *ctx)
{
	int ok = open311_origin_allowed(allowed, origin);

	add(ctx, "Vary", "Origin");
	if (preflight)
		add(ctx, "Allow", "GET, POST, OPTIONS");
	if (!ok)
		return;
	add(ctx, "Access-Control-Allow-Origin", origin);
	if (preflight) {
		add(ctx, "Access-Control-Allow-Methods", "GET, POST");
		add(ctx, "Access-Control-Allow-Headers", "Content-Type");
		add(ctx, "Access-Control-Max-Age", "600");
	}
}

/* ------------------------------------------------------------------ */
/* Form bodies                                                          */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes n bytes of s into dst (which has room for n + 1); returns the
 * length or -1 on a bad escape. */
static long decode(const char *s, size_t n, char *dst)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			dst[k++] = ' ';
		} else if (s[i] == '%') {
			int h, l;
			if (i + 2 >= n || (h = hexval((unsigned char)s[i + 1])) < 0 ||
			    (l = hexval((unsigned char)s[i + 2])) < 0)
				return -1;
			dst[k++] = (char)(h * 16 + l);
			i += 2;
		} else {
			dst[k++] = s[i];
		}
	}
	dst[k] = '\0';
	return (long)k;
}

int form_parse(struct form *f, const char *body, size_t len, struct err *err)
{
	size_t pos = 0, out = 0;

	memset(f, 0, sizeof(*f));
	if (!(f->data = malloc(len + 2)))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	while (pos < len) {
		size_t end = pos, eq;
		long kl, vl;
		while (end < len && body[end] != '&')
			end++;
		if (end == pos) {
			pos++;
			continue;
		}
		for (eq = pos; eq < end && body[eq] != '='; eq++)
			;
		if (f->n >= 64)
			return err_set(err, ERR_MALFORMED, "too_many_fields", NULL,
			               "the form has more than 64 fields");
		f->keys[f->n] = f->data + out;
		kl = decode(body + pos, eq - pos, f->data + out);
		if (kl < 0)
			return err_set(err, ERR_MALFORMED, "malformed_form", NULL,
			               "the form body has a bad %%-escape near byte %zu", pos);
		out += (size_t)kl + 1;
		/* A key without '=' has the empty value, its key's terminator:
		 * a pair then never takes more room than its bytes and its '&'
		 * (len + 2 for the whole body). */
		f->values[f->n] = eq < end ? f->data + out : f->data + out - 1;
		vl = eq < end ? decode(body + eq + 1, end - eq - 1, f->data + out) : 0;
		if (vl < 0)
			return err_set(err, ERR_MALFORMED, "malformed_form", f->keys[f->n],
			               "%s: a bad %%-escape", f->keys[f->n]);
		if (utf8_chars(f->keys[f->n]) < 0 || utf8_chars(f->values[f->n]) < 0)
			return err_set(err, ERR_MALFORMED, "not_utf8", f->keys[f->n],
			               "%.40s: not UTF-8", f->keys[f->n]);
		if (eq < end)
			out += (size_t)vl + 1;
		f->n++;
		pos = end + 1;
	}
	return 0;
}

/* An optional parameter sent empty counts as not sent. */
const char *form_get(const struct form *f, const char *key)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->keys[i], key) == 0)
			return f->values[i][0] ? f->values[i] : NULL;
	return NULL;
}

void form_free(struct form *f)
{
	free(f->data);
	f->data = NULL;
}

/* ------------------------------------------------------------------ */
/* Discovery and services                                               */

/*
 * The part of the tree a request asks about: jurisdiction_id is a
 * division code of the tree ("310117011": Jiuliting and what lies under
 * it), or the name of the whole installation (OPEN311_JURISDICTION), or
 * absent (the caller's scope: the whole tree for the public).  A code
 * this server does not know is 404, as the specification has it; one
 * outside a signed-in caller's scope 403.  *j is the node, NULL for the
 * whole scope.
 */
static int jurisdiction_named(struct req *r, const char *v, const struct jur_tree *t,
                              const struct jur_scope *within, struct jur_scope *out,
                              const struct jurisdiction **j)
{
	struct jur_pos pos;

	*out = *within;
	*j = NULL;
	if (!v || !*v || strcmp(v, OPEN311_JURISDICTION) == 0)
		return 0;
	if (!(*j = jur_tree_by_code(t, v)))
		return err_set(&r->err, ERR_NOT_FOUND, "unknown_jurisdiction", "jurisdiction_id",
		               "jurisdiction_id: '%.40s' is no jurisdiction of this server: a "
		               "division code of its tree (GET /api/v1/jurisdictions), or %s",
		               v, OPEN311_JURISDICTION);
	pos.lo = (*j)->lo;
	pos.hi = (*j)->hi;
	if (!jur_in_scope(within, &pos))
		return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "jurisdiction_id",
		               "jurisdiction_id: %s (%s) lies outside the jurisdictions this "
		               "account acts for",
		               (*j)->name_zh, (*j)->code);
	*out = jur_scope_of(*j);
	return 0;
}

/* The scope of a GET, and the tree (release it with jur_tree_put). */
static struct jur_tree *open311_scope(struct req *r, struct jur_scope *out)
{
	struct jur_tree *t = jur_tree_get(r->db, &r->err);
	const struct jurisdiction *j;

	if (t &&
	    jurisdiction_named(r, req_query(r, "jurisdiction_id"), t, &r->who.scope, out, &j)) {
		jur_tree_put(t);
		return NULL;
	}
	return t;
}

/* 1 when a category serves a place of the scope: it is defined in it or
 * above it (jur_sees). */
static int serves(const struct jur_tree *t, const struct jur_scope *scope, int64_t jur)
{
	struct jur_pos pos = jur_tree_pos(t, jur);

	return scope->id == 0 || jur_sees(scope, &pos);
}

static int english(struct req *r)
{
	const char *l = req_header(r, "Accept-Language");
	return l && strncasecmp(l, "en", 2) == 0;
}

int h_open311_discovery(struct req *r)
{
	struct out o;
	char url[300];
	const char *host = req_header(r, "Host");

	snprintf(url, sizeof(url), "http://%s/open311/v2/", host ? host : "127.0.0.1");
	begin(&o, &r->out, r->format);
	/* The discovery document is an object in JSON, not a list. */
	item_open(&o, "discovery");
	field(&o, "changeset", "2026-11-27T00:00:00Z");
	field(&o, "contact", "张堰镇企业服务办 Zhangyan Town enterprise service office");
	field(&o, "key_service", "API keys are issued by the town: qunyan user key USER");
	list_open(&o, "endpoints", 0);
	item_open(&o, "endpoint");
	field(&o, "specification", "http://wiki.open311.org/GeoReport_v2");
	field(&o, "url", url);
	field(&o, "changeset", "2026-11-27T00:00:00Z");
	field(&o, "type", "production");
	list_open(&o, "formats", 0);
	str(&o, "format", "text/xml", 1);
	str(&o, "format", "application/json", 1);
	list_close(&o, "formats");
	obj_close(&o, "endpoint");
	list_close(&o, "endpoints");
	obj_close(&o, "discovery");
	return 0;
}

struct svc_ctx {
	struct out *o;
	int en;
	const struct jur_tree *t;
	const struct jur_scope *scope;
};

static int service_row(void *ctx, const struct category_rec *c)
{
	struct svc_ctx *x = ctx;
	struct out *o = x->o;

	if (!c->active || !serves(x->t, x->scope, c->jurisdiction_id))
		return 0;
	item_open(o, "service");
	field(o, "service_code", c->code);
	field(o, "service_name", x->en ? c->name_en : c->name_zh);
	field(o, "description", c->description);
	raw(o, "metadata", strcmp(c->attributes, "[]") && c->attributes[0] ? "true" : "false");
	/* A POST is answered once its case is on disk, with its id: every
	 * service is realtime (open311_intake_answer). */
	field(o, "type", "realtime");
	field(o, "keywords", c->keywords);
	field(o, "group", c->group_name);
	obj_close(o, "service");
	return 0;
}

int h_open311_services(struct req *r)
{
	struct out o;
	struct jur_scope scope;
	struct svc_ctx x = {&o, english(r), NULL, &scope};
	struct jur_tree *t = open311_scope(r, &scope);
	int rc = -1;

	if (!t)
		return -1;
	x.t = t;
	begin(&o, &r->out, r->format);
	list_open(&o, "services", 1);
	if (store_categories(r->db, service_row, &x, &r->err) == 0) {
		list_close(&o, "services");
		rc = 0;
	}
	jur_tree_put(t);
	return rc;
}

/* The definition's attributes, from the JSON the category keeps. */
static void attributes_out(struct out *o, const char *json)
{
	json_t *a = json_loads(json, 0, NULL), *v;
	size_t i;

	list_open(o, "attributes", 0);
	json_array_foreach(a, i, v)
	{
		json_t *vals = json_object_get(v, "values"), *val;
		char order[24];
		size_t k;
		snprintf(order, sizeof(order), "%zu", i + 1);
		item_open(o, "attribute");
		raw(o, "variable", "true");
		field(o, "code", json_string_value(json_object_get(v, "code")));
		field(o, "datatype", json_string_value(json_object_get(v, "datatype")));
		raw(o, "required", json_is_true(json_object_get(v, "required")) ? "true" : "false");
		field(o, "datatype_description",
		      json_string_value(json_object_get(v, "datatype_description")));
		raw(o, "order", order);
		field(o, "description", json_string_value(json_object_get(v, "description")));
		if (json_is_array(vals)) {
			list_open(o, "values", 0);
			json_array_foreach(vals, k, val)
			{
				item_open(o, "value");
				field(o, "key", json_string_value(json_object_get(val, "key")));
				field(o, "name", json_string_value(json_object_get(val, "name")));
				obj_close(o, "value");
			}
			list_close(o, "values");
		}
		obj_close(o, "attribute");
	}
	list_close(o, "attributes");
	json_decref(a);
}

static int load_service(struct req *r, const struct jur_tree *t, const struct jur_scope *scope,
                        struct category_rec *c)
{
	const char *code = r->nparams ? r->params[0] : "";

	if (store_category_by_code(r->db, code, c, &r->err) || !c->active ||
	    !serves(t, scope, c->jurisdiction_id)) {
		if (r->err.kind == ERR_NOT_FOUND || r->err.kind == ERR_NONE) {
			err_clear(&r->err);
			return err_set(&r->err, ERR_NOT_FOUND, "unknown_service", "service_code",
			               "service_code: no service '%.40s'", code);
		}
		return -1;
	}
	return 0;
}

int h_open311_service(struct req *r)
{
	struct category_rec *c = malloc(sizeof(*c));
	struct jur_scope scope;
	struct jur_tree *t = NULL;
	struct out o;
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!(t = open311_scope(r, &scope)) || load_service(r, t, &scope, c))
		goto out;
	begin(&o, &r->out, r->format);
	item_open(&o, "service_definition");
	field(&o, "service_code", c->code);
	attributes_out(&o, c->attributes);
	obj_close(&o, "service_definition");
	rc = 0;
out:
	jur_tree_put(t);
	free(c);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Requests                                                             */

static void status_notes(const struct case_rec *c, char *out, size_t n)
{
	if (c->merged_into)
		snprintf(out, n, "duplicate of request %lld", (long long)c->merged_into);
	else if (c->reply[0])
		snprintf(out, n, "%s: %s", case_state_name(c->state), c->reply);
	else
		snprintf(out, n, "%s", case_state_name(c->state));
}

struct req_ctx {
	struct out *o;
	int en, extensions;
	struct req *r;
};

static int event_note(void *ctx, const struct case_event *ev)
{
	struct out *o = ctx;

	if (!ev->public_)
		return 0;
	item_open(o, "note");
	field(o, "datetime", ev->at);
	field(o, "type", ev->action);
	field(o, "status", ev->to_state);
	field(o, "summary", ev->note);
	obj_close(o, "note");
	return 0;
}

/* One value of an attribute as a request carries it: {code, value}. */
static void attribute_value(struct out *o, const char *code, json_t *v)
{
	char num[40];

	item_open(o, "attribute");
	field(o, "code", code);
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		raw(o, "value", num);
	} else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		raw(o, "value", num);
	} else {
		field(o, "value", json_string_value(v));
	}
	obj_close(o, "attribute");
}

/*
 * The values of the request's attributes, as the extended attributes of
 * GeoReport v2's extensions list them: one attribute for each value, with
 * the code of the service definition and the value as it was posted (a
 * list's key; a multivaluelist's values one after the other, as
 * attribute[CODE][] sent them).  XML and JSON mirror each other, as
 * everywhere in the specification.
 */
static void request_attributes(struct out *o, const char *stored)
{
	json_t *all = json_loads(stored, 0, NULL), *v, *one;
	const char *code;
	size_t i;

	list_open(o, "attributes", 0);
	json_object_foreach(all, code, v)
	{
		if (!json_is_array(v)) {
			attribute_value(o, code, v);
			continue;
		}
		json_array_foreach(v, i, one)
		{
			attribute_value(o, code, one);
		}
	}
	list_close(o, "attributes");
	json_decref(all);
}

static int request_row(void *ctx, const struct case_rec *c)
{
	struct req_ctx *x = ctx;
	struct out *o = x->o;
	char id[24], notes[sizeof(c->reply) + 64], num[32];
	int open = case_state_is_open(c->state);

	snprintf(id, sizeof(id), "%lld", (long long)c->id);
	status_notes(c, notes, sizeof(notes));
	item_open(o, "request");
	field(o, "service_request_id", id);
	field(o, "status", open ? "open" : "closed");
	field(o, "status_notes", notes);
	field(o, "service_name", x->en ? c->category_en : c->category_zh);
	field(o, "service_code", c->category_code);
	field(o, "description", c->text);
	field(o, "agency_responsible",
	      x->en && c->department_en[0] ? c->department_en : c->department);
	field(o, "service_notice", NULL);
	field(o, "requested_datetime", c->created_at);
	/* A closed request was last modified, as Open311 counts it, when it
	 * was closed: a later rating or erasure is not a change of it. */
	field(o, "updated_datetime", !open && c->closed_at[0] ? c->closed_at : c->updated_at);
	field(o, "expected_datetime", c->deadline);
	field(o, "address", c->address);
	field(o, "address_id", c->address_id);
	field(o, "zipcode", NULL);
	if (c->located) {
		snprintf(num, sizeof(num), "%.7f", c->lat);
		raw(o, "lat", num);
		snprintf(num, sizeof(num), "%.7f", c->lon);
		raw(o, "long", num);
	} else {
		raw(o, "lat", NULL);
		raw(o, "long", NULL);
	}
	field(o, "media_url", c->media_url);
	if (x->extensions) {
		request_attributes(o, c->attributes[0] ? c->attributes : "{}");
		/* The public history. */
		list_open(o, "notes", 0);
		store_case_events(x->r->db, c->id, event_note, o, &x->r->err);
		list_close(o, "notes");
	}
	obj_close(o, "request");
	return 0;
}

/* A date-time as the specification takes them: the W3C profile of ISO
 * 8601 with its zone (time_parse_w3c). */
static int instant(const char *s, time_t *t)
{
	char plus[64];
	size_t n = strlen(s);

	/* A + left unescaped in a query string or a form arrives as a space:
	 * "2026-11-05T08:15:30 08:00" was sent as +08:00. */
	if (n > 6 && n < sizeof(plus) && s[n - 6] == ' ' && s[n - 7] != ' ') {
		memcpy(plus, s, n + 1);
		plus[n - 6] = '+';
		s = plus;
	}
	return time_parse_w3c(s, t);
}

#define LAST_INSTANT ((time_t)253402300799LL) /* 9999-12-31T23:59:59Z */

/* An instant in the UTC form cases are stored in.  Those before 1970 or
 * after 9999 are brought to those ends: no case lies beyond them, and the
 * stored form has four digits of year. */
static void stored_form(time_t t, char out[21])
{
	time_iso(t < 0 ? 0 : t > LAST_INSTANT ? LAST_INSTANT : t, out);
}

#define W3C_DATE_HINT                                                                              \
	"a W3C date-time with its zone: YYYY-MM-DDThh:mm, :ss and .s optional, then Z or "         \
	"+hh:mm, like 2026-11-05T08:15:30+08:00"

/* Splits a comma list into at most max parts (in buf, which it changes). */
static int split_list(char *buf, const char **parts, int max)
{
	int n = 0;

	for (char *p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
		while (*p == ' ')
			p++;
		if (!*p)
			continue;
		if (n == max)
			return -1;
		parts[n++] = p;
	}
	return n;
}

#define OPEN311_MAX_IDS 100

int h_open311_requests(struct req *r)
{
	struct case_filter f;
	struct out o;
	struct req_ctx x = {&o, english(r), 0, r};
	const char *v, *codes[OPEN311_MAX_IDS + 1];
	int64_t ids[OPEN311_MAX_IDS];
	char idbuf[2048], codebuf[2048], since[21], until[21], now[21];
	time_t since_t = 0, until_t = 0;
	int64_t page = 1, page_size = 1000;
	struct jur_scope scope;
	struct jur_tree *t;

	/* The scope is a value: the tree is needed only to find it. */
	if (!(t = open311_scope(r, &scope)))
		return -1;
	jur_tree_put(t);
	memset(&f, 0, sizeof(f));
	memset(codes, 0, sizeof(codes));
	f.public_only = 1;
	f.by_created = 1;
	f.scope = &scope;
	time_now_iso(now);
	x.extensions = (v = req_query(r, "extensions")) && strcmp(v, "true") == 0;
	if ((v = req_query(r, "service_request_id")) && *v) {
		const char *parts[OPEN311_MAX_IDS];
		int n;
		snprintf(idbuf, sizeof(idbuf), "%s", v);
		n = split_list(idbuf, parts, OPEN311_MAX_IDS);
		if (n < 0)
			return err_set(&r->err, ERR_MALFORMED, "too_many", "service_request_id",
			               "service_request_id: at most %d ids", OPEN311_MAX_IDS);
		for (int i = 0; i < n; i++) {
			int64_t id = 0;
			if (num_int64(parts[i], &id) != NUM_OK || id <= 0)
				return err_set(&r->err, ERR_MALFORMED, "invalid_id",
				               "service_request_id",
				               "service_request_id: '%.24s' is not a request id "
				               "(a positive whole number of at most 19 digits)",
				               parts[i]);
			ids[i] = id;
		}
		/* The ids override every other filter; a handful of rows by
		 * key, put in order after. */
		f.by_created = 0;
		f.ids = ids;
		f.nids = n;
		f.limit = n ? n : 1;
	} else {
		if ((v = req_query(r, "service_code")) && *v) {
			snprintf(codebuf, sizeof(codebuf), "%s", v);
			if (split_list(codebuf, codes, OPEN311_MAX_IDS) < 0)
				return err_set(&r->err, ERR_MALFORMED, "too_many", "service_code",
				               "service_code: at most %d codes", OPEN311_MAX_IDS);
			f.category_codes = codes;
		}
		if ((v = req_query(r, "start_date")) && *v) {
			if (instant(v, &since_t))
				return err_set(&r->err, ERR_MALFORMED, "invalid_date", "start_date",
				               "start_date: must be " W3C_DATE_HINT);
			stored_form(since_t, since);
			f.since = since;
		}
		if ((v = req_query(r, "end_date")) && *v) {
			if (instant(v, &until_t))
				return err_set(&r->err, ERR_MALFORMED, "invalid_date", "end_date",
				               "end_date: must be " W3C_DATE_HINT);
			/* The latest time included: the list ends before the
			 * next second, times being kept to the second. */
			stored_form(until_t + 1, until);
			f.until = until;
		}
		if (f.since && f.until) {
			if (until_t < since_t)
				return err_set(&r->err, ERR_MALFORMED, "invalid_range", "end_date",
				               "end_date: before start_date");
			if (until_t - since_t > (time_t)90 * 86400)
				return err_set(&r->err, ERR_MALFORMED, "range_too_long", "end_date",
				               "start_date to end_date: at most 90 days");
		}
		if (!f.since && !f.until) {
			/* By default, the last 90 days. */
			time_iso(time(NULL) - 90 * 86400, since);
			f.since = since;
		}
		if ((v = req_query(r, "status")) && *v) {
			int open = strstr(v, "open") != NULL, closed = strstr(v, "closed") != NULL;
			char copy[64];
			const char *parts[4];
			int n;
			snprintf(copy, sizeof(copy), "%s", v);
			n = split_list(copy, parts, 4);
			for (int i = 0; i < n; i++)
				if (strcmp(parts[i], "open") && strcmp(parts[i], "closed"))
					return err_set(&r->err, ERR_MALFORMED, "invalid_status",
					               "status", "status: must be open or closed");
			if (open != closed)
				f.open = open ? 1 : 2;
		}
		if (api_query_int(r, "page", 1, 100000, &page) ||
		    api_query_int(r, "page_size", 1, 1000, &page_size)) {
			r->err.kind = ERR_MALFORMED;
			return -1;
		}
		f.limit = (int)page_size;
		f.offset = (int)((page - 1) * page_size);
	}
	begin(&o, &r->out, r->format);
	list_open(&o, "service_requests", 1);
	if (store_cases(r->db, &f, request_row, &x, &r->err))
		return -1;
	list_close(&o, "service_requests");
	return 0;
}

int h_open311_request(struct req *r)
{
	struct case_filter f;
	struct out o;
	struct req_ctx x = {&o, english(r), 1, r};
	int64_t id = 0;
	const char *p = r->nparams ? r->params[0] : "";
	size_t before;
	struct jur_scope scope;
	struct jur_tree *t;

	if (!(t = open311_scope(r, &scope)))
		return -1;
	jur_tree_put(t);
	/* An id beyond 64 bits is no request, not the largest one. */
	if (num_int64(p, &id) != NUM_OK || id <= 0)
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "service_request_id",
		               "no request '%.24s'", p);
	memset(&f, 0, sizeof(f));
	f.public_only = 1;
	f.ids = &id;
	f.nids = 1;
	f.limit = 1;
	f.scope = &scope;
	x.extensions = 0;
	{
		const char *v = req_query(r, "extensions");
		x.extensions = v && strcmp(v, "true") == 0;
	}
	begin(&o, &r->out, r->format);
	list_open(&o, "service_requests", 1);
	before = r->out.len;
	if (store_cases(r->db, &f, request_row, &x, &r->err))
		return -1;
	if (r->out.len == before) {
		buf_reset(&r->out);
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "service_request_id",
		               "no request %lld", (long long)id);
	}
	list_close(&o, "service_requests");
	return 0;
}

int h_open311_token(struct req *r)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct jur_scope scope;
	struct jur_tree *t = NULL;
	struct jur_pos pos = {0, 0};
	struct out o;
	char id[24];
	const char *token = r->nparams ? r->params[0] : "";
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!(t = open311_scope(r, &scope)))
		goto out;
	/* A token names a request the way requests/{id} shows it, or not
	 * at all: an enterprise's problem is not a service request, and its
	 * code is no token, as its id is no request; nor is a request of
	 * another jurisdiction than the one asked about. */
	if (case_tracking_code_valid(token) && store_case_by_code(r->db, token, c, &r->err) == 0)
		pos = jur_tree_pos(t, c->jurisdiction_id);
	if (!case_tracking_code_valid(token) || r->err.kind != ERR_NONE || !c->public_ ||
	    !jur_in_scope(&scope, &pos)) {
		err_clear(&r->err);
		err_set(&r->err, ERR_NOT_FOUND, "not_found", "token",
		        "no request for token '%.12s'", token);
		goto out;
	}
	snprintf(id, sizeof(id), "%lld", (long long)c->id);
	begin(&o, &r->out, r->format);
	list_open(&o, "service_requests", 1);
	item_open(&o, "request");
	field(&o, "service_request_id", id);
	field(&o, "token", c->tracking_code);
	obj_close(&o, "request");
	list_close(&o, "service_requests");
	rc = 0;
out:
	jur_tree_put(t);
	free(c);
	return rc;
}

/*
 * Every service is realtime: the answer names the request by its id and
 * carries no token, which the specification gives only in place of the
 * id.  A tracking code still reads as a token (GET tokens/{token}): it is
 * the one residents get from the web form and the hotline.  The
 * account_id a client sends is not kept.
 */
void open311_intake_answer(struct req *r, const struct case_rec *c)
{
	struct out o;
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)c->id);
	begin(&o, &r->out, r->format);
	list_open(&o, "service_requests", 1);
	item_open(&o, "request");
	field(&o, "service_request_id", id);
	field(&o, "service_notice", NULL);
	field(&o, "account_id", NULL);
	obj_close(&o, "request");
	list_close(&o, "service_requests");
	r->content_type = open311_content_type(r->format);
}

/*
 * The attributes of the service, checked against its definition:
 * attribute[CODE]=v, or attribute[CODE][]=v repeated for a multi-value
 * list.  Writes them as a JSON object.
 */
static int attributes_in(struct req *r, const struct form *form, const struct category_rec *cat,
                         char *out, size_t n, enum case_kind *kind)
{
	json_t *defs = json_loads(cat->attributes, 0, NULL), *d, *values = json_object();
	size_t i;
	int rc = 0;

	json_array_foreach(defs, i, d)
	{
		const char *code = json_string_value(json_object_get(d, "code"));
		const char *type = json_string_value(json_object_get(d, "datatype"));
		char key[80], multi[84];
		const char *v;
		json_t *arr = NULL;
		if (!code || !type)
			continue;
		snprintf(key, sizeof(key), "attribute[%s]", code);
		snprintf(multi, sizeof(multi), "attribute[%s][]", code);
		v = NULL;
		if (strcmp(type, "multivaluelist") != 0) {
			/* One value, however it is written; a second one is a
			 * mistake to refuse, not a value to drop unseen. */
			int given = 0;
			for (int k = 0; k < form->n; k++)
				if ((strcmp(form->keys[k], key) == 0 ||
				     strcmp(form->keys[k], multi) == 0) &&
				    form->values[k][0]) {
					v = form->values[k];
					given++;
				}
			if (given > 1) {
				rc = err_set(&r->err, ERR_MALFORMED, "invalid_attribute", key,
				             "%s: takes one value, not %d", key, given);
				break;
			}
		} else {
			arr = json_array();
			for (int k = 0; k < form->n; k++)
				if ((strcmp(form->keys[k], multi) == 0 ||
				     strcmp(form->keys[k], key) == 0) &&
				    form->values[k][0])
					json_array_append_new(arr, json_string(form->values[k]));
			if (!json_array_size(arr)) {
				json_decref(arr);
				arr = NULL;
			}
		}
		if (!v && !arr) {
			if (json_is_true(json_object_get(d, "required"))) {
				rc = err_set(&r->err, ERR_MALFORMED, "attribute_required", key,
				             "%s: is required for service %s", key, cat->code);
				break;
			}
			continue;
		}
		if (strstr(type, "list")) {
			json_t *allowed = json_object_get(d, "values"), *a;
			size_t k, m;
			json_t *given = arr ? arr : json_pack("[s]", v);
			json_t *g;
			json_array_foreach(given, m, g)
			{
				int ok = 0;
				json_array_foreach(allowed, k, a)
				{
					const char *k2 =
					    json_string_value(json_object_get(a, "key"));
					ok |= k2 && strcmp(k2, json_string_value(g)) == 0;
				}
				if (!ok) {
					rc = err_set(
					    &r->err, ERR_MALFORMED, "invalid_attribute", key,
					    "%s: '%.40s' is not one of the service's values", key,
					    json_string_value(g));
					break;
				}
			}
			if (!rc)
				json_object_set(values, code, arr ? arr : json_array_get(given, 0));
			if (given != arr)
				json_decref(given);
			json_decref(arr);
			if (rc)
				break;
		} else if (strcmp(type, "number") == 0) {
			double x = 0;
			/* Decimal only: strtod() would read "nan", "inf" and
			 * hexadecimal too, no numbers to keep (nor to write as
			 * JSON). */
			if (num_decimal(v, &x) != NUM_OK) {
				rc = err_set(&r->err, ERR_MALFORMED, "invalid_attribute", key,
				             "%s: must be a decimal number", key);
				break;
			}
			json_object_set_new(values, code, json_real(x));
		} else if (strcmp(type, "datetime") == 0) {
			time_t at;
			if (instant(v, &at)) {
				rc = err_set(&r->err, ERR_MALFORMED, "invalid_attribute", key,
				             "%s: must be " W3C_DATE_HINT, key);
				break;
			}
			json_object_set_new(values, code, json_string(v));
		} else {
			json_object_set_new(values, code, json_string(v));
		}
		if (strcmp(code, "kind") == 0 && v)
			case_kind_parse(v, kind);
	}
	if (!rc) {
		char *s = json_dumps(values, JSON_COMPACT);
		if (!s || strlen(s) >= n)
			rc = err_set(&r->err, ERR_MALFORMED, "too_long", "attribute",
			             "the attributes are too long");
		else
			snprintf(out, n, "%s", s);
		free(s);
	}
	json_decref(values);
	json_decref(defs);
	return rc;
}

int h_open311_post(struct req *r)
{
	struct case_draft *d = calloc(1, sizeof(*d));
	struct category_rec *cat = malloc(sizeof(*cat));
	struct form form;
	struct principal client;
	const struct jurisdiction *named = NULL;
	struct jur_scope scope, whole = jur_scope_all();
	struct jur_tree *t = NULL;
	const char *key, *v, *code;
	char hash[65], actor[101];
	int rc = -1;

	memset(&form, 0, sizeof(form));
	if (!d || !cat) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	{
		const char *type = req_header(r, "Content-Type");
		if (!type || strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0) {
			err_set(&r->err, ERR_MEDIA_TYPE, "unsupported_media_type", NULL,
			        "the body must be application/x-www-form-urlencoded");
			goto out;
		}
	}
	if (form_parse(&form, r->body, r->body_len, &r->err))
		goto out;
	/* The arguments of a POST come in its body; clients put api_key and
	 * jurisdiction_id in the query string as well, as for a GET.  Both
	 * must name a jurisdiction; the body's is where the case lies, else
	 * the query's. */
	if (!(t = jur_tree_get(r->db, &r->err)) ||
	    jurisdiction_named(r, req_query(r, "jurisdiction_id"), t, &whole, &scope, &named) ||
	    ((v = form_get(&form, "jurisdiction_id")) &&
	     jurisdiction_named(r, v, t, &whole, &scope, &named)))
		goto out;
	key = form_get(&form, "api_key");
	v = req_query(r, "api_key");
	if (key && v && strcmp(key, v) != 0) {
		err_set(&r->err, ERR_MALFORMED, "api_key_twice", "api_key",
		        "api_key: given twice, in the query string and the body, differently");
		goto out;
	}
	if (!key && !(key = v)) {
		err_set(&r->err, ERR_FORBIDDEN, "api_key_required", "api_key",
		        "api_key: is required to post a request");
		goto out;
	}
	secret_token_hash(key, hash);
	if (store_key_get(r->db, hash, &client, &r->err)) {
		if (r->err.kind != ERR_INTERNAL) {
			err_clear(&r->err);
			err_set(&r->err, ERR_FORBIDDEN, "bad_api_key", "api_key",
			        "api_key: not a key of this server");
		}
		goto out;
	}
	if (!(code = form_get(&form, "service_code"))) {
		err_set(&r->err, ERR_MALFORMED, "required", "service_code",
		        "service_code: is required");
		goto out;
	}
	/* A jurisdiction named outside the key holder's is not theirs to
	 * post to; a service not used there is none of its services. */
	if (named) {
		struct jur_pos pos = {named->lo, named->hi};
		if (!jur_in_scope(&client.scope, &pos)) {
			err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "jurisdiction_id",
			        "jurisdiction_id: %s (%s) lies outside the jurisdictions of this "
			        "api_key's holder",
			        named->name_zh, named->code);
			goto out;
		}
	}
	if (store_category_by_code(r->db, code, cat, &r->err) || !cat->active ||
	    !serves(t, &scope, cat->jurisdiction_id)) {
		err_clear(&r->err);
		err_set(&r->err, ERR_NOT_FOUND, "unknown_service", "service_code",
		        "service_code: no service '%.40s'%s%s", code, named ? " in " : "",
		        named ? named->code : "");
		goto out;
	}
	d->c.kind = CASE_COMPLAINT;
	if (attributes_in(r, &form, cat, d->c.attributes, sizeof(d->c.attributes), &d->c.kind))
		goto out;
	if (!case_may_create(&client, d->c.kind)) {
		err_set(&r->err, ERR_FORBIDDEN, "forbidden", "api_key",
		        "api_key: its holder may not enter %s cases", case_kind_name(d->c.kind));
		goto out;
	}
	d->c.category_id = cat->id;
	{
		const char *lat = form_get(&form, "lat"), *lon = form_get(&form, "long");
		const char *addr = form_get(&form, "address_string");
		const char *addr_id = form_get(&form, "address_id");
		if (lat || lon) {
			/* Decimal degrees only: strtod() would take "0x1p4" for 16
			 * and "nan", which compares false to every bound. */
			int bad_lat = !lat || num_decimal(lat, &d->c.lat) != NUM_OK ||
			              !(d->c.lat >= -90 && d->c.lat <= 90);
			int bad_lon = !lon || num_decimal(lon, &d->c.lon) != NUM_OK ||
			              !(d->c.lon >= -180 && d->c.lon <= 180);
			if (bad_lat || bad_lon) {
				err_set(
				    &r->err, ERR_MALFORMED, "invalid_location",
				    bad_lat ? "lat" : "long",
				    "lat and long: both, as decimal degrees (WGS84): digits with "
				    "an optional '-' and '.', lat from -90 to 90 and long from "
				    "-180 to 180");
				goto out;
			}
			d->c.located = 1;
		}
		if (!d->c.located && !addr && !addr_id) {
			err_set(
			    &r->err, ERR_MALFORMED, "location_required", "lat",
			    "a location is required: lat and long, address_string or address_id");
			goto out;
		}
		if (addr && utf8_chars(addr) > 200) {
			err_set(&r->err, ERR_MALFORMED, "too_long", "address_string",
			        "address_string: at most 200 characters");
			goto out;
		}
		if (addr_id && strlen(addr_id) >= sizeof(d->c.address_id)) {
			err_set(&r->err, ERR_MALFORMED, "too_long", "address_id",
			        "address_id: at most %zu bytes", sizeof(d->c.address_id) - 1);
			goto out;
		}
		snprintf(d->c.address, sizeof(d->c.address), "%s", addr ? addr : "");
		snprintf(d->c.address_id, sizeof(d->c.address_id), "%s", addr_id ? addr_id : "");
	}
	v = form_get(&form, "description");
	if (v && utf8_chars(v) > CASE_TEXT_MAX) {
		err_set(&r->err, ERR_MALFORMED, "too_long", "description",
		        "description: at most %d characters", CASE_TEXT_MAX);
		goto out;
	}
	/* A request may be only a place and a service; the case still says
	 * what it is about. */
	snprintf(d->c.text, sizeof(d->c.text), "%s",
	         v            ? v
	         : english(r) ? cat->name_en
	                      : cat->name_zh);
	if ((v = form_get(&form, "media_url"))) {
		if (strlen(v) >= sizeof(d->c.media_url) ||
		    (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))) {
			err_set(&r->err, ERR_MALFORMED, "invalid_url", "media_url",
			        "media_url: an http(s) address of at most 1000 characters");
			goto out;
		}
		snprintf(d->c.media_url, sizeof(d->c.media_url), "%s", v);
	}
	{
		const char *first = form_get(&form, "first_name"),
		           *last = form_get(&form, "last_name");
		const char *phone = form_get(&form, "phone"), *email = form_get(&form, "email");
		if ((first && utf8_chars(first) > 25) || (last && utf8_chars(last) > 25)) {
			err_set(&r->err, ERR_MALFORMED, "too_long",
			        first ? "first_name" : "last_name",
			        "first_name, last_name: at most 25 characters each");
			goto out;
		}
		/* Chinese names are written family name first, no space. */
		snprintf(d->person.name, sizeof(d->person.name), "%s%s%s", last ? last : "",
		         last && first && (unsigned char)*last < 0x80 ? " " : "",
		         first ? first : "");
		if (phone &&
		    (strlen(phone) >= sizeof(d->person.phone) || !case_phone_valid(phone))) {
			err_set(&r->err, ERR_MALFORMED, "invalid_phone", "phone",
			        "phone: 5 to 20 digits, with + - or spaces only");
			goto out;
		}
		if (email &&
		    (strlen(email) >= sizeof(d->person.email) || !case_email_valid(email))) {
			err_set(&r->err, ERR_MALFORMED, "invalid_email", "email",
			        "email: an address like a@b.cn");
			goto out;
		}
		snprintf(d->person.phone, sizeof(d->person.phone), "%s", phone ? phone : "");
		snprintf(d->person.email, sizeof(d->person.email), "%s", email ? email : "");
	}
	v = form_get(&form, "device_id");
	snprintf(d->c.client, sizeof(d->c.client), "open311:%.40s%s%.40s", client.username,
	         v ? "/" : "", v ? v : "");
	snprintf(d->c.channel, sizeof(d->c.channel), "open311");
	if (case_request_key(r, d, client.user_id))
		goto out;
	d->c.created_by = client.user_id;
	d->c.jurisdiction_id = named ? named->id : 0;
	d->scope_id = client.scope.id;
	if (case_draft_complete(r->db, d, &r->err))
		goto out;
	{
		/* Placed by its location elsewhere than the holder acts for. */
		struct jur_pos pos = jur_tree_pos(t, d->c.jurisdiction_id);
		if (!jur_in_scope(&client.scope, &pos)) {
			err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "lat",
			        "lat and long: the request would lie outside the jurisdictions of "
			        "this api_key's holder");
			goto out;
		}
	}
	snprintf(actor, sizeof(actor), "open311:%s", client.username);
	rc = case_intake_defer(r, d, actor, INTAKE_OPEN311);
out:
	jur_tree_put(t);
	form_free(&form);
	free(cat);
	free(d);
	return rc;
}
