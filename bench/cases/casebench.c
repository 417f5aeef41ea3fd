/*
 * casebench: the case pipeline's data and duplicate lookups at scale.
 *
 *   casebench gen DB N [--all-open]
 *                            adds N residents' cases to a demo database:
 *                            texts from a vocabulary of everyday
 *                            complaints, 70 % located in Jiuliting,
 *                            created over the last year; those older than
 *                            three weeks are closed but one in twenty (as
 *                            a town's cases are), the rest somewhere along
 *                            their lifecycle.  --all-open leaves every
 *                            case open: the worst case for duplicates.
 *                            Each case is planned by step as intake plans
 *                            it (its category's limits at an urgency, 9 in
 *                            10 ordinary, over the demo's calendar); a
 *                            closed one was answered by one of the town's
 *                            users, on time four times in five, and rated
 *                            seven times in ten, so the outcomes behind the
 *                            rankings are a year of answers.  Nothing is
 *                            escalated: every step past due is a backlog.
 *   casebench round DB [R]   R escalation rounds by step (maintenance's),
 *                            each timed: full batches while the backlog
 *                            lasts, then what a steady round costs
 *   casebench rank DB [Q]    Q rankings of the year to today by department,
 *                            category and handler, each timed
 *   casebench dup DB [Q]     loads the duplicate index from DB as the
 *                            server does at start, then times Q lookups
 *                            (shingling the text and looking it up, as an
 *                            intake does): half new texts, half near-copies
 *                            of stored ones
 *   casebench grow DB N      loads the index so, then takes in N new
 *                            cases as intakes do, each looked up and
 *                            added: the same complaints in words the
 *                            stored cases never used (every Chinese
 *                            character moved to another), as when a new
 *                            estate or a new trouble brings texts the
 *                            index's order of shingles was not taken on;
 *                            prints the cases taken in per second over
 *                            each tenth, and the last tenth's lookup p99
 *
 * Figures go to stdout as "label value" lines for bench/cases/run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/case_limits.h"
#include "domain/hours.h"
#include "domain/similar.h"
#include "service/case_index.h"
#include "service/case_service.h"
#include "service/case_steps.h"
#include "service/maintenance.h"
#include "store/store.h"
#include "store/store_casereq.h"
#include "util/timeutil.h"

static uint64_t rng = 0x4A49554C4954494Eull; /* "JIULITIN" */

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

/*
 * The language of the generated cases: places made of a name and a kind
 * of place (40 × 12), things with a qualifier (30 × 10), troubles with a
 * degree (23 × 8), and wishes -- a town's worth of everyday complaints,
 * so that similar texts are common but not the rule.
 */
static const char *const names[] = {
    "亭北", "亭南", "涞寅", "绿地", "九里", "沪亭", "亭知", "新凯", "文翔", "奥林",
    "复地", "涞坊", "中大", "同济", "杜巷", "涞亭", "九亭", "沪松", "涞坊", "易富",
    "颐景", "云庭", "明中", "玉乐", "伴亭", "朱龙", "英亭", "盛龙", "东江", "北松",
    "南亭", "西河", "金桥", "银都", "华亭", "星辰", "锦绣", "兰亭", "秀竹", "梅园",
};
static const char *const kinds[] = {"路",   "街",   "小区", "新村", "苑",   "花园",
                                    "公寓", "广场", "菜场", "学校", "公园", "地铁站"};
static const char *const things[] = {
    "路灯",   "垃圾桶", "停车位",   "绿化带",   "人行道", "下水道", "公交站", "健身器材",
    "快递柜", "电梯",   "充电桩",   "楼道",     "围墙",   "井盖",   "红绿灯", "自行车棚",
    "座椅",   "广告牌", "消防通道", "监控探头", "花坛",   "排水沟", "路面",   "护栏",
    "门禁",   "水管",   "化粪池",   "窨井",     "标志牌", "凉亭",
};
static const char *const qualifiers[] = {"东侧的", "西侧的", "门口的", "旁边的", "对面的",
                                         "拐角的", "里面的", "北面的", "南面的", "附近的"};
static const char *const troubles[] = {
    "坏了没人修", "太暗",     "清运不及时", "占道", "积水",     "噪音扰民",
    "有安全隐患", "数量不够", "堆放杂物",   "破损", "味道很大", "时间太短",
    "排长队",     "没有遮挡", "漏水",       "松动", "被压坏",   "长期关闭",
    "乱贴小广告", "有异响",   "被占用",     "倾斜", "生锈",
};
static const char *const degrees[] = {"很久了", "好几天了", "特别严重", "反复出现",
                                      "一直",   "越来越",   "每天晚上", "下雨天"};
static const char *const wishes[] = {
    "建议尽快维修",         "建议增设",     "希望加强管理", "建议定期检查",
    "希望有关部门协调解决", "建议错峰开放", "建议加装照明", "希望听取居民意见",
    "建议设置提醒标志",     "希望尽快处理", "请物业跟进",   "希望街道督促整改",
    "建议公示处理结果",     "盼早日解决",
};
/* Everyday characters, a few of which each resident adds in their own
 * words, so that no two texts are the same sentence. */
static const char common[] =
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
    "说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机"
    "当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心"
    "反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党"
    "程";

#define PICK(a) (a[next() % (sizeof(a) / sizeof(a[0]))])

static void text_of(char *out, size_t n)
{
	int clauses = 1 + (int)(next() % 3), len;

	out[0] = '\0';
	for (int c = 0; c < clauses; c++) {
		len = (int)strlen(out);
		snprintf(out + len, n - (size_t)len, "%s%s%s%s%s%s，", PICK(names), PICK(kinds),
		         PICK(qualifiers), PICK(things), PICK(degrees), PICK(troubles));
	}
	/* A few words of the resident's own: 4 to 12 characters. */
	for (int k = 4 + (int)(next() % 9); k > 0; k--) {
		size_t at = 3 * (next() % ((sizeof(common) - 1) / 3));
		len = (int)strlen(out);
		if ((size_t)len + 4 < n)
			memcpy(out + len, common + at, 3), out[len + 3] = '\0';
	}
	len = (int)strlen(out);
	snprintf(out + len, n - (size_t)len, "，%s。", PICK(wishes));
}

static const char *const codes[] = {"road_lighting", "parking",      "environment",
                                    "community",     "elderly_care", "safety"};
static const char *const states[] = {"submitted", "accepted", "assigned", "in_progress",
                                     "under_review"};

static int die(const struct err *e)
{
	fprintf(stderr, "casebench: %s\n", e->message);
	return 1;
}

static int by_double(const void *a, const void *b);

/* A case planned by step as intake plans it (case_steps_plan), from its
 * category's limits read once: dispatch and first reply from the
 * limits, resolution from them or 240 plain hours. */
static void plan(struct case_rec *c, const struct case_limits *x, const struct work_calendar *cal,
                 time_t t0)
{
	struct case_steps *s = &c->steps;
	enum case_urgency u = s->urgency;
	time_t due;

	for (int p = 0; p < STEP_N; p++) {
		s->limit[p] = x->l[u][p];
		due = s->limit[p].unit != LU_NONE ? case_limit_due(cal, t0, &s->limit[p]) : -1;
		if (p == STEP_RESOLUTION) {
			if (due < 0) {
				s->limit[p] = (struct case_limit){240, LU_HOURS};
				due = t0 + 240 * 3600;
			}
			case_time_format(due, c->deadline);
		} else if (due >= 0) {
			case_time_format(due, p == STEP_DISPATCH ? s->dispatch_due : s->reply_due);
		}
	}
}

/* A satisfaction as residents give it: mostly content. */
static int rating_of(void)
{
	unsigned r = next() % 100;
	return r < 50 ? 5 : r < 75 ? 4 : r < 87 ? 3 : r < 95 ? 2 : 1;
}

static int cmd_gen(const char *db, long n, int all_open)
{
	struct store *st;
	struct err e;
	struct category_rec cat;
	int64_t cat_ids[6], dept_ids[6];
	struct case_draft *d = calloc(1, sizeof(*d));
	struct case_limits limits[6];
	struct work_calendar *cal = NULL;
	struct case_event ev;
	int64_t users[64];
	int nusers = 0;
	time_t now = time(NULL);
	int64_t t0 = time_mono_us();

	err_clear(&e);
	if (!d || store_open(&st, db, STORE_MIGRATE, &e))
		return die(&e);
	for (int i = 0; i < 6; i++) {
		if (store_category_by_code(st, codes[i], &cat, &e) ||
		    store_case_limits_get(st, cat.id, &limits[i], &e))
			return die(&e);
		cat_ids[i] = cat.id;
		dept_ids[i] = cat.department_id;
	}
	if (!(cal = case_calendar_load(st, &e)))
		return die(&e);
	/* The town's users answer the cases. */
	for (int64_t id = 1; id < 400 && nusers < 64; id++) {
		struct user u;
		struct err none;
		err_clear(&none);
		if (store_user_get(st, id, &u, &none) == 0)
			users[nusers++] = id;
	}
	if (!nusers)
		return fprintf(stderr, "casebench: no users to answer the cases\n"), 1;
	if (store_begin(st, &e))
		return die(&e);
	for (long i = 0; i < n; i++) {
		unsigned char rnd[8];
		int k = (int)(next() % 6), closed;
		time_t created;
		memset(&d->c, 0, sizeof(d->c));
		d->c.kind = next() % 2 ? CASE_SUGGESTION : CASE_COMPLAINT;
		snprintf(d->c.channel, sizeof(d->c.channel), "web");
		d->c.category_id = cat_ids[k];
		d->c.department_id = dept_ids[k];
		text_of(d->c.text, sizeof(d->c.text));
		snprintf(d->c.street, sizeof(d->c.street), "九里亭街道");
		if (next() % 10 < 7) {
			d->c.located = 1;
			d->c.lon = 121.32 + (next() % 3000) * 1e-5;
			d->c.lat = 31.10 + (next() % 2500) * 1e-5;
		}
		d->c.public_ = 1;
		{
			time_t age = (time_t)(next() % (365 * 86400));
			unsigned u = next() % 100;
			created = now - age;
			time_iso(created, d->c.created_at);
			/* Old cases are done with, bar a few stragglers. */
			closed = !all_open && age > 21 * 86400 && next() % 20;
			d->c.steps.has = 1;
			d->c.steps.urgency = u < 90   ? CU_ORDINARY
			                     : u < 98 ? CU_URGENT
			                              : CU_EMERGENCY;
			plan(&d->c, &limits[k], cal, created);
		}
		for (int b = 0; b < 8; b++)
			rnd[b] = (unsigned char)next();
		case_tracking_code(rnd, d->c.tracking_code);
		d->c.nshingles = similar_shingles(d->c.text, d->shingles, CASE_SHINGLES_MAX);
		d->c.shingles = d->shingles;
		if (store_case_insert(st, &d->c, NULL, "bench", NULL, &e)) {
			if (strcmp(e.code, "tracking_code_taken") == 0) {
				err_clear(&e);
				i--;
				continue;
			}
			return die(&e);
		}
		/* Some way along their lifecycle. */
		if (closed) {
			/* Answered by a user of the town, on time four times in
			 * five (the answer's event is what the rankings count),
			 * then called back and closed. */
			time_t due, answered, limit;
			char at[21];
			case_time_parse(d->c.deadline, &due);
			limit = due - created;
			answered = created + (next() % 5 ? limit * (20 + next() % 80) / 100
			                                 : limit + limit * (5 + next() % 60) / 100);
			if (answered > now)
				answered = now;
			time_iso(created + (answered - created) / 10, d->c.steps.dispatched_at);
			time_iso(created + (answered - created) / 4, d->c.steps.replied_at);
			time_iso(answered, at);
			memset(&ev, 0, sizeof(ev));
			ev.case_id = d->c.id;
			ev.user_id = users[next() % (uint32_t)nusers];
			snprintf(ev.actor, sizeof(ev.actor), "bench");
			snprintf(ev.action, sizeof(ev.action), "transition");
			snprintf(ev.from_state, sizeof(ev.from_state), "in_progress");
			snprintf(ev.to_state, sizeof(ev.to_state), "resolved");
			memcpy(ev.at, at, sizeof(at));
			if (store_case_event_add(st, &ev, &e))
				return die(&e);
			d->c.state = CS_CLOSED;
			memcpy(d->c.resolved_at, at, sizeof(at));
			time_iso(answered + 86400 < now ? answered + 86400 : now, d->c.closed_at);
			d->c.rating = next() % 10 < 7 ? rating_of() : 0;
			if (store_case_update(st, &d->c, d->c.version, &e) ||
			    store_case_steps_put(st, &d->c, &e))
				return die(&e);
		} else if (next() % 3) {
			case_state_parse(states[next() % 5], &d->c.state);
			if (d->c.kind == CASE_COMPLAINT && d->c.state == CS_UNDER_REVIEW)
				d->c.state = CS_ACCEPTED;
			if (d->c.state != CS_SUBMITTED && d->c.state != CS_ACCEPTED)
				time_iso(created + 3600, d->c.steps.dispatched_at);
			if (d->c.state == CS_IN_PROGRESS || d->c.state == CS_UNDER_REVIEW)
				time_iso(created + 4 * 3600, d->c.steps.replied_at);
			if (store_case_update(st, &d->c, d->c.version, &e) ||
			    store_case_steps_put(st, &d->c, &e))
				return die(&e);
		}
		if ((i + 1) % 50000 == 0) {
			if (store_commit(st, &e) || store_begin(st, &e))
				return die(&e);
			fprintf(stderr, "\rcasebench: %ld of %ld cases", i + 1, n);
		}
	}
	if (store_commit(st, &e))
		return die(&e);
	fprintf(stderr, "\n");
	printf("generated %ld cases in %.1f s\n", n, (double)(time_mono_us() - t0) / 1e6);
	store_close(st);
	free(cal);
	free(d);
	return 0;
}

static int count_id(void *ctx, int64_t id)
{
	(void)id;
	(*(long *)ctx)++;
	return 0;
}

/* R rounds of the escalation by step, each timed, on a copy of the city
 * (it writes): how many each escalated and how long it took. */
static int cmd_round(const char *db, int rounds)
{
	struct store *st;
	struct err e;
	char now[21];
	long due[STEP_N] = {0};

	err_clear(&e);
	if (store_open(&st, db, 0, &e))
		return die(&e);
	time_now_iso(now);
	for (int p = 0; p < STEP_N; p++)
		if (store_case_steps_due(st, (enum case_step)p, now, 100000000, count_id, &due[p],
		                         &e))
			return die(&e);
	printf("backlog dispatch %ld first_reply %ld resolution %ld\n", due[STEP_DISPATCH],
	       due[STEP_FIRST_REPLY], due[STEP_RESOLUTION]);
	for (int r = 0; r < rounds; r++) {
		int64_t t = time_mono_us();
		int n = maintenance_escalate(st, now, &e);
		if (n < 0)
			return die(&e);
		printf("round %d escalated %d in %.1f ms\n", r + 1, n,
		       (double)(time_mono_us() - t) / 1000.0);
	}
	store_close(st);
	return 0;
}

struct rank_count {
	long rows, answers;
};

static int count_row(void *ctx, const struct case_rank_row *row)
{
	struct rank_count *x = ctx;

	x->rows++;
	x->answers += row->finished;
	return 0;
}

/* Q rankings of the year to today by each key, each timed. */
static int cmd_rank(const char *db, int q)
{
	static const char *const names[] = {"department", "category", "handler"};
	struct store *st;
	struct err e;
	char from[11], to[11];
	double *ms = malloc((size_t)q * sizeof(*ms));

	err_clear(&e);
	if (!ms || store_open(&st, db, 0, &e))
		return die(&e);
	hours_days_date(work_day_of(time(NULL)), to);
	hours_days_date(work_day_of(time(NULL)) - 364, from);
	for (int by = 0; by < 3; by++) {
		struct rank_count x = {0, 0};
		for (int i = 0; i < q; i++) {
			int64_t t = time_mono_us();
			x.rows = x.answers = 0;
			if (store_case_rankings(st, (enum case_rank_by)by, from, to, NULL,
			                        count_row, &x, &e))
				return die(&e);
			ms[i] = (double)(time_mono_us() - t) / 1000.0;
		}
		qsort(ms, (size_t)q, sizeof(*ms), by_double);
		printf("rankings by %s p50 %.2f ms max %.2f ms rows %ld answers %ld\n", names[by],
		       ms[q / 2], ms[q - 1], x.rows, x.answers);
	}
	store_close(st);
	free(ms);
	return 0;
}

static long rss_kib(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = atol(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return v;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct sample {
	char (*texts)[512];
	double *lon, *lat;
	long n, cap, seen;
};

/* Reservoir of stored texts to make near-copies from. */
static int keep_text(void *ctx, const struct case_rec *c)
{
	struct sample *s = ctx;
	long slot = s->seen < s->cap ? s->seen : (long)(next() % (uint32_t)(s->seen + 1));

	s->seen++;
	if (slot < s->cap) {
		snprintf(s->texts[slot], 512, "%.500s", c->text);
		s->lon[slot] = c->located ? c->lon : NAN;
		s->lat[slot] = c->lat;
		if (s->n < s->cap)
			s->n++;
	}
	return 0;
}

static int cmd_dup(const char *db, long q)
{
	struct store *st;
	struct err e;
	struct sample s = {0};
	struct case_filter f;
	double *ms = malloc((size_t)q * sizeof(*ms));
	long found = 0, hits_total = 0;
	int64_t t0;
	long before = rss_kib("VmRSS:");

	err_clear(&e);
	if (!ms || store_open(&st, db, 0, &e))
		return die(&e);
	t0 = time_mono_us();
	if (cases_index_load(st, &e))
		return die(&e);
	printf("index load %.2f s\n", (double)(time_mono_us() - t0) / 1e6);
	printf("index cases %zu\n", case_index_count(cases_index()));
	printf("index memory %.0f MiB\n", (double)(rss_kib("VmRSS:") - before) / 1024.0);
	s.cap = 2000;
	s.texts = calloc((size_t)s.cap, sizeof(*s.texts));
	s.lon = calloc((size_t)s.cap, sizeof(double));
	s.lat = calloc((size_t)s.cap, sizeof(double));
	memset(&f, 0, sizeof(f));
	f.limit = 20000; /* open ones, for the near-copies */
	f.open = 1;
	if (!s.texts || store_cases(st, &f, keep_text, &s, &e))
		return die(&e);
	for (long i = 0; i < q; i++) {
		char text[600];
		struct similar_hit h[5];
		int located = 0, n;
		double lon = 0, lat = 0;
		int64_t t;
		if (i % 2 && s.n) {
			/* A near-copy: the same complaint with a word changed. */
			long k = (long)(next() % (uint32_t)s.n);
			snprintf(text, sizeof(text), "%s%s", s.texts[k], PICK(wishes));
			if (!isnan(s.lon[k])) {
				located = 1;
				lon = s.lon[k] + 0.0005;
				lat = s.lat[k];
			}
		} else {
			text_of(text, sizeof(text));
			if (next() % 2) {
				located = 1;
				lon = 121.32 + (next() % 3000) * 1e-5;
				lat = 31.10 + (next() % 2500) * 1e-5;
			}
		}
		t = time_mono_us();
		n = cases_similar(text, located, lon, lat, 0, h, 5);
		ms[i] = (double)(time_mono_us() - t) / 1000.0;
		if (n < 0) {
			fprintf(stderr, "casebench: lookup failed\n");
			return 1;
		}
		found += n > 0;
		hits_total += n;
	}
	qsort(ms, (size_t)q, sizeof(*ms), by_double);
	printf("lookups %ld\n", q);
	printf("lookups with a duplicate offered %.1f %%\n", 100.0 * (double)found / (double)q);
	printf("duplicate lookup p50 %.3f ms\n", ms[q / 2]);
	printf("duplicate lookup p99 %.3f ms\n", ms[(long)(q * 0.99)]);
	printf("duplicate lookup max %.3f ms\n", ms[q - 1]);
	(void)hits_total;
	cases_index_clear();
	store_close(st);
	free(s.texts);
	free(s.lon);
	free(s.lat);
	free(ms);
	return 0;
}

/* The text with each character of the CJK block moved 0x100 places
 * along it (wrapping within the block): the same complaint in
 * characters no stored case has. */
static void new_words(char *text)
{
	for (unsigned char *p = (unsigned char *)text; *p; p++) {
		unsigned cp;
		if ((p[0] & 0xF0) != 0xE0 || !p[1] || !p[2])
			continue;
		cp = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
		if (cp >= 0x4E00 && cp <= 0x9FFF) {
			cp = 0x4E00 + (cp - 0x4E00 + 0x100) % (0x9FFF - 0x4E00 + 1);
			p[0] = (unsigned char)(0xE0 | cp >> 12);
			p[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
			p[2] = (unsigned char)(0x80 | (cp & 0x3F));
		}
		p += 2;
	}
}

static int cmd_grow(const char *db, long n)
{
	struct store *st;
	struct err e;
	long tenth = n / 10 > 0 ? n / 10 : 1, at = 0;
	double *ms = malloc((size_t)tenth * sizeof(*ms));
	int64_t t0, t;

	err_clear(&e);
	if (!ms || store_open(&st, db, 0, &e))
		return die(&e);
	if (cases_index_load(st, &e))
		return die(&e);
	printf("index cases %zu\n", case_index_count(cases_index()));
	t0 = time_mono_us();
	for (long i = 0; i < n; i++) {
		char text[600];
		uint32_t sh[CASE_SHINGLES_MAX];
		struct similar_hit h[5];
		int k;

		text_of(text, sizeof(text));
		new_words(text);
		t = time_mono_us();
		k = similar_shingles(text, sh, CASE_SHINGLES_MAX);
		if (k > 0 && cases_similar_shingles(sh, k, 0, 0, 0, 0, h, 5) < 0) {
			fprintf(stderr, "casebench: lookup failed\n");
			return 1;
		}
		ms[at++] = (double)(time_mono_us() - t) / 1000.0;
		if (k > 0 && case_index_add(cases_index(), INT64_MAX - i, sh, k, 0, 0, 0)) {
			fprintf(stderr, "casebench: out of memory\n");
			return 1;
		}
		if (at == tenth) {
			printf("taken in %ld cases/s %.0f\n", i + 1,
			       (double)tenth / ((double)(time_mono_us() - t0) / 1e6));
			t0 = time_mono_us();
			if (i + 1 < n)
				at = 0;
		}
	}
	qsort(ms, (size_t)at, sizeof(*ms), by_double);
	printf("last tenth lookup p99 %.3f ms\n", at ? ms[(long)((double)at * 0.99)] : 0.0);
	cases_index_clear();
	store_close(st);
	free(ms);
	return 0;
}

int main(int argc, char **argv)
{
	store_global_init();
	if (argc >= 4 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argv[2], atol(argv[3]), argc >= 5 && !strcmp(argv[4], "--all-open"));
	if (argc >= 3 && strcmp(argv[1], "dup") == 0)
		return cmd_dup(argv[2], argc >= 4 ? atol(argv[3]) : 5000);
	if (argc >= 4 && strcmp(argv[1], "grow") == 0)
		return cmd_grow(argv[2], atol(argv[3]));
	if (argc >= 3 && strcmp(argv[1], "round") == 0)
		return cmd_round(argv[2], argc >= 4 ? atoi(argv[3]) : 5);
	if (argc >= 3 && strcmp(argv[1], "rank") == 0)
		return cmd_rank(argv[2], argc >= 4 ? atoi(argv[3]) : 9);
	fprintf(stderr, "usage: casebench gen DB N [--all-open] | casebench dup DB [QUERIES] | "
	                "casebench grow DB N | casebench round DB [ROUNDS] | casebench rank DB "
	                "[QUERIES]\n");
	return 2;
}
