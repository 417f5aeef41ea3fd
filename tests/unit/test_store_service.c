/*
 * The catalogue in the SQLite store (src/store/sqlite_service.c): a
 * service written reads back whole (locations, contacts, hours), versions
 * guard changes, the walk of a scope that printed matter reads (active
 * services only, by the resource list's order of categories, then by
 * name; a district's serving its towns, a neighbour's not), search and
 * counting, the one category of service requests, and the district of
 * every catalogue row following its town when the town is hung under
 * another district.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

struct fixture {
	char dir[64], db[128];
	struct store *st;
	int64_t town, district, neighbour, other_district, dept, org, district_org;
};

static void check(int rc, const struct err *e, const char *what)
{
	if (rc)
		fail_msg("%s: %s (%s)", what, e->message, e->code);
}

static int64_t node(struct store *st, int64_t id, int64_t parent, enum jur_level level,
                    const char *kind, const char *code)
{
	struct jurisdiction j;
	struct err e;

	memset(&j, 0, sizeof(j));
	err_clear(&e);
	if (id)
		check(store_jurisdiction_get(st, id, &j, &e), &e, "reading a node");
	j.parent_id = parent;
	j.level = level;
	snprintf(j.kind, sizeof(j.kind), "%s", kind);
	snprintf(j.code, sizeof(j.code), "%s", code);
	snprintf(j.name_zh, sizeof(j.name_zh), "%s", code);
	check(store_begin(st, &e) || store_jurisdiction_put(st, &j, &e) || store_commit(st, &e), &e,
	      code);
	return j.id;
}

static int64_t organisation(struct store *st, int64_t jur, int64_t dept, const char *name)
{
	struct organisation o;
	struct err e;

	memset(&o, 0, sizeof(o));
	snprintf(o.name_zh, sizeof(o.name_zh), "%s", name);
	snprintf(o.kind, sizeof(o.kind), "department");
	o.jurisdiction_id = jur;
	o.department_id = dept;
	err_clear(&e);
	check(store_organisation_put(st, &o, 0, &e), &e, name);
	assert_int_equal(o.version, 1);
	return o.id;
}

/* A service with one location, one contact and office hours. */
static int64_t service(struct store *st, int64_t org, int64_t jur, const char *category,
                       const char *name, enum service_status status)
{
	struct service *s = malloc(sizeof(*s));
	struct err e;
	int64_t id;

	assert_non_null(s);
	service_init(s);
	s->provider_id = org;
	s->jurisdiction_id = jur;
	s->status = status;
	snprintf(s->category, sizeof(s->category), "%s", category);
	snprintf(s->name_zh, sizeof(s->name_zh), "%s", name);
	snprintf(s->description_zh, sizeof(s->description_zh), "%s的服务内容", name);
	snprintf(s->description_en, sizeof(s->description_en), "Service for %s", category);
	s->nlocations = 1;
	snprintf(s->locations[0].address, sizeof(s->locations[0].address), "%s的地址", name);
	s->locations[0].located = 1;
	s->locations[0].lon = 121.29;
	s->locations[0].lat = 30.8;
	s->ncontacts = 2;
	snprintf(s->contacts[0].name, sizeof(s->contacts[0].name), "甲");
	snprintf(s->contacts[0].phone, sizeof(s->contacts[0].phone), "021-57211100");
	snprintf(s->contacts[1].name, sizeof(s->contacts[1].name), "乙");
	snprintf(s->contacts[1].email, sizeof(s->contacts[1].email), "b@example.cn");
	s->nlanguages = 1;
	snprintf(s->languages[0], sizeof(s->languages[0]), "zh");
	s->ndocuments = 2;
	snprintf(s->documents[0], sizeof(s->documents[0]), "营业执照");
	snprintf(s->documents[1], sizeof(s->documents[1]), "申请表");
	err_clear(&e);
	check(hours_parse_text("{\"weekly\":[{\"byday\":\"MO,TU,WE,TH,FR\",\"opens_at\":\"08:30\","
	                       "\"closes_at\":\"17:00\"}],\"exceptions\":[{\"valid_from\":"
	                       "\"2026-10-01\",\"valid_to\":\"2026-10-07\",\"closed\":true}]}",
	                       &s->hours, &e),
	      &e, "hours");
	check(service_validate(s, NULL, &e), &e, name);
	check(store_begin(st, &e) || store_service_put(st, s, 0, &e) || store_commit(st, &e), &e,
	      name);
	id = s->id;
	free(s);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct department_rec d;
	struct err e;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/qy_svc_XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/qunyan.db", f->dir);
	err_clear(&e);
	if (store_open(&f->st, f->db, STORE_CREATE, &e))
		return -1;
	/* A city with two districts; the home town and its neighbour in the
	 * first. */
	int64_t city = node(f->st, 0, 0, JL_CITY, "city", "310000");
	f->district = node(f->st, 0, city, JL_DISTRICT, "district", "310116");
	f->town = node(f->st, 1, f->district, JL_TOWN, "town", "310116103");
	f->neighbour = node(f->st, 0, f->district, JL_TOWN, "town", "310116101");
	f->other_district = node(f->st, 0, city, JL_DISTRICT, "district", "310117");
	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "企业服务办");
	d.jurisdiction_id = f->town;
	check(store_department_add(f->st, &d, &e), &e, "department");
	f->dept = d.id;
	f->org = organisation(f->st, f->town, f->dept, "镇企业服务办");
	f->district_org = organisation(f->st, f->district, f->dept, "区担保基金");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[256];

	store_close(f->st);
	for (const char *const *x = (const char *const[]){"", "-wal", "-shm", NULL}; *x; x++) {
		snprintf(path, sizeof(path), "%s%s", f->db, *x);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_round_trip_and_versions(void **state)
{
	struct fixture *f = *state;
	struct service *s = malloc(sizeof(*s));
	struct buf h = BUF_INIT;
	struct err e;
	int64_t id = service(f->st, f->org, f->town, "financing", "信用贷款", SVC_ACTIVE);

	err_clear(&e);
	check(store_service_get(f->st, id, s, &e), &e, "get");
	assert_string_equal(s->name_zh, "信用贷款");
	assert_string_equal(s->provider_zh, "镇企业服务办");
	assert_int_equal(s->department_id, f->dept);
	assert_string_equal(s->department, "企业服务办");
	assert_int_equal(s->district_id, f->district);
	assert_int_equal(s->nlocations, 1);
	assert_true(s->locations[0].located);
	assert_int_equal(s->ncontacts, 2);
	assert_string_equal(s->contacts[1].email, "b@example.cn");
	assert_int_equal(s->ndocuments, 2);
	assert_string_equal(s->documents[1], "申请表");
	assert_int_equal(s->hours.nweekly, 1);
	assert_int_equal(s->hours.nexceptions, 1);
	hours_to_json(&s->hours, &h);
	assert_non_null(strstr(buf_cstr(&h), "\"valid_to\":\"2026-10-07\""));
	buf_release(&h);
	assert_int_equal(s->version, 1);
	/* A change under the version read bumps it; a stale one is refused. */
	s->ncontacts = 0;
	check(store_begin(f->st, &e) || store_service_put(f->st, s, 1, &e) ||
	          store_commit(f->st, &e),
	      &e, "update");
	assert_int_equal(s->version, 2);
	assert_int_equal(s->ncontacts, 0);
	assert_int_equal(store_service_put(f->st, s, 1, &e), -1);
	assert_int_equal(e.kind, ERR_STALE);
	err_clear(&e);
	s->id = 999999;
	assert_int_equal(store_service_put(f->st, s, 1, &e), -1);
	assert_int_equal(e.kind, ERR_NOT_FOUND);
	err_clear(&e);
	s->id = 0;
	s->provider_id = 424242;
	assert_int_equal(store_service_put(f->st, s, 0, &e), -1);
	assert_int_equal(e.kind, ERR_INVALID);
	assert_string_equal(e.code, "unknown_provider");
	free(s);
}

struct walked {
	char names[16][401];
	int n;
};

static int walked_one(void *ctx, const struct service *s)
{
	struct walked *w = ctx;

	assert_int_equal(s->status, SVC_ACTIVE);
	assert_true(s->ncontacts == 2 && s->nlocations == 1 && s->hours.nweekly == 1);
	if (w->n < 16)
		snprintf(w->names[w->n++], sizeof(w->names[0]), "%s", s->name_zh);
	return 0;
}

static void test_walk_for_print(void **state)
{
	struct fixture *f = *state;
	struct walked w;
	struct jurisdiction town;
	struct jur_scope scope;
	struct err e;

	service(f->st, f->org, f->town, "logistics", "B物流", SVC_ACTIVE);
	service(f->st, f->org, f->town, "policy_consulting", "Z政策", SVC_ACTIVE);
	service(f->st, f->org, f->town, "policy_consulting", "A政策", SVC_ACTIVE);
	service(f->st, f->org, f->town, "financing", "停办的融资", SVC_INACTIVE);
	service(f->st, f->org, f->town, "financing", "待审的融资", SVC_PENDING);
	service(f->st, f->district_org, f->district, "training", "区培训", SVC_ACTIVE);
	service(f->st, f->district_org, f->neighbour, "venues", "邻镇场地", SVC_ACTIVE);
	err_clear(&e);
	check(store_jurisdiction_get(f->st, f->town, &town, &e), &e, "town");
	scope = jur_scope_of(&town);
	memset(&w, 0, sizeof(w));
	check(store_service_walk(f->st, &scope, walked_one, &w, &e), &e, "walk");
	/* The town's and its district's, in the list's order of categories
	 * (policy consulting, ..., training, ..., logistics), by name. */
	assert_int_equal(w.n, 4);
	assert_string_equal(w.names[0], "A政策");
	assert_string_equal(w.names[1], "Z政策");
	assert_string_equal(w.names[2], "区培训");
	assert_string_equal(w.names[3], "B物流");
	/* The whole tree: the neighbour's too, venues before logistics. */
	memset(&w, 0, sizeof(w));
	check(store_service_walk(f->st, NULL, walked_one, &w, &e), &e, "walk all");
	assert_int_equal(w.n, 5);
	assert_string_equal(w.names[3], "邻镇场地");
}

static int count_one(void *ctx, const struct service *s)
{
	(void)s;
	(*(int *)ctx)++;
	return 0;
}

static void test_search_and_count(void **state)
{
	struct fixture *f = *state;
	struct service_query q;
	struct err e;
	int64_t n = -1;
	int seen = 0;

	service(f->st, f->org, f->town, "testing_technology", "光纤光缆性能检测", SVC_ACTIVE);
	service(f->st, f->org, f->town, "testing_technology", "新材料分析测试", SVC_ACTIVE);
	service(f->st, f->org, f->town, "legal", "合同审查", SVC_ACTIVE);
	memset(&q, 0, sizeof(q));
	err_clear(&e);
	/* Two characters (their own index), three and more (narrowed by
	 * trigrams), English in any case, two words that must both occur. */
	for (const char *const *c =
	         (const char *const[]){"检测", "1", "光缆性", "1", "TESTING", "2", "testing legal",
	                               "0", "合同 Legal", "1", "%", "0", NULL};
	     *c; c += 2) {
		q.q = c[0];
		check(store_service_count(f->st, &q, &n, &e), &e, c[0]);
		if (n != atoi(c[1]))
			fail_msg("q=%s: %lld, want %s", c[0], (long long)n, c[1]);
	}
	q.q = NULL;
	q.status = "active";
	check(store_service_count(f->st, &q, &n, &e), &e, "all");
	assert_int_equal(n, 3);
	q.offset = 2;
	check(store_services(f->st, &q, count_one, &seen, &e), &e, "offset");
	assert_int_equal(seen, 1);
}

/* ------------------------------------------------------------------ */
/* The ways a search is answered agree                                  */

struct ids {
	int64_t id[1400];
	int n;
	/* What the brute force reads: the texts, category, provider and
	 * whether open at the instant asked. */
	char text[1400][4][64];
	char category[1400][24];
	int64_t provider[1400];
	int open[1400];
	time_t at;
};

static int collect(void *ctx, const struct service *s)
{
	struct ids *x = ctx;

	if (x->n < 1400) {
		x->id[x->n] = s->id;
		snprintf(x->text[x->n][0], 64, "%.60s", s->name_zh);
		snprintf(x->text[x->n][1], 64, "%.60s", s->name_en);
		snprintf(x->text[x->n][2], 64, "%.60s", s->description_zh);
		snprintf(x->text[x->n][3], 64, "%.60s", s->description_en);
		snprintf(x->category[x->n], 24, "%s", s->category);
		x->provider[x->n] = s->provider_id;
		x->open[x->n] = hours_open_at(&s->hours, x->at) == 1;
		x->n++;
	}
	return 0;
}

/* A word in a text, Latin letters in any case (as LIKE). */
static int holds(const char *text, const char *word)
{
	char a[64], b[64];
	size_t i;

	for (i = 0; text[i] && i < 63; i++)
		a[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]);
	a[i] = '\0';
	for (i = 0; word[i] && i < 63; i++)
		b[i] = (char)(word[i] >= 'A' && word[i] <= 'Z' ? word[i] + 32 : word[i]);
	b[i] = '\0';
	return strstr(a, b) != NULL;
}

/* Many services of one provider in one category, a few of another in
 * another: a frequent word (服务, in every description) is then found in
 * more rows than a search counts before it chooses its way, a category
 * with few rows is walked instead, and a category with many is left to
 * the text index; open now is judged from the index's hours_id. */
static void test_search_ways_agree(void **state)
{
	static const char *const office =
	    "{\"weekly\":[{\"byday\":\"MO,TU,WE,TH,FR\",\"opens_at\":\"08:30\",\"closes_at\":"
	    "\"17:00\"}],\"exceptions\":[]}";
	static const char *const weekend =
	    "{\"weekly\":[{\"byday\":\"SA,SU\",\"opens_at\":\"09:00\",\"closes_at\":\"12:00\"}],"
	    "\"exceptions\":[]}";
	struct fixture *f = *state;
	struct service *s = malloc(sizeof(*s));
	struct ids *all = calloc(1, sizeof(*all)), *got = calloc(1, sizeof(*got));
	int64_t other = organisation(f->st, f->town, f->dept, "镇律师事务所");
	struct service_query q;
	struct err e;
	/* Wednesday 2026-03-11 10:00 and Saturday 2026-03-14 10:00 in Shanghai. */
	const time_t wednesday = 1773194400, saturday = 1773453600;

	assert_non_null(s);
	assert_non_null(all);
	assert_non_null(got);
	err_clear(&e);
	check(store_begin(f->st, &e), &e, "begin");
	for (int i = 0; i < 1250; i++) {
		int legal = i % 25 == 0;
		service_init(s);
		s->provider_id = legal ? other : f->org;
		s->jurisdiction_id = f->town;
		s->status = i % 50 == 7 ? SVC_INACTIVE : SVC_ACTIVE;
		snprintf(s->category, sizeof(s->category), "%s", legal ? "legal" : "training");
		snprintf(s->name_zh, sizeof(s->name_zh), legal ? "合同审查%d" : "技能培训%d", i);
		snprintf(s->name_en, sizeof(s->name_en), legal ? "Contract review %d" : "Skills %d",
		         i);
		snprintf(s->description_zh, sizeof(s->description_zh), "服务内容%s",
		         i % 3 ? "" : "，可上门");
		snprintf(s->description_en, sizeof(s->description_en), "Service for %s",
		         legal ? "LEGAL" : "training");
		s->deadline_hours = 24;
		check(hours_parse_text(i % 2   ? office
		                       : i % 5 ? weekend
		                               : "",
		                       &s->hours, &e),
		      &e, "hours");
		check(store_service_put(f->st, s, 0, &e), &e, "put");
	}
	check(store_commit(f->st, &e), &e, "commit");
	for (int round = 0; round < 2; round++) {
		static const struct {
			const char *q, *category;
			int provider, open;
		} cases[] = {
		    {"服务", "legal", 0, 0},        {"服务", "training", 0, 0},
		    {"服务", NULL, 0, 0},           {"合同", "training", 0, 0},
		    {"合同", "legal", 0, 0},        {"Service for legal", "training", 0, 0},
		    {"service", "legal", 0, 1},     {"服务", "legal", 0, 1},
		    {"服务", "training", 0, 1},     {"服", NULL, 1, 0},
		    {"上门 服务", "legal", 0, 0},   {"上门 服务", "training", 0, 1},
		    {"Skills 1", "training", 0, 0}, {"s", "legal", 2, 1},
		    {NULL, "legal", 0, 1},          {NULL, NULL, 2, 1},
		};
		time_t at = round ? saturday : wednesday;
		memset(&q, 0, sizeof(q));
		q.status = "active";
		memset(all, 0, sizeof(*all));
		all->at = at;
		check(store_services(f->st, &q, collect, all, &e), &e, "all");
		assert_true(all->n > 1200);
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			char words[64];
			int want = 0, k = 0;
			memset(&q, 0, sizeof(q));
			q.status = "active";
			q.q = cases[c].q;
			q.category = cases[c].category;
			q.provider_id = cases[c].provider == 1 ? f->org
			                : cases[c].provider    ? other
			                                       : 0;
			q.open_only = cases[c].open;
			q.open_at = at;
			memset(got, 0, sizeof(*got));
			check(store_services(f->st, &q, collect, got, &e), &e, "search");
			for (int i = 0; i < all->n; i++) {
				int ok = (!q.category || !strcmp(all->category[i], q.category)) &&
				         (!q.provider_id || all->provider[i] == q.provider_id) &&
				         (!q.open_only || all->open[i]);
				snprintf(words, sizeof(words), "%s", q.q ? q.q : "");
				for (char *w = strtok(words, " "); w && ok; w = strtok(NULL, " "))
					ok = holds(all->text[i][0], w) ||
					     holds(all->text[i][1], w) ||
					     holds(all->text[i][2], w) || holds(all->text[i][3], w);
				if (!ok)
					continue;
				want++;
				if (k >= got->n || got->id[k] != all->id[i])
					fail_msg("q=%s category=%s provider=%d open=%d at %lld: "
					         "service %lld missing or out of order",
					         q.q ? q.q : "", q.category ? q.category : "",
					         cases[c].provider, q.open_only, (long long)at,
					         (long long)all->id[i]);
				k++;
			}
			if (got->n != want)
				fail_msg("q=%s category=%s: %d rows, want %d", q.q ? q.q : "",
				         q.category ? q.category : "", got->n, want);
		}
	}
	/* A service's new hours and name are what the indexes answer from. */
	memset(&q, 0, sizeof(q));
	q.status = "active";
	q.q = "培训";
	check(store_services(f->st, &q, collect, (memset(got, 0, sizeof(*got)), got), &e), &e,
	      "before");
	check(store_service_get(f->st, got->id[0], s, &e), &e, "get");
	snprintf(s->name_zh, sizeof(s->name_zh), "场地预约");
	check(hours_parse_text(weekend, &s->hours, &e), &e, "weekend");
	check(store_begin(f->st, &e) || store_service_put(f->st, s, s->version, &e) ||
	          store_commit(f->st, &e),
	      &e, "update");
	q.q = "场地";
	q.open_only = 1;
	q.open_at = saturday;
	check(store_services(f->st, &q, collect, (memset(got, 0, sizeof(*got)), got), &e), &e,
	      "after");
	assert_int_equal(got->n, 1);
	assert_int_equal(got->id[0], s->id);
	q.open_at = wednesday;
	check(store_services(f->st, &q, collect, (memset(got, 0, sizeof(*got)), got), &e), &e,
	      "closed");
	assert_int_equal(got->n, 0);
	free(s);
	free(all);
	free(got);
}

static void test_request_category_and_districts(void **state)
{
	struct fixture *f = *state;
	struct jurisdiction j;
	struct service *s = malloc(sizeof(*s));
	struct err e;
	int64_t cat = 0, again = 0, bad = -1;
	int64_t id =
	    service(f->st, f->district_org, f->neighbour, "venues", "邻镇场地", SVC_ACTIVE);
	struct category_rec *c = malloc(sizeof(*c));

	err_clear(&e);
	check(store_begin(f->st, &e) || store_service_request_category(f->st, f->dept, &cat, &e) ||
	          store_service_request_category(f->st, f->dept, &again, &e) ||
	          store_commit(f->st, &e),
	      &e, "category");
	assert_true(cat > 0);
	assert_int_equal(again, cat);
	check(store_category_get(f->st, cat, c, &e), &e, "read the category");
	assert_string_equal(c->code, "service_request");
	assert_int_equal(c->active, 0);
	/* The neighbour hung under the other district: its service, the
	 * service's rows and nothing else follow. */
	check(store_jurisdiction_get(f->st, f->neighbour, &j, &e), &e, "neighbour");
	j.parent_id = f->other_district;
	snprintf(j.code, sizeof(j.code), "310117101");
	check(store_begin(f->st, &e) || store_jurisdiction_put(f->st, &j, &e) ||
	          store_commit(f->st, &e),
	      &e, "move");
	check(store_service_get(f->st, id, s, &e), &e, "the moved service");
	assert_int_equal(s->district_id, f->other_district);
	check(store_district_check(f->st, NULL, NULL, &bad, &e), &e, "check");
	assert_int_equal(bad, 0);
	free(s);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_round_trip_and_versions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walk_for_print, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_search_and_count, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_search_ways_agree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_request_category_and_districts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
