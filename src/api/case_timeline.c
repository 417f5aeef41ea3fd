/*
 * A case's timeline as JSON (see case_timeline.h): who acted, as a word
 * and (for the staff) by name, and the facts of each entry the server
 * worded itself with the names they stand for.
 */
#include "case_timeline.h"

#include <stdlib.h>
#include <string.h>

#include "../domain/timeline.h"
#include "jur_tree.h"

/* The names the facts refer to, looked up once for a whole timeline:
 * the departments all together (a town has tens), categories as met. */
struct names {
	struct store *db;
	const struct jur_tree *t;
	struct department_rec *dept;
	int ndept, dept_loaded;
	struct cat_name {
		char code[41];
		char zh[201], en[201];
		int found;
	} cat[16];
	int ncat;
};

struct dept_list {
	struct department_rec *v;
	int n, max;
};

static int dept_take(void *ctx, const struct department_rec *d)
{
	struct dept_list *l = ctx;

	if (l->n == l->max) {
		int max = l->max ? 2 * l->max : 32;
		struct department_rec *v = realloc(l->v, (size_t)max * sizeof(*v));
		if (!v)
			return 1;
		l->v = v;
		l->max = max;
	}
	l->v[l->n++] = *d;
	return 0;
}

/* A name is decoration: a department or category that cannot be read
 * is shown by what the entry holds, never an error of the page. */
static void dept_load(struct names *nm)
{
	struct dept_list l = {NULL, 0, 0};
	struct err ignored;

	nm->dept_loaded = 1;
	err_clear(&ignored);
	if (store_departments(nm->db, dept_take, &l, &ignored) == 0) {
		nm->dept = l.v;
		nm->ndept = l.n;
	} else {
		free(l.v);
	}
}

static void department_json(struct names *nm, struct buf *b, json_t *v)
{
	const char *name = json_is_string(v) ? json_string_value(v) : NULL;
	int64_t id = json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;

	if (!nm->dept_loaded)
		dept_load(nm);
	for (int i = 0; i < nm->ndept; i++) {
		const struct department_rec *d = &nm->dept[i];
		if ((id && d->id == id) || (name && !strcmp(d->name, name))) {
			buf_printf(b, "{\"id\":%lld,\"name\":", (long long)d->id);
			buf_json_str(b, d->name);
			buf_adds(b, ",\"name_en\":");
			buf_json_str(b, d->name_en[0] ? d->name_en : NULL);
			buf_addc(b, '}');
			return;
		}
	}
	if (id)
		buf_printf(b, "{\"id\":%lld,\"name\":null,\"name_en\":null}", (long long)id);
	else {
		buf_adds(b, "{\"id\":null,\"name\":");
		buf_json_str(b, name);
		buf_adds(b, ",\"name_en\":null}");
	}
}

static void category_json(struct names *nm, struct buf *b, const char *code)
{
	struct cat_name *n = NULL;

	for (int i = 0; i < nm->ncat; i++)
		if (!strcmp(nm->cat[i].code, code))
			n = &nm->cat[i];
	if (!n && nm->ncat < (int)(sizeof(nm->cat) / sizeof(nm->cat[0]))) {
		struct category_rec *c = malloc(sizeof(*c));
		struct err ignored;
		n = &nm->cat[nm->ncat++];
		memset(n, 0, sizeof(*n));
		snprintf(n->code, sizeof(n->code), "%s", code);
		err_clear(&ignored);
		if (c && store_category_by_code(nm->db, code, c, &ignored) == 0) {
			snprintf(n->zh, sizeof(n->zh), "%s", c->name_zh);
			snprintf(n->en, sizeof(n->en), "%s", c->name_en);
			n->found = 1;
		}
		free(c);
	}
	buf_adds(b, "{\"code\":");
	buf_json_str(b, code);
	buf_adds(b, ",\"name_zh\":");
	buf_json_str(b, n && n->found && n->zh[0] ? n->zh : NULL);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, n && n->found && n->en[0] ? n->en : NULL);
	buf_addc(b, '}');
}

/* A jurisdiction by id (what is written now) or by code (read from an
 * old note, with the name it gave). */
static void jurisdiction_json(struct names *nm, struct buf *b, json_t *v, const char *name)
{
	const struct jurisdiction *j = NULL;

	if (json_is_integer(v))
		j = jur_tree_find(nm->t, (int64_t)json_integer_value(v));
	else if (json_is_string(v))
		j = jur_tree_by_code(nm->t, json_string_value(v));
	if (j) {
		buf_printf(b, "{\"id\":%lld,\"code\":", (long long)j->id);
		buf_json_str(b, j->code);
		buf_adds(b, ",\"name_zh\":");
		buf_json_str(b, j->name_zh);
		buf_adds(b, ",\"name_en\":");
		buf_json_str(b, j->name_en[0] ? j->name_en : NULL);
		buf_addc(b, '}');
		return;
	}
	if (json_is_integer(v))
		buf_printf(b, "{\"id\":%lld,\"code\":null", (long long)json_integer_value(v));
	else {
		buf_adds(b, "{\"id\":null,\"code\":");
		buf_json_str(b, json_string_value(v));
	}
	buf_adds(b, ",\"name_zh\":");
	buf_json_str(b, name);
	buf_adds(b, ",\"name_en\":null}");
}

static void value_json(struct buf *b, json_t *v)
{
	if (json_is_string(v)) {
		buf_json_str(b, json_string_value(v));
	} else if (json_is_integer(v)) {
		buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_boolean(v)) {
		buf_adds(b, json_is_true(v) ? "true" : "false");
	} else if (json_is_real(v)) {
		buf_printf(b, "%.17g", json_real_value(v));
	} else {
		/* Nothing nested is written; should it ever be, as it is. */
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		buf_adds(b, s ? s : "null");
		free(s);
	}
}

/* The words about a transfer that stay with the offices. */
static int staff_only(const char *key)
{
	return !strcmp(key, "reason") || !strcmp(key, "answer");
}

/* The facts of the entry, names resolved; null when it has none. */
static void detail_json(struct names *nm, struct buf *b, const struct case_event *ev, int staff)
{
	json_t *d = NULL, *v;
	const char *key;
	int transfer = !strncmp(ev->action, "transfer", 8), n = 0;

	if (ev->detail)
		d = json_loads(ev->detail, 0, NULL);
	if (!d || !json_is_object(d)) {
		struct buf read = BUF_INIT;
		json_decref(d);
		d = NULL;
		if (timeline_note_detail(ev->action, ev->actor, ev->note, &read) && !read.failed)
			d = json_loads(buf_cstr(&read), 0, NULL);
		buf_release(&read);
	}
	if (!d || !json_is_object(d)) {
		json_decref(d);
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '{');
	json_object_foreach(d, key, v)
	{
		if ((!staff && staff_only(key)) || (transfer && strstr(key, "_name")))
			continue;
		buf_adds(b, n++ ? "," : "");
		buf_json_str(b, key);
		buf_addc(b, ':');
		if (!strcmp(key, "category") && json_is_string(v)) {
			category_json(nm, b, json_string_value(v));
		} else if (!strcmp(key, "department") &&
		           (json_is_integer(v) || json_is_string(v))) {
			department_json(nm, b, v);
		} else if (transfer && (!strcmp(key, "to") || !strcmp(key, "from"))) {
			char name_key[16];
			snprintf(name_key, sizeof(name_key), "%s_name", key);
			jurisdiction_json(nm, b, v,
			                  json_string_value(json_object_get(d, name_key)));
		} else {
			value_json(b, v);
		}
	}
	buf_addc(b, '}');
	json_decref(d);
}

/* Who acted, as a word: the console says it when there is no name (and
 * the public never get one). */
static const char *by_word(const struct case_event *ev)
{
	if (!strcmp(ev->actor, "system"))
		return "system";
	if (!strcmp(ev->actor, "public"))
		return "submitter";
	if (!strncmp(ev->actor, "open311:", 8))
		return "client";
	if (ev->actor_role && !strcmp(ev->actor_role, "enterprise"))
		return "enterprise";
	return "staff";
}

struct each {
	struct names *nm;
	struct buf *b;
	int staff, n;
};

static int entry(void *ctx, const struct case_event *ev)
{
	struct each *x = ctx;
	struct buf *b = x->b;

	if (!x->staff && !ev->public_)
		return 0;
	buf_adds(b, x->n++ ? "," : "");
	if (x->staff)
		buf_printf(b, "{\"id\":%lld,\"at\":", (long long)ev->id);
	else
		buf_adds(b, "{\"at\":");
	buf_json_str(b, ev->at);
	if (x->staff) {
		buf_adds(b, ",\"actor\":");
		buf_json_str(b, ev->actor);
		buf_adds(b, ",\"actor_name\":");
		buf_json_str(b, ev->actor_name);
	}
	buf_adds(b, ",\"by\":");
	buf_json_str(b, by_word(ev));
	buf_adds(b, ",\"action\":");
	buf_json_str(b, ev->action);
	if (x->staff) {
		buf_adds(b, ",\"from\":");
		buf_json_str(b, ev->from_state[0] ? ev->from_state : NULL);
	}
	buf_adds(b, ",\"to\":");
	buf_json_str(b, ev->to_state[0] ? ev->to_state : NULL);
	/* The intake's note is the channel; a person's words in a note are
	 * the department's to the submitter. */
	buf_adds(b, ",\"note\":");
	buf_json_str(b, ev->note);
	if (x->staff)
		buf_printf(b, ",\"public\":%s", ev->public_ ? "true" : "false");
	buf_adds(b, ",\"detail\":");
	detail_json(x->nm, b, ev, x->staff);
	buf_addc(b, '}');
	return 0;
}

int case_timeline_json(struct req *r, struct buf *out, const struct jur_tree *t, int64_t id,
                       int staff)
{
	struct names *nm = calloc(1, sizeof(*nm));
	struct each x = {nm, out, staff, 0};
	int rc;

	if (!nm)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	nm->db = r->db;
	nm->t = t;
	buf_addc(out, '[');
	rc = store_case_events(r->db, id, entry, &x, &r->err);
	buf_addc(out, ']');
	free(nm->dept);
	free(nm);
	return rc;
}
