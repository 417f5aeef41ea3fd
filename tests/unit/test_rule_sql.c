/*
 * The property that the rule machine is SQL's three-valued logic: on
 * random enterprises and random rules (seeded, so every run is the same;
 * QY_RULE_SEED=n tries another), every rule's answer for every enterprise
 * equals SQLite's answer for the rule's translation (rule_sql) over a
 * facts table filled here, from the same made-up data, by code of its own
 * (age, size by the MIIT rule, tags, the columns of indicators): true,
 * false and unknown against 1, 0 and NULL; a benefit's amount against the
 * expression's value, to the bit.  The explainer is held to the machine
 * on a part of the pairs, "nearly" included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rule.h"
#include "util/buf.h"

#define N_ENT   2000
#define N_RULES 1000
#define NV      120
#define AS_OF   "2025-06-15" /* this_year 2025, this_quarter 2025Q2 */

static uint64_t rng;

static uint64_t rnd(void) /* splitmix64 */
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

/* ------------------------------------------------------------------ */
/* Enterprises                                                          */

static const char *const tag_words[] = {"专精特新", "高新技术企业", "小巨人", "瞪羚企业"};

struct gent {
	struct rule_facts f;
	struct rule_ind_value v[NV];
};

static double money(void)
{
	switch (pick(12)) {
	case 0:
		return 0;
	case 1:
		return 3e6;
	case 2:
		return 2e7;
	case 3:
		return 4e8;
	case 4:
		return -(double)pick(1000000);
	case 5:
		return (double)pick(1000) * 1e4;
	default:
		return (double)pick(50000000) * 10 + pick(100) / 100.0;
	}
}

/* YYYY-MM-DD into a field of 11 bytes. */
static void set_date(char *out, int y, int m, int d)
{
	char tmp[40];

	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 10); /* the years and days chosen are 4 and 2 digits */
	out[10] = '\0';
}

static void make_ent(struct gent *e, int id)
{
	static const char *const industries[] = {"3832", "3833", "3831", "3976", "2651", "7320",
	                                         "6513", "0111", "9700", "4011", ""};
	rule_facts_init(&e->f);
	e->f.id = id;
	e->f.values = e->v;
	e->f.size = (enum size_class)pick(5);
	snprintf(e->f.industry, sizeof(e->f.industry), "%s",
	         industries[pick((int)(sizeof(industries) / sizeof(industries[0])))]);
	switch (pick(8)) {
	case 0:
		e->f.employees = -1;
		break;
	case 1:
		e->f.employees = (int64_t[]){0, 19, 20, 299, 300, 999, 1000}[pick(7)];
		break;
	default:
		e->f.employees = pick(2000);
		break;
	}
	if (pick(8))
		set_date(e->f.founded, 1995 + pick(31), 1 + pick(12), 1 + pick(28));
	if (!pick(20))
		snprintf(e->f.founded, sizeof(e->f.founded), "2020-06-15"); /* a birthday */
	e->f.status = (enum ent_status)pick(3);
	e->f.stage = (enum chain_stage)pick(6);
	e->f.cluster_id = pick(5);
	e->f.grid_id = pick(7);
	e->f.in_park = pick(2);
	e->f.makes_gap_node = pick(3) - 1;
	for (int t = 0; t < 4; t++)
		if (!pick(3))
			e->f.tags[e->f.ntags++] = tag_words[t];
	for (int ind = RI_REVENUE; ind <= RI_LOCALISATION; ind++) {
		for (int p = 0; p < 17; p++) {
			int year = p < 5 ? 2021 + p : 2023 + (p - 5) / 4,
			    q = p < 5 ? 0 : (p - 5) % 4 + 1;
			double v;
			if (pick(4) == 0)
				continue;
			if (ind == RI_LOCALISATION)
				v = pick(101) / 100.0;
			else if (ind == RI_ENERGY)
				v = pick(4000) / 4.0;
			else
				v = money();
			e->v[e->f.nvalues++] =
			    (struct rule_ind_value){(uint8_t)ind, (uint8_t)q, (int16_t)year, v};
		}
	}
	for (int year = 2021; year <= 2025; year++)
		if (!pick(3))
			e->v[e->f.nvalues++] = (struct rule_ind_value){
			    RI_EMPLOYEES, 0, (int16_t)year, (double)pick(1500)};
}

/* ------------------------------------------------------------------ */
/* Rules                                                                */

static void add(struct buf *b, const char *s)
{
	buf_adds(b, s);
}

static const char *any(const char *const *list, int n)
{
	return list[pick(n)];
}
#define ANY(list) any(list, (int)(sizeof(list) / sizeof(list[0])))

static const char *const periods[] = {
    "2021",       "2022",          "2023",         "2024",         "2025",
    "2023Q1",     "2023Q4",        "2024Q1",       "2024Q2",       "2024Q3",
    "2024Q4",     "2025Q1",        "2025Q2",       "2025Q3",       "this_year",
    "last_year",  "last_year - 1", "this_quarter", "last_quarter", "last_quarter - 4",
    "2024Q1 - 1", "2024-Q3",
};
static const char *const indicators[] = {"revenue",  "output", "tax",
                                         "rd_spend", "energy", "localisation"};
static const char *const literals[] = {
    "0",   "1",     "3",      "20",    "300",   "1000",    "3%",     "10%", "20%",  "2.5",
    "0.5", "500万", "2000万", "1.5亿", "4亿元", "300万元", "8000元", "-1",  "0.35",
};
static const char *const cmps[] = {" < ", " <= ", " > ", " >= ", " = ", " != ", " ≥ ", " <> "};
static const char *const sizes[] = {"micro", "small", "medium", "large"};
static const char *const stages[] = {"none",      "leading",    "upstream",
                                     "midstream", "downstream", "service"};
static const char *const statuses[] = {"active", "moved_out", "closed"};
static const char *const prefixes[] = {"\"C\"",    "\"C38\"", "\"38\"", "\"383\"",
                                       "\"3832\"", "\"A\"",   "\"I\"",  "\"65\"",
                                       "\"7320\"", "\"T\"",   "\"C40\""};

static void gen_num(struct buf *b, int d);
static void gen_bool(struct buf *b, int d);

static void gen_literal(struct buf *b)
{
	if (pick(3))
		add(b, ANY(literals));
	else
		buf_printf(b, "%d", pick(3000));
}

static void gen_num(struct buf *b, int d)
{
	switch (pick(d > 0 ? 11 : 5)) {
	case 0:
		gen_literal(b);
		break;
	case 1:
		add(b, pick(2) ? "employees" : "age");
		break;
	case 2:
		buf_printf(b, "%s(%s)", ANY(indicators), ANY(periods));
		break;
	case 3:
		buf_printf(b, "rd_intensity(%s)", ANY(periods));
		break;
	case 4:
		buf_printf(b, "growth_yoy(%s, %s)", ANY(indicators), ANY(periods));
		break;
	case 5:
	case 6: {
		static const char *const ops[] = {" + ", " - ", " * ", " / "};
		int paren = pick(2);
		if (paren)
			add(b, "(");
		gen_num(b, d - 1);
		add(b, ANY(ops));
		gen_num(b, d - 1);
		if (paren)
			add(b, ")");
		break;
	}
	case 7:
		add(b, "-");
		gen_num(b, 0);
		break;
	case 8: {
		int n = 2 + pick(2);
		add(b, pick(2) ? "min(" : "max(");
		for (int i = 0; i < n; i++) {
			if (i)
				add(b, ", ");
			gen_num(b, d - 1);
		}
		add(b, ")");
		break;
	}
	case 9:
		add(b, "abs(");
		gen_num(b, d - 1);
		add(b, ")");
		break;
	default:
		add(b, "if(");
		gen_bool(b, d - 1);
		add(b, ", ");
		gen_num(b, d - 1);
		add(b, ", ");
		gen_num(b, d - 1);
		add(b, ")");
		break;
	}
}

static void word_list(struct buf *b, const char *const *words, int n)
{
	int k = 1 + pick(3);

	add(b, "(");
	for (int i = 0; i < k; i++) {
		if (i)
			add(b, ", ");
		add(b, words[pick(n)]);
	}
	add(b, ")");
}

/* Criteria whose thresholds lie inside the data's range, so that some
 * enterprises miss them narrowly. */
static void gen_near(struct buf *b)
{
	switch (pick(5)) {
	case 0:
		buf_printf(b, "localisation(%s) >= %d%%", ANY(periods), 20 + pick(60));
		break;
	case 1:
		buf_printf(b, "employees >= %d", 200 + pick(1500));
		break;
	case 2:
		buf_printf(b, "employees between %d and %d", 300 + pick(300), 800 + pick(500));
		break;
	case 3:
		buf_printf(b, "%d <= age", 5 + pick(20));
		break;
	default:
		buf_printf(b, "energy(%s) < %d", ANY(periods), 200 + pick(600));
		break;
	}
}

static void gen_bool(struct buf *b, int d)
{
	switch (pick(d > 0 ? 17 : 11)) {
	case 16:
		gen_near(b);
		break;
	case 0:
		gen_num(b, d);
		add(b, ANY(cmps));
		gen_num(b, d);
		break;
	case 1: /* most criteria: a fact against a figure */
		gen_num(b, 0);
		add(b, ANY(cmps));
		gen_literal(b);
		break;
	case 2:
		add(b, pick(2) ? "size" : "size_derived");
		switch (pick(3)) {
		case 0:
			add(b, ANY(cmps));
			add(b, ANY(sizes));
			break;
		case 1:
			add(b, pick(3) ? " in " : " not in ");
			word_list(b, sizes, 4);
			break;
		default:
			buf_printf(b, " between %s and %s", ANY(sizes), ANY(sizes));
			break;
		}
		break;
	case 3:
		if (pick(2)) {
			buf_printf(b, "stage%s%s", pick(2) ? " = " : " != ", ANY(stages));
		} else if (pick(2)) {
			add(b, "stage in ");
			word_list(b, stages, 6);
		} else {
			buf_printf(b, "status%s%s", pick(2) ? " = " : " != ", ANY(statuses));
		}
		break;
	case 4:
		if (pick(2)) {
			buf_printf(b, "industry%s%s", pick(2) ? " = " : " != ", ANY(prefixes));
		} else {
			int k = 1 + pick(3);
			add(b, pick(2) ? "industry in (" : "industry not in (");
			for (int i = 0; i < k; i++)
				buf_printf(b, "%s%s", i ? ", " : "", ANY(prefixes));
			add(b, ")");
		}
		break;
	case 5:
		if (pick(2))
			buf_printf(b, "%s%s%d", pick(2) ? "cluster" : "grid",
			           pick(2) ? " = " : " != ", pick(6));
		else
			buf_printf(b, "grid in (%d, %d)", pick(7), pick(7));
		break;
	case 6: {
		static const char *const bools[] = {"in_park",        "makes_gap_node",
		                                    "in_park = true", "makes_gap_node != false",
		                                    "true",           "false"};
		add(b, ANY(bools));
		break;
	}
	case 7:
		buf_printf(b, "\"%s\"%s", ANY(tag_words), pick(2) ? " in tags" : " not in tags");
		break;
	case 8:
		if (pick(2))
			buf_printf(b, "founded%s%04d-%02d-%02d", ANY(cmps), 1995 + pick(31),
			           1 + pick(12), 1 + pick(28));
		else
			buf_printf(b, "founded between %04d-01-01 and %04d-12-31", 1995 + pick(15),
			           2005 + pick(20));
		break;
	case 9:
	case 10:
		gen_num(b, d > 0 ? d - 1 : 0);
		add(b, pick(3) ? " between " : " not between ");
		gen_literal(b);
		add(b, " and ");
		gen_literal(b);
		break;
	case 11:
	case 12:
		add(b, "(");
		gen_bool(b, d - 1);
		add(b, pick(2) ? " and " : " or ");
		gen_bool(b, d - 1);
		add(b, ")");
		break;
	case 13:
		add(b, "not ");
		if (pick(2)) {
			add(b, "(");
			gen_bool(b, d - 1);
			add(b, ")");
		} else {
			gen_bool(b, 0);
		}
		break;
	default: /* and before or, without parentheses */
		gen_bool(b, d - 1);
		add(b, pick(2) ? " and " : " or ");
		gen_bool(b, d - 1);
		add(b, pick(2) ? " and " : " or ");
		gen_bool(b, d - 1);
		break;
	}
}

/* An eligibility rule of 1-5 top-level criteria, or a benefit. */
static void gen_rule(struct buf *b, enum rule_kind *kind)
{
	if (!pick(5)) {
		*kind = RULE_BENEFIT;
		gen_num(b, 3);
		return;
	}
	*kind = RULE_ELIGIBILITY;
	for (int k = 1 + pick(4), i = 0; i < k; i++) {
		if (i)
			add(b, pick(4) ? " and " : "\n  and ");
		if (pick(3))
			gen_bool(b, 2);
		else
			gen_near(b);
	}
}

/* ------------------------------------------------------------------ */
/* The facts table, filled by this file's own reckoning                 */

static double find(const struct gent *e, int ind, int year, int q)
{
	for (int i = 0; i < e->f.nvalues; i++)
		if (e->v[i].ind == ind && e->v[i].year == year && e->v[i].quarter == q)
			return e->v[i].v;
	return NAN;
}

/* MIIT 2011, industry: the largest class both of whose floors are met. */
static int miit(double employees, double revenue)
{
	if (employees >= 1000 && revenue >= 4e8)
		return 4;
	if (employees >= 300 && revenue >= 2e7)
		return 3;
	if (employees >= 20 && revenue >= 3e6)
		return 2;
	return 1;
}

static void bind_or_null(sqlite3_stmt *st, int col, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_double(st, col, v);
}

static void fill_table(sqlite3 *db, const struct gent *ents, const struct rule_slot *slots,
                       int nslots)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *st;
	char *errmsg = NULL;

	rule_sql_create_table(&sql, "facts", slots, nslots);
	if (sqlite3_exec(db, buf_cstr(&sql), NULL, NULL, &errmsg) != SQLITE_OK)
		fprintf(stderr, "%s\n%s\n", buf_cstr(&sql), errmsg);
	assert_null(errmsg);
	buf_reset(&sql);
	buf_adds(&sql, "INSERT INTO facts VALUES(?");
	for (int i = 0; i < 13 + nslots; i++)
		buf_adds(&sql, ", ?");
	buf_adds(&sql, ")");
	assert_int_equal(sqlite3_prepare_v2(db, buf_cstr(&sql), -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	for (int n = 0; n < N_ENT; n++) {
		const struct rule_facts *f = &ents[n].f;
		double age = NAN, founded = NAN, derived = NAN, rev = NAN, emp = NAN;
		char tags[200] = "";
		int y, m, d;
		sqlite3_bind_int(st, 1, n);
		bind_or_null(st, 2, f->size ? f->size : NAN);
		for (int year = 2025; year >= 2021 && isnan(rev); year--)
			if (!isnan(rev = find(&ents[n], RI_REVENUE, year, 0))) {
				emp = find(&ents[n], RI_EMPLOYEES, year, 0);
				if (isnan(emp) && f->employees >= 0)
					emp = (double)f->employees;
			}
		if (!isnan(rev) && !isnan(emp))
			derived = miit(emp, rev);
		bind_or_null(st, 3, derived);
		bind_or_null(st, 4, f->industry[0] ? atoi(f->industry) : NAN);
		bind_or_null(st, 5, f->employees >= 0 ? (double)f->employees : NAN);
		if (f->founded[0] && sscanf(f->founded, "%d-%d-%d", &y, &m, &d) == 3) {
			founded = y * 10000 + m * 100 + d;
			age = 2025 - y - (m * 100 + d > 615);
		}
		bind_or_null(st, 6, age);
		bind_or_null(st, 7, founded);
		sqlite3_bind_int(st, 8, f->status);
		sqlite3_bind_int(st, 9, f->stage);
		sqlite3_bind_int64(st, 10, f->cluster_id);
		sqlite3_bind_int64(st, 11, f->grid_id);
		sqlite3_bind_int(st, 12, f->in_park);
		bind_or_null(st, 13, f->makes_gap_node < 0 ? NAN : f->makes_gap_node);
		for (int t = 0; t < f->ntags; t++) {
			strcat(tags, "\x1f");
			strcat(tags, f->tags[t]);
		}
		if (f->ntags)
			strcat(tags, "\x1f");
		sqlite3_bind_text(st, 14, tags, -1, SQLITE_TRANSIENT);
		for (int k = 0; k < nslots; k++)
			bind_or_null(
			    st, 15 + k,
			    find(&ents[n], slots[k].ind, slots[k].p.year, slots[k].p.quarter));
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_finalize(st);
	buf_release(&sql);
}

/* ------------------------------------------------------------------ */

static void test_machine_is_sql(void **state)
{
	struct gent *ents = calloc(N_ENT, sizeof(*ents));
	struct rule **rules = calloc(N_RULES, sizeof(*rules));
	uint8_t *out = malloc((size_t)N_ENT * N_RULES);
	double *amounts = malloc(sizeof(double) * (size_t)N_ENT * N_RULES);
	struct rule_explanation *ex = malloc(sizeof(*ex));
	const char *seed_env = getenv("QY_RULE_SEED");
	uint64_t seed = seed_env ? strtoull(seed_env, NULL, 10) : 20250615;
	struct rule_ctx ctx;
	struct rule_set *set;
	struct rule_frame *fr;
	const struct rule_slot *slots;
	int nslots;
	sqlite3 *db;
	long counts[4] = {0}, nulls = 0, explained = 0, benefits = 0;

	(void)state;
	assert_non_null(ents);
	assert_non_null(out);
	rng = seed;
	for (int n = 0; n < N_ENT; n++)
		make_ent(&ents[n], n);
	assert_int_equal(rule_ctx_init(&ctx, AS_OF), 0);
	set = rule_set_new(&ctx);
	for (int i = 0; i < N_RULES; i++) {
		struct buf b = BUF_INIT;
		struct rule_error err;
		enum rule_kind kind;
		gen_rule(&b, &kind);
		rules[i] = rule_compile(buf_cstr(&b), b.len, kind, &err);
		if (!rules[i])
			fprintf(stderr, "seed %llu, rule %d: %s\n  %s\n", (unsigned long long)seed,
			        i, buf_cstr(&b), err.message);
		assert_non_null(rules[i]);
		assert_int_equal(rule_set_add(set, rules[i]), i);
		buf_release(&b);
	}

	/* The machine, every rule for every enterprise; the explainer on
	 * every seventh enterprise. */
	fr = rule_frame_new(set);
	for (int n = 0; n < N_ENT; n++) {
		assert_int_equal(rule_frame_load(fr, set, &ents[n].f), 0);
		rule_eval_all(set, fr, out + (size_t)n * N_RULES);
		for (int i = 0; i < N_RULES; i++) {
			double *a = &amounts[(size_t)n * N_RULES + i];
			*a = NAN;
			if (rule_get_kind(rules[i]) == RULE_BENEFIT && rule_amount(set, i, fr, a))
				*a = NAN;
			counts[out[(size_t)n * N_RULES + i]]++;
			if (n % 7)
				continue;
			assert_int_equal(rule_explain(set, i, fr, ex), 0);
			if (ex->outcome != out[(size_t)n * N_RULES + i])
				fprintf(stderr,
				        "seed %llu, rule %d, enterprise %d: %s\n  machine %s, "
				        "explainer %s\n",
				        (unsigned long long)seed, i, n, rule_source(rules[i]),
				        rule_outcome_name(out[(size_t)n * N_RULES + i]),
				        rule_outcome_name(ex->outcome));
			assert_int_equal(ex->outcome, out[(size_t)n * N_RULES + i]);
			if (ex->amount_known)
				assert_true(ex->amount == *a);
			explained++;
		}
	}
	rule_frame_free(fr);

	/* SQLite, the same rules over the same enterprises. */
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	slots = rule_set_slots(set, &nslots);
	fill_table(db, ents, slots, nslots);
	for (int i = 0; i < N_RULES; i++) {
		struct rule_sql q;
		struct buf sql = BUF_INIT;
		sqlite3_stmt *st;
		int n = 0;
		assert_int_equal(rule_sql(rules[i], &ctx, &q), 0);
		buf_printf(&sql, "SELECT id, %s FROM facts ORDER BY id", q.text);
		if (sqlite3_prepare_v2(db, buf_cstr(&sql), -1, &st, NULL) != SQLITE_OK)
			fprintf(stderr, "%s\n%s\n", buf_cstr(&sql), sqlite3_errmsg(db));
		for (int k = 0; k < q.nparams; k++) {
			if (q.params[k].is_text)
				sqlite3_bind_text(st, k + 1, q.params[k].text, -1,
				                  SQLITE_TRANSIENT);
			else
				sqlite3_bind_double(st, k + 1, q.params[k].num);
		}
		benefits += rule_get_kind(rules[i]) == RULE_BENEFIT;
		while (sqlite3_step(st) == SQLITE_ROW) {
			int null = sqlite3_column_type(st, 1) == SQLITE_NULL;
			double v = sqlite3_column_double(st, 1);
			uint8_t o = out[(size_t)n * N_RULES + i];
			double a = amounts[(size_t)n * N_RULES + i];
			int same;
			assert_int_equal(sqlite3_column_int(st, 0), n);
			nulls += null;
			if (rule_get_kind(rules[i]) == RULE_BENEFIT)
				same = null ? isnan(a) : a == v;
			else
				same = null     ? o == RULE_UNKNOWN
				       : v == 1 ? o == RULE_TRUE
				                : v == 0 && (o == RULE_FALSE || o == RULE_NEARLY);
			if (!same) {
				fprintf(
				    stderr,
				    "seed %llu, rule %d, enterprise %d:\n  %s\n  %s\n  machine %s "
				    "(%.17g), SQL %s%.17g\n",
				    (unsigned long long)seed, i, n, rule_source(rules[i]), q.text,
				    rule_outcome_name(o), a, null ? "NULL " : "", v);
				fail();
			}
			n++;
		}
		assert_int_equal(n, N_ENT);
		sqlite3_finalize(st);
		buf_release(&sql);
		rule_sql_release(&q);
	}
	sqlite3_close(db);
	fprintf(stderr,
	        "%d rules (%ld benefits) x %d enterprises: %ld true, %ld false, %ld unknown, %ld "
	        "nearly; %ld NULL in SQL; %ld explained\n",
	        N_RULES, benefits, N_ENT, counts[RULE_TRUE], counts[RULE_FALSE],
	        counts[RULE_UNKNOWN], counts[RULE_NEARLY], nulls, explained);
	/* Every answer is well represented, or the property says little. */
	for (int k = 0; k < 4; k++)
		assert_true(counts[k] > N_ENT * N_RULES / 100);
	rule_set_free(set);
	for (int i = 0; i < N_RULES; i++)
		rule_free(rules[i]);
	free(rules);
	free(ents);
	free(out);
	free(amounts);
	free(ex);
}

/* A measure that lists 300 grids, and a chain of 300 subtractions: SQLite
 * parses their translations (nested, they would overflow its parser's
 * stack of about a hundred) and agrees. */
static void test_long_chains(void **state)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct rule_ctx ctx;
	sqlite3 *db;

	(void)state;
	for (int i = 0; i < 300; i++)
		buf_printf(&a, "%sgrid = %d", i ? " or " : "", i * 2);
	buf_adds(&b, "employees");
	for (int i = 0; i < 300; i++)
		buf_adds(&b, " - 1");
	buf_adds(&b, " >= 0");
	rule_ctx_init(&ctx, AS_OF);
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "CREATE TABLE facts(grid INTEGER, employees REAL);"
	                              "INSERT INTO facts VALUES(598, 300), (599, 299), (0, NULL)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	for (int k = 0; k < 2; k++) {
		const struct buf *src = k ? &b : &a;
		struct rule_error err;
		struct rule *r = rule_compile(buf_cstr(src), src->len, RULE_ELIGIBILITY, &err);
		struct rule_sql q;
		struct buf sql = BUF_INIT;
		sqlite3_stmt *st;
		/* 598 is listed, 599 not; 300 - 300 >= 0, 299 - 300 not, NULL unknown */
		static const int want[2][3] = {{1, 0, 1}, {1, 0, -1}};
		int row = 0;
		assert_non_null(r);
		assert_int_equal(rule_sql(r, &ctx, &q), 0);
		buf_printf(&sql, "SELECT %s FROM facts ORDER BY rowid", q.text);
		if (sqlite3_prepare_v2(db, buf_cstr(&sql), -1, &st, NULL) != SQLITE_OK)
			fprintf(stderr, "%s\n", sqlite3_errmsg(db));
		for (int i = 0; i < q.nparams; i++)
			sqlite3_bind_double(st, i + 1, q.params[i].num);
		while (sqlite3_step(st) == SQLITE_ROW) {
			int v = sqlite3_column_type(st, 0) == SQLITE_NULL
			            ? -1
			            : sqlite3_column_int(st, 0);
			assert_int_equal(v, want[k][row]);
			row++;
		}
		assert_int_equal(row, 3);
		sqlite3_finalize(st);
		buf_release(&sql);
		rule_sql_release(&q);
		rule_free(r);
	}
	sqlite3_close(db);
	buf_release(&a);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_machine_is_sql),
	    cmocka_unit_test(test_long_chains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
