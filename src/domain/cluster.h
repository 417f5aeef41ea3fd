/*
 * The rules of an industrial cluster's record: its code, its names and
 * the code of its leading enterprise.  Whether that enterprise and the
 * secretary exist is the store's question, not this file's.
 */
#ifndef QY_CLUSTER_H
#define QY_CLUSTER_H

#include "../util/err.h"

#define CLUSTER_CODE_MAX 32
#define CLUSTER_NAME_MAX 100 /* characters */

/* Adds a field error for each rule the values break; returns -1 when
 * any is broken.  leading_uscc may be "" (no leading enterprise). */
int cluster_check(const char *code, const char *name_zh, const char *name_en,
                  const char *leading_uscc, struct err *err);

#endif
