#include "enterprise.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "industry.h"

static const char *const stage_names[] = {"",          "leading",    "upstream",
                                          "midstream", "downstream", "service"};
static const char *const size_names[] = {"", "micro", "small", "medium", "large"};
static const char *const status_names[] = {"active", "moved_out", "closed"};

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int parse_name(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *chain_stage_name(enum chain_stage s)
{
	return (unsigned)s < (unsigned)NELEM(stage_names) ? stage_names[s] : "";
}

int chain_stage_parse(const char *s, enum chain_stage *out)
{
	int i = parse_name(stage_names, NELEM(stage_names), s);
	if (i < 0)
		return -1;
	*out = (enum chain_stage)i;
	return 0;
}

const char *size_class_name(enum size_class s)
{
	return (unsigned)s < (unsigned)NELEM(size_names) ? size_names[s] : "";
}

int size_class_parse(const char *s, enum size_class *out)
{
	int i = parse_name(size_names, NELEM(size_names), s);
	if (i < 0)
		return -1;
	*out = (enum size_class)i;
	return 0;
}

const char *ent_status_name(enum ent_status s)
{
	return (unsigned)s < (unsigned)NELEM(status_names) ? status_names[s] : "active";
}

int ent_status_parse(const char *s, enum ent_status *out)
{
	int i = parse_name(status_names, NELEM(status_names), s);
	if (i < 0)
		return -1;
	*out = (enum ent_status)i;
	return 0;
}

const struct ent_field ent_fields[] = {
    {"uscc", EF_TEXT, 1, 0, "18 characters of GB 32100-2015 with a valid check character"},
    {"name_zh", EF_TEXT, 0, 0, "at most 100 characters; name_zh or name_en is required"},
    {"name_en", EF_TEXT, 0, 0, "at most 100 characters; name_zh or name_en is required"},
    {"industry", EF_TEXT, 1, 0, "a 4-digit GB/T 4754-2017 class code"},
    {"cluster_id", EF_INT, 0, 0, "the id of an existing cluster"},
    {"stage", EF_ENUM, 0, 0, "one of leading, upstream, midstream, downstream, service"},
    {"size", EF_ENUM, 0, 0, "one of micro, small, medium, large"},
    {"founded", EF_DATE, 0, 0, "a date YYYY-MM-DD between 1800-01-01 and 2100-12-31"},
    {"address", EF_TEXT, 0, 1, "at most 200 characters"},
    {"lon", EF_REAL, 0, 0, "WGS84 longitude between -180 and 180, given with lat"},
    {"lat", EF_REAL, 0, 0, "WGS84 latitude between -90 and 90, given with lon"},
    {"employees", EF_INT, 0, 1, "a whole number between 0 and 10000000"},
    {"status", EF_ENUM, 0, 0, "one of active, moved_out, closed"},
    {"in_park", EF_BOOL, 0, 0,
     "true for an enterprise of the park, false for a partner outside it"},
    {"tags", EF_LIST, 0, 0, "at most 16 tags of at most 32 characters each, without ; or ,"},
    {"contacts", EF_LIST, 0, 1, "at most 8 contacts, each with a name"},
};
const int ent_nfields = NELEM(ent_fields);

const struct ent_field *ent_field_find(const char *name)
{
	for (int i = 0; i < ent_nfields; i++)
		if (strcmp(ent_fields[i].name, name) == 0)
			return &ent_fields[i];
	return NULL;
}

static const char *rule_of(const char *field)
{
	const struct ent_field *f = ent_field_find(field);
	return f ? f->rule : "a known field";
}

void enterprise_init(struct enterprise *e)
{
	memset(e, 0, sizeof(*e));
	e->employees = -1;
	e->status = STATUS_ACTIVE;
	e->in_park = 1;
}

void enterprise_reset(struct enterprise *e)
{
	/* Every scalar and text field lies before the tags; what follows
	 * them is cleared by hand. */
	memset(e, 0, offsetof(struct enterprise, tags));
	e->ncontacts = 0;
	e->created_at[0] = e->updated_at[0] = '\0';
	e->employees = -1;
	e->status = STATUS_ACTIVE;
	e->in_park = 1;
}

long utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;

	while (*p) {
		int len;
		if (*p < 0x80)
			len = 1;
		else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2)
			len = 2;
		else if ((*p & 0xF0) == 0xE0)
			len = 3;
		else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4)
			len = 4;
		else
			return -1;
		for (int i = 1; i < len; i++)
			if ((p[i] & 0xC0) != 0x80)
				return -1;
		/* Reject overlong 3-byte forms and UTF-16 surrogates. */
		if (len == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0)))
			return -1;
		if (len == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90)))
			return -1;
		p += len;
		n++;
	}
	return n;
}

/* Copies text into a fixed field after checking UTF-8, control characters
 * and the character limit. */
/* Whether field is the named one.  Fields are set by name, and a bulk
 * import sets 18 of them per row: the first letter settles most
 * comparisons without a call. */
static inline int field_is(const char *field, const char *name)
{
	return field[0] == name[0] && strcmp(field, name) == 0;
}

/* 1 when text fits a field of cap bytes and maxchars characters and
 * holds no control character: what set_str checks, without a message. */
static int str_fits(const char *text, size_t cap, long maxchars)
{
	long n = utf8_chars(text);

	if (n < 0 || n > maxchars || strlen(text) >= cap)
		return 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return 0;
	return 1;
}

static int set_str(char *dst, size_t cap, const char *field, const char *text, long maxchars,
                   struct err *err)
{
	long n = utf8_chars(text);

	if (n < 0) {
		err_field(err, field, "invalid_utf8", "%s: is not valid UTF-8", field);
		return -1;
	}
	if (n > maxchars || strlen(text) >= cap) {
		err_field(err, field, "too_long", "%s: must be at most %ld characters, got %ld",
		          field, maxchars, n);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		/* C0, DEL and C1 (U+0080..U+009F, UTF-8 C2 80..C2 9F). */
		if (*p < 0x20 || *p == 0x7f || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)) {
			err_field(err, field, "control_character",
			          "%s: must not contain control characters", field);
			return -1;
		}
	}
	memcpy(dst, text, strlen(text) + 1);
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int check_date(const char *s)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	/* All digits where digits belong, so read them as such (a bulk
	 * import reads a million dates). */
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1800 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	return 0;
}

static int parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_real(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int bad(struct err *err, const char *field, const char *code, const char *text)
{
	err_field(err, field, code, "%s: '%.60s' is not valid: must be %s", field, text,
	          rule_of(field));
	return -1;
}

/* The value as text for a message: formatted only when one is needed,
 * since setting a field is on the path of every imported row. */
static int bad_int(struct err *err, const char *field, const char *code, int64_t v)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", (long long)v);
	return bad(err, field, code, text);
}

static int bad_real(struct err *err, const char *field, const char *code, double v)
{
	char text[48];

	snprintf(text, sizeof(text), "%g", v);
	return bad(err, field, code, text);
}

int enterprise_set_int(struct enterprise *e, const char *field, int64_t v, struct err *err)
{
	if (field_is(field, "employees")) {
		if (v < 0 || v > 10000000)
			return bad_int(err, field, "out_of_range", v);
		e->employees = v;
		return 0;
	}
	if (field_is(field, "cluster_id")) {
		/* 0 is no cluster's id; "no cluster" is null or an empty cell. */
		if (v <= 0)
			return bad_int(err, field, "out_of_range", v);
		e->cluster_id = v;
		return 0;
	}
	if (field_is(field, "lon") || field_is(field, "lat"))
		return enterprise_set_real(e, field, (double)v, err);
	err_field(err, field, "wrong_type", "%s: must be %s", field, rule_of(field));
	return -1;
}

int enterprise_set_real(struct enterprise *e, const char *field, double v, struct err *err)
{
	if (field_is(field, "lon")) {
		if (!isfinite(v) || v < -180 || v > 180)
			return bad_real(err, field, "out_of_range", v);
		e->lon = v;
		e->has_location |= 1;
		return 0;
	}
	if (field_is(field, "lat")) {
		if (!isfinite(v) || v < -90 || v > 90)
			return bad_real(err, field, "out_of_range", v);
		e->lat = v;
		e->has_location |= 2;
		return 0;
	}
	if (field_is(field, "employees") || field_is(field, "cluster_id")) {
		if (v != floor(v) || fabs(v) > 1e15) {
			err_field(err, field, "wrong_type", "%s: must be a whole number", field);
			return -1;
		}
		return enterprise_set_int(e, field, (int64_t)v, err);
	}
	err_field(err, field, "wrong_type", "%s: must be %s", field, rule_of(field));
	return -1;
}

int enterprise_add_tag(struct enterprise *e, const char *tag, struct err *err)
{
	char tmp[sizeof(e->tags[0])];

	if (!*tag)
		return 0;
	if (e->ntags >= ENT_MAX_TAGS) {
		err_field(err, "tags", "too_many", "tags: at most %d tags", ENT_MAX_TAGS);
		return -1;
	}
	if (strpbrk(tag, ";,")) {
		err_field(err, "tags", "invalid_tag", "tags: '%.40s' must not contain ';' or ','",
		          tag);
		return -1;
	}
	if (set_str(tmp, sizeof(tmp), "tags", tag, ENT_TAG_MAX, err))
		return -1;
	for (int i = 0; i < e->ntags; i++)
		if (strcmp(e->tags[i], tmp) == 0)
			return 0; /* a repeated tag is the same tag */
	memcpy(e->tags[e->ntags++], tmp, sizeof(tmp));
	return 0;
}

static int check_phone(const char *s)
{
	int digits = 0;

	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr("+- ()", *p))
			return -1;
	}
	return digits >= 5 && digits <= 20 ? 0 : -1;
}

static int check_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || strlen(s) > 254)
		return -1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return -1;
	return at[1] == '.' || s[strlen(s) - 1] == '.' ? -1 : 0;
}

/* "contacts[i].what" for a message. */
static const char *contact_field(char *buf, size_t n, int i, const char *what)
{
	snprintf(buf, n, "contacts[%d].%s", i, what);
	return buf;
}

/* set_str for a field of contact i, whose name ("contacts[0].phone") is
 * formatted only for a message: contacts are set for every imported row. */
static int set_contact_str(char *dst, size_t cap, int i, const char *what, const char *text,
                           long maxchars, struct err *err)
{
	char field[48];

	if (str_fits(text, cap, maxchars)) {
		memcpy(dst, text, strlen(text) + 1);
		return 0;
	}
	return set_str(dst, cap, contact_field(field, sizeof(field), i, what), text, maxchars, err);
}

int enterprise_set_contact(struct enterprise *e, int i, const char *name, const char *role,
                           const char *phone, const char *email, struct err *err)
{
	struct contact c;
	char field[48];
	int bad = 0;

	if (i < 0 || i >= ENT_MAX_CONTACTS) {
		err_field(err, "contacts", "too_many", "contacts: at most %d contacts",
		          ENT_MAX_CONTACTS);
		return -1;
	}
	/* Every part is checked, so that a form or a file hears of all
	 * that is wrong with a contact at once. */
	if (!name || !*name) {
		contact_field(field, sizeof(field), i, "name");
		err_field(err, field, "required", "%s: a contact needs a name", field);
		bad = 1;
	} else {
		bad |= set_contact_str(c.name, sizeof(c.name), i, "name", name, 50, err) != 0;
	}
	c.role[0] = c.phone[0] = c.email[0] = '\0';
	if (role)
		bad |= set_contact_str(c.role, sizeof(c.role), i, "role", role, 50, err) != 0;
	if (phone && *phone &&
	    (check_phone(phone) ||
	     set_contact_str(c.phone, sizeof(c.phone), i, "phone", phone, 32, err))) {
		contact_field(field, sizeof(field), i, "phone");
		err_field(err, field, "invalid_phone",
		          "%s: must be 5 to 20 digits, optionally with + - ( ) and spaces", field);
		bad = 1;
	}
	if (email && *email &&
	    (check_email(email) ||
	     set_contact_str(c.email, sizeof(c.email), i, "email", email, 254, err))) {
		contact_field(field, sizeof(field), i, "email");
		err_field(err, field, "invalid_email",
		          "%s: must be an address such as name@example.cn", field);
		bad = 1;
	}
	if (bad)
		return -1;
	e->contacts[i] = c;
	if (i >= e->ncontacts)
		e->ncontacts = i + 1;
	return 0;
}

int enterprise_set_text(struct enterprise *e, const char *field, const char *text, struct err *err)
{
	char why[160];

	if (field_is(field, "uscc")) {
		if (strlen(text) > USCC_LEN * 2 || utf8_chars(text) < 0)
			return bad(err, field, "invalid_uscc", "(unprintable)");
		/* The check itself is in enterprise_validate(), where the
		 * override is known. */
		if (strlen(text) >= sizeof(e->uscc)) {
			err_field(err, field, "invalid_uscc",
			          "uscc: must be 18 characters, got %ld", utf8_chars(text));
			return -1;
		}
		strcpy(e->uscc, text);
		return 0;
	}
	if (field_is(field, "name_zh"))
		return set_str(e->name_zh, sizeof(e->name_zh), field, text, ENT_NAME_MAX, err);
	if (field_is(field, "name_en"))
		return set_str(e->name_en, sizeof(e->name_en), field, text, ENT_NAME_MAX, err);
	if (field_is(field, "address"))
		return set_str(e->address, sizeof(e->address), field, text, ENT_ADDR_MAX, err);
	if (field_is(field, "industry")) {
		if (industry_check(text, why, sizeof(why))) {
			err_field(err, field, "invalid_industry", "industry: '%.20s' %s", text,
			          why);
			return -1;
		}
		strcpy(e->industry, text);
		return 0;
	}
	if (field_is(field, "founded")) {
		if (*text && check_date(text))
			return bad(err, field, "invalid_date", text);
		strcpy(e->founded, text);
		return 0;
	}
	if (field_is(field, "stage")) {
		if (chain_stage_parse(text, &e->stage))
			return bad(err, field, "invalid_enum", text);
		return 0;
	}
	if (field_is(field, "size")) {
		if (size_class_parse(text, &e->size))
			return bad(err, field, "invalid_enum", text);
		return 0;
	}
	if (field_is(field, "status")) {
		if (ent_status_parse(text, &e->status))
			return bad(err, field, "invalid_enum", text);
		return 0;
	}
	if (field_is(field, "employees") || field_is(field, "cluster_id")) {
		int64_t v;
		if (!*text) {
			if (field[0] == 'e')
				e->employees = -1;
			else
				e->cluster_id = 0;
			return 0;
		}
		if (parse_int(text, &v))
			return bad(err, field, "not_a_number", text);
		return enterprise_set_int(e, field, v, err);
	}
	if (field_is(field, "lon") || field_is(field, "lat")) {
		double v;
		if (!*text) {
			e->has_location &= field[1] == 'o' ? ~1 : ~2;
			return 0;
		}
		if (parse_real(text, &v))
			return bad(err, field, "not_a_number", text);
		return enterprise_set_real(e, field, v, err);
	}
	if (field_is(field, "in_park")) {
		if (!*text || !strcmp(text, "1") || !strcmp(text, "true") || !strcmp(text, "yes"))
			e->in_park = 1;
		else if (!strcmp(text, "0") || !strcmp(text, "false") || !strcmp(text, "no"))
			e->in_park = 0;
		else
			return bad(err, field, "invalid_boolean", text);
		return 0;
	}
	if (field_is(field, "tags")) {
		char tmp[1024];
		char *save = NULL;
		int n0 = e->ntags;
		char old[ENT_MAX_TAGS][sizeof(e->tags[0])];

		if (strlen(text) >= sizeof(tmp))
			return bad(err, field, "too_long", "(too long)");
		strcpy(tmp, text);
		memcpy(old, e->tags, sizeof(old));
		e->ntags = 0;
		for (char *t = strtok_r(tmp, ";,", &save); t; t = strtok_r(NULL, ";,", &save)) {
			while (*t == ' ')
				t++;
			if (enterprise_add_tag(e, t, err)) {
				memcpy(e->tags, old, sizeof(old));
				e->ntags = n0;
				return -1;
			}
		}
		return 0;
	}
	err_field(err, field, "unknown_field", "%s: is not a field of an enterprise", field);
	return -1;
}

int enterprise_validate(const struct enterprise *e, struct err *err)
{
	int before = err->nfields;
	char msg[200];
	int pos = 0;
	char expected = 0;
	enum uscc_result r;

	/* A field already reported bad is not reported again for the rule
	 * its absence now breaks. */
	if (!err_has_field(err, "uscc")) {
		if (!e->uscc[0])
			err_field(err, "uscc", "required", "uscc: is required (%s)",
			          rule_of("uscc"));
		else if ((r = uscc_validate(e->uscc, &pos, &expected)) != USCC_OK &&
		         !(e->uscc_override && r != USCC_BAD_LENGTH && r != USCC_BAD_CHAR)) {
			uscc_describe(r, e->uscc, pos, expected, msg, sizeof(msg));
			err_field(err, "uscc", "invalid_uscc", "uscc: '%s' %s", e->uscc, msg);
		}
	}
	if (!e->name_zh[0] && !e->name_en[0] && !err_has_field(err, "name_zh") &&
	    !err_has_field(err, "name_en"))
		err_field(err, "name_zh", "required", "name_zh: name_zh or name_en is required");
	if (!e->industry[0] && !err_has_field(err, "industry"))
		err_field(err, "industry", "required", "industry: is required (%s)",
		          rule_of("industry"));
	if (e->has_location == 1 && !err_has_field(err, "lat"))
		err_field(err, "lat", "required", "lat: lon was given without lat");
	else if (e->has_location == 2 && !err_has_field(err, "lon"))
		err_field(err, "lon", "required", "lon: lat was given without lon");
	for (int i = 0; i < e->ncontacts; i++) {
		struct enterprise tmp;
		const struct contact *c = &e->contacts[i];

		tmp.ncontacts = 0;
		/* Re-run the contact rules so that contacts assembled cell by
		 * cell (CSV) meet the same rules as those set whole. */
		enterprise_set_contact(&tmp, i, c->name, c->role, c->phone, c->email, err);
	}
	return err->nfields > before ? -1 : 0;
}

void mask_phone(const char *in, char *out, unsigned n)
{
	size_t len = strlen(in);

	/* A mobile number (11 digits and more) keeps its first 3 and last 4;
	 * a shorter one only its last 4, and one of 7 or fewer nothing: the
	 * mask must hide something. */
	if (len <= 7)
		snprintf(out, n, "****");
	else if (len < 11)
		snprintf(out, n, "****%s", in + len - 4);
	else
		snprintf(out, n, "%.3s****%s", in, in + len - 4);
}

void mask_email(const char *in, char *out, unsigned n)
{
	const char *at = strchr(in, '@');

	if (!at || at == in) {
		snprintf(out, n, "***");
		return;
	}
	/* The whole first character, however many bytes its UTF-8 takes. */
	{
		unsigned char c = (unsigned char)in[0];
		int k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (k > at - in)
			k = (int)(at - in);
		snprintf(out, n, "%.*s***%s", k, in, at);
	}
}
