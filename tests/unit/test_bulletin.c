/* Reading bulletin text into items. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bulletin.h"
#include "util/embed.h"

#define MAX_ITEMS 16

struct item {
	char title[400], published[16], tags[200], body[2000];
};

struct items {
	int n;
	struct item it[MAX_ITEMS];
	int fail_at; /* the callback fails on this item (1-based), 0: never */
};

static int collect(void *ctx, const struct bulletin_item *b)
{
	struct items *xs = ctx;
	struct item *it;

	if (xs->fail_at && xs->n + 1 == xs->fail_at)
		return -1;
	if (xs->n >= MAX_ITEMS)
		return -1;
	it = &xs->it[xs->n++];
	snprintf(it->title, sizeof(it->title), "%s", b->title ? b->title : "(null)");
	snprintf(it->published, sizeof(it->published), "%s", b->published ? b->published : "");
	snprintf(it->tags, sizeof(it->tags), "%s", b->tags ? b->tags : "(null)");
	snprintf(it->body, sizeof(it->body), "%s", b->body ? b->body : "(null)");
	return 0;
}

/* Two items in the text format. */
static const char sample[] =
    "Attracting 84 upstream enterprises... Zhangyan Town promotes integration\n"
    "\n"
    "Release time:Jul 01, 2024 15:07 PM\n"
    "\n"
    "On July 1, Zhangyan Town held a party class.\n"
    "\n"
    "It is reported that 274 enterprises are coordinated.\n"
    "\n"
    "Attracting 84 upstream enterprises... Zhangyan Town promotes integration\n"
    "Residents' suggestions adopted | tag1 | tag2\n"
    "Residents' suggestions adopted | tag1 | tag2\n"
    "\n"
    "On June 8th, the street opened a collection point.\n"
    "\n"
    "Golden ideas became golden keys.\n";

static void check_sample(const struct items *xs)
{
	assert_int_equal(xs->n, 2);

	assert_string_equal(
	    xs->it[0].title,
	    "Attracting 84 upstream enterprises... Zhangyan Town promotes integration");
	assert_string_equal(xs->it[0].tags, "");
	assert_string_equal(xs->it[0].published, "2024-07-01");
	/* Paragraphs joined by a blank line; neither the release line nor
	 * the repeated title is body. */
	assert_string_equal(xs->it[0].body, "On July 1, Zhangyan Town held a party class.\n\n"
	                                    "It is reported that 274 enterprises are coordinated.");

	assert_string_equal(xs->it[1].title, "Residents' suggestions adopted");
	assert_string_equal(xs->it[1].tags, "tag1;tag2");
	/* The day the body opens with, in the release year. */
	assert_string_equal(xs->it[1].published, "2024-06-08");
	assert_string_equal(xs->it[1].body, "On June 8th, the street opened a collection point.\n\n"
	                                    "Golden ideas became golden keys.");
}

static void test_sample(void **state)
{
	struct items *xs = calloc(1, sizeof(*xs));

	(void)state;
	assert_non_null(xs);
	assert_int_equal(bulletin_parse(sample, sizeof(sample) - 1, collect, xs), 2);
	check_sample(xs);
	free(xs);
}

/* The same text with CRLF line ends and trailing blanks reads the same. */
static void test_sample_crlf(void **state)
{
	struct items *xs = calloc(1, sizeof(*xs));
	char *crlf = malloc(2 * sizeof(sample));
	size_t n = 0;

	(void)state;
	assert_non_null(xs);
	assert_non_null(crlf);
	for (const char *p = sample; *p; p++) {
		if (*p == '\n') {
			crlf[n++] = ' ';
			crlf[n++] = '\r';
		}
		crlf[n++] = *p;
	}
	assert_int_equal(bulletin_parse(crlf, n, collect, xs), 2);
	check_sample(xs);
	free(crlf);
	free(xs);
}

/* Without the final newline, and with only the first item. */
static void test_one_item(void **state)
{
	static const char text[] = "A title\n"
	                           "\n"
	                           "Release time:Mar 15, 2023 09:00 AM\n"
	                           "\n"
	                           "On May 4, something happened.";
	struct items *xs = calloc(1, sizeof(*xs));

	(void)state;
	assert_non_null(xs);
	assert_int_equal(bulletin_parse(text, sizeof(text) - 1, collect, xs), 1);
	assert_string_equal(xs->it[0].title, "A title");
	/* The release time wins over a date in the body. */
	assert_string_equal(xs->it[0].published, "2023-03-15");
	assert_string_equal(xs->it[0].body, "On May 4, something happened.");
	free(xs);
}

/* A headed item whose body names no day takes the release date. */
static void test_item_without_day(void **state)
{
	static const char text[] = "First\n"
	                           "\n"
	                           "Release time:Jul 01, 2024 15:07 PM\n"
	                           "\n"
	                           "Body one.\n"
	                           "Second | Xintiandi | culture\n"
	                           "Second | Xintiandi | culture\n"
	                           "\n"
	                           "Recently, the main structure was capped.\n";
	struct items *xs = calloc(1, sizeof(*xs));

	(void)state;
	assert_non_null(xs);
	assert_int_equal(bulletin_parse(text, sizeof(text) - 1, collect, xs), 2);
	assert_string_equal(xs->it[1].title, "Second");
	assert_string_equal(xs->it[1].tags, "Xintiandi;culture");
	assert_string_equal(xs->it[1].published, "2024-07-01");
	assert_string_equal(xs->it[1].body, "Recently, the main structure was capped.");
	free(xs);
}

static void test_callback_failure(void **state)
{
	struct items *xs = calloc(1, sizeof(*xs));

	(void)state;
	assert_non_null(xs);
	xs->fail_at = 2;
	assert_int_equal(bulletin_parse(sample, sizeof(sample) - 1, collect, xs), -1);
	assert_int_equal(xs->n, 1);
	free(xs);
}

static void test_empty_text(void **state)
{
	struct items *xs = calloc(1, sizeof(*xs));

	(void)state;
	assert_non_null(xs);
	assert_int_equal(bulletin_parse("", 0, collect, xs), 0);
	assert_int_equal(xs->n, 0);
	free(xs);
}

/* The demo's bulletin, which the binary embeds: six items, each with its
 * release time and tags. */
static void test_demo_bulletin(void **state)
{
	struct items *xs = calloc(1, sizeof(*xs));
	const struct embedded_file *f = NULL;

	(void)state;
	assert_non_null(xs);
	for (size_t i = 0; i < qy_ndemo_texts; i++)
		if (strcmp(qy_demo_texts[i].name, "bulletin.txt") == 0)
			f = &qy_demo_texts[i];
	assert_non_null(f);
	assert_int_equal(bulletin_parse((const char *)f->data, f->len, collect, xs), 6);
	assert_int_equal(xs->n, 6);
	assert_string_equal(xs->it[0].published, "2024-07-01");
	assert_non_null(strstr(xs->it[0].title, "书记讲给书记听"));
	assert_string_equal(xs->it[0].tags, "党建引领;产业集群");
	assert_non_null(strstr(xs->it[0].body, "274家企业"));
	/* The heading, written twice, is not part of the body. */
	assert_null(strstr(xs->it[0].body, "专题党课："));
	assert_string_equal(xs->it[1].published, "2024-06-20");
	assert_non_null(strstr(xs->it[1].body, "上海起帆电缆股份有限公司"));
	assert_string_equal(xs->it[2].published, "2024-06-08");
	assert_string_equal(xs->it[2].tags, "九里亭;居民建议");
	assert_string_equal(xs->it[5].published, "2024-03-28");
	for (int i = 0; i < 6; i++) {
		assert_true(strlen(xs->it[i].body) > 100);
		assert_null(strstr(xs->it[i].body, " | "));
		assert_null(strstr(xs->it[i].body, "Release time"));
	}
	free(xs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sample),           cmocka_unit_test(test_sample_crlf),
	    cmocka_unit_test(test_one_item),         cmocka_unit_test(test_item_without_day),
	    cmocka_unit_test(test_callback_failure), cmocka_unit_test(test_empty_text),
	    cmocka_unit_test(test_demo_bulletin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
