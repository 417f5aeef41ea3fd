/* The bulletin's Markdown made safe: raw HTML shown as text, links and
 * images only where they may lead, whatever the spelling. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/markdown.h"

/* The HTML of text; the caller frees it. */
static char *render(const char *text, const char *base)
{
	struct buf out = BUF_INIT;
	size_t n;

	assert_int_equal(md_render(text, strlen(text), base, &out), 0);
	return buf_detach(&out, &n);
}

static void assert_html(const char *text, const char *want)
{
	char *html = render(text, NULL);
	assert_string_equal(html, want);
	free(html);
}

/* No tag, attribute or URL in the HTML can run script: every tag is one
 * of those Markdown makes, no attribute is an event handler, no href or
 * src leads to a script. */
static void assert_inert(const char *text)
{
	static const char *const tags[] = {"p",  "pre", "code", "a",  "img",       "em", "strong",
	                                   "h1", "h2",  "h3",   "h4", "h5",        "h6", "ul",
	                                   "ol", "li",  "br",   "hr", "blockquote"};
	char *html = render(text, NULL);

	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		const char *end = strchr(p, '>'), *n = p + 1 + (p[1] == '/');
		size_t len = strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789");
		int known = 0;

		if (!end)
			fail_msg("'%s': a tag left open: %s", text, html);
		for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
			known |= strlen(tags[i]) == len && !strncmp(n, tags[i], len);
		if (!known)
			fail_msg("'%s' renders the tag <%.*s>: %s", text, (int)len, n, html);
		/* Attributes as cmark writes them: name="value". */
		for (const char *q = n + len; q < end;) {
			size_t nl;
			while (*q == ' ' || *q == '/')
				q++;
			if (q >= end)
				break;
			nl = strspn(q, "abcdefghijklmnopqrstuvwxyz-");
			if (!((nl == 4 && !strncmp(q, "href", 4)) ||
			      (nl == 3 && !strncmp(q, "src", 3)) ||
			      (nl == 3 && !strncmp(q, "alt", 3)) ||
			      (nl == 5 && !strncmp(q, "title", 5))) ||
			    q[nl] != '=' || q[nl + 1] != '"')
				fail_msg("'%s' renders an attribute Markdown does not make: %s",
				         text, html);
			if ((nl == 4 || (nl == 3 && q[0] == 's')) && !md_link_safe(q + nl + 2))
				fail_msg("'%s' renders an unsafe URL: %s", text, html);
			q = strchr(q + nl + 2, '"') + 1;
		}
	}
	free(html);
}

static void test_script_is_text(void **state)
{
	(void)state;
	assert_html("<script>alert(1)</script>\n",
	            "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n");
	assert_html("Hi <script>alert(1)</script> there",
	            "<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; there</p>\n");
	assert_inert("<SCRIPT SRC=//evil.example/x.js></SCRIPT>");
	assert_inert("<scr<script>ipt>alert(1)</script>");
}

static void test_raw_html_block_and_inline(void **state)
{
	(void)state;
	assert_html("<div onclick=\"alert(1)\">\n*x*\n</div>\n",
	            "<pre><code>&lt;div onclick=&quot;alert(1)&quot;&gt;\n*x*\n&lt;/div&gt;\n"
	            "</code></pre>\n");
	assert_html("a <b onmouseover=x>bold</b> c",
	            "<p>a &lt;b onmouseover=x&gt;bold&lt;/b&gt; c</p>\n");
	assert_html("<!-- hidden -->\n", "<pre><code>&lt;!-- hidden --&gt;\n</code></pre>\n");
	assert_inert("<img src=x onerror=alert(1)>");
	assert_inert("<iframe src=\"https://evil.example/\"></iframe>");
	assert_inert("<svg><script>alert(1)</script></svg>");
	assert_inert("- item <a href=\"javascript:alert(1)\">x</a>\n");
	/* Markdown itself still works. */
	assert_html(
	    "# 标题\n\n**粗** _斜_ `<code>`",
	    "<h1>标题</h1>\n<p><strong>粗</strong> <em>斜</em> <code>&lt;code&gt;</code></p>\n");
}

static void test_links(void **state)
{
	static const char *const safe[] = {"https://www.jinshan.gov.cn/",
	                                   "http://x.cn/a?b=1",
	                                   "mailto:a@b.cn",
	                                   "tel:+862157211000",
	                                   "/bulletin",
	                                   "page.html",
	                                   "#top",
	                                   "?q=1",
	                                   "",
	                                   "HTTPS://X.CN",
	                                   "a:b/../c" /* scheme a */};
	static const char *const unsafe[] = {"javascript:alert(1)",
	                                     "JavaScript:alert(1)",
	                                     " javascript:alert(1)",
	                                     "\x01javascript:alert(1)",
	                                     "java\tscript:alert(1)",
	                                     "java\nscript:alert(1)",
	                                     "vbscript:msgbox(1)",
	                                     "file:///etc/passwd",
	                                     "data:text/html,<script>",
	                                     "data:image/png;base64,AAAA",
	                                     "ftp://x",
	                                     "jar:x",
	                                     "verylongschemenameindeed:x"};

	(void)state;
	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]) - 1; i++)
		assert_true(md_link_safe(safe[i]));
	/* "a:b" is the scheme a, which is no web scheme. */
	assert_false(md_link_safe("a:b/../c"));
	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		if (md_link_safe(unsafe[i]))
			fail_msg("'%s' passed as a safe link", unsafe[i]);
	/* "javascript%3a" has no scheme to a browser: a relative path. */
	assert_true(md_link_safe("javascript%3Aalert(1)"));
}

static void test_images(void **state)
{
	(void)state;
	assert_true(md_image_safe("/api/v1/bulletin/1/images/2"));
	assert_true(md_image_safe("images/2"));
	assert_false(md_image_safe("javascript:alert(1)"));
	assert_false(md_image_safe("JAVASCRIPT:alert(1)"));
	assert_false(md_image_safe("data:image/png;base64,AAAA"));
	assert_false(md_image_safe("https://tracker.example/p.png"));
	assert_false(md_image_safe("//tracker.example/p.png"));
	assert_false(md_image_safe("\\\\tracker.example/p.png"));
	assert_false(md_image_safe("/\\tracker.example/p.png"));
	assert_false(md_image_safe("/\t/tracker.example/p.png"));
	assert_false(md_image_safe(" //tracker.example/p.png"));
}

static void test_check_names_the_line(void **state)
{
	struct md_fault f;
	const char *t =
	    "first\n\nsecond [ok](https://x.cn)\n\n> quote [bad](javascript:alert(1))\n";

	(void)state;
	assert_int_equal(md_check(t, strlen(t), &f), -1);
	assert_int_equal(f.line, 5);
	assert_int_equal(f.image, 0);
	assert_string_equal(f.url, "javascript:alert(1)");
	t = "![x](javascript:alert(1))";
	assert_int_equal(md_check(t, strlen(t), &f), -1);
	assert_int_equal(f.image, 1);
	/* Entities and references are resolved before the check. */
	t = "[x](javascript&#58;alert(1))";
	assert_int_equal(md_check(t, strlen(t), &f), -1);
	t = "[x][r]\n\n[r]: vbscript:x";
	assert_int_equal(md_check(t, strlen(t), &f), -1);
	t = "<javascript:alert(1)>";
	assert_int_equal(md_check(t, strlen(t), &f), -1);
	t = "[a](https://x.cn) ![b](/api/v1/bulletin/1/images/1) <mailto:a@b.cn>";
	assert_int_equal(md_check(t, strlen(t), &f), 0);
	assert_int_equal(md_check("", 0, &f), 0);
}

/* A body stored under looser rules is defused when shown: the URL
 * emptied, whatever the check would have said. */
static void test_render_defuses(void **state)
{
	(void)state;
	assert_html("[x](javascript:alert(1))", "<p><a href=\"\">x</a></p>\n");
	assert_html("![x](javascript:alert(1))", "<p><img src=\"\" alt=\"x\" /></p>\n");
	assert_html("![x](https://tracker.example/p.png)", "<p><img src=\"\" alt=\"x\" /></p>\n");
	assert_inert("[x](javascript:alert(1))");
	assert_inert("[x](data:text/html;base64,PHNjcmlwdD4=)");
}

static void test_base(void **state)
{
	char *html;

	(void)state;
	html = render("[a](/bulletin) [b](https://x.cn/) ![c](/api/v1/bulletin/1/images/2)",
	              "https://zhangyan.example.cn");
	assert_string_equal(html, "<p><a href=\"https://zhangyan.example.cn/bulletin\">a</a> <a "
	                          "href=\"https://x.cn/\">b</a> <img "
	                          "src=\"https://zhangyan.example.cn/api/v1/bulletin/1/images/2\" "
	                          "alt=\"c\" /></p>\n");
	free(html);
}

static void test_bad_utf8(void **state)
{
	char *html;

	(void)state;
	html = render("a\xff\xfe b", NULL);
	assert_string_equal(html, "<p>a\xef\xbf\xbd\xef\xbf\xbd b</p>\n");
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_script_is_text),
	    cmocka_unit_test(test_raw_html_block_and_inline),
	    cmocka_unit_test(test_links),
	    cmocka_unit_test(test_images),
	    cmocka_unit_test(test_check_names_the_line),
	    cmocka_unit_test(test_render_defuses),
	    cmocka_unit_test(test_base),
	    cmocka_unit_test(test_bad_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
