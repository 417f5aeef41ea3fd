/*
 * The printed matter (src/print/): a card, sheets of cards and the
 * booklet rendered from synthetic structs, then read back with tools
 * that know nothing of how they were made: pdfinfo (pages, page size,
 * metadata) and pdftotext (the text, Chinese included) from
 * poppler-utils, pdftoppm to render a page and zbarimg (zbar-tools) to
 * decode its QR codes.  A missing tool fails the test and names the
 * package (scripts/install-deps installs them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "print/print.h"
#include "util/buf.h"
#include "util/err.h"

static char dir[64];

/* ------------------------------------------------------------------ */
/* The tools                                                            */

static int on_path(const char *tool)
{
	const char *path = getenv("PATH");
	char full[1024];

	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(full, sizeof(full), "%.*s/%s", (int)n, p, tool);
		if (access(full, X_OK) == 0)
			return 1;
		p += n;
		if (*p == ':')
			p++;
	}
	return 0;
}

static int need_tools(void)
{
	int missing = 0;

	static const char *const tools[][2] = {{"pdfinfo", "poppler-utils"},
	                                       {"pdftotext", "poppler-utils"},
	                                       {"pdftoppm", "poppler-utils"},
	                                       {"zbarimg", "zbar-tools"}};

	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (!on_path(tools[i][0])) {
			fprintf(stderr,
			        "test_print: %s is not installed: the PDF checks need it (Debian "
			        "package %s; scripts/install-deps installs it)\n",
			        tools[i][0], tools[i][1]);
			missing = 1;
		}
	return missing ? -1 : 0;
}

/* Runs a shell command (paths here are our own, without quotes or
 * spaces) and returns what it printed; the caller frees it. */
static char *run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *run(const char *fmt, ...)
{
	struct buf cmd = BUF_INIT, out = BUF_INIT;
	char chunk[4096];
	va_list ap;
	FILE *p;
	size_t n;
	int rc;

	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	p = popen(buf_cstr(&cmd), "r");
	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&out, chunk, n);
	rc = pclose(p);
	if (rc != 0)
		fail_msg("'%s' failed (status %d): %s", buf_cstr(&cmd), rc, buf_cstr(&out));
	buf_release(&cmd);
	buf_adds(&out, "");
	return buf_detach(&out, NULL);
}

static void save(const char *name, const struct buf *b, char *path, size_t n)
{
	FILE *f;

	snprintf(path, n, "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->s, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

/* pdfinfo's "Pages:" and "Page size: W x H pts" of a file. */
static void info(const char *path, int *pages, double *w, double *h, char *title, size_t tn)
{
	char *out = run("pdfinfo -enc UTF-8 %s", path), *p;

	assert_non_null(p = strstr(out, "\nPages:"));
	*pages = atoi(p + 7);
	assert_non_null(p = strstr(out, "\nPage size:"));
	assert_int_equal(sscanf(p + 11, "%lf x %lf", w, h), 2);
	assert_non_null(strstr(out, "\nCreator:         qunyan\n"));
	if (title) {
		assert_non_null(p = strstr(out, "Title:"));
		p += 6;
		p += strspn(p, " ");
		snprintf(title, tn, "%.*s", (int)strcspn(p, "\n"), p);
	}
	free(out);
}

static char *text_of(const char *path, int first, int last)
{
	return run("pdftotext -enc UTF-8 -f %d -l %d %s -", first, last, path);
}

/* The QR codes zbarimg finds on page `page` rendered at 300 dpi, cropped
 * to x, y, w, h pixels when w > 0; one per line. */
static char *qr_of(const char *pdf, int page, int x, int y, int w, int h)
{
	char png[128], crop[96] = "";
	char *none;

	snprintf(png, sizeof(png), "%s/page", dir);
	if (w > 0)
		snprintf(crop, sizeof(crop), "-x %d -y %d -W %d -H %d", x, y, w, h);
	none = run("pdftoppm -r 300 -png -singlefile -f %d -l %d %s %s %s", page, page, crop, pdf,
	           png);
	free(none);
	return run("zbarimg --raw -q %s.png 2>/dev/null", png);
}

/* want in text, or in text with its lines joined by spaces (a long
 * title wraps). */
static void assert_has(const char *text, const char *want)
{
	char *flat;

	if (strstr(text, want))
		return;
	flat = strdup(text);
	assert_non_null(flat);
	for (char *p = flat; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (!strstr(flat, want))
		fail_msg("'%s' not found in the PDF's text:\n%s", want, text);
	free(flat);
}

static void assert_near(double got, double want)
{
	if (fabs(got - want) > 0.05)
		fail_msg("%.3f points, expected %.3f", got, want);
}

/* ------------------------------------------------------------------ */
/* Synthetic data                                                       */

static const struct print_contact CONTACTS[] = {
    {{"网格员", "Grid worker"}, "王敏", "138 0213 4567"},
    {{"集群党总支书记", "Cluster secretary"}, "李建国", "021-5721 0001"},
    {{"镇企业服务办公室", "Town enterprise service office"}, "张华", "021-5721 8800"},
};
static const struct print_hotline HOTLINES[] = {
    {{"市民服务热线", "Citizen service hotline"}, "12345"},
    {{"镇企业服务热线", "Town enterprise hotline"}, "021-5721 8888"},
};
#define LINK "http://127.0.0.1:8080/c/Xk3v9QpL2mN8rT5wY7zB"

static struct print_card card(const char *zh, const char *en, const char *link)
{
	struct print_card c = {
	    .enterprise = {zh, en},
	    .contacts = CONTACTS,
	    .ncontacts = 3,
	    .hotlines = HOTLINES,
	    .nhotlines = 2,
	    .link = link,
	    .link_says = {"扫码反映问题", "Scan to tell us of a problem"},
	    .title = {"雁聚张堰", "Wild Geese Gathering in Zhangyan"},
	};
	return c;
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */

static void test_card(void **state)
{
	struct print_card c =
	    card("上海起帆电缆股份有限公司", "Shanghai Qifan Cable Co., Ltd.", LINK);
	struct buf b = BUF_INIT;
	struct err err;
	char path[128], title[256], *text;
	double w, h;
	int pages;

	(void)state;
	err_clear(&err);
	assert_int_equal(print_card_pdf(&c, &b, &err), 0);
	save("card.pdf", &b, path, sizeof(path));
	buf_release(&b);

	info(path, &pages, &w, &h, title, sizeof(title));
	assert_int_equal(pages, 2);
	assert_near(w, 242.646); /* 85.6 mm */
	assert_near(h, 153.071); /* 54 mm */
	assert_string_equal(title, "上海起帆电缆股份有限公司");

	text = text_of(path, 1, 1);
	assert_has(text, "上海起帆电缆股份有限公司");
	assert_has(text, "Shanghai Qifan Cable Co., Ltd.");
	assert_has(text, "网格员");
	assert_has(text, "王敏");
	assert_has(text, "138 0213 4567");
	assert_has(text, "12345");
	assert_has(text, "镇企业服务热线");
	free(text);
	text = text_of(path, 2, 2);
	assert_has(text, "雁聚张堰");
	assert_has(text, "扫码反映问题");
	assert_has(text, "Wild Geese Gathering in Zhangyan");
	free(text);

	text = qr_of(path, 2, 0, 0, 0, 0);
	assert_string_equal(text, LINK "\n");
	free(text);
}

/* More contacts than a card has room for: those that fit, then how many
 * are left out; never text over the hotlines. */
static void test_card_crowded(void **state)
{
	struct print_contact many[12];
	char names[12][32];
	struct print_card c = card("上海张堰测试有限公司", "", LINK);
	struct buf b = BUF_INIT;
	struct err err;
	char path[128], *text, want[64];
	int shown = 0;

	(void)state;
	for (int i = 0; i < 12; i++) {
		snprintf(names[i], sizeof(names[i]), "联系人%02d", i + 1);
		many[i] =
		    (struct print_contact){{"网格员", "Grid worker"}, names[i], "138 0000 0000"};
	}
	c.contacts = many;
	c.ncontacts = 12;
	err_clear(&err);
	assert_int_equal(print_card_pdf(&c, &b, &err), 0);
	save("crowded.pdf", &b, path, sizeof(path));
	buf_release(&b);
	text = text_of(path, 1, 1);
	assert_has(text, "联系人01");
	assert_null(strstr(text, "联系人12"));
	for (int i = 0; i < 12; i++)
		shown += strstr(text, names[i]) != NULL;
	assert_in_range(shown, 3, 11);
	snprintf(want, sizeof(want), "另有 %d 位联系人", 12 - shown);
	assert_has(text, want);
	assert_has(text, "12345");
	free(text);
}

/* 23 cards: three sheets, fronts and backs.  Each back lies behind its
 * front when the sheet is turned over its long edge: card 1 (front, top
 * left) has its back at the top right, card 2 at the top left. */
static void test_sheets(void **state)
{
	struct print_card cards[23];
	char names[23][64], links[23][96], path[128], title[256], *text;
	struct buf b = BUF_INIT;
	struct err err;
	double w, h;
	int pages;
	/* A slot at 300 dpi: 85.6 x 54 mm at (19.4 mm, 13.5 mm) for the top
	 * left one, rounded inwards by a few pixels. */
	const int sx = 229 + 6, sy = 159 + 6, sw = 1011 - 12, sh = 638 - 12;

	(void)state;
	err_clear(&err);
	for (int i = 0; i < 23; i++) {
		snprintf(names[i], sizeof(names[i]), "张堰测试企业%02d有限公司", i + 1);
		snprintf(links[i], sizeof(links[i]), "http://127.0.0.1:8080/c/card%02dToken",
		         i + 1);
		cards[i] = card(names[i], "", links[i]);
	}
	assert_int_equal(print_card_sheets_pdf(cards, 23, "服务联系卡", &b, &err), 0);
	save("sheet.pdf", &b, path, sizeof(path));
	buf_release(&b);

	info(path, &pages, &w, &h, title, sizeof(title));
	assert_int_equal(pages, 6);
	assert_near(w, 595.276);
	assert_near(h, 841.890);
	assert_string_equal(title, "服务联系卡");

	text = text_of(path, 1, 1);
	assert_has(text, "张堰测试企业01有限公司");
	assert_has(text, "张堰测试企业10有限公司");
	assert_null(strstr(text, "张堰测试企业11有限公司"));
	free(text);
	text = text_of(path, 5, 5);
	assert_has(text, "张堰测试企业21有限公司");
	assert_has(text, "张堰测试企业23有限公司");
	free(text);
	text = text_of(path, 6, 6);
	assert_has(text, "雁聚张堰");
	free(text);

	/* The first sheet's backs: every code of cards 1 to 10 ... */
	text = qr_of(path, 2, 0, 0, 0, 0);
	for (int i = 0; i < 10; i++)
		assert_has(text, links[i]);
	assert_null(strstr(text, links[10]));
	free(text);
	/* ... each behind its own front. */
	text = qr_of(path, 2, sx + 1011, sy, sw, sh);
	assert_string_equal(text, "http://127.0.0.1:8080/c/card01Token\n");
	free(text);
	text = qr_of(path, 2, sx, sy, sw, sh);
	assert_string_equal(text, "http://127.0.0.1:8080/c/card02Token\n");
	free(text);
	text = qr_of(path, 6, sx + 1011, sy + 638, sw, sh);
	assert_string_equal(text, "http://127.0.0.1:8080/c/card23Token\n");
	free(text);
}

/* The demo's shape: 12 clusters, 60 services in 10 categories, 19
 * collection points. */
struct booklet_data {
	struct print_cluster clusters[12];
	struct print_category cats[10];
	struct print_service services[60];
	struct print_point points[19];
	char cluster_names[12][2][96];
	char service_names[60][2][96];
	char point_names[19][96];
	struct print_booklet b;
};

static const struct print_bi SVC_CONTACTS[] = {
    {"王敏 021-5721 8800", "Wang Min 021-5721 8800"},
    {"qiye@zhangyan.example.cn", ""},
};
static const struct print_bi SVC_HOURS[] = {
    {"周一至周五 8:30–11:30，13:30–17:00", "Mon–Fri 8:30–11:30, 13:30–17:00"},
};
static const char *const CATS[10][2] = {{"政策咨询", "Policy consulting"},
                                        {"融资服务", "Financing"},
                                        {"人才与人力资源", "Talent and HR"},
                                        {"法律服务", "Legal"},
                                        {"土地与厂房", "Land and premises"},
                                        {"审批许可", "Permits and approvals"},
                                        {"培训", "Training"},
                                        {"场地", "Venues"},
                                        {"检验检测", "Testing and technology"},
                                        {"物流", "Logistics"}};

static struct booklet_data *booklet_data(void)
{
	struct booklet_data *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	for (int i = 0; i < 12; i++) {
		snprintf(d->cluster_names[i][0], 96, "测试产业集群%02d", i + 1);
		snprintf(d->cluster_names[i][1], 96, "Test cluster %02d", i + 1);
		d->clusters[i] = (struct print_cluster){
		    {d->cluster_names[i][0], d->cluster_names[i][1]},
		    {"上海起帆电缆股份有限公司", "Shanghai Qifan Cable Co., Ltd."},
		    84};
	}
	for (int i = 0; i < 60; i++) {
		snprintf(d->service_names[i][0], 96, "测试服务%02d：政策兑现申报辅导", i + 1);
		snprintf(d->service_names[i][1], 96, "Test service %02d: policy applications",
		         i + 1);
		d->services[i] = (struct print_service){
		    {d->service_names[i][0], d->service_names[i][1]},
		    {"张堰镇企业服务办公室", "Zhangyan Enterprise Service Office"},
		    SVC_CONTACTS,
		    2,
		    SVC_HOURS,
		    1};
	}
	for (int i = 0; i < 10; i++)
		d->cats[i] =
		    (struct print_category){{CATS[i][0], CATS[i][1]}, d->services + 6 * i, 6};
	for (int i = 0; i < 19; i++) {
		snprintf(d->point_names[i], 96, "测试收集点%02d", i + 1);
		d->points[i] = (struct print_point){{d->point_names[i], ""},
		                                    "松江区九里亭街道涞亭南路 88 号",
		                                    "9:00–17:00",
		                                    "刘老师"};
	}
	d->b = (struct print_booklet){
	    .title = {"雁聚张堰", "Wild Geese Gathering in Zhangyan"},
	    .subtitle = {"张堰镇企业服务手册", "Enterprise service booklet of Zhangyan Town"},
	    .issuer = {"张堰镇人民政府", "Zhangyan Town People's Government"},
	    .edition = "2024-12",
	    .clusters = d->clusters,
	    .nclusters = 12,
	    .categories = d->cats,
	    .ncategories = 10,
	    .points = d->points,
	    .npoints = 19,
	    .catalogue_url = "http://127.0.0.1:8080/services",
	};
	return d;
}

/* The page the contents give for a line: the number at the end of the
 * line that begins with label, in the contents' text. */
static int toc_page(const char *toc, const char *label)
{
	const char *p = strstr(toc, label);
	int n = 0;

	if (!p)
		fail_msg("'%s' is not in the contents:\n%s", label, toc);
	/* pdftotext puts the number on the same line or on one of its own
	 * after the labels; read it from the layout instead. */
	p += strlen(label);
	p += strspn(p, " ");
	if (sscanf(p, "%d", &n) != 1)
		fail_msg("no page number after '%s' in the contents:\n%s", label, toc);
	return n;
}

static void check_section_page(const char *path, int page, const char *heading)
{
	char *text = text_of(path, page, page);

	/* The section's heading is the first line of its page. */
	if (strncmp(text, heading, strlen(heading)) != 0 || text[strlen(heading)] != '\n')
		fail_msg("page %d does not begin with '%s':\n%s", page, heading, text);
	free(text);
}

static void test_booklet_zh(void **state)
{
	struct booklet_data *d = booklet_data();
	struct buf b = BUF_INIT;
	struct err err;
	char path[128], title[256], *text, *toc, *p;
	double w, h;
	int pages, n;

	(void)state;
	err_clear(&err);
	assert_int_equal(print_booklet_pdf(&d->b, PRINT_ZH, &b, &err), 0);
	save("booklet-zh.pdf", &b, path, sizeof(path));
	buf_release(&b);

	info(path, &pages, &w, &h, title, sizeof(title));
	assert_near(w, 419.528); /* A5 */
	assert_near(h, 595.276);
	assert_string_equal(title, "雁聚张堰");
	/* Cover, contents, and at least a page for each section; at most
	 * about one page per service if the layout went wrong. */
	assert_in_range(pages, 6, 40);

	text = text_of(path, 1, 1);
	assert_has(text, "雁聚张堰");
	assert_has(text, "张堰镇企业服务手册");
	free(text);

	text = text_of(path, 1, pages);
	assert_has(text, "测试产业集群07");
	assert_has(text, "上海起帆电缆股份有限公司");
	assert_has(text, "测试服务60：政策兑现申报辅导");
	assert_has(text, "021-5721 8800");
	assert_has(text, "检验检测");
	assert_has(text, "测试收集点19");
	assert_has(text, "刘老师");
	free(text);

	/* The contents give the pages the sections begin on. */
	toc = run("pdftotext -enc UTF-8 -layout -f 2 -l 2 %s -", path);
	assert_has(toc, "目录");
	check_section_page(path, toc_page(toc, "产业集群"), "产业集群");
	check_section_page(path, toc_page(toc, "服务资源"), "服务资源");
	check_section_page(path, toc_page(toc, "意见收集点"), "意见收集点");
	n = toc_page(toc, "在线服务目录");
	assert_int_equal(n, pages);
	/* A category begins on its page: its heading is there. */
	n = toc_page(toc, "物流");
	text = text_of(path, n, n);
	assert_has(text, "物流");
	free(text);
	free(toc);

	/* The footer numbers the pages: the last line of page 3 is "3". */
	text = text_of(path, 3, 3);
	n = (int)strlen(text);
	while (n > 0 && strchr("\n\f ", text[n - 1]))
		text[--n] = '\0';
	p = strrchr(text, '\n');
	assert_non_null(p);
	assert_string_equal(p + 1, "3");
	free(text);

	text = qr_of(path, pages, 0, 0, 0, 0);
	assert_string_equal(text, "http://127.0.0.1:8080/services\n");
	free(text);
	free(d);
}

static void test_booklet_en(void **state)
{
	struct booklet_data *d = booklet_data();
	struct buf b = BUF_INIT;
	struct err err;
	char path[128], title[256], *text, *toc;
	double w, h;
	int pages;

	(void)state;
	err_clear(&err);
	assert_int_equal(print_booklet_pdf(&d->b, PRINT_EN, &b, &err), 0);
	save("booklet-en.pdf", &b, path, sizeof(path));
	buf_release(&b);

	info(path, &pages, &w, &h, title, sizeof(title));
	assert_string_equal(title, "Wild Geese Gathering in Zhangyan");
	assert_in_range(pages, 6, 40);
	text = text_of(path, 1, 1);
	assert_has(text, "Wild Geese Gathering in Zhangyan");
	assert_null(strstr(text, "雁聚张堰"));
	free(text);
	text = text_of(path, 1, pages);
	assert_has(text, "Test cluster 07");
	assert_has(text, "Shanghai Qifan Cable Co., Ltd.");
	assert_has(text, "Wang Min 021-5721 8800");
	/* An English line left empty falls back to the Chinese one. */
	assert_has(text, "qiye@zhangyan.example.cn");
	assert_has(text, "测试收集点19");
	free(text);
	toc = run("pdftotext -enc UTF-8 -layout -f 2 -l 2 %s -", path);
	check_section_page(path, toc_page(toc, "Collection points"), "Collection points");
	free(toc);
	free(d);
}

/* A booklet with nothing to list still has its cover and contents. */
static void test_booklet_empty(void **state)
{
	struct print_booklet bk = {.title = {"雁聚张堰", ""}};
	struct buf b = BUF_INIT;
	struct err err;
	char path[128], *text;
	double w, h;
	int pages;

	(void)state;
	err_clear(&err);
	assert_int_equal(print_booklet_pdf(&bk, PRINT_EN, &b, &err), 0);
	save("booklet-empty.pdf", &b, path, sizeof(path));
	buf_release(&b);
	info(path, &pages, &w, &h, NULL, 0);
	assert_int_equal(pages, 2);
	text = text_of(path, 1, 1);
	assert_has(text, "雁聚张堰"); /* no English title: the Chinese one */
	free(text);
}

static void test_link_too_long(void **state)
{
	char link[8000];
	struct print_card c;
	struct buf b = BUF_INIT;
	struct err err;

	(void)state;
	memset(link, 'a', sizeof(link) - 1);
	link[sizeof(link) - 1] = '\0';
	c = card("企业", "", link);
	err_clear(&err);
	assert_int_equal(print_card_pdf(&c, &b, &err), -1);
	assert_int_equal(err.kind, ERR_INVALID);
	assert_string_equal(err.code, "too_long");
	buf_release(&b);
}

static void test_lang_parse(void **state)
{
	enum print_lang l = PRINT_ZH;

	(void)state;
	assert_int_equal(print_lang_parse("en", &l), 0);
	assert_int_equal(l, PRINT_EN);
	assert_int_equal(print_lang_parse("zh", &l), 0);
	assert_int_equal(l, PRINT_ZH);
	assert_int_equal(print_lang_parse("ZH", &l), -1);
	assert_int_equal(print_lang_parse("", &l), -1);
	assert_int_equal(print_lang_parse("zh-CN", &l), -1);
	assert_int_equal(print_lang_parse(NULL, &l), -1);
}

static int setup(void **state)
{
	(void)state;
	if (need_tools())
		return -1;
	snprintf(dir, sizeof(dir), "/tmp/qy-print-XXXXXX");
	if (!mkdtemp(dir)) {
		dir[0] = '\0';
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	char path[512];
	struct dirent *e;
	DIR *d;

	(void)state;
	if (!dir[0] || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	closedir(d);
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lang_parse),    cmocka_unit_test(test_card),
	    cmocka_unit_test(test_card_crowded),  cmocka_unit_test(test_sheets),
	    cmocka_unit_test(test_booklet_zh),    cmocka_unit_test(test_booklet_en),
	    cmocka_unit_test(test_booklet_empty), cmocka_unit_test(test_link_too_long),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
