/*
 * The facts a rule may read: the schema the checker holds rules to, the
 * enumerations' words, an enterprise's facts as the caller supplies them,
 * the MIIT size rule, and how values are shown.
 */
#include "rule_int.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* In the order of enum schema_index. */
const struct rule_fact_def rule_schema[] = {
    {"size", RT_SIZE, RA_NONE, RU_NONE, -1, "size (registered)", "企业规模（登记）",
     "the size class as registered: micro, small, medium, large"},
    {"size_derived", RT_SIZE, RA_NONE, RU_NONE, -1, "size (MIIT rule)",
     "企业规模（工信部标准测算）",
     "the size class by the MIIT 2011 rule from the latest whole year's revenue and employees"},
    {"industry", RT_INDUSTRY, RA_NONE, RU_NONE, -1, "industry", "行业",
     "the GB/T 4754-2017 class, compared by prefix: industry in (\"C38\", \"3976\")"},
    {"employees", RT_NUM, RA_NONE, RU_COUNT, -1, "employees", "从业人员",
     "employees as registered"},
    {"age", RT_NUM, RA_NONE, RU_YEARS, -1, "age", "成立年限",
     "completed years from founded to the evaluation date"},
    {"founded", RT_DATE, RA_NONE, RU_NONE, -1, "founded", "成立日期", "the date of founding"},
    {"status", RT_STATUS, RA_NONE, RU_NONE, -1, "status", "经营状态",
     "active, moved_out or closed"},
    {"tags", RT_TAGS, RA_NONE, RU_NONE, -1, "tags", "标签",
     "the registry's tags: \"专精特新\" in tags"},
    {"cluster", RT_ID, RA_NONE, RU_NONE, -1, "cluster", "产业集群",
     "the number of the enterprise's cluster, 0 for none"},
    {"stage", RT_STAGE, RA_NONE, RU_NONE, -1, "chain stage", "产业链环节",
     "none, leading, upstream, midstream, downstream or service"},
    {"in_park", RT_BOOL, RA_NONE, RU_NONE, -1, "in the park", "在园区内",
     "true for an enterprise in the park, false for a partner outside it"},
    {"grid", RT_ID, RA_NONE, RU_NONE, -1, "grid", "网格",
     "the number of the grid the enterprise is placed in, 0 for none"},
    {"makes_gap_node", RT_BOOL, RA_NONE, RU_NONE, -1, "makes a product of a chain gap",
     "生产产业链缺失环节产品",
     "the enterprise makes a product at a gap node of its cluster's chain"},
    {"revenue", RT_NUM, RA_PERIOD, RU_MONEY, RI_REVENUE, "revenue", "营业收入",
     "revenue of a year or quarter, yuan"},
    {"output", RT_NUM, RA_PERIOD, RU_MONEY, RI_OUTPUT, "industrial output", "工业总产值",
     "industrial output value of a year or quarter, yuan"},
    {"tax", RT_NUM, RA_PERIOD, RU_MONEY, RI_TAX, "tax paid", "纳税额",
     "tax paid in a year or quarter, yuan"},
    {"rd_spend", RT_NUM, RA_PERIOD, RU_MONEY, RI_RD_SPEND, "R&D spending", "研发投入",
     "R&D spending of a year or quarter, yuan"},
    {"energy", RT_NUM, RA_PERIOD, RU_ENERGY, RI_ENERGY, "energy use", "综合能耗",
     "energy use of a year or quarter, tonnes of standard coal equivalent"},
    {"localisation", RT_NUM, RA_PERIOD, RU_RATIO, RI_LOCALISATION, "local sourcing", "本地配套率",
     "share of purchases bought from suppliers in the park, 0 to 1"},
    {"rd_intensity", RT_NUM, RA_PERIOD, RU_RATIO, -1, "R&D intensity", "研发投入强度",
     "rd_spend / revenue of the same period"},
    {"growth_yoy", RT_NUM, RA_IND_PERIOD, RU_RATIO, -1, "growth year on year", "同比增长",
     "(x(p) - x(p a year before)) / |x(p a year before)| of an indicator x"},
};
const int rule_schema_n = (int)(sizeof(rule_schema) / sizeof(rule_schema[0]));

const struct rule_fact_def *rule_fact_find(const char *name, size_t len)
{
	for (int i = 0; i < rule_schema_n; i++)
		if (strlen(rule_schema[i].name) == len &&
		    memcmp(rule_schema[i].name, name, len) == 0)
			return &rule_schema[i];
	return NULL;
}

int schema_reg(int s)
{
	static const int reg[S_N] = {
	    [S_SIZE] = RF_SIZE,         [S_SIZE_DERIVED] = RF_SIZE_DERIVED,
	    [S_INDUSTRY] = RF_INDUSTRY, [S_EMPLOYEES] = RF_EMPLOYEES,
	    [S_AGE] = RF_AGE,           [S_FOUNDED] = RF_FOUNDED,
	    [S_STATUS] = RF_STATUS,     [S_TAGS] = RF_TAGS,
	    [S_CLUSTER] = RF_CLUSTER,   [S_STAGE] = RF_STAGE,
	    [S_IN_PARK] = RF_IN_PARK,   [S_GRID] = RF_GRID,
	    [S_GAP_NODE] = RF_GAP_NODE,
	};
	return s >= 0 && s <= S_GAP_NODE ? reg[s] : -1;
}

const char *rule_ind_name(enum rule_ind i)
{
	static const char *const names[RI_N] = {"revenue", "output",       "tax",      "rd_spend",
	                                        "energy",  "localisation", "employees"};

	return (unsigned)i < RI_N ? names[i] : "";
}

const char *rule_outcome_name(enum rule_outcome o)
{
	switch (o) {
	case RULE_TRUE:
		return "true";
	case RULE_FALSE:
		return "false";
	case RULE_NEARLY:
		return "nearly";
	default:
		return "unknown";
	}
}

/* ------------------------------------------------------------------ */
/* The enumerations' words                                              */

static const struct {
	const char *word;
	enum rule_type type;
	int code; /* the value of enum size_class, chain_stage, ent_status */
} words[] = {
    {"micro", RT_SIZE, SIZE_MICRO},
    {"small", RT_SIZE, SIZE_SMALL},
    {"medium", RT_SIZE, SIZE_MEDIUM},
    {"large", RT_SIZE, SIZE_LARGE},
    {"none", RT_STAGE, STAGE_NONE},
    {"leading", RT_STAGE, STAGE_LEADING},
    {"upstream", RT_STAGE, STAGE_UPSTREAM},
    {"midstream", RT_STAGE, STAGE_MIDSTREAM},
    {"downstream", RT_STAGE, STAGE_DOWNSTREAM},
    {"service", RT_STAGE, STAGE_SERVICE},
    {"active", RT_STATUS, STATUS_ACTIVE},
    {"moved_out", RT_STATUS, STATUS_MOVED_OUT},
    {"closed", RT_STATUS, STATUS_CLOSED},
};

int rule_word(const char *w, int len, enum rule_type *type)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if ((int)strlen(words[i].word) == len &&
		    memcmp(words[i].word, w, (size_t)len) == 0) {
			*type = words[i].type;
			return words[i].code;
		}
	return -1;
}

const char *rule_word_name(enum rule_type t, int c)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].type == t && words[i].code == c)
			return words[i].word;
	return "?";
}

/* ------------------------------------------------------------------ */
/* Facts                                                                */

void rule_facts_init(struct rule_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->size = SIZE_NONE;
	f->employees = -1;
	f->status = STATUS_ACTIVE;
	f->stage = STAGE_NONE;
	f->makes_gap_node = -1;
}

void rule_facts_from_enterprise(struct rule_facts *f, const struct enterprise *e)
{
	f->id = e->id;
	f->size = e->size;
	snprintf(f->industry, sizeof(f->industry), "%s", e->industry);
	f->employees = e->employees;
	snprintf(f->founded, sizeof(f->founded), "%s", e->founded);
	f->status = e->status;
	f->stage = e->stage;
	f->cluster_id = e->cluster_id;
	f->grid_id = e->grid_id;
	f->in_park = e->in_park;
	f->ntags = e->ntags < ENT_MAX_TAGS ? e->ntags : ENT_MAX_TAGS;
	for (int i = 0; i < f->ntags; i++)
		f->tags[i] = e->tags[i];
}

int rule_ymd(const char *date)
{
	int y, m, d;

	if (!date || days_between(date, date) == INT_MIN)
		return -1;
	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	return y * 10000 + m * 100 + d;
}

/* The registry's fields, the rules' indicators, and whether the field is
 * money in 10,000 yuan. */
static const struct {
	enum ind_field field;
	enum rule_ind ind;
	int wan;
} ind_map[] = {
    {IND_REVENUE, RI_REVENUE, 1}, {IND_OUTPUT, RI_OUTPUT, 1}, {IND_TAX, RI_TAX, 1},
    {IND_RD, RI_RD_SPEND, 1},     {IND_ENERGY, RI_ENERGY, 0}, {IND_EMPLOYEES, RI_EMPLOYEES, 0},
};
#define NMAP ((int)(sizeof(ind_map) / sizeof(ind_map[0])))

/*
 * One quarter of one field: the quarter's own entry if there is one,
 * else its three months summed (employees: their mean, from those
 * reported).  NAN when not whole.
 */
static double quarter_value(const struct indicator *s, int n, int year, int q, enum ind_field f)
{
	double sum = 0;
	int months = 0;

	for (int i = 0; i < n; i++)
		if (s[i].p.year == year && s[i].p.kind == PERIOD_QUARTER && s[i].p.n == q)
			return s[i].v[f];
	for (int m = (q - 1) * 3 + 1; m <= q * 3; m++) {
		double v = NAN;
		for (int i = 0; i < n; i++)
			if (s[i].p.year == year && s[i].p.kind == PERIOD_MONTH && s[i].p.n == m) {
				v = s[i].v[f];
				break;
			}
		if (isnan(v)) {
			if (f != IND_EMPLOYEES)
				return NAN;
			continue;
		}
		sum += v;
		months++;
	}
	if (!months)
		return NAN;
	return f == IND_EMPLOYEES ? sum / months : sum;
}

int rule_values_from_indicators(const struct indicator *series, int n, struct rule_ind_value *out,
                                int max)
{
	int years[64], nyears = 0, count = 0;

	for (int i = 0; i < n; i++) {
		int y = series[i].p.year, seen = 0;
		for (int k = 0; k < nyears; k++)
			seen |= years[k] == y;
		if (!seen && nyears < 64)
			years[nyears++] = y;
	}
	for (int k = 0; k < nyears; k++) {
		for (int m = 0; m < NMAP; m++) {
			double scale = ind_map[m].wan ? 1e4 : 1, sum = 0;
			int quarters = 0;
			for (int q = 1; q <= 4; q++) {
				double v = quarter_value(series, n, years[k], q, ind_map[m].field);
				if (isnan(v))
					continue;
				if (count < max)
					out[count++] = (struct rule_ind_value){
					    (uint8_t)ind_map[m].ind, (uint8_t)q, (int16_t)years[k],
					    v * scale};
				sum += v;
				quarters++;
			}
			if (ind_map[m].field == IND_EMPLOYEES ? quarters > 0 : quarters == 4) {
				double v = ind_map[m].field == IND_EMPLOYEES ? sum / quarters : sum;
				if (count < max)
					out[count++] =
					    (struct rule_ind_value){(uint8_t)ind_map[m].ind, 0,
					                            (int16_t)years[k], v * scale};
			}
		}
	}
	return count;
}

/* ------------------------------------------------------------------ */
/* Size by the MIIT rule                                                */

static const struct {
	enum size_class size;
	double employees, revenue;
} miit[] = {
    {SIZE_LARGE, 1000, 4e8},
    {SIZE_MEDIUM, 300, 2e7},
    {SIZE_SMALL, 20, 3e6},
};

enum size_class rule_size_by_miit(double employees, double revenue_yuan)
{
	if (isnan(employees) || isnan(revenue_yuan))
		return SIZE_NONE;
	for (size_t i = 0; i < sizeof(miit) / sizeof(miit[0]); i++)
		if (employees >= miit[i].employees && revenue_yuan >= miit[i].revenue)
			return miit[i].size;
	return SIZE_MICRO;
}

void rule_size_derive(const struct rule_facts *f, int as_of_year, struct rule_size_derivation *d)
{
	d->size = SIZE_NONE;
	d->year = 0;
	d->revenue = NAN;
	d->employees = NAN;
	d->employees_year = 0;
	for (int i = 0; i < f->nvalues; i++) {
		const struct rule_ind_value *v = &f->values[i];
		if (v->ind == RI_REVENUE && v->quarter == 0 && v->year <= as_of_year &&
		    v->year > d->year && !isnan(v->v)) {
			d->year = v->year;
			d->revenue = v->v;
		}
	}
	if (!d->year)
		return;
	for (int i = 0; i < f->nvalues; i++) {
		const struct rule_ind_value *v = &f->values[i];
		if (v->ind == RI_EMPLOYEES && v->quarter == 0 && v->year == d->year &&
		    !isnan(v->v)) {
			d->employees = v->v;
			d->employees_year = 1;
			break;
		}
	}
	if (isnan(d->employees) && f->employees >= 0)
		d->employees = (double)f->employees;
	d->size = rule_size_by_miit(d->employees, d->revenue);
}

static const char *size_zh(enum size_class s)
{
	switch (s) {
	case SIZE_LARGE:
		return "大型";
	case SIZE_MEDIUM:
		return "中型";
	case SIZE_SMALL:
		return "小型";
	case SIZE_MICRO:
		return "微型";
	default:
		return "未知";
	}
}

void rule_size_derivation_text(const struct rule_size_derivation *d, int zh, char *out, size_t n)
{
	char rev[64], emp[64], next_rev[64];
	size_t len;
	int i;

	if (!d->year) {
		snprintf(out, n,
		         zh ? "未知：无完整年度营业收入" : "unknown: no whole year's revenue");
		return;
	}
	rule_format_value(d->revenue, RU_MONEY, rev, sizeof(rev));
	if (isnan(d->employees)) {
		snprintf(out, n,
		         zh ? "未知：%d年营业收入%s，无从业人员数"
		            : "unknown: revenue %d %s, no employees figure",
		         d->year, rev);
		return;
	}
	rule_format_value(d->employees, RU_COUNT, emp, sizeof(emp));
	for (i = 0; i < 3 && miit[i].size != d->size; i++)
		;
	if (i < 3) {
		char tr[64], te[64];
		rule_format_value(miit[i].revenue, RU_MONEY, tr, sizeof(tr));
		rule_format_value(miit[i].employees, RU_COUNT, te, sizeof(te));
		snprintf(out, n,
		         zh ? "%s：%d年营业收入%s（≥ %s），从业人员%s%s（≥ %s）"
		            : "%s: revenue %d %s (≥ %s), employees %s%s (≥ %s)",
		         zh ? size_zh(d->size) : size_class_name(d->size), d->year, rev, tr, emp,
		         d->employees_year ? (zh ? "（年均）" : " (year's average)")
		                           : (zh ? "（登记）" : " (registry)"),
		         te);
	} else {
		snprintf(out, n,
		         zh ? "%s：%d年营业收入%s，从业人员%s%s"
		            : "%s: revenue %d %s, employees %s%s",
		         zh ? size_zh(d->size) : size_class_name(d->size), d->year, rev, emp,
		         d->employees_year ? (zh ? "（年均）" : " (year's average)")
		                           : (zh ? "（登记）" : " (registry)"));
	}
	/* What the next class up needs. */
	if (i > 0) {
		len = strlen(out);
		rule_format_value(miit[i - 1].revenue, RU_MONEY, next_rev, sizeof(next_rev));
		snprintf(out + len, n > len ? n - len : 0,
		         zh ? "；%s需从业人员 ≥ %.0f且营业收入 ≥ %s"
		            : "; %s needs ≥ %.0f employees and ≥ %s",
		         zh ? size_zh(miit[i - 1].size) : size_class_name(miit[i - 1].size),
		         miit[i - 1].employees, next_rev);
	}
}

/* ------------------------------------------------------------------ */
/* Showing values                                                       */

/* x with at most `decimals` decimals, trailing zeros dropped, the whole
 * part grouped by thousands. */
static void grouped(double x, int decimals, char *out, size_t n)
{
	char raw[400], *dot;
	size_t o = 0, whole, start;

	snprintf(raw, sizeof(raw), "%.*f", decimals, x);
	dot = strchr(raw, '.');
	if (dot) {
		char *e = raw + strlen(raw) - 1;
		while (e > dot && *e == '0')
			*e-- = '\0';
		if (e == dot)
			*e = '\0';
	}
	if (strcmp(raw, "-0") == 0)
		strcpy(raw, "0");
	dot = strchr(raw, '.');
	whole = dot ? (size_t)(dot - raw) : strlen(raw);
	start = raw[0] == '-';
	for (size_t i = 0; raw[i] && o + 1 < n; i++) {
		if (i > start && i < whole && (whole - i) % 3 == 0) {
			out[o++] = ',';
			if (o + 1 >= n)
				break;
		}
		out[o++] = raw[i];
	}
	out[o] = '\0';
}

void rule_format_value(double v, enum rule_unit u, char *out, size_t n)
{
	char num[420];

	if (isnan(v)) {
		snprintf(out, n, "unknown");
		return;
	}
	if (isinf(v)) {
		snprintf(out, n, v > 0 ? "∞" : "-∞");
		return;
	}
	switch (u) {
	case RU_MONEY:
		if (fabs(v) >= 1e8) {
			grouped(v / 1e8, 2, num, sizeof(num));
			snprintf(out, n, "%s亿", num);
		} else if (fabs(v) >= 1e4) {
			grouped(v / 1e4, 2, num, sizeof(num));
			snprintf(out, n, "%s万", num);
		} else {
			grouped(v, 2, num, sizeof(num));
			snprintf(out, n, "%s元", num);
		}
		return;
	case RU_RATIO:
		grouped(v * 100, 2, num, sizeof(num));
		snprintf(out, n, "%s %%", num);
		return;
	case RU_ENERGY:
		grouped(v, 2, num, sizeof(num));
		snprintf(out, n, "%s tce", num);
		return;
	default:
		grouped(v, fabs(v) >= 1e6 ? 0 : 4, num, sizeof(num));
		snprintf(out, n, "%s", num);
		return;
	}
}

void rule_format_value_en(double v, enum rule_unit u, char *out, size_t n)
{
	char num[420];

	if (u != RU_MONEY || isnan(v) || isinf(v)) {
		rule_format_value(v, u, out, n);
		return;
	}
	grouped(fabs(v), 2, num, sizeof(num));
	snprintf(out, n, "%s¥%s", v < 0 ? "-" : "", num);
}

void rule_value_text(double v, enum rule_type t, enum rule_unit u, char *out, size_t n)
{
	if (isnan(v)) {
		snprintf(out, n, "unknown");
		return;
	}
	switch (t) {
	case RT_SIZE:
	case RT_STAGE:
	case RT_STATUS:
		snprintf(out, n, "%s", rule_word_name(t, (int)v));
		return;
	case RT_BOOL:
		snprintf(out, n, "%s", v != 0 ? "true" : "false");
		return;
	case RT_DATE: {
		int ymd = (int)v;
		snprintf(out, n, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
		return;
	}
	case RT_INDUSTRY:
		snprintf(out, n, "%04d", (int)v);
		return;
	case RT_ID:
		if (v == 0)
			snprintf(out, n, "none");
		else
			snprintf(out, n, "%.0f", v);
		return;
	default:
		rule_format_value(v, u, out, n);
		return;
	}
}
