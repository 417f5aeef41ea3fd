/*
 * eventbench: drafting an event's agenda at a city's scale.
 *
 *   eventbench gen DB [CASES] [ENTERPRISES]
 *       a database of ENTERPRISES enterprises (100,000) and CASES cases
 *       (1,000,000) spread over them, made through the migrations and
 *       written in one transaction: texts from a vocabulary of
 *       enterprises' problems (so similar texts are common, as they are),
 *       shingled as an intake shingles them; three in ten open, the rest
 *       closed; created over the last year, a deadline of 5 to 30 days,
 *       so many open ones are overdue.
 *   eventbench draft DB [EVENTS] [INVITED]
 *       drafts the agenda of EVENTS events (200) of INVITED invited
 *       enterprises (500) each, picked at random, through the same code
 *       the API runs (service/event_agenda.c: the open cases read through
 *       the enterprises' index, similar ones grouped with the duplicate
 *       index, domain/agenda.c's ranking), after 5 to warm the cache.
 *
 * Figures go to stdout as "label value" lines for bench/events/run.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/similar.h"
#include "service/event_agenda.h"
#include "store/store.h"
#include "util/timeutil.h"

static uint64_t rng = 0x5A48414E4759414Eull; /* "ZHANGYAN" */

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static uint32_t pick(uint32_t n)
{
	return next() % n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Enterprises' problems: a need, its object and a wish (12 × 16 × 8),
 * with a place in the park half the time. */
static const char *const needs[] = {"扩产用地", "用电增容", "招工",     "融资",
                                    "高新认定", "物流配送", "污水排放", "消防验收",
                                    "人才公寓", "子女入学", "专利申请", "设备更新"};
static const char *const objects[] = {"新建厂房",   "二期项目",   "光纤预制棒产线", "护套料车间",
                                      "仓储中心",   "研发中心",   "自动化产线",     "员工宿舍",
                                      "危化品仓库", "屋顶光伏",   "检测实验室",     "办公楼",
                                      "冷链仓库",   "智能装备线", "包装车间",       "试制车间"};
static const char *const wishes[] = {"希望协调加快", "希望政策支持", "希望上门指导",
                                     "希望统一答复", "希望对接资源", "希望减少材料",
                                     "希望明确时限", "希望专人对接"};
static const char *const places[] = {"园区东门", "张堰路", "振康路", "工业路", "沪杭公路"};

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "eventbench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(2);
}

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die(sql, msg);
}

static int gen(const char *path, int ncases, int nents)
{
	struct store *st;
	struct err err;
	sqlite3 *db;
	sqlite3_stmt *ent, *cs;
	time_t now = time(NULL);
	double t0 = now_s();
	char created[21], deadline[21], text[400], uscc[24], code[16];
	uint32_t sh[256];

	remove(path);
	err_clear(&err);
	store_global_init();
	if (store_open(&st, path, STORE_CREATE, &err))
		die("cannot create the database", err.message);
	store_close(st);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("cannot open the database", path);
	exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN");
	exec(db, "INSERT INTO departments (id, name) VALUES (1, '企业服务办'), (2, '经济园区'), "
	         "(3, '城市运输中心'), (4, '平安办'), (5, '社区管理办'), (6, '规划建设办')");
	exec(db, "INSERT INTO case_categories (id, code, name_zh, name_en, department_id, "
	         "deadline_hours) VALUES (1, 'enterprise_other', '其他企业诉求', 'Other', 1, 240)");
	if (sqlite3_prepare_v2(db,
	                       "INSERT INTO enterprises (id, uscc, name_zh, industry, created_at, "
	                       "updated_at) VALUES (?1, ?2, ?3, '3831', ?4, ?4)",
	                       -1, &ent, NULL) ||
	    sqlite3_prepare_v2(db,
	                       "INSERT INTO cases (id, tracking_code, kind, channel, category_id, "
	                       "department_id, text, enterprise_id, public, state, deadline, "
	                       "created_at, updated_at, shingles) VALUES (?1, ?2, 'problem', "
	                       "'console', 1, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?8, ?9)",
	                       -1, &cs, NULL))
		die("cannot prepare", sqlite3_errmsg(db));
	time_iso(now, created);
	for (int i = 1; i <= nents; i++) {
		char name[64];
		snprintf(uscc, sizeof(uscc), "9131%014d", i);
		snprintf(name, sizeof(name), "测试企业%d", i);
		sqlite3_bind_int(ent, 1, i);
		sqlite3_bind_text(ent, 2, uscc, -1, SQLITE_STATIC);
		sqlite3_bind_text(ent, 3, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ent, 4, created, -1, SQLITE_STATIC);
		if (sqlite3_step(ent) != SQLITE_DONE)
			die("enterprise", sqlite3_errmsg(db));
		sqlite3_reset(ent);
	}
	for (int i = 1; i <= ncases; i++) {
		time_t at = now - (time_t)pick(365 * 86400);
		int open = pick(10) < 3, n;
		snprintf(text, sizeof(text), "%s%s%s，%s", pick(2) ? places[pick(5)] : "",
		         objects[pick(16)], needs[pick(12)], wishes[pick(8)]);
		n = similar_shingles(text, sh, 256);
		snprintf(code, sizeof(code), "B%09d", i);
		time_iso(at, created);
		time_iso(at + (time_t)(5 + pick(26)) * 86400, deadline);
		sqlite3_bind_int(cs, 1, i);
		sqlite3_bind_text(cs, 2, code, -1, SQLITE_STATIC);
		sqlite3_bind_int(cs, 3, 1 + (int)pick(6));
		sqlite3_bind_text(cs, 4, text, -1, SQLITE_STATIC);
		sqlite3_bind_int(cs, 5, 1 + (int)pick((uint32_t)nents));
		sqlite3_bind_text(cs, 6, open ? (pick(2) ? "in_progress" : "submitted") : "closed",
		                  -1, SQLITE_STATIC);
		sqlite3_bind_text(cs, 7, deadline, -1, SQLITE_STATIC);
		sqlite3_bind_text(cs, 8, created, -1, SQLITE_STATIC);
		sqlite3_bind_blob(cs, 9, sh, n * (int)sizeof(uint32_t), SQLITE_STATIC);
		if (sqlite3_step(cs) != SQLITE_DONE)
			die("case", sqlite3_errmsg(db));
		sqlite3_reset(cs);
	}
	sqlite3_finalize(ent);
	sqlite3_finalize(cs);
	exec(db, "COMMIT; ANALYZE");
	sqlite3_close(db);
	printf("made %d enterprises and %d cases in %.1f s\n", nents, ncases, now_s() - t0);
	return 0;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_row(void *ctx, const struct event_open_case *c)
{
	(void)c;
	++*(long long *)ctx;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int draft(const char *path, int events, int invited)
{
	struct store *st;
	struct err err;
	int64_t *ents = malloc((size_t)invited * sizeof(*ents)), nents = 0;
	double *ms = malloc((size_t)events * sizeof(*ms)), sum = 0;
	double *cpu = malloc((size_t)events * sizeof(*cpu));
	long long items = 0, cases_read = 0;
	sqlite3 *db;
	sqlite3_stmt *s;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT max(id), (SELECT count(*) FROM cases) FROM enterprises",
	                       -1, &s, NULL) ||
	    sqlite3_step(s) != SQLITE_ROW)
		die("cannot read the database", path);
	nents = sqlite3_column_int64(s, 0);
	printf("database: %lld enterprises, %lld cases\n", (long long)nents,
	       (long long)sqlite3_column_int64(s, 1));
	sqlite3_finalize(s);
	sqlite3_close(db);
	err_clear(&err);
	store_global_init();
	if (store_open(&st, path, STORE_READONLY, &err))
		die("cannot open", err.message);
	for (int run = -5; run < events; run++) {
		struct event_draft d;
		double t0, c0;
		for (int i = 0; i < invited; i++)
			ents[i] = 1 + (int64_t)pick((uint32_t)nents);
		t0 = now_s();
		c0 = cpu_s();
		if (event_agenda_draft(st, ents, invited, (int64_t)time(NULL), NULL, NULL,
		                       EVT_DRAFT_ITEMS, &d, &err))
			die("draft", err.message);
		if (run >= 0) {
			ms[run] = (now_s() - t0) * 1000;
			cpu[run] = (cpu_s() - c0) * 1000;
			sum += ms[run];
			items += d.nitems;
			cases_read += d.cases_read;
		}
		event_draft_free(&d);
	}
	qsort(ms, (size_t)events, sizeof(*ms), cmp_double);
	qsort(cpu, (size_t)events, sizeof(*cpu), cmp_double);
	/* Beside the wall clock, the CPU time of the drafting thread: what a
	 * draft costs when the machine is busy with other work too. */
	printf("agenda draft CPU time median %.2f ms\n", cpu[events / 2]);
	printf("agenda draft CPU time p99 %.2f ms\n", cpu[(int)ceil(events * 0.99) - 1]);
	/* The part of a draft that is reading: the same kind of sets, the
	 * open cases read and nothing else. */
	{
		double *rd = malloc((size_t)events * sizeof(*rd));
		long long rows = 0;
		for (int run = 0; run < events; run++) {
			double t0;
			for (int i = 0; i < invited; i++)
				ents[i] = 1 + (int64_t)pick((uint32_t)nents);
			t0 = now_s();
			for (int i = 0; i < invited; i++)
				if (store_event_open_cases(st, ents[i], count_row, &rows, &err))
					die("read", err.message);
			rd[run] = (now_s() - t0) * 1000;
		}
		qsort(rd, (size_t)events, sizeof(*rd), cmp_double);
		printf("reading the open cases alone median %.2f ms\n", rd[events / 2]);
		free(rd);
	}
	printf("open cases read per agenda %.0f\n", (double)cases_read / events);
	printf("items kept per agenda %.1f\n", (double)items / events);
	printf("agenda draft median %.2f ms\n", ms[events / 2]);
	printf("agenda draft mean %.2f ms\n", sum / events);
	printf("agenda draft p99 %.2f ms\n", ms[(int)ceil(events * 0.99) - 1]);
	printf("agenda draft max %.2f ms\n", ms[events - 1]);
	store_close(st);
	free(ents);
	free(ms);
	free(cpu);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], argc > 3 ? atoi(argv[3]) : 1000000,
		           argc > 4 ? atoi(argv[4]) : 100000);
	if (argc >= 3 && strcmp(argv[1], "draft") == 0)
		return draft(argv[2], argc > 3 ? atoi(argv[3]) : 200,
		             argc > 4 ? atoi(argv[4]) : 500);
	fprintf(stderr, "usage: eventbench gen DB [CASES] [ENTERPRISES]\n"
	                "       eventbench draft DB [EVENTS] [INVITED]\n");
	return 2;
}
