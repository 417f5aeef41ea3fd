/*
 * The jurisdictions' bodies through their handlers on the demo's tree
 * (上海市 with Jinshan, its towns Zhangyan and Zhujing and Zhangyan's two
 * communities, Songjiang with Jiuliting, and Putuo): POST
 * /api/v1/jurisdictions and PATCH /api/v1/jurisdictions/:id, by the admin
 * of the whole tree or by admin.jinshan, whose scope is set from its
 * jurisdiction as sign-in sets it.  The first byte picks the caller (bit
 * 0), the request (bit 1) and the node a PATCH changes (bits 2 to 5: ids
 * 1 to 9 of the demo's places, then ids that do not exist).
 *
 * Beside the harness's oracles, inside the request's transaction: after a
 * write that succeeded the tree is still a tree, numbered as jur_number
 * numbers it, every node obeying jur_validate under its parent (codes
 * passed down to a moved or recoded node's subtree included) and lying
 * in the district the numbering gives; a refusal changed nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

struct tree {
	struct jurisdiction n[64];
	size_t len;
	int64_t version;
};

static int tree_add(void *ctx, const struct jurisdiction *j)
{
	struct tree *t = ctx;

	if (t->len == sizeof(t->n) / sizeof(t->n[0]))
		abort(); /* a handful of writes at most: never so many */
	t->n[t->len++] = *j;
	return 0;
}

static void tree_read(struct store *st, struct tree *t)
{
	struct err err;

	err_clear(&err);
	t->len = 0;
	if (store_jurisdictions(st, tree_add, t, &err) ||
	    store_jurisdiction_version(st, &t->version, &err)) {
		fprintf(stderr, "jurisdiction_json: %s\n", err.message);
		abort();
	}
}

static void breach(const struct jurisdiction *j, const char *what)
{
	fprintf(stderr, "jurisdiction_json: %s (%s): %s\n", j->code, j->name_zh, what);
	abort();
}

/* The tree as stored obeys every rule a write is checked by. */
static void tree_check(const struct tree *t)
{
	static struct jurisdiction copy[64];
	const char *field;
	char msg[256];

	memcpy(copy, t->n, t->len * sizeof(t->n[0]));
	if (jur_number(copy, t->len))
		breach(&t->n[0], "the stored links are not a tree");
	for (size_t i = 0; i < t->len; i++) {
		const struct jurisdiction *j = &t->n[i], *parent = NULL;

		if (copy[i].lo != j->lo || copy[i].hi != j->hi ||
		    copy[i].district_id != j->district_id)
			breach(j, "numbered otherwise than jur_number numbers it");
		for (size_t k = 0; k < t->len && j->parent_id; k++)
			if (t->n[k].id == j->parent_id)
				parent = &t->n[k];
		if (jur_validate(j, parent, &field, msg, sizeof(msg)))
			breach(j, msg);
	}
}

static int same(const struct jurisdiction *a, const struct jurisdiction *b)
{
	return a->id == b->id && a->parent_id == b->parent_id && a->level == b->level &&
	       a->lo == b->lo && a->hi == b->hi && a->district_id == b->district_id &&
	       !strcmp(a->kind, b->kind) && !strcmp(a->code, b->code) &&
	       !strcmp(a->name_zh, b->name_zh) && !strcmp(a->name_en, b->name_en) &&
	       !strcmp(a->updated_at, b->updated_at);
}

/* The handlers, with the tree read before and after inside the request's
 * transaction. */
static struct tree before, after;

static int checked(handler_fn fn, struct req *r)
{
	int rc;

	tree_read(r->db, &before);
	rc = fn(r);
	tree_read(r->db, &after);
	if (rc) {
		if (after.version != before.version || after.len != before.len)
			breach(&after.n[0], "a refused write changed the tree");
		for (size_t i = 0; i < after.len; i++)
			if (!same(&before.n[i], &after.n[i]))
				breach(&after.n[i], "a refused write changed the node");
	} else {
		tree_check(&after);
	}
	return rc;
}

static int checked_add(struct req *r)
{
	return checked(h_jurisdiction_add, r);
}

static int checked_update(struct req *r)
{
	return checked(h_jurisdiction_update, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	const char *caller = pick & 1 ? "admin.jinshan" : "admin";
	struct req r;
	char id[8];

	fz_reset();
	fz_header("Content-Type", "application/json");
	fz_req_init(&r, st, (const char *)data, size);
	if (fz_login(st, caller, &r.who))
		abort();
	snprintf(id, sizeof(id), "%u", 1 + ((pick >> 2) & 15));
	if (pick & 2) {
		r.method = "PATCH";
		r.path = "/api/v1/jurisdictions/:id";
		r.params[0] = id;
		r.nparams = 1;
		fz_call(checked_update, &r);
	} else {
		r.path = "/api/v1/jurisdictions";
		fz_call(checked_add, &r);
	}
	fz_req_release(&r);
	return 0;
}
