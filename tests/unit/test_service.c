/*
 * The catalogue's rules (src/domain/service.c): a service's and an
 * organisation's fields, language codes and URLs, the categories of the
 * resource list, who may read, keep, offer and request; and the case kind
 * a request becomes (src/domain/case*.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/case.h"
#include "domain/service.h"

static void valid_service(struct service *s)
{
	service_init(s);
	snprintf(s->name_zh, sizeof(s->name_zh), "惠企政策一对一解读");
	snprintf(s->description_zh, sizeof(s->description_zh), "当面讲清扶持政策的条件与办理路径");
	snprintf(s->category, sizeof(s->category), "policy_consulting");
	s->provider_id = 1;
	s->nlanguages = 2;
	snprintf(s->languages[0], sizeof(s->languages[0]), "zh");
	snprintf(s->languages[1], sizeof(s->languages[1]), "en");
	s->ncontacts = 1;
	snprintf(s->contacts[0].name, sizeof(s->contacts[0].name), "周晓燕");
	snprintf(s->contacts[0].phone, sizeof(s->contacts[0].phone), "021-57211101");
	s->nlocations = 1;
	snprintf(s->locations[0].address, sizeof(s->locations[0].address), "张堰镇新办路28号");
	s->locations[0].located = 1;
	s->locations[0].lon = 121.2948;
	s->locations[0].lat = 30.8121;
	snprintf(s->last_verified, sizeof(s->last_verified), "2026-11-18");
}

/* The service breaks exactly one rule: this field, this code. */
static void breaks(const struct service *s, const char *field, const char *code)
{
	struct err e;

	err_clear(&e);
	assert_int_equal(service_validate(s, "2026-12-05", &e), -1);
	assert_int_equal(e.kind, ERR_INVALID);
	assert_int_equal(e.nfields, 1);
	if (strcmp(e.fields[0].field, field) || strcmp(e.fields[0].code, code))
		fail_msg("got %s %s (%s), want %s %s", e.fields[0].field, e.fields[0].code,
		         e.fields[0].message, field, code);
}

static void test_service_rules(void **state)
{
	struct service s, t;
	struct err e;

	(void)state;
	valid_service(&s);
	err_clear(&e);
	assert_int_equal(service_validate(&s, "2026-12-05", &e), 0);
	assert_int_equal(s.status, SVC_ACTIVE);
	assert_int_equal(s.deadline_hours, SVC_DEADLINE_DEF);

	t = s, t.name_zh[0] = '\0', breaks(&t, "name_zh", "required");
	t = s, snprintf(t.name_zh, sizeof(t.name_zh), "  "), breaks(&t, "name_zh", "required");
	t = s, t.description_zh[0] = '\0', breaks(&t, "description_zh", "required");
	t = s, t.category[0] = '\0', breaks(&t, "category", "required");
	t = s, snprintf(t.category, sizeof(t.category), "banking"),
	breaks(&t, "category", "invalid_enum");
	t = s, t.deadline_hours = 0, breaks(&t, "deadline_hours", "out_of_range");
	t = s, t.deadline_hours = 8761, breaks(&t, "deadline_hours", "out_of_range");
	t = s, snprintf(t.languages[1], sizeof(t.languages[1]), "ZH"),
	breaks(&t, "languages[1]", "invalid_code");
	t = s, snprintf(t.url, sizeof(t.url), "ftp://x.cn"), breaks(&t, "url", "invalid_url");
	t = s, snprintf(t.url, sizeof(t.url), "https://x.cn/a b"), breaks(&t, "url", "invalid_url");
	t = s, snprintf(t.email, sizeof(t.email), "nobody"), breaks(&t, "email", "invalid_email");
	t = s, snprintf(t.phone, sizeof(t.phone), "call me"), breaks(&t, "phone", "invalid_phone");
	t = s, snprintf(t.contacts[0].phone, sizeof(t.contacts[0].phone), "12"),
	breaks(&t, "contacts[0].phone", "invalid_phone");
	t = s, snprintf(t.contacts[0].email, sizeof(t.contacts[0].email), "a@b"),
	breaks(&t, "contacts[0].email", "invalid_email");
	t = s, t.contacts[0].name[0] = '\0', breaks(&t, "contacts[0].name", "required");
	t = s, t.contacts[0].phone[0] = '\0', breaks(&t, "contacts[0].phone", "required");
	t = s, t.locations[0].address[0] = '\0', breaks(&t, "locations[0].address", "required");
	t = s, t.locations[0].lon = 200, breaks(&t, "locations[0].lon", "out_of_range");
	t = s, t.locations[0].lat = -91, breaks(&t, "locations[0].lon", "out_of_range");
	t = s, snprintf(t.last_verified, sizeof(t.last_verified), "2026-12-06"),
	breaks(&t, "last_verified", "in_future");
	t = s, snprintf(t.last_verified, sizeof(t.last_verified), "2026-11-31"),
	breaks(&t, "last_verified", "invalid_date");

	/* Every broken rule at once, each field once. */
	t = s;
	t.name_zh[0] = '\0';
	t.deadline_hours = -1;
	snprintf(t.category, sizeof(t.category), "x");
	err_clear(&e);
	assert_int_equal(service_validate(&t, NULL, &e), -1);
	assert_int_equal(e.nfields, 3);
	/* A field the edge found bad already is not judged again. */
	err_clear(&e);
	err_field(&e, "category", "too_long", "category: too long");
	assert_int_equal(service_validate(&t, NULL, &e), -1);
	assert_int_equal(e.nfields, 3);
	assert_string_equal(e.fields[0].code, "too_long");
}

static void test_codes_and_urls(void **state)
{
	(void)state;
	assert_true(service_language_valid("zh"));
	assert_true(service_language_valid("en"));
	assert_true(service_language_valid("yue"));
	assert_true(service_language_valid("zh-Hant"));
	assert_true(service_language_valid("en-GB"));
	assert_false(service_language_valid("z"));
	assert_false(service_language_valid("ZH"));
	assert_false(service_language_valid("zh-"));
	assert_false(service_language_valid("zh_CN"));
	assert_false(service_language_valid("chinese"));
	assert_false(service_language_valid(""));
	assert_true(service_url_valid("https://bank.example.cn/zhangyan"));
	assert_true(service_url_valid("http://a.cn"));
	assert_false(service_url_valid("https://"));
	assert_false(service_url_valid("https:///path"));
	assert_false(service_url_valid("javascript:alert(1)"));
	assert_false(service_url_valid("https://a.cn/\"x"));
	assert_false(service_url_valid("https://例子.cn"));
}

static void test_categories_and_kinds(void **state)
{
	static const char *const wanted[] = {
	    "policy_consulting", "financing", "talent_hr",          "legal",  "land_premises",
	    "permits_approvals", "training",  "testing_technology", "venues", "logistics"};
	struct organisation o;
	struct err e;
	enum service_status st;

	(void)state;
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		assert_non_null(service_category_find(wanted[i]));
		assert_non_null(strstr(service_categories_list, wanted[i]));
	}
	assert_int_equal(service_ncategories, 10);
	assert_null(service_category_find("Financing"));
	assert_null(service_category_find(NULL));
	assert_true(org_kind_valid("bank"));
	assert_true(org_kind_valid("guarantee_fund"));
	assert_true(org_kind_valid("university"));
	assert_true(org_kind_valid("research_institute"));
	assert_true(org_kind_valid("alliance_member"));
	assert_true(org_kind_valid("party_branch"));
	assert_false(org_kind_valid("shop"));
	assert_int_equal(service_status_parse("pending", &st), 0);
	assert_int_equal(st, SVC_PENDING);
	assert_string_equal(service_status_name(SVC_RETIRED), "retired");
	assert_int_equal(service_status_parse("closed", &st), -1);

	memset(&o, 0, sizeof(o));
	snprintf(o.name_zh, sizeof(o.name_zh), "上海金杉农村商业银行张堰支行");
	snprintf(o.kind, sizeof(o.kind), "bank");
	err_clear(&e);
	assert_int_equal(organisation_validate(&o, &e), 0);
	snprintf(o.kind, sizeof(o.kind), "casino");
	snprintf(o.website, sizeof(o.website), "bank.example.cn");
	snprintf(o.phone, sizeof(o.phone), "57-21");
	err_clear(&e);
	assert_int_equal(organisation_validate(&o, &e), -1);
	assert_int_equal(e.nfields, 3);
	assert_true(err_has_field(&e, "kind"));
	assert_true(err_has_field(&e, "website"));
	assert_true(err_has_field(&e, "phone"));
}

static struct principal as(enum role r, int64_t ent)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.role = r;
	p.user_id = 7;
	p.enterprise_id = ent;
	return p;
}

static void test_access(void **state)
{
	struct principal pub = as(ROLE_PUBLIC, 0), officer = as(ROLE_OFFICER, 0),
	                 admin = as(ROLE_ADMIN, 0), handler = as(ROLE_HANDLER, 0),
	                 grid = as(ROLE_GRID_WORKER, 0), firm = as(ROLE_ENTERPRISE, 1),
	                 other = as(ROLE_ENTERPRISE, 2), orphan = as(ROLE_ENTERPRISE, 0);

	(void)state;
	/* The catalogue is public; the rest is the staff's and the offer's
	 * own enterprise's. */
	assert_true(service_may_read(&pub, SVC_ACTIVE, 0));
	assert_false(service_may_read(&pub, SVC_PENDING, 1));
	assert_false(service_may_read(&pub, SVC_RETIRED, 0));
	assert_true(service_may_read(&handler, SVC_INACTIVE, 0));
	assert_true(service_may_read(&grid, SVC_PENDING, 1));
	assert_true(service_may_read(&firm, SVC_PENDING, 1));
	assert_false(service_may_read(&other, SVC_PENDING, 1));
	assert_false(service_may_read(&orphan, SVC_PENDING, 0));
	assert_true(service_may_manage(&officer));
	assert_true(service_may_manage(&admin));
	assert_false(service_may_manage(&handler));
	assert_false(service_may_manage(&firm));
	assert_true(service_may_offer(&firm));
	assert_false(service_may_offer(&orphan));
	assert_false(service_may_offer(&officer));
	assert_true(service_may_request(&firm));
	assert_true(service_may_request(&officer));
	assert_false(service_may_request(&handler));
	assert_false(service_may_request(&grid));
	assert_false(service_may_request(&pub));
}

/* A request is a case of its own kind, made only on its service, that
 * takes the problem's path and is not public. */
static void test_request_case(void **state)
{
	struct principal officer = as(ROLE_OFFICER, 0), firm = as(ROLE_ENTERPRISE, 1);
	struct case_facts f;
	enum case_kind k;
	char allowed[128];

	(void)state;
	assert_int_equal(case_kind_parse("service_request", &k), 0);
	assert_int_equal(k, CASE_SERVICE_REQUEST);
	assert_string_equal(case_kind_name(CASE_SERVICE_REQUEST), "service_request");
	assert_false(case_may_create(&officer, CASE_SERVICE_REQUEST));
	assert_false(case_may_create(&firm, CASE_SERVICE_REQUEST));
	assert_true(case_may_create(&firm, CASE_PROBLEM));
	memset(&f, 0, sizeof(f));
	f.kind = CASE_SERVICE_REQUEST;
	f.state = CS_SUBMITTED;
	assert_int_equal(case_transition_check(&f, CS_ACCEPTED, ""), CT_OK);
	f.state = CS_ACCEPTED;
	assert_int_equal(case_transition_check(&f, CS_ASSIGNED, ""), CT_OK);
	assert_int_equal(case_transition_check(&f, CS_UNDER_REVIEW, ""), CT_WRONG_KIND);
	case_allowed_list(&f, allowed, sizeof(allowed));
	assert_string_equal(allowed, "assigned");
	f.state = CS_RESOLVED;
	f.reopen_days = 15;
	case_allowed_list(&f, allowed, sizeof(allowed));
	assert_string_equal(allowed, "closed, reopened");
	/* The phone and e-mail rules residents' data meet, and the
	 * catalogue's too. */
	assert_true(case_phone_valid("021-57211100"));
	assert_true(case_phone_valid("+86 138 1234 5678"));
	assert_false(case_phone_valid("1234"));
	assert_false(case_phone_valid("021/5721"));
	assert_true(case_email_valid("lab@qifan.example.cn"));
	assert_false(case_email_valid("lab@qifan"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_service_rules),        cmocka_unit_test(test_codes_and_urls),
	    cmocka_unit_test(test_categories_and_kinds), cmocka_unit_test(test_access),
	    cmocka_unit_test(test_request_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
