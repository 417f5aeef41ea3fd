/*
 * The quarterly report as an A4 PDF.
 *
 * A header with the scope and the period, then each section of the
 * dashboard in turn: its title in both languages, a bar chart of its
 * first figure (drawn as rectangles, so it stays sharp at any zoom and
 * its numbers are text), and its table.  A section that does not fit on
 * what is left of a page starts a new one; a table longer than a page
 * goes on over the next, its header repeated.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "print_internal.h"
#include "print_report.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 42.0
#define ROW_H  15.0
#define BAR_H  11.0

static const struct text_style TITLE = {.size = 18, .bold = 1, .accent = 1};
static const struct text_style SUB = {.size = 10, .grey = 0.35};
static const struct text_style H2 = {.size = 12, .bold = 1, .accent = 1};
static const struct text_style CELL = {.size = 7.5, .max_lines = 1};
static const struct text_style CELL_R = {.size = 7.5, .max_lines = 1, .align = PANGO_ALIGN_RIGHT};
static const struct text_style HEAD = {.size = 7, .bold = 1, .grey = 0.25, .max_lines = 2};
static const struct text_style HEAD_R = {
    .size = 7, .bold = 1, .grey = 0.25, .max_lines = 2, .align = PANGO_ALIGN_RIGHT};
static const struct text_style FOOT = {.size = 7, .grey = 0.5, .align = PANGO_ALIGN_CENTER};

void print_report_value(enum dash_kind k, double v, char *out, size_t n)
{
	/* Halves round away from zero, as people round (and as the console
	 * does), not to the even digit as printf does: 81.25 % is 81.3 %. */
	if (isnan(v)) {
		snprintf(out, n, "—");
		return;
	}
	switch (k) {
	case DK_COUNT:
		snprintf(out, n, "%.0f", round(v));
		break;
	case DK_RATE:
		snprintf(out, n, "%.1f%%", round(v * 1000) / 10);
		break;
	case DK_CHANGE:
		snprintf(out, n, "%+.1f%%", round(v * 1000) / 10);
		break;
	default:
		snprintf(out, n, "%.2f", round(v * 100) / 100);
		break;
	}
}

struct page {
	struct pdf_doc doc;
	struct ptext t;
	const struct dashboard *d;
	double y;
	int number;
};

static void footer(struct page *p)
{
	char s[480];

	snprintf(s, sizeof(s), "%s · %s · %d", p->d->scope_zh, p->d->period.label, p->number);
	ptext_put(&p->t, s, MARGIN, PAGE_H - MARGIN + 12, PAGE_W - 2 * MARGIN, &FOOT);
}

static void new_page(struct page *p)
{
	footer(p);
	pdf_page(&p->doc);
	p->number++;
	p->y = MARGIN;
}

static void need(struct page *p, double h)
{
	if (p->y + h > PAGE_H - MARGIN)
		new_page(p);
}

/* The column a chart shows: the location quotient of the clusters when
 * there is one, else the first column. */
static int chart_col(const struct dash_section *s)
{
	int lq = dash_col_find(s, "lq");

	if (lq >= 0)
		for (size_t i = 0; i < s->n; i++)
			if (!isnan(s->rows[i].v[lq]))
				return lq;
	return 0;
}

static void chart(struct page *p, const struct dash_section *s)
{
	cairo_t *cr = p->doc.cr;
	int c = chart_col(s);
	size_t n = s->n < 12 ? s->n : 12;
	double max = 0, label_w = 150, x0 = MARGIN + label_w,
	       w = PAGE_W - 2 * MARGIN - label_w - 60;
	char v[48], lab[420];

	if (!strcmp(s->id, "summary") || !n || s->ncols == 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (!isnan(s->rows[i].v[c]) && fabs(s->rows[i].v[c]) > max)
			max = fabs(s->rows[i].v[c]);
	if (max <= 0)
		return;
	need(p, 16 + n * (BAR_H + 3));
	snprintf(lab, sizeof(lab), "%s / %s", s->cols[c].zh, s->cols[c].en);
	p->y += ptext_put(&p->t, lab, MARGIN, p->y, PAGE_W - 2 * MARGIN, &SUB) + 2;
	for (size_t i = 0; i < n; i++) {
		const struct dash_row *r = &s->rows[i];
		double bw = isnan(r->v[c]) ? 0 : w * fabs(r->v[c]) / max;
		snprintf(lab, sizeof(lab), "%s", r->zh[0] ? r->zh : r->key);
		ptext_put(&p->t, lab, MARGIN, p->y, label_w - 6, &CELL);
		cairo_set_source_rgb(cr, 0.64, 0.10, 0.11);
		cairo_rectangle(cr, x0, p->y + 1, bw, BAR_H - 2);
		cairo_fill(cr);
		print_report_value(dash_value_kind(s, r, c), r->v[c], v, sizeof(v));
		ptext_put(&p->t, v, x0 + bw + 4, p->y, 56, &CELL);
		p->y += BAR_H + 3;
	}
	p->y += 6;
}

static double table_head(struct page *p, const struct dash_section *s, double label_w, double col_w)
{
	cairo_t *cr = p->doc.cr;
	char h[160];
	double hh = 22;

	ptext_put(&p->t, "名称 Name", MARGIN, p->y, label_w - 4, &HEAD);
	for (int c = 0; c < s->ncols; c++) {
		snprintf(h, sizeof(h), "%s %s", s->cols[c].zh, s->cols[c].en);
		ptext_put(&p->t, h, MARGIN + label_w + c * col_w, p->y, col_w - 4, &HEAD_R);
	}
	cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, MARGIN, p->y + hh);
	cairo_line_to(cr, PAGE_W - MARGIN, p->y + hh);
	cairo_stroke(cr);
	return hh + 3;
}

static void table(struct page *p, const struct dash_section *s)
{
	double avail = PAGE_W - 2 * MARGIN;
	double label_w = s->ncols > 4 ? 130 : 190;
	double col_w = s->ncols ? (avail - label_w) / s->ncols : 0;
	char v[48], lab[840];

	need(p, 30 + ROW_H * (s->n < 3 ? s->n : 3));
	p->y += table_head(p, s, label_w, col_w);
	for (size_t i = 0; i < s->n; i++) {
		const struct dash_row *r = &s->rows[i];
		if (p->y + ROW_H > PAGE_H - MARGIN) {
			new_page(p);
			p->y += table_head(p, s, label_w, col_w);
		}
		if (strcmp(r->zh, r->en) && r->en[0])
			snprintf(lab, sizeof(lab), "%s %s", r->zh, r->en);
		else
			snprintf(lab, sizeof(lab), "%s", r->zh[0] ? r->zh : r->key);
		ptext_put(&p->t, lab, MARGIN, p->y, label_w - 4, &CELL);
		for (int c = 0; c < s->ncols; c++) {
			print_report_value(dash_value_kind(s, r, c), r->v[c], v, sizeof(v));
			ptext_put(&p->t, v, MARGIN + label_w + c * col_w, p->y, col_w - 4, &CELL_R);
		}
		p->y += ROW_H;
	}
	p->y += 14;
}

int print_dashboard_pdf(const struct dashboard *d, struct buf *out, struct err *err)
{
	struct page p;
	char title[900], sub[600];

	memset(&p, 0, sizeof(p));
	p.d = d;
	p.number = 1;
	snprintf(title, sizeof(title), "%s 季度报告 Quarterly report %s", d->scope_zh,
	         d->period.label);
	if (pdf_open(&p.doc, out, PAGE_W, PAGE_H, title, err))
		return -1;
	if (ptext_init(&p.t, p.doc.cr, err)) {
		pdf_abandon(&p.doc);
		return -1;
	}
	p.y = MARGIN;
	snprintf(title, sizeof(title), "%s · %s", d->scope_zh, d->period.label);
	p.y += ptext_put(&p.t, title, MARGIN, p.y, PAGE_W - 2 * MARGIN, &TITLE);
	snprintf(sub, sizeof(sub), "季度报告 Quarterly report · %s · %s – %s", d->scope_en,
	         d->period.since, d->period.until);
	p.y += ptext_put(&p.t, sub, MARGIN, p.y, PAGE_W - 2 * MARGIN, &SUB);
	if (d->reference_region[0]) {
		snprintf(sub, sizeof(sub), "参照区域 Reference region: %s, %lld",
		         d->reference_region, (long long)d->reference_employees);
		p.y += ptext_put(&p.t, sub, MARGIN, p.y, PAGE_W - 2 * MARGIN, &SUB);
	}
	p.y += 12;
	for (size_t i = 0; i < d->n; i++) {
		const struct dash_section *s = &d->s[i];
		char h[200];
		need(&p, 60);
		snprintf(h, sizeof(h), "%s  %s", s->zh, s->en);
		p.y += ptext_put(&p.t, h, MARGIN, p.y, PAGE_W - 2 * MARGIN, &H2) + 4;
		chart(&p, s);
		table(&p, s);
	}
	footer(&p);
	ptext_release(&p.t);
	return pdf_close(&p.doc, err);
}
