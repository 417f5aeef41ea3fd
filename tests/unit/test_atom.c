/* The Atom writer: escaping of every text, the HTML content escaped once
 * more, characters XML does not allow dropped, the elements RFC 4287
 * asks for. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/atom.h"

static char *escaped(const char *s)
{
	struct buf b = BUF_INIT;
	size_t n;

	atom_escape(&b, s);
	return buf_detach(&b, &n);
}

static void assert_escape(const char *s, const char *want)
{
	char *got = escaped(s);
	assert_string_equal(got, want);
	free(got);
}

static void test_escape(void **state)
{
	(void)state;
	assert_escape("a & b < c > d \"e\" 'f'",
	              "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
	assert_escape("&amp;", "&amp;amp;");
	assert_escape("党建引领", "党建引领");
	assert_escape("", "");
	assert_escape(NULL, "");
	/* Controls XML 1.0 refuses are dropped; tab, newline, return kept. */
	assert_escape("a\x01\x08\x0b\x0c\x1f b\tc\nd\re", "a b\tc\nd\re");
	/* The non-characters U+FFFE and U+FFFF, and nothing near them. */
	assert_escape("x\xef\xbf\xbey\xef\xbf\xbfz\xef\xbf\xbd", "xyz\xef\xbf\xbd");
	assert_escape("]]>", "]]&gt;");
}

static void test_feed(void **state)
{
	struct buf b = BUF_INIT;
	const char *cats[] = {"党建 & <引领>", "b"};
	struct atom_feed f = {
	    .id = "tag:zhangyan.example.cn,2024:bulletin",
	    .title = "公告 & <Bulletin>",
	    .subtitle = "sub",
	    .updated = "2024-07-01T02:00:00Z",
	    .self = "https://zhangyan.example.cn/bulletin.atom?a=1&b=2",
	    .alternate = "https://zhangyan.example.cn/bulletin",
	    .author = "张堰镇",
	    .lang = "zh-CN",
	};
	struct atom_entry e = {
	    .id = "tag:zhangyan.example.cn,2024-07-01:bulletin/1",
	    .title = "<script>alert(1)</script>",
	    .updated = "2024-07-02T02:00:00Z",
	    .published = "2024-07-01T02:00:00Z",
	    .link = "https://zhangyan.example.cn/bulletin/1",
	    .author = "张堰镇",
	    .categories = cats,
	    .ncategories = 2,
	    .category_scheme = "https://zhangyan.example.cn/bulletin/tags/",
	    .html = "<p>a &lt;b&gt; &amp; c</p>",
	};
	const char *x;

	(void)state;
	atom_begin(&b, &f);
	atom_add(&b, &e);
	atom_end(&b);
	x = buf_cstr(&b);
	assert_non_null(strstr(x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
	                          "xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">"));
	assert_non_null(strstr(x, "<title>公告 &amp; &lt;Bulletin&gt;</title>"));
	assert_non_null(strstr(x,
	                       "<link rel=\"self\" type=\"application/atom+xml\" "
	                       "href=\"https://zhangyan.example.cn/bulletin.atom?a=1&amp;b=2\"/>"));
	assert_non_null(strstr(x, "<updated>2024-07-01T02:00:00Z</updated>"));
	assert_non_null(strstr(x, "<author><name>张堰镇</name></author>"));
	assert_non_null(
	    strstr(x, "<entry>\n    <id>tag:zhangyan.example.cn,2024-07-01:bulletin/1</id>"));
	assert_non_null(strstr(x, "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
	assert_non_null(strstr(x, "<published>2024-07-01T02:00:00Z</published>"));
	assert_non_null(strstr(x, "<category term=\"党建 &amp; &lt;引领&gt;\" "
	                          "scheme=\"https://zhangyan.example.cn/bulletin/tags/\"/>"));
	/* The HTML is text of the content: escaped once more, so that a
	 * reader unescapes it once back to the HTML. */
	assert_non_null(
	    strstr(x, "<content type=\"html\">&lt;p&gt;a &amp;lt;b&amp;gt; &amp;amp; c&lt;/p&gt;"
	              "</content>"));
	assert_null(strstr(x, "<script"));
	assert_null(strstr(x, "<p>"));
	assert_true(strlen(x) > 8 && strcmp(x + strlen(x) - 8, "</feed>\n") == 0);
	buf_release(&b);
}

static void test_entry_without_optional_parts(void **state)
{
	struct buf b = BUF_INIT;
	struct atom_entry e = {.id = "i", .title = "t", .updated = "u", .html = ""};

	(void)state;
	atom_add(&b, &e);
	assert_null(strstr(buf_cstr(&b), "<published>"));
	assert_null(strstr(buf_cstr(&b), "<author>"));
	assert_null(strstr(buf_cstr(&b), "<category"));
	assert_non_null(strstr(buf_cstr(&b), "<content type=\"html\"></content>"));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_feed),
	    cmocka_unit_test(test_entry_without_optional_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
