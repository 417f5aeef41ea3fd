#include "qr.h"

#include <cairo.h>
#include <qrencode.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int qr_encode(const char *text, struct qr *q)
{
	QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	size_t n;

	q->width = 0;
	q->dark = NULL;
	if (!code)
		return -1;
	n = (size_t)code->width * (size_t)code->width;
	q->dark = malloc(n);
	if (!q->dark) {
		QRcode_free(code);
		return -1;
	}
	/* libqrencode's module byte says more (function patterns, format
	 * bits); its lowest bit is the colour. */
	for (size_t i = 0; i < n; i++)
		q->dark[i] = code->data[i] & 1;
	q->width = code->width;
	QRcode_free(code);
	return 0;
}

void qr_free(struct qr *q)
{
	free(q->dark);
	q->dark = NULL;
	q->width = 0;
}

void qr_svg(const struct qr *q, int size, struct buf *out)
{
	int side = q->width + 2 * QR_QUIET;

	buf_printf(out,
	           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
	           "height=\"%d\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">\n"
	           "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
	           size, size, side, side, side, side);
	/* Each run of dark modules in a row is one rectangle of the path:
	 * "M x y h n v 1 h -n z". */
	for (int y = 0; y < q->width; y++) {
		for (int x = 0; x < q->width;) {
			int run = 0;
			while (x + run < q->width && q->dark[y * q->width + x + run])
				run++;
			if (run) {
				buf_printf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run,
				           run);
				x += run;
			} else {
				x++;
			}
		}
	}
	buf_adds(out, "\"/>\n</svg>\n");
}

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct buf *out = closure;

	buf_add(out, data, length);
	return out->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

int qr_png(const struct qr *q, int scale, struct buf *out)
{
	int side = (q->width + 2 * QR_QUIET) * scale, stride;
	cairo_surface_t *s;
	cairo_status_t st;
	unsigned char *px;

	if (scale < 1 || side <= 0)
		return -1;
	/* Opaque black on opaque white: an image with transparency (A8)
	 * leaves the light modules to whatever the reader puts behind
	 * them, and some put black. */
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return -1;
	}
	/* The pixels written straight into the surface: squares on a grid
	 * need no rasteriser, which took some 12 ms for a card's code (a
	 * rectangle a module), three times what writing the PNG takes. */
	cairo_surface_flush(s);
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < side; y++) {
		uint32_t *row = (uint32_t *)(void *)(px + (size_t)y * (size_t)stride);
		int my = y / scale - QR_QUIET;
		for (int x = 0; x < side; x++) {
			int mx = x / scale - QR_QUIET;
			int dark = my >= 0 && my < q->width && mx >= 0 && mx < q->width &&
			           q->dark[my * q->width + mx];
			row[x] = dark ? 0x000000 : 0xffffff;
		}
	}
	cairo_surface_mark_dirty(s);
	st = cairo_surface_write_to_png_stream(s, png_write, out);
	cairo_surface_destroy(s);
	return st == CAIRO_STATUS_SUCCESS && !out->failed ? 0 : -1;
}
