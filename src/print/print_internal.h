/*
 * What the files of src/print/ share: the PDF document written into a
 * struct buf (print_pdf.c), text through one reused pango layout
 * (print_text.c), and QR codes as vector squares (print_qr.c).
 */
#ifndef QY_PRINT_INTERNAL_H
#define QY_PRINT_INTERNAL_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "print.h"

/* ---- the document (print_pdf.c) ---- */

struct pdf_doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	struct buf *out;
};

/* Opens a PDF of pages w x h points writing into out, with title and
 * creator "qunyan" in its metadata. */
int pdf_open(struct pdf_doc *d, struct buf *out, double w, double h, const char *title,
             struct err *err);
/* Ends the page and starts the next one, of the same size. */
void pdf_page(struct pdf_doc *d);
/* Finishes the document (fonts are subset and written now) and reports
 * any failure of cairo or of the buffer; frees the document either way. */
int pdf_close(struct pdf_doc *d, struct err *err);
/* Frees a document after a failure of the caller's own. */
void pdf_abandon(struct pdf_doc *d);

/* ---- text (print_text.c) ---- */

struct text_style {
	double size; /* points */
	int bold;
	double grey; /* 0 black .. 1 white */
	int accent;  /* the booklet's and card's one colour instead of grey */
	PangoAlignment align;
	int max_lines;     /* 0: as many as the text needs; else ellipsised */
	int wrap_anywhere; /* links: break between any characters */
};

struct ptext {
	cairo_t *cr;
	PangoFontMap *fonts; /* the document's own, freed with it */
	PangoLayout *layout; /* the one layout every text is set in, reused */
	PangoFontDescription *regular, *bold;
};

int ptext_init(struct ptext *t, cairo_t *cr, struct err *err);
void ptext_release(struct ptext *t);
/* Sets text in the layout at width w (points; <= 0: one line, as wide as
 * it is) and returns its height in points. */
double ptext_set(struct ptext *t, const char *text, double w, const struct text_style *s);
/* The width of the text set last, in points. */
double ptext_width(struct ptext *t);
/* Draws the text set last with its top left corner at x, y. */
void ptext_draw(struct ptext *t, double x, double y, const struct text_style *s);
/* Sets, draws and returns the height, for a text drawn once. */
double ptext_put(struct ptext *t, const char *text, double x, double y, double w,
                 const struct text_style *s);
/* The baseline of the first line of the text set last, from its top. */
double ptext_baseline(struct ptext *t);

/* The language's text of bi, or the other's when that one is empty. */
const char *print_pick(struct print_bi bi, enum print_lang lang);
/* "zh en", or the one that is not empty. */
const char *print_both(struct print_bi bi, char *tmp, size_t n);

/* ---- QR codes (print_qr.c) ---- */

/*
 * Draws the QR code of text (error correction level M) as filled
 * squares, dark on a white square of side size at x, y that includes the
 * quiet zone of four modules the standard asks for.  A text too long for
 * a QR code is ERR_INVALID.
 */
int print_qr(cairo_t *cr, const char *text, double x, double y, double size, struct err *err);

/* ---- the card's two sides (print_card.c), for the sheets ---- */

/* Draws one side of the card with its top left corner at the origin. */
void card_front(struct ptext *t, const struct print_card *c);
int card_back(struct ptext *t, const struct print_card *c, struct err *err);

#endif
