#include "harness.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/open311.h"
#include "cli/cli.h"
#include "service/case_service.h"
#include "service/placement.h"
#include "store/group.h"
#include "store/sqlite_internal.h"
#include "util/secret.h"

char *fz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

unsigned fz_take_byte(const uint8_t **data, size_t *size)
{
	unsigned b;

	if (!*size)
		return 0;
	b = **data;
	(*data)++;
	(*size)--;
	return b;
}

/* ------------------------------------------------------------------ */
/* The connection's values                                              */

#define FZ_MAX_VALUES 64

struct value {
	enum MHD_ValueKind kind;
	char *key, *value;
};
static struct value values[FZ_MAX_VALUES];
static int nvalues;

void fz_reset(void)
{
	for (int i = 0; i < nvalues; i++) {
		free(values[i].key);
		free(values[i].value);
	}
	nvalues = 0;
}

static void add_value(enum MHD_ValueKind kind, char *key, char *value)
{
	if (nvalues == FZ_MAX_VALUES) {
		free(key);
		free(value);
		return;
	}
	values[nvalues].kind = kind;
	values[nvalues].key = key;
	values[nvalues++].value = value;
}

void fz_header(const char *name, const char *value)
{
	add_value(MHD_HEADER_KIND, strdup(name), value ? strdup(value) : NULL);
}

/* '+' to space, then %XX, as libmicrohttpd's argument parser does. */
static char *unescape(const char *s, size_t n)
{
	char *v = malloc(n + 1);

	if (!v)
		abort();
	for (size_t i = 0; i < n; i++)
		v[i] = s[i] == '+' ? ' ' : s[i];
	v[n] = '\0';
	MHD_http_unescape(v);
	return v;
}

void fz_query(const char *qs, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		size_t end = pos, eq;
		while (end < len && qs[end] != '&')
			end++;
		for (eq = pos; eq < end && qs[eq] != '='; eq++)
			;
		if (end > pos)
			add_value(MHD_GET_ARGUMENT_KIND, unescape(qs + pos, eq - pos),
			          eq < end ? unescape(qs + eq + 1, end - eq - 1) : NULL);
		pos = end + 1;
	}
}

/*
 * The two lookups the server's req_header(), req_query(), req_cookie()
 * and req_header_list() make.  Defined here, they take the place of
 * libmicrohttpd's for the whole target; the connection is ignored.
 */
const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                                        const char *key)
{
	(void)connection;
	for (int i = 0; i < nvalues; i++) {
		if (!(values[i].kind & kind) || !key)
			continue;
		if (kind == MHD_HEADER_KIND ? strcasecmp(values[i].key, key) == 0
		                            : strcmp(values[i].key, key) == 0)
			return values[i].value;
	}
	return NULL;
}

int MHD_get_connection_values(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                              MHD_KeyValueIterator iterator, void *iterator_cls)
{
	int n = 0;

	(void)connection;
	for (int i = 0; i < nvalues; i++) {
		if (!(values[i].kind & kind))
			continue;
		n++;
		if (iterator && iterator(iterator_cls, values[i].kind, values[i].key,
		                         values[i].value) != MHD_YES)
			break;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Requests                                                             */

static struct config cfg;
static struct store *demo;
static long long baseline_changes; /* rows changed before the input */
static int index_dirty;            /* a case was added to the index */

void fz_req_init(struct req *r, struct store *db, const char *body, size_t len)
{
	static int cfg_ready;

	if (!cfg_ready) {
		config_defaults(&cfg);
		cfg_ready = 1;
	}
	memset(r, 0, sizeof(*r));
	r->method = "POST";
	r->path = "/";
	r->body = body;
	r->body_len = len;
	r->db = db;
	r->cfg = &cfg;
	r->request_id = "fuzz";
	r->client_ip = "127.0.0.1";
	r->conn = (void *)&cfg; /* never looked into */
	r->status = 200;
	r->content_type = "application/json; charset=utf-8";
	r->format = NULL; /* Open311's requests set "json" or "xml" */
	r->who.user_id = 1;
	r->who.role = ROLE_ADMIN;
	snprintf(r->who.username, sizeof(r->who.username), "admin");
	err_clear(&r->err);
}

void fz_req_release(struct req *r)
{
	buf_release(&r->out);
	if (r->deferred && r->deferred->release)
		r->deferred->release(r->deferred);
	r->deferred = NULL;
}

int fz_login(struct store *st, const char *username, struct principal *who)
{
	struct user u;
	struct err err;

	err_clear(&err);
	if (store_user_by_name(st, username, &u, &err))
		return -1;
	memset(who, 0, sizeof(*who));
	who->user_id = u.id;
	who->role = u.role;
	snprintf(who->username, sizeof(who->username), "%s", u.username);
	snprintf(who->display_name, sizeof(who->display_name), "%s", u.display_name);
	who->cluster_id = u.cluster_id;
	who->enterprise_id = u.enterprise_id;
	snprintf(who->department, sizeof(who->department), "%s", u.department);
	/* The scope the server reads with the session: a town's officer
	 * fuzzes inside the town, as it works. */
	if (u.jurisdiction_id) {
		struct jurisdiction *j = malloc(sizeof(*j));
		int rc = !j || store_jurisdiction_get(st, u.jurisdiction_id, j, &err);
		if (!rc)
			who->scope = jur_scope_of(j);
		free(j);
		if (rc)
			return -1;
	}
	return 0;
}

static void breach(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz harness: %s: %.400s\n", what, detail ? detail : "");
	abort();
}

static void check_text(const char *what, const char *s)
{
	if (utf8_chars(s) < 0)
		breach(what, s); /* not UTF-8 */
}

static void check_answer(struct req *r, int rc)
{
	const char *type;

	if (rc) {
		if (r->err.kind == ERR_NONE)
			breach("a handler failed without an error", r->path);
		check_text("error code", r->err.code);
		check_text("error field", r->err.field);
		check_text("error message", r->err.message);
		for (int i = 0; i < r->err.nfields && i < ERR_MAX_FIELDS; i++) {
			check_text("field error field", r->err.fields[i].field);
			check_text("field error code", r->err.fields[i].code);
			check_text("field error message", r->err.fields[i].message);
		}
		return;
	}
	if (r->out.failed)
		breach("an answer ran out of room", r->path);
	type = r->content_type ? r->content_type : "";
	if (r->format && strncmp(type, "application/json", 16) == 0)
		type = open311_content_type(r->format);
	if (r->out.len && strstr(type, "json")) {
		json_error_t je;
		json_t *v = json_loadb(r->out.s, r->out.len, 0, &je);
		if (!v)
			breach("an answer is not JSON", je.text);
		json_decref(v);
	}
}

/* The intake's write, run as the writer runs a job of a group, and the
 * answer made from it. */
static int run_deferred(struct req *r)
{
	struct req_deferred *d = r->deferred;
	struct store *st = r->db;

	err_clear(&d->job.err);
	store_group_enter(st);
	if (store_savepoint(st, &d->job.err)) {
		d->job.rc = -1;
	} else {
		d->job.rc = d->job.run(st, &d->job);
		if (d->job.rc)
			store_rollback(st);
		else
			store_read_end(st);
		if (store_savepoint_end(st, d->job.rc != 0, &d->job.err))
			d->job.rc = -1;
	}
	if (!d->job.rc)
		index_dirty = 1;
	buf_reset(&r->out);
	return d->respond(d, r);
}

int fz_call(handler_fn fn, struct req *r)
{
	struct store *st = r->db;
	struct err err;
	int rc;

	err_clear(&err);
	/* Everything inside one transaction that is rolled back at the end;
	 * the handler's own transactions are savepoints in it, as in the
	 * writer's groups. */
	if (st) {
		if (store_begin(st, &err))
			breach("cannot begin", err.message);
		store_group_enter(st);
	}
	rc = fn(r);
	if (st) {
		if (rc)
			store_rollback(st);
		else
			store_read_end(st);
	}
	check_answer(r, rc);
	if (!rc && r->deferred && st) {
		rc = run_deferred(r);
		check_answer(r, rc);
	}
	if (r->deferred && r->deferred->release)
		r->deferred->release(r->deferred);
	r->deferred = NULL;
	if (st) {
		long long changes = store_total_changes(st);
		store_group_leave();
		store_rollback(st);
		/* What the handlers keep in memory of what was undone. */
		if (changes != baseline_changes) {
			placement_clear();
			baseline_changes = store_total_changes(st);
		}
		if (index_dirty && cases_index_load(st, &err))
			breach("cannot reload the cases' index", err.message);
		index_dirty = 0;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* The demo town                                                        */

static int copy_db(sqlite3 *to, sqlite3 *from)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int rc;

	if (!b)
		return -1;
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void demo_fail(const char *what)
{
	fprintf(stderr, "fuzz harness: %s\n", what);
	abort();
}

/* An Open311 client's key, and a category with attributes of every
 * datatype, as an admin would add them. */
static void demo_additions(struct store *st)
{
	static const char category[] =
	    "{\"code\":\"" FZ_CATEGORY "\",\"name_zh\":\"属性\",\"name_en\":\"Attributes\","
	    "\"department_id\":1,\"deadline_hours\":72,\"attributes\":["
	    "{\"code\":\"kind\",\"datatype\":\"singlevaluelist\",\"description\":\"k\","
	    "\"values\":[{\"key\":\"suggestion\",\"name\":\"S\"},"
	    "{\"key\":\"complaint\",\"name\":\"C\"}]},"
	    "{\"code\":\"tags\",\"datatype\":\"multivaluelist\",\"description\":\"t\","
	    "\"values\":[{\"key\":\"a\",\"name\":\"A\"},{\"key\":\"b\",\"name\":\"B\"}]},"
	    "{\"code\":\"count\",\"datatype\":\"number\",\"description\":\"n\"},"
	    "{\"code\":\"seen\",\"datatype\":\"datetime\",\"description\":\"d\"},"
	    "{\"code\":\"note\",\"datatype\":\"string\",\"required\":true,"
	    "\"description\":\"s\"},"
	    "{\"code\":\"more\",\"datatype\":\"text\",\"description\":\"x\"}]}";
	struct principal officer;
	struct req r;
	struct err err;
	char hash[65];

	err_clear(&err);
	secret_token_hash(FZ_OPEN311_KEY, hash);
	if (fz_login(st, "officer", &officer) || store_begin(st, &err) ||
	    store_key_add(st, hash, officer.user_id, "fuzz", &err) || store_commit(st, &err))
		demo_fail("cannot add the Open311 key");
	fz_reset();
	fz_header("Content-Type", "application/json");
	fz_req_init(&r, st, category, strlen(category));
	if (h_category_add(&r))
		demo_fail(r.err.message);
	fz_req_release(&r);
	fz_reset();
}

struct store *fz_demo_store(void)
{
	char dir[512], path[600], side[620];
	const char *tmp = getenv("TMPDIR");
	char *argv[] = {"init", "--demo", NULL};
	struct config c;
	sqlite3 *file;
	struct err err;
	int out, devnull;

	if (demo)
		return demo;
	snprintf(dir, sizeof(dir), "%s/qy-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		demo_fail("cannot create a temporary directory");
	snprintf(path, sizeof(path), "%s/demo.db", dir);
	config_defaults(&c);
	snprintf(c.db, sizeof(c.db), "%s", path);
	/* cmd_init says what it made on stdout, where libFuzzer's report
	 * goes. */
	fflush(stdout);
	out = dup(1);
	devnull = open("/dev/null", O_WRONLY);
	if (out < 0 || devnull < 0 || dup2(devnull, 1) < 0)
		demo_fail("cannot silence stdout");
	close(devnull);
	if (cmd_init(2, argv, &c))
		demo_fail("cannot create the demo town");
	fflush(stdout);
	dup2(out, 1);
	close(out);
	err_clear(&err);
	if (sqlite3_open_v2(path, &file, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    store_open(&demo, ":memory:", STORE_CREATE, &err) || copy_db(db_sqlite(demo->db), file))
		demo_fail("cannot read the demo town into memory");
	sqlite3_close(file);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	rmdir(dir);
	demo_additions(demo);
	if (cases_index_load(demo, &err))
		demo_fail(err.message);
	baseline_changes = store_total_changes(demo);
	return demo;
}
