/*
 * The dashboard's counters of a bulk load, tallied in memory as the rows
 * go in and added to case_counts and enterprise_counts at the end
 * (bulk_counts.h).  The buckets and what each row adds to them are
 * migration 020's, written again here in C:
 *
 *   case_counts: by district, jurisdiction, month of creation in the
 *   town's time, kind, channel, category and department; a case merged
 *   into another is not counted; closed when it has a closing time, on
 *   time when closed and resolved (or closed, never resolved) by its
 *   deadline, rated, the rating's sum, satisfied (4 or 5), reopened, and
 *   adopted / implemented once each when its timeline holds that step.
 *
 *   enterprise_counts: enterprises of the park (in_park = 1) by
 *   district, jurisdiction, cluster (0: none), grid (0: none), size,
 *   stage ('': unknown) and status, with their employees.
 *
 * Times are compared as text, as SQLite compares them.  A load's times
 * come from time_iso(), YYYY-MM-DDTHH:MM:SSZ; any other form makes the
 * tally give up rather than guess how strftime() reads it.
 */
#include <stdlib.h>
#include <string.h>

#include "bulk_counts.h"
#include "sqlite_internal.h"

struct case_key {
	int64_t district, jurisdiction, category, department;
	char month[8], kind[24], channel[24];
};
enum {
	C_CREATED,
	C_CLOSED,
	C_ON_TIME,
	C_RATED,
	C_RATING_SUM,
	C_SATISFIED,
	C_REOPENED,
	C_ADOPTED,
	C_IMPLEMENTED,
	C_N
};

struct ent_key {
	int64_t district, jurisdiction, cluster, grid;
	char size[12], stage[16], status[16];
};
enum { E_ENTERPRISES, E_EMPLOYEES, E_N };

/* An open-addressing table of fixed-size keys, each with nval counts;
 * entries live in one array in the order they were made. */
struct table {
	size_t ksize, nval, len, cap; /* entries */
	unsigned char *ent;           /* len entries of ksize + nval * 8 bytes */
	uint32_t *slot;               /* nslot, 0: empty, else entry + 1 */
	size_t nslot;
};

/* A case of the load: its bucket (UINT32_MAX: not counted) and the
 * steps already counted for it. */
#define NO_BUCKET        UINT32_MAX
#define SEEN_ADOPTED     1
#define SEEN_IMPLEMENTED 2

struct bulk_counts {
	int usable;
	struct table cases, ents;
	int64_t first_case;
	uint32_t *bucket_of; /* by case id - first_case */
	unsigned char *seen;
	size_t ncases, cases_cap;
};

static size_t entry_size(const struct table *t)
{
	return t->ksize + t->nval * sizeof(int64_t);
}

static uint64_t hash(const void *k, size_t n)
{
	const unsigned char *p = k;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

static int grow_slots(struct table *t)
{
	size_t n = t->nslot ? 2 * t->nslot : 1024;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return -1;
	for (size_t i = 0; i < t->len; i++) {
		size_t h = hash(t->ent + i * entry_size(t), t->ksize) & (n - 1);
		while (s[h])
			h = (h + 1) & (n - 1);
		s[h] = (uint32_t)(i + 1);
	}
	free(t->slot);
	t->slot = s;
	t->nslot = n;
	return 0;
}

/* The counts of the key's entry, made zero when new; NULL when out of
 * memory. *index receives the entry's number. */
static int64_t *lookup(struct table *t, const void *key, uint32_t *index)
{
	size_t h, es = entry_size(t);
	unsigned char *e;

	if ((t->len + 1) * 2 > t->nslot && grow_slots(t))
		return NULL;
	h = hash(key, t->ksize) & (t->nslot - 1);
	for (; t->slot[h]; h = (h + 1) & (t->nslot - 1)) {
		e = t->ent + (size_t)(t->slot[h] - 1) * es;
		if (memcmp(e, key, t->ksize) == 0) {
			*index = t->slot[h] - 1;
			return (int64_t *)(void *)(e + t->ksize);
		}
	}
	if (t->len >= NO_BUCKET - 1)
		return NULL;
	if (t->len == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		unsigned char *p = realloc(t->ent, cap * es);
		if (!p)
			return NULL;
		t->ent = p;
		t->cap = cap;
	}
	e = t->ent + t->len * es;
	memcpy(e, key, t->ksize);
	memset(e + t->ksize, 0, t->nval * sizeof(int64_t));
	t->slot[h] = (uint32_t)(t->len + 1);
	*index = (uint32_t)t->len++;
	return (int64_t *)(void *)(e + t->ksize);
}

static int64_t *counts_at(const struct table *t, uint32_t index)
{
	return (int64_t *)(void *)(t->ent + (size_t)index * entry_size(t) + t->ksize);
}

static void table_free(struct table *t)
{
	free(t->ent);
	free(t->slot);
}

struct bulk_counts *bulk_counts_new(int64_t first_case)
{
	struct bulk_counts *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->usable = 1;
	t->first_case = first_case;
	t->cases.ksize = sizeof(struct case_key);
	t->cases.nval = C_N;
	t->ents.ksize = sizeof(struct ent_key);
	t->ents.nval = E_N;
	return t;
}

void bulk_counts_free(struct bulk_counts *t)
{
	if (!t)
		return;
	table_free(&t->cases);
	table_free(&t->ents);
	free(t->bucket_of);
	free(t->seen);
	free(t);
}

int bulk_counts_usable(const struct bulk_counts *t)
{
	return t && t->usable;
}

/* Copies a name into a key's field; a name that does not fit gives up
 * (the key would merge it with another). */
static int field(char *out, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (len >= n)
		return -1;
	memcpy(out, s, len);
	return 0;
}

void bulk_counts_enterprise(struct bulk_counts *t, const struct enterprise *e,
                            int64_t jurisdiction_id, int64_t district_id)
{
	struct ent_key k;
	int64_t *v;
	uint32_t index;

	if (!t || !t->usable || e->in_park != 1)
		return;
	memset(&k, 0, sizeof(k));
	k.district = district_id;
	k.jurisdiction = jurisdiction_id;
	k.cluster = e->cluster_id;
	k.grid = e->grid_id;
	if ((e->size != SIZE_NONE && field(k.size, sizeof(k.size), size_class_name(e->size))) ||
	    (e->stage != STAGE_NONE &&
	     field(k.stage, sizeof(k.stage), chain_stage_name(e->stage))) ||
	    field(k.status, sizeof(k.status), ent_status_name(e->status)) ||
	    !(v = lookup(&t->ents, &k, &index))) {
		t->usable = 0;
		return;
	}
	v[E_ENTERPRISES]++;
	v[E_EMPLOYEES] += e->employees >= 0 ? e->employees : 0;
}

static int digits(const char *s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

int bulk_counts_month(const char *at, char out[8])
{
	int y, m, d, h, mi, s;

	if (strlen(at) != 20 || at[4] != '-' || at[7] != '-' || at[10] != 'T' || at[13] != ':' ||
	    at[16] != ':' || at[19] != 'Z' || digits(at, 4, &y) || digits(at + 5, 2, &m) ||
	    digits(at + 8, 2, &d) || digits(at + 11, 2, &h) || digits(at + 14, 2, &mi) ||
	    digits(at + 17, 2, &s) || y < 1 || m < 1 || m > 12 || d < 1 || d > days_in(y, m) ||
	    h > 23 || mi > 59 || s > 59)
		return -1;
	/* Eight hours on: the next day from 16:00, the next month from the
	 * last day's, the next year from 31 December's. */
	if (h + 8 >= 24 && d == days_in(y, m) && ++m == 13) {
		m = 1;
		if (++y > 9999)
			return -1;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '\0';
	return 0;
}

/* Notes the case's bucket for the events that follow it. */
static int note_case(struct bulk_counts *t, int64_t id, uint32_t bucket)
{
	if (id != t->first_case + (int64_t)t->ncases)
		return -1; /* not the next id: the events could not find it */
	if (t->ncases == t->cases_cap) {
		size_t cap = t->cases_cap ? 2 * t->cases_cap : 4096;
		uint32_t *b = realloc(t->bucket_of, cap * sizeof(*b));
		unsigned char *s;

		if (!b)
			return -1;
		t->bucket_of = b;
		if (!(s = realloc(t->seen, cap)))
			return -1;
		t->seen = s;
		t->cases_cap = cap;
	}
	t->bucket_of[t->ncases] = bucket;
	t->seen[t->ncases++] = 0;
	return 0;
}

void bulk_counts_case(struct bulk_counts *t, const struct case_rec *c, int64_t id,
                      int64_t jurisdiction_id, int64_t district_id)
{
	struct case_key k;
	int64_t *v;
	uint32_t index = NO_BUCKET;

	if (!t || !t->usable)
		return;
	if (c->merged_into) {
		if (note_case(t, id, NO_BUCKET))
			t->usable = 0;
		return;
	}
	memset(&k, 0, sizeof(k));
	k.district = district_id;
	k.jurisdiction = jurisdiction_id;
	k.category = c->category_id;
	k.department = c->department_id;
	if (bulk_counts_month(c->created_at, k.month) ||
	    field(k.kind, sizeof(k.kind), case_kind_name(c->kind)) ||
	    field(k.channel, sizeof(k.channel), c->channel) ||
	    !(v = lookup(&t->cases, &k, &index)) || note_case(t, id, index)) {
		t->usable = 0;
		return;
	}
	v[C_CREATED]++;
	if (c->closed_at[0]) {
		const char *done = c->resolved_at[0] ? c->resolved_at : c->closed_at;
		v[C_CLOSED]++;
		v[C_ON_TIME] += strcmp(done, c->deadline) <= 0;
	}
	if (c->rating) {
		v[C_RATED]++;
		v[C_RATING_SUM] += c->rating;
		v[C_SATISFIED] += c->rating >= 4;
	}
	v[C_REOPENED] += c->reopened > 0;
}

void bulk_counts_event(struct bulk_counts *t, int64_t case_id, const char *to_state)
{
	int flag = !to_state                              ? 0
	           : strcmp(to_state, "adopted") == 0     ? SEEN_ADOPTED
	           : strcmp(to_state, "implemented") == 0 ? SEEN_IMPLEMENTED
	                                                  : 0;
	size_t i;

	if (!t || !t->usable || !flag)
		return;
	/* A step of a case loaded before, or not yet: whether it is its
	 * first such step is the rows' to say. */
	if (case_id < t->first_case || case_id >= t->first_case + (int64_t)t->ncases) {
		t->usable = 0;
		return;
	}
	i = (size_t)(case_id - t->first_case);
	if (t->seen[i] & flag)
		return;
	t->seen[i] |= (unsigned char)flag;
	if (t->bucket_of[i] != NO_BUCKET)
		counts_at(&t->cases,
		          t->bucket_of[i])[flag == SEEN_ADOPTED ? C_ADOPTED : C_IMPLEMENTED]++;
}

static int write_cases(struct store *st, const struct bulk_counts *t, struct err *err)
{
	struct db_stmt *s;
	int rc = SQLITE_DONE;

	if (db_prepare(
	        st->db,
	        "INSERT INTO case_counts (district_id, jurisdiction_id, month, kind, channel, "
	        "category_id, department_id, created, closed, on_time, rated, rating_sum, "
	        "satisfied, "
	        "reopened, adopted, implemented) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	        "?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT (district_id, jurisdiction_id, month, "
	        "kind, channel, category_id, department_id) DO UPDATE SET created = "
	        "case_counts.created + "
	        "excluded.created, closed = case_counts.closed + excluded.closed, on_time = "
	        "case_counts.on_time + "
	        "excluded.on_time, rated = case_counts.rated + excluded.rated, rating_sum = "
	        "case_counts.rating_sum + "
	        "excluded.rating_sum, satisfied = case_counts.satisfied + excluded.satisfied, "
	        "reopened = "
	        "case_counts.reopened + excluded.reopened, adopted = case_counts.adopted + "
	        "excluded.adopted, implemented = "
	        "case_counts.implemented + excluded.implemented",
	        0, &s))
		return store_db_fail(st, err, "counting the cases");
	for (size_t i = 0; i < t->cases.len && rc == SQLITE_DONE; i++) {
		const struct case_key *k = (const void *)(t->cases.ent + i * entry_size(&t->cases));
		const int64_t *v = counts_at(&t->cases, (uint32_t)i);

		db_reset(s);
		db_bind_int64(s, 1, k->district);
		db_bind_int64(s, 2, k->jurisdiction);
		db_bind_text(s, 3, k->month, -1);
		db_bind_text(s, 4, k->kind, -1);
		db_bind_text(s, 5, k->channel, -1);
		db_bind_int64(s, 6, k->category);
		db_bind_int64(s, 7, k->department);
		for (int j = 0; j < C_N; j++)
			db_bind_int64(s, 8 + j, v[j]);
		rc = db_step(s);
	}
	db_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "counting the cases");
}

static int write_enterprises(struct store *st, const struct bulk_counts *t, struct err *err)
{
	struct db_stmt *s;
	int rc = SQLITE_DONE;

	if (db_prepare(st->db,
	               "INSERT INTO enterprise_counts (district_id, jurisdiction_id, "
	               "cluster_id, grid_id, size, stage, status, enterprises, employees) "
	               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (district_id, "
	               "jurisdiction_id, cluster_id, grid_id, size, stage, status) DO UPDATE "
	               "SET enterprises = enterprise_counts.enterprises + excluded.enterprises, "
	               "employees = "
	               "enterprise_counts.employees + excluded.employees",
	               0, &s))
		return store_db_fail(st, err, "counting the enterprises");
	for (size_t i = 0; i < t->ents.len && rc == SQLITE_DONE; i++) {
		const struct ent_key *k = (const void *)(t->ents.ent + i * entry_size(&t->ents));
		const int64_t *v = counts_at(&t->ents, (uint32_t)i);

		db_reset(s);
		db_bind_int64(s, 1, k->district);
		db_bind_int64(s, 2, k->jurisdiction);
		db_bind_int64(s, 3, k->cluster);
		db_bind_int64(s, 4, k->grid);
		db_bind_text(s, 5, k->size, -1);
		db_bind_text(s, 6, k->stage, -1);
		db_bind_text(s, 7, k->status, -1);
		db_bind_int64(s, 8, v[E_ENTERPRISES]);
		db_bind_int64(s, 9, v[E_EMPLOYEES]);
		rc = db_step(s);
	}
	db_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "counting the enterprises");
}

int bulk_counts_write(struct store *st, const struct bulk_counts *t, struct err *err)
{
	if (!bulk_counts_usable(t))
		return err_set(err, ERR_INTERNAL, "database_error", NULL,
		               "the load's counts were not kept");
	return write_cases(st, t, err) || write_enterprises(st, t, err) ? -1 : 0;
}
