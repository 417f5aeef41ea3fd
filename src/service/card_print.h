/*
 * The printed service contact card made from a card (domain/card.h): the
 * struct the printer takes (print/print.h), for the API's card.pdf and a
 * grid's cards.pdf alike.
 *
 * A sheet of a grid's cards may hold thousands, and a struct card is some
 * twenty kilobytes, most of it room that no card fills: keeping every
 * card until the sheet is drawn would cost a hundred megabytes for five
 * thousand.  So each card's printed strings are copied into chunks the
 * sheet owns (a few hundred bytes a card), which never move once written,
 * and the card itself can be reused for the next.
 */
#ifndef QY_SERVICE_CARD_PRINT_H
#define QY_SERVICE_CARD_PRINT_H

#include "../domain/card.h"
#include "../print/print.h"

/* What the back says under its QR code, in both languages. */
#define CARD_PRINT_SAYS_ZH "扫码反映问题"
#define CARD_PRINT_SAYS_EN "Scan to tell us of a problem"

struct card_sheet_chunk;
struct card_sheet {
	struct print_card *cards; /* what print_card_sheets_pdf takes */
	size_t n;
	/* private */
	size_t cap;
	struct card_sheet_chunk *chunks;
	int failed;
};

/*
 * Adds the printed form of c, under title (the town's title, the setting
 * town-title), to the sheet s (zeroed by the caller), copying every
 * string it prints.  Front: the enterprise's names; the grid workers,
 * secretaries and the office, each with its role and what it belongs to
 * (网格员（西片区三网格）/ Grid worker), name and phone; the
 * hotlines.  Back: the link's QR code.  -1 when out of memory.
 */
int card_sheet_add(struct card_sheet *s, const struct card *c, struct print_bi title);

void card_sheet_release(struct card_sheet *s);

#endif
