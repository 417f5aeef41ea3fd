/*
 * QR codes on paper, as vector squares: the symbol is util/qr.h's (the
 * same modules as the card's SVG and PNG), filled by cairo, so it is
 * sharp at any printer's resolution.  Each row's runs of dark modules are
 * filled as one rectangle: fewer rectangles than modules, and the
 * modules of a run leave no hairline seams between them when a viewer
 * anti-aliases.
 */
#include <errno.h>
#include <string.h>

#include "../util/qr.h"
#include "print_internal.h"

int print_qr(cairo_t *cr, const char *text, double x, double y, double size, struct err *err)
{
	struct qr q;
	double m;

	errno = 0;
	if (qr_encode(text ? text : "", &q)) {
		if (errno == ENOMEM)
			return err_set(err, ERR_INTERNAL, "out_of_memory", NULL,
			               "out of memory making a QR code");
		return err_set(err, ERR_INVALID, "too_long", "link",
		               "link: too long for a QR code (%zu bytes)",
		               text ? strlen(text) : (size_t)0);
	}
	m = size / (q.width + 2 * QR_QUIET);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int r = 0; r < q.width; r++) {
		const unsigned char *row = q.dark + (size_t)r * q.width;
		for (int c = 0; c < q.width;) {
			int run = 0;
			while (c + run < q.width && row[c + run])
				run++;
			if (run)
				cairo_rectangle(cr, x + (QR_QUIET + c) * m, y + (QR_QUIET + r) * m,
				                run * m, m);
			c += run ? run : 1;
		}
	}
	cairo_fill(cr);
	cairo_restore(cr);
	qr_free(&q);
	return 0;
}
