/*
 * QR codes (libqrencode) and their pictures: the modules of a symbol, and
 * the symbol as SVG (written here from the modules) or PNG (cairo's image
 * surface).  Printed matter draws the same modules itself.
 */
#ifndef QY_QR_H
#define QY_QR_H

#include "buf.h"

#define QR_QUIET 4 /* modules of light margin around a symbol (ISO/IEC 18004) */

struct qr {
	int width;           /* modules a side, without the margin */
	unsigned char *dark; /* width * width, row by row: 1 dark, 0 light */
};

/*
 * Encodes text (a link) at error correction level M (15 % of the symbol
 * may be lost: a card in a pocket), the smallest version that holds it.
 * libqrencode picks the modes per run (digits, upper-case letters, bytes),
 * case kept.  -1 when the text does not fit a symbol or out of memory.
 */
int qr_encode(const char *text, struct qr *q);
void qr_free(struct qr *q);
/* The symbol as an SVG document: one path of its dark modules in a
 * viewBox of modules, margin included, size in CSS pixels per side. */
void qr_svg(const struct qr *q, int size, struct buf *out);
/* The symbol as a PNG, scale pixels a module, margin included; -1 when
 * cairo fails. */
int qr_png(const struct qr *q, int scale, struct buf *out);

#endif
