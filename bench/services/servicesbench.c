/*
 * bench/services/servicesbench.c — the printed matter's share of the
 * services benchmark (driven by bench/services/run; see there).
 *
 *   servicesbench                 runs each measurement RUNS times (the
 *                                 environment's SERVICES_RUNS, 5), each in
 *                                 a fresh process, and prints every run,
 *                                 the medians and the floors; exits 1 when
 *                                 a median misses its floor, 2 on an error
 *   servicesbench booklet OUT     renders the demo-sized booklet once into
 *                                 OUT and prints its seconds (a child)
 *   servicesbench sheet N OUT     renders N cards on A4 sheets (a child)
 *
 * Each measurement runs in a process of its own (fork and exec of this
 * program), so that it pays what a command or a fresh server pays: the
 * fonts found and loaded, the glyphs shaped for the first time.  Its peak
 * memory is the child's ru_maxrss, from wait4(), which counts the font
 * files as they are read as well as the heap.
 *
 * Floors: the demo-sized booklet (12 clusters, 60 services in 10
 * categories, 19 collection points) in <= 2 s; one grid's sheet of 500
 * cards in <= 5 s at <= 100 MiB peak RSS.  The catalogue search floor
 * (p99 <= 5 ms over 10,000 services) is measured against a server by
 * searchbench.c, which bench/services/run runs after this.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "print/print.h"

#define FLOOR_BOOKLET_S 2.0
#define FLOOR_SHEET_S   5.0
#define FLOOR_SHEET_MIB 100.0
#define SHEET_CARDS     500
#define MAX_RUNS        25

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int save(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(b->s, 1, b->len, f) != b->len || fclose(f)) {
		fprintf(stderr, "servicesbench: cannot write %s\n", path);
		return 2;
	}
	return 0;
}

/* ---- the data: synthetic, of the demo's size and shape ---- */

static const char *const CATEGORIES[10][2] = {{"政策咨询", "Policy consulting"},
                                              {"融资服务", "Financing"},
                                              {"人才与人力资源", "Talent and HR"},
                                              {"法律服务", "Legal"},
                                              {"土地与厂房", "Land and premises"},
                                              {"审批许可", "Permits and approvals"},
                                              {"培训", "Training"},
                                              {"场地", "Venues"},
                                              {"检验检测与技术", "Testing and technology"},
                                              {"物流", "Logistics"}};

static int child_booklet(const char *out_path)
{
	static struct print_cluster clusters[12];
	static struct print_category cats[10];
	static struct print_service services[60];
	static struct print_point points[19];
	static char text[12 + 60 + 19][3][160];
	static const struct print_bi contacts[] = {
	    {"企业服务办 王敏 021-5721 8800", "Enterprise service office, Wang Min, 021-5721 8800"},
	    {"qiye@zhangyan.example.cn", ""},
	};
	static const struct print_bi hours[] = {
	    {"周一至周五 8:30–11:30，13:30–17:00", "Mon–Fri 8:30–11:30, 13:30–17:00"},
	    {"法定节假日休息", "Closed on public holidays"},
	};
	struct print_booklet b;
	struct buf out = BUF_INIT;
	struct err err;
	double t0;
	int k = 0;

	for (int i = 0; i < 12; i++, k++) {
		snprintf(text[k][0], 160, "第%d产业集群（光电传输与新材料）", i + 1);
		snprintf(text[k][1], 160, "Cluster %d: optoelectronics and new materials", i + 1);
		clusters[i] = (struct print_cluster){
		    {text[k][0], text[k][1]},
		    {"上海起帆电缆股份有限公司", "Shanghai Qifan Cable Co., Ltd."},
		    20 + i * 7};
	}
	for (int i = 0; i < 60; i++, k++) {
		snprintf(text[k][0], 160, "企业服务第%d项：政策兑现与申报辅导", i + 1);
		snprintf(text[k][1], 160, "Service %d: help in applying for policy support", i + 1);
		snprintf(text[k][2], 160, "张堰镇第%d服务机构", i % 7 + 1);
		services[i] = (struct print_service){
		    {text[k][0], text[k][1]}, {text[k][2], ""}, contacts, 2, hours, 2};
	}
	for (int i = 0; i < 10; i++)
		cats[i] = (struct print_category){
		    {CATEGORIES[i][0], CATEGORIES[i][1]}, services + 6 * i, 6};
	for (int i = 0; i < 19; i++, k++) {
		snprintf(text[k][0], 160, "九里亭街道第%d人民建议征集点", i + 1);
		snprintf(text[k][1], 160, "Jiuliting suggestion point %d", i + 1);
		points[i] = (struct print_point){{text[k][0], text[k][1]},
		                                 "松江区九里亭街道涞亭南路 88 号",
		                                 "周一至周六 8:30-17:00",
		                                 "居委会"};
	}
	b = (struct print_booklet){
	    .title = {"雁聚张堰", "Wild Geese Gathering in Zhangyan"},
	    .subtitle = {"张堰镇企业服务手册", "Enterprise service booklet of Zhangyan Town"},
	    .issuer = {"张堰镇", "Zhangyan Town"},
	    .edition = "2024-12",
	    .clusters = clusters,
	    .nclusters = 12,
	    .categories = cats,
	    .ncategories = 10,
	    .points = points,
	    .npoints = 19,
	    .catalogue_url = "http://127.0.0.1:8080/services",
	};
	err_clear(&err);
	t0 = now_s();
	if (print_booklet_pdf(&b, PRINT_ZH, &out, &err)) {
		fprintf(stderr, "servicesbench: booklet: %s\n", err.message);
		return 2;
	}
	printf("%.4f %zu\n", now_s() - t0, out.len);
	return save(out_path, &out);
}

static int child_sheet(long n, const char *out_path)
{
	static const struct print_hotline hotlines[] = {
	    {{"市民服务热线", "Citizen service hotline"}, "12345"},
	    {{"张堰镇企业服务热线", "Zhangyan enterprise hotline"}, "021-5721 8888"},
	};
	struct print_contact *contacts = calloc((size_t)n * 4, sizeof(*contacts));
	struct print_card *cards = calloc((size_t)n, sizeof(*cards));
	char(*text)[4][128] = calloc((size_t)n, sizeof(*text));
	struct buf out = BUF_INIT;
	struct err err;
	double t0;

	if (!contacts || !cards || !text)
		return 2;
	for (long i = 0; i < n; i++) {
		struct print_contact *c = contacts + 4 * i;
		snprintf(text[i][0], 128, "上海张堰第%ld精密制造有限公司", i + 1);
		snprintf(text[i][1], 128,
		         "Shanghai Zhangyan Precision Manufacturing No. %ld Co., Ltd.", i + 1);
		/* 27 characters of the token alphabet, a different link each */
		snprintf(text[i][2], 128, "http://127.0.0.1:8080/q/%027ld", 7919L * (i + 1));
		snprintf(text[i][3], 128, "138 %04ld %04ld", (i * 37) % 10000, (i * 91) % 10000);
		c[0] = (struct print_contact){{"网格员", "Grid worker"}, "王敏", text[i][3]};
		c[1] = (struct print_contact){{"网格员", "Grid worker"}, "陈立", "139 1620 0481"};
		c[2] = (struct print_contact){
		    {"集群党总支书记", "Cluster secretary"}, "李建国", "021-5721 0001"};
		c[3] =
		    (struct print_contact){{"镇企业服务办公室", "Town enterprise service office"},
		                           "张华",
		                           "021-5721 8800"};
		cards[i] = (struct print_card){
		    .enterprise = {text[i][0], text[i][1]},
		    .contacts = c,
		    .ncontacts = 4,
		    .hotlines = hotlines,
		    .nhotlines = 2,
		    .link = text[i][2],
		    .link_says = {"扫码反映问题", "Scan to tell us of a problem"},
		    .title = {"雁聚张堰", "Wild Geese Gathering in Zhangyan"},
		};
	}
	err_clear(&err);
	t0 = now_s();
	if (print_card_sheets_pdf(cards, (size_t)n, "服务联系卡", &out, &err)) {
		fprintf(stderr, "servicesbench: sheet: %s\n", err.message);
		return 2;
	}
	printf("%.4f %zu\n", now_s() - t0, out.len);
	return save(out_path, &out);
}

/* ---- the parent: runs the children and reads their figures ---- */

struct figure {
	double seconds;
	double rss_mib;
	size_t bytes;
};

static int measure(const char *self, char *const argv[], struct figure *f)
{
	int fd[2], status;
	struct rusage ru;
	char line[128] = "";
	pid_t pid;
	FILE *in;

	if (pipe(fd))
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execv(self, argv);
		_exit(127);
	}
	close(fd[1]);
	in = fdopen(fd[0], "r");
	if (!in || !fgets(line, sizeof(line), in))
		line[0] = '\0';
	if (in)
		fclose(in);
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	if (sscanf(line, "%lf %zu", &f->seconds, &f->bytes) != 2)
		return -1;
	f->rss_mib = ru.ru_maxrss / 1024.0; /* kilobytes on Linux */
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int run_all(const char *self)
{
	const char *dir = getenv("SERVICES_OUT") ? getenv("SERVICES_OUT") : "/tmp";
	const char *e = getenv("SERVICES_RUNS");
	int runs = e ? atoi(e) : 5, fail = 0;
	double bt[MAX_RUNS], br[MAX_RUNS], st[MAX_RUNS], sr[MAX_RUNS];
	size_t bbytes = 0, sbytes = 0;
	char bout[512], sout[512], ncards[16];
	double mb, mbr, ms, msr;

	if (runs < 1 || runs > MAX_RUNS)
		runs = 5;
	snprintf(bout, sizeof(bout), "%s/booklet.pdf", dir);
	snprintf(sout, sizeof(sout), "%s/sheet-%d.pdf", dir, SHEET_CARDS);
	snprintf(ncards, sizeof(ncards), "%d", SHEET_CARDS);
	printf("%-6s %14s %12s %14s %12s\n", "run", "booklet s", "booklet MiB", "500 cards s",
	       "cards MiB");
	for (int i = 0; i < runs; i++) {
		char *bargv[] = {(char *)self, "booklet", bout, NULL};
		char *sargv[] = {(char *)self, "sheet", ncards, sout, NULL};
		struct figure b, s;
		if (measure(self, bargv, &b) || measure(self, sargv, &s)) {
			fprintf(stderr, "servicesbench: a measurement failed\n");
			return 2;
		}
		bt[i] = b.seconds;
		br[i] = b.rss_mib;
		st[i] = s.seconds;
		sr[i] = s.rss_mib;
		bbytes = b.bytes;
		sbytes = s.bytes;
		printf("%-6d %14.3f %12.1f %14.3f %12.1f\n", i + 1, b.seconds, b.rss_mib, s.seconds,
		       s.rss_mib);
	}
	mb = median(bt, runs);
	mbr = median(br, runs);
	ms = median(st, runs);
	msr = median(sr, runs);

	printf("\nmedian of %d runs, each in a fresh process\n", runs);
	printf("%-34s %14s   %-18s %s\n", "figure", "measured", "floor", "");
	printf("%-34s %12.3f s   ≤ %-16.1f %s\n", "booklet (A5, demo-sized)", mb, FLOOR_BOOKLET_S,
	       mb <= FLOOR_BOOKLET_S ? "ok" : "MISSED");
	printf("%-34s %10.1f MiB   %-18s %s\n", "booklet peak RSS", mbr, "", "(info)");
	printf("%-34s %12zu B   %-18s %s\n", "booklet size", bbytes, "", "(info)");
	printf("%-34s %12.3f s   ≤ %-16.1f %s\n", "sheet of 500 cards (A4)", ms, FLOOR_SHEET_S,
	       ms <= FLOOR_SHEET_S ? "ok" : "MISSED");
	printf("%-34s %10.1f MiB   ≤ %-16.0f %s\n", "sheet of 500 cards peak RSS", msr,
	       FLOOR_SHEET_MIB, msr <= FLOOR_SHEET_MIB ? "ok" : "MISSED");
	printf("%-34s %12zu B   %-18s %s\n", "sheet size (100 pages)", sbytes, "", "(info)");
	fail = mb > FLOOR_BOOKLET_S || ms > FLOOR_SHEET_S || msr > FLOOR_SHEET_MIB;
	return fail ? 1 : 0;
}

int main(int argc, char **argv)
{
	char self[4096];
	ssize_t n;

	if (argc == 3 && strcmp(argv[1], "booklet") == 0)
		return child_booklet(argv[2]);
	if (argc == 4 && strcmp(argv[1], "sheet") == 0)
		return child_sheet(atol(argv[2]), argv[3]);
	if (argc != 1) {
		fprintf(stderr, "usage: servicesbench [booklet OUT | sheet N OUT]\n");
		return 2;
	}
	/* The children are this program again, by its own path. */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 2;
	self[n] = '\0';
	return run_all(self);
}
