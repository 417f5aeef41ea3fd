/*
 * Sheets of cards on A4: ten cards a page, two columns by five rows,
 * abutting so that one cut separates two cards, the block centred on
 * the page.  That leaves 19.4 mm on each side and 13.5 mm at top and
 * bottom, more than any office printer's unprintable edge, and room for
 * the cut marks: short hairlines in the margins on the line of every
 * card edge, stopping short of the cards so no mark shows on a card.
 *
 * The backs of a page's cards are on the next page.  A duplex printer
 * turns the sheet over its long edge, which brings the left column of
 * the back behind the right column of the front; so each back is drawn
 * in the mirrored column of the same row.  The block is centred
 * horizontally, so the mirrored positions are exactly behind.
 */
#include "print_internal.h"

#define PW   PRINT_A4_W
#define PH   PRINT_A4_H
#define CW   PRINT_CARD_W
#define CH   PRINT_CARD_H
#define COLS PRINT_CARDS_PER_ROW
#define ROWS PRINT_CARD_ROWS
#define X0   ((PW - COLS * CW) / 2)
#define Y0   ((PH - ROWS * CH) / 2)
#define GAP  (1.5 * PRINT_MM) /* between a mark and the cards */
#define MARK (6.0 * PRINT_MM) /* length of a mark */

static void cut_marks(cairo_t *cr)
{
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.25);
	for (int c = 0; c <= COLS; c++) {
		double x = X0 + c * CW;
		cairo_move_to(cr, x, Y0 - GAP);
		cairo_line_to(cr, x, Y0 - GAP - MARK);
		cairo_move_to(cr, x, Y0 + ROWS * CH + GAP);
		cairo_line_to(cr, x, Y0 + ROWS * CH + GAP + MARK);
	}
	for (int r = 0; r <= ROWS; r++) {
		double y = Y0 + r * CH;
		cairo_move_to(cr, X0 - GAP, y);
		cairo_line_to(cr, X0 - GAP - MARK, y);
		cairo_move_to(cr, X0 + COLS * CW + GAP, y);
		cairo_line_to(cr, X0 + COLS * CW + GAP + MARK, y);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* Moves the origin to the card's slot and clips to it, so that nothing a
 * card draws strays onto its neighbour. */
static void slot_begin(cairo_t *cr, int col, int row)
{
	cairo_save(cr);
	cairo_translate(cr, X0 + col * CW, Y0 + row * CH);
	cairo_rectangle(cr, 0, 0, CW, CH);
	cairo_clip(cr);
}

int print_card_sheets_pdf(const struct print_card *cards, size_t n, const char *title,
                          struct buf *out, struct err *err)
{
	struct pdf_doc d;
	struct ptext t;
	size_t pages;

	if (pdf_open(&d, out, PW, PH, title, err))
		return -1;
	if (ptext_init(&t, d.cr, err)) {
		pdf_abandon(&d);
		return -1;
	}
	/* No cards is one sheet with only its marks, not an empty file. */
	pages = n ? (n + PRINT_CARDS_PER_A4 - 1) / PRINT_CARDS_PER_A4 : 1;
	for (size_t p = 0; p < pages; p++) {
		size_t first = p * PRINT_CARDS_PER_A4;
		size_t here = n - first < PRINT_CARDS_PER_A4 ? n - first : PRINT_CARDS_PER_A4;

		if (p)
			pdf_page(&d);
		cut_marks(d.cr);
		for (size_t i = 0; i < here; i++) {
			slot_begin(d.cr, (int)(i % COLS), (int)(i / COLS));
			card_front(&t, &cards[first + i]);
			cairo_restore(d.cr);
		}
		pdf_page(&d);
		cut_marks(d.cr);
		for (size_t i = 0; i < here; i++) {
			int rc;
			slot_begin(d.cr, COLS - 1 - (int)(i % COLS), (int)(i / COLS));
			rc = card_back(&t, &cards[first + i], err);
			cairo_restore(d.cr);
			if (rc) {
				ptext_release(&t);
				pdf_abandon(&d);
				return -1;
			}
		}
	}
	ptext_release(&t);
	return pdf_close(&d, err);
}
