/*
 * Reading XLSX workbooks (src/util/xlsx.h): a workbook written by
 * libxlsxwriter as a spreadsheet program would write it, and workbooks put
 * together part by part with libzip for what writers vary in (inline
 * strings, rich text, cells without references, the 1904 date system) and
 * for damaged ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "util/err.h"
#include "util/xlsx.h"

#define MAX_RECORDS 16
#define MAX_FIELDS  8

struct records {
	int n;
	int line[MAX_RECORDS];
	int nfields[MAX_RECORDS];
	char f[MAX_RECORDS][MAX_FIELDS][64];
};

static int collect(void *ctx, int line, int nfields, char **fields)
{
	struct records *rs = ctx;

	assert_true(rs->n < MAX_RECORDS);
	rs->line[rs->n] = line;
	rs->nfields[rs->n] = nfields;
	for (int i = 0; i < nfields && i < MAX_FIELDS; i++)
		snprintf(rs->f[rs->n][i], 64, "%s", fields[i]);
	rs->n++;
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

/* A workbook from its parts: pairs of name and content, NULL-ended. */
static char *build(size_t *len, ...)
{
	char path[] = "/tmp/qy-xlsx-XXXXXX";
	int fd = mkstemp(path), ze;
	zip_t *z;
	va_list ap;
	const char *name;
	char *data;

	assert_true(fd >= 0);
	close(fd);
	z = zip_open(path, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	va_start(ap, len);
	while ((name = va_arg(ap, const char *))) {
		const char *body = va_arg(ap, const char *);
		zip_source_t *s = zip_source_buffer(z, body, strlen(body), 0);
		assert_true(zip_file_add(z, name, s, ZIP_FL_OVERWRITE) >= 0);
	}
	va_end(ap);
	assert_int_equal(zip_close(z), 0);
	data = slurp(path, len);
	unlink(path);
	return data;
}

#define WORKBOOK                                                                                   \
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "           \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"         \
	"<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS                                                                                       \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"   \
	"<Relationship Id=\"rId1\" Type=\"worksheet\" Target=\"worksheets/sheet1.xml\"/>"          \
	"</Relationships>"
#define SHEET(rows)                                                                                \
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"          \
	"<sheetData>" rows "</sheetData></worksheet>"

/* ------------------------------------------------------------------ */

static void written_by_a_spreadsheet_writer(void **state)
{
	(void)state;
	char path[] = "/tmp/qy-xlsx-XXXXXX";
	int fd = mkstemp(path);
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date, *money;
	lxw_datetime day = {2024, 3, 15, 0, 0, 0}, moment = {2024, 3, 15, 13, 30, 0};
	struct records rs = {0};
	struct err err;
	size_t len;
	char *data;

	assert_true(fd >= 0);
	close(fd);
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, NULL);
	date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
	money = workbook_add_format(wb);
	format_set_num_format(money, "#,##0.00");
	worksheet_write_string(ws, 0, 0, "uscc", NULL);
	worksheet_write_string(ws, 0, 1, "name_zh", NULL);
	worksheet_write_string(ws, 0, 2, "founded", NULL);
	worksheet_write_string(ws, 0, 3, "employees", NULL);
	worksheet_write_string(ws, 0, 4, "in_park", NULL);
	worksheet_write_string(ws, 0, 5, "revenue", NULL);
	worksheet_write_string(ws, 1, 0, "91310116MA1J8X2K5R", NULL);
	worksheet_write_string(ws, 1, 1, "上海起帆电缆股份有限公司", NULL);
	worksheet_write_datetime(ws, 1, 2, &day, date);
	worksheet_write_number(ws, 1, 3, 1200, NULL);
	worksheet_write_boolean(ws, 1, 4, 1, NULL);
	worksheet_write_number(ws, 1, 5, 0.1 + 0.2, money);
	/* Row 3 left empty; row 4 has holes and a time of day. */
	worksheet_write_datetime(ws, 3, 2, &moment, date);
	worksheet_write_string(ws, 3, 5, "x", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	data = slurp(path, &len);
	unlink(path);
	assert_true(xlsx_is_archive(data, len));
	err_clear(&err);
	assert_int_equal(xlsx_each_record(data, len, collect, &rs, &err), 0);
	assert_int_equal(rs.n, 3);
	assert_int_equal(rs.line[0], 1);
	assert_int_equal(rs.nfields[0], 6);
	assert_string_equal(rs.f[0][5], "revenue");
	assert_int_equal(rs.line[1], 2);
	assert_string_equal(rs.f[1][0], "91310116MA1J8X2K5R");
	assert_string_equal(rs.f[1][1], "上海起帆电缆股份有限公司");
	assert_string_equal(rs.f[1][2], "2024-03-15");
	assert_string_equal(rs.f[1][3], "1200");
	assert_string_equal(rs.f[1][4], "true");
	assert_string_equal(rs.f[1][5], "0.3");
	/* The empty row is skipped; the next keeps its own number. */
	assert_int_equal(rs.line[2], 4);
	assert_int_equal(rs.nfields[2], 6);
	assert_string_equal(rs.f[2][0], "");
	assert_string_equal(rs.f[2][2], "2024-03-15T13:30:00");
	assert_string_equal(rs.f[2][5], "x");
	free(data);
}

static void parts_that_writers_vary(void **state)
{
	(void)state;
	struct records rs = {0};
	struct err err;
	size_t len;
	/* Inline and rich strings, a phonetic guide left out, cells without
	 * references, a formula's cached string, an error value, a date in
	 * the 1904 system by a custom format. */
	char *data = build(
	    &len, "xl/workbook.xml",
	    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	    "<workbookPr date1904=\"1\"/>"
	    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>",
	    "xl/_rels/workbook.xml.rels",
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId7\" Target=\"/xl/worksheets/data.xml\"/></Relationships>",
	    "xl/sharedStrings.xml",
	    "<sst><si><r><t>张</t></r><r><rPr/><t xml:space=\"preserve\">堰 镇</t></r>"
	    "<rPh><t>zhang</t></rPh></si><si><t>&lt;b&gt; &amp;</t></si></sst>",
	    "xl/styles.xml",
	    "<styleSheet><numFmts count=\"1\"><numFmt numFmtId=\"170\" formatCode=\"[Red]d/m/yy\"/>"
	    "<numFmt numFmtId=\"171\" formatCode=\"&quot;day&quot; 0.0\"/></numFmts>"
	    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"170\"/><xf numFmtId=\"171\"/>"
	    "<xf numFmtId=\"14\"/></cellXfs></styleSheet>",
	    "xl/worksheets/data.xml",
	    SHEET("<row r=\"2\"><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c>"
	          "<c t=\"inlineStr\"><is><t>inline</t></is></c></row>"
	          "<row><c r=\"B3\" s=\"1\"><v>0</v></c><c s=\"2\"><v>1.5</v></c>"
	          "<c t=\"str\"><f>A1</f><v>sum</v></c><c t=\"e\"><v>#N/A</v></c>"
	          "<c s=\"3\"><v>366</v></c></row><row r=\"4\"><c><v>7</v></c></row>"),
	    NULL);

	err_clear(&err);
	assert_int_equal(xlsx_each_record(data, len, collect, &rs, &err), 0);
	assert_int_equal(rs.n, 3);
	assert_int_equal(rs.line[0], 2);
	assert_string_equal(rs.f[0][0], "张堰 镇");
	assert_string_equal(rs.f[0][1], "<b> &");
	assert_string_equal(rs.f[0][2], "inline");
	assert_int_equal(rs.line[1], 3);
	assert_int_equal(rs.nfields[1], 6);
	assert_string_equal(rs.f[1][0], "");
	assert_string_equal(rs.f[1][1], "1904-01-01");
	assert_string_equal(rs.f[1][2], "1.5"); /* "day" in quotes is no date */
	assert_string_equal(rs.f[1][3], "sum");
	assert_string_equal(rs.f[1][4], "#N/A");
	assert_string_equal(rs.f[1][5], "1905-01-01");
	/* A short row is as wide as the first: blank cells, not missing. */
	assert_int_equal(rs.nfields[2], 3);
	assert_string_equal(rs.f[2][0], "7");
	assert_string_equal(rs.f[2][2], "");
	free(data);
}

static void serial_dates(void **state)
{
	(void)state;
	char out[20];

	assert_int_equal(xlsx_serial_date(1, 0, out), 0);
	assert_string_equal(out, "1900-01-01");
	assert_int_equal(xlsx_serial_date(59, 0, out), 0);
	assert_string_equal(out, "1900-02-28");
	/* Excel's 29 February 1900 is read as 1 March. */
	assert_int_equal(xlsx_serial_date(60, 0, out), 0);
	assert_string_equal(out, "1900-03-01");
	assert_int_equal(xlsx_serial_date(61, 0, out), 0);
	assert_string_equal(out, "1900-03-01");
	assert_int_equal(xlsx_serial_date(45366, 0, out), 0);
	assert_string_equal(out, "2024-03-15");
	assert_int_equal(xlsx_serial_date(45366.5, 0, out), 0);
	assert_string_equal(out, "2024-03-15T12:00:00");
	/* A hair below midnight rounds to the next day, not 23:59:60. */
	assert_int_equal(xlsx_serial_date(45366.9999999999, 0, out), 0);
	assert_string_equal(out, "2024-03-16");
	assert_int_equal(xlsx_serial_date(0, 1, out), 0);
	assert_string_equal(out, "1904-01-01");
	assert_int_equal(xlsx_serial_date(-1, 0, out), -1);
	assert_int_equal(xlsx_serial_date(3e6, 0, out), -1);
}

static void damaged_workbooks(void **state)
{
	(void)state;
	struct records rs = {0};
	struct err err;
	size_t len;
	char *data;

	/* Not a ZIP at all. */
	err_clear(&err);
	assert_int_equal(xlsx_each_record("PK\3\4garbage", 11, collect, &rs, &err), -1);
	assert_string_equal(err.code, "xlsx_damaged");
	assert_string_equal(err.field, "file");

	/* A ZIP without a workbook. */
	data = build(&len, "word/document.xml", "<w/>", NULL);
	err_clear(&err);
	assert_int_equal(xlsx_each_record(data, len, collect, &rs, &err), -1);
	assert_string_equal(err.code, "xlsx_damaged");
	assert_non_null(strstr(err.message, "xl/workbook.xml"));
	free(data);

	/* A sheet relationship to a part that is not there. */
	data = build(&len, "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS, NULL);
	err_clear(&err);
	assert_int_equal(xlsx_each_record(data, len, collect, &rs, &err), -1);
	assert_string_equal(err.code, "xlsx_no_sheet");
	free(data);

	/* A shared string the workbook does not have. */
	data = build(&len, "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
	             "xl/worksheets/sheet1.xml",
	             SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>3</v></c></row>"), NULL);
	err_clear(&err);
	assert_int_equal(xlsx_each_record(data, len, collect, &rs, &err), -1);
	assert_string_equal(err.code, "xlsx_damaged");
	assert_non_null(strstr(err.message, "shared string 3"));
	free(data);

	/* A cell beyond column IV. */
	data = build(&len, "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
	             "xl/worksheets/sheet1.xml",
	             SHEET("<row r=\"5\"><c r=\"IW5\"><v>1</v></c></row>"), NULL);
	err_clear(&err);
	assert_int_equal(xlsx_each_record(data, len, collect, &rs, &err), -1);
	assert_string_equal(err.code, "xlsx_too_wide");
	assert_non_null(strstr(err.message, "row 5"));
	free(data);

	/* Rows going backwards, and XML cut short. */
	data = build(&len, "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
	             "xl/worksheets/sheet1.xml",
	             SHEET("<row r=\"5\"><c><v>1</v></c></row><row r=\"2\"><c><v>1</v></c></row>"),
	             NULL);
	err_clear(&err);
	assert_int_equal(xlsx_each_record(data, len, collect, &rs, &err), -1);
	assert_non_null(strstr(err.message, "out of order"));
	free(data);
	data =
	    build(&len, "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
	          "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c><v>1", NULL);
	err_clear(&err);
	assert_int_equal(xlsx_each_record(data, len, collect, &rs, &err), -1);
	assert_string_equal(err.code, "xlsx_damaged");
	free(data);

	/* An external entity is neither fetched nor expanded. */
	data = build(&len, "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
	             "xl/worksheets/sheet1.xml",
	             "<!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" SHEET(
	                 "<row r=\"1\"><c t=\"inlineStr\"><is><t>a&x;b</t></is></c></row>"),
	             NULL);
	memset(&rs, 0, sizeof(rs));
	err_clear(&err);
	xlsx_each_record(data, len, collect, &rs, &err);
	for (int i = 0; i < rs.n; i++)
		assert_null(strstr(rs.f[i][0], "root:"));
	free(data);
}

static int stop_at_first(void *ctx, int line, int nfields, char **fields)
{
	(void)line, (void)nfields, (void)fields;
	++*(int *)ctx;
	return 1;
}

static void caller_stops(void **state)
{
	(void)state;
	struct err err;
	size_t len;
	int calls = 0;
	char *data = build(
	    &len, "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
	    "xl/worksheets/sheet1.xml",
	    SHEET("<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c><v>2</v></c></row>"), NULL);

	err_clear(&err);
	assert_int_equal(xlsx_each_record(data, len, stop_at_first, &calls, &err), -1);
	assert_int_equal(calls, 1);
	assert_int_equal(err.kind, ERR_NONE);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(written_by_a_spreadsheet_writer),
	    cmocka_unit_test(parts_that_writers_vary),
	    cmocka_unit_test(serial_dates),
	    cmocka_unit_test(damaged_workbooks),
	    cmocka_unit_test(caller_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
