/*
 * The rules of an account that need no database: the form of a username
 * and what each role is tied to -- a secretary to its cluster, an
 * enterprise contact to its enterprise, a handler to its department, and
 * the other roles to none of them.  The command line and the API both
 * check accounts here.
 */
#ifndef QY_ACCOUNT_H
#define QY_ACCOUNT_H

#include "../util/err.h"
#include "access.h"

#define ACCOUNT_DISPLAY_MAX 100 /* characters of a display name */

/* 2 to 64 of a-z 0-9 . _ - */
int account_username_valid(const char *s);

/* What an account is tied to, by its role. */
struct account_ties {
	enum role role;
	int64_t cluster_id, enterprise_id;
	const char *department; /* "" or NULL: none */
};

/*
 * Adds to err every rule the ties break, each naming its field
 * (cluster_id, enterprise_id, department): the tie the role needs is
 * missing, or a tie another role has is given.  Returns 0 when none is
 * broken.
 */
int account_check_ties(const struct account_ties *a, struct err *err);

#endif
