#include "case.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {"problem", "suggestion", "complaint", "service_request"};
#define NKINDS ((int)(sizeof(kind_names) / sizeof(kind_names[0])))

static const char *const state_names[CS_NSTATES] = {
    [CS_SUBMITTED] = "submitted",
    [CS_ACCEPTED] = "accepted",
    [CS_REJECTED] = "rejected",
    [CS_ASSIGNED] = "assigned",
    [CS_IN_PROGRESS] = "in_progress",
    [CS_RESOLVED] = "resolved",
    [CS_CLOSED] = "closed",
    [CS_UNDER_REVIEW] = "under_review",
    [CS_ADOPTED] = "adopted",
    [CS_NOT_ADOPTED] = "not_adopted",
    [CS_IMPLEMENTING] = "implementing",
    [CS_IMPLEMENTED] = "implemented",
    [CS_REOPENED] = "reopened",
};

/*
 * An out-of-range value is a bug somewhere else; "unknown" lets it show
 * (and fail a store constraint) instead of passing for a real state.
 */
const char *case_kind_name(enum case_kind k)
{
	return (unsigned)k < (unsigned)NKINDS ? kind_names[k] : "unknown";
}

int case_kind_parse(const char *s, enum case_kind *k)
{
	if (!s)
		return -1;
	for (int i = 0; i < NKINDS; i++) {
		if (strcmp(kind_names[i], s) == 0) {
			*k = (enum case_kind)i;
			return 0;
		}
	}
	return -1;
}

const char *case_state_name(enum case_state s)
{
	return (unsigned)s < CS_NSTATES ? state_names[s] : "unknown";
}

int case_state_parse(const char *s, enum case_state *out)
{
	if (!s)
		return -1;
	for (int i = 0; i < CS_NSTATES; i++) {
		if (strcmp(state_names[i], s) == 0) {
			*out = (enum case_state)i;
			return 0;
		}
	}
	return -1;
}

/* Nothing follows these: a rejected or not adopted case that deserves
 * another look is a new case, so the record of the refusal stands. */
static int state_final(enum case_state s)
{
	return s == CS_CLOSED || s == CS_REJECTED || s == CS_NOT_ADOPTED;
}

int case_state_is_open(enum case_state s)
{
	return (unsigned)s < CS_NSTATES && !state_final(s);
}

/*
 * The lifecycle as a table of steps, for every kind; the adoption path is
 * marked so that the kind is checked in one place.  Reading the table
 * against the diagram in case.h is the review of this module.
 */
struct step {
	enum case_state from, to;
	/* suggestion only, needs a note, is a reopening */
	unsigned suggestion_only : 1;
	unsigned needs_note : 1;
	unsigned reopening : 1;
};

static const struct step steps[] = {
    {CS_SUBMITTED, CS_ACCEPTED, 0, 0, 0},       /* intake */
    {CS_SUBMITTED, CS_REJECTED, 0, 1, 0},       /* why, for the submitter */
    {CS_ACCEPTED, CS_ASSIGNED, 0, 0, 0},        /* dispatch */
    {CS_ASSIGNED, CS_IN_PROGRESS, 0, 0, 0},     /* handling */
    {CS_IN_PROGRESS, CS_RESOLVED, 0, 0, 0},     /* reply */
    {CS_RESOLVED, CS_CLOSED, 0, 0, 0},          /* callback done */
    {CS_RESOLVED, CS_REOPENED, 0, 1, 1},        /* "not fixed" */
    {CS_ACCEPTED, CS_UNDER_REVIEW, 1, 0, 0},    /* a suggestion is weighed */
    {CS_UNDER_REVIEW, CS_ADOPTED, 1, 0, 0},     /* decided to act */
    {CS_UNDER_REVIEW, CS_NOT_ADOPTED, 1, 1, 0}, /* why, for the submitter */
    {CS_ADOPTED, CS_IMPLEMENTING, 1, 0, 0},     /* work begins */
    {CS_IMPLEMENTING, CS_IMPLEMENTED, 1, 0, 0}, /* reported done */
    {CS_IMPLEMENTED, CS_CLOSED, 1, 0, 0},       /* callback done */
    {CS_IMPLEMENTED, CS_REOPENED, 1, 1, 1},     /* "not done" */
    {CS_REOPENED, CS_ASSIGNED, 0, 0, 0},        /* back to a department */
    /* A suggestion may be adopted from wherever it stands before a final
     * state: one dispatched and handled as a problem is often found to be
     * worth carrying out as a plan, and a department must not have to
     * reject it to adopt it anew. */
    {CS_SUBMITTED, CS_ADOPTED, 1, 0, 0},
    {CS_ACCEPTED, CS_ADOPTED, 1, 0, 0},
    {CS_ASSIGNED, CS_ADOPTED, 1, 0, 0},
    {CS_IN_PROGRESS, CS_ADOPTED, 1, 0, 0},
    {CS_RESOLVED, CS_ADOPTED, 1, 0, 0},
    {CS_REOPENED, CS_ADOPTED, 1, 0, 0},
};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

static const struct step *find_step(enum case_state from, enum case_state to)
{
	for (size_t i = 0; i < NSTEPS; i++)
		if (steps[i].from == from && steps[i].to == to)
			return &steps[i];
	return NULL;
}

/*
 * A note of blanks gives no reason.  The ideographic space U+3000 counts:
 * a Chinese input method types it for the space bar.
 */
static int blank(const char *note)
{
	const unsigned char *p = (const unsigned char *)note;

	if (!p)
		return 1;
	while (*p) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
			p += 3;
		else
			return 0;
	}
	return 1;
}

/*
 * The rules are checked so that what a note cannot fix is reported first:
 * a submitter told "a note is needed", who writes one only to hear that
 * the case was already reopened, has been sent on an errand.
 */
enum case_transition_result case_transition_check(const struct case_facts *f, enum case_state to,
                                                  const char *note)
{
	const struct step *st = find_step(f->state, to);

	if (!st)
		return CT_ILLEGAL;
	if (st->suggestion_only && f->kind != CASE_SUGGESTION)
		return CT_WRONG_KIND;
	if (st->reopening) {
		if (f->reopened > 0)
			return CT_REOPEN_USED;
		if (f->days_since_closed > f->reopen_days)
			return CT_REOPEN_EXPIRED;
	}
	if (st->needs_note && blank(note))
		return CT_NEEDS_REASON;
	return CT_OK;
}

int case_allowed_list(const struct case_facts *f, char *out, size_t n)
{
	size_t len = 0;

	if (n == 0)
		return 0;
	out[0] = '\0';
	for (int to = 0; to < CS_NSTATES; to++) {
		const char *name = state_names[to];
		size_t need = strlen(name) + (len ? 2 : 0);

		/* Listed when some note would do: the list answers "what
		 * can this case become", and a note is the caller's to
		 * write. */
		if (case_transition_check(f, (enum case_state)to, "-") != CT_OK)
			continue;
		/* Whole names only: a cut-off state name in an error
		 * message reads as a real one. */
		if (len + need >= n)
			break;
		len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "", name);
	}
	return (int)len;
}

int case_is_overdue(enum case_state s, const char *deadline, const char *now)
{
	/* No deadline, no lateness: a case without a time limit is never
	 * counted against the department. */
	if (!deadline || !*deadline || !now || !*now)
		return 0;
	if (!case_state_is_open(s))
		return 0;
	/* Both in the one fixed-width UTC form, so text order is time
	 * order; at the deadline itself the case is still on time. */
	return strcmp(now, deadline) > 0;
}

/*
 * The length in bytes of the UTF-8 character at p, at least 1.  A broken
 * sequence counts byte by byte, so that masking never cuts a character in
 * half nor reads past the end.
 */
static size_t char_len(const unsigned char *p)
{
	size_t len;

	if (p[0] < 0x80)
		return 1;
	else if ((p[0] & 0xE0) == 0xC0)
		len = 2;
	else if ((p[0] & 0xF0) == 0xE0)
		len = 3;
	else if ((p[0] & 0xF8) == 0xF0)
		len = 4;
	else
		return 1;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 1;
	return len;
}

static size_t count_chars(const char *s)
{
	size_t count = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p += char_len(p))
		count++;
	return count;
}

/* The byte offset of the k-th character (0-based) of s. */
static size_t char_offset(const char *s, size_t k)
{
	const unsigned char *p = (const unsigned char *)s;

	while (k-- > 0 && *p)
		p += char_len(p);
	return (size_t)(p - (const unsigned char *)s);
}

/*
 * Appends len bytes to out (of size n, holding *used bytes and a NUL).
 * When they do not fit, the whole of out is emptied: half a mask ("138")
 * would pass for a whole one.  Returns 0, or -1 when emptied.
 */
static int put(char *out, size_t n, size_t *used, const char *s, size_t len)
{
	if (*used + len >= n) {
		out[0] = '\0';
		*used = 0;
		return -1;
	}
	memcpy(out + *used, s, len);
	*used += len;
	out[*used] = '\0';
	return 0;
}

void case_mask_phone(const char *in, char *out, size_t n)
{
	size_t used = 0, count, tail;

	if (n == 0)
		return;
	out[0] = '\0';
	/* An absent number stays absent: "****" would claim there is one. */
	if (!in || !*in)
		return;
	count = count_chars(in);
	/*
	 * Four stars whatever the number's length, so that the mask does
	 * not tell a mobile number from a landline.  The first three of a
	 * mobile number are only the carrier's prefix.
	 */
	if (count >= 11 && put(out, n, &used, in, char_offset(in, 3)) < 0)
		return;
	if (put(out, n, &used, "****", 4) < 0)
		return;
	if (count >= 8) {
		tail = char_offset(in, count - 4);
		put(out, n, &used, in + tail, strlen(in + tail));
	}
}

void case_mask_name(const char *in, char *out, size_t n)
{
	size_t used = 0, count, stars;

	if (n == 0)
		return;
	out[0] = '\0';
	if (!in)
		return;
	while (*in == ' ' || *in == '\t')
		in++;
	if (!*in)
		return;
	/*
	 * The surname's first character, and as many stars as the rest up
	 * to three: 张伟 keeps its shape, a long romanised name does not
	 * give away its length, and a one-character name still shows a
	 * star so that it does not appear in full.
	 */
	count = count_chars(in);
	stars = count - 1;
	if (stars < 1)
		stars = 1;
	if (stars > 3)
		stars = 3;
	if (put(out, n, &used, in, char_len((const unsigned char *)in)) < 0)
		return;
	put(out, n, &used, "***", stars);
}

static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define CODE_BASE ((int)sizeof(code_alphabet) - 1) /* 31 */
#define CODE_LEN  10

static int code_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(code_alphabet, c);
	return p ? (int)(p - code_alphabet) : -1;
}

/*
 * The check: read the code as a number in base 3 modulo 31, i.e. the
 * character at position i (of 10) weighs 3^(9-i) mod 31, the check
 * character 1, and the whole sums to 0 mod 31.  31 is prime and 3 has
 * order 30 modulo 31, so the ten weights are distinct and non-zero: a
 * changed character changes the sum by w·d, and two swapped characters
 * by (w1 - w2)·d, neither of which is 0 mod 31.  Luhn mod 31, folding
 * doubled values, lets 2 and Z (values 0 and 30) swap unseen.
 */
static int code_sum(const char *code, int len)
{
	int sum = 0;

	for (int i = 0; i < len; i++) {
		int v = code_value(code[i]);
		if (v < 0)
			return -1;
		sum = (sum * 3 + v) % CODE_BASE;
	}
	return sum;
}

void case_tracking_code(const unsigned char random[8], char out[11])
{
	uint64_t r = 0;
	int sum;

	for (int i = 0; i < 8; i++)
		r = r << 8 | random[i];
	/* 31^9 ≈ 2^44.6 codes; the bias from 2^64 mod 31^9 is below
	 * 2^-19 and beside the point for codes that are looked up. */
	for (int i = 0; i < CODE_LEN - 1; i++) {
		out[i] = code_alphabet[r % CODE_BASE];
		r /= CODE_BASE;
	}
	sum = code_sum(out, CODE_LEN - 1);
	out[CODE_LEN - 1] = code_alphabet[(CODE_BASE - sum * 3 % CODE_BASE) % CODE_BASE];
	out[CODE_LEN] = '\0';
}

/*
 * Strict: upper case, ten characters, nothing else.  Folding lower case
 * belongs to the form that takes the input, so that what is stored and
 * looked up is always the one spelling.
 */
int case_tracking_code_valid(const char *code)
{
	if (!code || strlen(code) != CODE_LEN)
		return 0;
	return code_sum(code, CODE_LEN) == 0;
}
