/* Entity-tag lists and their comparison (src/http/conditional.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/conditional.h"

/* The current tags of a record at version 3 sent gzip-coded first. */
static const char *const both[] = {"\"v3-gz\"", "\"v3\""};
static const char *const plain[] = {"\"v3\""};

static enum cond inm(const char *field, const char *const *tags, int n, int *which)
{
	return cond_if_none_match(field, tags, n, which);
}

static enum cond im(const char *field, const char *const *tags, int n, int *which)
{
	return cond_if_match(field, tags, n, which);
}

static void test_absent(void **state)
{
	int which = 7;

	(void)state;
	assert_int_equal(inm(NULL, plain, 1, &which), COND_ABSENT);
	assert_int_equal(which, -1);
	assert_int_equal(im(NULL, plain, 1, NULL), COND_ABSENT);
}

static void test_none_match_single(void **state)
{
	int which;

	(void)state;
	assert_int_equal(inm("\"v3\"", plain, 1, &which), COND_MATCH);
	assert_int_equal(which, 0);
	assert_int_equal(inm("\"v2\"", plain, 1, &which), COND_NO_MATCH);
	assert_int_equal(which, -1);
	/* Not a prefix, not case-folded. */
	assert_int_equal(inm("\"v\"", plain, 1, NULL), COND_NO_MATCH);
	assert_int_equal(inm("\"v33\"", plain, 1, NULL), COND_NO_MATCH);
	assert_int_equal(inm("\"V3\"", plain, 1, NULL), COND_NO_MATCH);
}

static void test_none_match_is_weak(void **state)
{
	int which;

	(void)state;
	/* Weak comparison: W/ on either side does not matter. */
	assert_int_equal(inm("W/\"v3\"", plain, 1, &which), COND_MATCH);
	assert_int_equal(which, 0);
	{
		const char *const weak[] = {"W/\"v3\""};
		assert_int_equal(inm("\"v3\"", weak, 1, &which), COND_MATCH);
		assert_int_equal(inm("W/\"v3\"", weak, 1, &which), COND_MATCH);
	}
	/* "W/" is case-sensitive: w/ is not a tag at all. */
	assert_int_equal(inm("w/\"v3\"", plain, 1, NULL), COND_MALFORMED);
}

static void test_none_match_lists(void **state)
{
	int which;

	(void)state;
	assert_int_equal(inm("\"a\", \"b\", \"v3\"", plain, 1, &which), COND_MATCH);
	assert_int_equal(which, 0);
	assert_int_equal(inm("\"a\",\"b\"", plain, 1, &which), COND_NO_MATCH);
	/* Tabs and spaces around commas, empty elements (RFC 9110 §5.6.1). */
	assert_int_equal(inm(" \t\"a\" \t,\t W/\"v3\" ", plain, 1, &which), COND_MATCH);
	assert_int_equal(inm(",\"v3\"", plain, 1, NULL), COND_MATCH);
	assert_int_equal(inm("\"v3\",", plain, 1, NULL), COND_MATCH);
	assert_int_equal(inm("\"a\", , ,\"v3\"", plain, 1, NULL), COND_MATCH);
	/* An empty list lists nothing. */
	assert_int_equal(inm("", plain, 1, NULL), COND_NO_MATCH);
	assert_int_equal(inm(" , ,", plain, 1, NULL), COND_NO_MATCH);
	/* A comma inside the quotes is part of the tag. */
	{
		const char *const odd[] = {"\"a,b\""};
		assert_int_equal(inm("\"a,b\"", odd, 1, NULL), COND_MATCH);
		assert_int_equal(inm("\"a\",\"b\"", odd, 1, NULL), COND_NO_MATCH);
	}
}

static void test_none_match_star(void **state)
{
	int which;

	(void)state;
	assert_int_equal(inm("*", plain, 1, &which), COND_MATCH);
	assert_int_equal(which, 0);
	assert_int_equal(inm("  *  ", both, 2, &which), COND_MATCH);
	assert_int_equal(which, 0);
	/* "*" stands alone: it is not a member of a list. */
	assert_int_equal(inm("*, \"v3\"", plain, 1, NULL), COND_MALFORMED);
	assert_int_equal(inm("\"v3\", *", plain, 1, NULL), COND_MALFORMED);
}

static void test_which_prefers_the_callers_order(void **state)
{
	int which;

	(void)state;
	/* The client holds the identity form: that one is named. */
	assert_int_equal(inm("\"v3\"", both, 2, &which), COND_MATCH);
	assert_int_equal(which, 1);
	assert_int_equal(inm("W/\"v3-gz\"", both, 2, &which), COND_MATCH);
	assert_int_equal(which, 0);
	/* Both held: the first current tag wins, whatever the list's order. */
	assert_int_equal(inm("\"v3\", \"v3-gz\"", both, 2, &which), COND_MATCH);
	assert_int_equal(which, 0);
	/* An older version's gzip form matches neither. */
	assert_int_equal(inm("\"v2-gz\", \"v2\"", both, 2, &which), COND_NO_MATCH);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
	    "v3",              /* no quotes */
	    "\"v3",            /* unterminated */
	    "\"v3\" \"v4\"",   /* no comma between */
	    "\"v3\";q=1",      /* junk after a tag */
	    "W/ \"v3\"",       /* space after W/ */
	    "W/v3",            /* weak without quotes */
	    "\"v 3\"",         /* space is not an etagc */
	    "\"v\x01\"",       /* nor a control character */
	    "**",              /* a star twice */
	    "\"a\", b",        /* one bad element spoils the list */
	    "\"v3\" , \"v4\"x" /* junk at the end */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(inm(bad[i], plain, 1, NULL), COND_MALFORMED);
		assert_int_equal(im(bad[i], plain, 1, NULL), COND_MALFORMED);
	}
	/* A matching tag before the fault does not make it a match. */
	assert_int_equal(inm("\"v3\", oops", plain, 1, NULL), COND_MALFORMED);
	/* obs-text (bytes above 0x7f) is allowed inside a tag. */
	{
		const char *const utf8[] = {"\"\xe7\x89\x88\""};
		assert_int_equal(inm("\"\xe7\x89\x88\"", utf8, 1, NULL), COND_MATCH);
	}
}

static void test_if_match_is_strong(void **state)
{
	int which;

	(void)state;
	assert_int_equal(im("\"v3\"", plain, 1, &which), COND_MATCH);
	assert_int_equal(which, 0);
	/* A weak tag never matches strongly, listed or current. */
	assert_int_equal(im("W/\"v3\"", plain, 1, NULL), COND_NO_MATCH);
	{
		const char *const weak[] = {"W/\"v3\""};
		assert_int_equal(im("\"v3\"", weak, 1, NULL), COND_NO_MATCH);
		assert_int_equal(im("W/\"v3\"", weak, 1, NULL), COND_NO_MATCH);
		/* and "*" needs a representation that can be compared strongly */
		assert_int_equal(im("*", weak, 1, NULL), COND_NO_MATCH);
	}
	assert_int_equal(im("\"v2\"", plain, 1, NULL), COND_NO_MATCH);
}

static void test_if_match_lists_and_star(void **state)
{
	int which;

	(void)state;
	assert_int_equal(im("\"v1\", \"v2\", \"v3\"", plain, 1, &which), COND_MATCH);
	assert_int_equal(which, 0);
	assert_int_equal(im("W/\"v3\", \"v2\"", plain, 1, NULL), COND_NO_MATCH);
	assert_int_equal(im("W/\"v3\", \"v3\"", plain, 1, NULL), COND_MATCH);
	assert_int_equal(im("*", plain, 1, &which), COND_MATCH);
	assert_int_equal(which, 0);
	/* The gzip form names the same version. */
	assert_int_equal(im("\"v3-gz\"", both, 2, &which), COND_MATCH);
	assert_int_equal(which, 0);
	assert_int_equal(im("\"v3\"", both, 2, &which), COND_MATCH);
	assert_int_equal(which, 1);
	assert_int_equal(im("", plain, 1, NULL), COND_NO_MATCH);
}

static void test_unreadable_current_tags(void **state)
{
	const char *const odd[] = {"v3", NULL, "\"v3\""};
	int which;

	(void)state;
	/* A current tag that is not an entity-tag matches nothing and
	 * keeps its place. */
	assert_int_equal(inm("\"v3\"", odd, 3, &which), COND_MATCH);
	assert_int_equal(which, 2);
	assert_int_equal(inm("*", odd, 3, &which), COND_MATCH);
	assert_int_equal(which, 2);
	assert_int_equal(inm("*", odd, 2, &which), COND_NO_MATCH);
}

static void test_coded(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(etag_coded("\"v3\"", ETAG_GZIP_SUFFIX, out, sizeof(out)), 0);
	assert_string_equal(out, "\"v3-gz\"");
	assert_int_equal(etag_coded("W/\"a1\"", ETAG_GZIP_SUFFIX, out, sizeof(out)), 0);
	assert_string_equal(out, "W/\"a1-gz\"");
	assert_int_equal(etag_coded("\"\"", ETAG_GZIP_SUFFIX, out, sizeof(out)), 0);
	assert_string_equal(out, "\"-gz\"");
	/* Not a tag, or no room. */
	assert_int_equal(etag_coded("v3", ETAG_GZIP_SUFFIX, out, sizeof(out)), -1);
	assert_int_equal(etag_coded("\"v3\" ", ETAG_GZIP_SUFFIX, out, sizeof(out)), -1);
	assert_int_equal(etag_coded(NULL, ETAG_GZIP_SUFFIX, out, sizeof(out)), -1);
	assert_int_equal(etag_coded("\"v3\"", ETAG_GZIP_SUFFIX, out, 7), -1);
	assert_int_equal(etag_coded("\"v3\"", ETAG_GZIP_SUFFIX, out, 8), 0);
	/* The coded tag is a tag, and another one. */
	assert_int_equal(etag_coded("\"v3\"", ETAG_GZIP_SUFFIX, out, sizeof(out)), 0);
	{
		const char *const tags[] = {out};
		assert_int_equal(inm("\"v3-gz\"", tags, 1, NULL), COND_MATCH);
		assert_int_equal(inm("\"v3\"", tags, 1, NULL), COND_NO_MATCH);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_absent),
	    cmocka_unit_test(test_none_match_single),
	    cmocka_unit_test(test_none_match_is_weak),
	    cmocka_unit_test(test_none_match_lists),
	    cmocka_unit_test(test_none_match_star),
	    cmocka_unit_test(test_which_prefers_the_callers_order),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_if_match_is_strong),
	    cmocka_unit_test(test_if_match_lists_and_star),
	    cmocka_unit_test(test_unreadable_current_tags),
	    cmocka_unit_test(test_coded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
