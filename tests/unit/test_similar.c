/*
 * Similar cases: shingles after NFKC and case folding, their Jaccard
 * similarity, and the score with distance.  The expected sets are counted
 * by hand: the bigrams of each text are written next to it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "domain/similar.h"

#define MAXSH 256

/* cmocka 1.1 compares floats only, at float precision. */
#define assert_near(got, want) assert_near_at((got), (want), #got, __LINE__)

static void assert_near_at(double got, double want, const char *what, int line)
{
	if (!(fabs(got - want) < 1e-12))
		fail_msg("line %d: %s = %.15g, expected %.15g", line, what, got, want);
}

/* The shingles of a text, asserting that it is UTF-8. */
static int sh(const char *text, uint32_t *out)
{
	int n = similar_shingles(text, out, MAXSH);

	if (n < 0)
		fail_msg("\"%s\": not UTF-8?", text);
	return n;
}

static double jaccard_of(const char *x, const char *y)
{
	uint32_t a[MAXSH], b[MAXSH];
	int na = sh(x, a), nb = sh(y, b);

	return similar_jaccard(a, na, b, nb);
}

static void expect_same(const char *x, const char *y)
{
	uint32_t a[MAXSH], b[MAXSH];
	int na = sh(x, a), nb = sh(y, b);

	if (na != nb || memcmp(a, b, (size_t)na * sizeof(*a)) != 0)
		fail_msg("\"%s\" (%d shingles) and \"%s\" (%d) differ", x, na, y, nb);
	assert_true(na > 0);
}

static void test_identical_and_disjoint(void **state)
{
	(void)state;
	assert_near(jaccard_of("路灯坏了", "路灯坏了"), 1.0);
	/* 路灯 灯坏 坏了 against 水管 管漏 漏水: nothing shared. */
	assert_near(jaccard_of("路灯坏了", "水管漏水"), 0.0);
	assert_near(jaccard_of("broken street light", "broken street light"), 1.0);
}

static void test_worked_jaccard(void **state)
{
	uint32_t a[MAXSH], b[MAXSH];

	(void)state;
	/* 路灯 灯坏 坏了 (3) within 路灯 灯坏 坏了 了请 请修 修理 (6):
	 * 3 shared of 6 in all, 3/6 = 0.5. */
	assert_int_equal(sh("路灯坏了", a), 3);
	assert_int_equal(sh("路灯坏了请修理", b), 6);
	assert_near(similar_jaccard(a, 3, b, 6), 0.5);
	assert_near(similar_jaccard(b, 6, a, 3), 0.5);

	/* 路灯 灯坏 坏了 against 路灯 灯不 不亮 亮了: 路灯 shared,
	 * 3 + 4 - 1 = 6 in all, 1/6. */
	assert_int_equal(sh("路灯不亮了", b), 4);
	assert_near(similar_jaccard(a, 3, b, 4), 1.0 / 6);

	/* Hand-made sets: {1,2,3} and {2,3,4,5} share 2 of 5. */
	{
		const uint32_t x[] = {1, 2, 3}, y[] = {2, 3, 4, 5};
		assert_near(similar_jaccard(x, 3, y, 4), 0.4);
		assert_near(similar_jaccard(y, 4, x, 3), 0.4);
		assert_near(similar_jaccard(x, 3, x, 3), 1.0);
		assert_near(similar_jaccard(x, 3, y, 0), 0.0);
		/* Two empty sets are no evidence of a duplicate. */
		assert_near(similar_jaccard(x, 0, y, 0), 0.0);
		/* A failed shingling (-1) counts as empty. */
		assert_near(similar_jaccard(x, -1, y, 4), 0.0);
	}
}

static void test_folding(void **state)
{
	(void)state;
	/* Full-width letters and digits are the ASCII ones (NFKC), upper
	 * case the lower (case folding). */
	expect_same("ＡＢＣ", "abc");
	expect_same("ＡＢＣ", "ABC");
	expect_same("１２３号楼", "123号楼");
	/* Compatibility characters: the circled digit and the ligature. */
	expect_same("第①期", "第1期");
	expect_same("ﬁre", "FIRE");
	/* English, whatever the case. */
	expect_same("Broken Street Light", "broken street light");
	expect_same("BROKEN STREET LIGHT", "broken street light");
	/* Composed and decomposed é are one character. */
	expect_same("caf\xc3\xa9", "cafe\xcc\x81");
}

static void test_punctuation_ignored(void **state)
{
	(void)state;
	/* 路灯 灯坏 坏了 whatever is typed in between. */
	expect_same("路灯，坏了！", "路灯坏了");
	expect_same("路 灯 坏 了", "路灯坏了");
	expect_same("【路灯】坏了。。。", "路灯坏了");
	expect_same("\"路灯\"—坏了?!", "路灯坏了");
	/* Symbols too: emoji, currency. */
	expect_same("路灯坏了😡", "路灯坏了");
	expect_same("broken, street-light!", "brokenstreetlight");
}

static void test_shingle_sets(void **state)
{
	uint32_t a[MAXSH], b[MAXSH];
	int n;

	(void)state;
	/* Nothing to compare. */
	assert_int_equal(sh("", a), 0);
	assert_int_equal(sh("，。！？ ", a), 0);
	assert_int_equal(similar_shingles(NULL, a, MAXSH), 0);
	/* One character: one shingle, which matches itself... */
	assert_int_equal(sh("漏", a), 1);
	assert_int_equal(sh("漏！", b), 1);
	assert_near(similar_jaccard(a, 1, b, 1), 1.0);
	/* ...but is not the bigram of two. */
	assert_int_equal(sh("漏水", b), 1);
	assert_near(similar_jaccard(a, 1, b, 1), 0.0);
	/* Deduplicated: 哈哈 three times; ab ba ab. */
	assert_int_equal(sh("哈哈哈哈", a), 1);
	assert_int_equal(sh("abab", a), 2);
	/* Sorted, strictly: a b c d e f g h i j gives 9 bigrams. */
	n = sh("abcdefghij", a);
	assert_int_equal(n, 9);
	for (int i = 1; i < n; i++)
		assert_true(a[i - 1] < a[i]);
	/* Fixed: the same text gives the same shingles every time. */
	assert_int_equal(sh("abcdefghij", b), 9);
	assert_memory_equal(a, b, 9 * sizeof(*a));
}

static void test_max(void **state)
{
	uint32_t all[MAXSH], few[MAXSH];

	(void)state;
	/* Over max, the smallest hashes: the first of the full set. */
	assert_int_equal(sh("abcdefghij", all), 9);
	memset(few, 0, sizeof(few));
	assert_int_equal(similar_shingles("abcdefghij", few, 4), 4);
	assert_memory_equal(few, all, 4 * sizeof(*few));
	assert_int_equal(few[4], 0);
	assert_int_equal(similar_shingles("abcdefghij", few, 9), 9);
	assert_int_equal(similar_shingles("abcdefghij", few, 10), 9);
	assert_int_equal(similar_shingles("abcdefghij", NULL, 0), 0);
}

static void test_invalid_utf8(void **state)
{
	uint32_t a[MAXSH];

	(void)state;
	assert_int_equal(similar_shingles("\xff\xfe", a, MAXSH), -1);
	assert_int_equal(similar_shingles("路灯\xe5\x9d", a, MAXSH), -1); /* cut short */
	assert_int_equal(similar_shingles("\xc0\xaf", a, MAXSH), -1);     /* overlong / */
	assert_int_equal(similar_shingles("\xed\xa0\x80", a, MAXSH), -1); /* surrogate */
	assert_int_equal(similar_shingles("abc\x80", a, MAXSH), -1);
	/* Not UTF-8 is said even when nothing would be written. */
	assert_int_equal(similar_shingles("\xff", NULL, 0), -1);
}

static void test_score(void **state)
{
	(void)state;
	/* 100 m: 0.4 + 0.2 × (1 − 0.1/0.5) = 0.4 + 0.16 = 0.56, offered. */
	assert_near(similar_score(0.4, 0.1), 0.56);
	assert_true(similar_score(0.4, 0.1) >= SIMILAR_THRESHOLD);
	/* 2 km: nothing added, not offered. */
	assert_near(similar_score(0.4, 2.0), 0.4);
	assert_true(similar_score(0.4, 2.0) < SIMILAR_THRESHOLD);
	/* Same place: the full 0.2; 500 m exactly: nothing. */
	assert_near(similar_score(0.4, 0.0), 0.6);
	assert_near(similar_score(0.4, 0.5), 0.4);
	/* 250 m: 0.3 + 0.2 × 0.5 = 0.4. */
	assert_near(similar_score(0.3, 0.25), 0.4);
	/* Unknown distance adds nothing. */
	assert_near(similar_score(0.4, -1.0), 0.4);
	assert_near(similar_score(0.4, NAN), 0.4);
	/* Capped at 1. */
	assert_near(similar_score(0.9, 0.0), 1.0);
	assert_near(similar_score(1.0, 0.1), 1.0);
	/* Text alone at the threshold is offered. */
	assert_true(similar_score(0.5, -1.0) >= SIMILAR_THRESHOLD);

	/* The worked pair of texts: 0.5 alone is a candidate already. */
	assert_true(similar_score(jaccard_of("路灯坏了", "路灯坏了请修理"), -1.0) >=
	            SIMILAR_THRESHOLD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_identical_and_disjoint),
	    cmocka_unit_test(test_worked_jaccard),
	    cmocka_unit_test(test_folding),
	    cmocka_unit_test(test_punctuation_ignored),
	    cmocka_unit_test(test_shingle_sets),
	    cmocka_unit_test(test_max),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_score),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
