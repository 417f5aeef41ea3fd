/*
 * citybench: a city in one database, and timed requests against a server
 * that serves it.
 *
 *   citybench gen DB SCALE YEARS
 *       grows the demo database DB (qunyan init --demo) into a city:
 *       Shanghai's 16 districts with 215 towns and streets (the demo's
 *       own among them), 3,000,000 x SCALE enterprises and 10,000,000 x
 *       SCALE cases created over the last YEARS years, loaded through the
 *       store's bulk path (store_bulk_*).  Every enterprise and case lies
 *       in a town and carries that town's district.  Deterministic: the
 *       same binary and arguments give the same city (but for the dates,
 *       which count back from today).
 *   citybench pages URL KEY REQUESTS CLIENTS DEPTH
 *       CLIENTS threads walk GET /api/v1/enterprises?limit=50 as KEY's
 *       holder: the first page, then DEPTH - 1 pages further on, each by
 *       the cursor of the one before, then again from the first; REQUESTS
 *       requests in all.  Prints the latencies of first and further pages.
 *   citybench get URL KEY REQUESTS PATH
 *       GET PATH REQUESTS times, one after the other; prints latencies.
 *
 * Figures go to stdout as "label value" lines for bench/city/run.
 */
#include <curl/curl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/similar.h"
#include "domain/uscc.h"
#include "service/case_service.h"
#include "store/store.h"
#include "util/timeutil.h"

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64, one stream per purpose                   */

static uint64_t mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint32_t below(uint64_t *s, uint32_t n)
{
	return (uint32_t)((mix(s) >> 32) % n);
}

static double unit(uint64_t *s)
{
	return (double)(mix(s) >> 11) / 9007199254740992.0;
}

#define PICK(s, a) (a[below(s, sizeof(a) / sizeof(a[0]))])

static double secs(int64_t t0)
{
	return (double)(time_mono_us() - t0) / 1e6;
}

static int die(const struct err *e)
{
	fprintf(stderr, "citybench: %s\n", e->message);
	return 1;
}

/* ------------------------------------------------------------------ */
/* The city                                                             */

/* Shanghai's districts and how many towns and streets each has here
 * (215 in all), with a box around each for coordinates. */
static const struct {
	const char *code, *zh, *en;
	int towns;
	double lon, lat;
} districts[] = {
    {"310101", "黄浦区", "Huangpu District", 10, 121.48, 31.22},
    {"310104", "徐汇区", "Xuhui District", 13, 121.43, 31.18},
    {"310105", "长宁区", "Changning District", 10, 121.40, 31.21},
    {"310106", "静安区", "Jing'an District", 14, 121.45, 31.25},
    {"310107", "普陀区", "Putuo District", 10, 121.39, 31.25},
    {"310109", "虹口区", "Hongkou District", 8, 121.49, 31.27},
    {"310110", "杨浦区", "Yangpu District", 12, 121.52, 31.27},
    {"310112", "闵行区", "Minhang District", 14, 121.38, 31.11},
    {"310113", "宝山区", "Baoshan District", 12, 121.44, 31.40},
    {"310114", "嘉定区", "Jiading District", 12, 121.25, 31.37},
    {"310115", "浦东新区", "Pudong New Area", 36, 121.60, 31.20},
    {"310116", "金山区", "Jinshan District", 11, 121.30, 30.80},
    {"310117", "松江区", "Songjiang District", 17, 121.22, 31.03},
    {"310118", "青浦区", "Qingpu District", 11, 121.11, 31.15},
    {"310120", "奉贤区", "Fengxian District", 11, 121.47, 30.92},
    {"310151", "崇明区", "Chongming District", 14, 121.40, 31.62},
};
#define NDISTRICTS ((int)(sizeof(districts) / sizeof(districts[0])))

struct town {
	int64_t id, district_id;
	int district; /* index in districts[] */
	double cum;   /* cumulative weight, for drawing */
};

struct towns {
	struct town t[256];
	int n;
	int64_t district_ids[NDISTRICTS];
};

struct tree_read {
	struct jurisdiction *n;
	size_t len;
};

static int put_node(struct store *st, int64_t parent, enum jur_level level, const char *kind,
                    const char *code, const char *zh, const char *en, int64_t *id, struct err *e)
{
	struct jurisdiction j;

	memset(&j, 0, sizeof(j));
	j.parent_id = parent;
	j.level = level;
	snprintf(j.kind, sizeof(j.kind), "%s", kind);
	snprintf(j.code, sizeof(j.code), "%s", code);
	snprintf(j.name_zh, sizeof(j.name_zh), "%s", zh);
	snprintf(j.name_en, sizeof(j.name_en), "%s", en);
	if (store_jurisdiction_put(st, &j, e))
		return -1;
	*id = j.id;
	return 0;
}

/*
 * Adds what the demo's tree lacks of the city: the districts, and towns
 * and streets under each up to its number (the demo's own count among
 * them), coded after the district (streets 0NN, towns 1NN) and named by
 * their number.  Then reads the towns back, each with a weight between
 * 0.5 and 1.5 for the records it gets.
 */
static int build_tree(struct store *st, struct towns *out, uint64_t *rng, struct err *e)
{
	struct jurisdiction city;
	struct tree_read t = {0};
	double cum = 0;

	if (store_jurisdiction_by_code(st, "310000", &city, e))
		return -1;
	if (store_begin(st, e))
		return -1;
	for (int d = 0; d < NDISTRICTS; d++) {
		struct jurisdiction dj;
		int have = 0, next = 1;
		int64_t id;

		if (store_jurisdiction_by_code(st, districts[d].code, &dj, e)) {
			if (e->kind != ERR_NOT_FOUND)
				goto fail;
			err_clear(e);
			if (put_node(st, city.id, JL_DISTRICT, "district", districts[d].code,
			             districts[d].zh, districts[d].en, &id, e) ||
			    store_jurisdiction_get(st, id, &dj, e))
				goto fail;
		}
		free(t.n);
		if (store_jurisdiction_all(st, &t.n, &t.len, e))
			goto fail;
		for (size_t i = 0; i < t.len; i++)
			have += t.n[i].parent_id == dj.id && t.n[i].level == JL_TOWN;
		while (have < districts[d].towns) {
			char code[16], zh[64], en[64];
			int street = next <= districts[d].towns / 2;
			struct jurisdiction probe;

			snprintf(code, sizeof(code), "%s%s%02d", districts[d].code,
			         street ? "0" : "1", street ? next : next - districts[d].towns / 2);
			snprintf(zh, sizeof(zh), "%s第%d%s", districts[d].zh, next,
			         street ? "街道" : "镇");
			snprintf(en, sizeof(en), "%s %s %d", districts[d].en,
			         street ? "Street" : "Town", next);
			next++;
			if (store_jurisdiction_by_code(st, code, &probe, e) == 0)
				continue; /* the demo's */
			err_clear(e);
			if (put_node(st, dj.id, JL_TOWN, street ? "street" : "town", code, zh, en,
			             &id, e))
				goto fail;
			have++;
		}
		out->district_ids[d] = dj.id;
	}
	if (store_commit(st, e))
		goto fail;
	free(t.n);
	if (store_jurisdiction_all(st, &t.n, &t.len, e))
		goto out;
	out->n = 0;
	for (size_t i = 0; i < t.len; i++) {
		if (t.n[i].level != JL_TOWN)
			continue;
		for (int d = 0; d < NDISTRICTS; d++)
			if (out->district_ids[d] == t.n[i].district_id) {
				struct town *w = &out->t[out->n++];
				w->id = t.n[i].id;
				w->district_id = t.n[i].district_id;
				w->district = d;
				cum += 0.5 + unit(rng);
				w->cum = cum;
			}
	}
	for (int i = 0; i < out->n; i++)
		out->t[i].cum /= cum;
	free(t.n);
	return 0;
fail:
	store_rollback(st);
out:
	free(t.n);
	return -1;
}

static const struct town *draw_town(const struct towns *w, uint64_t *rng)
{
	double u = unit(rng);
	int lo = 0, hi = w->n - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (w->t[mid].cum < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &w->t[lo];
}

/* ------------------------------------------------------------------ */
/* Enterprises                                                          */

static const char *const brands[] = {
    "华", "金", "恒", "瑞", "星", "达", "通", "宏", "盛", "鑫", "源", "泰", "德", "丰", "嘉", "联",
    "创", "科", "凯", "明", "晨", "博", "安", "宇", "海", "峰", "辰", "润", "捷", "永", "信", "汇",
};
static const struct {
	const char *zh, *en, *industry;
} lines[] = {
    {"光缆", "Optical Cable", "3833"},
    {"电线电缆", "Wire and Cable", "3831"},
    {"光电器件", "Optoelectronics", "3976"},
    {"物流", "Logistics", "5431"},
    {"新材料", "New Materials", "2651"},
    {"智能装备", "Intelligent Equipment", "3499"},
    {"软件", "Software", "6513"},
    {"包装", "Packaging", "2231"},
    {"塑料制品", "Plastic Products", "2927"},
    {"金属制品", "Metal Products", "3340"},
};
static const char *const roads[] = {"中山路", "人民路", "解放路", "建设路", "工业路", "新华路"};
/* Second character of the organisation body: USCC letters (no I O S V Z). */
static const char letters[] = "ABCDEFGHJKLMNPQRTUWXY";

/* Enterprise i's code: the district's region, and an organisation body
 * that is a scramble of i (distinct for distinct i). */
static void make_uscc(long i, const char *region, char out[19])
{
	char prefix[9], org[9];
	long low = i % 1000000, high = i / 1000000;

	snprintf(prefix, sizeof(prefix), "91%s", region);
	org[0] = 'M';
	org[1] = letters[high % 21];
	snprintf(org + 2, 7, "%06ld", (low * 387419L + 123457L) % 1000000L);
	uscc_make(prefix, org, out);
}

static int gen_enterprises(struct store *st, const struct towns *w, long n, uint64_t *rng,
                           struct err *e)
{
	struct enterprise *ent = malloc(sizeof(*ent));
	char now[21];

	if (!ent)
		return err_set(e, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	enterprise_init(ent);
	time_now_iso(now);
	for (long i = 0; i < n; i++) {
		const struct town *t = draw_town(w, rng);
		int d = t->district, l = (int)below(rng, sizeof(lines) / sizeof(lines[0]));
		uint32_t r = below(rng, 100);

		enterprise_reset(ent);
		make_uscc(i, districts[d].code, ent->uscc);
		snprintf(ent->name_zh, sizeof(ent->name_zh), "上海%s%s%s有限公司",
		         PICK(rng, brands), PICK(rng, brands), lines[l].zh);
		snprintf(ent->name_en, sizeof(ent->name_en), "Shanghai %s Co., Ltd.", lines[l].en);
		memcpy(ent->industry, lines[l].industry, 5);
		ent->stage = (enum chain_stage)(1 + below(rng, 5));
		ent->employees = r < 60   ? 1 + below(rng, 19)
		                 : r < 90 ? 20 + below(rng, 280)
		                          : 300 + below(rng, 3000);
		ent->size = ent->employees < 20    ? SIZE_MICRO
		            : ent->employees < 300 ? SIZE_SMALL
		                                   : SIZE_MEDIUM;
		snprintf(ent->founded, sizeof(ent->founded), "%04u-%02u-%02u",
		         1990 + below(rng, 35), 1 + below(rng, 12), 1 + below(rng, 28));
		snprintf(ent->address, sizeof(ent->address), "上海市%s%s%u号", districts[d].zh,
		         PICK(rng, roads), 1 + below(rng, 999));
		ent->has_location = 1;
		ent->lon = districts[d].lon + (unit(rng) - 0.5) * 0.08;
		ent->lat = districts[d].lat + (unit(rng) - 0.5) * 0.08;
		r = below(rng, 100);
		ent->status = r < 94 ? STATUS_ACTIVE : r < 98 ? STATUS_MOVED_OUT : STATUS_CLOSED;
		ent->in_park = 1; /* in the registry of its town, not a partner outside */
		ent->jurisdiction_id = t->id;
		ent->district_id = t->district_id;
		memcpy(ent->created_at, now, sizeof(now));
		memcpy(ent->updated_at, now, sizeof(now));
		if (store_bulk_enterprise(st, ent, e)) {
			free(ent);
			return -1;
		}
		if ((i + 1) % 500000 == 0)
			fprintf(stderr, "\rcitybench: %ld of %ld enterprises", i + 1, n);
	}
	fprintf(stderr, "\n");
	free(ent);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Cases                                                                */

static const char *const places[] = {"路口",       "小区门口", "菜场旁", "学校门口", "公园里",
                                     "地铁站出口", "公交站",   "广场",   "楼道里",   "河道边"};
static const char *const things[] = {"路灯",   "垃圾桶", "停车位", "绿化带", "人行道",
                                     "下水道", "充电桩", "电梯",   "井盖",   "护栏"};
static const char *const troubles[] = {"坏了没人修", "太暗",       "清运不及时", "被占用", "积水",
                                       "噪音扰民",   "有安全隐患", "破损",       "漏水",   "松动"};
static const char *const wishes[] = {"建议尽快维修。", "希望加强管理。", "请有关部门协调解决。",
                                     "建议定期检查。", "希望尽快处理。"};
static const char *const codes[] = {"road_lighting", "parking", "environment", "community",
                                    "elderly_care",  "safety",  "land",        "labour"};

/* 31^9: the number of tracking codes (case.h).  Case i's code spells
 * i * CODE_STEP + 123456789 in base 31, most significant digit first:
 * distinct by construction, so that no insert meets a taken one, and in
 * the order of i, as codes are in a register another system kept, so
 * that the load adds each to the end of the codes' unique index.
 * (case_tracking_code writes its number's least significant digit
 * first: the number given it is the digits reversed.) */
#define CODE_STEP 2600000ull
_Static_assert(10000000ull * CODE_STEP + 123456789ull < 26439622160671ull,
               "the whole city's codes fit in 31^9");

static void tracking_code(long i, char out[11])
{
	uint64_t n = (uint64_t)i * CODE_STEP + 123456789ull, v = 0;
	unsigned char b[8];

	for (int k = 0; k < 9; k++, n /= 31)
		v = v * 31 + n % 31;
	for (int k = 7; k >= 0; k--, v >>= 8)
		b[k] = (unsigned char)v;
	case_tracking_code(b, out);
}

struct lifecycle {
	enum case_state state;
	int adopted;       /* passed through adoption */
	int rating;        /* 0: none */
	double resolved_h; /* hours after intake; < 0: not */
	double closed_h;
	double adopted_h;
};

/*
 * What became of a case `age` hours old: old ones are done with (a final
 * state) but one in twenty, younger ones lie along their lifecycle.
 * Suggestions are adopted three times in ten; handling takes 1 to 15
 * days, so that about two thirds are on time against the 10-day limit
 * every case is given here.
 */
static void fate(enum case_kind kind, double age, uint64_t *rng, struct lifecycle *f)
{
	double handle = 24 * (1 + 14 * unit(rng));
	uint32_t r = below(rng, 100);

	memset(f, 0, sizeof(*f));
	f->resolved_h = f->closed_h = f->adopted_h = -1;
	if (age > 21 * 24 && below(rng, 20)) {
		if (kind == CASE_SUGGESTION && r < 30) {
			f->adopted = 1;
			f->adopted_h = handle / 3;
			f->state = CS_CLOSED;
		} else if (kind == CASE_SUGGESTION && r < 40) {
			f->state = CS_NOT_ADOPTED;
		} else if (r < 95) {
			f->state = CS_CLOSED;
		} else {
			f->state = CS_REJECTED;
		}
		if (f->state == CS_CLOSED)
			f->resolved_h = handle;
		f->closed_h = handle + (f->state == CS_CLOSED ? 24 * 3 * unit(rng) : 0);
		if (f->state == CS_CLOSED && below(rng, 10) < 3)
			f->rating =
			    (int)(1 + (below(rng, 10) < 7 ? 3 + below(rng, 2) : below(rng, 3)));
		return;
	}
	/* Open, somewhere on the way. */
	if (kind == CASE_SUGGESTION && r < 30 && age > 48) {
		f->adopted = 1;
		f->adopted_h = age / 2;
		f->state = r < 15 ? CS_ADOPTED : CS_IMPLEMENTING;
	} else {
		static const enum case_state open[] = {CS_SUBMITTED, CS_ACCEPTED, CS_ASSIGNED,
		                                       CS_IN_PROGRESS};
		f->state = open[below(rng, 4)];
	}
}

static void text_of(uint64_t *rng, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s%s，%s", PICK(rng, places), PICK(rng, things), PICK(rng, troubles),
	         below(rng, 2) ? "好几天了" : "", PICK(rng, wishes));
}

static int gen_cases(struct store *st, const struct towns *w, long n, int years, uint64_t *rng,
                     long *events, struct err *e)
{
	struct case_rec *c = calloc(1, sizeof(*c));
	uint32_t *sh = malloc(CASE_SHINGLES_MAX * sizeof(*sh));
	struct case_event ev;
	struct category_rec cat;
	int64_t cat_ids[8], dept_ids[8];
	int hours[8];
	time_t now = time(NULL), start = now - (time_t)years * 365 * 86400;
	int rc = -1;

	if (!c || !sh) {
		err_set(e, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	for (int k = 0; k < 8; k++) {
		if (store_category_by_code(st, codes[k], &cat, e))
			goto out;
		cat_ids[k] = cat.id;
		dept_ids[k] = cat.department_id;
		hours[k] = 240;
	}
	memset(&ev, 0, sizeof(ev));
	snprintf(ev.actor, sizeof(ev.actor), "citybench");
	snprintf(ev.action, sizeof(ev.action), "transition");
	snprintf(ev.from_state, sizeof(ev.from_state), "under_review");
	snprintf(ev.to_state, sizeof(ev.to_state), "adopted");
	for (long i = 0; i < n; i++) {
		const struct town *t = draw_town(w, rng);
		/* In order of creation, evenly over the years. */
		time_t at = start + (time_t)((double)(now - start) * ((double)i / (double)n));
		double age = (double)(now - at) / 3600.0;
		uint32_t r = below(rng, 100);
		int k = (int)below(rng, 8);
		struct lifecycle f;

		c->kind = r < 50 ? CASE_COMPLAINT : r < 85 ? CASE_SUGGESTION : CASE_PROBLEM;
		snprintf(c->channel, sizeof(c->channel), "%s", r % 3 ? "web" : "hotline");
		c->category_id = cat_ids[k];
		c->department_id = dept_ids[k];
		text_of(rng, c->text, sizeof(c->text));
		snprintf(c->street, sizeof(c->street), "%s", districts[t->district].zh);
		c->located = below(rng, 10) < 7;
		c->lon = districts[t->district].lon + (unit(rng) - 0.5) * 0.08;
		c->lat = districts[t->district].lat + (unit(rng) - 0.5) * 0.08;
		c->public_ = c->kind != CASE_PROBLEM;
		tracking_code(i, c->tracking_code);
		time_iso(at, c->created_at);
		/* As case_deadline has it, without reading the time back. */
		time_iso(at + (time_t)hours[k] * 3600, c->deadline);
		fate(c->kind, age, rng, &f);
		c->state = f.state;
		c->rating = f.rating;
		c->resolved_at[0] = c->closed_at[0] = '\0';
		if (f.resolved_h >= 0)
			time_iso(at + (time_t)(f.resolved_h * 3600), c->resolved_at);
		if (f.closed_h >= 0)
			time_iso(at + (time_t)(f.closed_h * 3600), c->closed_at);
		memcpy(c->updated_at, c->closed_at[0] ? c->closed_at : c->created_at, 21);
		/* The duplicate index reads the shingles of open cases only. */
		c->nshingles = 0;
		if (case_state_is_open(c->state)) {
			c->nshingles = similar_shingles(c->text, sh, CASE_SHINGLES_MAX);
			c->shingles = sh;
		}
		c->jurisdiction_id = t->id;
		c->district_id = t->district_id;
		if (store_bulk_case(st, c, e))
			goto out;
		if (f.adopted) {
			ev.case_id = c->id;
			time_iso(at + (time_t)(f.adopted_h * 3600), ev.at);
			if (store_bulk_case_event(st, &ev, t->district_id, e))
				goto out;
			(*events)++;
		}
		if ((i + 1) % 500000 == 0)
			fprintf(stderr, "\rcitybench: %ld of %ld cases", i + 1, n);
	}
	fprintf(stderr, "\n");
	rc = 0;
out:
	free(c);
	free(sh);
	return rc;
}

static int cmd_gen(const char *db, double scale, int years)
{
	struct store *st;
	struct err e;
	struct towns *w = calloc(1, sizeof(*w));
	uint64_t rng_tree = 0x5348414E47484149ull /* SHANGHAI */, rng_e = 1, rng_c = 2;
	long ne = lround(3000000 * scale), nc = lround(10000000 * scale), events = 0;
	int64_t t0 = time_mono_us(), t;
	char probe[11];

	/* The tracking codes' rule, checked once against case.h's. */
	tracking_code(0, probe);
	if (!case_tracking_code_valid(probe)) {
		fprintf(stderr, "citybench: tracking codes do not check\n");
		return 1;
	}
	err_clear(&e);
	if (!w || store_open(&st, db, STORE_MIGRATE, &e))
		return die(&e);
	if (build_tree(st, w, &rng_tree, &e))
		return die(&e);
	printf("towns %d\n", w->n);
	printf("tree s %.2f\n", secs(t0));
	if (store_bulk_begin(st, &e))
		return die(&e);
	t = time_mono_us();
	if (gen_enterprises(st, w, ne, &rng_e, &e)) {
		store_bulk_end(st, 0, &e);
		return die(&e);
	}
	printf("enterprises %ld\n", ne);
	printf("enterprises s %.2f\n", secs(t));
	t = time_mono_us();
	if (gen_cases(st, w, nc, years, &rng_c, &events, &e)) {
		store_bulk_end(st, 0, &e);
		return die(&e);
	}
	printf("cases %ld\n", nc);
	printf("adoption events %ld\n", events);
	printf("cases s %.2f\n", secs(t));
	t = time_mono_us();
	if (store_bulk_end(st, 1, &e))
		return die(&e);
	printf("indexes and commit s %.2f\n", secs(t));
	store_close(st);
	printf("total s %.2f\n", secs(t0));
	free(w);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Requests                                                             */

struct body {
	char *p;
	size_t len, cap;
};

static size_t on_data(char *data, size_t size, size_t n, void *ctx)
{
	struct body *b = ctx;
	size_t add = size * n;

	if (b->len + add + 1 > b->cap) {
		size_t cap = (b->len + add + 1) * 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, add);
	b->len += add;
	b->p[b->len] = '\0';
	return add;
}

struct client {
	const char *url, *key;
	long requests, depth;
	double *first, *further; /* latencies, ms */
	long nfirst, nfurther, bad, items;
};

/* One GET; returns the status, the body in b, the latency in *ms. */
static long get(CURL *h, const char *url, struct body *b, double *ms)
{
	long code = 0;
	int64_t t0;

	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	t0 = time_mono_us();
	if (curl_easy_perform(h) != CURLE_OK)
		return 0;
	*ms = (double)(time_mono_us() - t0) / 1000.0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	return code;
}

static CURL *handle(const char *key, struct body *b, struct curl_slist **hdr)
{
	CURL *h = curl_easy_init();
	char auth[256];

	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", key);
	*hdr = curl_slist_append(NULL, auth);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hdr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	return h;
}

static void *walk(void *arg)
{
	struct client *c = arg;
	struct body b = {0};
	struct curl_slist *hdr;
	CURL *h = handle(c->key, &b, &hdr);
	char url[1024], cursor[512] = "";
	long page = 0;

	for (long i = 0; i < c->requests; i++) {
		double ms = 0;
		const char *nc;

		if (page == 0 || !cursor[0])
			snprintf(url, sizeof(url), "%s/api/v1/enterprises?limit=50", c->url);
		else
			snprintf(url, sizeof(url), "%s/api/v1/enterprises?limit=50&cursor=%s",
			         c->url, cursor);
		if (get(h, url, &b, &ms) != 200) {
			c->bad++;
			page = 0;
			continue;
		}
		if (page == 0 || !cursor[0])
			c->first[c->nfirst++] = ms;
		else
			c->further[c->nfurther++] = ms;
		for (const char *p = b.p; (p = strstr(p, "\"uscc\"")); p++)
			c->items++;
		cursor[0] = '\0';
		if ((nc = strstr(b.p, "],\"next\":\""))) {
			size_t k = 0;
			for (nc += 10; *nc && *nc != '"' && k + 1 < sizeof(cursor); nc++)
				cursor[k++] = *nc;
			cursor[k] = '\0';
		}
		page = cursor[0] && page + 1 < c->depth ? page + 1 : 0;
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	free(b.p);
	return NULL;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void quantiles(const char *label, double *v, long n)
{
	if (n == 0) {
		printf("%s n 0\n", label);
		return;
	}
	qsort(v, (size_t)n, sizeof(*v), by_double);
	printf("%s n %ld\n", label, n);
	printf("%s p50 %.2f\n", label, v[n / 2]);
	printf("%s p99 %.2f\n", label, v[(long)((double)(n - 1) * 0.99)]);
	printf("%s max %.2f\n", label, v[n - 1]);
}

static int cmd_pages(const char *url, const char *key, long requests, int clients, long depth)
{
	struct client *c = calloc((size_t)clients, sizeof(*c));
	pthread_t *th = calloc((size_t)clients, sizeof(*th));
	double *first = malloc((size_t)requests * sizeof(double)),
	       *further = malloc((size_t)requests * sizeof(double));
	long nf = 0, nr = 0, bad = 0, items = 0;

	if (!c || !th || !first || !further)
		return 1;
	for (int i = 0; i < clients; i++) {
		c[i] = (struct client){url, key, requests / clients, depth, NULL, NULL, 0, 0, 0, 0};
		c[i].first = malloc((size_t)c[i].requests * sizeof(double));
		c[i].further = malloc((size_t)c[i].requests * sizeof(double));
		pthread_create(&th[i], NULL, walk, &c[i]);
	}
	for (int i = 0; i < clients; i++) {
		pthread_join(th[i], NULL);
		memcpy(first + nf, c[i].first, (size_t)c[i].nfirst * sizeof(double));
		memcpy(further + nr, c[i].further, (size_t)c[i].nfurther * sizeof(double));
		nf += c[i].nfirst;
		nr += c[i].nfurther;
		bad += c[i].bad;
		items += c[i].items;
		free(c[i].first);
		free(c[i].further);
	}
	quantiles("first", first, nf);
	quantiles("further", further, nr);
	printf("bad %ld\n", bad);
	printf("items per page %.1f\n", nf + nr ? (double)items / (double)(nf + nr) : 0.0);
	free(c);
	free(th);
	free(first);
	free(further);
	return bad ? 1 : 0;
}

static int cmd_get(const char *url, const char *key, long requests, const char *path)
{
	struct body b = {0};
	struct curl_slist *hdr;
	CURL *h = handle(key, &b, &hdr);
	double *ms = malloc((size_t)requests * sizeof(double));
	char full[2048];
	long bad = 0, n = 0;

	if (!ms)
		return 1;
	snprintf(full, sizeof(full), "%s%s", url, path);
	for (long i = 0; i < requests; i++) {
		double t = 0;
		if (get(h, full, &b, &t) == 200)
			ms[n++] = t;
		else
			bad++;
	}
	quantiles("get", ms, n);
	printf("bad %ld\n", bad);
	printf("bytes %zu\n", b.len);
	if (bad && b.p)
		fprintf(stderr, "citybench: %s answered: %.300s\n", path, b.p);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	free(b.p);
	free(ms);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	store_global_init();
	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argv[2], atof(argv[3]), atoi(argv[4]));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (argc == 7 && strcmp(argv[1], "pages") == 0)
		return cmd_pages(argv[2], argv[3], atol(argv[4]), atoi(argv[5]), atol(argv[6]));
	if (argc == 6 && strcmp(argv[1], "get") == 0)
		return cmd_get(argv[2], argv[3], atol(argv[4]), argv[5]);
	fprintf(stderr, "usage: citybench gen DB SCALE YEARS\n"
	                "       citybench pages URL KEY REQUESTS CLIENTS DEPTH\n"
	                "       citybench get URL KEY REQUESTS PATH\n");
	return 2;
}
