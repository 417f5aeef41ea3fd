/*
 * The rules of the jurisdictions' tree (src/domain/jurisdiction.c): the
 * levels and kinds, the form of a division code and its prefix of the
 * parent's, the order in which jur_check names the rule broken, cycles,
 * the depth-first numbering on trees of several shapes, the USCC's region
 * against a district, and the scope tests.  Every expected number below
 * was worked out by hand from the tree drawn above it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/jurisdiction.h"

static struct jurisdiction node(int64_t id, int64_t parent, enum jur_level level, const char *kind,
                                const char *code, const char *name)
{
	struct jurisdiction j;

	memset(&j, 0, sizeof(j));
	j.id = id;
	j.parent_id = parent;
	j.level = level;
	snprintf(j.kind, sizeof(j.kind), "%s", kind);
	snprintf(j.code, sizeof(j.code), "%s", code);
	snprintf(j.name_zh, sizeof(j.name_zh), "%s", name);
	return j;
}

/* ------------------------------------------------------------------ */
/* Levels, kinds, digits                                                */

static void test_levels_and_kinds(void **state)
{
	static const char *const names[] = {"city", "district", "town", "community"};
	static const int digits[] = {6, 6, 9, 12}, carried[] = {2, 6, 9, 12};
	enum jur_level l;

	(void)state;
	for (int i = 0; i < JL_NLEVELS; i++) {
		assert_string_equal(jur_level_name((enum jur_level)i), names[i]);
		assert_int_equal(jur_level_parse(names[i], &l), 0);
		assert_int_equal(l, i);
		assert_int_equal(jur_code_digits((enum jur_level)i), digits[i]);
		assert_int_equal(jur_code_carried((enum jur_level)i), carried[i]);
	}
	l = JL_TOWN;
	assert_int_equal(jur_level_parse("County", &l), -1);
	assert_int_equal(jur_level_parse("", &l), -1);
	assert_int_equal(jur_level_parse("province", &l), -1);
	assert_int_equal(l, JL_TOWN); /* untouched by a refusal */
	assert_int_equal(jur_code_digits(JL_NLEVELS), 0);

	assert_true(jur_kind_fits(JL_CITY, "city"));
	assert_true(jur_kind_fits(JL_DISTRICT, "district"));
	assert_true(jur_kind_fits(JL_DISTRICT, "county"));
	assert_true(jur_kind_fits(JL_TOWN, "town"));
	assert_true(jur_kind_fits(JL_TOWN, "street"));
	assert_true(jur_kind_fits(JL_COMMUNITY, "community"));
	assert_true(jur_kind_fits(JL_COMMUNITY, "village"));
	assert_true(jur_kind_fits(JL_COMMUNITY, "park"));
	assert_false(jur_kind_fits(JL_CITY, "district"));
	assert_false(jur_kind_fits(JL_DISTRICT, "street"));
	assert_false(jur_kind_fits(JL_TOWN, "county"));
	assert_false(jur_kind_fits(JL_COMMUNITY, "town"));
	assert_false(jur_kind_fits(JL_TOWN, "Town"));
	assert_false(jur_kind_fits(JL_TOWN, ""));
	assert_false(jur_kind_fits(JL_NLEVELS, "town"));
	assert_string_equal(jur_kinds_of(JL_TOWN), "town, street");
	assert_string_equal(jur_kinds_of(JL_COMMUNITY), "community, village, park");
}

/* ------------------------------------------------------------------ */
/* jur_validate and jur_check                                           */

/* The demo's places, as jur_validate sees them. */
static const struct jurisdiction *city(void)
{
	static struct jurisdiction j;
	j = node(2, 0, JL_CITY, "city", "310000", "上海市");
	return &j;
}
static const struct jurisdiction *jinshan(void)
{
	static struct jurisdiction j;
	j = node(3, 2, JL_DISTRICT, "district", "310116", "金山区");
	return &j;
}
static const struct jurisdiction *zhangyan(void)
{
	static struct jurisdiction j;
	j = node(1, 3, JL_TOWN, "town", "310116103", "张堰镇");
	return &j;
}
static const struct jurisdiction *park(void)
{
	static struct jurisdiction j;
	j = node(4, 1, JL_COMMUNITY, "park", "310116103201", "张堰工业园区");
	return &j;
}

/* Expects a refusal of j under parent naming field, with the message
 * containing words. */
static void refused(const struct jurisdiction *j, const struct jurisdiction *parent,
                    const char *field, const char *words)
{
	const char *f = NULL;
	char msg[256] = "";

	assert_int_equal(jur_validate(j, parent, &f, msg, sizeof(msg)), -1);
	assert_non_null(f);
	if (strcmp(f, field) != 0 || !strstr(msg, words))
		fail_msg("%s under %s: got %s: %s; want %s: ...%s...", j->code,
		         parent ? parent->code : "nothing", f, msg, field, words);
}

static void accepted(const struct jurisdiction *j, const struct jurisdiction *parent)
{
	const char *f = NULL;
	char msg[256] = "";

	if (jur_validate(j, parent, &f, msg, sizeof(msg)) != 0)
		fail_msg("%s under %s refused: %s: %s", j->code, parent ? parent->code : "nothing",
		         f, msg);
}

static void test_validate_node_rules(void **state)
{
	struct jurisdiction j;

	(void)state;
	/* Each level at the top of a tree: no parent, no prefix. */
	accepted(city(), NULL);
	j = node(9, 0, JL_DISTRICT, "county", "310230", "崇明县");
	accepted(&j, NULL);
	j = node(9, 0, JL_TOWN, "street", "000000000", "本镇");
	accepted(&j, NULL);
	j = node(9, 0, JL_COMMUNITY, "village", "310116103202", "村");
	accepted(&j, NULL);

	j = *zhangyan();
	j.level = JL_NLEVELS;
	refused(&j, NULL, "level", "must be one of city, district, town, community");
	j.level = (enum jur_level) - 1;
	refused(&j, NULL, "level", "must be one of");

	/* The kind names the level and its kinds. */
	j = *zhangyan();
	snprintf(j.kind, sizeof(j.kind), "district");
	refused(&j, jinshan(), "kind", "a town is one of: town, street");
	j = *jinshan();
	snprintf(j.kind, sizeof(j.kind), "street");
	refused(&j, city(), "kind", "a district is one of: district, county");
	j = *park();
	j.kind[0] = '\0';
	refused(&j, zhangyan(), "kind", "a community is one of: community, village, park");

	/* Digits, and only digits, as many as the level's. */
	static const struct {
		enum jur_level level;
		const char *kind, *code, *words;
	} codes[] = {
	    {JL_CITY, "city", "31000", "a city's code is 6 digits"},
	    {JL_CITY, "city", "3100000", "a city's code is 6 digits"},
	    {JL_DISTRICT, "district", "31011a", "a district's code is 6 digits"},
	    {JL_DISTRICT, "district", "", "a district's code is 6 digits"},
	    {JL_TOWN, "town", "31011610", "a town's code is 9 digits"},
	    {JL_TOWN, "town", "3101161030", "a town's code is 9 digits"},
	    {JL_TOWN, "town", "310116 03", "a town's code is 9 digits"},
	    {JL_TOWN, "town", "310116-03", "a town's code is 9 digits"},
	    {JL_COMMUNITY, "park", "310116103", "a community's code is 12 digits"},
	    {JL_COMMUNITY, "park", "３１０１１６１０３２０１", "a community's code is 12 digits"},
	};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		j = node(9, 0, codes[i].level, codes[i].kind, codes[i].code, "某地");
		refused(&j, NULL, "code", codes[i].words);
	}

	j = *zhangyan();
	j.name_zh[0] = '\0';
	refused(&j, jinshan(), "name_zh", "is required");
	/* The English name is not. */
	j = *zhangyan();
	j.name_en[0] = '\0';
	accepted(&j, jinshan());
}

static void test_validate_parent_rules(void **state)
{
	struct jurisdiction j;

	(void)state;
	/* The demo's path, each under its parent. */
	accepted(jinshan(), city());
	accepted(zhangyan(), jinshan());
	accepted(park(), zhangyan());

	/* A district carries its city's first two digits only: 310107 and
	 * 310230 are Shanghai's, 320101 is Nanjing's. */
	j = node(9, 2, JL_DISTRICT, "district", "310107", "普陀区");
	accepted(&j, city());
	j = node(9, 2, JL_DISTRICT, "county", "319999", "县");
	accepted(&j, city());
	j = node(9, 2, JL_DISTRICT, "district", "320101", "玄武区");
	refused(&j, city(), "code",
	        "must begin with 31, the first 2 digits of 上海市's code 310000");

	/* Below the districts a code extends its parent's whole code. */
	j = node(9, 3, JL_TOWN, "street", "310107011", "街道");
	refused(&j, jinshan(), "code", "must begin with 310116, the code of 金山区");
	j = node(9, 1, JL_COMMUNITY, "community", "310116101001", "社区");
	refused(&j, zhangyan(), "code", "must begin with 310116103, the code of 张堰镇");
	j = node(9, 1, JL_COMMUNITY, "community", "310116103999", "社区");
	accepted(&j, zhangyan());

	/* A level may be skipped: a town straight under its city carries the
	 * city's two digits, a community straight under a district its six. */
	j = node(9, 2, JL_TOWN, "town", "311234567", "镇");
	accepted(&j, city());
	j = node(9, 2, JL_TOWN, "town", "321234567", "镇");
	refused(&j, city(), "code", "must begin with 31,");
	j = node(9, 3, JL_COMMUNITY, "village", "310116777001", "村");
	accepted(&j, jinshan());
	j = node(9, 3, JL_COMMUNITY, "village", "310117777001", "村");
	refused(&j, jinshan(), "code", "must begin with 310116");

	/* The parent lies above: never at the same level, never below. */
	j = node(9, 3, JL_DISTRICT, "district", "310117", "松江区");
	refused(&j, jinshan(), "parent",
	        "a district lies under a level above it, not under a district");
	j = *zhangyan();
	refused(&j, park(), "parent", "a town lies under a level above it, not under a community");
	j = *city();
	refused(&j, jinshan(), "parent",
	        "a city lies under a level above it, not under a district");
	/* The parent's level is judged before the code's prefix. */
	j = node(9, 4, JL_TOWN, "town", "999999999", "镇");
	refused(&j, park(), "parent", "not under a community");
}

static void check_fault(int rc, const struct jur_fault *f, const char *field, const char *code,
                        const char *words)
{
	assert_int_equal(rc, -1);
	if (strcmp(f->field, field) != 0 || strcmp(f->code, code) != 0 || !strstr(f->msg, words))
		fail_msg("got %s %s: %s; want %s %s: ...%s...", f->field, f->code, f->msg, field,
		         code, words);
}

/* jur_check names a cycle as a cycle, though the node's level rule is
 * broken too, and keeps the level of a node with nodes under it. */
static void test_check_order(void **state)
{
	struct jurisdiction tree[4], j;
	struct jur_fault f;

	(void)state;
	tree[0] = *city();
	tree[1] = *jinshan();
	tree[2] = *zhangyan();
	tree[3] = *park();
	assert_int_equal(jur_number(tree, 4), 0);

	/* Jinshan under Zhangyan, under the park, under itself. */
	j = tree[1];
	j.parent_id = tree[2].id;
	check_fault(jur_check(&j, &tree[1], &tree[2], 1, &f), &f, "parent", "jurisdiction_cycle",
	            "张堰镇 lies under 金山区; a jurisdiction cannot be its own ancestor");
	j.parent_id = tree[3].id;
	check_fault(jur_check(&j, &tree[1], &tree[3], 1, &f), &f, "parent", "jurisdiction_cycle",
	            "its own ancestor");
	j.parent_id = tree[1].id;
	check_fault(jur_check(&j, &tree[1], &tree[1], 1, &f), &f, "parent", "jurisdiction_cycle",
	            "金山区 cannot lie under itself");
	/* The city under its own district. */
	j = tree[0];
	j.parent_id = tree[1].id;
	check_fault(jur_check(&j, &tree[0], &tree[1], 1, &f), &f, "parent", "jurisdiction_cycle",
	            "its own ancestor");
	/* A new node has no subtree: the level rule speaks. */
	j = node(0, 4, JL_TOWN, "town", "310116103", "镇");
	check_fault(jur_check(&j, NULL, &tree[3], 0, &f), &f, "parent", "wrong_nesting",
	            "a town lies under a level above it");

	/* The codes of jur_validate's rules. */
	j = tree[2];
	snprintf(j.kind, sizeof(j.kind), "village");
	check_fault(jur_check(&j, &tree[2], &tree[1], 1, &f), &f, "kind", "invalid_enum",
	            "a town is one of");
	j = tree[2];
	j.level = JL_NLEVELS;
	check_fault(jur_check(&j, &tree[2], &tree[1], 1, &f), &f, "level", "invalid_enum",
	            "must be one of");
	j = tree[2];
	snprintf(j.code, sizeof(j.code), "31011610");
	check_fault(jur_check(&j, &tree[2], &tree[1], 1, &f), &f, "code", "invalid_code",
	            "a town's code is 9 digits");
	snprintf(j.code, sizeof(j.code), "310117103");
	check_fault(jur_check(&j, &tree[2], &tree[1], 1, &f), &f, "code", "invalid_code",
	            "must begin with 310116");
	j = tree[2];
	j.name_zh[0] = '\0';
	check_fault(jur_check(&j, &tree[2], &tree[1], 1, &f), &f, "name_zh", "required",
	            "is required");

	/* Zhangyan has the park under it: it stays a town, even where a
	 * community would fit under Jinshan. */
	j = tree[2];
	j.level = JL_COMMUNITY;
	snprintf(j.kind, sizeof(j.kind), "community");
	snprintf(j.code, sizeof(j.code), "310116103000");
	check_fault(jur_check(&j, &tree[2], &tree[1], 1, &f), &f, "level", "wrong_nesting",
	            "张堰镇 has 1 jurisdiction under it, which lie below it: it stays a town");
	check_fault(jur_check(&j, &tree[2], &tree[1], 2, &f), &f, "level", "wrong_nesting",
	            "has 2 jurisdictions under it");
	/* Without children it may change level. */
	assert_int_equal(jur_check(&j, &tree[2], &tree[1], 0, &f), 0);
	/* A rename, a new kind of the same level, a move: all fine. */
	j = tree[2];
	snprintf(j.name_zh, sizeof(j.name_zh), "张堰");
	snprintf(j.kind, sizeof(j.kind), "street");
	assert_int_equal(jur_check(&j, &tree[2], &tree[1], 1, &f), 0);
	j = tree[1];
	j.parent_id = 0;
	assert_int_equal(jur_check(&j, &tree[1], NULL, 1, &f), 0);
}

static void test_would_cycle(void **state)
{
	struct jurisdiction tree[6];

	(void)state;
	tree[0] = *city();
	tree[1] = *jinshan();
	tree[2] = *zhangyan();
	tree[3] = *park();
	tree[4] = node(7, 2, JL_DISTRICT, "district", "310117", "松江区");
	tree[5] = node(8, 7, JL_TOWN, "street", "310117011", "九里亭街道");
	assert_int_equal(jur_number(tree, 6), 0);

	/* Under itself or anything in its subtree: a cycle. */
	assert_true(jur_would_cycle(&tree[1], &tree[1]));
	assert_true(jur_would_cycle(&tree[1], &tree[2]));
	assert_true(jur_would_cycle(&tree[1], &tree[3]));
	assert_true(jur_would_cycle(&tree[0], &tree[5]));
	/* Under an ancestor, a sibling, a cousin: none. */
	assert_false(jur_would_cycle(&tree[2], &tree[0]));
	assert_false(jur_would_cycle(&tree[2], &tree[4]));
	assert_false(jur_would_cycle(&tree[2], &tree[5]));
	assert_false(jur_would_cycle(&tree[5], &tree[1]));
	assert_false(jur_would_cycle(&tree[3], &tree[1]));
}

/* ------------------------------------------------------------------ */
/* jur_number                                                           */

struct numbered {
	int64_t id, lo, hi, district;
	int depth;
};

static void expect_numbers(const struct jurisdiction *n, size_t len, const struct numbered *want,
                           size_t nwant)
{
	assert_int_equal(len, nwant);
	for (size_t w = 0; w < nwant; w++) {
		const struct jurisdiction *j = NULL;
		for (size_t i = 0; i < len; i++)
			if (n[i].id == want[w].id)
				j = &n[i];
		assert_non_null(j);
		if (j->lo != want[w].lo || j->hi != want[w].hi || j->depth != want[w].depth ||
		    j->district_id != want[w].district)
			fail_msg(
			    "node %lld (%s): lo %lld hi %lld depth %d district %lld; want %lld "
			    "%lld %d %lld",
			    (long long)j->id, j->code, (long long)j->lo, (long long)j->hi, j->depth,
			    (long long)j->district_id, (long long)want[w].lo, (long long)want[w].hi,
			    want[w].depth, (long long)want[w].district);
	}
}

/*
 * The demo's tree, children in the order of their codes:
 *
 *   2 上海市 310000                      lo 1 hi 9  depth 0  district 2
 *     9 普陀区 310107                    lo 2 hi 2  depth 1  district 9
 *     3 金山区 310116                    lo 3 hi 7  depth 1  district 3
 *       6 朱泾镇 310116101               lo 4 hi 4  depth 2  district 3
 *       1 张堰镇 310116103               lo 5 hi 7  depth 2  district 3
 *         5 张堰社区 310116103001        lo 6 hi 6  depth 3  district 3
 *         4 张堰工业园区 310116103201    lo 7 hi 7  depth 3  district 3
 *     7 松江区 310117                    lo 8 hi 9  depth 1  district 7
 *       8 九里亭街道 310117011           lo 9 hi 9  depth 2  district 7
 *
 * The array is in none of these orders (not by id, nor code, nor tree),
 * and it is numbered the same in every rotation of it.
 */
static void demo_tree(struct jurisdiction *t)
{
	t[0] = node(8, 7, JL_TOWN, "street", "310117011", "九里亭街道");
	t[1] = node(4, 1, JL_COMMUNITY, "park", "310116103201", "张堰工业园区");
	t[2] = node(3, 2, JL_DISTRICT, "district", "310116", "金山区");
	t[3] = node(1, 3, JL_TOWN, "town", "310116103", "张堰镇");
	t[4] = node(9, 2, JL_DISTRICT, "district", "310107", "普陀区");
	t[5] = node(2, 0, JL_CITY, "city", "310000", "上海市");
	t[6] = node(5, 1, JL_COMMUNITY, "community", "310116103001", "张堰社区");
	t[7] = node(7, 2, JL_DISTRICT, "district", "310117", "松江区");
	t[8] = node(6, 3, JL_TOWN, "town", "310116101", "朱泾镇");
}

static const struct numbered demo_numbers[] = {
    {2, 1, 9, 2, 0}, {9, 2, 2, 9, 1}, {3, 3, 7, 3, 1}, {6, 4, 4, 3, 2}, {1, 5, 7, 3, 2},
    {5, 6, 6, 3, 3}, {4, 7, 7, 3, 3}, {7, 8, 9, 7, 1}, {8, 9, 9, 7, 2},
};

static void test_number_demo_tree(void **state)
{
	struct jurisdiction t[9], r[9];

	(void)state;
	for (size_t rot = 0; rot < 9; rot++) {
		demo_tree(t);
		for (size_t i = 0; i < 9; i++)
			r[i] = t[(i + rot) % 9];
		assert_int_equal(jur_number(r, 9), 0);
		expect_numbers(r, 9, demo_numbers, 9);
		/* The array is left in its order. */
		for (size_t i = 0; i < 9; i++)
			assert_int_equal(r[i].id, t[(i + rot) % 9].id);
	}
	/* Numbered again, the same numbers. */
	assert_int_equal(jur_number(r, 9), 0);
	expect_numbers(r, 9, demo_numbers, 9);
}

/* A chain, city to community, given bottom up. */
static void test_number_chain(void **state)
{
	struct jurisdiction t[4];
	static const struct numbered want[] = {
	    {10, 1, 4, 10, 0}, {11, 2, 4, 11, 1}, {12, 3, 4, 11, 2}, {13, 4, 4, 11, 3}};

	(void)state;
	t[0] = node(13, 12, JL_COMMUNITY, "village", "310230101001", "村");
	t[1] = node(12, 11, JL_TOWN, "town", "310230101", "镇");
	t[2] = node(11, 10, JL_DISTRICT, "county", "310230", "县");
	t[3] = node(10, 0, JL_CITY, "city", "310000", "市");
	assert_int_equal(jur_number(t, 4), 0);
	expect_numbers(t, 4, want, 4);
}

/*
 * Several tops, each its own tree, ordered by code: a lone town (the
 * district of itself and of its communities), a city whose towns hang
 * straight under it (each town its own district, since no district lies
 * above it), and a district alone.
 *
 *   20 000000000 town          lo 1 hi 2  district 20
 *     21 000000000001          lo 2 hi 2  district 20
 *   30 310000 city             lo 3 hi 6  district 30
 *     32 310000101 town        lo 4 hi 5  district 32
 *       33 310000101001        lo 5 hi 5  district 32
 *     31 310000102 town        lo 6 hi 6  district 31
 *   40 320101 district         lo 7 hi 7  district 40
 */
static void test_number_forest(void **state)
{
	struct jurisdiction t[7];
	static const struct numbered want[] = {
	    {20, 1, 2, 20, 0}, {21, 2, 2, 20, 1}, {30, 3, 6, 30, 0}, {32, 4, 5, 32, 1},
	    {33, 5, 5, 32, 2}, {31, 6, 6, 31, 1}, {40, 7, 7, 40, 0}};

	(void)state;
	t[0] = node(40, 0, JL_DISTRICT, "district", "320101", "玄武区");
	t[1] = node(31, 30, JL_TOWN, "town", "310000102", "乙镇");
	t[2] = node(33, 32, JL_COMMUNITY, "village", "310000101001", "村");
	t[3] = node(30, 0, JL_CITY, "city", "310000", "市");
	t[4] = node(21, 20, JL_COMMUNITY, "community", "000000000001", "社区");
	t[5] = node(32, 30, JL_TOWN, "town", "310000101", "甲镇");
	t[6] = node(20, 0, JL_TOWN, "town", "000000000", "本镇");
	assert_int_equal(jur_number(t, 7), 0);
	expect_numbers(t, 7, want, 7);
}

/* A database of one town: a tree of one, its own district (what
 * migration 009 writes: lo 1, hi 1, district 1). */
static void test_number_lone_town(void **state)
{
	struct jurisdiction t[1];
	static const struct numbered want[] = {{1, 1, 1, 1, 0}};

	(void)state;
	t[0] = node(1, 0, JL_TOWN, "town", "000000000", "本镇");
	t[0].lo = t[0].hi = 77;
	assert_int_equal(jur_number(t, 1), 0);
	expect_numbers(t, 1, want, 1);
	assert_int_equal(jur_number(t, 0), 0); /* nothing to number */
}

/* Wide: fifty towns under one district, given in reverse, numbered by
 * code. */
static void test_number_wide(void **state)
{
	struct jurisdiction t[51];

	(void)state;
	t[0] = node(1, 0, JL_DISTRICT, "district", "310116", "金山区");
	for (int i = 1; i <= 50; i++) {
		char code[16];
		snprintf(code, sizeof(code), "310116%03d", 151 - i);
		t[i] = node(100 + i, 1, JL_TOWN, "town", code, "镇");
	}
	assert_int_equal(jur_number(t, 51), 0);
	assert_int_equal(t[0].lo, 1);
	assert_int_equal(t[0].hi, 51);
	for (int i = 1; i <= 50; i++) {
		/* code 310116(151-i): the smallest code (101, i = 50) is first */
		assert_int_equal(t[i].lo, 2 + (50 - i));
		assert_int_equal(t[i].hi, t[i].lo);
		assert_int_equal(t[i].depth, 1);
		assert_int_equal(t[i].district_id, 1);
	}
}

/* Deep: a chain as long as the array, which fills the walk's stack. */
static void test_number_deep(void **state)
{
	enum { N = 200 };
	static struct jurisdiction t[N];

	(void)state;
	for (int i = 0; i < N; i++)
		t[i] = node(i + 1, i, i == 0 ? JL_CITY : JL_TOWN, "town", "310000101", "镇");
	assert_int_equal(jur_number(t, N), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(t[i].lo, i + 1);
		assert_int_equal(t[i].hi, N);
		assert_int_equal(t[i].depth, i);
	}
}

/* Refusals leave every node as it was. */
static void refused_unchanged(struct jurisdiction *t, size_t n)
{
	struct jurisdiction copy[16];

	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++) {
		t[i].lo = 100 + (int64_t)i;
		t[i].hi = 200 + (int64_t)i;
		t[i].depth = 7;
		t[i].district_id = 300 + (int64_t)i;
	}
	memcpy(copy, t, n * sizeof(*t));
	assert_int_equal(jur_number(t, n), -1);
	assert_memory_equal(copy, t, n * sizeof(*t));
}

static void test_number_refuses_broken_links(void **state)
{
	struct jurisdiction t[9];

	(void)state;
	/* A parent that is not there (Jinshan left out: its towns dangle). */
	demo_tree(t);
	t[2] = t[8];
	refused_unchanged(t, 8);
	/* A town whose parent id is unknown. */
	demo_tree(t);
	t[0].parent_id = 99;
	refused_unchanged(t, 9);
	/* A cycle beside a good tree: Songjiang under Jiuliting, which is
	 * under Songjiang. */
	demo_tree(t);
	t[7].parent_id = 8;
	refused_unchanged(t, 9);
	/* A node its own parent. */
	demo_tree(t);
	t[4].parent_id = 9;
	refused_unchanged(t, 9);
	/* No top at all: everything in one loop. */
	t[0] = node(1, 3, JL_TOWN, "town", "310116101", "甲");
	t[1] = node(2, 1, JL_TOWN, "town", "310116102", "乙");
	t[2] = node(3, 2, JL_TOWN, "town", "310116103", "丙");
	refused_unchanged(t, 3);
}

/* ------------------------------------------------------------------ */
/* The USCC's region                                                    */

static void test_uscc_region(void **state)
{
	(void)state;
	/* Characters 3 to 8 are the registering authority's division. */
	assert_int_equal(jur_uscc_region_matches("91310116132210210E", "310116"), 1);
	assert_int_equal(jur_uscc_region_matches("91310116MA1K0004XF", "310116"), 1);
	assert_int_equal(jur_uscc_region_matches("91310116132210210E", "310117"), 0);
	/* Registered in Putuo; the check characters are not this rule's. */
	assert_int_equal(jur_uscc_region_matches("913101070000000000", "310116"), 0);
	assert_int_equal(jur_uscc_region_matches("913101070000000000", "310107"), 1);
	/* A district code is compared on its six digits, even when a
	 * longer one is given. */
	assert_int_equal(jur_uscc_region_matches("91310116132210210E", "310116103"), 1);
	/* Registered at the city level (310000) or with the city's districts
	 * as one (310100): nothing to compare with. */
	assert_int_equal(jur_uscc_region_matches("913100000000000001", "310116"), -1);
	assert_int_equal(jur_uscc_region_matches("913101000000000001", "310116"), -1);
	/* Xiamen's city (350100), likewise. */
	assert_int_equal(jur_uscc_region_matches("91350100M000100Y43", "350102"), -1);
	/* Malformed: wrong length, letters in the region, nothing given. */
	assert_int_equal(jur_uscc_region_matches("91310116132210210", "310116"), -1);
	assert_int_equal(jur_uscc_region_matches("91310116132210210EE", "310116"), -1);
	assert_int_equal(jur_uscc_region_matches("9131A116132210210E", "310116"), -1);
	assert_int_equal(jur_uscc_region_matches("", "310116"), -1);
	assert_int_equal(jur_uscc_region_matches(NULL, "310116"), -1);
	assert_int_equal(jur_uscc_region_matches("91310116132210210E", NULL), -1);
	assert_int_equal(jur_uscc_region_matches("91310116132210210E", ""), -1);
	assert_int_equal(jur_uscc_region_matches("91310116132210210E", "31011"), -1);
}

/* ------------------------------------------------------------------ */
/* Scopes                                                               */

static struct jur_pos pos_of(const struct jurisdiction *t, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return (struct jur_pos){t[i].lo, t[i].hi};
	fail_msg("no node %lld", (long long)id);
	return (struct jur_pos){0, 0};
}

static struct jur_scope scope_of(const struct jurisdiction *t, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return jur_scope_of(&t[i]);
	fail_msg("no node %lld", (long long)id);
	return jur_scope_all();
}

static void test_scope_of(void **state)
{
	struct jurisdiction t[9];
	struct jur_scope s, zero;

	(void)state;
	demo_tree(t);
	assert_int_equal(jur_number(t, 9), 0);
	/* A city's scope spans several districts: none of them. */
	s = scope_of(t, 9, 2);
	assert_int_equal(s.id, 2);
	assert_int_equal(s.lo, 1);
	assert_int_equal(s.hi, 9);
	assert_int_equal(s.district_id, 0);
	assert_int_equal(s.level, JL_CITY);
	/* A district's and a town's: their district. */
	s = scope_of(t, 9, 3);
	assert_int_equal(s.district_id, 3);
	assert_int_equal(s.level, JL_DISTRICT);
	s = scope_of(t, 9, 1);
	assert_int_equal(s.lo, 5);
	assert_int_equal(s.hi, 7);
	assert_int_equal(s.district_id, 3);
	assert_int_equal(s.level, JL_TOWN);
	/* The whole tree, made or zeroed, holds everything. */
	s = jur_scope_all();
	assert_int_equal(s.id, 0);
	assert_int_equal(s.lo, 0);
	assert_int_equal(s.hi, INT64_MAX);
	memset(&zero, 0, sizeof(zero));
	for (int64_t id = 1; id <= 9; id++) {
		struct jur_pos p = pos_of(t, 9, id);
		assert_true(jur_in_scope(&s, &p));
		assert_true(jur_in_scope(&zero, &p));
		assert_true(jur_sees(&zero, &p));
	}
}

/*
 * jur_in_scope and jur_sees, scope by record, from a table: for each
 * scope, one character per record in the order of ids 1..9
 *   1 张堰镇  2 上海市  3 金山区  4 park  5 community  6 朱泾镇
 *   7 松江区  8 九里亭  9 普陀区
 * in: the record lies in the scope's subtree; sees: it does, or it lies
 * on the path above the scope's top.
 */
static void test_in_scope_and_sees(void **state)
{
	static const struct {
		int64_t scope;
		const char *in, *sees;
	} table[] = {
	    /*            ids: 123456789    123456789 */
	    {2 /* city */, "111111111", "111111111"},
	    {3 /* Jinshan */, "101111000", "111111000"},
	    {1 /* Zhangyan */, "100110000", "111110000"},
	    {4 /* park */, "000100000", "111100000"},
	    {6 /* Zhujing */, "000001000", "011001000"},
	    {7 /* Songjiang */, "000000110", "010000110"},
	    {8 /* Jiuliting */, "000000010", "010000110"},
	    {9 /* Putuo */, "000000001", "010000001"},
	};
	struct jurisdiction t[9];
	int failures = 0;

	(void)state;
	demo_tree(t);
	assert_int_equal(jur_number(t, 9), 0);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct jur_scope s = scope_of(t, 9, table[i].scope);
		for (int64_t id = 1; id <= 9; id++) {
			struct jur_pos p = pos_of(t, 9, id);
			int in = jur_in_scope(&s, &p), sees = jur_sees(&s, &p);
			if (in != (table[i].in[id - 1] == '1') ||
			    sees != (table[i].sees[id - 1] == '1')) {
				print_error("scope %lld, record %lld: in %d sees %d\n",
				            (long long)table[i].scope, (long long)id, in, sees);
				failures++;
			}
		}
	}
	assert_int_equal(failures, 0);
}

static void test_scope_within(void **state)
{
	struct jurisdiction t[9];
	struct jur_scope all = jur_scope_all(), zero, city, jinshan, zhangyan, park, putuo;

	(void)state;
	demo_tree(t);
	assert_int_equal(jur_number(t, 9), 0);
	memset(&zero, 0, sizeof(zero));
	city = scope_of(t, 9, 2);
	jinshan = scope_of(t, 9, 3);
	zhangyan = scope_of(t, 9, 1);
	park = scope_of(t, 9, 4);
	putuo = scope_of(t, 9, 9);

	/* Everything lies within the whole tree, zeroed or made. */
	assert_true(jur_scope_within(&zero, &zero));
	assert_true(jur_scope_within(&all, &zero));
	assert_true(jur_scope_within(&zero, &all));
	assert_true(jur_scope_within(&park, &zero));
	assert_true(jur_scope_within(&city, &all));
	/* The whole tree lies within no node, not even the city at the top. */
	assert_false(jur_scope_within(&zero, &city));
	assert_false(jur_scope_within(&all, &jinshan));
	/* Narrower or equal, never wider nor beside. */
	assert_true(jur_scope_within(&jinshan, &jinshan));
	assert_true(jur_scope_within(&zhangyan, &jinshan));
	assert_true(jur_scope_within(&park, &jinshan));
	assert_true(jur_scope_within(&park, &zhangyan));
	assert_true(jur_scope_within(&putuo, &city));
	assert_false(jur_scope_within(&jinshan, &zhangyan));
	assert_false(jur_scope_within(&city, &jinshan));
	assert_false(jur_scope_within(&putuo, &jinshan));
	assert_false(jur_scope_within(&jinshan, &putuo));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_levels_and_kinds),
	    cmocka_unit_test(test_validate_node_rules),
	    cmocka_unit_test(test_validate_parent_rules),
	    cmocka_unit_test(test_check_order),
	    cmocka_unit_test(test_would_cycle),
	    cmocka_unit_test(test_number_demo_tree),
	    cmocka_unit_test(test_number_chain),
	    cmocka_unit_test(test_number_forest),
	    cmocka_unit_test(test_number_lone_town),
	    cmocka_unit_test(test_number_wide),
	    cmocka_unit_test(test_number_deep),
	    cmocka_unit_test(test_number_refuses_broken_links),
	    cmocka_unit_test(test_uscc_region),
	    cmocka_unit_test(test_scope_of),
	    cmocka_unit_test(test_in_scope_and_sees),
	    cmocka_unit_test(test_scope_within),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
