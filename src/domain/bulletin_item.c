#include "bulletin_item.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "enterprise.h" /* utf8_chars */
#include "markdown.h"

static const char *const status_names[] = {"draft", "published", "unpublished"};

const char *bul_status_name(enum bul_status s)
{
	return (unsigned)s < 3 ? status_names[s] : "draft";
}

int bul_may_write(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER;
}

int bul_status_parse(const char *s, enum bul_status *out)
{
	for (int i = 0; i < 3; i++)
		if (s && strcmp(s, status_names[i]) == 0) {
			*out = (enum bul_status)i;
			return 0;
		}
	return -1;
}

int bul_tag_valid(const char *tag)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)tag;
	utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(tag);
	int chars = 0;

	while (len > 0) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, len, &cp);
		if (n <= 0)
			return 0;
		switch (utf8proc_category(cp)) {
		case UTF8PROC_CATEGORY_LU:
		case UTF8PROC_CATEGORY_LL:
		case UTF8PROC_CATEGORY_LT:
		case UTF8PROC_CATEGORY_LM:
		case UTF8PROC_CATEGORY_LO:
		case UTF8PROC_CATEGORY_MN:
		case UTF8PROC_CATEGORY_MC:
		case UTF8PROC_CATEGORY_ND:
		case UTF8PROC_CATEGORY_NL:
		case UTF8PROC_CATEGORY_NO:
			break;
		default:
			if (cp != '-' && cp != '_')
				return 0;
		}
		p += n;
		len -= n;
		chars++;
	}
	return chars >= 1 && chars <= BUL_TAG_MAX;
}

int bul_date_valid(const char *s)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/* A line of text (a title): controls, DEL and the C1 controls refused. */
static int has_control(const char *s, int allow_lines)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (allow_lines && (*p == '\n' || *p == '\r' || *p == '\t'))
			continue;
		if (*p < 0x20 || *p == 0x7f || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return 1;
	}
	return 0;
}

/* 1 when s holds nothing but white space. */
static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static void check_title(const char *t, struct err *err)
{
	long n = utf8_chars(t);

	if (!*t || blank(t))
		err_field(err, "title", "required", "title: is required (the item's headline)");
	else if (n < 0 || n > BUL_TITLE_MAX)
		err_field(err, "title", "too_long", "title: must be at most %d characters",
		          BUL_TITLE_MAX);
	else if (has_control(t, 0))
		err_field(err, "title", "control_character",
		          "title: must be one line, without control characters");
}

static void check_body(const char *body, struct err *err)
{
	long n = utf8_chars(body);
	struct md_fault f;

	if (n < 0 || n > BUL_BODY_MAX) {
		err_field(err, "body", "too_long",
		          "body: must be at most %d characters of Markdown", BUL_BODY_MAX);
		return;
	}
	if (has_control(body, 1)) {
		err_field(err, "body", "control_character",
		          "body: must not contain control characters (but tabs and new lines)");
		return;
	}
	if (md_check(body, strlen(body), &f))
		err_field(err, "body", "unsafe_link",
		          "body: line %d: %s '%.60s' is not allowed; %s", f.line,
		          f.image ? "the image source" : "the link", f.url, f.rule);
}

static void check_tags(const struct bulletin_rec *b, struct err *err)
{
	char path[32];

	for (int i = 0; i < b->ntags; i++) {
		snprintf(path, sizeof(path), "tags[%d]", i);
		if (!bul_tag_valid(b->tags[i])) {
			err_field(err, path, "invalid_tag",
			          "%s: '%.40s' must be 1 to %d letters, digits, '-' or '_' (no "
			          "spaces or punctuation)",
			          path, b->tags[i], BUL_TAG_MAX);
			continue;
		}
		for (int j = 0; j < i; j++)
			if (strcmp(b->tags[i], b->tags[j]) == 0) {
				err_field(err, path, "invalid_tag", "%s: '%.40s' is given twice",
				          path, b->tags[i]);
				break;
			}
	}
}

int bul_validate(const struct bulletin_rec *b, struct err *err)
{
	check_title(b->title, err);
	if (!bul_date_valid(b->date))
		err_field(err, "date", b->date[0] ? "invalid_date" : "required",
		          "date: '%.12s' must be a day YYYY-MM-DD from 1900 to 2100", b->date);
	if (b->ntags < 0 || b->ntags > BUL_TAGS_MAX)
		err_field(err, "tags", "too_many", "tags: at most %d", BUL_TAGS_MAX);
	else
		check_tags(b, err);
	check_body(b->body, err);
	return err->kind != ERR_NONE ? -1 : 0;
}

/* A string field into out (n bytes): 1 when read, 0 when absent, -1
 * when of the wrong type or too long for out (a field error). */
static int text(const json_t *o, const char *name, char *out, size_t n, long maxchars,
                struct err *err)
{
	const json_t *v = json_object_get(o, name);
	const char *s;

	if (!v)
		return 0;
	if (json_is_null(v)) {
		out[0] = '\0';
		return 1;
	}
	if (!json_is_string(v)) {
		err_field(err, name, "wrong_type", "%s: must be a string", name);
		return -1;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		err_field(err, name, "control_character", "%s: must not contain NUL", name);
		return -1;
	}
	if (strlen(s) >= n) {
		err_field(err, name, "too_long", "%s: must be at most %ld characters", name,
		          maxchars);
		return -1;
	}
	memcpy(out, s, strlen(s) + 1);
	return 1;
}

int bul_from_json(const json_t *body, struct bulletin_rec *b, int partial, struct err *err)
{
	const json_t *tags = json_object_get(body, "tags");
	int had_title = text(body, "title", b->title, sizeof(b->title), BUL_TITLE_MAX, err);
	int had_date = 0;
	int had_body = text(body, "body", b->body, sizeof(b->body), BUL_BODY_MAX, err);
	const json_t *date = json_object_get(body, "date");
	int bad_tags = 0;

	/* A date is read whole or not at all: text too long for one is no
	 * date, and is said to be so. */
	if (date && !json_is_null(date)) {
		had_date = 1;
		if (!json_is_string(date))
			err_field(err, "date", "wrong_type", "date: must be a string YYYY-MM-DD");
		else if (json_string_length(date) >= sizeof(b->date))
			err_field(err, "date", "invalid_date", "date: must be a day YYYY-MM-DD");
		else
			snprintf(b->date, sizeof(b->date), "%s", json_string_value(date));
	} else if (date) {
		had_date = 1;
		b->date[0] = '\0';
	}
	if (tags && !json_is_null(tags)) {
		size_t i;
		const json_t *t;
		if (!json_is_array(tags)) {
			err_field(err, "tags", "wrong_type", "tags: must be an array of strings");
			bad_tags = 1;
		} else if (json_array_size(tags) > BUL_TAGS_MAX) {
			err_field(err, "tags", "too_many", "tags: at most %d", BUL_TAGS_MAX);
			bad_tags = 1;
		} else {
			b->ntags = 0;
			json_array_foreach(tags, i, t)
			{
				char path[32];
				snprintf(path, sizeof(path), "tags[%zu]", i);
				if (!json_is_string(t)) {
					err_field(err, path, "wrong_type", "%s: must be a string",
					          path);
					bad_tags = 1;
				} else if (strlen(json_string_value(t)) >= sizeof(b->tags[0]) ||
				           strlen(json_string_value(t)) != json_string_length(t)) {
					err_field(err, path, "invalid_tag",
					          "%s: must be 1 to %d letters, digits, '-' or '_'",
					          path, BUL_TAG_MAX);
					bad_tags = 1;
				} else if (!bul_tag_valid(json_string_value(t))) {
					err_field(
					    err, path, "invalid_tag",
					    "%s: '%.40s' must be 1 to %d letters, digits, '-' "
					    "or '_' (no spaces or punctuation)",
					    path, json_string_value(t), BUL_TAG_MAX);
					bad_tags = 1;
				} else {
					int twice = 0;
					for (int k = 0; k < b->ntags && !twice; k++)
						twice = !strcmp(b->tags[k], json_string_value(t));
					if (twice) {
						err_field(err, path, "invalid_tag",
						          "%s: '%.40s' is given twice", path,
						          json_string_value(t));
						bad_tags = 1;
					} else {
						memcpy(b->tags[b->ntags++], json_string_value(t),
						       strlen(json_string_value(t)) + 1);
					}
				}
			}
		}
	} else if (tags) {
		b->ntags = 0;
	}
	if (!partial) {
		if (!had_title && !err_has_field(err, "title"))
			err_field(err, "title", "required",
			          "title: is required (the item's headline)");
		if (!had_date && !err_has_field(err, "date"))
			err_field(err, "date", "required", "date: is required (YYYY-MM-DD)");
	}
	(void)had_body;
	(void)bad_tags;
	/* The record's own rules, for the fields read well; a field already
	 * named is not named twice. */
	{
		struct err rules;
		err_clear(&rules);
		bul_validate(b, &rules);
		for (int i = 0; i < rules.nfields; i++) {
			const char *f = rules.fields[i].field;
			/* The tags sent were judged as they were read, by their
			 * place in the array sent. */
			if (err_has_field(err, f) || (tags && strncmp(f, "tags", 4) == 0))
				continue;
			if (!partial || json_object_get(body, f))
				err_field(err, f, rules.fields[i].code, "%s",
				          rules.fields[i].message);
		}
	}
	return err->kind != ERR_NONE ? -1 : 0;
}
