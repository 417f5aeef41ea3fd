/*
 * The SQLite backend of the service catalogue (store.h): the services
 * with their locations, contacts and hours (their providers, the
 * organisations, are sqlite_org.c's), the catalogue's search and the
 * walk of a scope's services that printed matter reads.
 *
 * A service's hours are kept as the canonical JSON object of
 * hours_to_json and read back through hours_parse_text, so that what is
 * stored has passed the same rules as what is sent; locations and
 * contacts are rows of their own, as an enterprise's contacts are, and
 * carry the service's district.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"

/* The column of the hours in SVC_COLUMNS, which a list that wants only
 * the open services reads before the rest of the row. */
#define COL_HOURS 19

enum {
	V_GET = XSLOT_SERVICE,
	V_INS,
	V_UPD,
	V_EXISTS,
	V_LOC_DEL,
	V_LOC_INS,
	V_CON_DEL,
	V_CON_INS,
	V_LOCS,
	V_CONS,
	V_REQ_CAT,
	V_REQ_CAT_ADD,
	V_HOURS_TEXT,
	V_HOURS_SIZE,
	V_HOURS_IDS,
	V_END
};
_Static_assert((int)V_END <= XSLOT_SERVICE + 32, "service statements overflow their slots");
_Static_assert(XSLOT_SERVICE + 32 <= STORE_XSTMT, "the service slots lie outside the array");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

/* A write refused by a foreign key: name what it refers to. */
static int reference_fail(struct store *st, struct err *err, const char *field, const char *code,
                          const char *what)
{
	if (db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(err, ERR_INVALID, code, field,
		               "%s: names no %s, or another reference of the record is unknown",
		               field, what);
	return store_db_fail(st, err, "writing the catalogue");
}

/* 0 when a row with the id exists, ERR_NOT_FOUND otherwise: tells a
 * missing record from a stale version after an update changed nothing. */
static int exists(struct store *st, int slot, const char *sql, const char *thing, int64_t id,
                  struct err *err)
{
	struct db_stmt *s = PREP(slot, sql);
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	store_finish(s);
	return store_found(st, rc, thing, id, err);
}

/* ------------------------------------------------------------------ */
/* Services                                                             */

#define SVC_COLUMNS                                                                                \
	"SELECT s.id, s.version, s.organization_id, s.name_zh, s.name_en, s.description_zh, "      \
	"s.description_en, s.category, s.eligibility, s.fees, s.languages, s.documents, s.url, "   \
	"s.email, s.phone, s.status, s.status_reason, coalesce(s.last_verified, ''), "             \
	"s.deadline_hours, s.hours, coalesce(s.offered_by, 0), coalesce(s.approved_by, 0), "       \
	"coalesce(s.approved_at, ''), coalesce(s.created_by, 0), s.jurisdiction_id, "              \
	"s.district_id, s.created_at, s.updated_at, o.name_zh, o.name_en, o.kind, o.phone, "       \
	"coalesce(o.department_id, 0), coalesce(d.name, ''), coalesce(d.name_en, '')"
#define SVC_JOINS                                                                                  \
	" JOIN organisations o ON o.id = s.organization_id LEFT JOIN departments d ON d.id = "     \
	"o.department_id"
#define SVC_SELECT SVC_COLUMNS " FROM services s" SVC_JOINS

/*
 * Hours, read once per text.  Reading a service's hours back through
 * the rules (hours_parse_text) is a JSON parse of 2 to 3 kB, since a
 * year's public holidays and the working days that replace them are in
 * every office's hours: it was three quarters of the time a page of the
 * catalogue took.  Yet a town's services keep a handful of different
 * hours.  So each connection remembers the last texts it read with what
 * they read to; a text always reads to the same hours, so what is
 * remembered is never stale, and a text not remembered is read as before.
 */
#define MEMO_SLOTS 8

#define MEMO_OPEN 64

struct hours_memo {
	struct {
		char *text;
		size_t len;
		unsigned used; /* the tick of its last use: the oldest goes first */
		struct hours h;
	} slot[MEMO_SLOTS];
	unsigned tick;
	/* Whether an hours_id is open in a minute (open_at), the oldest
	 * replaced first; and room to read one. */
	struct {
		int64_t id, minute;
		int open;
	} open[MEMO_OPEN];
	unsigned open_next;
	/* On PostgreSQL, the hours open in one minute as an array literal
	 * ("{3,7}"), and the count and largest id of service_hours it was
	 * judged over (rows are only ever added). */
	struct {
		char *ids;
		int64_t minute, count, max;
	} set;
	struct hours scratch;
};

void store_hours_memo_free(struct hours_memo *m)
{
	if (!m)
		return;
	for (int i = 0; i < MEMO_SLOTS; i++)
		free(m->slot[i].text);
	free(m->set.ids);
	free(m);
}

/* The rules and exceptions in use; what lies past them is left. */
static void hours_copy(struct hours *to, const struct hours *from)
{
	to->nweekly = from->nweekly;
	memcpy(to->weekly, from->weekly, (size_t)from->nweekly * sizeof(from->weekly[0]));
	to->nexceptions = from->nexceptions;
	memcpy(to->exceptions, from->exceptions,
	       (size_t)from->nexceptions * sizeof(from->exceptions[0]));
}

/* As hours_parse_text, through the connection's memo. */
static int hours_read(struct store *st, const char *text, struct hours *h, struct err *e)
{
	struct hours_memo *m = st->hours_memo;
	size_t len = text ? strlen(text) : 0;
	int old = 0;
	char *copy;

	if (!len)
		return hours_parse_text(text, h, e);
	if (!m && !(m = st->hours_memo = calloc(1, sizeof(*m))))
		return hours_parse_text(text, h, e);
	for (int i = 0; i < MEMO_SLOTS; i++) {
		if (m->slot[i].text && m->slot[i].len == len &&
		    !memcmp(m->slot[i].text, text, len)) {
			m->slot[i].used = ++m->tick;
			hours_copy(h, &m->slot[i].h);
			return 0;
		}
		if (m->slot[i].used < m->slot[old].used)
			old = i;
	}
	if (hours_parse_text(text, h, e))
		return -1;
	if (!(copy = malloc(len + 1)))
		return 0; /* read, not remembered */
	memcpy(copy, text, len + 1);
	free(m->slot[old].text);
	m->slot[old].text = copy;
	m->slot[old].len = len;
	m->slot[old].used = ++m->tick;
	hours_copy(&m->slot[old].h, h);
	return 0;
}

/* Splits text at sep into at most max items of size n each. */
static int split(const char *text, char sep, char *items, size_t n, int max)
{
	int count = 0;

	while (text && *text && count < max) {
		const char *end = strchr(text, sep);
		size_t len = end ? (size_t)(end - text) : strlen(text);
		if (len) {
			if (len >= n)
				len = n - 1;
			memcpy(items + (size_t)count * n, text, len);
			items[(size_t)count * n + len] = '\0';
			count++;
		}
		text = end ? end + 1 : NULL;
	}
	return count;
}

static int service_row(struct store *st, struct db_stmt *s, struct service *v, struct err *err)
{
	struct err bad;
	int i = 0;

	memset(v, 0, sizeof(*v));
	v->id = db_column_int64(s, i++);
	v->version = db_column_int64(s, i++);
	v->provider_id = db_column_int64(s, i++);
	store_col_copy(s, i++, v->name_zh, sizeof(v->name_zh));
	store_col_copy(s, i++, v->name_en, sizeof(v->name_en));
	store_col_copy(s, i++, v->description_zh, sizeof(v->description_zh));
	store_col_copy(s, i++, v->description_en, sizeof(v->description_en));
	store_col_copy(s, i++, v->category, sizeof(v->category));
	store_col_copy(s, i++, v->eligibility, sizeof(v->eligibility));
	store_col_copy(s, i++, v->fees, sizeof(v->fees));
	v->nlanguages = split((const char *)db_column_text(s, i++), ',', &v->languages[0][0],
	                      sizeof(v->languages[0]), SVC_MAX_LANGS);
	v->ndocuments = split((const char *)db_column_text(s, i++), '\n', &v->documents[0][0],
	                      sizeof(v->documents[0]), SVC_MAX_DOCS);
	store_col_copy(s, i++, v->url, sizeof(v->url));
	store_col_copy(s, i++, v->email, sizeof(v->email));
	store_col_copy(s, i++, v->phone, sizeof(v->phone));
	service_status_parse((const char *)db_column_text(s, i++), &v->status);
	store_col_copy(s, i++, v->status_reason, sizeof(v->status_reason));
	store_col_copy(s, i++, v->last_verified, sizeof(v->last_verified));
	v->deadline_hours = db_column_int(s, i++);
	err_clear(&bad);
	i++; /* COL_HOURS */
	if (hours_read(st, (const char *)db_column_text(s, COL_HOURS), &v->hours, &bad))
		return err_set(err, ERR_INTERNAL, "database_error", "hours",
		               "the stored hours of service %lld do not read back: %s",
		               (long long)v->id, bad.message);
	v->offered_by = db_column_int64(s, i++);
	v->approved_by = db_column_int64(s, i++);
	store_col_copy(s, i++, v->approved_at, sizeof(v->approved_at));
	v->created_by = db_column_int64(s, i++);
	v->jurisdiction_id = db_column_int64(s, i++);
	v->district_id = db_column_int64(s, i++);
	store_col_copy(s, i++, v->created_at, sizeof(v->created_at));
	store_col_copy(s, i++, v->updated_at, sizeof(v->updated_at));
	store_col_copy(s, i++, v->provider_zh, sizeof(v->provider_zh));
	store_col_copy(s, i++, v->provider_en, sizeof(v->provider_en));
	store_col_copy(s, i++, v->provider_kind, sizeof(v->provider_kind));
	store_col_copy(s, i++, v->provider_phone, sizeof(v->provider_phone));
	v->department_id = db_column_int64(s, i++);
	store_col_copy(s, i++, v->department, sizeof(v->department));
	store_col_copy(s, i++, v->department_en, sizeof(v->department_en));
	return 0;
}

/* The locations and contacts of v, in their order. */
static int service_children(struct store *st, struct service *v, struct err *err)
{
	struct db_stmt *s = PREP(V_LOCS, "SELECT name, address, lon, lat FROM service_locations "
	                                 "WHERE service_id = ?1 ORDER BY pos");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, v->id);
	v->nlocations = 0;
	while ((rc = db_step(s)) == SQLITE_ROW && v->nlocations < SVC_MAX_LOCATIONS) {
		struct service_location *l = &v->locations[v->nlocations++];
		store_col_copy(s, 0, l->name, sizeof(l->name));
		store_col_copy(s, 1, l->address, sizeof(l->address));
		l->located = db_column_type(s, 2) != SQLITE_NULL;
		l->lon = db_column_double(s, 2);
		l->lat = db_column_double(s, 3);
	}
	store_finish(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_fail(st, err, "reading a service's locations");
	if (!(s = PREP(V_CONS, "SELECT name, title, phone, email FROM service_contacts WHERE "
	                       "service_id = ?1 ORDER BY pos")))
		return -1;
	db_bind_int64(s, 1, v->id);
	v->ncontacts = 0;
	while ((rc = db_step(s)) == SQLITE_ROW && v->ncontacts < SVC_MAX_CONTACTS) {
		struct service_contact *c = &v->contacts[v->ncontacts++];
		store_col_copy(s, 0, c->name, sizeof(c->name));
		store_col_copy(s, 1, c->title, sizeof(c->title));
		store_col_copy(s, 2, c->phone, sizeof(c->phone));
		store_col_copy(s, 3, c->email, sizeof(c->email));
	}
	store_finish(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_fail(st, err, "reading a service's contacts");
	return 0;
}

int store_service_get(struct store *st, int64_t id, struct service *v, struct err *err)
{
	struct db_stmt *s = PREP(V_GET, SVC_SELECT " WHERE s.id = ?1");
	int rc, bad = 0;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		bad = service_row(st, s, v, err);
	store_finish(s);
	if (bad || store_found(st, rc, "service", id, err))
		return -1;
	return service_children(st, v, err);
}

static void join(struct buf *b, const char *items, size_t n, int count, char sep)
{
	for (int i = 0; i < count; i++) {
		if (i)
			buf_addc(b, sep);
		buf_adds(b, items + (size_t)i * n);
	}
}

static int write_children(struct store *st, const struct service *v, struct err *err)
{
	struct db_stmt *s;

	if (!(s = PREP(V_LOC_DEL, "DELETE FROM service_locations WHERE service_id = ?1")))
		return -1;
	db_bind_int64(s, 1, v->id);
	if (store_step_done(st, s, err, "replacing a service's locations"))
		return -1;
	if (!(s = PREP(V_CON_DEL, "DELETE FROM service_contacts WHERE service_id = ?1")))
		return -1;
	db_bind_int64(s, 1, v->id);
	if (store_step_done(st, s, err, "replacing a service's contacts"))
		return -1;
	for (int i = 0; i < v->nlocations; i++) {
		const struct service_location *l = &v->locations[i];
		if (!(s = PREP(V_LOC_INS,
		               "INSERT INTO service_locations (service_id, pos, name, "
		               "address, lon, lat, district_id) VALUES (?1, ?2, ?3, ?4, ?5, "
		               "?6, (SELECT district_id FROM services WHERE id = ?1))")))
			return -1;
		db_bind_int64(s, 1, v->id);
		db_bind_int(s, 2, i);
		db_bind_text(s, 3, l->name, -1);
		db_bind_text(s, 4, l->address, -1);
		if (l->located) {
			db_bind_double(s, 5, l->lon);
			db_bind_double(s, 6, l->lat);
		}
		if (store_step_done(st, s, err, "writing a service's location"))
			return -1;
	}
	for (int i = 0; i < v->ncontacts; i++) {
		const struct service_contact *c = &v->contacts[i];
		if (!(s = PREP(V_CON_INS,
		               "INSERT INTO service_contacts (service_id, pos, name, title, "
		               "phone, email, district_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		               "(SELECT district_id FROM services WHERE id = ?1))")))
			return -1;
		db_bind_int64(s, 1, v->id);
		db_bind_int(s, 2, i);
		db_bind_text(s, 3, c->name, -1);
		db_bind_text(s, 4, c->title, -1);
		db_bind_text(s, 5, c->phone, -1);
		db_bind_text(s, 6, c->email, -1);
		if (store_step_done(st, s, err, "writing a service's contact"))
			return -1;
	}
	return 0;
}

int store_service_put(struct store *st, struct service *v, int64_t expected_version,
                      struct err *err)
{
	struct buf langs = BUF_INIT, docs = BUF_INIT, hours = BUF_INIT;
	struct db_stmt *s;
	char now[21];
	int i = 1, rc = -1;

	time_now_iso(now);
	if (!v->jurisdiction_id)
		v->jurisdiction_id = 1;
	join(&langs, &v->languages[0][0], sizeof(v->languages[0]), v->nlanguages, ',');
	join(&docs, &v->documents[0][0], sizeof(v->documents[0]), v->ndocuments, '\n');
	hours_to_json(&v->hours, &hours);
	if (langs.failed || docs.failed || hours.failed) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (v->id)
		s = PREP(
		    V_UPD,
		    "UPDATE services SET organization_id = ?1, name_zh = ?2, name_en = ?3, "
		    "description_zh = ?4, description_en = ?5, category = ?6, eligibility = ?7, "
		    "fees = ?8, languages = ?9, documents = ?10, url = ?11, email = ?12, "
		    "phone = ?13, status = ?14, status_reason = ?15, last_verified = ?16, "
		    "deadline_hours = ?17, hours = ?18, offered_by = ?19, approved_by = ?20, "
		    "approved_at = ?21, jurisdiction_id = ?22, district_id = (SELECT district_id "
		    "FROM jurisdictions WHERE id = ?22), updated_at = ?23, version = version + 1 "
		    "WHERE id = ?24 AND version = ?25");
	else
		s = PREP(
		    V_INS,
		    "INSERT INTO services (organization_id, name_zh, name_en, description_zh, "
		    "description_en, category, eligibility, fees, languages, documents, url, "
		    "email, phone, status, status_reason, last_verified, deadline_hours, hours, "
		    "offered_by, approved_by, approved_at, jurisdiction_id, district_id, "
		    "created_at, updated_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, (SELECT "
		    "district_id FROM jurisdictions WHERE id = ?22), ?23, ?23, ?24)");
	if (!s)
		goto out;
	db_bind_int64(s, i++, v->provider_id);
	db_bind_text(s, i++, v->name_zh, -1);
	db_bind_text(s, i++, v->name_en, -1);
	db_bind_text(s, i++, v->description_zh, -1);
	db_bind_text(s, i++, v->description_en, -1);
	db_bind_text(s, i++, v->category, -1);
	db_bind_text(s, i++, v->eligibility, -1);
	db_bind_text(s, i++, v->fees, -1);
	db_bind_text(s, i++, buf_cstr(&langs), -1);
	db_bind_text(s, i++, buf_cstr(&docs), -1);
	db_bind_text(s, i++, v->url, -1);
	db_bind_text(s, i++, v->email, -1);
	db_bind_text(s, i++, v->phone, -1);
	db_bind_text(s, i++, service_status_name(v->status), -1);
	db_bind_text(s, i++, v->status_reason, -1);
	store_bind_text_or_null(s, i++, v->last_verified);
	db_bind_int(s, i++, v->deadline_hours);
	db_bind_text(s, i++, buf_cstr(&hours), -1);
	store_bind_id_or_null(s, i++, v->offered_by);
	store_bind_id_or_null(s, i++, v->approved_by);
	store_bind_text_or_null(s, i++, v->approved_at);
	db_bind_int64(s, i++, v->jurisdiction_id);
	db_bind_text_copy(s, i++, now, -1);
	if (v->id) {
		db_bind_int64(s, i++, v->id);
		db_bind_int64(s, i++, expected_version);
	} else {
		store_bind_id_or_null(s, i++, v->created_by);
	}
	if (db_step(s) != SQLITE_DONE) {
		reference_fail(st, err, "provider_id", "unknown_provider", "organisation");
		store_finish(s);
		goto out;
	}
	store_finish(s);
	if (!v->id) {
		v->id = db_last_insert_rowid(st->db);
	} else if (db_changes(st->db) == 0) {
		if (!exists(st, V_EXISTS, "SELECT 1 FROM services WHERE id = ?1", "service", v->id,
		            err))
			err_set(err, ERR_STALE, "stale_version", NULL,
			        "service %lld changed since version %lld was read",
			        (long long)v->id, (long long)expected_version);
		goto out;
	}
	if (write_children(st, v, err) == 0)
		rc = store_service_get(st, v->id, v, err);
out:
	buf_release(&langs);
	buf_release(&docs);
	buf_release(&hours);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The catalogue                                                        */

#define MAX_TERMS 8

/* The byte length of the UTF-8 character at p (p is valid UTF-8). */
static size_t char_bytes(const char *p)
{
	unsigned char c = (unsigned char)*p;

	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static size_t chars_in(const char *p, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i += char_bytes(p + i))
		count++;
	return count;
}

/* The words of a query: runs of anything but spaces and tabs. */
struct words {
	int n;
	const char *at[MAX_TERMS];
	size_t len[MAX_TERMS], chars[MAX_TERMS];
};

static void words_of(const char *q, struct words *w)
{
	w->n = 0;
	while (q && *q && w->n < MAX_TERMS) {
		size_t k;
		while (*q == ' ' || *q == '\t')
			q++;
		if (!*q)
			break;
		k = strcspn(q, " \t");
		w->at[w->n] = q;
		w->len[w->n] = k;
		w->chars[w->n++] = chars_in(q, k);
		q += k;
	}
}

/* "%word%" with LIKE's wildcards escaped by '\'. */
static void like_of(const char *p, size_t n, struct buf *out)
{
	buf_addc(out, '%');
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%' || p[i] == '_' || p[i] == '\\')
			buf_addc(out, '\\');
		buf_addc(out, p[i]);
	}
	buf_addc(out, '%');
}

/* The bytes [from, to) as one FTS5 string, quoted so that they are never
 * read as query syntax. */
static void fts_string(const char *from, const char *to, struct buf *out)
{
	buf_addc(out, '"');
	for (; from < to; from++) {
		if (*from == '"')
			buf_addc(out, '"');
		buf_addc(out, *from);
	}
	buf_addc(out, '"');
}

/* Every trigram of the word as an FTS5 string, ANDed: a row holding
 * them all may hold the word, and the LIKE decides. */
static void trigrams_of(const char *p, size_t n, struct buf *out)
{
	size_t a = 0, b, c;

	b = a + char_bytes(p + a);
	c = b + char_bytes(p + b);
	for (int first = 1; c < n; first = 0) {
		size_t end = c + char_bytes(p + c);
		if (!first)
			buf_adds(out, " AND ");
		fts_string(p + a, p + end, out);
		a = b;
		b = c;
		c = end;
	}
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether the n bytes at word occur in text, Latin capitals folded on
 * both sides as SQLite's LIKE folds them. */
static int has_folded(const char *text, const char *word, size_t n)
{
	if (!text)
		return 0;
	for (; *text; text++) {
		size_t i = 0;
		while (i < n && text[i] && ascii_lower(text[i]) == ascii_lower(word[i]))
			i++;
		if (i == n)
			return 1;
	}
	return n == 0;
}

/* Whether every word occurs in a name or a description of the row of s
 * (the columns of SVC_COLUMNS): SQLite's LIKE of the word between two
 * '%', its wildcards escaped, which is a search for the bytes. */
static int words_hold(struct db_stmt *s, const struct words *w)
{
	for (int k = 0; k < w->n; k++) {
		int found = 0;
		for (int c = 3; c <= 6 && !found; c++)
			found = has_folded((const char *)db_column_text(s, c), w->at[k], w->len[k]);
		if (!found)
			return 0;
	}
	return 1;
}

/* Runs a list statement and hands each row to fn, those holding the
 * words of decide if it is given; when asked, tells how many rows it
 * read, the last one's id and whether fn stopped it. */
static int walk(struct store *st, struct db_stmt *s, service_fn fn, void *ctx, struct err *err,
                const struct words *decide, int64_t *rows, int64_t *last, int *stopped)
{
	struct service *v = malloc(sizeof(*v));
	int rc, ret = 0;

	if (!v) {
		store_finish(s);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	while ((rc = db_step(s)) == SQLITE_ROW) {
		if (rows)
			++*rows;
		if (last)
			*last = db_column_int64(s, 0);
		if (decide && !words_hold(s, decide))
			continue;
		if (service_row(st, s, v, err) || service_children(st, v, err)) {
			ret = -1;
			break;
		}
		if (fn(ctx, v)) {
			if (stopped)
				*stopped = 1;
			break;
		}
	}
	store_finish(s);
	free(v);
	if (!ret && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_db_fail(st, err, "listing services");
	return ret;
}

/*
 * qy_open(hours_id, at): 1 when the hours of service_hours row hours_id
 * are open at the instant at (seconds since the epoch), 0 otherwise
 * (closed, no hours, hours unknown).  A list of the services open now
 * asks it in its WHERE clause, of the hours_id an index holds, so that
 * a closed service is left out without its row being read.  Each text is
 * judged once a minute per connection: an hours_id always names the same
 * text, and hours change at minutes.
 */
static int open_at(struct store *st, int64_t id, int64_t at, struct err *err)
{
	struct hours_memo *m = st->hours_memo;
	int64_t minute = at / 60;
	struct db_stmt *s;
	int rc, open, slot;

	if (!m && !(m = st->hours_memo = calloc(1, sizeof(*m))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	for (int i = 0; i < MEMO_OPEN; i++)
		if (m->open[i].id == id && m->open[i].minute == minute)
			return m->open[i].open;
	if (!(s = PREP(V_HOURS_TEXT, "SELECT text FROM service_hours WHERE id = ?1")))
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		rc = hours_read(st, (const char *)db_column_text(s, 0), &m->scratch, err);
	else
		rc = store_found(st, rc, "opening hours", id, err);
	store_finish(s);
	if (rc)
		return -1;
	open = hours_open_at(&m->scratch, (time_t)at) == 1;
	slot = (int)(m->open_next++ % MEMO_OPEN);
	m->open[slot].id = id;
	m->open[slot].minute = minute;
	m->open[slot].open = open;
	return open;
}

static void open_fn(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct store *st = sqlite3_user_data(cx);
	struct err err;
	int open;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_int(cx, 0);
		return;
	}
	err_clear(&err);
	open = open_at(st, sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1]), &err);
	if (open < 0)
		sqlite3_result_error(cx, err.message, -1);
	else
		sqlite3_result_int(cx, open);
}

int store_catalogue_register(struct store *st)
{
	if (store_grams_register(db_sqlite(st->db)))
		return -1;
	return sqlite3_create_function(db_sqlite(st->db), "qy_open", 2,
	                               SQLITE_UTF8 | SQLITE_INNOCUOUS, st, open_fn, NULL,
	                               NULL) == SQLITE_OK
	           ? 0
	           : -1;
}

/*
 * PostgreSQL has no qy_open.  There the store judges every text of
 * service_hours itself (open_at, through the same memo) and a list of
 * the services open now names the open ones, "s.hours_id = ANY(...)",
 * which the same indexes hold.  The set is kept for its minute, as
 * open_at keeps each judgement; a text added since (the count or the
 * largest id of service_hours differs: rows are only ever added) has it
 * judged again.  The set is an array literal, "{3,7}"; NULL on a failure
 * (err).
 */
static const char *open_set(struct store *st, int64_t at, struct err *err)
{
	struct hours_memo *m = st->hours_memo;
	int64_t minute = at / 60, count, max, *ids = NULL;
	size_t n = 0, cap = 0;
	struct buf b = BUF_INIT;
	struct db_stmt *s;
	int rc, failed = 0;

	if (!m && !(m = st->hours_memo = calloc(1, sizeof(*m)))) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	if (!(s = PREP(V_HOURS_SIZE, "SELECT count(*), coalesce(max(id), 0) FROM service_hours")))
		return NULL;
	rc = db_step(s);
	count = rc == SQLITE_ROW ? db_column_int64(s, 0) : 0;
	max = rc == SQLITE_ROW ? db_column_int64(s, 1) : 0;
	store_finish(s);
	if (rc != SQLITE_ROW) {
		store_db_fail(st, err, "reading the opening hours");
		return NULL;
	}
	if (m->set.ids && m->set.minute == minute && m->set.count == count && m->set.max == max)
		return m->set.ids;
	/* The ids first, then each judged: open_at runs a statement of its
	 * own for a text it has not judged this minute. */
	if (!(s = PREP(V_HOURS_IDS, "SELECT id FROM service_hours ORDER BY id")))
		return NULL;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			int64_t *more = realloc(ids, (cap = cap ? 2 * cap : 64) * sizeof(*ids));
			if (!more) {
				failed = 1;
				break;
			}
			ids = more;
		}
		ids[n++] = db_column_int64(s, 0);
	}
	store_finish(s);
	if (!failed && rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(ids);
		store_db_fail(st, err, "reading the opening hours");
		return NULL;
	}
	buf_addc(&b, '{');
	for (size_t i = 0; i < n && !failed; i++) {
		int open = open_at(st, ids[i], at, err);
		if (open < 0) {
			free(ids);
			buf_release(&b);
			return NULL;
		}
		if (open)
			buf_printf(&b, "%s%lld", b.len > 1 ? "," : "", (long long)ids[i]);
	}
	buf_addc(&b, '}');
	free(ids);
	if (failed || b.failed) {
		buf_release(&b);
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	free(m->set.ids);
	m->set.ids = buf_detach(&b, NULL);
	m->set.minute = minute;
	m->set.count = count;
	m->set.max = max;
	return m->set.ids;
}

/* A scope sees the services of its subtree and of the nodes above it.
 * The '+' keeps SQLite from walking the index on jurisdictions, which
 * would lose the id order a page is read in. */
#define SCOPE_SEES                                                                                 \
	" AND +s.jurisdiction_id IN (SELECT id FROM jurisdictions WHERE lo BETWEEN :jlo AND :jhi " \
	"OR (lo <= :jlo AND hi >= :jlo))"

static void bind_scope(struct db_stmt *s, const struct jur_scope *scope)
{
	int i;

	if ((i = db_bind_parameter_index(s, ":jlo")))
		db_bind_int64(s, i, scope->lo);
	if ((i = db_bind_parameter_index(s, ":jhi")))
		db_bind_int64(s, i, scope->hi);
}

/*
 * Where the rows of a query of the catalogue come from, in id order, so
 * that a page stops when it is full instead of gathering every match:
 *
 * BY_TRIGRAMS  the trigram index (011) yields the rows that hold every
 *              trigram of every word of three characters or more;
 * BY_GRAMS     without such a word, the index of characters and pairs
 *              (013) yields the rows that hold every word of one or two;
 * BY_ROWS      the services along the index of the filters: status,
 *              category, provider or an enterprise's offers.
 *
 * Without words it is BY_ROWS; with words and no category, provider or
 * offers, the text index.  With both, the one that yields fewer rows:
 * each is counted up to PLAN_CAP rows (a fraction of a millisecond), the
 * text index first; a word found in fewer rows drives the query, else the
 * filters do when fewer rows pass them (all of them: category, provider,
 * jurisdiction, open now), else the text index does.  A frequent word in
 * a category it is rare in, or a category with nothing open now, would
 * otherwise look at every row the other yields.
 *
 * Whichever it is, every filter and every word's LIKE is checked on each
 * row (the filters from the index entry, before the row is read): the
 * indexes narrow, the LIKEs decide, so a query means the same rows
 * whichever way it is answered.
 */
enum drive { BY_ROWS, BY_TRIGRAMS, BY_GRAMS, BY_PG };

#define PLAN_CAP 1000

static const char *fts_of(enum drive d)
{
	return d == BY_TRIGRAMS ? "service_fts" : d == BY_GRAMS ? "service_grams" : NULL;
}

/*
 * The FROM and WHERE clauses of a query of the catalogue, from fixed
 * fragments: the words are parameters :l0.. (LIKE patterns) and :fts
 * (the text index's query).  Through a text index, it is the outer loop
 * (CROSS JOIN keeps it there) and each row it yields is looked up in
 * services_facets, whose entry holds every column the filters read.
 * Walking a provider's or an enterprise's rows, the status and the
 * category are only checked ('+' keeps SQLite from walking their index
 * instead).
 */
static void where_of(const struct service_query *q, struct buf *sql, const struct words *w,
                     enum drive d, int joins)
{
	const char *fts = fts_of(d);
	const char *plus = !fts && (q->provider_id || q->offered_by) ? "+" : "";

	if (fts)
		buf_printf(sql,
		           " FROM %s CROSS JOIN services s INDEXED BY services_facets ON s.id = "
		           "%s.rowid",
		           fts, fts);
	else
		buf_adds(sql, " FROM services s");
	if (joins)
		buf_adds(sql, SVC_JOINS);
	buf_adds(sql, " WHERE true");
	if (fts)
		buf_printf(sql, " AND %s MATCH :fts", fts);
	if (q->status)
		buf_printf(sql, " AND %ss.status = :status", plus);
	/* (The '+'s keep SQLite from gathering both sides of the OR from two
	 * indexes and sorting them, instead of reading in id order.) */
	if (q->own_enterprise)
		buf_adds(sql, " AND (+s.status = 'active' OR +s.offered_by = :own)");
	if (q->category)
		buf_printf(sql, " AND %ss.category = :category", plus);
	if (q->provider_id)
		buf_adds(sql, " AND s.organization_id = :provider");
	if (q->offered_by)
		buf_adds(sql, " AND s.offered_by = :offered");
	if (q->scope.id)
		buf_adds(sql, SCOPE_SEES);
	if (q->open_only)
		buf_adds(sql, " AND qy_open(s.hours_id, :at)");
	if (q->after_id) {
		if (fts)
			buf_printf(sql, " AND %s.rowid > :after", fts);
		else
			buf_adds(sql, " AND s.id > :after");
	}
	/* Each word must occur in a name or a description.  The pattern is
	 * given as CAST(:l AS TEXT), not as the bare parameter: SQLite would
	 * otherwise prepare the statement again whenever the pattern changes,
	 * to see whether the LIKE could walk an index (a pattern that starts
	 * with % never can), and that was a tenth of a page's time. */
	for (int k = 0; k < w->n; k++)
		buf_printf(sql,
		           " AND (s.name_zh LIKE CAST(:l%d AS TEXT) ESCAPE '\\' OR s.name_en LIKE "
		           "CAST(:l%d AS TEXT) ESCAPE '\\' OR s.description_zh LIKE CAST(:l%d AS "
		           "TEXT) ESCAPE '\\' OR s.description_en LIKE CAST(:l%d AS TEXT) ESCAPE "
		           "'\\')",
		           k, k, k, k);
	if (fts)
		buf_printf(sql, " ORDER BY %s.rowid", fts);
	else
		buf_adds(sql, " ORDER BY s.id");
}

/*
 * The same on PostgreSQL (BY_PG), where the services table is read alone
 * and the planner chooses among its indexes: the trigram index
 * service_fts, which an ILIKE of a word of three characters or more
 * uses, or the filters' indexes.  (service_grams, the index over
 * qy_grams(<the four texts>) of migrations-pg 013, is not named: where
 * the planner walks the rows in id order instead, as it does for a
 * frequent word, it would compute qy_grams on each, some 2 ms a row.)
 * ILIKE narrows only: it folds more than Latin capitals (under C.UTF-8,
 * every letter that has a case).  Each word is decided as SQLite's LIKE
 * decides it, with Latin capitals alone folded: by words_hold on each
 * row a list reads, and by LIKE (~~) on the folded texts in a count
 * (fold), its pattern :f folded alike; the second in a list would have
 * the planner expect a handful of rows and gather and sort them all.
 * "Open now" is the set of open_set.  The rows come from s.id > :after
 * (0 for the first), in the order the caller appends.
 */
static void pg_where_of(const struct service_query *q, struct buf *sql, const struct words *w,
                        int joins, int fold)
{
	static const char *const texts[] = {"name_zh", "name_en", "description_zh",
	                                    "description_en"};

	buf_adds(sql, " FROM services s");
	if (joins)
		buf_adds(sql, SVC_JOINS);
	buf_adds(sql, " WHERE s.id > :after");
	if (q->status)
		buf_adds(sql, " AND s.status = :status");
	if (q->own_enterprise)
		buf_adds(sql, " AND (s.status = 'active' OR s.offered_by = :own)");
	if (q->category)
		buf_adds(sql, " AND s.category = :category");
	if (q->provider_id)
		buf_adds(sql, " AND s.organization_id = :provider");
	if (q->offered_by)
		buf_adds(sql, " AND s.offered_by = :offered");
	if (q->scope.id)
		buf_adds(sql, SCOPE_SEES);
	if (q->open_only)
		buf_adds(sql, " AND s.hours_id = ANY(CAST(:open AS bigint[]))");
	for (int k = 0; k < w->n; k++) {
		buf_printf(sql,
		           " AND (s.name_zh ILIKE :l%d OR s.name_en ILIKE :l%d OR s.description_zh "
		           "ILIKE :l%d OR s.description_en ILIKE :l%d)",
		           k, k, k, k);
		for (int c = 0; c < 4 && fold; c++)
			buf_printf(sql,
			           "%s translate(s.%s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
			           "'abcdefghijklmnopqrstuvwxyz') ~~ :f%d%s",
			           c ? " OR" : " AND (", texts[c], k, c == 3 ? ")" : "");
	}
}

/* The bytes [p, p + n) with Latin capitals folded, as SQLite's LIKE and
 * qy_grams fold them. */
static void fold_ascii(const char *p, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++)
		buf_addc(out, ascii_lower(p[i]));
}

/* The text index's query: the trigrams of the long words, or each short
 * word as one token of qy_grams; ANDed. */
static void match_of(const struct words *w, enum drive d, struct buf *out)
{
	int first = 1;

	for (int k = 0; k < w->n; k++) {
		if (d == BY_TRIGRAMS && w->chars[k] < 3)
			continue;
		if (!first)
			buf_adds(out, " AND ");
		first = 0;
		if (d == BY_TRIGRAMS)
			trigrams_of(w->at[k], w->len[k], out);
		else
			fts_string(w->at[k], w->at[k] + w->len[k], out);
	}
}

/* What a query binds on PostgreSQL only: the open set and the size of a
 * chunk of rows (store_services). */
struct pg_args {
	const char *open;
	int64_t chunk;
	int fold; /* the words decided in SQL (a count), not in C */
};

static int bind_query(struct db_stmt *s, const struct service_query *q, const struct words *w,
                      enum drive d, const struct pg_args *pg)
{
	struct buf pat = BUF_INIT;
	char name[16];
	int failed;

#define BIND_TEXT(n, v)                                                                            \
	do {                                                                                       \
		int i_ = db_bind_parameter_index(s, n);                                            \
		if (i_)                                                                            \
			db_bind_text_copy(s, i_, v, -1);                                           \
	} while (0)
#define BIND_INT(n, v)                                                                             \
	do {                                                                                       \
		int i_ = db_bind_parameter_index(s, n);                                            \
		if (i_)                                                                            \
			db_bind_int64(s, i_, v);                                                   \
	} while (0)
	BIND_TEXT(":status", q->status);
	BIND_INT(":own", q->own_enterprise);
	BIND_TEXT(":category", q->category);
	BIND_INT(":provider", q->provider_id);
	BIND_INT(":offered", q->offered_by);
	BIND_INT(":after", q->after_id);
	BIND_INT(":offset", q->offset);
	BIND_INT(":at", (int64_t)q->open_at);
	BIND_INT(":cap", PLAN_CAP);
	bind_scope(s, &q->scope);
	for (int k = 0; k < w->n; k++) {
		buf_reset(&pat);
		like_of(w->at[k], w->len[k], &pat);
		snprintf(name, sizeof(name), ":l%d", k);
		BIND_TEXT(name, buf_cstr(&pat));
	}
	if (d == BY_PG) {
		if (pg->open)
			BIND_TEXT(":open", pg->open);
		BIND_INT(":chunk", pg->chunk);
		for (int k = 0; k < w->n; k++) {
			struct buf folded = BUF_INIT;
			buf_reset(&pat);
			like_of(w->at[k], w->len[k], &pat);
			fold_ascii(buf_cstr(&pat), pat.len, &folded);
			snprintf(name, sizeof(name), ":f%d", k);
			BIND_TEXT(name, buf_cstr(&folded));
			pat.failed |= folded.failed;
			buf_release(&folded);
		}
	} else if (d != BY_ROWS) {
		buf_reset(&pat);
		match_of(w, d, &pat);
		BIND_TEXT(":fts", buf_cstr(&pat));
	}
#undef BIND_TEXT
#undef BIND_INT
	failed = pat.failed;
	buf_release(&pat);
	return failed ? -1 : 0;
}

/* A statement of its text, bound to the query; NULL on a failure (err). */
static struct db_stmt *bound(struct store *st, const struct buf *sql, const struct service_query *q,
                             const struct words *w, enum drive d, const struct pg_args *pg,
                             struct err *err)
{
	struct db_stmt *s;

	if (sql->failed) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	if (!(s = store_list_stmt(st, buf_cstr(sql), err)))
		return NULL;
	if (bind_query(s, q, w, d, pg)) {
		store_finish(s);
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	return s;
}

/* How many rows the way d yields, up to PLAN_CAP: through the text
 * index, those holding the words; along the filters, those passing them
 * all.  -1 on a failure. */
static int64_t yield_of(struct store *st, const struct service_query *q, const struct words *w,
                        enum drive d, struct err *err)
{
	static const struct words none = {0};
	struct buf sql = BUF_INIT;
	const char *fts = fts_of(d);
	struct db_stmt *s;
	int64_t n = -1;
	int rc;

	if (fts) {
		buf_printf(
		    &sql,
		    "SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s MATCH :fts LIMIT :cap) x", fts,
		    fts);
	} else {
		buf_adds(&sql, "SELECT count(*) FROM (SELECT 1");
		where_of(q, &sql, &none, BY_ROWS, 0);
		buf_adds(&sql, " LIMIT :cap) x");
		w = &none;
	}
	if ((s = bound(st, &sql, q, w, d, NULL, err))) {
		if ((rc = db_step(s)) == SQLITE_ROW)
			n = db_column_int64(s, 0);
		else
			store_db_fail(st, err, "planning a search of the catalogue");
		store_finish(s);
	}
	buf_release(&sql);
	return n;
}

static int drive_of(struct store *st, const struct service_query *q, const struct words *w,
                    enum drive *d, struct err *err)
{
	enum drive text = BY_GRAMS;
	int64_t by_text, by_rows;

	*d = BY_ROWS;
	if (!w->n)
		return 0;
	for (int k = 0; k < w->n; k++)
		if (w->chars[k] >= 3)
			text = BY_TRIGRAMS;
	*d = text;
	if (!q->category && !q->provider_id && !q->offered_by)
		return 0;
	if ((by_text = yield_of(st, q, w, text, err)) < 0)
		return -1;
	if (by_text < PLAN_CAP)
		return 0;
	if ((by_rows = yield_of(st, q, w, BY_ROWS, err)) < 0)
		return -1;
	if (by_rows < by_text)
		*d = BY_ROWS;
	return 0;
}

/* The statement of a query: select, then its FROM and WHERE, then tail;
 * pg as bind_query's (NULL on SQLite). */
static struct db_stmt *query_stmt(struct store *st, const struct service_query *q,
                                  const char *select, int joins, const char *tail,
                                  const struct pg_args *pg, struct err *err)
{
	struct buf sql = BUF_INIT;
	struct words w;
	struct db_stmt *s;
	enum drive d;

	words_of(q->q, &w);
	if (db_is_pg(st->db))
		d = BY_PG;
	else if (drive_of(st, q, &w, &d, err))
		return NULL;
	buf_adds(&sql, select);
	if (d == BY_PG)
		pg_where_of(q, &sql, &w, joins, pg->fold);
	else
		where_of(q, &sql, &w, d, joins);
	buf_adds(&sql, tail);
	s = bound(st, &sql, q, &w, d, pg, err);
	buf_release(&sql);
	return s;
}

/* The first chunk a page of the catalogue is read in on PostgreSQL (a
 * page of the default 50 and the row that tells a next one), and the
 * largest. */
#define PG_CHUNK     64
#define PG_CHUNK_MAX 1024

/*
 * On PostgreSQL a statement's rows all come at once, where SQLite's are
 * read as they are stepped and a page stops when it is full.  So the
 * rows are asked for in chunks, each following the last row of the one
 * before (a keyset, as a next page does), until fn has its page or the
 * matches end: a page reads about what it shows, not every match.
 */
static int pg_services(struct store *st, const struct service_query *q, service_fn fn, void *ctx,
                       struct err *err)
{
	struct service_query c = *q;
	struct pg_args pg = {NULL, PG_CHUNK, 0};
	struct words w;

	words_of(q->q, &w);
	if (q->open_only && !(pg.open = open_set(st, (int64_t)q->open_at, err)))
		return -1;
	for (;;) {
		struct db_stmt *s =
		    query_stmt(st, &c, SVC_COLUMNS, 1,
		               c.offset ? " ORDER BY s.id LIMIT :chunk OFFSET :offset"
		                        : " ORDER BY s.id LIMIT :chunk",
		               &pg, err);
		int64_t rows = 0;
		int stopped = 0;

		if (!s || walk(st, s, fn, ctx, err, &w, &rows, &c.after_id, &stopped))
			return -1;
		if (stopped || rows < pg.chunk)
			return 0;
		c.offset = 0;
		if (pg.chunk < PG_CHUNK_MAX)
			pg.chunk *= 4;
	}
}

int store_services(struct store *st, const struct service_query *q, service_fn fn, void *ctx,
                   struct err *err)
{
	struct db_stmt *s;

	if (db_is_pg(st->db))
		return pg_services(st, q, fn, ctx, err);
	s = query_stmt(st, q, SVC_COLUMNS, 1, q->offset ? " LIMIT -1 OFFSET :offset" : "", NULL,
	               err);
	return s ? walk(st, s, fn, ctx, err, NULL, NULL, NULL, NULL) : -1;
}

int store_service_count(struct store *st, const struct service_query *q, int64_t *n,
                        struct err *err)
{
	struct pg_args pg = {NULL, 0, 1};
	struct db_stmt *s;
	int rc;

	*n = 0;
	if (db_is_pg(st->db) && q->open_only && !(pg.open = open_set(st, (int64_t)q->open_at, err)))
		return -1;
	if (!(s = query_stmt(st, q, "SELECT count(*)", 0, "", &pg, err)))
		return -1;
	if ((rc = db_step(s)) == SQLITE_ROW)
		*n = db_column_int64(s, 0);
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "counting services");
}

int store_service_walk(struct store *st, const struct jur_scope *scope, service_fn fn, void *ctx,
                       struct err *err)
{
	struct buf order = BUF_INIT;
	struct db_stmt *s;
	int i;

	/* The resource list's order, as ",policy_consulting,financing,...,":
	 * a category sorts by where it stands in it. */
	buf_addc(&order, ',');
	for (int k = 0; k < service_ncategories; k++)
		buf_printf(&order, "%s,", service_categories[k].code);
	if (order.failed)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	s = store_list_stmt(
	    st,
	    scope && scope->id ? SVC_SELECT " WHERE s.status = 'active'" SCOPE_SEES
	                                    " ORDER BY instr(:order, ',' || s.category || ','), "
	                                    "s.name_zh, s.id"
	                       : SVC_SELECT " WHERE s.status = 'active' ORDER BY instr(:order, ',' "
	                                    "|| s.category || ','), s.name_zh, s.id",
	    err);
	if (!s) {
		buf_release(&order);
		return -1;
	}
	if ((i = db_bind_parameter_index(s, ":order")))
		db_bind_text_copy(s, i, buf_cstr(&order), -1);
	if (scope)
		bind_scope(s, scope);
	buf_release(&order);
	return walk(st, s, fn, ctx, err, NULL, NULL, NULL, NULL);
}

int store_service_request_category(struct store *st, int64_t department_id, int64_t *category_id,
                                   struct err *err)
{
	struct db_stmt *s = PREP(V_REQ_CAT, "SELECT id FROM case_categories WHERE code = "
	                                    "'service_request'");
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	*category_id = rc == SQLITE_ROW ? db_column_int64(s, 0) : 0;
	store_finish(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_fail(st, err, "reading the category of service requests");
	if (*category_id)
		return 0;
	/* Inactive: neither the public form nor Open311 offers it, and
	 * intake takes it only with a service that routes the request. */
	if (!(s = PREP(
	          V_REQ_CAT_ADD,
	          "INSERT INTO case_categories (code, name_zh, name_en, description, "
	          "group_name, keywords, department_id, deadline_hours, attributes, active, "
	          "jurisdiction_id) VALUES ('service_request', '服务申请', 'Service request', "
	          "'企业申请服务资源清单中的服务 / An enterprise asks for a service of the "
	          "catalogue', '企业诉求', 'service_request', ?1, 120, '[]', 0, (SELECT id FROM "
	          "jurisdictions ORDER BY lo LIMIT 1))")))
		return -1;
	db_bind_int64(s, 1, department_id);
	if (store_step_done(st, s, err, "adding the category of service requests"))
		return -1;
	*category_id = db_last_insert_rowid(st->db);
	return 0;
}
