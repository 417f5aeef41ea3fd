/*
 * The booklet's services: the catalogue's active services of the
 * booklet's jurisdictions (store_service_walk: by category in the
 * resource list's order, then by name), each with its provider, contacts
 * and hours as the lines to print (service/booklet.h).
 *
 * The lines are made in both languages at once, as the rest of the
 * booklet's contents are, and the printer picks one.  What the catalogue
 * holds in Chinese only (a contact's name and title, an address, an
 * exception's description) is printed as it is in the English booklet:
 * it is what the enterprise will read on the door and say on the phone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booklet.h"

static const char *const DAY_ZH[7] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
static const char *const DAY_EN[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

/*
 * The descriptions the exceptions of a town's calendar carry, in
 * English: the seven public holidays of the State Council's arrangement
 * and the weekend days worked in their place.  Any other description is
 * printed as it is.
 */
static const struct {
	const char *zh, *en;
} DAY_NAMES[] = {
    {"元旦", "New Year's Day"},         {"春节", "Spring Festival"},
    {"清明节", "Qingming Festival"},    {"劳动节", "Labour Day"},
    {"端午节", "Dragon Boat Festival"}, {"中秋节", "Mid-Autumn Festival"},
    {"国庆节", "National Day"},         {"调休上班", "weekend days worked in lieu"},
};

static const char *day_name_en(const char *zh)
{
	for (size_t i = 0; i < sizeof(DAY_NAMES) / sizeof(DAY_NAMES[0]); i++)
		if (strcmp(zh, DAY_NAMES[i].zh) == 0)
			return DAY_NAMES[i].en;
	return zh;
}

/* ---- lines ---- */

struct lines {
	struct booklet_service_lines *o;
	struct print_bi *v;
	size_t *n, max;
};

/* A new line of the list, its two texts empty; NULL when the list or the
 * storage is full (the line is then left out: a service's rules are
 * bounded so that it does not happen). */
static struct print_bi *line_new(struct lines *l, char **zh, char **en)
{
	struct booklet_service_lines *o = l->o;
	int total = BOOKLET_MAX_CONTACT_LINES + BOOKLET_MAX_HOUR_LINES;

	if (*l->n >= l->max || o->used >= total)
		return NULL;
	*zh = o->text[o->used][0];
	*en = o->text[o->used][1];
	o->used++;
	(*zh)[0] = (*en)[0] = '\0';
	l->v[*l->n].zh = *zh;
	l->v[*l->n].en = *en;
	return &l->v[(*l->n)++];
}

/* Appends to a line's text, cut (at a character's start) where it is
 * full. */
static void cat(char *dst, const char *src)
{
	size_t len = strlen(dst), room = BOOKLET_LINE - 1 - len, n = strlen(src);

	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst + len, src, n);
	dst[len + n] = '\0';
}

static void both(struct lines *l, const char *zh, const char *en)
{
	char *z, *e;

	if (!line_new(l, &z, &e))
		return;
	cat(z, zh);
	cat(e, en);
}

/* A phone number's digits and +, for telling two spellings apart. */
static void digits(const char *s, char *out, size_t n)
{
	size_t k = 0;

	for (; *s && k + 1 < n; s++)
		if ((*s >= '0' && *s <= '9') || *s == '+')
			out[k++] = *s;
	out[k] = '\0';
}

static int same_phone(const char *a, const char *b)
{
	char x[64], y[64];

	digits(a, x, sizeof(x));
	digits(b, y, sizeof(y));
	return x[0] && strcmp(x, y) == 0;
}

/* ---- contacts ---- */

static void contact_lines(const struct service *s, struct lines *l)
{
	int phone_told = 0, email_told = 0, any = 0;
	char *zh, *en;

	for (int i = 0; i < s->ncontacts; i++) {
		const struct service_contact *k = &s->contacts[i];
		const char *who = k->name[0] ? k->name : k->title;
		if (!line_new(l, &zh, &en))
			break;
		cat(zh, who);
		cat(en, who);
		if (k->name[0] && k->title[0]) {
			cat(zh, "（");
			cat(zh, k->title);
			cat(zh, "）");
			cat(en, " (");
			cat(en, k->title);
			cat(en, ")");
		}
		if (k->phone[0]) {
			cat(zh, who[0] ? " " : "");
			cat(zh, k->phone);
			cat(en, who[0] ? " " : "");
			cat(en, k->phone);
			if (same_phone(k->phone, s->phone))
				phone_told = 1;
		}
		if (k->email[0]) {
			cat(zh, " ");
			cat(zh, k->email);
			cat(en, " ");
			cat(en, k->email);
			if (strcmp(k->email, s->email) == 0)
				email_told = 1;
		}
		any = 1;
	}
	if (s->phone[0] && !phone_told && line_new(l, &zh, &en)) {
		cat(zh, "服务电话 ");
		cat(zh, s->phone);
		cat(en, "Phone ");
		cat(en, s->phone);
		any = 1;
	}
	if (s->email[0] && !email_told && line_new(l, &zh, &en)) {
		cat(zh, "邮箱 ");
		cat(zh, s->email);
		cat(en, "E-mail ");
		cat(en, s->email);
		any = 1;
	}
	if (s->url[0] && line_new(l, &zh, &en)) {
		cat(zh, "网址 ");
		cat(zh, s->url);
		cat(en, "Web ");
		cat(en, s->url);
	}
	for (int i = 0; i < s->nlocations; i++) {
		const struct service_location *p = &s->locations[i];
		if (!line_new(l, &zh, &en))
			break;
		cat(zh, "地点 ");
		cat(en, "At ");
		cat(zh, p->name);
		cat(en, p->name);
		if (p->name[0] && p->address[0]) {
			cat(zh, "，");
			cat(en, ", ");
		}
		cat(zh, p->address);
		cat(en, p->address);
	}
	/* Nothing says whom to call: the provider does. */
	if (!any && s->provider_phone[0] && line_new(l, &zh, &en)) {
		cat(zh, "电话 ");
		cat(zh, s->provider_phone);
		cat(en, "Phone ");
		cat(en, s->provider_phone);
	}
}

/* ---- hours ---- */

/* The days of a mask: every day as such, a run of three or more as a
 * range (周一至周五, Mon–Fri), shorter ones one by one. */
static void days_text(unsigned days, char *zh, char *en)
{
	int first = 1;

	if (days == 0x7F) {
		cat(zh, "每天");
		cat(en, "Daily");
		return;
	}
	for (int d = 0; d < 7; d++) {
		int end = d;
		if (!(days & 1u << d))
			continue;
		while (end + 1 < 7 && days & 1u << (end + 1))
			end++;
		if (!first) {
			cat(zh, "、");
			cat(en, ", ");
		}
		first = 0;
		if (end - d >= 2) {
			cat(zh, DAY_ZH[d]);
			cat(zh, "至");
			cat(zh, DAY_ZH[end]);
			cat(en, DAY_EN[d]);
			cat(en, "–");
			cat(en, DAY_EN[end]);
		} else {
			for (int k = d; k <= end; k++) {
				if (k > d) {
					cat(zh, "、");
					cat(en, ", ");
				}
				cat(zh, DAY_ZH[k]);
				cat(en, DAY_EN[k]);
			}
		}
		d = end;
	}
}

static int by_opening(const void *a, const void *b)
{
	const struct hours_rule *x = a, *y = b;
	return (x->opens > y->opens) - (x->opens < y->opens);
}

/* "08:30–11:30", a span past midnight "20:00–次日08:00" / "20:00–08:00
 * next day". */
static void span_text(const struct hours_rule *r, char *zh, char *en)
{
	char o[6], c[6];

	hours_time_format(r->opens, o);
	hours_time_format(r->closes, c);
	cat(zh, o);
	cat(zh, "–");
	cat(en, o);
	cat(en, "–");
	if (r->closes < r->opens) {
		cat(zh, "次日");
		cat(zh, c);
		cat(en, c);
		cat(en, " next day");
	} else {
		cat(zh, c);
		cat(en, c);
	}
}

/* The descriptions of the exceptions that close (closed 1) or open, each
 * once, in the order they first appear, appended: "元旦、春节" / "New
 * Year's Day, Spring Festival".  Returns how many; an exception without
 * a description counts in *unnamed. */
static int exception_names(const struct hours *h, int closed, char *zh, char *en, int *unnamed)
{
	int n = 0;

	*unnamed = 0;
	for (int i = 0; i < h->nexceptions; i++) {
		const struct hours_exception *x = &h->exceptions[i];
		int seen = 0;
		if (!x->closed != !closed)
			continue;
		if (!x->description[0]) {
			(*unnamed)++;
			continue;
		}
		for (int k = 0; k < i && !seen; k++)
			seen = !h->exceptions[k].closed == !closed &&
			       strcmp(h->exceptions[k].description, x->description) == 0;
		if (seen)
			continue;
		if (n++) {
			cat(zh, "、");
			cat(en, ", ");
		}
		cat(zh, x->description);
		cat(en, day_name_en(x->description));
	}
	return n;
}

/* The line of the exceptions that close or open, or none when there are
 * none; 1 when it was made, with its texts in *zh and *en. */
static int exception_line(const struct hours *h, int closed, struct lines *l, char **zh, char **en)
{
	int named, unnamed;

	if (!line_new(l, zh, en))
		return 0;
	cat(*zh, closed ? "休息：" : "另开放：");
	cat(*en, closed ? "Closed: " : "Also open: ");
	named = exception_names(h, closed, *zh, *en, &unnamed);
	if (!named && !unnamed) {
		(*l->n)--;
		l->o->used--;
		return 0;
	}
	if (unnamed) {
		cat(*zh, named ? "等" : "部分日期");
		cat(*en, named ? " and other days" : "some days");
	}
	return 1;
}

static void hours_lines(const struct hours *h, struct lines *l)
{
	struct hours_rule rules[HOURS_MAX_WEEKLY];
	int done[HOURS_MAX_WEEKLY] = {0};
	char *zh, *en, *last_zh = NULL, *last_en = NULL;

	if (hours_empty(h)) {
		both(l, "需预约，请先致电联系", "By appointment: call first");
		return;
	}
	memcpy(rules, h->weekly, (size_t)h->nweekly * sizeof(rules[0]));
	qsort(rules, (size_t)h->nweekly, sizeof(rules[0]), by_opening);
	/* The rules of the same days on one line, in the order of their
	 * first opening in the day. */
	for (int i = 0; i < h->nweekly; i++) {
		int n = 0;
		if (done[i])
			continue;
		if (!line_new(l, &zh, &en))
			return;
		days_text(rules[i].days, zh, en);
		cat(zh, " ");
		cat(en, " ");
		for (int k = i; k < h->nweekly; k++) {
			if (done[k] || rules[k].days != rules[i].days)
				continue;
			done[k] = 1;
			if (n++) {
				cat(zh, "、");
				cat(en, ", ");
			}
			span_text(&rules[k], zh, en);
		}
	}
	for (int closed = 1; closed >= 0; closed--)
		if (exception_line(h, closed, l, &zh, &en)) {
			last_zh = zh;
			last_en = en;
		}
	/* The dates change every year; a booklet is kept for longer. */
	if (last_zh) {
		cat(last_zh, "（日期见在线服务目录）");
		cat(last_en, " (dates in the online catalogue)");
	}
}

void booklet_service_lines(const struct service *s, struct booklet_service_lines *out)
{
	const struct service_category *c = service_category_find(s->category);
	struct lines contacts = {out, out->contacts, &out->s.ncontacts, BOOKLET_MAX_CONTACT_LINES};
	struct lines hours = {out, out->hours, &out->s.nhours, BOOKLET_MAX_HOUR_LINES};

	out->used = 0;
	memset(&out->s, 0, sizeof(out->s));
	out->category.zh = c ? c->name_zh : s->category;
	out->category.en = c ? c->name_en : s->category;
	out->s.name.zh = s->name_zh;
	out->s.name.en = s->name_en;
	out->s.provider.zh = s->provider_zh;
	out->s.provider.en = s->provider_en;
	out->s.contacts = out->contacts;
	out->s.hours = out->hours;
	contact_lines(s, &contacts);
	hours_lines(&s->hours, &hours);
}

struct fill {
	struct booklet_doc *d;
	struct booklet_service_lines *lines;
};

static int service_row(void *ctx, const struct service *s)
{
	struct fill *f = ctx;

	booklet_service_lines(s, f->lines);
	return booklet_add_service(f->d, f->lines->category, &f->lines->s) ? 1 : 0;
}

int booklet_fill_services(struct store *st, const struct booklet_opts *o, struct booklet_doc *d,
                          struct err *err)
{
	struct fill f = {d, malloc(sizeof(*f.lines))};
	int rc;

	if (!f.lines)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL,
		               "out of memory making the booklet");
	rc = store_service_walk(st, &o->scope, service_row, &f, err);
	free(f.lines);
	if (rc == 0 && d->failed)
		rc = err_set(err, ERR_INTERNAL, "out_of_memory", NULL,
		             "out of memory making the booklet");
	return rc;
}
