/*
 * A PDF document written into a struct buf.
 *
 * cairo writes the PDF through a callback as it goes: each page's content
 * when the page ends, the fonts (subset to the glyphs used) and the cross
 * reference when the document is finished.  The buffer holds only the
 * bytes written, so a long document costs its size in memory, not its
 * drawing.
 */
#include <cairo-pdf.h>
#include <string.h>

#include "print_internal.h"

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
	struct buf *b = closure;

	buf_add(b, data, length);
	return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static int cairo_fail(struct err *err, cairo_status_t st, struct buf *out)
{
	if (st == CAIRO_STATUS_NO_MEMORY || (st == CAIRO_STATUS_WRITE_ERROR && out->failed))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL,
		               "out of memory while writing a PDF");
	return err_set(err, ERR_INTERNAL, "internal", NULL, "cairo: %s",
	               cairo_status_to_string(st));
}

int pdf_open(struct pdf_doc *d, struct buf *out, double w, double h, const char *title,
             struct err *err)
{
	cairo_status_t st;

	memset(d, 0, sizeof(*d));
	d->out = out;
	d->surface = cairo_pdf_surface_create_for_stream(write_out, out, w, h);
	if ((st = cairo_surface_status(d->surface)) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(d->surface);
		d->surface = NULL;
		return cairo_fail(err, st, out);
	}
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title ? title : "");
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "qunyan");
	d->cr = cairo_create(d->surface);
	if ((st = cairo_status(d->cr)) != CAIRO_STATUS_SUCCESS) {
		pdf_abandon(d);
		return cairo_fail(err, st, out);
	}
	return 0;
}

void pdf_page(struct pdf_doc *d)
{
	cairo_show_page(d->cr);
}

int pdf_close(struct pdf_doc *d, struct err *err)
{
	cairo_status_t st = cairo_status(d->cr);

	cairo_destroy(d->cr);
	d->cr = NULL;
	cairo_surface_finish(d->surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	d->surface = NULL;
	if (st != CAIRO_STATUS_SUCCESS)
		return cairo_fail(err, st, d->out);
	if (d->out->failed)
		return cairo_fail(err, CAIRO_STATUS_WRITE_ERROR, d->out);
	return 0;
}

void pdf_abandon(struct pdf_doc *d)
{
	if (d->cr)
		cairo_destroy(d->cr);
	if (d->surface) {
		cairo_surface_finish(d->surface);
		cairo_surface_destroy(d->surface);
	}
	d->cr = NULL;
	d->surface = NULL;
}
