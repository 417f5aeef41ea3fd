/*
 * Reading CSV (src/util/csv.h) and the registry's CSV layout
 * (src/domain/ent_csv.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/ent_csv.h"
#include "util/csv.h"
#include "util/err.h"

/* ------------------------------------------------------------------ */
/* Collecting records                                                   */

#define MAX_RECORDS 16
#define MAX_FIELDS  24

struct record {
	int line;
	int nfields;
	char fields[MAX_FIELDS][128];
};

struct records {
	int n;
	struct record r[MAX_RECORDS];
	int stop_after; /* 0: never */
};

static int collect(void *ctx, int line, int nfields, char **fields)
{
	struct records *rs = ctx;
	struct record *r;

	if (rs->n >= MAX_RECORDS)
		return 1;
	r = &rs->r[rs->n++];
	r->line = line;
	r->nfields = nfields;
	for (int i = 0; i < nfields && i < MAX_FIELDS; i++)
		snprintf(r->fields[i], sizeof(r->fields[i]), "%s", fields[i]);
	return rs->stop_after && rs->n >= rs->stop_after;
}

static int parse(const char *data, size_t len, struct records *rs, struct err *err)
{
	memset(rs, 0, sizeof(*rs));
	err_clear(err);
	return csv_each_record(data, len, collect, rs, err);
}

#define PARSE(lit, rs, err) parse(lit, sizeof(lit) - 1, rs, err)

static void assert_record(const struct records *rs, int i, int line, int nfields, ...)
{
	va_list ap;
	const struct record *r;

	assert_true(i < rs->n);
	r = &rs->r[i];
	if (r->line != line)
		fail_msg("record %d: line %d, expected %d", i + 1, r->line, line);
	assert_int_equal(r->nfields, nfields);
	va_start(ap, nfields);
	for (int k = 0; k < nfields; k++)
		assert_string_equal(r->fields[k], va_arg(ap, const char *));
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* csv_each_record                                                      */

static void test_quoting(void **state)
{
	static const char data[] = "name,note\n"                /* line 1 */
	                           "a,\"x, y\"\n"               /* line 2 */
	                           "b,\"multi\nline\"\n"        /* lines 3-4 */
	                           "c,\"he said \"\"hi\"\"\"\n" /* line 5 */
	                           "d,\"\"\n"                   /* line 6: an empty quoted field */
	                           "e,\"two\n\nbreaks\"\n"      /* lines 7-9 */
	                           "f,g\n";                     /* line 10 */
	struct records rs;
	struct err err;

	(void)state;
	assert_int_equal(PARSE(data, &rs, &err), 0);
	assert_int_equal(rs.n, 7);
	assert_record(&rs, 0, 1, 2, "name", "note");
	assert_record(&rs, 1, 2, 2, "a", "x, y");
	assert_record(&rs, 2, 3, 2, "b", "multi\nline");
	assert_record(&rs, 3, 5, 2, "c", "he said \"hi\"");
	assert_record(&rs, 4, 6, 2, "d", "");
	assert_record(&rs, 5, 7, 2, "e", "two\n\nbreaks");
	assert_record(&rs, 6, 10, 2, "f", "g");
}

/* A record whose first field spans lines starts on the line of its
 * opening quote, and the records after it keep their own lines. */
static void test_first_field_spans_lines(void **state)
{
	static const char data[] = "h1,h2\n"              /* line 1 */
	                           "\"first\nfield\",z\n" /* lines 2-3 */
	                           "\"x\",\"y\ny\"\n"     /* lines 4-5 */
	                           "last,row\n";          /* line 6 */
	struct records rs;
	struct err err;

	(void)state;
	assert_int_equal(PARSE(data, &rs, &err), 0);
	assert_int_equal(rs.n, 4);
	assert_record(&rs, 0, 1, 2, "h1", "h2");
	assert_record(&rs, 1, 2, 2, "first\nfield", "z");
	assert_record(&rs, 2, 4, 2, "x", "y\ny");
	assert_record(&rs, 3, 6, 2, "last", "row");
}

static void test_crlf_and_empty_lines(void **state)
{
	static const char data[] = "a,b\r\n"          /* line 1 */
	                           "\r\n"             /* line 2: empty */
	                           "c,\"d\r\ne\"\r\n" /* lines 3-4 */
	                           "\n"               /* line 5: empty */
	                           "\n"               /* line 6: empty */
	                           "f,g\r\n";         /* line 7 */
	struct records rs;
	struct err err;

	(void)state;
	assert_int_equal(PARSE(data, &rs, &err), 0);
	assert_int_equal(rs.n, 3);
	assert_record(&rs, 0, 1, 2, "a", "b");
	assert_record(&rs, 1, 3, 2, "c", "d\r\ne");
	assert_record(&rs, 2, 7, 2, "f", "g");
}

static void test_last_line_without_newline(void **state)
{
	static const char data[] = "a,b\nc,d";
	struct records rs;
	struct err err;

	(void)state;
	assert_int_equal(PARSE(data, &rs, &err), 0);
	assert_int_equal(rs.n, 2);
	assert_record(&rs, 1, 2, 2, "c", "d");
}

static void test_callback_stops(void **state)
{
	static const char data[] = "1\n2\n3\n4\n";
	struct records rs;
	struct err err;

	(void)state;
	memset(&rs, 0, sizeof(rs));
	err_clear(&err);
	rs.stop_after = 2;
	assert_int_equal(csv_each_record(data, sizeof(data) - 1, collect, &rs, &err), 0);
	assert_int_equal(rs.n, 2);
	assert_int_equal(err.kind, ERR_NONE);
}

static void test_unterminated_quote(void **state)
{
	static const char data[] = "a,b\n"
	                           "c,\"never closed\n"
	                           "more text\n";
	struct records rs;
	struct err err;

	(void)state;
	assert_int_equal(PARSE(data, &rs, &err), -1);
	assert_int_equal(err.kind, ERR_INVALID);
	assert_string_equal(err.code, "bad_csv");
	assert_non_null(strstr(err.message, "line"));
	/* The complete record before it was delivered. */
	assert_int_equal(rs.n, 1);
	assert_record(&rs, 0, 1, 2, "a", "b");
}

static void test_stray_quote_names_its_line(void **state)
{
	static const char data[] = "x,y\n"
	                           "ok,row\n"
	                           "bad\"quote,z\n"
	                           "never,reached\n";
	struct records rs;
	struct err err;

	(void)state;
	assert_int_equal(PARSE(data, &rs, &err), -1);
	assert_string_equal(err.code, "bad_csv");
	assert_non_null(strstr(err.message, "line 3"));
	assert_int_equal(rs.n, 2);
}

/* ------------------------------------------------------------------ */
/* csv_check_utf8                                                       */

static void test_utf8_ok(void **state)
{
	static const char data[] = "uscc,name_zh\n91350100M000100Y43,上海起帆电缆股份有限公司\n";
	size_t bom = 99;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(csv_check_utf8(data, sizeof(data) - 1, &bom, &err), 0);
	assert_int_equal(bom, 0);
	assert_int_equal(err.kind, ERR_NONE);
}

static void test_bom_skipped(void **state)
{
	static const char data[] = "\xEF\xBB\xBFuscc,name_zh\r\n91350100M000100Y43,起帆\r\n";
	size_t bom = 0;
	struct records rs;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(csv_check_utf8(data, sizeof(data) - 1, &bom, &err), 0);
	assert_int_equal(bom, 3);
	assert_int_equal(parse(data + bom, sizeof(data) - 1 - bom, &rs, &err), 0);
	assert_int_equal(rs.n, 2);
	assert_record(&rs, 0, 1, 2, "uscc", "name_zh");
	assert_record(&rs, 1, 2, 2, "91350100M000100Y43", "起帆");
}

static void test_gbk_refused(void **state)
{
	/* "uscc,name_zh\n<code>,起帆电缆\n" as Excel on a Chinese Windows
	 * saves it: 起 C6F0, 帆 B7AB, 电 B5E7, 缆 C0C2 in GBK. */
	static const char data[] = "uscc,name_zh\n91350100M000100Y43,"
	                           "\xC6\xF0\xB7\xAB\xB5\xE7\xC0\xC2\n";
	size_t bom = 0;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(csv_check_utf8(data, sizeof(data) - 1, &bom, &err), -1);
	assert_int_equal(err.kind, ERR_INVALID);
	assert_string_equal(err.code, "not_utf8");
	assert_non_null(strstr(err.message, "GBK"));
	assert_non_null(strstr(err.message, "iconv"));
}

static void test_invalid_utf8_not_gbk(void **state)
{
	/* Valid UTF-8 Chinese on line 2, then a stray 0xFF on line 3: not
	 * GBK either (0xFF is no GBK lead byte). */
	static const char data[] = "a,b\n起帆,c\nx\xFFy,z\n";
	/* A lone 0x80 (a continuation byte with no lead) on line 4. */
	static const char data2[] = "a\nb\nc\n\x80\n";
	size_t bom = 0;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(csv_check_utf8(data, sizeof(data) - 1, &bom, &err), -1);
	assert_string_equal(err.code, "not_utf8");
	assert_non_null(strstr(err.message, "line 3"));
	assert_non_null(strstr(err.message, "0xFF"));
	assert_null(strstr(err.message, "GBK"));

	err_clear(&err);
	assert_int_equal(csv_check_utf8(data2, sizeof(data2) - 1, &bom, &err), -1);
	assert_non_null(strstr(err.message, "line 4"));
	assert_non_null(strstr(err.message, "0x80"));
}

static void test_overlong_and_surrogates_refused(void **state)
{
	static const char overlong[] = "a\n\xC0\xAF\n";
	static const char surrogate[] = "\xED\xA0\x80\n";
	static const char truncated_at_end[] = "ok\n\xE8";
	size_t bom;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(csv_check_utf8(overlong, sizeof(overlong) - 1, &bom, &err), -1);
	err_clear(&err);
	assert_int_equal(csv_check_utf8(surrogate, sizeof(surrogate) - 1, &bom, &err), -1);
	err_clear(&err);
	assert_int_equal(csv_check_utf8(truncated_at_end, sizeof(truncated_at_end) - 1, &bom, &err),
	                 -1);
}

/* ------------------------------------------------------------------ */
/* The registry's layout                                                */

static void test_header_all_columns(void **state)
{
	struct ent_csv_header h;
	struct err err;
	char *fields[ENT_CSV_COLUMNS];

	(void)state;
	for (int i = 0; i < ENT_CSV_COLUMNS; i++)
		fields[i] = (char *)ent_csv_columns[i];
	err_clear(&err);
	assert_int_equal(ent_csv_header_parse(&h, ENT_CSV_COLUMNS, fields, &err), 0);
	assert_int_equal(h.ncols, ENT_CSV_COLUMNS);
	assert_string_equal(h.field[0], "uscc");
	assert_string_equal(h.field[3], "industry");
	assert_string_equal(h.field[15], "in_park");
	assert_string_equal(h.field[ENT_CSV_COLUMNS - 1], "contact8_email");
}

static void test_header_any_order(void **state)
{
	char c0[] = "industry", c1[] = "name_en", c2[] = "uscc";
	char *fields[] = {c0, c1, c2};
	struct ent_csv_header h;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(ent_csv_header_parse(&h, 3, fields, &err), 0);
	assert_int_equal(h.ncols, 3);
	assert_string_equal(h.field[0], "industry");
	assert_string_equal(h.field[1], "name_en");
	assert_string_equal(h.field[2], "uscc");
}

static void test_header_unknown(void **state)
{
	char c0[] = "uscc", c1[] = "industry", c2[] = "colour";
	char *fields[] = {c0, c1, c2};
	struct ent_csv_header h;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(ent_csv_header_parse(&h, 3, fields, &err), -1);
	assert_int_equal(err.kind, ERR_INVALID);
	assert_string_equal(err.code, "unknown_column");
	assert_string_equal(err.field, "colour");
	assert_non_null(strstr(err.message, "column 3"));
	assert_non_null(strstr(err.message, "colour"));
}

static void test_header_repeated(void **state)
{
	char c0[] = "uscc", c1[] = "industry", c2[] = "name_zh", c3[] = "uscc";
	char *fields[] = {c0, c1, c2, c3};
	struct ent_csv_header h;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(ent_csv_header_parse(&h, 4, fields, &err), -1);
	assert_string_equal(err.code, "repeated_column");
	assert_string_equal(err.field, "uscc");
	assert_non_null(strstr(err.message, "column 4"));
	assert_non_null(strstr(err.message, "column 1"));
}

static void test_header_missing(void **state)
{
	char c0[] = "name_zh", c1[] = "industry";
	char *no_uscc[] = {c0, c1};
	char d0[] = "uscc", d1[] = "name_zh";
	char *no_industry[] = {d0, d1};
	struct ent_csv_header h;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(ent_csv_header_parse(&h, 2, no_uscc, &err), -1);
	assert_string_equal(err.code, "missing_column");
	assert_string_equal(err.field, "uscc");
	assert_non_null(strstr(err.message, "uscc"));

	err_clear(&err);
	assert_int_equal(ent_csv_header_parse(&h, 2, no_industry, &err), -1);
	assert_string_equal(err.code, "missing_column");
	assert_string_equal(err.field, "industry");
}

/* The header used by the record tests. */
static void small_header(struct ent_csv_header *h)
{
	char c0[] = "uscc", c1[] = "name_zh", c2[] = "industry", c3[] = "employees",
	     c4[] = "founded";
	char *fields[] = {c0, c1, c2, c3, c4};
	struct err err;

	err_clear(&err);
	assert_int_equal(ent_csv_header_parse(h, 5, fields, &err), 0);
}

static void test_record_good(void **state)
{
	char c0[] = "91350100M000100Y43", c1[] = "上海起帆电缆股份有限公司", c2[] = "3831",
	     c3[] = "2600", c4[] = "1994-12-16";
	char *fields[] = {c0, c1, c2, c3, c4};
	struct ent_csv_header h;
	struct enterprise e;
	struct err err;

	(void)state;
	small_header(&h);
	err_clear(&err);
	assert_int_equal(ent_csv_record(&h, 5, fields, &e, &err), 0);
	assert_int_equal(err.nfields, 0);
	assert_string_equal(e.uscc, "91350100M000100Y43");
	assert_string_equal(e.name_zh, "上海起帆电缆股份有限公司");
	assert_string_equal(e.industry, "3831");
	assert_int_equal(e.employees, 2600);
	assert_string_equal(e.founded, "1994-12-16");
}

static void test_record_field_count(void **state)
{
	char c0[] = "91350100M000100Y43", c1[] = "起帆", c2[] = "3831", c3[] = "10",
	     c4[] = "2000-01-01", c5[] = "extra";
	char *fields[] = {c0, c1, c2, c3, c4, c5};
	struct ent_csv_header h;
	struct enterprise e;
	struct err err;

	(void)state;
	small_header(&h);
	err_clear(&err);
	assert_int_equal(ent_csv_record(&h, 6, fields, &e, &err), -1);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].code, "wrong_field_count");
	assert_non_null(strstr(err.fields[0].message, "6"));
	assert_non_null(strstr(err.fields[0].message, "5"));

	err_clear(&err);
	assert_int_equal(ent_csv_record(&h, 4, fields, &e, &err), -1);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].code, "wrong_field_count");
	assert_non_null(strstr(err.fields[0].message, "4"));
}

static void test_record_bad_values_name_columns(void **state)
{
	char c0[] = "91350100M000100Y43", c1[] = "起帆", c2[] = "38x2", c3[] = "-1",
	     c4[] = "2023-02-29";
	char *fields[] = {c0, c1, c2, c3, c4};
	struct ent_csv_header h;
	struct enterprise e;
	struct err err;

	(void)state;
	small_header(&h);
	err_clear(&err);
	assert_int_equal(ent_csv_record(&h, 5, fields, &e, &err), -1);
	/* Every bad cell, not only the first. */
	assert_int_equal(err.nfields, 3);
	assert_string_equal(err.fields[0].field, "column 3 (industry)");
	assert_string_equal(err.fields[0].code, "invalid_industry");
	assert_string_equal(err.fields[1].field, "column 4 (employees)");
	assert_string_equal(err.fields[1].code, "out_of_range");
	assert_string_equal(err.fields[2].field, "column 5 (founded)");
	assert_string_equal(err.fields[2].code, "invalid_date");
	assert_non_null(strstr(err.fields[2].message, "2023-02-29"));
	/* The first one heads the error. */
	assert_int_equal(err.kind, ERR_INVALID);
	assert_string_equal(err.field, "column 3 (industry)");
}

/* A bad USCC is a bad value of column 1 like any other. */
static void test_record_bad_uscc_names_column(void **state)
{
	/* The worked example with a wrong check character (expected '3'). */
	char c0[] = "91350100M000100Y44", c1[] = "起帆", c2[] = "3831", c3[] = "10",
	     c4[] = "2000-01-01";
	char *fields[] = {c0, c1, c2, c3, c4};
	struct ent_csv_header h;
	struct enterprise e;
	struct err err;

	(void)state;
	small_header(&h);
	err_clear(&err);
	assert_int_equal(ent_csv_record(&h, 5, fields, &e, &err), -1);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].code, "invalid_uscc");
	assert_non_null(strstr(err.fields[0].message, "'3'"));
	assert_string_equal(err.fields[0].field, "column 1 (uscc)");
}

static void test_cells_round_trip(void **state)
{
	const char *cells[ENT_CSV_COLUMNS];
	static char scratch[ENT_CSV_COLUMNS][ENT_CSV_SCRATCH];
	struct ent_csv_header h;
	struct enterprise e, back;
	char *fields[ENT_CSV_COLUMNS], *hdr[ENT_CSV_COLUMNS];
	struct err err;

	(void)state;
	enterprise_init(&e);
	err_clear(&err);
	assert_int_equal(enterprise_set_text(&e, "uscc", "91310116MA1K0004XF", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "name_zh", "上海协益实业有限公司", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "industry", "2929", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "tags", "招商引进;高新技术企业", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "lon", "121.29", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "lat", "30.8", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "employees", "180", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "stage", "upstream", &err), 0);
	ent_csv_cells(&e, cells, scratch);
	assert_string_equal(cells[14], "招商引进;高新技术企业");
	assert_string_equal(cells[11], "180");
	assert_string_equal(cells[5], "upstream");
	assert_string_equal(cells[15], "true");

	for (int i = 0; i < ENT_CSV_COLUMNS; i++) {
		hdr[i] = (char *)ent_csv_columns[i];
		fields[i] = (char *)cells[i];
	}
	assert_int_equal(ent_csv_header_parse(&h, ENT_CSV_COLUMNS, hdr, &err), 0);
	assert_int_equal(ent_csv_record(&h, ENT_CSV_COLUMNS, fields, &back, &err), 0);
	assert_string_equal(back.uscc, e.uscc);
	assert_string_equal(back.name_zh, e.name_zh);
	assert_int_equal(back.ntags, 2);
	assert_int_equal(back.employees, 180);
	assert_int_equal(back.has_location, 3);
	assert_true(back.lon > 121.289999 && back.lon < 121.290001);
}

/* Every contact, the reason for a status and an accepted code survive a
 * trip through the layout. */
static void test_cells_keep_every_contact(void **state)
{
	const char *cells[ENT_CSV_COLUMNS];
	static char scratch[ENT_CSV_COLUMNS][ENT_CSV_SCRATCH];
	struct ent_csv_header h;
	static struct enterprise e, back;
	char *fields[ENT_CSV_COLUMNS], *hdr[ENT_CSV_COLUMNS];
	struct err err;
	char name[16];

	(void)state;
	enterprise_init(&e);
	err_clear(&err);
	assert_int_equal(enterprise_set_text(&e, "uscc", "91350100M000100Y4A", &err), 0);
	e.uscc_override = 1; /* fails its check; accepted by an officer */
	assert_int_equal(enterprise_set_text(&e, "name_zh", "厦门早期企业", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "industry", "3832", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "status", "moved_out", &err), 0);
	strcpy(e.status_reason, "迁往松江区，2024年3月");
	for (int i = 0; i < ENT_MAX_CONTACTS; i++) {
		snprintf(name, sizeof(name), "联系人%d", i + 1);
		assert_int_equal(enterprise_set_contact(&e, i, name, "经理", "021-5722 0000",
		                                        i % 2 ? "a@b.example.cn" : "", &err),
		                 0);
	}
	ent_csv_cells(&e, cells, scratch);
	assert_int_equal(ent_csv_width(8), ENT_CSV_COLUMNS);
	assert_int_equal(ent_csv_width(0), ENT_CSV_BASE + 4);
	for (int i = 0; i < ENT_CSV_COLUMNS; i++) {
		hdr[i] = (char *)ent_csv_columns[i];
		fields[i] = (char *)cells[i];
	}
	assert_int_equal(ent_csv_header_parse(&h, ENT_CSV_COLUMNS, hdr, &err), 0);
	assert_int_equal(ent_csv_record(&h, ENT_CSV_COLUMNS, fields, &back, &err), 0);
	assert_int_equal(back.ncontacts, ENT_MAX_CONTACTS);
	assert_string_equal(back.contacts[7].name, "联系人8");
	assert_string_equal(back.contacts[7].email, "a@b.example.cn");
	assert_string_equal(back.contacts[6].email, "");
	assert_string_equal(back.status_reason, "迁往松江区，2024年3月");
	assert_int_equal(back.uscc_override, 1);
	assert_int_equal(back.status, STATUS_MOVED_OUT);

	/* Without the override the same code is refused. */
	fields[16] = (char *)"false";
	err_clear(&err);
	assert_int_equal(ent_csv_record(&h, ENT_CSV_COLUMNS, fields, &back, &err), -1);
	assert_string_equal(err.fields[0].field, "column 1 (uscc)");
}

/* One record with several broken rules hears of all of them, the
 * contacts' included, each at its column. */
static void test_record_reports_every_error(void **state)
{
	char h0[] = "uscc", h1[] = "industry", h2[] = "lon", h3[] = "contact_name",
	     h4[] = "contact_phone", h5[] = "contact2_email", h6[] = "contact2_name",
	     h7[] = "uscc_override";
	char *hdr[] = {h0, h1, h2, h3, h4, h5, h6, h7};
	char f0[] = "91310116MA1K0004XF", f1[] = "99", f2[] = "121.3", f3[] = "陈永达",
	     f4[] = "not a phone", f5[] = "no-at-sign", f6[] = "", f7[] = "maybe";
	char *fields[] = {f0, f1, f2, f3, f4, f5, f6, f7};
	struct ent_csv_header h;
	static struct enterprise e;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(ent_csv_header_parse(&h, 8, hdr, &err), 0);
	assert_int_equal(ent_csv_record(&h, 8, fields, &e, &err), -1);
	assert_true(err_has_field(&err, "column 2 (industry)"));
	assert_true(err_has_field(&err, "column 5 (contact_phone)"));
	assert_true(err_has_field(&err, "column 6 (contact2_email)"));
	assert_true(err_has_field(&err, "column 7 (contact2_name)"));
	assert_true(err_has_field(&err, "column 8 (uscc_override)"));
	/* lon without lat: no lat column, so the record is named. */
	assert_true(err_has_field(&err, "lat"));
	assert_true(err_has_field(&err, "name_zh")); /* neither name given */
	assert_int_equal(err.nfields, 7);
}

static int collect_one(void *ctx, int line, int nfields, char **fields)
{
	struct {
		int n;
		char v[16][64];
	} *b = ctx;

	(void)line;
	for (int i = 0; i < nfields && b->n < 16; i++)
		snprintf(b->v[b->n++], sizeof(b->v[0]), "%s", fields[i]);
	return 0;
}

/* Cells a spreadsheet would run as formulas are written guarded and read
 * back as they were. */
static void test_formula_guard(void **state)
{
	static const char *const values[] = {
	    "=HYPERLINK(\"http://x\",\"y\")",
	    "+86 21 5722 0000",
	    "-1",
	    "@SUM(A1)",
	    "\tx",
	    "\r=1",
	    "'=already",
	    "''+two",
	    "plain",
	    "'plain",
	    "",
	    "中文=",
	};
	const size_t n = sizeof(values) / sizeof(values[0]);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct back {
		int n;
		char v[16][64];
	} back = {0};
	struct err err;

	(void)state;
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		csv_write_text(f, values[i], i == n - 1);
	fclose(f);
	/* Nothing a formula could start with opens a cell. */
	for (const char *p = buf; (p = strchr(p, '"')) != NULL; p++) {
		if (p == buf || p[-1] == ',')
			assert_null(strchr("=+-@\t\r", p[1] ? p[1] : 'x'));
	}
	err_clear(&err);
	assert_int_equal(csv_each_record(buf, len, collect_one, &back, &err), 0);
	assert_int_equal(back.n, (int)n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(back.v[i], values[i]);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quoting),
	    cmocka_unit_test(test_first_field_spans_lines),
	    cmocka_unit_test(test_crlf_and_empty_lines),
	    cmocka_unit_test(test_last_line_without_newline),
	    cmocka_unit_test(test_callback_stops),
	    cmocka_unit_test(test_unterminated_quote),
	    cmocka_unit_test(test_stray_quote_names_its_line),
	    cmocka_unit_test(test_utf8_ok),
	    cmocka_unit_test(test_bom_skipped),
	    cmocka_unit_test(test_gbk_refused),
	    cmocka_unit_test(test_invalid_utf8_not_gbk),
	    cmocka_unit_test(test_overlong_and_surrogates_refused),
	    cmocka_unit_test(test_header_all_columns),
	    cmocka_unit_test(test_header_any_order),
	    cmocka_unit_test(test_header_unknown),
	    cmocka_unit_test(test_header_repeated),
	    cmocka_unit_test(test_header_missing),
	    cmocka_unit_test(test_record_good),
	    cmocka_unit_test(test_record_field_count),
	    cmocka_unit_test(test_record_bad_values_name_columns),
	    cmocka_unit_test(test_record_bad_uscc_names_column),
	    cmocka_unit_test(test_cells_round_trip),
	    cmocka_unit_test(test_formula_guard),
	    cmocka_unit_test(test_cells_keep_every_contact),
	    cmocka_unit_test(test_record_reports_every_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
