#include "service.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "case.h"

/* The "Qun Xin Hui Yan" resource list's groups; the codes are the API's
 * and HSDS's taxonomy terms, the names what a reader sees. */
const struct service_category service_categories[] = {
    {"policy_consulting", "政策咨询", "Policy consulting"},
    {"financing", "融资服务", "Financing"},
    {"talent_hr", "人才与人力资源", "Talent and HR"},
    {"legal", "法律服务", "Legal services"},
    {"land_premises", "用地与厂房", "Land and premises"},
    {"permits_approvals", "审批与证照", "Permits and approvals"},
    {"training", "培训", "Training"},
    {"venues", "场地与会议", "Venues"},
    {"testing_technology", "检测与技术", "Testing and technology"},
    {"logistics", "物流", "Logistics"},
};
const int service_ncategories = (int)(sizeof(service_categories) / sizeof(service_categories[0]));
const char service_categories_list[] =
    "policy_consulting, financing, talent_hr, legal, land_premises, permits_approvals, training, "
    "venues, testing_technology, logistics";

const struct service_category *service_category_find(const char *code)
{
	for (int i = 0; code && i < service_ncategories; i++)
		if (strcmp(code, service_categories[i].code) == 0)
			return &service_categories[i];
	return NULL;
}

const char *const org_kinds[] = {
    "department", "park", "service_firm", "university", "research_institute", "bank",
    "guarantee_fund", "enterprise", "alliance_member", "party_branch", "joint_party_branch",
    /* The tree of organisations that reach enterprises (organisation.h). */
    "party_committee", "party_general_branch", "trade_union", "youth_league", "womens_federation",
    "association", "alliance", NULL};
const char org_kinds_list[] = "department, park, service_firm, university, research_institute, "
                              "bank, guarantee_fund, enterprise, alliance_member, party_branch, "
                              "joint_party_branch, party_committee, party_general_branch, "
                              "trade_union, youth_league, womens_federation, association, "
                              "alliance";

int org_kind_valid(const char *kind)
{
	for (int i = 0; kind && org_kinds[i]; i++)
		if (strcmp(kind, org_kinds[i]) == 0)
			return 1;
	return 0;
}

static const char *const status_names[] = {"pending", "active", "inactive", "retired"};

const char *service_status_name(enum service_status s)
{
	return (unsigned)s < 4 ? status_names[s] : "unknown";
}

int service_status_parse(const char *s, enum service_status *out)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum service_status)i;
			return 0;
		}
	return -1;
}

void service_init(struct service *s)
{
	memset(s, 0, sizeof(*s));
	s->status = SVC_ACTIVE;
	s->deadline_hours = SVC_DEADLINE_DEF;
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int is_alnum(char c)
{
	return is_lower(c) || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int service_language_valid(const char *s)
{
	size_t n = 0;

	if (!s)
		return 0;
	while (is_lower(s[n]))
		n++;
	if (n < 2 || n > 3)
		return 0;
	s += n;
	while (*s == '-') {
		size_t k = 0;
		s++;
		while (is_alnum(s[k]))
			k++;
		if (k < 2 || k > 8)
			return 0;
		s += k;
	}
	return *s == '\0';
}

int service_url_valid(const char *s)
{
	const char *rest;

	if (!s)
		return 0;
	if (strncmp(s, "https://", 8) == 0)
		rest = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		rest = s + 7;
	else
		return 0;
	/* A host at least, and nothing a reader could not copy by hand. */
	if (!*rest || *rest == '/')
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return 0;
	return 1;
}

/* Adds a field error unless the field was found bad already. */
static void rule(struct err *e, const char *field, const char *code, const char *msg)
{
	if (!err_has_field(e, field))
		err_field(e, field, code, "%s: %s", field, msg);
}

static void check_phone(struct err *e, const char *field, const char *phone)
{
	if (phone[0] && !case_phone_valid(phone))
		rule(e, field, "invalid_phone", "must be 5 to 20 digits, with + - or spaces only");
}

static void check_email(struct err *e, const char *field, const char *email)
{
	if (email[0] && !case_email_valid(email))
		rule(e, field, "invalid_email", "must be an address like a@b.cn");
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

int service_validate(const struct service *s, const char *today, struct err *e)
{
	char field[48];

	if (!s->name_zh[0] || blank(s->name_zh))
		rule(e, "name_zh", "required", "is required (the service's name in Chinese)");
	if (!s->description_zh[0] || blank(s->description_zh))
		rule(e, "description_zh", "required",
		     "is required (what the service does, in Chinese)");
	if (!service_category_find(s->category)) {
		char msg[200];
		snprintf(msg, sizeof(msg), "must be one of %s", service_categories_list);
		rule(e, "category", s->category[0] ? "invalid_enum" : "required", msg);
	}
	if (s->deadline_hours < SVC_DEADLINE_MIN || s->deadline_hours > SVC_DEADLINE_MAX)
		rule(e, "deadline_hours", "out_of_range", "must be from 1 to 8760 hours");
	for (int i = 0; i < s->nlanguages; i++)
		if (!service_language_valid(s->languages[i])) {
			snprintf(field, sizeof(field), "languages[%d]", i);
			rule(e, field, "invalid_code",
			     "must be a language code such as zh, en or zh-Hant");
		}
	if (s->url[0] && !service_url_valid(s->url))
		rule(e, "url", "invalid_url",
		     "must start with http:// or https:// and hold no spaces");
	check_email(e, "email", s->email);
	check_phone(e, "phone", s->phone);
	for (int i = 0; i < s->ncontacts; i++) {
		const struct service_contact *c = &s->contacts[i];
		snprintf(field, sizeof(field), "contacts[%d].name", i);
		if (!c->name[0] || blank(c->name))
			rule(e, field, "required", "is required (a person or a desk)");
		snprintf(field, sizeof(field), "contacts[%d].phone", i);
		check_phone(e, field, c->phone);
		snprintf(field, sizeof(field), "contacts[%d].email", i);
		check_email(e, field, c->email);
		if (!c->phone[0] && !c->email[0]) {
			snprintf(field, sizeof(field), "contacts[%d].phone", i);
			rule(e, field, "required", "a contact needs a phone or an e-mail address");
		}
	}
	for (int i = 0; i < s->nlocations; i++) {
		const struct service_location *l = &s->locations[i];
		if (!l->name[0] && !l->address[0]) {
			snprintf(field, sizeof(field), "locations[%d].address", i);
			rule(e, field, "required", "a location needs a name or an address");
		}
		if (l->located && (!isfinite(l->lon) || !isfinite(l->lat) || l->lon < -180 ||
		                   l->lon > 180 || l->lat < -90 || l->lat > 90)) {
			snprintf(field, sizeof(field), "locations[%d].lon", i);
			rule(e, field, "out_of_range",
			     "lon must be from -180 to 180 and lat from -90 to 90 (WGS84)");
		}
	}
	if (s->last_verified[0] && !hours_date_valid(s->last_verified))
		rule(e, "last_verified", "invalid_date",
		     "must be a date YYYY-MM-DD from 2000 to 2099");
	else if (s->last_verified[0] && today && strcmp(s->last_verified, today) > 0)
		rule(e, "last_verified", "in_future", "must not be after today");
	return e->kind != ERR_NONE ? -1 : 0;
}

int organisation_validate(const struct organisation *o, struct err *e)
{
	if (!o->name_zh[0] || blank(o->name_zh))
		rule(e, "name_zh", "required", "is required (the organisation's name in Chinese)");
	if (!org_kind_valid(o->kind)) {
		char msg[400];
		snprintf(msg, sizeof(msg), "must be one of %s", org_kinds_list);
		rule(e, "kind", o->kind[0] ? "invalid_enum" : "required", msg);
	}
	if (o->website[0] && !service_url_valid(o->website))
		rule(e, "website", "invalid_url",
		     "must start with http:// or https:// and hold no spaces");
	check_email(e, "email", o->email);
	check_phone(e, "phone", o->phone);
	return e->kind != ERR_NONE ? -1 : 0;
}

static int staff(const struct principal *p)
{
	return p->role != ROLE_PUBLIC && p->role != ROLE_ENTERPRISE;
}

int service_may_read(const struct principal *p, enum service_status status, int64_t offered_by)
{
	if (status == SVC_ACTIVE)
		return 1;
	if (staff(p))
		return 1;
	return p->role == ROLE_ENTERPRISE && p->enterprise_id > 0 && offered_by == p->enterprise_id;
}

int service_may_manage(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER;
}

int service_may_offer(const struct principal *p)
{
	return p->role == ROLE_ENTERPRISE && p->enterprise_id > 0;
}

int service_may_request(const struct principal *p)
{
	return service_may_manage(p) || service_may_offer(p);
}
