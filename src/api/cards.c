/*
 * Service contact cards: every enterprise's card (its grid workers, its
 * cluster's secretary, the town's enterprise service office, the
 * hotlines) as JSON and as vCards, the QR code of its link as SVG and PNG,
 * the link itself (GET /q/{token}, which opens the problem form for that
 * enterprise, or a page saying whom to call), an officer's new link, and
 * the service desks that name each town's office and hotline.
 *
 * A link is issued on the first reading of a card, not when an enterprise
 * is made: enterprises arrive by every path (the API, imports of a
 * million rows, the demo, moves), a token is libsodium's randomness that
 * no migration can draw, and most enterprises' cards are never asked for.
 * That first reading writes once, in a transaction of its own on its
 * worker, as sign-in does (docs/DESIGN.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../domain/vcard.h"
#include "../http/assets.h"
#include "../http/server.h"
#include "../service/card_print.h"
#include "../service/card_service.h"
#include "../util/qr.h"
#include "case_common.h"
#include "cards.h"
#include "jur_tree.h"

#define QR_SVG_SIZE  264 /* CSS pixels a side */
#define QR_PNG_SCALE 8   /* pixels a module */

int api_card_base(struct req *r, char *out, size_t n)
{
	const char *listen = server_listen_bound();
	char host[256] = "";

	if (!listen[0])
		listen = r->cfg->listen;
	if (gethostname(host, sizeof(host) - 1))
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	if (card_base_url(r->cfg->public_url, listen, host, out, n))
		return err_set(&r->err, ERR_INTERNAL, "invalid_setting", "public-url",
		               "public-url: not an http:// or https:// address");
	return 0;
}

/* What the audit log keeps of a link: never the token, which would let a
 * reader of the log file problems in the enterprise's name. */
static void link_audit_json(struct buf *b, int64_t enterprise_id, const struct card_token_rec *t,
                            int64_t revoked)
{
	buf_printf(b, "{\"enterprise_id\":%lld,\"link_id\":%lld,\"issued_at\":",
	           (long long)enterprise_id, (long long)t->id);
	buf_json_str(b, t->issued_at);
	if (revoked)
		buf_printf(b, ",\"revoked_link_id\":%lld", (long long)revoked);
	buf_addc(b, '}');
}

static int link_set(struct req *r, struct card *c, const struct card_token_rec *t)
{
	char base[512];

	if (api_card_base(r, base, sizeof(base)))
		return -1;
	snprintf(c->token, sizeof(c->token), "%s", t->token);
	snprintf(c->issued_at, sizeof(c->issued_at), "%s", t->issued_at);
	if (card_link(base, t->token, c->link, sizeof(c->link)))
		return err_set(&r->err, ERR_INTERNAL, "link_too_long", NULL,
		               "the public address is too long for a card's link");
	return 0;
}

/*
 * Issues links to the enterprises that have none, in one write
 * transaction with an audit entry each, between the request's reads:
 * the read is ended (a write cannot begin inside it) and begun again.
 * issued_to[i] gets the live link of ids[i].
 */
static int issue_missing(struct req *r, const int64_t *ids, int n, struct card_token_rec *issued_to)
{
	struct buf after = BUF_INIT;
	int rc = -1;

	store_read_end(r->db);
	if (store_begin(r->db, &r->err))
		goto out;
	for (int i = 0; i < n; i++) {
		int issued;
		int64_t revoked;
		if (card_token_issue(r->db, ids[i], r->who.user_id, 0, &issued_to[i], &issued,
		                     &revoked, &r->err))
			goto out;
		if (!issued)
			continue; /* another request issued it meanwhile */
		buf_reset(&after);
		link_audit_json(&after, ids[i], &issued_to[i], 0);
		if (api_audit(r, "issue_card_link", "enterprise", ids[i], NULL, buf_cstr(&after)))
			goto out;
	}
	if (store_commit(r->db, &r->err))
		goto out;
	rc = store_read_begin(r->db, &r->err);
out:
	if (rc)
		store_rollback(r->db);
	buf_release(&after);
	return rc;
}

/* The card of e, its link issued first when it has none. */
static int card_of(struct req *r, const struct enterprise *e, struct card *c)
{
	char base[512];
	struct card_token_rec t;

	if (api_card_base(r, base, sizeof(base)) ||
	    card_fill(r->db, e, base, r->cfg->city_hotline, c, &r->err))
		return -1;
	if (c->token[0])
		return 0;
	if (issue_missing(r, &e->id, 1, &t))
		return -1;
	return link_set(r, c, &t);
}

int api_card_load(struct req *r, int64_t id, struct card *c)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct ent_scope own = access_own_scope(&r->who), s;
	struct idset mine = {.n = 0};
	int rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!card_may_read(&r->who, &own, 1)) {
		api_forbidden(r, "read service contact cards");
		goto out;
	}
	if (api_enterprise_load(r, id, e))
		goto out;
	s.id = e->id;
	s.cluster_id = e->cluster_id;
	if (!card_may_read(&r->who, &s, api_in_my_grid(r, e->grid_id, &mine))) {
		if (r->err.kind == ERR_NONE)
			api_forbidden(r, "read this enterprise's contact card");
		goto out;
	}
	rc = card_of(r, e, c);
out:
	free(e);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The card's forms                                                     */

static void contact_json(struct buf *b, const struct card_contact *k)
{
	buf_adds(b, "{\"role\":");
	buf_json_str(b, card_role_name(k->role));
	buf_adds(b, ",\"title_zh\":");
	buf_json_str(b, card_role_title(k->role, 0));
	buf_adds(b, ",\"title_en\":");
	buf_json_str(b, card_role_title(k->role, 1));
	buf_adds(b, ",\"name_zh\":");
	buf_json_str(b, k->name_zh);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, k->name_en[0] ? k->name_en : NULL);
	buf_adds(b, ",\"unit_zh\":");
	buf_json_str(b, k->unit_zh[0] ? k->unit_zh : NULL);
	buf_adds(b, ",\"unit_en\":");
	buf_json_str(b, k->unit_en[0] ? k->unit_en : NULL);
	buf_adds(b, ",\"phone\":");
	buf_json_str(b, k->phone[0] ? k->phone : NULL);
	if (k->user_id)
		buf_printf(b, ",\"user_id\":%lld", (long long)k->user_id);
	buf_addc(b, '}');
}

/* Contacts of the given roles (a mask of 1 << role), as a JSON array. */
static void contacts_json(struct buf *b, const struct card *c, unsigned roles)
{
	int n = 0;

	buf_addc(b, '[');
	for (int i = 0; i < c->ncontacts; i++) {
		if (!(roles & 1u << c->contacts[i].role))
			continue;
		if (n++)
			buf_addc(b, ',');
		contact_json(b, &c->contacts[i]);
	}
	buf_addc(b, ']');
}

static void card_json(struct buf *b, const struct card *c)
{
	buf_printf(b, "{\"enterprise\":{\"id\":%lld,\"name_zh\":", (long long)c->enterprise_id);
	buf_json_str(b, c->name_zh);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, c->name_en[0] ? c->name_en : NULL);
	buf_printf(b, ",\"active\":%s},\"contacts\":", c->active ? "true" : "false");
	contacts_json(b, c, ~0u);
	buf_adds(b, ",\"link\":");
	buf_json_str(b, c->link[0] ? c->link : NULL);
	buf_adds(b, ",\"issued_at\":");
	buf_json_str(b, c->issued_at[0] ? c->issued_at : NULL);
	buf_printf(b,
	           ",\"vcard\":\"/api/v1/enterprises/%lld/card.vcf\",\"qr\":{\"svg\":\"/api/v1/"
	           "enterprises/%lld/card.svg\",\"png\":\"/api/v1/enterprises/%lld/card.png\"}}",
	           (long long)c->enterprise_id, (long long)c->enterprise_id,
	           (long long)c->enterprise_id);
}

/* The card of the path's enterprise, for the caller. */
static int path_card(struct req *r, struct card *c)
{
	struct ent_scope own = access_own_scope(&r->who);
	int64_t id;

	/* A role that may not read even its own card hears so before
	 * anything is read. */
	if (!card_may_read(&r->who, &own, 1))
		return api_forbidden(r, "read service contact cards");
	return api_param_id(r, 0, &id) || api_card_load(r, id, c) ? -1 : 0;
}

/* GET /api/v1/enterprises/{id}/card */
int h_card_get(struct req *r)
{
	struct card *c = malloc(sizeof(*c));
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (path_card(r, c) == 0) {
		card_json(&r->out, c);
		buf_addc(&r->out, '\n');
		rc = 0;
	}
	free(c);
	return rc;
}

/* GET /api/v1/enterprises/{id}/card.vcf: one vCard 4.0 per contact. */
int h_card_vcf(struct req *r)
{
	struct card *c = malloc(sizeof(*c));
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (path_card(r, c) == 0) {
		vcard_card(&r->out, c);
		r->content_type = "text/vcard; charset=utf-8";
		snprintf(r->disposition, sizeof(r->disposition),
		         "attachment; filename=\"card-%lld.vcf\"", (long long)c->enterprise_id);
		rc = 0;
	}
	free(c);
	return rc;
}

/* The QR code of the card's link, drawn by draw. */
static int card_qr(struct req *r, int png)
{
	struct card *c = malloc(sizeof(*c));
	struct qr q = {0, NULL};
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (path_card(r, c))
		goto out;
	if (qr_encode(c->link, &q)) {
		err_set(&r->err, ERR_INTERNAL, "qr_failed", NULL,
		        "the card's link does not fit a QR code");
		goto out;
	}
	if (png) {
		if (qr_png(&q, QR_PNG_SCALE, &r->out)) {
			err_set(&r->err, ERR_INTERNAL, "qr_failed", NULL,
			        "cannot draw the QR code");
			goto out;
		}
		r->content_type = "image/png";
	} else {
		qr_svg(&q, QR_SVG_SIZE, &r->out);
		r->content_type = "image/svg+xml";
	}
	rc = 0;
out:
	qr_free(&q);
	free(c);
	return rc;
}

/* GET /api/v1/enterprises/{id}/card.svg */
int h_card_svg(struct req *r)
{
	return card_qr(r, 0);
}

/* GET /api/v1/enterprises/{id}/card.png */
int h_card_png(struct req *r)
{
	return card_qr(r, 1);
}

/* The town's title the printed cards carry (the setting town-title). */
static struct print_bi card_title(const struct req *r)
{
	struct print_bi t = {r->cfg->town_title, r->cfg->town_title_en};
	return t;
}

/*
 * GET /api/v1/enterprises/{id}/card.pdf: the card to print, 85.6 x 54 mm,
 * front and back on two pages (print/print_card.c), for whoever may read
 * the card.  Inline, so that a browser shows it with its print button.
 */
int h_card_pdf(struct req *r)
{
	struct card *c = malloc(sizeof(*c));
	struct card_sheet s;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (path_card(r, c))
		goto out;
	if (card_sheet_add(&s, c, card_title(r))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (print_card_pdf(&s.cards[0], &r->out, &r->err))
		goto out;
	r->content_type = "application/pdf";
	snprintf(r->disposition, sizeof(r->disposition), "inline; filename=\"card-%lld.pdf\"",
	         (long long)c->enterprise_id);
	rc = 0;
out:
	card_sheet_release(&s);
	free(c);
	return rc;
}

/*
 * POST /api/v1/enterprises/{id}/card/token: a new link, the old one
 * revoked at once (a card lost, a link passed around), audited; answers
 * 201 with the card and its new link.
 */
int h_card_token_issue(struct req *r)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct card *c = malloc(sizeof(*c));
	struct card_token_rec t;
	struct buf after = BUF_INIT;
	char base[512];
	int64_t id, revoked;
	int issued, rc = -1;

	if (!e || !c) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (!card_may_reissue(&r->who)) {
		api_forbidden(r, "issue a new link for a contact card");
		goto out;
	}
	if (api_param_id(r, 0, &id) || api_enterprise_load(r, id, e) ||
	    api_card_base(r, base, sizeof(base)) || store_begin(r->db, &r->err) ||
	    card_token_issue(r->db, e->id, r->who.user_id, 1, &t, &issued, &revoked, &r->err))
		goto out;
	link_audit_json(&after, e->id, &t, revoked);
	if (api_audit(r, revoked ? "reissue_card_link" : "issue_card_link", "enterprise", e->id,
	              NULL, buf_cstr(&after)) ||
	    card_fill(r->db, e, base, r->cfg->city_hotline, c, &r->err) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	card_json(&r->out, c);
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	free(e);
	free(c);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The link                                                             */

static void html_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default:
			buf_addc(b, *s);
		}
	}
}

/* The hotlines of a page, in one language, with tel: links. */
static void hotlines_html(struct buf *b, const struct card *c, int english)
{
	buf_adds(b, "<ul class=\"card-gone-lines\">\n");
	for (int i = 0; i < c->ncontacts; i++) {
		const struct card_contact *k = &c->contacts[i];
		char tel[120];
		if (k->role != CARD_HOTLINE && k->role != CARD_OFFICE)
			continue;
		buf_adds(b, "<li><span class=\"card-gone-name\">");
		html_text(b, english && k->name_en[0] ? k->name_en : k->name_zh);
		if (k->unit_zh[0]) {
			buf_adds(b, " (");
			html_text(b, english && k->unit_en[0] ? k->unit_en : k->unit_zh);
			buf_addc(b, ')');
		}
		buf_adds(b, "</span> ");
		if (vcard_tel_uri(k->phone, tel, sizeof(tel)) == 0) {
			/* A phone's dialler wants the number alone, not the
			 * context a vCard's reader may use. */
			tel[strcspn(tel, ";")] = '\0';
			buf_adds(b, "<a class=\"card-gone-phone\" href=\"");
			html_text(b, tel);
			buf_adds(b, "\">");
			html_text(b, k->phone);
			buf_adds(b, "</a>");
		} else {
			html_text(b, k->phone);
		}
		buf_adds(b, "</li>\n");
	}
	buf_adds(b, "</ul>\n");
}

/*
 * The page of a link that opens nothing: the same bytes for a mistyped,
 * unknown or revoked link, and one whose enterprise closed or moved out,
 * naming no enterprise: only whom to call.
 */
static int gone_page(struct req *r)
{
	struct card *c = malloc(sizeof(*c));

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	err_clear(&r->err);
	if (card_hotlines_only(r->db, r->cfg->city_hotline, c, &r->err)) {
		free(c);
		return -1;
	}
	r->status = 404;
	r->content_type = "text/html; charset=utf-8";
	buf_reset(&r->out);
	buf_adds(&r->out,
	         "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	         "<meta name=\"robots\" content=\"noindex\">\n"
	         "<title>此链接无法打开 · This link cannot be opened</title>\n"
	         "<link rel=\"stylesheet\" href=\"/app.css\">\n"
	         "<link rel=\"stylesheet\" href=\"/card.css\">\n</head>\n"
	         "<body class=\"card-gone\">\n<main class=\"public-page card-gone-page\">\n"
	         "<section class=\"card\" lang=\"zh-CN\">\n<h1>此链接无法打开</h1>\n"
	         "<p>服务联系卡上的链接可能输入有误，或者这张卡已经换发。"
	         "反映问题请拨打：</p>\n");
	hotlines_html(&r->out, c, 0);
	buf_adds(&r->out, "</section>\n<section class=\"card\" lang=\"en\">\n"
	                  "<h2>This link cannot be opened</h2>\n"
	                  "<p>The link on the service contact card may have been mistyped, or the "
	                  "card has been replaced by a new one. To raise a problem, call:</p>\n");
	hotlines_html(&r->out, c, 1);
	buf_adds(&r->out, "</section>\n</main>\n</body>\n</html>\n");
	free(c);
	return 0;
}

/*
 * GET /q/{token}: a card's link.  A live one of an active enterprise
 * opens the console on the problem form of that enterprise (the console
 * reads the card's public side, GET /api/v1/public/cards/{token}); any
 * other answers 404 with the page of whom to call.
 */
int h_card_open(struct req *r)
{
	const char *seg = r->nparams ? r->params[0] : "";
	const struct embedded_file *f;
	struct card_token_rec t;
	int parsed;

	if (card_token_resolve(r->db, seg, strlen(seg), &t, &parsed, &r->err))
		return r->err.kind == ERR_NOT_FOUND ? gone_page(r) : -1;
	if (!(f = assets_find("/")))
		return err_set(&r->err, ERR_INTERNAL, "no_console", NULL, "the console is missing");
	r->content_type = "text/html; charset=utf-8";
	buf_add(&r->out, f->data, f->len);
	return 0;
}

/*
 * GET /api/v1/public/cards/{token}: what the problem form of a link shows
 * before anything is sent: the enterprise's names, and whom else to call
 * (the office and the hotlines).  No person's phone: those are on the
 * card in the enterprise's hands, not on a link that may travel.
 */
int h_public_card(struct req *r)
{
	const char *seg = r->nparams ? r->params[0] : "";
	struct enterprise *e = malloc(sizeof(*e));
	struct card *c = malloc(sizeof(*c));
	struct card_token_rec t;
	char base[512];
	int parsed, rc = -1;

	if (!e || !c) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (card_token_resolve(r->db, seg, strlen(seg), &t, &parsed, &r->err) ||
	    store_enterprise_get(r->db, t.enterprise_id, e, &r->err) ||
	    api_card_base(r, base, sizeof(base)) ||
	    card_fill(r->db, e, base, r->cfg->city_hotline, c, &r->err))
		goto out;
	buf_adds(&r->out, "{\"enterprise\":{\"name_zh\":");
	buf_json_str(&r->out, c->name_zh);
	buf_adds(&r->out, ",\"name_en\":");
	buf_json_str(&r->out, c->name_en[0] ? c->name_en : NULL);
	buf_adds(&r->out, "},\"contacts\":");
	contacts_json(&r->out, c, 1u << CARD_OFFICE | 1u << CARD_HOTLINE);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	free(e);
	free(c);
	return rc;
}

int api_card_link_enterprise(struct req *r, const char *field, const char *token,
                             int64_t *enterprise_id)
{
	struct card_token_rec t;
	struct err e;
	int parsed;

	err_clear(&e);
	if (card_token_resolve(r->db, token, strlen(token), &t, &parsed, &e) == 0) {
		*enterprise_id = t.enterprise_id;
		return 0;
	}
	if (e.kind != ERR_NOT_FOUND) {
		r->err = e;
		return -1;
	}
	err_field(&r->err, field, "unknown_card_link",
	          "%s: this card's link opens no form: it was mistyped, or the card was replaced; "
	          "call the hotline on the card",
	          field);
	return -1;
}

/* ------------------------------------------------------------------ */
/* A grid's cards                                                       */

struct idlist {
	int64_t *v;
	int n, cap, failed;
};

static int idlist_add(void *ctx, int64_t id)
{
	struct idlist *l = ctx;

	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 64;
		int64_t *v = realloc(l->v, (size_t)cap * sizeof(*v));
		if (!v)
			return l->failed = 1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = id;
	return 0;
}

int api_cards_of_grid(struct req *r, int64_t grid_id, card_fn fn, void *ctx)
{
	struct grid_rec g;
	struct jur_tree *t = NULL;
	struct idlist missing = {0}, all = {0};
	struct card_token_rec *links = NULL;
	struct enterprise *e = malloc(sizeof(*e));
	struct card *c = malloc(sizeof(*c));
	struct idset mine = {.n = 0};
	char base[512];
	int rc = -1;

	memset(&g, 0, sizeof(g));
	if (!e || !c) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER &&
	    r->who.role != ROLE_GRID_WORKER) {
		api_forbidden(r, "print the cards of a grid");
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || store_grid_get(r->db, grid_id, &g, &r->err))
		goto out;
	{
		struct jur_pos pos = jur_tree_pos(t, g.jurisdiction_id);
		if (!jur_in_scope(&r->who.scope, &pos)) {
			err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no grid with id %lld",
			        (long long)grid_id);
			goto out;
		}
	}
	if (r->who.role == ROLE_GRID_WORKER && !api_in_my_grid(r, grid_id, &mine)) {
		if (r->err.kind == ERR_NONE)
			api_forbidden(r, "print the cards of a grid not its own");
		goto out;
	}
	if (store_card_grid_enterprises(r->db, grid_id, 1, idlist_add, &missing, &r->err))
		goto out;
	if (missing.failed || (missing.n && !(links = calloc((size_t)missing.n, sizeof(*links))))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (missing.n && issue_missing(r, missing.v, missing.n, links))
		goto out;
	if (store_card_grid_enterprises(r->db, grid_id, 0, idlist_add, &all, &r->err))
		goto out;
	if (all.failed) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (api_card_base(r, base, sizeof(base)))
		goto out;
	for (int i = 0; i < all.n; i++) {
		if (store_enterprise_get(r->db, all.v[i], e, &r->err) ||
		    card_fill(r->db, e, base, r->cfg->city_hotline, c, &r->err))
			goto out;
		if (fn(ctx, c))
			break;
	}
	rc = 0;
out:
	buf_release(&g.geometry);
	jur_tree_put(t);
	free(missing.v);
	free(all.v);
	free(links);
	free(e);
	free(c);
	return rc;
}

struct sheet_fill {
	struct card_sheet *s;
	struct print_bi title;
};

static int sheet_card(void *ctx, const struct card *c)
{
	struct sheet_fill *f = ctx;

	return card_sheet_add(f->s, c, f->title) ? 1 : 0;
}

/* A file name of the grid's code when it is one a file name may carry
 * as it is, else of its id. */
static void sheet_filename(struct req *r, const struct grid_rec *g)
{
	size_t n = strlen(g->code);
	int plain = n > 0 && n <= 60;

	for (size_t i = 0; plain && i < n; i++) {
		char ch = g->code[i];
		plain = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		        (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
	}
	if (plain)
		snprintf(r->disposition, sizeof(r->disposition),
		         "inline; filename=\"cards-%s.pdf\"", g->code);
	else
		snprintf(r->disposition, sizeof(r->disposition),
		         "inline; filename=\"cards-grid-%lld.pdf\"", (long long)g->id);
}

/*
 * GET /api/v1/grids/{id}/cards.pdf: every card of the grid's active
 * enterprises (those of the grids inside it too) on A4 sheets, ten a
 * page, each page of fronts followed by its backs in mirrored columns
 * (print/print_sheet.c), so that a grid worker prints a round's cards on
 * both sides and cuts them.  Who may: as api_cards_of_grid (admins and
 * officers whose jurisdictions hold the grid, its own grid workers);
 * the links missing are issued first.
 */
int h_grid_cards_pdf(struct req *r)
{
	struct card_sheet s;
	struct sheet_fill f = {&s, card_title(r)};
	struct grid_rec g;
	char title[1024];
	int64_t id;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	memset(&g, 0, sizeof(g));
	if (api_param_id(r, 0, &id) || api_cards_of_grid(r, id, sheet_card, &f))
		goto out;
	if (s.failed) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (store_grid_get(r->db, id, &g, &r->err))
		goto out;
	snprintf(title, sizeof(title), "服务联系卡 · %s", g.name_zh[0] ? g.name_zh : g.code);
	if (print_card_sheets_pdf(s.cards, s.n, title, &r->out, &r->err))
		goto out;
	r->content_type = "application/pdf";
	sheet_filename(r, &g);
	rc = 0;
out:
	buf_release(&g.geometry);
	card_sheet_release(&s);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Service desks                                                        */

static void desk_json(struct buf *b, const struct jur_tree *t, int64_t jur,
                      const struct service_desk *d)
{
	buf_addc(b, '{');
	api_jur_ref_json(b, t, "jurisdiction", jur);
	buf_adds(b, ",\"office\":");
	if (d && d->office_department_id) {
		buf_printf(
		    b, "{\"department_id\":%lld,\"name_zh\":", (long long)d->office_department_id);
		buf_json_str(b, d->office_zh);
		buf_adds(b, ",\"name_en\":");
		buf_json_str(b, d->office_en[0] ? d->office_en : NULL);
		buf_adds(b, ",\"phone\":");
		buf_json_str(b, d->office_phone[0] ? d->office_phone : NULL);
		buf_addc(b, '}');
	} else {
		buf_adds(b, "null");
	}
	buf_adds(b, ",\"hotline\":");
	if (d && d->hotline_phone[0]) {
		buf_adds(b, "{\"name_zh\":");
		buf_json_str(b, d->hotline_zh);
		buf_adds(b, ",\"name_en\":");
		buf_json_str(b, d->hotline_en[0] ? d->hotline_en : NULL);
		buf_adds(b, ",\"phone\":");
		buf_json_str(b, d->hotline_phone);
		buf_addc(b, '}');
	} else {
		buf_adds(b, "null");
	}
	buf_adds(b, ",\"updated_at\":");
	buf_json_str(b, d && d->updated_at[0] ? d->updated_at : NULL);
	buf_addc(b, '}');
}

/* The jurisdiction of path parameter 0, from the tree. */
static const struct jurisdiction *path_jurisdiction(struct req *r, const struct jur_tree *t)
{
	const struct jurisdiction *j;
	int64_t id;

	if (api_param_id(r, 0, &id))
		return NULL;
	if (!(j = jur_tree_find(t, id)))
		err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no jurisdiction with id %lld",
		        (long long)id);
	return j;
}

/* GET /api/v1/jurisdictions/{id}/service-desk: public, as what it names
 * is printed on every card. */
int h_desk_get(struct req *r)
{
	struct jur_tree *t;
	const struct jurisdiction *j;
	struct service_desk d;
	struct err probe;
	int found, rc = -1;

	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (!(j = path_jurisdiction(r, t)))
		goto out;
	err_clear(&probe);
	found = store_desk_get(r->db, j->id, &d, &probe) == 0;
	if (!found && probe.kind != ERR_NOT_FOUND) {
		r->err = probe;
		goto out;
	}
	desk_json(&r->out, t, j->id, found ? &d : NULL);
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}

static int desk_phone(struct req *r, json_t *body, const char *name, char *out, size_t n)
{
	if (api_field_string(r, body, name, 0, 30, out, n))
		return -1;
	if (out[0] && !case_phone_valid(out)) {
		err_field(&r->err, name, "invalid_phone",
		          "%s: must be 5 to 20 digits, with a leading + and - or spaces only",
		          name);
		return -1;
	}
	return 0;
}

/*
 * PUT /api/v1/jurisdictions/{id}/service-desk {office_department_id,
 * office_phone, hotline_zh, hotline_en, hotline_phone}: the desk whole;
 * a field left out is empty.  Admins and officers whose jurisdictions
 * hold it; audited.
 */
int h_desk_put(struct req *r)
{
	static const char *const known[] = {"office_department_id", "office_phone",  "hotline_zh",
	                                    "hotline_en",           "hotline_phone", NULL};
	struct jur_tree *t;
	const struct jurisdiction *j;
	struct service_desk d, old;
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct err probe;
	json_t *body = NULL;
	int had, rc = -1;

	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER)
		return api_forbidden(r, "change a service desk");
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (!(j = path_jurisdiction(r, t)))
		goto out;
	{
		struct jur_pos pos = {j->lo, j->hi};
		if (!jur_in_scope(&r->who.scope, &pos)) {
			err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "id",
			        "id: %s (%s) lies outside the jurisdictions this account acts for",
			        j->name_zh, j->code);
			goto out;
		}
	}
	if (!(body = req_json_object(r)))
		goto out;
	memset(&d, 0, sizeof(d));
	d.jurisdiction_id = j->id;
	api_only_fields(r, body, known, "of a service desk");
	if (api_field_id(r, body, "office_department_id", 0, &d.office_department_id) == 0 &&
	    d.office_department_id)
		case_department_serves(r, t, "office_department_id", d.office_department_id, j->id);
	desk_phone(r, body, "office_phone", d.office_phone, sizeof(d.office_phone));
	api_field_string(r, body, "hotline_zh", 0, 100, d.hotline_zh, sizeof(d.hotline_zh));
	api_field_string(r, body, "hotline_en", 0, 100, d.hotline_en, sizeof(d.hotline_en));
	desk_phone(r, body, "hotline_phone", d.hotline_phone, sizeof(d.hotline_phone));
	if (d.office_phone[0] && !d.office_department_id &&
	    !err_has_field(&r->err, "office_department_id"))
		err_field(&r->err, "office_department_id", "required",
		          "office_department_id: is required with office_phone (the department "
		          "that is the enterprise service office)");
	if (d.hotline_phone[0] && !d.hotline_zh[0] && !err_has_field(&r->err, "hotline_zh"))
		err_field(&r->err, "hotline_zh", "required",
		          "hotline_zh: is required with hotline_phone (the hotline's name)");
	if ((d.hotline_zh[0] || d.hotline_en[0]) && !d.hotline_phone[0] &&
	    !err_has_field(&r->err, "hotline_phone"))
		err_field(&r->err, "hotline_phone", "required",
		          "hotline_phone: is required with the hotline's name");
	if (r->err.kind != ERR_NONE)
		goto out;
	err_clear(&probe);
	had = store_desk_get(r->db, j->id, &old, &probe) == 0;
	if (!had && probe.kind != ERR_NOT_FOUND) {
		r->err = probe;
		goto out;
	}
	desk_json(&before, t, j->id, had ? &old : NULL);
	if (store_begin(r->db, &r->err) || store_desk_put(r->db, &d, &r->err))
		goto out;
	desk_json(&after, t, j->id, &d);
	if (api_audit(r, "put_service_desk", "jurisdiction", j->id, had ? buf_cstr(&before) : NULL,
	              buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_add(&r->out, after.s, after.len);
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	json_decref(body);
	jur_tree_put(t);
	return rc;
}
