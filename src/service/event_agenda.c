/*
 * An agenda drafted over the store (event_agenda.h).
 */
#include "event_agenda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_index.h"

struct one {
	struct event_case c;
	int64_t created, deadline;
	size_t sh_at;
	int nsh, located;
	double lon, lat;
};

struct gather {
	struct one *v;
	size_t n, cap;
	uint32_t *sh;
	size_t nsh, capsh;
	case_visible_fn visible;
	void *vctx;
	int hidden, failed;
};

static int gather_row(void *ctx, const struct event_open_case *o)
{
	struct gather *g = ctx;
	struct one *x;

	if (g->visible && !g->visible(g->vctx, &o->c)) {
		g->hidden++;
		return 0;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		struct one *v = realloc(g->v, cap * sizeof(*v));
		if (!v)
			return g->failed = 1;
		g->v = v;
		g->cap = cap;
	}
	if (g->nsh + (size_t)o->nshingles > g->capsh) {
		size_t cap = g->capsh ? g->capsh * 2 : 8192;
		uint32_t *sh;
		while (cap < g->nsh + (size_t)o->nshingles)
			cap *= 2;
		if (!(sh = realloc(g->sh, cap * sizeof(*sh))))
			return g->failed = 1;
		g->sh = sh;
		g->capsh = cap;
	}
	x = &g->v[g->n++];
	x->c = o->c;
	x->created = o->created;
	x->deadline = o->deadline;
	x->sh_at = g->nsh;
	x->nsh = o->nshingles;
	x->located = o->located;
	x->lon = o->lon;
	x->lat = o->lat;
	if (o->nshingles)
		memcpy(g->sh + g->nsh, o->shingles, (size_t)o->nshingles * sizeof(uint32_t));
	g->nsh += (size_t)o->nshingles;
	return 0;
}

/* Case ids to their place in the input, sorted by id. */
struct id_at {
	int64_t id;
	int at;
};

static int cmp_id_at(const void *pa, const void *pb)
{
	const struct id_at *a = pa, *b = pb;

	return a->id < b->id ? -1 : a->id > b->id;
}

struct sim_ctx {
	struct gather *g;
	struct case_index *x;
	struct id_at *ids;
};

/*
 * The cases before i similar to it: the index holds cases 0 .. i - 1
 * when i is asked (agenda_draft asks in order), then takes i, so each
 * pair is looked at once, from its later side.
 */
static int similar(void *ctx, int i, int *out, int max)
{
	struct sim_ctx *s = ctx;
	const struct one *o = &s->g->v[i];
	struct similar_hit hits[64];
	int n, m = 0;

	if (!o->nsh)
		return 0;
	n = case_index_lookup(s->x, s->g->sh + o->sh_at, o->nsh, o->located, o->lon, o->lat,
	                      o->c.case_id, hits, max < 64 ? max : 64);
	if (n < 0 || case_index_add(s->x, o->c.case_id, s->g->sh + o->sh_at, o->nsh, o->located,
	                            o->lon, o->lat))
		return -1;
	for (int k = 0; k < n; k++) {
		struct id_at key = {hits[k].id, 0}, *at;
		at = bsearch(&key, s->ids, s->g->n, sizeof(*s->ids), cmp_id_at);
		if (at)
			out[m++] = at->at;
	}
	return m;
}

/* Up to 40 characters of text, cut between characters. */
static void excerpt(const char *text, char *out, size_t n, int chars)
{
	size_t len = 0;

	for (int c = 0; text[len] && c < chars; c++) {
		size_t k = 1;
		while ((text[len + k] & 0xC0) == 0x80)
			k++;
		if (len + k >= n)
			break;
		len += k;
	}
	memcpy(out, text, len);
	out[len] = '\0';
}

int event_agenda_draft(struct store *st, const int64_t *ents, int n, int64_t now,
                       case_visible_fn visible, void *vctx, int max_items, struct event_draft *out,
                       struct err *err)
{
	struct gather g = {.visible = visible, .vctx = vctx};
	struct sim_ctx sc = {&g, NULL, NULL};
	struct agenda_case *ac = NULL;
	struct agenda a = {0};
	int rc = -1, keep;
	size_t npool = 0;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < n; i++) {
		if (store_event_open_cases(st, ents[i], gather_row, &g, err))
			goto out;
		if (g.failed)
			goto oom;
	}
	out->cases_read = (int)g.n + g.hidden;
	out->cases_hidden = g.hidden;
	if (!g.n) {
		rc = 0;
		goto out;
	}
	if (!(ac = malloc(g.n * sizeof(*ac))) || !(sc.ids = malloc(g.n * sizeof(*sc.ids))) ||
	    !(sc.x = case_index_new()))
		goto oom;
	for (size_t i = 0; i < g.n; i++) {
		const struct one *o = &g.v[i];
		ac[i] = (struct agenda_case){o->c.case_id, o->c.enterprise_id, o->c.department_id,
		                             o->created, o->deadline};
		sc.ids[i] = (struct id_at){o->c.case_id, (int)i};
	}
	qsort(sc.ids, g.n, sizeof(*sc.ids), cmp_id_at);
	if (agenda_draft(ac, (int)g.n, now, similar, &sc, &a))
		goto oom;
	keep = a.nitems < max_items ? a.nitems : max_items;
	if (keep < 0)
		keep = 0;
	for (int k = 0; k < keep; k++)
		npool += (size_t)a.items[k].n;
	if (keep > 0 && (!(out->items = calloc((size_t)keep, sizeof(*out->items))) ||
	                 !(out->pool = malloc((npool ? npool : 1) * sizeof(*out->pool)))))
		goto oom;
	npool = 0;
	for (int k = 0; k < keep; k++) {
		const struct agenda_item *it = &a.items[k];
		struct drafted_item *d = &out->items[out->nitems++];
		const struct one *first = &g.v[a.cases[it->first]];
		char head[4 * 40 + 1];
		d->reason = it->reason;
		d->department_id = it->department_id;
		d->enterprises = it->enterprises;
		d->case_ids = out->pool + npool;
		for (int i = 0; i < it->n; i++) {
			const struct one *o = &g.v[a.cases[it->first + i]];
			d->case_ids[d->ncases++] = o->c.case_id;
			if (o->c.department_id == it->department_id)
				snprintf(d->department, sizeof(d->department), "%s",
				         o->c.department);
		}
		npool += (size_t)it->n;
		{
			/* The title: the start of its oldest case's text. */
			char text[4 * 80 + 1];
			if (store_event_case_excerpt(st, first->c.case_id, text, sizeof(text),
			                             err)) {
				event_draft_free(out);
				goto out;
			}
			excerpt(text, head, sizeof(head), 40);
		}
		if (it->enterprises > 1)
			snprintf(d->title, sizeof(d->title), "%s（%d家企业）", head,
			         it->enterprises);
		else
			snprintf(d->title, sizeof(d->title), "%s", head);
	}
	rc = 0;
	goto out;
oom:
	err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	event_draft_free(out);
out:
	agenda_free(&a);
	if (sc.x)
		case_index_free(sc.x);
	free(sc.ids);
	free(ac);
	free(g.v);
	free(g.sh);
	return rc;
}

void event_draft_free(struct event_draft *d)
{
	free(d->items);
	free(d->pool);
	memset(d, 0, sizeof(*d));
}
