/*
 * GET /api/v1/booklet.pdf?lang=zh|en&jurisdiction=
 *
 * The service booklet as an A5 PDF (service/booklet.c, print/), for any
 * signed-in caller: cut to the caller's jurisdictions, or the narrower
 * one jurisdiction= names, as the lists of clusters and collection
 * points are.  It is the printed copy of what those lists show, so it
 * shows nothing they do not.
 *
 * Not public: a booklet takes some hundred milliseconds of a worker's
 * time to lay out and draw, which the public should not be able to
 * spend at will; enterprises get it on paper from their grid workers,
 * and their contacts can sign in for it.
 */
#include <stdio.h>
#include <string.h>

#include "../service/booklet.h"
#include "api.h"
#include "cards.h"
#include "jur_tree.h"

int h_booklet_pdf(struct req *r)
{
	const char *lang_arg = req_query(r, "lang");
	struct booklet_opts o;
	enum print_lang lang = PRINT_ZH;
	struct jur_tree *t;
	char base[600];
	int rc;

	/* An empty lang= is none, as every list's filters take it. */
	if (lang_arg && *lang_arg && print_lang_parse(lang_arg, &lang))
		return err_set(&r->err, ERR_INVALID, "invalid_enum", "lang",
		               "lang: must be zh or en, not '%.20s'", lang_arg);
	memset(&o, 0, sizeof(o));
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	rc = api_list_scope(r, t, &o.scope);
	jur_tree_put(t);
	if (rc || api_card_base(r, base, sizeof(base)))
		return -1;
	o.title_zh = r->cfg->town_title;
	o.title_en = r->cfg->town_title_en;
	o.base_url = base;
	if (booklet_render(r->db, &o, lang, &r->out, &r->err))
		return -1;
	r->status = 200;
	r->content_type = "application/pdf";
	snprintf(r->disposition, sizeof(r->disposition), "inline; filename=\"booklet-%s.pdf\"",
	         lang == PRINT_EN ? "en" : "zh");
	return 0;
}
