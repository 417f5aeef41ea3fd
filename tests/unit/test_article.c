/*
 * The article before a noun named by a variable: what the server's
 * messages say of roles, levels and kinds ("an enterprise may not ...").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "util/article.h"

static const struct {
	const char *noun, *want;
} nouns[] = {
    /* the roles */
    {"admin", "an"},
    {"officer", "an"},
    {"enterprise", "an"},
    {"secretary", "a"},
    {"handler", "a"},
    {"grid_worker", "a"},
    {"public", "a"},
    /* levels, kinds, requests, things */
    {"event", "an"},
    {"organisation", "an"},
    {"alliance", "an"},
    {"application", "an"},
    {"extension", "an"},
    {"item", "an"},
    {"unknown", "an"},
    {"update", "an"},
    {"case", "a"},
    {"district", "a"},
    {"community", "a"},
    {"park", "a"},
    {"return", "a"},
    {"suggestion", "a"},
    /* a vowel letter that sounds as a consonant, a silent h */
    {"user", "a"},
    {"unit", "a"},
    {"usual", "a"},
    {"one-off", "a"},
    {"hour", "an"},
    {"honest", "an"},
    {"house", "a"},
    /* any case; nothing at all */
    {"Enterprise", "an"},
    {"OFFICER", "an"},
    {"User", "a"},
    {"", "a"},
};

static void test_nouns(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++) {
		const char *got = article(nouns[i].noun);
		if (strcmp(got, nouns[i].want) != 0)
			fail_msg("article(\"%s\") = \"%s\", want \"%s\"", nouns[i].noun, got,
			         nouns[i].want);
	}
}

static void test_null(void **state)
{
	(void)state;
	assert_string_equal(article(NULL), "a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nouns),
	    cmocka_unit_test(test_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
