/*
 * Text for the printed matter, through pango.
 *
 * One PangoLayout per document is set with each text in turn, measured
 * and drawn: a layout holds the shaped runs of its text, and a sheet of
 * 500 cards sets some ten thousand texts, so none is kept once drawn.
 *
 * Sizes are absolute, in the PDF's points, so that a 9 pt text is 9 pt
 * whatever resolution pango assumes for a screen (96 dpi by default).
 * Metrics are not hinted and glyph positions not rounded: hinting fits
 * glyphs to a screen's pixel grid, and on paper it only makes the
 * spacing uneven.  The language is Simplified Chinese, which makes
 * fontconfig and pango choose the SC forms of the Han characters that
 * Chinese, Japanese and Korean share (Noto Sans CJK holds all of them).
 */
#include <stdio.h>
#include <string.h>

#include "print_internal.h"

/* The Simplified Chinese face of Noto Sans CJK (fonts-noto-cjk): its
 * Latin letters and digits are designed with its Han characters, so one
 * family serves both languages. */
#define FAMILY "Noto Sans CJK SC"

static const double ACCENT[3] = {0.64, 0.10, 0.11}; /* a government's red */

int ptext_init(struct ptext *t, cairo_t *cr, struct err *err)
{
	PangoContext *ctx;
	cairo_font_options_t *fo;

	memset(t, 0, sizeof(*t));
	t->cr = cr;
	/* A font map of the document's own rather than pango's default, one
	 * per thread that lives as long as the thread: a server's workers
	 * would each keep their faces and glyph caches for good.  Finding
	 * and opening the two faces again costs a few milliseconds a
	 * document; fontconfig's list of fonts stays loaded. */
	t->fonts = pango_cairo_font_map_new();
	if (t->fonts) {
		ctx = pango_font_map_create_context(t->fonts);
		pango_cairo_update_context(cr, ctx);
		t->layout = pango_layout_new(ctx);
		g_object_unref(ctx);
	}
	t->regular = pango_font_description_from_string(FAMILY);
	t->bold = pango_font_description_from_string(FAMILY " Bold");
	fo = cairo_font_options_create();
	if (!t->layout || !t->regular || !t->bold ||
	    cairo_font_options_status(fo) != CAIRO_STATUS_SUCCESS) {
		cairo_font_options_destroy(fo);
		ptext_release(t);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL,
		               "out of memory setting up text");
	}
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	ctx = pango_layout_get_context(t->layout);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(ctx, FALSE);
	pango_context_set_language(ctx, pango_language_from_string("zh-cn"));
	pango_layout_context_changed(t->layout);
	return 0;
}

void ptext_release(struct ptext *t)
{
	if (t->layout)
		g_object_unref(t->layout);
	if (t->fonts)
		g_object_unref(t->fonts);
	if (t->regular)
		pango_font_description_free(t->regular);
	if (t->bold)
		pango_font_description_free(t->bold);
	memset(t, 0, sizeof(*t));
}

double ptext_set(struct ptext *t, const char *text, double w, const struct text_style *s)
{
	PangoFontDescription *fd = s->bold ? t->bold : t->regular;
	PangoRectangle logical;

	pango_font_description_set_absolute_size(fd, s->size * PANGO_SCALE);
	pango_layout_set_font_description(t->layout, fd);
	pango_layout_set_alignment(t->layout, s->align);
	pango_layout_set_wrap(t->layout, s->wrap_anywhere ? PANGO_WRAP_WORD_CHAR : PANGO_WRAP_WORD);
	if (w > 0) {
		pango_layout_set_width(t->layout, (int)(w * PANGO_SCALE));
		/* A negative height is a number of lines, past which the
		 * text is cut and ends in an ellipsis. */
		pango_layout_set_height(t->layout, s->max_lines > 0 ? -s->max_lines : -1);
		pango_layout_set_ellipsize(t->layout, s->max_lines > 0 ? PANGO_ELLIPSIZE_END
		                                                       : PANGO_ELLIPSIZE_NONE);
	} else {
		pango_layout_set_width(t->layout, -1);
		pango_layout_set_height(t->layout, -1);
		pango_layout_set_ellipsize(t->layout, PANGO_ELLIPSIZE_NONE);
	}
	pango_layout_set_text(t->layout, text ? text : "", -1);
	pango_layout_get_extents(t->layout, NULL, &logical);
	return (double)logical.height / PANGO_SCALE;
}

double ptext_width(struct ptext *t)
{
	PangoRectangle logical;

	pango_layout_get_extents(t->layout, NULL, &logical);
	return (double)logical.width / PANGO_SCALE;
}

double ptext_baseline(struct ptext *t)
{
	return (double)pango_layout_get_baseline(t->layout) / PANGO_SCALE;
}

void ptext_draw(struct ptext *t, double x, double y, const struct text_style *s)
{
	cairo_t *cr = t->cr;

	cairo_save(cr);
	if (s->accent)
		cairo_set_source_rgb(cr, ACCENT[0], ACCENT[1], ACCENT[2]);
	else
		cairo_set_source_rgb(cr, s->grey, s->grey, s->grey);
	cairo_move_to(cr, x, y);
	/* The layout was made for this context; the drawing only translates
	 * it, which changes no metric, so it is not laid out again. */
	pango_cairo_show_layout(cr, t->layout);
	cairo_restore(cr);
}

double ptext_put(struct ptext *t, const char *text, double x, double y, double w,
                 const struct text_style *s)
{
	double h = ptext_set(t, text, w, s);

	ptext_draw(t, x, y, s);
	return h;
}

const char *print_pick(struct print_bi bi, enum print_lang lang)
{
	const char *first = lang == PRINT_EN ? bi.en : bi.zh;
	const char *other = lang == PRINT_EN ? bi.zh : bi.en;

	if (first && *first)
		return first;
	return other ? other : "";
}

const char *print_both(struct print_bi bi, char *tmp, size_t n)
{
	if (!bi.en || !*bi.en)
		return bi.zh ? bi.zh : "";
	if (!bi.zh || !*bi.zh)
		return bi.en;
	snprintf(tmp, n, "%s %s", bi.zh, bi.en);
	return tmp;
}
