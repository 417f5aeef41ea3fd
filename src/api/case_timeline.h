/*
 * A case's timeline as JSON, for the staff's case page (GET
 * /api/v1/cases/{id}) and the public tracking page (GET
 * /api/v1/public/cases/{code}).
 *
 * Each entry says who acted as a word anyone may read ("by": system,
 * submitter, client, enterprise or staff) and, for an entry the server
 * worded itself, its facts ("detail", domain/timeline.h) with the
 * category, department and jurisdictions they name resolved to their
 * names in both languages, so that the console can make a sentence of
 * it in the reader's language; entries written before the facts were
 * kept have them read from their note.  The staff also get the login
 * ("actor"), the person's display name now ("actor_name") and whether
 * the entry is public; the public get only the public entries, without
 * any person, and without the offices' own words about a transfer.
 */
#ifndef QY_API_CASE_TIMELINE_H
#define QY_API_CASE_TIMELINE_H

#include <stdint.h>

#include "api.h"

struct jur_tree;

/* Appends the entries of case `id` as a JSON array: staff 1 for the
 * staff's view, 0 for the public's. */
int case_timeline_json(struct req *r, struct buf *out, const struct jur_tree *t, int64_t id,
                       int staff);

#endif
