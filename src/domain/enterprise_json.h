#ifndef QY_ENTERPRISE_JSON_H
#define QY_ENTERPRISE_JSON_H

#include "../util/buf.h"
#include "enterprise.h"

/*
 * Writes the record as a JSON object.  With clear_contacts 0, contacts'
 * phone numbers and e-mail addresses are masked (138****5678).
 */
void enterprise_write_json(struct buf *out, const struct enterprise *e, int clear_contacts);

#endif
