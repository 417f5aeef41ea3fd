#include "ent_csv.h"

#include <stdio.h>
#include <string.h>

const char *const ent_csv_columns[ENT_CSV_COLUMNS] = {
    "uscc",         "name_zh",       "name_en",       "industry", "cluster_id",
    "stage",        "size",          "founded",       "address",  "lon",
    "lat",          "employees",     "status",        "tags",     "contact_name",
    "contact_role", "contact_phone", "contact_email", "in_park",
};

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
			    "uscc, name_zh, name_en, industry, cluster_id, stage, size, "
			    "founded, address, lon, lat, employees, status, tags, "
			    "contact_name, contact_role, contact_phone, contact_email, in_park",
			    i + 1, name);
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

/* "column N (heading)" for a field name of enterprise_validate, whose
 * contact errors are "contacts[0].phone" and so on. */
static const char *where_of(const struct ent_csv_header *h, const char *field, char *buf, size_t n)
{
	char name[48];

	if (strncmp(field, "contacts[0].", 12) == 0)
		snprintf(name, sizeof(name), "contact_%s", field + 12);
	else
		snprintf(name, sizeof(name), "%s", field);
	for (int i = 0; i < h->ncols; i++)
		if (strcmp(h->field[i], name) == 0) {
			snprintf(buf, n, "column %d (%.20s)", i + 1, h->field[i]);
			return buf;
		}
	return field;
}

int ent_csv_record(const struct ent_csv_header *h, int nfields, char **fields, struct enterprise *e,
                   struct err *err)
{
	int before = err->nfields;

	enterprise_reset(e);
	if (nfields != h->ncols) {
		err_field(err, "record", "wrong_field_count", "has %d fields, the header has %d",
		          nfields, h->ncols);
		return -1;
	}
	for (int i = 0; i < nfields; i++) {
		struct err one;

		err_clear(&one);
		if (!fields[i][0] && strcmp(h->field[i], "status") == 0)
			continue;
		if (enterprise_set_text(e, h->field[i], fields[i], &one) == 0)
			continue;
		/* Name the column by number and heading. */
		for (int k = 0; k < one.nfields; k++) {
			char where[48];
			snprintf(where, sizeof(where), "column %d (%.20s)", i + 1, h->field[i]);
			err_field(err, where, one.fields[k].code, "%s", one.fields[k].message);
		}
	}
	if (err->nfields == before) {
		struct err one;

		err_clear(&one);
		if (enterprise_validate(e, &one))
			for (int k = 0; k < one.nfields; k++) {
				char where[48];
				err_field(err,
				          where_of(h, one.fields[k].field, where, sizeof(where)),
				          one.fields[k].code, "%s", one.fields[k].message);
			}
	}
	return err->nfields > before ? -1 : 0;
}

void ent_csv_cells(const struct enterprise *e, const char *cells[ENT_CSV_COLUMNS],
                   char scratch[ENT_CSV_COLUMNS][ENT_CSV_SCRATCH])
{
	const struct contact *c = e->ncontacts ? &e->contacts[0] : NULL;
	static const struct contact none;
	size_t off = 0;

	if (!c)
		c = &none;
	for (int i = 0; i < ENT_CSV_COLUMNS; i++)
		scratch[i][0] = '\0';
	cells[0] = e->uscc;
	cells[1] = e->name_zh;
	cells[2] = e->name_en;
	cells[3] = e->industry;
	if (e->cluster_id)
		snprintf(scratch[4], ENT_CSV_SCRATCH, "%lld", (long long)e->cluster_id);
	cells[4] = scratch[4];
	cells[5] = chain_stage_name(e->stage);
	cells[6] = size_class_name(e->size);
	cells[7] = e->founded;
	cells[8] = e->address;
	if (e->has_location == 3) {
		snprintf(scratch[9], ENT_CSV_SCRATCH, "%.7f", e->lon);
		snprintf(scratch[10], ENT_CSV_SCRATCH, "%.7f", e->lat);
	}
	cells[9] = scratch[9];
	cells[10] = scratch[10];
	if (e->employees >= 0)
		snprintf(scratch[11], ENT_CSV_SCRATCH, "%lld", (long long)e->employees);
	cells[11] = scratch[11];
	cells[12] = ent_status_name(e->status);
	/* Tags joined with ';' — they may not contain it (see tags rule). */
	for (int i = 0; i < e->ntags && off < ENT_CSV_SCRATCH - 1; i++)
		off += (size_t)snprintf(scratch[13] + off, ENT_CSV_SCRATCH - off, "%s%s",
		                        i ? ";" : "", e->tags[i]);
	cells[13] = scratch[13];
	cells[14] = c->name;
	cells[15] = c->role;
	cells[16] = c->phone;
	cells[17] = c->email;
	cells[18] = e->in_park ? "true" : "false";
}
