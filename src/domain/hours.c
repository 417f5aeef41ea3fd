#include "hours.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "enterprise.h"

static const char *const day_codes[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

void hours_init(struct hours *h)
{
	memset(h, 0, sizeof(*h));
}

int hours_empty(const struct hours *h)
{
	return h->nweekly == 0 && h->nexceptions == 0;
}

int hours_time_parse(const char *s, int allow_24, int *minutes)
{
	int hh, mm;

	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	hh = (s[0] - '0') * 10 + (s[1] - '0');
	mm = (s[3] - '0') * 10 + (s[4] - '0');
	/* 24:00 is the end of a day, never a time in it: it closes a span
	 * that runs to midnight and opens none. */
	if (mm > 59 || hh > 24 || (hh == 24 && (mm != 0 || !allow_24)))
		return -1;
	*minutes = hh * 60 + mm;
	return 0;
}

void hours_time_format(int minutes, char out[6])
{
	int hh, mm;

	if (minutes < 0 || minutes > 1440)
		minutes = 0;
	hh = minutes / 60;
	mm = minutes % 60;
	out[0] = (char)('0' + hh / 10);
	out[1] = (char)('0' + hh % 10);
	out[2] = ':';
	out[3] = (char)('0' + mm / 10);
	out[4] = (char)('0' + mm % 10);
	out[5] = '\0';
}

/* Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm,
 * exact for every Gregorian date). */
static long civil_days(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int month_days(int y, int m)
{
	static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

static int date_fields(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 2000 || *y > 2099 || *m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m))
		return -1;
	return 0;
}

int hours_date_valid(const char *s)
{
	int y, m, d;

	return date_fields(s, &y, &m, &d) == 0;
}

long hours_date_days(const char *s)
{
	int y, m, d;

	if (date_fields(s, &y, &m, &d))
		return -1;
	return civil_days(y, m, d);
}

int hours_weekday(long days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	long w = (days + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

void hours_days_date(long days, char out[11])
{
	long z = days + 719468, era, doe, yoe, y, doy, mp, d, m;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0 || y > 9999)
		y = 0;
	/* Digit by digit: the compiler cannot prove the ranges printf
	 * would need. */
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int hours_byday_parse(const char *s, unsigned *days)
{
	unsigned mask = 0;
	const char *p = s;

	if (!s || !*s)
		return -1;
	for (;;) {
		int found = -1;
		for (int i = 0; i < 7; i++)
			if (p[0] == day_codes[i][0] && p[1] == day_codes[i][1])
				found = i;
		if (found < 0 || (mask & (1u << found)))
			return -1;
		mask |= 1u << found;
		p += 2;
		if (!*p)
			break;
		if (*p != ',')
			return -1;
		p++;
	}
	*days = mask;
	return 0;
}

void hours_byday_format(unsigned days, char out[21])
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < 7; i++)
		if (days & (1u << i))
			len += (size_t)snprintf(out + len, 21 - len, "%s%s", len ? "," : "",
			                        day_codes[i]);
}

/* A span's length in minutes: past midnight when it closes before it
 * opens. */
static int span_len(int opens, int closes)
{
	return closes > opens ? closes - opens : closes + 1440 - opens;
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */

struct reader {
	const char *prefix;
	struct err *e;
	int bad;
};

static void fault(struct reader *rd, const char *path, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fault(struct reader *rd, const char *path, const char *code, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_field(rd->e, path, code, "%s: %s", path, msg);
	rd->bad = 1;
}

static void path_of(char *out, size_t n, const struct reader *rd, const char *list, int i,
                    const char *key)
{
	if (key)
		snprintf(out, n, "%s.%s[%d].%s", rd->prefix, list, i, key);
	else
		snprintf(out, n, "%s.%s[%d]", rd->prefix, list, i);
}

/* Checks the keys of an object against the known ones. */
static void only_keys(struct reader *rd, const json_t *o, const char *const *known,
                      const char *list, int i)
{
	const char *key;
	json_t *v;
	char path[64];

	json_object_foreach((json_t *)o, key, v)
	{
		int ok = 0;
		for (int k = 0; known[k] && !ok; k++)
			ok = strcmp(key, known[k]) == 0;
		if (ok)
			continue;
		snprintf(path, sizeof(path), "%s.%s[%d]", rd->prefix, list, i);
		fault(rd, path, "unknown_field", "'%.40s' is not a field of an opening rule", key);
	}
}

/* A time field of rule i: *out set, or a fault. */
static int time_field(struct reader *rd, const json_t *o, const char *list, int i, const char *key,
                      int allow_24, int *out)
{
	const json_t *v = json_object_get(o, key);
	char path[64];

	path_of(path, sizeof(path), rd, list, i, key);
	if (!v || json_is_null(v)) {
		fault(rd, path, "required", "is required (HH:MM)");
		return -1;
	}
	if (!json_is_string(v)) {
		fault(rd, path, "wrong_type", "must be a string HH:MM");
		return -1;
	}
	if (hours_time_parse(json_string_value(v), allow_24, out)) {
		fault(rd, path, "invalid_time", "'%.20s' must be HH:MM from 00:00 to %s",
		      json_string_value(v), allow_24 ? "24:00" : "23:59");
		return -1;
	}
	return 0;
}

static int date_field(struct reader *rd, const json_t *o, int i, const char *key, char out[11])
{
	const json_t *v = json_object_get(o, key);
	char path[64];

	path_of(path, sizeof(path), rd, "exceptions", i, key);
	if (!v || json_is_null(v)) {
		fault(rd, path, "required", "is required (a date YYYY-MM-DD)");
		return -1;
	}
	if (!json_is_string(v)) {
		fault(rd, path, "wrong_type", "must be a string YYYY-MM-DD");
		return -1;
	}
	if (!hours_date_valid(json_string_value(v))) {
		fault(rd, path, "invalid_date",
		      "'%.20s' must be a date YYYY-MM-DD from 2000 to 2099", json_string_value(v));
		return -1;
	}
	memcpy(out, json_string_value(v), 11);
	return 0;
}

static void read_weekly(struct reader *rd, const json_t *list, struct hours *h)
{
	static const char *const known[] = {"byday", "opens_at", "closes_at", NULL};
	size_t i;
	json_t *o;
	char path[64];

	if (json_array_size(list) > HOURS_MAX_WEEKLY) {
		snprintf(path, sizeof(path), "%s.weekly", rd->prefix);
		fault(rd, path, "too_many", "at most %d rules", HOURS_MAX_WEEKLY);
		return;
	}
	json_array_foreach(list, i, o)
	{
		struct hours_rule r = {0, 0, 0};
		const json_t *d;
		int ok = 1;

		if (!json_is_object(o)) {
			path_of(path, sizeof(path), rd, "weekly", (int)i, NULL);
			fault(rd, path, "wrong_type",
			      "must be an object {byday, opens_at, closes_at}");
			continue;
		}
		only_keys(rd, o, known, "weekly", (int)i);
		d = json_object_get(o, "byday");
		path_of(path, sizeof(path), rd, "weekly", (int)i, "byday");
		if (!d || json_is_null(d)) {
			fault(rd, path, "required", "is required (days: MO,TU,WE,TH,FR,SA,SU)");
			ok = 0;
		} else if (!json_is_string(d)) {
			fault(rd, path, "wrong_type", "must be a string such as \"MO,TU,WE\"");
			ok = 0;
		} else if (hours_byday_parse(json_string_value(d), &r.days)) {
			fault(rd, path, "invalid_enum",
			      "'%.30s' must be days MO, TU, WE, TH, FR, SA, SU, comma-separated, "
			      "each once",
			      json_string_value(d));
			ok = 0;
		}
		ok &= time_field(rd, o, "weekly", (int)i, "opens_at", 0, &r.opens) == 0;
		ok &= time_field(rd, o, "weekly", (int)i, "closes_at", 1, &r.closes) == 0;
		if (ok && r.opens == r.closes) {
			path_of(path, sizeof(path), rd, "weekly", (int)i, "closes_at");
			fault(rd, path, "empty_span",
			      "must differ from opens_at (a whole day is 00:00 to 24:00)");
			ok = 0;
		}
		if (ok)
			h->weekly[h->nweekly++] = r;
	}
}

static void read_exceptions(struct reader *rd, const json_t *list, struct hours *h)
{
	static const char *const known[] = {"valid_from", "valid_to",    "closed", "opens_at",
	                                    "closes_at",  "description", NULL};
	size_t i;
	json_t *o;
	char path[64];

	if (json_array_size(list) > HOURS_MAX_EXCEPTIONS) {
		snprintf(path, sizeof(path), "%s.exceptions", rd->prefix);
		fault(rd, path, "too_many", "at most %d exceptions", HOURS_MAX_EXCEPTIONS);
		return;
	}
	json_array_foreach(list, i, o)
	{
		struct hours_exception x;
		const json_t *c, *d;
		int ok = 1;

		memset(&x, 0, sizeof(x));
		if (!json_is_object(o)) {
			path_of(path, sizeof(path), rd, "exceptions", (int)i, NULL);
			fault(rd, path, "wrong_type",
			      "must be an object {valid_from, valid_to, closed | opens_at, "
			      "closes_at}");
			continue;
		}
		only_keys(rd, o, known, "exceptions", (int)i);
		ok &= date_field(rd, o, (int)i, "valid_from", x.valid_from) == 0;
		ok &= date_field(rd, o, (int)i, "valid_to", x.valid_to) == 0;
		if (ok) {
			long from = hours_date_days(x.valid_from), to = hours_date_days(x.valid_to);
			path_of(path, sizeof(path), rd, "exceptions", (int)i, "valid_to");
			if (to < from) {
				fault(rd, path, "before_since",
				      "%s must not be before valid_from %s", x.valid_to,
				      x.valid_from);
				ok = 0;
			} else if (to - from + 1 > HOURS_MAX_DAYS) {
				fault(rd, path, "out_of_range",
				      "an exception covers at most %d days; %s to %s is %ld",
				      HOURS_MAX_DAYS, x.valid_from, x.valid_to, to - from + 1);
				ok = 0;
			}
		}
		c = json_object_get(o, "closed");
		if (c && !json_is_null(c) && !json_is_boolean(c)) {
			path_of(path, sizeof(path), rd, "exceptions", (int)i, "closed");
			fault(rd, path, "wrong_type", "must be true or false");
			ok = 0;
		}
		x.closed = json_is_true(c);
		if (x.closed) {
			for (int k = 0; k < 2; k++) {
				const char *key = k ? "closes_at" : "opens_at";
				const json_t *t = json_object_get(o, key);
				if (t && !json_is_null(t)) {
					path_of(path, sizeof(path), rd, "exceptions", (int)i, key);
					fault(rd, path, "not_allowed",
					      "a closed exception has no opening times");
					ok = 0;
				}
			}
		} else {
			ok &= time_field(rd, o, "exceptions", (int)i, "opens_at", 0, &x.opens) == 0;
			ok &=
			    time_field(rd, o, "exceptions", (int)i, "closes_at", 1, &x.closes) == 0;
			if (ok && x.opens == x.closes) {
				path_of(path, sizeof(path), rd, "exceptions", (int)i, "closes_at");
				fault(rd, path, "empty_span",
				      "must differ from opens_at (a whole day is 00:00 to 24:00)");
				ok = 0;
			}
		}
		d = json_object_get(o, "description");
		if (d && !json_is_null(d)) {
			path_of(path, sizeof(path), rd, "exceptions", (int)i, "description");
			if (!json_is_string(d)) {
				fault(rd, path, "wrong_type", "must be a string");
				ok = 0;
			} else if (utf8_chars(json_string_value(d)) < 0 ||
			           utf8_chars(json_string_value(d)) > HOURS_NOTE_MAX ||
			           strlen(json_string_value(d)) >= sizeof(x.description)) {
				fault(rd, path, "too_long", "must be at most %d characters",
				      HOURS_NOTE_MAX);
				ok = 0;
			} else {
				for (const unsigned char *p =
				         (const unsigned char *)json_string_value(d);
				     *p && ok; p++)
					if (*p < 0x20) {
						fault(rd, path, "control_character",
						      "must not contain control characters");
						ok = 0;
					}
				if (ok)
					snprintf(x.description, sizeof(x.description), "%s",
					         json_string_value(d));
			}
		}
		if (ok)
			h->exceptions[h->nexceptions++] = x;
	}
}

/* Two spans of the week overlap: [a, a+la) and [b, b+lb) on a circle of
 * 10080 minutes (Sunday night runs into Monday). */
static int week_overlap(int a, int la, int b, int lb)
{
	for (int shift = -10080; shift <= 10080; shift += 10080)
		if (a < b + shift + lb && b + shift < a + la)
			return 1;
	return 0;
}

static void rule_text(const struct hours_rule *r, int day, char *out, size_t n)
{
	char o[6], c[6];

	hours_time_format(r->opens, o);
	hours_time_format(r->closes, c);
	snprintf(out, n, "%s %s-%s", day_codes[day], o, c);
}

/*
 * The weekly rules must not share a minute: with the days expanded, every
 * pair of spans is compared on the circle of the week.  The later rule is
 * named, with the earlier one it meets.
 */
static void check_weekly(struct reader *rd, const struct hours *h)
{
	for (int j = 1; j < h->nweekly; j++) {
		const struct hours_rule *b = &h->weekly[j];
		int found = 0;
		for (int i = 0; i < j && !found; i++) {
			const struct hours_rule *a = &h->weekly[i];
			for (int da = 0; da < 7 && !found; da++) {
				if (!(a->days & (1u << da)))
					continue;
				for (int db = 0; db < 7 && !found; db++) {
					char ta[32], tb[32], path[64];
					if (!(b->days & (1u << db)) ||
					    !week_overlap(da * 1440 + a->opens,
					                  span_len(a->opens, a->closes),
					                  db * 1440 + b->opens,
					                  span_len(b->opens, b->closes)))
						continue;
					rule_text(a, da, ta, sizeof(ta));
					rule_text(b, db, tb, sizeof(tb));
					snprintf(path, sizeof(path), "%s.weekly[%d]", rd->prefix,
					         j);
					fault(rd, path, "hours_overlap",
					      "%s overlaps %s.weekly[%d] (%s)", tb, rd->prefix, i,
					      ta);
					found = 1;
				}
			}
		}
	}
}

/*
 * Exceptions whose dates meet: a closed one leaves nothing to share its
 * dates with; two open ones may cover the same dates with spans of their
 * own (08:30-11:30 and 13:00-17:00 of one working Saturday) if the spans
 * do not meet.
 */
static void check_exceptions(struct reader *rd, const struct hours *h)
{
	for (int j = 1; j < h->nexceptions; j++) {
		const struct hours_exception *b = &h->exceptions[j];
		for (int i = 0; i < j; i++) {
			const struct hours_exception *a = &h->exceptions[i];
			char path[64];
			if (strcmp(a->valid_from, b->valid_to) > 0 ||
			    strcmp(b->valid_from, a->valid_to) > 0)
				continue;
			snprintf(path, sizeof(path), "%s.exceptions[%d]", rd->prefix, j);
			if (a->closed || b->closed) {
				fault(
				    rd, path, "hours_overlap",
				    "%s to %s overlaps %s.exceptions[%d] (%s to %s), and a closed "
				    "exception shares its dates with none",
				    b->valid_from, b->valid_to, rd->prefix, i, a->valid_from,
				    a->valid_to);
				break;
			}
			if (a->opens < b->opens + span_len(b->opens, b->closes) &&
			    b->opens < a->opens + span_len(a->opens, a->closes)) {
				char ao[6], ac[6], bo[6], bc[6];
				hours_time_format(a->opens, ao);
				hours_time_format(a->closes, ac);
				hours_time_format(b->opens, bo);
				hours_time_format(b->closes, bc);
				fault(rd, path, "hours_overlap",
				      "%s-%s overlaps %s.exceptions[%d] (%s-%s) on the dates both "
				      "cover",
				      bo, bc, rd->prefix, i, ao, ac);
				break;
			}
		}
	}
}

int hours_from_json(const json_t *v, const char *prefix, struct hours *h, struct err *e)
{
	static const char *const known[] = {"weekly", "exceptions", NULL};
	struct reader rd = {prefix, e, 0};
	const char *key;
	json_t *x;
	char path[64];

	hours_init(h);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v)) {
		err_field(e, prefix, "wrong_type",
		          "%s: must be an object {\"weekly\": [...], \"exceptions\": [...]}",
		          prefix);
		return -1;
	}
	json_object_foreach((json_t *)v, key, x)
	{
		int ok = 0;
		for (int k = 0; known[k] && !ok; k++)
			ok = strcmp(key, known[k]) == 0;
		if (!ok) {
			fault(&rd, prefix, "unknown_field",
			      "'%.40s' is not a field of the hours (weekly, exceptions)", key);
			continue;
		}
		if (!json_is_null(x) && !json_is_array(x)) {
			snprintf(path, sizeof(path), "%s.%s", prefix, key);
			fault(&rd, path, "wrong_type", "must be an array");
		}
	}
	if (json_is_array(json_object_get(v, "weekly")))
		read_weekly(&rd, json_object_get(v, "weekly"), h);
	if (json_is_array(json_object_get(v, "exceptions")))
		read_exceptions(&rd, json_object_get(v, "exceptions"), h);
	/* Overlaps are judged between rules that are each well formed. */
	if (!rd.bad) {
		check_weekly(&rd, h);
		check_exceptions(&rd, h);
	}
	return rd.bad ? -1 : 0;
}

/* Appends the pieces, NULL-terminated: a list page writes the hours of
 * every row, and formatting them piece by piece instead of through
 * printf made that a sixth of a page's time. */
static void add_all(struct buf *out, ...)
{
	const char *piece;
	va_list ap;

	va_start(ap, out);
	while ((piece = va_arg(ap, const char *)))
		buf_adds(out, piece);
	va_end(ap);
}

void hours_to_json(const struct hours *h, struct buf *out)
{
	char o[6], c[6], days[21];

	buf_adds(out, "{\"weekly\":[");
	for (int i = 0; i < h->nweekly; i++) {
		const struct hours_rule *r = &h->weekly[i];
		hours_byday_format(r->days, days);
		hours_time_format(r->opens, o);
		hours_time_format(r->closes, c);
		add_all(out, i ? ",{\"byday\":\"" : "{\"byday\":\"", days, "\",\"opens_at\":\"", o,
		        "\",\"closes_at\":\"", c, "\"}", (const char *)NULL);
	}
	buf_adds(out, "],\"exceptions\":[");
	for (int i = 0; i < h->nexceptions; i++) {
		const struct hours_exception *x = &h->exceptions[i];
		add_all(out, i ? ",{\"valid_from\":\"" : "{\"valid_from\":\"", x->valid_from,
		        "\",\"valid_to\":\"", x->valid_to, "\"", (const char *)NULL);
		if (x->closed) {
			buf_adds(out, ",\"closed\":true");
		} else {
			hours_time_format(x->opens, o);
			hours_time_format(x->closes, c);
			add_all(out, ",\"closed\":false,\"opens_at\":\"", o, "\",\"closes_at\":\"",
			        c, "\"", (const char *)NULL);
		}
		if (x->description[0]) {
			buf_adds(out, ",\"description\":");
			buf_json_str(out, x->description);
		}
		buf_addc(out, '}');
	}
	buf_adds(out, "]}");
}

int hours_parse_text(const char *text, struct hours *h, struct err *e)
{
	json_error_t je;
	json_t *v;
	int rc;

	hours_init(h);
	if (!text || !*text)
		return 0;
	if (!(v = json_loads(text, JSON_REJECT_DUPLICATES, &je)))
		return err_set(e, ERR_INTERNAL, "invalid_hours", "hours",
		               "stored hours are not JSON: %s", je.text);
	rc = hours_from_json(v, "hours", h, e);
	json_decref(v);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Open or closed                                                       */

int hours_day_spans(const struct hours *h, long days, struct hours_span *out, int n, int *exc)
{
	char date[11];
	int count = 0, first = -1;

	hours_days_date(days, date);
	for (int i = 0; i < h->nexceptions; i++) {
		const struct hours_exception *x = &h->exceptions[i];
		if (strcmp(date, x->valid_from) < 0 || strcmp(date, x->valid_to) > 0)
			continue;
		if (first < 0)
			first = i;
		if (!x->closed && count < n) {
			out[count].start = x->opens;
			out[count].end = x->opens + span_len(x->opens, x->closes);
			count++;
		}
	}
	if (first < 0) {
		unsigned bit = 1u << hours_weekday(days);
		for (int i = 0; i < h->nweekly && count < n; i++) {
			const struct hours_rule *r = &h->weekly[i];
			if (!(r->days & bit))
				continue;
			out[count].start = r->opens;
			out[count].end = r->opens + span_len(r->opens, r->closes);
			count++;
		}
	}
	/* In order of opening, for a reader of one day's hours. */
	for (int i = 1; i < count; i++)
		for (int k = i; k > 0 && out[k].start < out[k - 1].start; k--) {
			struct hours_span t = out[k];
			out[k] = out[k - 1];
			out[k - 1] = t;
		}
	if (exc)
		*exc = first;
	return count;
}

int hours_open_at(const struct hours *h, time_t t)
{
	struct hours_span spans[HOURS_MAX_WEEKLY + HOURS_MAX_EXCEPTIONS];
	long long local = (long long)t + HOURS_UTC_OFFSET;
	long days = (long)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
	int minute = (int)((local - (long long)days * 86400) / 60);
	int n;

	if (hours_empty(h))
		return -1;
	/* The spans that open today ... */
	n = hours_day_spans(h, days, spans, (int)(sizeof(spans) / sizeof(spans[0])), NULL);
	for (int i = 0; i < n; i++)
		if (minute >= spans[i].start && minute < spans[i].end)
			return 1;
	/* ... and those that opened yesterday and run past midnight. */
	n = hours_day_spans(h, days - 1, spans, (int)(sizeof(spans) / sizeof(spans[0])), NULL);
	for (int i = 0; i < n; i++)
		if (spans[i].end > 1440 && minute < spans[i].end - 1440)
			return 1;
	return 0;
}
