/*
 * Drafting an agenda (domain/agenda.h) on hand-built cases: overdue
 * first, then problems several enterprises share, then by age; similar
 * cases grouped whichever side found the pair; the department most of an
 * item's cases lie with; the same agenda whatever order the cases come
 * in.  The expected orders are worked out by hand beside each case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "domain/agenda.h"

#define DAY    86400
#define NOW    (1000 * DAY)
#define AGO(d) (NOW - (int64_t)(d)*DAY)
#define IN(d)  (NOW + (int64_t)(d)*DAY)

/* Similarity from a table of pairs of case ids, one side only: the
 * drafting must join them from either. */
struct pairs {
	const struct agenda_case *c;
	int n;
	const int64_t (*p)[2];
	int np;
};

static int index_of(const struct pairs *s, int64_t id)
{
	for (int i = 0; i < s->n; i++)
		if (s->c[i].id == id)
			return i;
	return -1;
}

static int sim(void *ctx, int i, int *out, int max)
{
	struct pairs *s = ctx;
	int m = 0;

	for (int k = 0; k < s->np && m < max; k++)
		if (s->p[k][0] == s->c[i].id)
			out[m++] = index_of(s, s->p[k][1]);
	return m;
}

static int failing(void *ctx, int i, int *out, int max)
{
	(void)ctx, (void)i, (void)out, (void)max;
	return -1;
}

/* The ids of item k's cases, as a string "3,7". */
static void ids_of(const struct agenda *a, const struct agenda_case *c, int k, char *out)
{
	out[0] = '\0';
	for (int i = 0; i < a->items[k].n; i++) {
		char one[24];
		snprintf(one, sizeof(one), "%s%lld", i ? "," : "",
		         (long long)c[a->cases[a->items[k].first + i]].id);
		strcat(out, one);
	}
}

/*
 *   id ent dept created deadline   why
 *   1  10  100  30 ago   in 5      age, oldest of the loners
 *   2  11  100  10 ago   2 ago     overdue by 2 days
 *   3  12  200  20 ago   9 ago     overdue by 9 days: before 2
 *   4  13  200   5 ago   in 9  }   similar to 5 and 6: shared by 3
 *   5  14  300   8 ago   in 9  }   enterprises, department 200 (2 of 3,
 *   6  15  200   6 ago   in 9  }   not 300)
 *   7  16  100  12 ago   in 3  }   similar to each other: shared by 2
 *   8  17  300  15 ago   in 3  }   (dept tie: the oldest case's, 300)
 *   9  18  100   2 ago   in 8      age, youngest
 *  10  10  100  25 ago   in 8  }   same enterprise twice: one enterprise,
 *  11  10  100  24 ago   in 8  }   so by age, not shared
 *
 * Order: 3, 2 (overdue, longest first); {4,5,6} (3 enterprises), {7,8}
 * (2); then by age of the oldest case: 1 (30), {10,11} (25), 9 (2).
 */
static const struct agenda_case town[] = {
    {1, 10, 100, AGO(30), IN(5)},  {2, 11, 100, AGO(10), AGO(2)}, {3, 12, 200, AGO(20), AGO(9)},
    {4, 13, 200, AGO(5), IN(9)},   {5, 14, 300, AGO(8), IN(9)},   {6, 15, 200, AGO(6), IN(9)},
    {7, 16, 100, AGO(12), IN(3)},  {8, 17, 300, AGO(15), IN(3)},  {9, 18, 100, AGO(2), IN(8)},
    {10, 10, 100, AGO(25), IN(8)}, {11, 10, 100, AGO(24), IN(8)},
};
static const int64_t town_pairs[][2] = {{4, 5}, {6, 5}, {8, 7}, {11, 10}};

static void test_ranking(void **state)
{
	struct pairs p = {town, 11, town_pairs, 4};
	struct agenda a;
	char ids[64];
	static const char *const want[] = {"3", "2", "5,6,4", "8,7", "1", "10,11", "9"};
	static const enum agenda_reason why[] = {AGENDA_OVERDUE, AGENDA_OVERDUE, AGENDA_SHARED,
	                                         AGENDA_SHARED,  AGENDA_AGE,     AGENDA_AGE,
	                                         AGENDA_AGE};
	static const int64_t dept[] = {200, 100, 200, 300, 100, 100, 100};
	static const int ents[] = {1, 1, 3, 2, 1, 1, 1};

	(void)state;
	assert_int_equal(agenda_draft(town, 11, NOW, sim, &p, &a), 0);
	assert_int_equal(a.nitems, 7);
	assert_int_equal(a.ncases, 11);
	for (int k = 0; k < 7; k++) {
		ids_of(&a, town, k, ids);
		assert_string_equal(ids, want[k]);
		assert_int_equal(a.items[k].reason, why[k]);
		assert_int_equal(a.items[k].department_id, dept[k]);
		assert_int_equal(a.items[k].enterprises, ents[k]);
	}
	/* An item's dates: its oldest intake and earliest deadline. */
	assert_int_equal(a.items[2].oldest, AGO(8));
	assert_int_equal(a.items[0].deadline, AGO(9));
	agenda_free(&a);
}

/* An overdue case pulls its whole group to the front. */
static void test_overdue_group(void **state)
{
	static const struct agenda_case c[] = {
	    {1, 1, 7, AGO(3), IN(2)},
	    {2, 2, 7, AGO(4), IN(2)},
	    {3, 3, 8, AGO(50), AGO(1)},
	    {4, 4, 9, AGO(60), IN(1)},
	};
	static const int64_t pairs[][2] = {{1, 3}};
	struct pairs p = {c, 4, pairs, 1};
	struct agenda a;
	char ids[64];

	(void)state;
	assert_int_equal(agenda_draft(c, 4, NOW, sim, &p, &a), 0);
	assert_int_equal(a.nitems, 3);
	ids_of(&a, c, 0, ids);
	assert_string_equal(ids, "3,1");
	assert_int_equal(a.items[0].reason, AGENDA_OVERDUE);
	assert_int_equal(a.items[0].enterprises, 2);
	/* Departments 8 and 7 tie at one case each: the oldest case's. */
	assert_int_equal(a.items[0].department_id, 8);
	ids_of(&a, c, 1, ids);
	assert_string_equal(ids, "4");
	ids_of(&a, c, 2, ids);
	assert_string_equal(ids, "2");
	agenda_free(&a);
}

/* The input's order changes nothing: reversed, the same agenda. */
static void test_order_independent(void **state)
{
	struct agenda_case rev[11];
	struct pairs p1 = {town, 11, town_pairs, 4}, p2;
	struct agenda a, b;
	char x[64], y[64];

	(void)state;
	for (int i = 0; i < 11; i++)
		rev[i] = town[10 - i];
	p2 = (struct pairs){rev, 11, town_pairs, 4};
	assert_int_equal(agenda_draft(town, 11, NOW, sim, &p1, &a), 0);
	assert_int_equal(agenda_draft(rev, 11, NOW, sim, &p2, &b), 0);
	assert_int_equal(a.nitems, b.nitems);
	for (int k = 0; k < a.nitems; k++) {
		ids_of(&a, town, k, x);
		ids_of(&b, rev, k, y);
		assert_string_equal(x, y);
	}
	agenda_free(&a);
	agenda_free(&b);
}

/* Chains join: a~b and b~c make one item of three. */
static void test_transitive(void **state)
{
	static const struct agenda_case c[] = {
	    {1, 1, 5, AGO(3), IN(9)}, {2, 2, 5, AGO(2), IN(9)}, {3, 3, 5, AGO(1), IN(9)}};
	static const int64_t pairs[][2] = {{1, 2}, {3, 2}};
	struct pairs p = {c, 3, pairs, 2};
	struct agenda a;
	char ids[64];

	(void)state;
	assert_int_equal(agenda_draft(c, 3, NOW, sim, &p, &a), 0);
	assert_int_equal(a.nitems, 1);
	ids_of(&a, c, 0, ids);
	assert_string_equal(ids, "1,2,3");
	assert_int_equal(a.items[0].enterprises, 3);
	agenda_free(&a);
}

/* No similarity: one item a case, overdue then by age; nothing at all:
 * an empty agenda; a failing similarity: an error and nothing held. */
static void test_edges(void **state)
{
	struct agenda a;

	(void)state;
	assert_int_equal(agenda_draft(town, 11, NOW, NULL, NULL, &a), 0);
	assert_int_equal(a.nitems, 11);
	assert_int_equal(town[a.cases[a.items[0].first]].id, 3);
	assert_int_equal(town[a.cases[a.items[1].first]].id, 2);
	assert_int_equal(town[a.cases[a.items[2].first]].id, 1);
	agenda_free(&a);
	assert_int_equal(agenda_draft(town, 0, NOW, NULL, NULL, &a), 0);
	assert_int_equal(a.nitems, 0);
	assert_null(a.items);
	assert_int_equal(agenda_draft(town, 11, NOW, failing, NULL, &a), -1);
	assert_int_equal(a.nitems, 0);
	assert_null(a.items);
	assert_string_equal(agenda_reason_name(AGENDA_SHARED), "shared");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ranking),
	    cmocka_unit_test(test_overdue_group),
	    cmocka_unit_test(test_order_independent),
	    cmocka_unit_test(test_transitive),
	    cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
