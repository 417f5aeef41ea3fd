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
 * booklet_add_service, in the order they are to be printed.  A store's
 * walk of the catalogue's active services in the scope plugs in here.
 */
int booklet_fill_services(struct store *st, const struct booklet_opts *o, struct booklet_doc *d,
                          struct err *err);

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
