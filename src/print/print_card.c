/*
 * The service contact card: 85.6 x 54 mm (ISO/IEC 7810 ID-1, the size
 * of a bank card, so it fits a wallet and a card holder), both sides.
 *
 * Nothing is drawn within 3 mm of an edge: a guillotine cuts a sheet of
 * cards within about a millimetre, and the margin keeps text whole
 * however the cut falls.  Every text is cut to the lines it has room
 * for and ends in an ellipsis rather than run over the card.
 */
#include <stdio.h>

#include "print_internal.h"

#define W PRINT_CARD_W
#define H PRINT_CARD_H
#define M (3.2 * PRINT_MM) /* the margin */

static const struct text_style NAME_ZH = {.size = 9.5, .bold = 1, .max_lines = 2};
static const struct text_style NAME_EN = {.size = 5.8, .grey = 0.35, .max_lines = 2};
static const struct text_style ROLE = {.size = 5.8, .grey = 0.3, .max_lines = 2};
static const struct text_style PERSON = {.size = 6.6, .bold = 1, .max_lines = 1};
static const struct text_style PHONE = {.size = 6.6, .align = PANGO_ALIGN_RIGHT, .max_lines = 1};
static const struct text_style HOT_NUMBER = {.size = 7, .bold = 1, .accent = 1};
static const struct text_style HOT_LABEL = {.size = 5.8, .grey = 0.3, .max_lines = 1};
static const struct text_style MORE = {.size = 5.5, .grey = 0.4, .max_lines = 1};
static const struct text_style TITLE_ZH = {.size = 13, .bold = 1, .accent = 1, .max_lines = 2};
static const struct text_style TITLE_EN = {.size = 6, .grey = 0.35, .max_lines = 2};
static const struct text_style SAYS_ZH = {.size = 7.5, .bold = 1, .max_lines = 2};
static const struct text_style SAYS_EN = {.size = 5.8, .grey = 0.3, .max_lines = 2};
static const struct text_style LINK = {
    .size = 4.8, .grey = 0.4, .max_lines = 3, .wrap_anywhere = 1};

static void rule(cairo_t *cr, double x, double y, double w, double width, int accent)
{
	cairo_save(cr);
	if (accent)
		cairo_set_source_rgb(cr, 0.64, 0.10, 0.11);
	else
		cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + w, y);
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* The hotlines from the bottom up: their height, drawn when draw is set. */
static double hotlines(struct ptext *t, const struct print_card *c, double top, int draw)
{
	double y = top, w = W - 2 * M;
	char tmp[512];

	for (size_t i = 0; i < c->nhotlines; i++) {
		const struct print_hotline *h = &c->hotlines[i];
		double nh = ptext_set(t, h->number, 0, &HOT_NUMBER), nw = ptext_width(t);
		double nb = ptext_baseline(t), lh;

		if (draw)
			ptext_draw(t, M, y, &HOT_NUMBER);
		lh = ptext_set(t, print_both(h->label, tmp, sizeof(tmp)), w - nw - 4, &HOT_LABEL);
		if (draw) /* on the number's baseline */
			ptext_draw(t, M + nw + 4, y + nb - ptext_baseline(t), &HOT_LABEL);
		y += (nh > lh ? nh : lh) - 1;
	}
	return y - top;
}

void card_front(struct ptext *t, const struct print_card *c)
{
	double x = M, w = W - 2 * M, y = M, bottom, hot, more;
	double role_w = w * 0.46, name_w = w * 0.24, phone_w = w - role_w - name_w;
	char tmp[512];

	y += ptext_put(t, c->enterprise.zh, x, y, w, &NAME_ZH);
	if (c->enterprise.en && *c->enterprise.en)
		y += ptext_put(t, c->enterprise.en, x, y, w, &NAME_EN);
	y += 2.5;
	rule(t->cr, x, y, w, 0.8, 1);
	y += 3.5;

	more = ptext_set(t, "另有 9 位联系人 · 9 more", w, &MORE);
	hot = hotlines(t, c, 0, 0);
	bottom = H - M - hot;
	if (c->nhotlines) {
		hotlines(t, c, bottom, 1);
		rule(t->cr, x, bottom - 2.5, w, 0.4, 0);
		bottom -= 4;
	}

	for (size_t i = 0; i < c->ncontacts; i++) {
		const struct print_contact *p = &c->contacts[i];
		double rh = ptext_set(t, print_both(p->role, tmp, sizeof(tmp)), role_w - 3, &ROLE);
		double nh, ph, row;

		nh = ptext_set(t, p->name, name_w - 3, &PERSON);
		ph = ptext_set(t, p->phone, phone_w, &PHONE);
		row = rh > nh ? rh : nh;
		row = row > ph ? row : ph;
		/* A row that is not the last leaves room for the line that
		 * counts those left out, should the next not fit. */
		if (y + row + (i + 1 < c->ncontacts ? more : 0) > bottom) {
			snprintf(tmp, sizeof(tmp), "另有 %zu 位联系人 · %zu more", c->ncontacts - i,
			         c->ncontacts - i);
			ptext_put(t, tmp, x, y, w, &MORE);
			break;
		}
		ptext_set(t, print_both(p->role, tmp, sizeof(tmp)), role_w - 3, &ROLE);
		ptext_draw(t, x, y + 0.6, &ROLE);
		ptext_put(t, p->name, x + role_w, y, name_w - 3, &PERSON);
		ptext_put(t, p->phone, x + role_w + name_w, y, phone_w, &PHONE);
		y += row + 0.5;
	}
}

int card_back(struct ptext *t, const struct print_card *c, struct err *err)
{
	double qs = 112, qx = M - 4, qy = (H - qs) / 2;
	double x = qx + qs + 4, w = W - M - x, y = M + 2, says = 0;

	if (print_qr(t->cr, c->link, qx, qy, qs, err))
		return -1;
	y += ptext_put(t, c->title.zh, x, y, w, &TITLE_ZH);
	if (c->title.en && *c->title.en)
		ptext_put(t, c->title.en, x, y, w, &TITLE_EN);

	/* What the code opens, and the link itself for one who would type
	 * it, at the foot of the column. */
	if (c->link_says.zh && *c->link_says.zh)
		says += ptext_set(t, c->link_says.zh, w, &SAYS_ZH);
	if (c->link_says.en && *c->link_says.en)
		says += ptext_set(t, c->link_says.en, w, &SAYS_EN);
	says += 2 + ptext_set(t, c->link, w, &LINK);
	y = H - M - says;
	if (c->link_says.zh && *c->link_says.zh)
		y += ptext_put(t, c->link_says.zh, x, y, w, &SAYS_ZH);
	if (c->link_says.en && *c->link_says.en)
		y += ptext_put(t, c->link_says.en, x, y, w, &SAYS_EN);
	ptext_put(t, c->link, x, y + 2, w, &LINK);
	return 0;
}

int print_card_pdf(const struct print_card *c, struct buf *out, struct err *err)
{
	struct pdf_doc d;
	struct ptext t;
	char title[1024];

	snprintf(title, sizeof(title), "%s", print_pick(c->enterprise, PRINT_ZH));
	if (pdf_open(&d, out, W, H, title, err))
		return -1;
	if (ptext_init(&t, d.cr, err)) {
		pdf_abandon(&d);
		return -1;
	}
	card_front(&t, c);
	pdf_page(&d);
	if (card_back(&t, c, err)) {
		ptext_release(&t);
		pdf_abandon(&d);
		return -1;
	}
	ptext_release(&t);
	return pdf_close(&d, err);
}
