/*
 * The cards other handlers read (api/cards.h): one enterprise's card for
 * a caller, and every card of a grid for a card sheet, on the demo town
 * made by `qunyan init --demo` in a temporary file.  What a sheet must
 * hold is counted apart, with SQL on the file: the active enterprises
 * placed in the grid's subtree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/cards.h"
#include "cli/cli.h"
#include "util/secret.h"

static char dir[] = "/tmp/qunyan-card-sheet-XXXXXX";
static char db[sizeof(dir) + 16];
static struct config cfg;

static int setup(void **state)
{
	char *argv[] = {"init", "--demo", NULL};

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof(db), "%s/q.db", dir);
	store_global_init();
	if (secret_init())
		return -1;
	config_defaults(&cfg);
	snprintf(cfg.db, sizeof(cfg.db), "%s", db);
	return cmd_init(2, argv, &cfg);
}

static int teardown(void **state)
{
	char path[sizeof(db) + 8];

	(void)state;
	unlink(db);
	snprintf(path, sizeof(path), "%s-wal", db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", db);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* One number from the file, by SQL of the test's own. */
static int64_t sql_count(const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int64_t n = -1;

	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

/* A request of the user, as the server would make it. */
static void req_as(struct req *r, struct store *st, const char *username)
{
	struct user u;
	struct err err;

	memset(r, 0, sizeof(*r));
	err_clear(&err);
	r->db = st;
	r->cfg = &cfg;
	r->method = "GET";
	r->path = "/";
	r->request_id = "test";
	r->client_ip = "127.0.0.1";
	r->status = 200;
	if (store_user_by_name(st, username, &u, &err))
		fail_msg("%s: %s", username, err.message);
	r->who.user_id = u.id;
	r->who.role = u.role;
	snprintf(r->who.username, sizeof(r->who.username), "%s", u.username);
	r->who.cluster_id = u.cluster_id;
	r->who.enterprise_id = u.enterprise_id;
	if (u.jurisdiction_id) {
		struct jurisdiction j;
		if (store_jurisdiction_get(st, u.jurisdiction_id, &j, &err))
			fail_msg("%s", err.message);
		r->who.scope = jur_scope_of(&j);
	}
}

struct sheet {
	int n;
	int64_t last;
	int with_link, with_worker;
};

static int sheet_add(void *ctx, const struct card *c)
{
	struct sheet *s = ctx;

	assert_true(c->enterprise_id > s->last);
	s->last = c->enterprise_id;
	s->n++;
	s->with_link += card_token_valid(c->token) && strstr(c->link, c->token) != NULL;
	s->with_worker += card_count(c, CARD_GRID_WORKER) > 0;
	return 0;
}

static int64_t grid_id(const char *code)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT id FROM grids WHERE code = '%s'", code);
	return sql_count(sql);
}

/* The active enterprises placed in a grid or in one inside it. */
static int64_t active_in(const char *code)
{
	char sql[400];

	snprintf(sql, sizeof(sql),
	         "WITH RECURSIVE g(id) AS (SELECT id FROM grids WHERE code = '%s' UNION SELECT "
	         "c.id FROM grids c JOIN g ON c.parent_id = g.id) SELECT count(*) FROM "
	         "enterprises WHERE status = 'active' AND grid_id IN (SELECT id FROM g)",
	         code);
	return sql_count(sql);
}

static void test_grid_sheet(void **state)
{
	struct store *st;
	struct req r;
	struct err err;
	struct sheet s = {0, 0, 0, 0};
	int64_t cell = grid_id("ZY-W3"), west = grid_id("ZY-W"), in_cell, in_west;

	(void)state;
	err_clear(&err);
	assert_int_equal(store_open(&st, db, 0, &err), 0);
	in_cell = active_in("ZY-W3");
	in_west = active_in("ZY-W");
	assert_true(in_cell > 10 && in_west > in_cell);
	assert_int_equal(sql_count("SELECT count(*) FROM card_tokens"), 0);

	/* The grid worker of the cell prints its cards: every one has its
	 * link now, issued in one go, each audited. */
	req_as(&r, st, "grid");
	assert_int_equal(store_read_begin(st, &r.err), 0);
	if (api_cards_of_grid(&r, cell, sheet_add, &s))
		fail_msg("%s: %s", r.err.code, r.err.message);
	store_read_end(st);
	assert_int_equal(s.n, in_cell);
	assert_int_equal(s.with_link, in_cell);
	assert_int_equal(s.with_worker, in_cell);
	assert_int_equal(sql_count("SELECT count(*) FROM card_tokens WHERE revoked_at IS NULL"),
	                 in_cell);
	assert_int_equal(sql_count("SELECT count(*) FROM audit WHERE action = 'issue_card_link'"),
	                 in_cell);
	/* An officer prints the area's: the cell's keep their links, the
	 * others get theirs. */
	memset(&s, 0, sizeof(s));
	req_as(&r, st, "officer");
	if (api_cards_of_grid(&r, west, sheet_add, &s))
		fail_msg("%s", r.err.message);
	assert_int_equal(s.n, in_west);
	assert_int_equal(s.with_link, in_west);
	assert_int_equal(sql_count("SELECT count(*) FROM card_tokens"), in_west);
	/* Again: the same cards, nothing issued. */
	memset(&s, 0, sizeof(s));
	if (api_cards_of_grid(&r, west, sheet_add, &s))
		fail_msg("%s", r.err.message);
	assert_int_equal(s.n, in_west);
	assert_int_equal(sql_count("SELECT count(*) FROM card_tokens"), in_west);

	/* The cell's worker may not print the area (other workers' cells
	 * among it), nor the East's worker the cell; a handler may not;
	 * another town's officer does not see the grid; an unknown grid is
	 * not there. */
	req_as(&r, st, "grid");
	assert_int_equal(api_cards_of_grid(&r, west, sheet_add, &s), -1);
	assert_int_equal(r.err.kind, ERR_FORBIDDEN);
	req_as(&r, st, "grid2");
	assert_int_equal(api_cards_of_grid(&r, cell, sheet_add, &s), -1);
	assert_int_equal(r.err.kind, ERR_FORBIDDEN);
	req_as(&r, st, "handler");
	assert_int_equal(api_cards_of_grid(&r, cell, sheet_add, &s), -1);
	assert_int_equal(r.err.kind, ERR_FORBIDDEN);
	req_as(&r, st, "officer.zhujing");
	assert_int_equal(api_cards_of_grid(&r, cell, sheet_add, &s), -1);
	assert_int_equal(r.err.kind, ERR_NOT_FOUND);
	req_as(&r, st, "officer");
	assert_int_equal(api_cards_of_grid(&r, 999999, sheet_add, &s), -1);
	assert_int_equal(r.err.kind, ERR_NOT_FOUND);
	store_close(st);
}

static void test_one_card(void **state)
{
	static struct card c;
	struct store *st;
	struct req r;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(store_open(&st, db, 0, &err), 0);
	req_as(&r, st, "qifan");
	if (api_card_load(&r, r.who.enterprise_id, &c))
		fail_msg("%s", r.err.message);
	assert_int_equal(c.enterprise_id, r.who.enterprise_id);
	assert_true(card_token_valid(c.token));
	assert_string_equal(c.link + strlen(c.link) - CARD_TOKEN_LEN, c.token);
	assert_int_equal(strncmp(c.link, "http://127.0.0.1:8080/q/", 24), 0);
	req_as(&r, st, "qifan");
	assert_int_equal(api_card_load(&r, 2, &c), -1);
	assert_int_equal(r.err.kind, ERR_FORBIDDEN);
	req_as(&r, st, "officer.zhujing");
	assert_int_equal(api_card_load(&r, 1, &c), -1);
	assert_int_equal(r.err.kind, ERR_NOT_FOUND);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grid_sheet),
	    cmocka_unit_test(test_one_card),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
