/*
 * qunyan jurisdiction list|add|set: the tree of jurisdictions from the
 * command line, for the installation's first steps: a database of one
 * town names its town (its code and names start as placeholders), then
 * hangs it under its district when the district's system takes it in.
 * The same rules as the API's (jurisdiction.h); every change is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/jurisdiction.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "cli.h"

#define AUDIT_NAME "qunyan jurisdiction"

static void usage(void)
{
	printf("usage: qunyan jurisdiction list\n"
	       "       qunyan jurisdiction add CODE --level LEVEL --kind KIND --name NAME\n"
	       "                              [--name-en NAME] [--parent CODE]\n"
	       "       qunyan jurisdiction set CODE [--code NEW] [--kind KIND] [--name NAME]\n"
	       "                              [--name-en NAME] [--parent CODE | --top]\n\n"
	       "The tree of jurisdictions: city, district, town (or street), community (or\n"
	       "village, park).  Levels and their kinds: city (city); district (district,\n"
	       "county); town (town, street); community (community, village, park).  A code\n"
	       "is the division code: 6 digits for a city or district (GB/T 2260), 9 for a\n"
	       "town, 12 for a community, and extends its parent's.  'set' renames,\n"
	       "recodes or moves a node (--parent; --top makes it the top of the tree); a\n"
	       "move under another district takes every record lying in the node with it.\n"
	       "A database of one town starts with one town, code 000000000: set its code\n"
	       "and names, then add its district and city and move the town under them.\n");
}

/* The list in tree order, indented by depth: the nodes come a node
 * before its subtree (by lo), so the open ancestors are those whose hi
 * reaches the node. */
struct list_ctx {
	int64_t open_hi[64];
	int depth;
};

static int list_one(void *ctx, const struct jurisdiction *j)
{
	struct list_ctx *x = ctx;

	while (x->depth > 0 && j->lo > x->open_hi[x->depth - 1])
		x->depth--;
	printf("%*s%-12s %-9s %-10s %s", 2 * x->depth, "", j->code, jur_level_name(j->level),
	       j->kind, j->name_zh);
	if (j->name_en[0])
		printf(" (%s)", j->name_en);
	putchar('\n');
	if (x->depth < 64)
		x->open_hi[x->depth++] = j->hi;
	return 0;
}

/* The options of add and set, as given. */
struct opts {
	const char *level, *kind, *name, *name_en, *parent, *code;
	int top;
};

static int parse(int argc, char **argv, int from, struct opts *o, int is_set)
{
	memset(o, 0, sizeof(*o));
	for (int i = from; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **slot = NULL;

		if (strcmp(a, "--top") == 0 && is_set) {
			o->top = 1;
			continue;
		}
		if (strcmp(a, "--level") == 0 && !is_set)
			slot = &o->level;
		else if (strcmp(a, "--kind") == 0)
			slot = &o->kind;
		else if (strcmp(a, "--name") == 0)
			slot = &o->name;
		else if (strcmp(a, "--name-en") == 0)
			slot = &o->name_en;
		else if (strcmp(a, "--parent") == 0)
			slot = &o->parent;
		else if (strcmp(a, "--code") == 0 && is_set)
			slot = &o->code;
		else
			return cli_usage("jurisdiction %s: unknown option '%s'", argv[1], a);
		if (!v)
			return cli_usage("jurisdiction %s: %s needs a value", argv[1], a);
		*slot = v;
		i++;
	}
	if (o->top && o->parent)
		return cli_usage("jurisdiction set: --parent and --top exclude each other");
	if (!is_set && (!o->level || !o->kind || !o->name))
		return cli_usage("jurisdiction add: --level, --kind and --name are required");
	return 0;
}

/* Copies text into a field of limited size, or fails naming the option. */
static int put(char *dst, size_t n, const char *v, const char *option)
{
	if (strlen(v) >= n)
		return cli_fail("%s: at most %zu bytes", option, n - 1);
	snprintf(dst, n, "%s", v);
	return 0;
}

static void node_audit_json(struct buf *out, const struct jurisdiction *j)
{
	buf_printf(out, "{\"id\":%lld,\"code\":", (long long)j->id);
	buf_json_str(out, j->code);
	buf_adds(out, ",\"level\":");
	buf_json_str(out, jur_level_name(j->level));
	buf_adds(out, ",\"kind\":");
	buf_json_str(out, j->kind);
	buf_adds(out, ",\"name_zh\":");
	buf_json_str(out, j->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, j->name_en);
	buf_printf(out, ",\"parent_id\":%lld}", (long long)j->parent_id);
}

/* The number of nodes directly under one. */
struct children {
	int64_t of;
	size_t n;
};

static int count_children(void *ctx, const struct jurisdiction *j)
{
	struct children *c = ctx;

	c->n += j->parent_id == c->of;
	return 0;
}

/* Applies the options to j, checks it, and writes it with its audit
 * entry in one transaction. */
static int save(struct store *st, struct jurisdiction *j, const struct opts *o, const char *action)
{
	struct jurisdiction parent, *pp = NULL, *old = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct children ch = {0, 0};
	struct jur_fault f;
	struct err err;
	int rc = 1;

	err_clear(&err);
	if (j->id) {
		node_audit_json(&before, j);
		if (!(old = malloc(sizeof(*old)))) {
			cli_fail("out of memory");
			goto out;
		}
		*old = *j;
		ch.of = j->id;
		if (store_jurisdictions(st, count_children, &ch, &err)) {
			cli_fail_err(&err);
			goto out;
		}
	}
	if ((o->kind && put(j->kind, sizeof(j->kind), o->kind, "--kind")) ||
	    (o->name && put(j->name_zh, sizeof(j->name_zh), o->name, "--name")) ||
	    (o->name_en && put(j->name_en, sizeof(j->name_en), o->name_en, "--name-en")) ||
	    (o->code && put(j->code, sizeof(j->code), o->code, "--code")))
		goto out;
	if (o->top)
		j->parent_id = 0;
	if (o->parent) {
		if (store_jurisdiction_by_code(st, o->parent, &parent, &err)) {
			cli_fail("--parent: %s", err.message);
			goto out;
		}
		j->parent_id = parent.id;
	}
	if (j->parent_id) {
		if (store_jurisdiction_get(st, j->parent_id, &parent, &err)) {
			cli_fail_err(&err);
			goto out;
		}
		pp = &parent;
	}
	if (jur_check(j, old, pp, ch.n, &f)) {
		cli_fail("%s: %s", f.field, f.msg);
		goto out;
	}
	if (store_begin(st, &err) || store_jurisdiction_put(st, j, &err))
		goto fail;
	node_audit_json(&after, j);
	{
		struct audit_entry a = {.username = AUDIT_NAME,
		                        .action = action,
		                        .entity = "jurisdiction",
		                        .entity_id = j->id,
		                        .before = j->id && before.len ? buf_cstr(&before) : NULL,
		                        .after = buf_cstr(&after)};
		if (store_audit_add(st, &a, &err) || store_commit(st, &err))
			goto fail;
	}
	printf("qunyan: %s %s %s\n", strcmp(action, "create") == 0 ? "added" : "changed", j->code,
	       j->name_zh);
	rc = 0;
	goto out;
fail:
	store_rollback(st);
	cli_fail_err(&err);
out:
	free(old);
	buf_release(&before);
	buf_release(&after);
	return rc;
}

int cmd_jurisdiction(int argc, char **argv, struct config *cfg)
{
	struct store *st = NULL;
	struct jurisdiction j;
	struct opts o;
	struct err err;
	int rc;

	if (cli_wants_help(argc, argv)) {
		usage();
		return 0;
	}
	if (argc < 2)
		return cli_usage("jurisdiction needs list, add or set");
	if (strcmp(argv[1], "list") == 0) {
		if (argc != 2)
			return cli_usage("jurisdiction list takes no arguments");
	} else if (strcmp(argv[1], "add") == 0 || strcmp(argv[1], "set") == 0) {
		if (argc < 3 || argv[2][0] == '-')
			return cli_usage("jurisdiction %s needs a CODE", argv[1]);
		if ((rc = parse(argc, argv, 3, &o, strcmp(argv[1], "set") == 0)) != 0)
			return rc;
	} else
		return cli_usage("jurisdiction: unknown subcommand '%s'", argv[1]);

	err_clear(&err);
	if (store_open(&st, cfg->db, STORE_MIGRATE, &err))
		return cli_fail_err(&err);
	if (strcmp(argv[1], "list") == 0) {
		struct list_ctx x = {{0}, 0};
		rc = store_jurisdictions(st, list_one, &x, &err) ? cli_fail_err(&err) : 0;
	} else if (strcmp(argv[1], "add") == 0) {
		memset(&j, 0, sizeof(j));
		if (jur_level_parse(o.level, &j.level))
			rc = cli_fail("--level: must be one of city, district, town, community");
		else if (put(j.code, sizeof(j.code), argv[2], "CODE"))
			rc = 1;
		else
			rc = save(st, &j, &o, "create");
	} else if (store_jurisdiction_by_code(st, argv[2], &j, &err)) {
		rc = cli_fail_err(&err);
	} else {
		rc = save(st, &j, &o, "update");
	}
	store_close(st);
	return rc;
}
