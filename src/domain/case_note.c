#include "case_note.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int case_note_owed(enum case_state to)
{
	return to == CS_REJECTED || to == CS_NOT_ADOPTED || to == CS_REOPENED;
}

int case_note_public(enum case_state to, enum note_asked asked)
{
	if (case_note_owed(to))
		return asked == NOTE_INTERNAL ? -1 : 1;
	return asked == NOTE_INTERNAL ? 0 : 1;
}

static const char *const placeholders[] = {"id", "category", "department", "date"};
#define NPLACEHOLDERS (sizeof(placeholders) / sizeof(placeholders[0]))

/* The length of a placeholder's name at p (just after a '{'), when a
 * lower-case name and '}' follow; 0 otherwise (then the brace is text). */
static size_t name_len(const char *p)
{
	size_t n = 0;

	while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_')
		n++;
	return n && p[n] == '}' ? n : 0;
}

static int known(const char *p, size_t n)
{
	for (size_t i = 0; i < NPLACEHOLDERS; i++)
		if (strlen(placeholders[i]) == n && memcmp(placeholders[i], p, n) == 0)
			return (int)i;
	return -1;
}

int reply_template_check(const char *body, char *bad, size_t n)
{
	if (n)
		bad[0] = '\0';
	for (const char *p = body; p && *p; p++) {
		size_t len;
		if (*p != '{' || !(len = name_len(p + 1)))
			continue;
		if (known(p + 1, len) < 0) {
			if (n)
				snprintf(bad, n, "{%.*s}", (int)len, p + 1);
			return -1;
		}
		p += len + 1;
	}
	return 0;
}

/* Appends s (len bytes) to out; -1 when it does not fit. */
static int put(char *out, size_t n, size_t *used, const char *s, size_t len)
{
	if (*used + len >= n)
		return -1;
	memcpy(out + *used, s, len);
	*used += len;
	out[*used] = '\0';
	return 0;
}

int reply_template_expand(const char *body, const struct template_vars *v, char *out, size_t n)
{
	size_t used = 0;
	char num[24];

	if (!n)
		return -1;
	out[0] = '\0';
	for (const char *p = body; p && *p; p++) {
		size_t len = *p == '{' ? name_len(p + 1) : 0;
		int k = len ? known(p + 1, len) : -1;
		const char *val;
		if (k < 0) {
			if (put(out, n, &used, p, 1))
				goto full;
			continue;
		}
		switch (k) {
		case 0:
			snprintf(num, sizeof(num), "%" PRId64, v->id);
			val = num;
			break;
		case 1:
			val = v->category;
			break;
		case 2:
			val = v->department;
			break;
		default:
			val = v->date;
			break;
		}
		if (val && put(out, n, &used, val, strlen(val)))
			goto full;
		p += len + 1;
	}
	return 0;
full:
	/* Half a reply would read as a whole one. */
	out[0] = '\0';
	return -1;
}

int reply_template_may_keep(const struct principal *p, const char *department)
{
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		return 1;
	case ROLE_HANDLER:
		return p->department[0] && department && strcmp(p->department, department) == 0;
	default:
		return 0;
	}
}
