#include "ent_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTACT_COLUMNS(n)                                                                         \
	"contact" n "_name", "contact" n "_role", "contact" n "_phone", "contact" n "_email"

const char *const ent_csv_columns[ENT_CSV_COLUMNS] = {
    "uscc",
    "name_zh",
    "name_en",
    "industry",
    "cluster_id",
    "stage",
    "size",
    "founded",
    "address",
    "lon",
    "lat",
    "employees",
    "status",
    "status_reason",
    "tags",
    "in_park",
    "uscc_override",
    "contact_name",
    "contact_role",
    "contact_phone",
    "contact_email",
    CONTACT_COLUMNS("2"),
    CONTACT_COLUMNS("3"),
    CONTACT_COLUMNS("4"),
    CONTACT_COLUMNS("5"),
    CONTACT_COLUMNS("6"),
    CONTACT_COLUMNS("7"),
    CONTACT_COLUMNS("8"),
};

const enum ent_csv_kind ent_csv_kinds[ENT_CSV_COLUMNS] = {
    [4] = CSV_NUMBER,  [7] = CSV_DATE,  [9] = CSV_NUMBER, [10] = CSV_NUMBER,
    [11] = CSV_NUMBER, [15] = CSV_BOOL, [16] = CSV_BOOL,
};

int ent_csv_width(int ncontacts)
{
	if (ncontacts < 1)
		ncontacts = 1;
	if (ncontacts > ENT_MAX_CONTACTS)
		ncontacts = ENT_MAX_CONTACTS;
	return ENT_CSV_BASE + 4 * ncontacts;
}

int ent_csv_header_parse(struct ent_csv_header *h, int nfields, char **fields, struct err *err)
{
	int have_uscc = 0, have_industry = 0;

	memset(h, 0, sizeof(*h));
	if (nfields > (int)(sizeof(h->field) / sizeof(h->field[0])))
		return err_set(err, ERR_INVALID, "too_many_columns", NULL,
		               "line 1: the header has %d columns; at most %d are known", nfields,
		               ENT_CSV_COLUMNS);
	for (int i = 0; i < nfields; i++) {
		const char *name = fields[i];
		int known = -1;

		for (int k = 0; k < ENT_CSV_COLUMNS; k++)
			if (strcmp(ent_csv_columns[k], name) == 0)
				known = k;
		if (known < 0)
			return err_set(
			    err, ERR_INVALID, "unknown_column", name,
			    "line 1, column %d: unknown heading '%.40s'; the headings are "
			    "uscc, name_zh, name_en, industry, cluster_id, stage, size, founded, "
			    "address, lon, lat, employees, status, status_reason, tags, in_park, "
			    "uscc_override, contact_name, contact_role, contact_phone, "
			    "contact_email, and contact2_name ... contact%d_email",
			    i + 1, name, ENT_MAX_CONTACTS);
		for (int j = 0; j < i; j++)
			if (strcmp(h->field[j], name) == 0)
				return err_set(
				    err, ERR_INVALID, "repeated_column", name,
				    "line 1, column %d: '%s' already appears in column %d", i + 1,
				    name, j + 1);
		h->field[i] = ent_csv_columns[known];
		have_uscc |= known == 0;
		have_industry |= known == 3;
	}
	h->ncols = nfields;
	if (!have_uscc || !have_industry)
		return err_set(err, ERR_INVALID, "missing_column", have_uscc ? "industry" : "uscc",
		               "line 1: the header needs a '%s' column",
		               have_uscc ? "industry" : "uscc");
	return 0;
}

int ent_csv_column(const struct ent_csv_header *h, const char *field)
{
	for (int i = 0; i < h->ncols; i++)
		if (strcmp(h->field[i], field) == 0)
			return i + 1;
	return 0;
}

/* The contact (from 0) and its part a heading names, or -1 when the
 * heading is not a contact's: contact_phone is (0, "phone"),
 * contact3_name is (2, "name"). */
static int contact_heading(const char *heading, const char **part)
{
	int i = 0;

	if (strncmp(heading, "contact", 7) != 0)
		return -1;
	heading += 7;
	if (*heading >= '2' && *heading <= '9') {
		i = *heading - '1';
		heading++;
	}
	if (*heading != '_' || i >= ENT_MAX_CONTACTS)
		return -1;
	*part = heading + 1;
	return i;
}

/* The heading of a field name of the enterprise's rules, whose contact
 * errors are "contacts[2].phone" (contact3_phone). */
static void heading_of(const char *field, char *out, size_t n)
{
	int i;
	const char *dot;

	if (sscanf(field, "contacts[%d]", &i) == 1 && (dot = strchr(field, '.')) != NULL &&
	    i >= 0 && i < ENT_MAX_CONTACTS) {
		if (i == 0)
			snprintf(out, n, "contact_%s", dot + 1);
		else
			snprintf(out, n, "contact%d_%s", i + 1, dot + 1);
	} else {
		snprintf(out, n, "%s", field);
	}
}

/* Sets one cell of a contact.  An empty cell leaves the contact alone, so
 * a row without a contact has none; the contact's rules are checked once
 * every cell is in (enterprise_validate). */
static void set_contact_cell(struct enterprise *e, int i, const char *part, const char *text)
{
	struct contact *c = &e->contacts[i];
	char *dst;
	size_t cap, n;

	if (!*text)
		return;
	while (e->ncontacts <= i) {
		struct contact *fresh = &e->contacts[e->ncontacts++];
		fresh->name[0] = fresh->role[0] = fresh->phone[0] = fresh->email[0] = '\0';
	}
	if (strcmp(part, "name") == 0)
		dst = c->name, cap = sizeof(c->name);
	else if (strcmp(part, "role") == 0)
		dst = c->role, cap = sizeof(c->role);
	else if (strcmp(part, "phone") == 0)
		dst = c->phone, cap = sizeof(c->phone);
	else
		dst = c->email, cap = sizeof(c->email);
	/* Cut to the field's size, ending in DEL when cut, which no rule
	 * of a contact allows, so that the rules report the cell. */
	n = strnlen(text, cap - 1);
	memcpy(dst, text, n);
	dst[n] = '\0';
	if (text[n] && n > 0)
		dst[n - 1] = '\x7f';
}

/* The cells that are not fields of the API's enterprise: the reason for
 * its status and the officer's acceptance of a code that fails its check
 * (both set through their own steps in the API). */
static int set_file_only(struct enterprise *e, const char *heading, const char *text,
                         struct err *err)
{
	if (strcmp(heading, "status_reason") == 0) {
		long n = utf8_chars(text);
		if (n < 0 || n > 200 || strlen(text) >= sizeof(e->status_reason)) {
			err_field(err, heading, "too_long",
			          "status_reason: at most 200 characters of UTF-8");
			return -1;
		}
		strcpy(e->status_reason, text);
		return 0;
	}
	if (!*text || !strcmp(text, "false") || !strcmp(text, "0") || !strcmp(text, "no"))
		e->uscc_override = 0;
	else if (!strcmp(text, "true") || !strcmp(text, "1") || !strcmp(text, "yes"))
		e->uscc_override = 1;
	else {
		err_field(err, heading, "invalid_boolean",
		          "uscc_override: '%.20s' must be true or false", text);
		return -1;
	}
	return 0;
}

int ent_csv_record(const struct ent_csv_header *h, int nfields, char **fields, struct enterprise *e,
                   struct err *err)
{
	struct err found;
	int before = err->nfields;

	enterprise_reset(e);
	e->status_reason[0] = '\0';
	e->uscc_override = 0;
	if (nfields != h->ncols) {
		err_field(err, "record", "wrong_field_count", "has %d fields, the header has %d",
		          nfields, h->ncols);
		return -1;
	}
	/* Errors are gathered under the fields' own names first, so that
	 * the rules checked on the whole record skip a field whose cell was
	 * already found bad, and every other broken rule is still reported. */
	err_clear(&found);
	for (int i = 0; i < nfields; i++) {
		const char *part;
		int c;

		if (!fields[i][0] && strcmp(h->field[i], "status") == 0)
			continue;
		if ((c = contact_heading(h->field[i], &part)) >= 0)
			set_contact_cell(e, c, part, fields[i]);
		else if (!strcmp(h->field[i], "status_reason") ||
		         !strcmp(h->field[i], "uscc_override"))
			set_file_only(e, h->field[i], fields[i], &found);
		else
			enterprise_set_text(e, h->field[i], fields[i], &found);
	}
	enterprise_validate(e, &found);
	for (int k = 0; k < found.nfields; k++) {
		char heading[48], where[64];
		int col, seen = 0;

		/* One message a cell: the first rule it breaks. */
		for (int j = 0; j < k && !seen; j++)
			seen = strcmp(found.fields[j].field, found.fields[k].field) == 0;
		if (seen)
			continue;
		heading_of(found.fields[k].field, heading, sizeof(heading));
		col = ent_csv_column(h, heading);
		if (col)
			snprintf(where, sizeof(where), "column %d (%.24s)", col, heading);
		else
			snprintf(where, sizeof(where), "%.48s", heading);
		err_field(err, where, found.fields[k].code, "%s", found.fields[k].message);
	}
	return err->nfields > before ? -1 : 0;
}

void ent_csv_cells(const struct enterprise *e, const char *cells[ENT_CSV_COLUMNS],
                   char scratch[ENT_CSV_COLUMNS][ENT_CSV_SCRATCH])
{
	size_t off = 0;

	for (int i = 0; i < ENT_CSV_COLUMNS; i++) {
		scratch[i][0] = '\0';
		cells[i] = scratch[i];
	}
	cells[0] = e->uscc;
	cells[1] = e->name_zh;
	cells[2] = e->name_en;
	cells[3] = e->industry;
	if (e->cluster_id)
		snprintf(scratch[4], ENT_CSV_SCRATCH, "%lld", (long long)e->cluster_id);
	cells[5] = chain_stage_name(e->stage);
	cells[6] = size_class_name(e->size);
	cells[7] = e->founded;
	cells[8] = e->address;
	if (e->has_location == 3) {
		snprintf(scratch[9], ENT_CSV_SCRATCH, "%.7f", e->lon);
		snprintf(scratch[10], ENT_CSV_SCRATCH, "%.7f", e->lat);
	}
	if (e->employees >= 0)
		snprintf(scratch[11], ENT_CSV_SCRATCH, "%lld", (long long)e->employees);
	cells[12] = ent_status_name(e->status);
	cells[13] = e->status_reason;
	/* Tags joined with ';' — they may not contain it (see tags rule). */
	for (int i = 0; i < e->ntags && off < ENT_CSV_SCRATCH - 1; i++)
		off += (size_t)snprintf(scratch[14] + off, ENT_CSV_SCRATCH - off, "%s%s",
		                        i ? ";" : "", e->tags[i]);
	cells[15] = e->in_park ? "true" : "false";
	cells[16] = e->uscc_override ? "true" : "false";
	for (int i = 0; i < e->ncontacts && i < ENT_MAX_CONTACTS; i++) {
		const struct contact *c = &e->contacts[i];
		cells[ENT_CSV_BASE + 4 * i] = c->name;
		cells[ENT_CSV_BASE + 4 * i + 1] = c->role;
		cells[ENT_CSV_BASE + 4 * i + 2] = c->phone;
		cells[ENT_CSV_BASE + 4 * i + 3] = c->email;
	}
}
