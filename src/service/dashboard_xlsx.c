/*
 * The dashboard as a workbook for the district (libxlsxwriter): a first
 * sheet that says what it is (scope, period, reference region), then one
 * sheet per section, named by the section's id.  Each section's sheet
 * has a bold header row frozen above the rows, the row's key and label
 * in both languages, and its figures as typed numbers with a number
 * format of their kind (a rate as a percentage, an amount with two
 * decimals); a figure that does not exist is an empty cell, never a
 * zero.  The numbers are the struct's own, as the JSON's are.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "dashboard.h"

struct formats {
	lxw_format *head, *kind[6];
};

static void make_formats(lxw_workbook *wb, struct formats *f)
{
	static const char *const num[] = {"#,##0", "#,##0.00", "0.0%",
	                                  "0.00",  "0.00",     "+0.0%;-0.0%;0.0%"};

	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_text_wrap(f->head);
	format_set_bottom(f->head, LXW_BORDER_THIN);
	for (int k = 0; k < 6; k++) {
		f->kind[k] = workbook_add_format(wb);
		format_set_num_format(f->kind[k], num[k]);
	}
}

static void about(lxw_workbook *wb, const struct dashboard *d, const struct formats *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "about");
	char emp[32];
	const char *rows[][2] = {
	    {"范围 Scope", d->scope_zh},
	    {"Scope (en)", d->scope_en},
	    {"代码 Code", d->scope_code},
	    {"期间 Period", d->period.label},
	    {"起 Since", d->period.since},
	    {"止 Until", d->period.until},
	    {"参照区域 Reference region", d->reference_region},
	    {"参照区域就业 Reference employment", emp},
	    {"生成时间 Generated at", d->generated_at},
	};

	snprintf(emp, sizeof(emp), "%lld", (long long)d->reference_employees);
	worksheet_write_string(ws, 0, 0, "项目 Item", f->head);
	worksheet_write_string(ws, 0, 1, "值 Value", f->head);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, rows[i][0], NULL);
		worksheet_write_string(ws, (lxw_row_t)(i + 1), 1, rows[i][1], NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 0, 0, 34, NULL);
	worksheet_set_column(ws, 1, 1, 40, NULL);
}

static void sheet(lxw_workbook *wb, const struct dash_section *s, const struct formats *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, s->id);
	char head[200];

	worksheet_write_string(ws, 0, 0, "key", f->head);
	worksheet_write_string(ws, 0, 1, "名称", f->head);
	worksheet_write_string(ws, 0, 2, "Name", f->head);
	for (int c = 0; c < s->ncols; c++) {
		snprintf(head, sizeof(head), "%s\n%s", s->cols[c].zh, s->cols[c].en);
		worksheet_write_string(ws, 0, (lxw_col_t)(3 + c), head, f->head);
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct dash_row *r = &s->rows[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, row, 0, r->key, NULL);
		worksheet_write_string(ws, row, 1, r->zh, NULL);
		worksheet_write_string(ws, row, 2, r->en, NULL);
		for (int c = 0; c < s->ncols; c++)
			if (!isnan(r->v[c]))
				worksheet_write_number(ws, row, (lxw_col_t)(3 + c), r->v[c],
				                       f->kind[dash_value_kind(s, r, c)]);
	}
	worksheet_set_row(ws, 0, 32, NULL);
	worksheet_freeze_panes(ws, 1, 3);
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 28, NULL);
	worksheet_set_column(ws, 2, 2, 30, NULL);
	if (s->ncols)
		worksheet_set_column(ws, 3, (lxw_col_t)(2 + s->ncols), 16, NULL);
}

int dashboard_xlsx(const struct dashboard *d, const char *path, struct err *err)
{
	lxw_workbook *wb = workbook_new(path);
	struct formats f;
	lxw_error rc;

	if (!wb)
		return err_set(err, ERR_INTERNAL, "export_failed", NULL,
		               "cannot make the workbook");
	make_formats(wb, &f);
	about(wb, d, &f);
	for (size_t i = 0; i < d->n; i++)
		sheet(wb, &d->s[i], &f);
	if ((rc = workbook_close(wb)) != LXW_NO_ERROR)
		return err_set(err, ERR_INTERNAL, "export_failed", NULL,
		               "cannot write the workbook: %s", lxw_strerror(rc));
	return 0;
}
