/*
 * Printed matter: the service contact card, sheets of cards, and the
 * service booklet, as PDF, drawn with cairo and laid out with pango (CJK
 * shaping and line breaking, the Noto Sans CJK fonts of fonts-noto-cjk).
 *
 * The renderers take plain structs of borrowed strings and know nothing
 * of the store or of HTTP: whoever calls them gathers the data (the
 * service layer for the booklet, the API for cards) and keeps every
 * string alive until the call returns.  A NULL string is an empty one.
 * The PDF is appended to out; a failure sets err (and leaves out with a
 * partial document the caller discards).
 *
 * Page geometry, fonts and the reasons for them are in docs/DESIGN.md
 * ("Printed matter").
 */
#ifndef QY_PRINT_H
#define QY_PRINT_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/err.h"

enum print_lang { PRINT_ZH = 0, PRINT_EN };

/* "zh" or "en"; -1 for anything else. */
int print_lang_parse(const char *s, enum print_lang *out);

/* A text in both languages.  Where one language is printed, the other
 * stands in when it is empty. */
struct print_bi {
	const char *zh, *en;
};

/* ---- the contact card (ISO/IEC 7810 ID-1, 85.6 x 54 mm) ---- */

struct print_contact {
	struct print_bi role; /* 网格员 / Grid worker */
	const char *name;
	const char *phone;
};

struct print_hotline {
	struct print_bi label; /* 市民服务热线 / Citizen service hotline */
	const char *number;    /* 12345 */
};

/*
 * Front: the enterprise's names in both languages, its contacts (role,
 * name, phone) and the hotlines.  Back: the QR code of link, a line
 * saying what it opens, and the town's title.  A card prints both
 * languages, as it is handed to enterprises whatever they read.
 */
struct print_card {
	struct print_bi enterprise;
	const struct print_contact *contacts;
	size_t ncontacts;
	const struct print_hotline *hotlines;
	size_t nhotlines;
	const char *link;          /* the QR's; required */
	struct print_bi link_says; /* 扫码反映问题 / Scan to tell us of a problem */
	struct print_bi title;     /* 雁聚张堰 / Wild Geese Gathering in Zhangyan */
};

/* One card, front and back: a 2-page PDF of the card's size. */
int print_card_pdf(const struct print_card *c, struct buf *out, struct err *err);

/*
 * n cards on A4 sheets, 10 a page (2 columns by 5 rows, abutting, with
 * cut marks in the margins): the fronts of up to ten cards on one page,
 * their backs on the next, each back in the mirrored column, so that
 * printing both sides and turning over on the long edge puts every back
 * behind its front.  title goes into the PDF's metadata.  Pages are
 * drawn and written one after another; nothing of a page is kept.
 */
int print_card_sheets_pdf(const struct print_card *cards, size_t n, const char *title,
                          struct buf *out, struct err *err);

/* ---- the service booklet (A5) ---- */

struct print_cluster {
	struct print_bi name;
	struct print_bi leading; /* its leading enterprise; empty: none named */
	int64_t enterprises;     /* how many it gathers; 0: not printed */
};

/* A service of the catalogue, its contacts and hours as the lines to print. */
struct print_service {
	struct print_bi name;
	struct print_bi provider;
	const struct print_bi *contacts;
	size_t ncontacts;
	const struct print_bi *hours;
	size_t nhours;
};

struct print_category {
	struct print_bi name;
	const struct print_service *services;
	size_t nservices;
};

struct print_point {
	struct print_bi name;
	const char *address;
	const char *hours;
	const char *keeper;
};

/*
 * The booklet: a cover with the title, a contents page with the pages
 * the sections begin on, the clusters and their leading enterprises, the
 * services by category, the collection points, and a last page with the
 * QR code of the online catalogue (catalogue_url; none when empty).  A
 * section with nothing in it is left out, with its line in the contents.
 */
struct print_booklet {
	struct print_bi title;    /* 雁聚张堰 / Wild Geese Gathering in Zhangyan */
	struct print_bi subtitle; /* 张堰镇企业服务手册 / ... */
	struct print_bi issuer;   /* 张堰镇人民政府 / ... */
	const char *edition;      /* 2024-12 */
	const struct print_cluster *clusters;
	size_t nclusters;
	const struct print_category *categories;
	size_t ncategories;
	const struct print_point *points;
	size_t npoints;
	const char *catalogue_url;
};

int print_booklet_pdf(const struct print_booklet *b, enum print_lang lang, struct buf *out,
                      struct err *err);

/* The page sizes, in PDF points (1/72 inch), for callers and tests. */
#define PRINT_MM            (72.0 / 25.4)
#define PRINT_CARD_W        (85.6 * PRINT_MM)
#define PRINT_CARD_H        (54.0 * PRINT_MM)
#define PRINT_A4_W          (210.0 * PRINT_MM)
#define PRINT_A4_H          (297.0 * PRINT_MM)
#define PRINT_A5_W          (148.0 * PRINT_MM)
#define PRINT_A5_H          (210.0 * PRINT_MM)
#define PRINT_CARDS_PER_ROW 2
#define PRINT_CARD_ROWS     5
#define PRINT_CARDS_PER_A4  (PRINT_CARDS_PER_ROW * PRINT_CARD_ROWS)

#endif
