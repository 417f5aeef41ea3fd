/*
 * The booklet's services: the catalogue's active services of the
 * booklet's jurisdictions, by category, each with its provider, contacts
 * and hours as the lines to print (service/booklet.h).
 *
 * The catalogue's walk of the store plugs in here; until it does, the
 * booklet has no services section (the printer leaves an empty section
 * out, with its line in the contents).
 */
#include "booklet.h"

int booklet_fill_services(struct store *st, const struct booklet_opts *o, struct booklet_doc *d,
                          struct err *err)
{
	(void)st;
	(void)o;
	(void)d;
	(void)err;
	return 0;
}
