/*
 * The service booklet made from the data: what the store holds gathered
 * into the struct the printer takes (print/print.h), for the API
 * (GET /api/v1/booklet.pdf) and the command line (qunyan booklet) alike.
 */
#ifndef QY_SERVICE_BOOKLET_H
#define QY_SERVICE_BOOKLET_H

#include "../print/print.h"
#include "../store/store.h"

/* Whose booklet, and what it prints beside the data. */
struct booklet_opts {
	/* The jurisdictions it is cut to, as a list of reference data is:
	 * the records of the scope and of the nodes above it.  Zeroed: the
	 * whole tree.  Its top node names the booklet (the home town for
	 * the whole tree). */
	struct jur_scope scope;
	const char *title_zh, *title_en; /* the setting town-title */
	/* The address the public reaches the server at; the last page's
	 * QR code opens <base_url>/services.  NULL or "": no such page. */
	const char *base_url;
	const char *edition; /* the cover's date line; NULL: this month */
};

/*
 * The booklet's contents and the memory they live in.  doc.b is what
 * print_booklet_pdf takes once booklet_fill has returned; every string
 * it points to is the doc's own, freed by booklet_doc_release.
 */
struct booklet_chunk;
struct booklet_cat;
struct booklet_doc {
	struct print_booklet b;
	/* private */
	struct booklet_chunk *chunks;
	struct print_cluster *clusters;
	struct print_point *points;
	struct booklet_cat *cats;
	struct print_category *categories;
	size_t cap_clusters, cap_points, ncats, cap_cats;
	int failed; /* out of memory */
};

/* Fills d (zeroed by the caller) from the store: the title, the town's
 * names, its clusters with their leading enterprises, its active
 * collection points, and the services (booklet_fill_services). */
int booklet_fill(struct store *st, const struct booklet_opts *o, struct booklet_doc *d,
                 struct err *err);

/*
 * The services by category (booklet_services.c), each through
 * booklet_add_service, in the order they are to be printed: the
 * catalogue's active services the scope sees (store_service_walk), each
 * as booklet_service_lines makes it.
 */
int booklet_fill_services(struct store *st, const struct booklet_opts *o, struct booklet_doc *d,
                          struct err *err);

/*
 * A service of the catalogue as the booklet prints it: its category's
 * names, its names and provider's, and the lines under them in both
 * languages.  Contact lines: each contact (name, title, phone, e-mail),
 * the service's phone, e-mail and web address where no contact gives
 * them, each location (its name and address), the provider's phone when
 * nothing else says whom to call.  Hours lines: the weekly rules grouped
 * by their days (周一至周五 08:30–11:30、13:30–17:00 / Mon–Fri 08:30–11:30,
 * 13:30–17:00; a span past midnight ends 次日 / next day), the days the
 * exceptions close and open by their descriptions (public holidays named
 * in English too), or "by appointment" when it has no hours.  The strings
 * point into out (and into s), which must outlive their use.
 */
#define BOOKLET_MAX_CONTACT_LINES (SVC_MAX_CONTACTS + SVC_MAX_LOCATIONS + 4)
#define BOOKLET_MAX_HOUR_LINES    (HOURS_MAX_WEEKLY + 3)
#define BOOKLET_LINE              1400 /* bytes of one line in one language */
struct booklet_service_lines {
	struct print_bi category;
	struct print_service s;
	/* private: the lines and their text */
	struct print_bi contacts[BOOKLET_MAX_CONTACT_LINES], hours[BOOKLET_MAX_HOUR_LINES];
	char text[BOOKLET_MAX_CONTACT_LINES + BOOKLET_MAX_HOUR_LINES][2][BOOKLET_LINE];
	int used;
};
void booklet_service_lines(const struct service *s, struct booklet_service_lines *out);

/* Copies the service (its strings and lines) into the doc under its
 * category, which is added after the others on its first service.
 * Categories are told apart by their Chinese name.  -1: out of memory. */
int booklet_add_service(struct booklet_doc *d, struct print_bi category,
                        const struct print_service *s);

void booklet_doc_release(struct booklet_doc *d);

/* Fills, renders in lang into out and releases: the whole of it. */
int booklet_render(struct store *st, const struct booklet_opts *o, enum print_lang lang,
                   struct buf *out, struct err *err);

#endif
