/*
 * The service catalogue and resource list: organisations that provide
 * services, and the services with their categories, locations, contacts
 * and hours, shaped after HSDS 3.0 (Open Referral's Human Services Data
 * Specification: organization, service, location, contact, phone,
 * schedule, service_at_location).
 *
 * Records are fixed-size structs sized by the validation limits, as the
 * enterprise's are.  The JSON body is read at the edge (src/api/
 * services.c); the rules of a whole record, and who may do what with it,
 * live here, so that they are unit-tested without a server
 * (tests/unit/test_service.c).
 */
#ifndef QY_SERVICE_H
#define QY_SERVICE_H

#include <stdint.h>

#include "../util/err.h"
#include "access.h"
#include "hours.h"

#define SVC_NAME_MAX      100 /* characters */
#define SVC_DESC_MAX      2000
#define SVC_ELIGIBLE_MAX  1000
#define SVC_FEES_MAX      500
#define SVC_REASON_MAX    200
#define SVC_DOC_MAX       100
#define SVC_MAX_DOCS      10
#define SVC_MAX_LANGS     8
#define SVC_MAX_LOCATIONS 5
#define SVC_MAX_CONTACTS  8
#define SVC_URL_MAX       300 /* bytes: a URL is ASCII */
#define SVC_EMAIL_MAX     200
#define SVC_PHONE_MAX     30
#define SVC_ADDR_MAX      200
#define SVC_PERSON_MAX    50
#define SVC_DEADLINE_MIN  1
#define SVC_DEADLINE_MAX  8760 /* hours: a year, as a case category's */
#define SVC_DEADLINE_DEF  120  /* five days, when a service names none */

/* The resource list's categories, in the order the catalogue shows. */
struct service_category {
	const char *code, *name_zh, *name_en;
};
extern const struct service_category service_categories[];
extern const int service_ncategories;
/* "policy_consulting, financing, ...", for error messages. */
extern const char service_categories_list[];
const struct service_category *service_category_find(const char *code);

/* Kinds of organisation.  The party branches were there first (the 28
 * "two new" organisations); the others provide services. */
extern const char *const org_kinds[];
extern const char org_kinds_list[];
int org_kind_valid(const char *kind);

enum service_status { SVC_PENDING = 0, SVC_ACTIVE, SVC_INACTIVE, SVC_RETIRED };
const char *service_status_name(enum service_status s);
int service_status_parse(const char *s, enum service_status *out);

struct organisation {
	int64_t id, version;
	char name_zh[481], name_en[481], kind[41];
	char description[4 * SVC_DESC_MAX + 1];
	char website[SVC_URL_MAX + 1];
	char email[SVC_EMAIL_MAX + 1];
	char phone[SVC_PHONE_MAX + 1];
	int64_t cluster_id, enterprise_id;
	int64_t department_id; /* the town department that answers requests for it; 0: none */
	char department[101];  /* read only: its name */
	/* Where it is defined (0 on add: the home town, 1) and that one's
	 * district, which the store sets. */
	int64_t jurisdiction_id, district_id;
	char updated_at[21];
	int64_t services; /* read only: its services listed (active) */
	/* Its place in the tree of organisations (organisation.h): the one
	 * above (0: a root), its members, its secretary (a user, or a name
	 * and phone), and how many enterprises it covers (read only). */
	int64_t parent_id, members, secretary_user_id;
	char secretary_username[65]; /* read only */
	char secretary_display[201]; /* read only: that user's display name */
	char secretary_name[4 * 50 + 1], secretary_phone[SVC_PHONE_MAX + 1];
	int64_t covers;
};

struct service_location {
	char name[4 * SVC_NAME_MAX + 1];
	char address[4 * SVC_ADDR_MAX + 1];
	int located;
	double lon, lat; /* WGS84 */
};

struct service_contact {
	char name[4 * SVC_PERSON_MAX + 1];
	char title[4 * SVC_PERSON_MAX + 1];
	char phone[SVC_PHONE_MAX + 1];
	char email[SVC_EMAIL_MAX + 1];
};

struct service {
	int64_t id, version;
	int64_t provider_id; /* the organisation (HSDS organization_id) */
	char name_zh[4 * SVC_NAME_MAX + 1], name_en[4 * SVC_NAME_MAX + 1];
	char description_zh[4 * SVC_DESC_MAX + 1], description_en[4 * SVC_DESC_MAX + 1];
	char category[24];
	char eligibility[4 * SVC_ELIGIBLE_MAX + 1];
	char fees[4 * SVC_FEES_MAX + 1];
	int nlanguages;
	char languages[SVC_MAX_LANGS][16];
	int ndocuments;
	char documents[SVC_MAX_DOCS][4 * SVC_DOC_MAX + 1];
	char url[SVC_URL_MAX + 1];
	char email[SVC_EMAIL_MAX + 1];
	char phone[SVC_PHONE_MAX + 1];
	enum service_status status;
	char status_reason[4 * SVC_REASON_MAX + 1];
	char last_verified[11]; /* YYYY-MM-DD or "" */
	int deadline_hours;     /* a request's time limit */
	int nlocations;
	struct service_location locations[SVC_MAX_LOCATIONS];
	int ncontacts;
	struct service_contact contacts[SVC_MAX_CONTACTS];
	struct hours hours;
	int64_t offered_by; /* an enterprise's own resource: the enterprise; 0: none */
	int64_t approved_by;
	char approved_at[21];
	int64_t created_by;
	int64_t jurisdiction_id, district_id;
	char created_at[21], updated_at[21];
	/* Read only, joined in by the store: the provider and the
	 * department that answers requests for it. */
	char provider_zh[481], provider_en[481], provider_kind[41];
	char provider_phone[SVC_PHONE_MAX + 1];
	int64_t department_id;
	char department[101], department_en[201];
};

void service_init(struct service *s);

/* A language code as BCP 47 spells the common ones: two or three
 * lower-case letters, then optional subtags of letters or digits (zh,
 * en, zh-Hant, en-GB). */
int service_language_valid(const char *s);
/* An http:// or https:// URL of printable ASCII without spaces. */
int service_url_valid(const char *s);

/*
 * The rules of a whole service, each broken one added to e as a field
 * error naming the field: name_zh required (required); category one of
 * the list (invalid_enum); deadline_hours 1..8760 (out_of_range);
 * languages (invalid_code); url (invalid_url); email and phone, the
 * contacts' too (invalid_email, invalid_phone: the rules residents' are
 * checked by, case.h); a location needs a name or an address (required)
 * and lon with lat inside WGS84 (out_of_range); last_verified not after
 * today (in_future; today YYYY-MM-DD, NULL: not checked).  Fields already
 * named in e are not judged again.  Returns 0 or -1.
 */
int service_validate(const struct service *s, const char *today, struct err *e);
/* The rules of an organisation: name_zh, kind (invalid_enum), website,
 * email, phone. */
int organisation_validate(const struct organisation *o, struct err *e);

/*
 * Who may do what with the catalogue.
 *   read: an active service, everyone; the others, staff (every role
 *         but the public and enterprise contacts), and an enterprise
 *         contact its own enterprise's offers;
 *   manage: create, change, retire, approve, and keep the providers:
 *         admins and officers (inside their jurisdictions);
 *   offer: an enterprise contact, for its own enterprise (pending until
 *         approved);
 *   request: an enterprise contact for its enterprise; admins and
 *         officers on an enterprise's behalf.
 */
int service_may_read(const struct principal *p, enum service_status status, int64_t offered_by);
int service_may_manage(const struct principal *p);
int service_may_offer(const struct principal *p);
int service_may_request(const struct principal *p);

#endif
