/*
 * The rules of the organisation tree and of alliances (organisation.h).
 */
#include "organisation.h"

#include <stdio.h>
#include <string.h>

#include "case.h"
#include "enterprise.h"

static const char *const party_kinds[] = {"party_committee", "party_general_branch", "party_branch",
                                          "joint_party_branch", NULL};
static const char *const mass_kinds[] = {"trade_union", "youth_league", "womens_federation",
                                         "association", NULL};

static int one_of(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

int org_kind_party(const char *kind)
{
	return one_of(party_kinds, kind);
}

int org_kind_covers(const char *kind)
{
	return one_of(party_kinds, kind) || one_of(mass_kinds, kind);
}

int org_parent_check(int64_t id, int64_t parent, org_parent_fn parent_of, void *ctx, struct err *e)
{
	int64_t path[ORG_MAX_DEPTH + 1];
	int n = 0;

	if (!parent)
		return 0;
	if (parent == id) {
		err_field(e, "parent_id", "organisation_cycle",
		          "parent_id: organisation %lld cannot be its own parent; an organisation "
		          "cannot be its own ancestor",
		          (long long)id);
		return -1;
	}
	/* Up from the parent to a root.  The tree below id hangs on with it,
	 * so the new depth is the parent's plus one plus id's own subtree;
	 * the subtree is counted by the caller's limit on the walk, which
	 * stays small because a tree that was valid before is at most
	 * ORG_MAX_DEPTH deep. */
	for (int64_t cur = parent; cur; n++) {
		if (n == ORG_MAX_DEPTH) {
			err_field(
			    e, "parent_id", "out_of_range",
			    "parent_id: organisation %lld lies %d levels deep or more; a tree "
			    "of organisations is at most %d levels deep",
			    (long long)parent, ORG_MAX_DEPTH, ORG_MAX_DEPTH);
			return -1;
		}
		path[n] = cur;
		if (id && cur == id) {
			char chain[200];
			size_t len = 0;
			for (int i = n; i >= 0 && len < sizeof(chain) - 24; i--)
				len += (size_t)snprintf(chain + len, sizeof(chain) - len, "%s%lld",
				                        i == n ? "" : " → ", (long long)path[i]);
			err_field(
			    e, "parent_id", "organisation_cycle",
			    "parent_id: organisation %lld lies under %lld (%s); an organisation "
			    "cannot be its own ancestor",
			    (long long)parent, (long long)id, chain);
			return -1;
		}
		if ((cur = parent_of(ctx, cur)) < 0)
			return -1;
	}
	/* n is the parent's depth: the child would lie one level below. */
	if (n >= ORG_MAX_DEPTH) {
		err_field(e, "parent_id", "out_of_range",
		          "parent_id: organisation %lld lies %d levels deep; a tree of "
		          "organisations is at most %d levels deep",
		          (long long)parent, n, ORG_MAX_DEPTH);
		return -1;
	}
	return 0;
}

int org_secretary_check(const char *name, const char *phone, struct err *e)
{
	long chars = utf8_chars(name);

	if (chars < 0 || chars > ORG_PERSON_MAX)
		err_field(e, "secretary", "too_long",
		          "secretary.name: at most %d characters of UTF-8", ORG_PERSON_MAX);
	else if (name[0] && !phone[0])
		err_field(e, "secretary", "required",
		          "secretary.phone: is required with a name (or name a user by user_id)");
	else if (!name[0] && phone[0])
		err_field(e, "secretary", "required",
		          "secretary.name: is required with a phone (or name a user by user_id)");
	else if (phone[0] && !case_phone_valid(phone))
		err_field(e, "secretary", "invalid_phone",
		          "secretary.phone: must be 5 to 20 digits, with + - or spaces only");
	return e->kind != ERR_NONE ? -1 : 0;
}

int org_may_manage(const struct principal *p, const char *kind, int64_t cluster_id)
{
	if (p->role == ROLE_ADMIN || p->role == ROLE_OFFICER)
		return 1;
	return p->role == ROLE_SECRETARY && p->cluster_id > 0 && cluster_id == p->cluster_id &&
	       org_kind_covers(kind);
}

int alliance_member_validate(const struct alliance_member *m, struct err *e)
{
	int given = (m->enterprise_id > 0) + (m->organisation_id > 0) + (m->name_zh[0] != '\0');

	if (given == 0)
		err_field(
		    e, "enterprise_id", "required",
		    "enterprise_id: a member is an enterprise (enterprise_id), an organisation "
		    "(organisation_id) or one outside the town named by name_zh");
	else if (given > 1)
		err_field(
		    e, "enterprise_id", "conflicting_fields",
		    "enterprise_id, organisation_id, name_zh: a member is one of them, not %d",
		    given);
	if (m->uscc[0] && !m->name_zh[0])
		err_field(e, "uscc", "not_allowed",
		          "uscc: only for a member outside the registry named by name_zh (an "
		          "enterprise of the registry has its own)");
	else if (m->uscc[0]) {
		int pos = 0;
		char expected = 0, msg[200];
		enum uscc_result r = uscc_validate(m->uscc, &pos, &expected);
		if (r != USCC_OK && r != USCC_BAD_ORG_CHECK) {
			uscc_describe(r, m->uscc, pos, expected, msg, sizeof(msg));
			err_field(e, "uscc", "invalid_uscc", "uscc: %s", msg);
		}
	}
	for (int i = 0; i < m->nresources; i++)
		if (!m->resources[i].service_id && !m->resources[i].text[0]) {
			err_field(
			    e, "resources", "required",
			    "resources[%d]: a resource is a service (service_id) or words (text)",
			    i);
			break;
		}
	return e->kind != ERR_NONE ? -1 : 0;
}
