/*
 * The first worksheet of an XLSX workbook as records (see xlsx.h).
 *
 * A workbook is a ZIP archive of XML parts: xl/workbook.xml lists the
 * sheets, each by a relationship id that xl/_rels/workbook.xml.rels turns
 * into the part's name; xl/sharedStrings.xml holds the strings cells refer
 * to by number; xl/styles.xml says, through each cell's style, which
 * numbers are dates.  The small parts are read as trees; the sheet, which
 * may have a million rows, is read as a stream, one cell at a time.
 *
 * Entities are never substituted and no DTD or other file is fetched
 * (neither XML_PARSE_NOENT nor XML_PARSE_DTDLOAD, and XML_PARSE_NONET),
 * so a crafted part can neither read the server's files nor expand
 * itself without bound; every part is bounded unpacked (XLSX_MAX_PART).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "buf.h"
#include "xlsx.h"

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

int xlsx_is_archive(const char *data, size_t len)
{
	return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

/* ------------------------------------------------------------------ */
/* Dates                                                                */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Days since 1970-01-01 of a Gregorian date (H. Hinnant's method). */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int xlsx_serial_date(double serial, int date1904, char out[20])
{
	double whole, frac;
	int64_t days, secs;
	int y, m, d;
	char text[64];

	if (!isfinite(serial) || serial < 0 || serial > 2958466.0)
		return -1;
	/* Round to the second first, so that 0.99999999 is the next day's
	 * midnight rather than 23:59:60. */
	secs = (int64_t)llround(serial * 86400.0);
	whole = (double)(secs / 86400);
	frac = (double)(secs % 86400);
	if (date1904)
		days = days_from_civil(1904, 1, 1) + (int64_t)whole;
	else if (whole >= 61)
		days = days_from_civil(1899, 12, 30) + (int64_t)whole;
	else if (whole == 60)
		/* Excel's 29 February 1900, which never was: the day after
		 * the 28th is the nearest true reading. */
		days = days_from_civil(1900, 3, 1);
	else
		days = days_from_civil(1899, 12, 31) + (int64_t)whole;
	civil_from_days(days, &y, &m, &d);
	if (y < 1900 || y > 9999)
		return -1;
	/* Formatted at full width, then copied: the year is known to have
	 * four digits, which the compiler cannot see. */
	if (frac == 0)
		snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m, d);
	else {
		int s = (int)frac;
		snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, s / 3600,
		         s / 60 % 60, s % 60);
	}
	memcpy(out, text, 20);
	out[19] = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* Parts of the archive                                                 */

/* The part's bytes, NUL-terminated; NULL with *missing = 1 when the
 * archive has no such part, NULL with err set when it cannot be read. */
static char *read_part(zip_t *z, const char *name, size_t *len, int *missing, struct err *err)
{
	zip_stat_t st;
	zip_file_t *f;
	char *data;
	zip_int64_t n;

	*missing = 0;
	zip_stat_init(&st);
	if (zip_stat(z, name, 0, &st) != 0) {
		*missing = 1;
		return NULL;
	}
	if (!(st.valid & ZIP_STAT_SIZE) || st.size > XLSX_MAX_PART) {
		err_set(err, ERR_INVALID, "xlsx_too_large", "file",
		        "the workbook's part %s unpacks to more than %u MiB", name,
		        XLSX_MAX_PART >> 20);
		return NULL;
	}
	if (!(f = zip_fopen(z, name, 0))) {
		err_set(err, ERR_INVALID, "xlsx_damaged", "file",
		        "the workbook's part %s cannot be unpacked: %s", name, zip_strerror(z));
		return NULL;
	}
	if (!(data = malloc(st.size + 1))) {
		zip_fclose(f);
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	/* The size comes from the archive's directory, which a crafted file
	 * may understate: read at most that much and check the end. */
	n = zip_fread(f, data, st.size);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		err_set(err, ERR_INVALID, "xlsx_damaged", "file",
		        "the workbook's part %s is damaged", name);
		free(data);
		zip_fclose(f);
		return NULL;
	}
	zip_fclose(f);
	data[st.size] = '\0';
	*len = st.size;
	return data;
}

static xmlDocPtr read_xml_part(zip_t *z, const char *name, int optional, struct err *err)
{
	size_t len;
	int missing;
	char *data = read_part(z, name, &len, &missing, err);
	xmlDocPtr doc;

	if (!data) {
		if (missing && !optional)
			err_set(err, ERR_INVALID, "xlsx_damaged", "file",
			        "the workbook has no part %s: is it an XLSX file?", name);
		return NULL;
	}
	doc = xmlReadMemory(data, (int)len, name, NULL, XML_OPTIONS);
	free(data);
	if (!doc)
		err_set(err, ERR_INVALID, "xlsx_damaged", "file",
		        "the workbook's part %s is not well-formed XML", name);
	return doc;
}

static int is_element(xmlNodePtr n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

/* The first element named local under n, depth first. */
static xmlNodePtr find_element(xmlNodePtr n, const char *local)
{
	for (; n; n = n->next) {
		xmlNodePtr hit;
		if (is_element(n, local))
			return n;
		if (n->type == XML_ELEMENT_NODE && (hit = find_element(n->children, local)))
			return hit;
	}
	return NULL;
}

/* An attribute by its local name, in any namespace (r:id, plain Id). */
static char *attr(xmlNodePtr n, const char *local)
{
	for (xmlAttrPtr a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, local) == 0)
			return (char *)xmlNodeGetContent((xmlNodePtr)a);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The workbook: which part is the first sheet, and its date system     */

static char *first_sheet_part(zip_t *z, int *date1904, struct err *err)
{
	xmlDocPtr wb, rels = NULL;
	xmlNodePtr sheet, pr, n;
	char *rid = NULL, *target = NULL, *part = NULL;

	*date1904 = 0;
	if (!(wb = read_xml_part(z, "xl/workbook.xml", 0, err)))
		return NULL;
	if ((pr = find_element(xmlDocGetRootElement(wb), "workbookPr"))) {
		char *v = attr(pr, "date1904");
		*date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
		xmlFree(v);
	}
	if (!(sheet = find_element(xmlDocGetRootElement(wb), "sheet")) ||
	    !(rid = attr(sheet, "id"))) {
		err_set(err, ERR_INVALID, "xlsx_no_sheet", "file", "the workbook has no worksheet");
		goto out;
	}
	if (!(rels = read_xml_part(z, "xl/_rels/workbook.xml.rels", 0, err)))
		goto out;
	for (n = xmlDocGetRootElement(rels)->children; n; n = n->next) {
		char *id;
		if (!is_element(n, "Relationship") || !(id = attr(n, "Id")))
			continue;
		if (strcmp(id, rid) == 0)
			target = attr(n, "Target");
		xmlFree(id);
		if (target)
			break;
	}
	if (!target) {
		err_set(err, ERR_INVALID, "xlsx_no_sheet", "file",
		        "the workbook's first sheet names a part it does not have");
		goto out;
	}
	/* Targets are relative to xl/, or absolute from the archive's root. */
	if (target[0] == '/')
		part = strdup(target + 1);
	else if ((part = malloc(strlen(target) + 4)))
		sprintf(part, "xl/%s", target);
	if (!part)
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
out:
	xmlFree(rid);
	xmlFree(target);
	xmlFreeDoc(rels);
	xmlFreeDoc(wb);
	return part;
}

/* ------------------------------------------------------------------ */
/* Shared strings                                                       */

struct strings {
	char **s;
	size_t n, cap;
};

static void strings_free(struct strings *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
}

/* The text of a string item: its <t>, or the <t> of each run of rich
 * text, leaving out phonetic guides (<rPh>), which are not the text. */
static void item_text(xmlNodePtr n, struct buf *out)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || is_element(n, "rPh"))
			continue;
		if (is_element(n, "t")) {
			xmlChar *c = xmlNodeGetContent(n);
			buf_adds(out, c ? (const char *)c : "");
			xmlFree(c);
		} else
			item_text(n->children, out);
	}
}

static int read_strings(zip_t *z, struct strings *t, struct err *err)
{
	xmlDocPtr doc;
	xmlNodePtr n;
	int rc = 0;

	if (!(doc = read_xml_part(z, "xl/sharedStrings.xml", 1, err)))
		return err->kind ? -1 : 0;
	for (n = xmlDocGetRootElement(doc)->children; n && !rc; n = n->next) {
		struct buf b = BUF_INIT;
		if (!is_element(n, "si"))
			continue;
		item_text(n->children, &b);
		if (t->n == t->cap) {
			size_t cap = t->cap ? 2 * t->cap : 256;
			char **s = realloc(t->s, cap * sizeof(*s));
			if (!s)
				rc = -1;
			else {
				t->s = s;
				t->cap = cap;
			}
		}
		if (!rc && (b.failed || !(t->s[t->n] = strdup(buf_cstr(&b)))))
			rc = -1;
		else if (!rc)
			t->n++;
		buf_release(&b);
	}
	xmlFreeDoc(doc);
	if (rc)
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	return rc;
}

/* ------------------------------------------------------------------ */
/* Styles: which cell styles show a number as a date                    */

struct styles {
	unsigned char *is_date; /* by the cell's s attribute */
	size_t n;
};

/* Excel's built-in date and time formats: 14-22 and 45-47. */
static int builtin_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

/* A custom format shows a date when it has a day, month or year code
 * outside quoted text, escapes and [colour] or [$-locale] brackets. */
static int format_is_date(const char *f)
{
	for (; *f; f++) {
		switch (*f) {
		case '"':
			while (f[1] && f[1] != '"')
				f++;
			if (f[1])
				f++;
			break;
		case '\\':
		case '_':
		case '*':
			if (f[1])
				f++;
			break;
		case '[':
			while (f[1] && f[1] != ']')
				f++;
			break;
		case 'd':
		case 'D':
		case 'm':
		case 'M':
		case 'y':
		case 'Y':
			return 1;
		}
	}
	return 0;
}

static int read_styles(zip_t *z, struct styles *st, struct err *err)
{
	xmlDocPtr doc;
	xmlNodePtr root, fmts, xfs, n;
	/* Custom formats by id (ids 164 and up in practice). */
	struct {
		long id;
		int date;
	} custom[256];
	size_t ncustom = 0, count = 0;

	if (!(doc = read_xml_part(z, "xl/styles.xml", 1, err)))
		return err->kind ? -1 : 0;
	root = xmlDocGetRootElement(doc);
	if ((fmts = find_element(root, "numFmts")))
		for (n = fmts->children; n && ncustom < 256; n = n->next) {
			char *id, *code;
			if (!is_element(n, "numFmt"))
				continue;
			id = attr(n, "numFmtId");
			code = attr(n, "formatCode");
			if (id && code) {
				custom[ncustom].id = strtol(id, NULL, 10);
				custom[ncustom++].date = format_is_date(code);
			}
			xmlFree(id);
			xmlFree(code);
		}
	if ((xfs = find_element(root, "cellXfs"))) {
		for (n = xfs->children; n; n = n->next)
			count += is_element(n, "xf");
		if (count && !(st->is_date = calloc(count, 1))) {
			xmlFreeDoc(doc);
			return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		}
		for (n = xfs->children; n; n = n->next) {
			char *id;
			long fid;
			if (!is_element(n, "xf"))
				continue;
			id = attr(n, "numFmtId");
			fid = id ? strtol(id, NULL, 10) : 0;
			xmlFree(id);
			st->is_date[st->n] = (unsigned char)builtin_date(fid);
			for (size_t i = 0; i < ncustom; i++)
				if (custom[i].id == fid)
					st->is_date[st->n] = (unsigned char)custom[i].date;
			st->n++;
		}
	}
	xmlFreeDoc(doc);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The sheet                                                            */

struct row {
	int line;
	int ncells;
	char *cell[XLSX_MAX_COLUMNS];
};

static void row_clear(struct row *r)
{
	for (int i = 0; i < r->ncells; i++) {
		free(r->cell[i]);
		r->cell[i] = NULL;
	}
	r->ncells = 0;
}

/* "BC12" -> column 54 (from 0); -1 when it does not start with letters
 * or lies beyond the limit, which the caller reports. */
static long column_of(const char *ref)
{
	long col = 0;
	int letters = 0;

	for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++) {
		col = col * 26 + (*ref - 'A' + 1);
		if (col > 16384)
			return -1;
	}
	return letters ? col - 1 : -1;
}

static void number_text(const char *v, int date, int date1904, char *out, size_t size)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end || errno) {
		snprintf(out, size, "%s", v);
		return;
	}
	if (date && xlsx_serial_date(d, date1904, out) == 0)
		return;
	/* A spreadsheet stores what it computed, 0.1 + 0.2 as
	 * 0.30000000000000004: the 15 significant digits it shows. */
	snprintf(out, size, "%.15g", d);
}

struct sheet_ctx {
	const struct strings *strings;
	const struct styles *styles;
	int date1904;
	int width; /* cells of the first record */
	csv_record_fn fn;
	void *ctx;
	struct err *err;
};

/* The cell's text from its expanded element: <v> for most types, <is>
 * for inline strings. */
static char *cell_text(struct sheet_ctx *x, xmlNodePtr c, struct err *err)
{
	char *type = attr(c, "t"), *style = attr(c, "s"), *text = NULL;
	xmlNodePtr v = NULL, is = NULL;
	xmlChar *raw = NULL;
	char num[64];

	for (xmlNodePtr n = c->children; n; n = n->next) {
		if (is_element(n, "v"))
			v = n;
		else if (is_element(n, "is"))
			is = n;
	}
	if (type && strcmp(type, "inlineStr") == 0) {
		struct buf b = BUF_INIT;
		if (is)
			item_text(is->children, &b);
		text = b.failed ? NULL : strdup(buf_cstr(&b));
		buf_release(&b);
		goto out;
	}
	raw = v ? xmlNodeGetContent(v) : NULL;
	if (!raw) {
		text = strdup("");
		goto out;
	}
	if (type && strcmp(type, "s") == 0) {
		char *end;
		long i = strtol((const char *)raw, &end, 10);
		if (end == (char *)raw || *end || i < 0 || (size_t)i >= x->strings->n) {
			err_set(err, ERR_INVALID, "xlsx_damaged", "file",
			        "a cell refers to shared string %.20s, which the workbook does not "
			        "have",
			        (const char *)raw);
			goto out;
		}
		text = strdup(x->strings->s[i]);
	} else if (type && strcmp(type, "b") == 0)
		text = strdup(strcmp((const char *)raw, "1") == 0 ? "true" : "false");
	else if (type && (strcmp(type, "str") == 0 || strcmp(type, "e") == 0))
		text = strdup((const char *)raw);
	else {
		long s = style ? strtol(style, NULL, 10) : 0;
		int date = s >= 0 && (size_t)s < x->styles->n && x->styles->is_date[s];
		number_text((const char *)raw, date, x->date1904, num, sizeof(num));
		text = strdup(num);
	}
out:
	if (!text && !err->kind)
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	xmlFree(raw);
	xmlFree(type);
	xmlFree(style);
	return text;
}

/*
 * Hands a finished row to the caller, as wide as the first row (the
 * header) or as its last cell with a value, if further: a spreadsheet has
 * no short rows, only blank cells, which a writer may leave out.  Holes
 * are "".  A row without any value is no record.
 */
static int row_flush(struct sheet_ctx *x, struct row *r)
{
	static char empty[1];
	char *fields[XLSX_MAX_COLUMNS];
	int n = r->ncells, rc;

	while (n > 0 && (!r->cell[n - 1] || !r->cell[n - 1][0]))
		n--;
	if (n == 0) {
		row_clear(r);
		return 0;
	}
	if (!x->width)
		x->width = n;
	else if (n < x->width)
		n = x->width;
	for (int i = 0; i < n; i++)
		fields[i] = i < r->ncells && r->cell[i] ? r->cell[i] : empty;
	rc = x->fn(x->ctx, r->line, n, fields);
	row_clear(r);
	return rc;
}

static int read_sheet(zip_t *z, const char *part, struct sheet_ctx *x)
{
	size_t len;
	int missing, rc = 0, ret = 0;
	char *data = read_part(z, part, &len, &missing, x->err);
	xmlTextReaderPtr rd;
	struct row *r;
	int next_line = 1, next_col = 0;

	if (!data) {
		if (missing)
			err_set(x->err, ERR_INVALID, "xlsx_no_sheet", "file",
			        "the workbook has no part %s for its first sheet", part);
		return -1;
	}
	if (!(r = calloc(1, sizeof(*r)))) {
		free(data);
		return err_set(x->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	if (!(rd = xmlReaderForMemory(data, (int)len, part, NULL, XML_OPTIONS))) {
		free(r);
		free(data);
		return err_set(x->err, ERR_INVALID, "xlsx_damaged", "file",
		               "the worksheet is not XML");
	}
	while (!rc && (ret = xmlTextReaderRead(rd)) == 1) {
		const char *name;
		if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT)
			continue;
		name = (const char *)xmlTextReaderConstLocalName(rd);
		if (strcmp(name, "row") == 0) {
			xmlChar *rn = xmlTextReaderGetAttribute(rd, BAD_CAST "r");
			long line = rn ? strtol((const char *)rn, NULL, 10) : next_line;
			xmlFree(rn);
			if ((rc = row_flush(x, r)))
				break;
			if (line < next_line || line > 1048576) {
				rc = err_set(x->err, ERR_INVALID, "xlsx_damaged", "file",
				             "the worksheet's rows are out of order near row %d",
				             next_line);
				break;
			}
			r->line = (int)line;
			next_line = (int)line + 1;
			next_col = 0;
		} else if (strcmp(name, "c") == 0) {
			xmlChar *ref = xmlTextReaderGetAttribute(rd, BAD_CAST "r");
			long col = ref ? column_of((const char *)ref) : next_col;
			xmlNodePtr c = xmlTextReaderExpand(rd);
			char *text;
			xmlFree(ref);
			if (!r->line) {
				/* A cell outside any row: the sheet is not
				 * SpreadsheetML. */
				rc = err_set(x->err, ERR_INVALID, "xlsx_damaged", "file",
				             "the worksheet has a cell outside a row");
				break;
			}
			if (col < 0 || col >= XLSX_MAX_COLUMNS) {
				rc = err_set(x->err, ERR_INVALID, "xlsx_too_wide", "file",
				             "row %d has a cell beyond column IV (the %dth); "
				             "records have at most %d columns",
				             r->line, XLSX_MAX_COLUMNS, XLSX_MAX_COLUMNS);
				break;
			}
			if (col < r->ncells && r->cell[col]) {
				rc = err_set(x->err, ERR_INVALID, "xlsx_damaged", "file",
				             "row %d has two cells in one column", r->line);
				break;
			}
			if (!c || !(text = cell_text(x, c, x->err))) {
				if (!x->err->kind)
					err_set(x->err, ERR_INVALID, "xlsx_damaged", "file",
					        "row %d has a damaged cell", r->line);
				rc = -1;
				break;
			}
			r->cell[col] = text;
			if (col >= r->ncells)
				r->ncells = (int)col + 1;
			next_col = (int)col + 1;
		}
	}
	if (!rc && ret != 0)
		rc = err_set(x->err, ERR_INVALID, "xlsx_damaged", "file",
		             "the worksheet is not well-formed XML near row %d", next_line);
	if (!rc)
		rc = row_flush(x, r);
	row_clear(r);
	free(r);
	xmlFreeTextReader(rd);
	free(data);
	return rc ? -1 : 0;
}

int xlsx_each_record(const char *data, size_t len, csv_record_fn fn, void *ctx, struct err *err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	struct strings strings = {0};
	struct styles styles = {0};
	struct sheet_ctx x = {&strings, &styles, 0, 0, fn, ctx, err};
	char *part = NULL;
	int rc = -1;

	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(data, len, 0, &ze))) {
		zip_error_fini(&ze);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	if (!(z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze))) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return err_set(err, ERR_INVALID, "xlsx_damaged", "file",
		               "the file is not a readable XLSX workbook (a damaged ZIP archive)");
	}
	zip_error_fini(&ze);
	if ((part = first_sheet_part(z, &x.date1904, err)) && !read_strings(z, &strings, err) &&
	    !read_styles(z, &styles, err))
		rc = read_sheet(z, part, &x);
	free(part);
	strings_free(&strings);
	free(styles.is_date);
	zip_discard(z);
	return rc;
}
