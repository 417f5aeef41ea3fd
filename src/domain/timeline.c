/*
 * The timeline's machine-worded entries as facts (see timeline.h): the
 * writer of a detail, and the reader of the notes written before details
 * were kept.
 */
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Writing a detail                                                     */

static void key(struct buf *b, const char *k)
{
	if (b->len && buf_cstr(b)[b->len - 1] != '{')
		buf_addc(b, ',');
	buf_json_str(b, k);
	buf_addc(b, ':');
}

void timeline_open(struct buf *b)
{
	buf_addc(b, '{');
}

void timeline_str(struct buf *b, const char *k, const char *v)
{
	key(b, k);
	buf_json_str(b, v);
}

void timeline_int(struct buf *b, const char *k, long long v)
{
	key(b, k);
	buf_printf(b, "%lld", v);
}

void timeline_bool(struct buf *b, const char *k, int v)
{
	key(b, k);
	buf_adds(b, v ? "true" : "false");
}

const char *timeline_close(struct buf *b)
{
	buf_addc(b, '}');
	return b->failed ? NULL : buf_cstr(b);
}

/* ------------------------------------------------------------------ */
/* Reading the notes of before                                          */

/* A piece of a note: n bytes at s, not NUL-terminated. */
struct span {
	const char *s;
	size_t n;
};

static struct span whole(const char *s)
{
	return (struct span){s, strlen(s)};
}

/* The rest of sp after `prefix`, or {NULL, 0} when it does not start so. */
static struct span after(struct span sp, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!sp.s || sp.n < n || memcmp(sp.s, prefix, n) != 0)
		return (struct span){NULL, 0};
	return (struct span){sp.s + n, sp.n - n};
}

/* Splits sp at the first `sep`: *head before it, the rest after it
 * returned; {NULL, 0} when sep is not there. */
static struct span split(struct span sp, const char *sep, struct span *head)
{
	size_t n = strlen(sep);

	if (!sp.s)
		return sp;
	for (size_t i = 0; i + n <= sp.n; i++)
		if (memcmp(sp.s + i, sep, n) == 0) {
			*head = (struct span){sp.s, i};
			return (struct span){sp.s + i + n, sp.n - i - n};
		}
	return (struct span){NULL, 0};
}

static int equals(struct span sp, const char *s)
{
	return sp.s && sp.n == strlen(s) && memcmp(sp.s, s, sp.n) == 0;
}

static int ends_with(struct span sp, const char *s, struct span *head)
{
	size_t n = strlen(s);

	if (!sp.s || sp.n < n || memcmp(sp.s + sp.n - n, s, n) != 0)
		return 0;
	*head = (struct span){sp.s, sp.n - n};
	return 1;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits in the places of `pattern` ('9'), the other characters as
 * they are. */
static int shaped(struct span sp, const char *pattern)
{
	if (!sp.s || sp.n != strlen(pattern))
		return 0;
	for (size_t i = 0; i < sp.n; i++)
		if (pattern[i] == '9' ? !is_digit(sp.s[i]) : sp.s[i] != pattern[i])
			return 0;
	return 1;
}

static int is_instant(struct span sp)
{
	return shaped(sp, "9999-99-99T99:99:99Z");
}

static int is_date(struct span sp)
{
	return shaped(sp, "9999-99-99");
}

/* A whole number of at most 18 digits. */
static int number(struct span sp, long long *v)
{
	long long x = 0;

	if (!sp.s || !sp.n || sp.n > 18)
		return 0;
	for (size_t i = 0; i < sp.n; i++) {
		if (!is_digit(sp.s[i]))
			return 0;
		x = x * 10 + (sp.s[i] - '0');
	}
	*v = x;
	return 1;
}

/* A word of a code (category, channel, urgency): [a-z0-9_], 1..40. */
static int is_code(struct span sp)
{
	if (!sp.s || !sp.n || sp.n > 40)
		return 0;
	for (size_t i = 0; i < sp.n; i++)
		if (!((sp.s[i] >= 'a' && sp.s[i] <= 'z') || is_digit(sp.s[i]) || sp.s[i] == '_'))
			return 0;
	return 1;
}

static void put_span(struct buf *b, const char *k, struct span sp)
{
	char *s = malloc(sp.n + 1);

	if (!s) {
		b->failed = 1;
		return;
	}
	memcpy(s, sp.s, sp.n);
	s[sp.n] = '\0';
	timeline_str(b, k, s);
	free(s);
}

/* The words after "; " that a person added to a fixed sentence, if any. */
static void put_rest(struct buf *b, const char *k, struct span rest)
{
	if (rest.s && rest.n)
		put_span(b, k, rest);
}

/* "category c, department 7, deadline 2026-…Z, urgency urgent: note" */
static int assign(struct buf *b, struct span note)
{
	struct span facts, rest = split(note, ": ", &facts), item;
	int n = 0;

	if (!rest.s)
		return 0;
	while (facts.n) {
		struct span more = split(facts, ", ", &item), v;
		long long id;
		if (!more.s) {
			item = facts;
			facts = (struct span){facts.s + facts.n, 0};
		} else {
			facts = more;
		}
		if ((v = after(item, "category ")).s && is_code(v))
			put_span(b, "category", v);
		else if ((v = after(item, "department ")).s && number(v, &id))
			timeline_int(b, "department", id);
		else if ((v = after(item, "deadline ")).s && is_instant(v))
			put_span(b, "deadline", v);
		else if ((v = after(item, "urgency ")).s && is_code(v))
			put_span(b, "urgency", v);
		else
			return 0;
		n++;
	}
	if (!n)
		return 0;
	put_rest(b, "note", rest);
	return 1;
}

/* "<sentence> <instant>: escalated to the officer[ and the department]" */
static int escalation(struct buf *b, struct span note, const char *lead, const char *tail)
{
	struct span at, v = after(note, lead);

	if (!v.s || !ends_with(v, tail, &at) || !is_instant(at))
		return 0;
	put_span(b, "deadline", at);
	return 1;
}

static int request(struct buf *b, struct span note)
{
	struct span v, head, rest;

	if ((v = after(note, "extension to ")).s && (rest = split(v, " asked: ", &head)).s &&
	    is_instant(head)) {
		timeline_str(b, "kind", "extension");
		put_span(b, "deadline", head);
	} else if ((v = after(note, "parking until ")).s &&
	           (rest = split(v, " asked: ", &head)).s && is_date(head)) {
		timeline_str(b, "kind", "park");
		put_span(b, "review_on", head);
	} else if ((rest = after(note, "return to the dispatcher asked: ")).s) {
		timeline_str(b, "kind", "return");
	} else {
		return 0;
	}
	put_rest(b, "reason", rest);
	return 1;
}

/* "extension request 12 approved: note" */
static int decision(struct buf *b, struct span note)
{
	static const char *const kinds[] = {"extension", "return", "park"};
	struct span head, rest = split(note, ": ", &head), v, id;
	long long n;

	if (!rest.s)
		return 0;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char lead[32];
		snprintf(lead, sizeof(lead), "%s request ", kinds[i]);
		if (!(v = after(head, lead)).s)
			continue;
		int approved = ends_with(v, " approved", &id);
		if (!approved && !ends_with(v, " refused", &id))
			return 0;
		if (!number(id, &n))
			return 0;
		timeline_str(b, "kind", kinds[i]);
		timeline_int(b, "request", n);
		timeline_bool(b, "approved", approved);
		put_rest(b, "note", rest);
		return 1;
	}
	return 0;
}

/* "could not be reached, try 2 of 3[: the callback is given up][; note]" */
static int callback(struct buf *b, struct span note)
{
	struct span v = after(note, "could not be reached, try "), a, rest, tries;
	long long n, of;
	int given_up = 0;

	if (!(rest = split(v, " of ", &a)).s || !number(a, &n))
		return 0;
	/* The count of tries runs to the first character that is no digit. */
	tries = rest;
	tries.n = 0;
	while (tries.n < rest.n && is_digit(rest.s[tries.n]))
		tries.n++;
	if (!number(tries, &of))
		return 0;
	rest = (struct span){rest.s + tries.n, rest.n - tries.n};
	if ((v = after(rest, ": the callback is given up")).s) {
		given_up = 1;
		rest = v;
	}
	if (rest.n && !(rest = after(rest, "; ")).s)
		return 0;
	timeline_int(b, "try", n);
	timeline_int(b, "tries", of);
	timeline_bool(b, "given_up", given_up);
	put_rest(b, "note", rest);
	return 1;
}

/* "checked on site (photo 4): done as reported[; note]" */
static int site_check(struct buf *b, struct span note)
{
	struct span v = after(note, "checked on site (photo "), id, rest;
	long long n;
	int passed;

	if (!(rest = split(v, "): ", &id)).s || !number(id, &n))
		return 0;
	if ((v = after(rest, "done as reported")).s)
		passed = 1;
	else if ((v = after(rest, "not done as reported")).s)
		passed = 0;
	else
		return 0;
	if (v.n && !(v = after(v, "; ")).s)
		return 0;
	timeline_int(b, "photo", n);
	timeline_bool(b, "passed", passed);
	put_rest(b, "note", v);
	return 1;
}

/* A send-back's reason: "dissatisfied callback (2/5)" or the failed
 * check on site. */
static int send_back_cause(struct buf *b, struct span why)
{
	struct span v = after(why, "dissatisfied callback ("), n;
	long long rating;

	if (v.s && ends_with(v, "/5)", &n) && number(n, &rating)) {
		timeline_str(b, "cause", "callback");
		timeline_int(b, "rating", rating);
		return 1;
	}
	if (equals(why, "the check on site found it not done")) {
		timeline_str(b, "cause", "site_check");
		return 1;
	}
	return 0;
}

/* "…: back to the department" (reopened) or "back to <department>: …"
 * (assigned again), both by the system. */
static int send_back(struct buf *b, const char *action, struct span note)
{
	struct span why, dept, rest;

	if (!strcmp(action, "reopen"))
		return ends_with(note, ": back to the department", &why) && send_back_cause(b, why);
	if ((rest = split(after(note, "back to "), ": ", &dept)).s && dept.n &&
	    send_back_cause(b, rest)) {
		put_span(b, "department", dept);
		return 1;
	}
	return 0;
}

/* A jurisdiction as a transfer's note names it: "<name> <code>", or
 * "jurisdiction <id>" when it could not be read. */
static void jurisdiction(struct buf *b, const char *k, struct span label)
{
	struct span v = after(label, "jurisdiction ");
	long long id;
	size_t sp = label.n;

	if (v.s && number(v, &id)) {
		timeline_int(b, k, id);
		return;
	}
	while (sp > 0 && label.s[sp - 1] != ' ')
		sp--;
	if (sp > 1 && sp < label.n) {
		char name[16];
		put_span(b, k, (struct span){label.s + sp, label.n - sp});
		snprintf(name, sizeof(name), "%s_name", k);
		put_span(b, name, (struct span){label.s, sp - 1});
	} else {
		put_span(b, k, label);
	}
}

static int transfer(struct buf *b, const char *action, struct span note)
{
	struct span label, rest;

	if (!strcmp(action, "transfer_accept")) {
		if (!(label = after(note, "transferred to ")).s || !label.n)
			return 0;
		jurisdiction(b, "to", label);
		return 1;
	}
	rest = !strcmp(action, "transfer") ? split(after(note, "to "), ": ", &label)
	                                   : split(after(note, "returned by "), ": ", &label);
	if (!rest.s || !label.n)
		return 0;
	jurisdiction(b, "to", label);
	put_rest(b, "reason", rest);
	return 1;
}

static int merge(struct buf *b, struct span note)
{
	struct span v = after(note, "merged into case "), id;
	long long n;

	if (v.s && number(v, &n)) {
		timeline_int(b, "into", n);
		return 1;
	}
	if ((v = after(note, "case ")).s && ends_with(v, " merged into this case", &id) &&
	    number(id, &n)) {
		timeline_int(b, "merged", n);
		return 1;
	}
	return 0;
}

/* "4/5 note" or "4/5" */
static int rate(struct buf *b, struct span note)
{
	long long n;

	if (note.n < 3 || !is_digit(note.s[0]) || memcmp(note.s + 1, "/5", 2) != 0 ||
	    (note.n > 3 && note.s[3] != ' '))
		return 0;
	n = note.s[0] - '0';
	if (n < 1 || n > 5)
		return 0;
	timeline_int(b, "rating", n);
	if (note.n > 4)
		put_span(b, "note", (struct span){note.s + 4, note.n - 4});
	return 1;
}

static int parse(struct buf *b, const char *action, const char *actor, struct span note)
{
	struct span v, head;
	int system = actor && !strcmp(actor, "system");

	if (!strcmp(action, "intake"))
		return is_code(note) ? (put_span(b, "channel", note), 1) : 0;
	if (!strcmp(action, "assign"))
		return assign(b, note);
	if (!strcmp(action, "photo")) {
		if (!equals(note, "image/jpeg") && !equals(note, "image/png") &&
		    !equals(note, "image/webp"))
			return 0;
		put_span(b, "type", note);
		return 1;
	}
	if (!strcmp(action, "escalate"))
		return escalation(b, note, "past its deadline ", ": escalated to the officer");
	if (!strcmp(action, "escalate_dispatch"))
		return escalation(b, note, "not dispatched by its deadline ",
		                  ": escalated to the officer");
	if (!strcmp(action, "escalate_reply"))
		return escalation(b, note, "no first reply by its deadline ",
		                  ": escalated to the officer and the department");
	if (!strcmp(action, "request"))
		return request(b, note);
	if (!strcmp(action, "decision"))
		return decision(b, note);
	if (!strcmp(action, "extension")) {
		if (!(v = after(note, "time limit extended to ")).s || !is_instant(v))
			return 0;
		put_span(b, "deadline", v);
		return 1;
	}
	if (!strcmp(action, "park")) {
		if (!(v = after(note, "waiting on a matter outside the town: the time limit stands "
		                      "still until it is looked at again on "))
		         .s ||
		    !is_date(v))
			return 0;
		put_span(b, "review_on", v);
		return 1;
	}
	if (!strcmp(action, "return")) {
		struct span rest =
		    split(after(note, "returned by "), " to be routed again: ", &head);
		if (!rest.s || !head.n)
			return 0;
		put_span(b, "department", head);
		put_rest(b, "reason", rest);
		return 1;
	}
	if (!strcmp(action, "resume")) {
		if (!system)
			return 0;
		if ((v = after(note, "review date ")).s &&
		    ends_with(v, " reached: the clock runs again", &head) && is_date(head)) {
			put_span(b, "review_on", head);
			return 1;
		}
		if ((v = after(note, "moved to ")).s &&
		    ends_with(v, ": the clock runs again", &head) && is_code(head)) {
			put_span(b, "state", head);
			return 1;
		}
		return 0;
	}
	if (!strcmp(action, "callback"))
		return callback(b, note);
	if (!strcmp(action, "site_check"))
		return site_check(b, note);
	if (!strcmp(action, "reopen") || !strcmp(action, "transition"))
		return system && send_back(b, action, note);
	if (!strncmp(action, "transfer", 8))
		return transfer(b, action, note);
	if (!strcmp(action, "merge"))
		return merge(b, note);
	if (!strcmp(action, "rate"))
		return rate(b, note);
	if (!strcmp(action, "erase"))
		return equals(note, "the resident's name, phone, e-mail and photos were erased");
	if (!strcmp(action, "raised_at_event")) {
		/* The console's own intake wrote the title after a Chinese
		 * lead; the demo's wrote the title alone. */
		v = after(note, "提出于活动：");
		put_span(b, "title", v.s ? v : note);
		return 1;
	}
	return 0;
}

int timeline_note_detail(const char *action, const char *actor, const char *note, struct buf *out)
{
	struct buf b = BUF_INIT;
	int ok;

	if (!action || !note)
		return 0;
	timeline_open(&b);
	ok = parse(&b, action, actor, whole(note));
	if (ok && timeline_close(&b))
		buf_add(out, b.s, b.len);
	else
		ok = 0;
	buf_release(&b);
	return ok;
}
