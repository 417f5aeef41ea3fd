/*
 * The service booklet: A5 pages (half of A4, so a print shop folds A4
 * sheets printed two-up into a booklet), one language.
 *
 * Page 1 is the cover; the contents follow, then each section from a new
 * page: the clusters and their leading enterprises, the services by
 * category, the collection points, and the online catalogue's QR code.
 * Every page but the cover has its number in the footer.
 *
 * The contents name the pages the sections begin on, which are known
 * only once everything before them is laid out.  So the booklet is laid
 * out twice with the same code: the first pass only measures (pango
 * sets every text, nothing is drawn) and notes where each section
 * begins; the second draws, with those numbers in the contents.  The
 * contents' own length does not depend on the numbers (they are
 * right-aligned on lines of their own), so both passes break pages alike.
 *
 * A block that belongs together (a service with its provider, contacts
 * and hours; a cluster; a collection point) is kept on one page: it is
 * measured first, without drawing, and moved to the next page whole
 * when it does not fit.  A category's heading goes with its first block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "print_internal.h"

#define PW   PRINT_A5_W
#define PH   PRINT_A5_H
#define ML   (15.0 * PRINT_MM) /* left and right margins */
#define MT   (16.0 * PRINT_MM)
#define MB   (18.0 * PRINT_MM)
#define CW   (PW - 2 * ML)
#define FOOT (10.0 * PRINT_MM) /* the footer's top, from the bottom edge */

static const struct text_style COVER_TITLE_ZH = {
    .size = 34, .bold = 1, .accent = 1, .align = PANGO_ALIGN_CENTER};
static const struct text_style COVER_TITLE_EN = {
    .size = 24, .bold = 1, .accent = 1, .align = PANGO_ALIGN_CENTER};
static const struct text_style COVER_SUB = {.size = 12, .grey = 0.2, .align = PANGO_ALIGN_CENTER};
static const struct text_style COVER_FOOT = {.size = 10, .align = PANGO_ALIGN_CENTER};
static const struct text_style COVER_DATE = {.size = 9, .grey = 0.4, .align = PANGO_ALIGN_CENTER};
static const struct text_style H1 = {.size = 16, .bold = 1, .accent = 1};
static const struct text_style H2 = {.size = 12, .bold = 1};
static const struct text_style H3 = {.size = 10.5, .bold = 1};
static const struct text_style BODY = {.size = 9};
static const struct text_style LABEL = {.size = 8, .grey = 0.45};
static const struct text_style TOC = {.size = 10};
static const struct text_style TOC_SUB = {.size = 9, .grey = 0.2};
static const struct text_style TOC_NUM = {.size = 10, .align = PANGO_ALIGN_RIGHT};
static const struct text_style FOOTER = {.size = 8, .grey = 0.4, .align = PANGO_ALIGN_CENTER};
static const struct text_style URL = {
    .size = 8, .grey = 0.35, .align = PANGO_ALIGN_CENTER, .wrap_anywhere = 1};

/* The booklet's own words. */
static const struct print_bi L_CONTENTS = {"目录", "Contents"};
static const struct print_bi L_CLUSTERS = {"产业集群", "Industrial clusters"};
static const struct print_bi L_LEADING = {"领军企业", "Led by"};
static const struct print_bi L_SERVICES = {"服务资源", "Services"};
static const struct print_bi L_PROVIDER = {"提供方", "Provider"};
static const struct print_bi L_CONTACT = {"联系", "Contact"};
static const struct print_bi L_HOURS = {"时间", "Hours"};
static const struct print_bi L_POINTS = {"意见收集点", "Collection points"};
static const struct print_bi L_ADDRESS = {"地址", "Address"};
static const struct print_bi L_KEEPER = {"联系人", "Contact"};
static const struct print_bi L_ONLINE = {"在线服务目录", "Online catalogue"};
static const struct print_bi L_SCAN = {
    "扫描二维码，查看最新的服务目录，在线申请服务。",
    "Scan the code for the latest catalogue, and to request a service online."};

struct flow {
	const struct print_booklet *b;
	enum print_lang lang;
	struct ptext *t;
	cairo_t *cr;
	cairo_surface_t *surface;
	int draw; /* 0: the measuring pass */
	int dry;  /* measuring one block in the drawing pass */
	int page; /* the page being laid out, from 1 */
	double y; /* where the next text goes */
	double label_w;
	/* Where the sections begin: found by the first pass, printed by
	 * the second; 0 for a section left out. */
	int p_clusters, p_services, p_points, p_online;
	int *p_cat; /* each category's */
};

static const char *L(const struct flow *f, struct print_bi bi)
{
	return print_pick(bi, f->lang);
}

static int drawing(const struct flow *f)
{
	return f->draw && !f->dry;
}

static void footer(struct flow *f)
{
	char n[16];

	if (!f->draw || f->page == 1)
		return;
	snprintf(n, sizeof(n), "%d", f->page);
	ptext_put(f->t, n, ML, PH - FOOT, CW, &FOOTER);
}

static void new_page(struct flow *f)
{
	footer(f);
	if (f->draw)
		cairo_show_page(f->cr);
	f->page++;
	f->y = MT;
}

/* Moves to the next page unless h more fits on this one (or nothing is
 * on this one yet: a block taller than a page starts a page and runs
 * on). */
static void need(struct flow *f, double h)
{
	if (f->y + h > PH - MB && f->y > MT)
		new_page(f);
}

/* A paragraph at indent from the left margin, w wide (0: to the right
 * margin); the cursor moves below it. */
static void para(struct flow *f, const char *text, double indent, double w,
                 const struct text_style *s)
{
	double h = ptext_set(f->t, text, w > 0 ? w : CW - indent, s);

	if (drawing(f))
		ptext_draw(f->t, ML + indent, f->y, s);
	f->y += h;
}

/* A line of label and value in two columns; value may wrap. */
static void row(struct flow *f, const char *label, const char *value)
{
	double vh = ptext_set(f->t, value, CW - f->label_w, &BODY), vb = ptext_baseline(f->t), lh;

	if (drawing(f))
		ptext_draw(f->t, ML + f->label_w, f->y, &BODY);
	if (label) {
		lh = ptext_set(f->t, label, f->label_w - 4, &LABEL);
		if (drawing(f)) /* on the value's first baseline */
			ptext_draw(f->t, ML, f->y + vb - ptext_baseline(f->t), &LABEL);
		if (lh > vh)
			vh = lh;
	}
	f->y += vh + 1;
}

static void heading(struct flow *f, const char *text)
{
	para(f, text, 0, 0, &H1);
	if (drawing(f)) {
		cairo_save(f->cr);
		cairo_set_source_rgb(f->cr, 0.64, 0.10, 0.11);
		cairo_set_line_width(f->cr, 1.2);
		cairo_move_to(f->cr, ML, f->y + 3);
		cairo_line_to(f->cr, ML + CW, f->y + 3);
		cairo_stroke(f->cr);
		cairo_restore(f->cr);
	}
	f->y += 14;
}

typedef void (*block_fn)(struct flow *f, const void *item);

/* The height block would take, measured without drawing. */
static double measure(struct flow *f, block_fn fn, const void *item)
{
	double y = f->y, h;
	int dry = f->dry;

	f->dry = 1;
	fn(f, item);
	h = f->y - y;
	f->y = y;
	f->dry = dry;
	return h;
}

static void block(struct flow *f, block_fn fn, const void *item)
{
	need(f, measure(f, fn, item));
	fn(f, item);
}

/* ---- the blocks ---- */

static void cluster_block(struct flow *f, const void *item)
{
	const struct print_cluster *c = item;
	const char *lead = print_pick(c->leading, f->lang);
	char tmp[256];

	para(f, L(f, c->name), 0, 0, &H3);
	f->y += 2;
	if (*lead)
		row(f, L(f, L_LEADING), lead);
	if (c->enterprises > 0) {
		if (f->lang == PRINT_EN)
			snprintf(tmp, sizeof(tmp), "%lld enterprises in the cluster",
			         (long long)c->enterprises);
		else
			snprintf(tmp, sizeof(tmp), "集聚企业 %lld 家", (long long)c->enterprises);
		row(f, NULL, tmp);
	}
	f->y += 9;
}

static void lines(struct flow *f, struct print_bi label, const struct print_bi *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		row(f, i == 0 ? L(f, label) : NULL, L(f, v[i]));
}

static void service_block(struct flow *f, const void *item)
{
	const struct print_service *s = item;
	const char *provider = print_pick(s->provider, f->lang);

	para(f, L(f, s->name), 0, 0, &H3);
	f->y += 2;
	if (*provider)
		row(f, L(f, L_PROVIDER), provider);
	lines(f, L_CONTACT, s->contacts, s->ncontacts);
	lines(f, L_HOURS, s->hours, s->nhours);
	f->y += 8;
}

static void point_block(struct flow *f, const void *item)
{
	const struct print_point *p = item;

	para(f, L(f, p->name), 0, 0, &H3);
	f->y += 2;
	if (p->address && *p->address)
		row(f, L(f, L_ADDRESS), p->address);
	if (p->hours && *p->hours)
		row(f, L(f, L_HOURS), p->hours);
	if (p->keeper && *p->keeper)
		row(f, L(f, L_KEEPER), p->keeper);
	f->y += 8;
}

/* ---- the pages ---- */

static void cover(struct flow *f)
{
	const struct print_booklet *b = f->b;
	const char *sub = L(f, b->subtitle), *issuer = L(f, b->issuer);
	double h;

	if (!f->draw)
		return;
	cairo_save(f->cr);
	cairo_set_source_rgb(f->cr, 0.64, 0.10, 0.11);
	cairo_rectangle(f->cr, ML, PH * 0.30 - 16, CW, 2.5);
	cairo_fill(f->cr);
	cairo_restore(f->cr);
	f->y = PH * 0.30;
	f->y += ptext_put(f->t, L(f, b->title), ML, f->y, CW,
	                  f->lang == PRINT_EN ? &COVER_TITLE_EN : &COVER_TITLE_ZH);
	if (*sub)
		f->y += 8 + ptext_put(f->t, sub, ML, f->y + 8, CW, &COVER_SUB);
	cairo_save(f->cr);
	cairo_set_source_rgb(f->cr, 0.64, 0.10, 0.11);
	cairo_rectangle(f->cr, ML, f->y + 14, CW, 0.8);
	cairo_fill(f->cr);
	cairo_restore(f->cr);
	h = PH - MB - 30;
	if (*issuer)
		h += ptext_put(f->t, issuer, ML, h, CW, &COVER_FOOT);
	if (b->edition && *b->edition)
		ptext_put(f->t, b->edition, ML, h + 2, CW, &COVER_DATE);
}

/* A line of the contents: its text, a dotted leader and its page, the
 * whole of it a link to that page. */
static void toc_line(struct flow *f, const char *text, int page, int sub)
{
	const struct text_style *s = sub ? &TOC_SUB : &TOC;
	double indent = sub ? 14 : 0, h, tw, nw, base;
	char num[16], dest[32];

	snprintf(num, sizeof(num), "%d", page);
	ptext_set(f->t, num, 0, &TOC_NUM);
	nw = ptext_width(f->t);
	h = ptext_set(f->t, text, CW - indent - nw - 24, s);
	need(f, h + 6);
	if (drawing(f)) {
		tw = ptext_width(f->t);
		base = f->y + ptext_baseline(f->t);
		snprintf(dest, sizeof(dest), "page=%d pos=[0 0]", page);
		cairo_tag_begin(f->cr, CAIRO_TAG_LINK, dest);
		ptext_draw(f->t, ML + indent, f->y, s);
		ptext_set(f->t, num, 0, &TOC_NUM);
		ptext_draw(f->t, ML + CW - nw, base - ptext_baseline(f->t), &TOC_NUM);
		cairo_tag_end(f->cr, CAIRO_TAG_LINK);
		/* The dotted leader, on the baseline, from the text to its
		 * number. */
		cairo_save(f->cr);
		cairo_set_source_rgb(f->cr, 0.6, 0.6, 0.6);
		cairo_set_line_width(f->cr, 0.6);
		cairo_set_line_cap(f->cr, CAIRO_LINE_CAP_ROUND);
		cairo_set_dash(f->cr, (const double[]){0, 3}, 2, 0);
		cairo_move_to(f->cr, ML + indent + tw + 6, base);
		cairo_line_to(f->cr, ML + CW - nw - 6, base);
		cairo_stroke(f->cr);
		cairo_restore(f->cr);
	}
	f->y += h + 6;
}

static int has_services(const struct print_booklet *b)
{
	for (size_t i = 0; i < b->ncategories; i++)
		if (b->categories[i].nservices)
			return 1;
	return 0;
}

static void contents(struct flow *f)
{
	const struct print_booklet *b = f->b;

	heading(f, L(f, L_CONTENTS));
	if (b->nclusters)
		toc_line(f, L(f, L_CLUSTERS), f->p_clusters, 0);
	if (has_services(b)) {
		toc_line(f, L(f, L_SERVICES), f->p_services, 0);
		for (size_t i = 0; i < b->ncategories; i++)
			if (b->categories[i].nservices)
				toc_line(f, L(f, b->categories[i].name), f->p_cat[i], 1);
	}
	if (b->npoints)
		toc_line(f, L(f, L_POINTS), f->p_points, 0);
	if (b->catalogue_url && *b->catalogue_url)
		toc_line(f, L(f, L_ONLINE), f->p_online, 0);
}

/* The PDF's bookmarks, the contents a viewer shows beside the pages. */
static void outline(struct flow *f)
{
	const struct print_booklet *b = f->b;
	char dest[32];
	int parent;

#define MARK(p, text, under)                                                                       \
	(snprintf(dest, sizeof(dest), "page=%d pos=[0 0]", (p)),                                   \
	 cairo_pdf_surface_add_outline(f->surface, (under), (text), dest, 0))
	if (b->nclusters)
		MARK(f->p_clusters, L(f, L_CLUSTERS), CAIRO_PDF_OUTLINE_ROOT);
	if (has_services(b)) {
		parent = MARK(f->p_services, L(f, L_SERVICES), CAIRO_PDF_OUTLINE_ROOT);
		for (size_t i = 0; i < b->ncategories; i++)
			if (b->categories[i].nservices)
				MARK(f->p_cat[i], L(f, b->categories[i].name), parent);
	}
	if (b->npoints)
		MARK(f->p_points, L(f, L_POINTS), CAIRO_PDF_OUTLINE_ROOT);
	if (b->catalogue_url && *b->catalogue_url)
		MARK(f->p_online, L(f, L_ONLINE), CAIRO_PDF_OUTLINE_ROOT);
#undef MARK
}

static void section_clusters(struct flow *f)
{
	new_page(f);
	f->p_clusters = f->page;
	heading(f, L(f, L_CLUSTERS));
	for (size_t i = 0; i < f->b->nclusters; i++)
		block(f, cluster_block, &f->b->clusters[i]);
}

static void section_services(struct flow *f)
{
	new_page(f);
	f->p_services = f->page;
	heading(f, L(f, L_SERVICES));
	for (size_t i = 0; i < f->b->ncategories; i++) {
		const struct print_category *c = &f->b->categories[i];
		double h;

		if (!c->nservices)
			continue;
		/* The heading goes with the first service. */
		h = ptext_set(f->t, L(f, c->name), CW, &H2) + 8;
		need(f, h + measure(f, service_block, &c->services[0]));
		f->p_cat[i] = f->page;
		para(f, L(f, c->name), 0, 0, &H2);
		f->y += 8;
		for (size_t j = 0; j < c->nservices; j++)
			block(f, service_block, &c->services[j]);
		f->y += 6;
	}
}

static void section_points(struct flow *f)
{
	new_page(f);
	f->p_points = f->page;
	heading(f, L(f, L_POINTS));
	for (size_t i = 0; i < f->b->npoints; i++)
		block(f, point_block, &f->b->points[i]);
}

static int section_online(struct flow *f, struct err *err)
{
	double qs = 150;

	new_page(f);
	f->p_online = f->page;
	heading(f, L(f, L_ONLINE));
	para(f, L(f, L_SCAN), 0, 0, &BODY);
	f->y += 24;
	if (drawing(f) && print_qr(f->cr, f->b->catalogue_url, ML + (CW - qs) / 2, f->y, qs, err))
		return -1;
	f->y += qs + 6;
	para(f, f->b->catalogue_url, 0, 0, &URL);
	return 0;
}

/* One pass over the whole booklet. */
static int lay_out(struct flow *f, struct err *err)
{
	const struct print_booklet *b = f->b;

	f->page = 1;
	f->y = MT;
	cover(f);
	new_page(f);
	contents(f);
	if (f->draw)
		outline(f);
	if (b->nclusters)
		section_clusters(f);
	if (has_services(b))
		section_services(f);
	if (b->npoints)
		section_points(f);
	if (b->catalogue_url && *b->catalogue_url && section_online(f, err))
		return -1;
	footer(f);
	return 0;
}

int print_lang_parse(const char *s, enum print_lang *out)
{
	if (s && strcmp(s, "zh") == 0)
		*out = PRINT_ZH;
	else if (s && strcmp(s, "en") == 0)
		*out = PRINT_EN;
	else
		return -1;
	return 0;
}

int print_booklet_pdf(const struct print_booklet *b, enum print_lang lang, struct buf *out,
                      struct err *err)
{
	struct pdf_doc d;
	struct ptext t;
	struct flow f;
	int rc;

	memset(&f, 0, sizeof(f));
	f.b = b;
	f.lang = lang;
	f.label_w = lang == PRINT_EN ? 54 : 40;
	if (b->ncategories && !(f.p_cat = calloc(b->ncategories, sizeof(*f.p_cat))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (pdf_open(&d, out, PW, PH, print_pick(b->title, lang), err)) {
		free(f.p_cat);
		return -1;
	}
	if (ptext_init(&t, d.cr, err)) {
		pdf_abandon(&d);
		free(f.p_cat);
		return -1;
	}
	f.t = &t;
	f.cr = d.cr;
	f.surface = d.surface;
	/* First measure, then draw with the pages the first pass found. */
	rc = lay_out(&f, err);
	if (rc == 0) {
		f.draw = 1;
		rc = lay_out(&f, err);
	}
	ptext_release(&t);
	free(f.p_cat);
	if (rc) {
		pdf_abandon(&d);
		return -1;
	}
	return pdf_close(&d, err);
}
