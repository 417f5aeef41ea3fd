/*
 * The rules of an account that need no database (see account.h).
 */
#include <string.h>

#include "account.h"

#include "../util/article.h"

int account_username_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 2 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

int account_check_ties(const struct account_ties *a, struct err *err)
{
	int before = err->nfields;
	const char *role = role_name(a->role);
	int has_department = a->department && a->department[0];

	/* A tie is what the role's scope is made of; one given to another
	 * role would read as a scope it does not have. */
	if (a->role == ROLE_SECRETARY) {
		if (a->cluster_id <= 0)
			err_field(err, "cluster_id", "required",
			          "cluster_id: a secretary is the secretary of a cluster; name it");
	} else if (a->cluster_id)
		err_field(err, "cluster_id", "not_for_role",
		          "cluster_id: only a secretary has a cluster, not %s %s", article(role),
		          role);
	if (a->role == ROLE_ENTERPRISE) {
		if (a->enterprise_id <= 0)
			err_field(err, "enterprise_id", "required",
			          "enterprise_id: an enterprise contact speaks for one enterprise; "
			          "name it");
	} else if (a->enterprise_id)
		err_field(err, "enterprise_id", "not_for_role",
		          "enterprise_id: only an enterprise contact has an enterprise, not %s %s",
		          article(role), role);
	if (a->role == ROLE_HANDLER) {
		if (!has_department)
			err_field(err, "department", "required",
			          "department: a handler works the cases of a department; name it");
	} else if (has_department)
		err_field(err, "department", "not_for_role",
		          "department: only a handler has a department, not %s %s", article(role),
		          role);
	return err->nfields > before ? -1 : 0;
}
