/*
 * What the printed matter is made of, before it is drawn: a service of
 * the catalogue as the booklet's lines in both languages
 * (booklet_service_lines: contacts, phones told once, locations, hours
 * grouped by days, past midnight, every day, holidays named, none at all)
 * and a card as the printed card (card_sheet_add: roles, hotlines apart,
 * every string the sheet's own copy).  The expected lines are written out
 * here by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/booklet.h"
#include "service/card_print.h"

static struct service *service_of(const char *hours_json)
{
	struct service *s = malloc(sizeof(*s));
	struct err e;

	assert_non_null(s);
	service_init(s);
	snprintf(s->name_zh, sizeof(s->name_zh), "%s", "供应链应收账款融资");
	snprintf(s->name_en, sizeof(s->name_en), "%s", "Receivables financing");
	snprintf(s->category, sizeof(s->category), "%s", "financing");
	snprintf(s->provider_zh, sizeof(s->provider_zh), "%s", "金杉农商行张堰支行");
	snprintf(s->provider_en, sizeof(s->provider_en), "%s", "Jinshan Bank, Zhangyan");
	snprintf(s->provider_phone, sizeof(s->provider_phone), "%s", "021-57215500");
	err_clear(&e);
	assert_int_equal(hours_parse_text(hours_json, &s->hours, &e), 0);
	return s;
}

static void assert_lines(const struct print_bi *v, size_t n, const char *const *zh,
                         const char *const *en, size_t want)
{
	if (n != want) {
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "  [%zu] %s | %s\n", i, v[i].zh, v[i].en);
		fail_msg("%zu lines, expected %zu", n, want);
	}
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].zh, zh[i]);
		assert_string_equal(v[i].en, en[i]);
	}
}

static void test_service_contacts(void **state)
{
	struct service *s = service_of("");
	struct booklet_service_lines *l = malloc(sizeof(*l));
	static const char *const zh[] = {
	    "顾文杰（客户经理） 13661875501 gu@bank.example.cn",
	    "值班室 021-5721 5502",
	    "服务电话 021-57215501",
	    "网址 https://bank.example.cn/sme",
	    "地点 金杉农商行张堰支行，上海市金山区张堰镇张金公路318号",
	    "地点 上海市金山区龙山路555号",
	};
	static const char *const en[] = {
	    "顾文杰 (客户经理) 13661875501 gu@bank.example.cn",
	    "值班室 021-5721 5502",
	    "Phone 021-57215501",
	    "Web https://bank.example.cn/sme",
	    "At 金杉农商行张堰支行, 上海市金山区张堰镇张金公路318号",
	    "At 上海市金山区龙山路555号",
	};

	(void)state;
	assert_non_null(l);
	s->ncontacts = 2;
	snprintf(s->contacts[0].name, sizeof(s->contacts[0].name), "%s", "顾文杰");
	snprintf(s->contacts[0].title, sizeof(s->contacts[0].title), "%s", "客户经理");
	snprintf(s->contacts[0].phone, sizeof(s->contacts[0].phone), "%s", "13661875501");
	snprintf(s->contacts[0].email, sizeof(s->contacts[0].email), "%s", "gu@bank.example.cn");
	/* A contact of a title alone prints the title. */
	snprintf(s->contacts[1].title, sizeof(s->contacts[1].title), "%s", "值班室");
	snprintf(s->contacts[1].phone, sizeof(s->contacts[1].phone), "%s", "021-5721 5502");
	/* The service's own phone differs from every contact's: printed;
	 * its e-mail is the first contact's: not again. */
	snprintf(s->phone, sizeof(s->phone), "%s", "021-57215501");
	snprintf(s->email, sizeof(s->email), "%s", "gu@bank.example.cn");
	snprintf(s->url, sizeof(s->url), "%s", "https://bank.example.cn/sme");
	s->nlocations = 2;
	snprintf(s->locations[0].name, sizeof(s->locations[0].name), "%s", "金杉农商行张堰支行");
	snprintf(s->locations[0].address, sizeof(s->locations[0].address), "%s",
	         "上海市金山区张堰镇张金公路318号");
	snprintf(s->locations[1].address, sizeof(s->locations[1].address), "%s",
	         "上海市金山区龙山路555号");

	booklet_service_lines(s, l);
	assert_string_equal(l->category.zh, "融资服务");
	assert_string_equal(l->category.en, "Financing");
	assert_string_equal(l->s.name.zh, "供应链应收账款融资");
	assert_string_equal(l->s.provider.en, "Jinshan Bank, Zhangyan");
	assert_lines(l->s.contacts, l->s.ncontacts, zh, en, 6);

	/* The same phone spelt otherwise is the contact's: told once. */
	snprintf(s->phone, sizeof(s->phone), "%s", "021 5721 5502");
	booklet_service_lines(s, l);
	assert_int_equal(l->s.ncontacts, 5);
	assert_string_equal(l->s.contacts[2].zh, "网址 https://bank.example.cn/sme");

	/* Nothing says whom to call: the provider's phone. */
	s->ncontacts = 0;
	s->phone[0] = s->email[0] = s->url[0] = '\0';
	s->nlocations = 0;
	booklet_service_lines(s, l);
	assert_int_equal(l->s.ncontacts, 1);
	assert_string_equal(l->s.contacts[0].zh, "电话 021-57215500");
	assert_string_equal(l->s.contacts[0].en, "Phone 021-57215500");
	free(l);
	free(s);
}

static void test_service_hours(void **state)
{
	struct booklet_service_lines *l = malloc(sizeof(*l));
	struct service *s;

	(void)state;
	assert_non_null(l);
	/* Two spans of the weekdays on one line, Saturday on its own;
	 * holidays named (each once), worked days. */
	s = service_of(
	    "{\"weekly\":[{\"byday\":\"MO,TU,WE,TH,FR\",\"opens_at\":\"13:30\",\"closes_at\":"
	    "\"17:00\"},{\"byday\":\"SA\",\"opens_at\":\"09:00\",\"closes_at\":\"12:00\"},"
	    "{\"byday\":\"MO,TU,WE,TH,FR\",\"opens_at\":\"08:30\",\"closes_at\":\"11:30\"}],"
	    "\"exceptions\":[{\"valid_from\":\"2026-10-01\",\"valid_to\":\"2026-10-07\","
	    "\"closed\":true,\"description\":\"国庆节\"},{\"valid_from\":\"2026-02-15\","
	    "\"valid_to\":\"2026-02-23\",\"closed\":true,\"description\":\"春节\"},"
	    "{\"valid_from\":\"2027-10-01\",\"valid_to\":\"2027-10-03\",\"closed\":true,"
	    "\"description\":\"国庆节\"},{\"valid_from\":\"2026-10-10\",\"valid_to\":"
	    "\"2026-10-10\",\"opens_at\":\"08:30\",\"closes_at\":\"11:30\",\"description\":"
	    "\"调休上班\"}]}");
	{
		static const char *const zh[] = {
		    "周一至周五 08:30–11:30、13:30–17:00",
		    "周六 09:00–12:00",
		    "休息：国庆节、春节",
		    "另开放：调休上班（日期见在线服务目录）",
		};
		static const char *const en[] = {
		    "Mon–Fri 08:30–11:30, 13:30–17:00",
		    "Sat 09:00–12:00",
		    "Closed: National Day, Spring Festival",
		    "Also open: weekend days worked in lieu (dates in the online catalogue)",
		};
		booklet_service_lines(s, l);
		assert_lines(l->s.hours, l->s.nhours, zh, en, 4);
	}
	free(s);

	/* Past midnight; every day; a closing without a description; two
	 * days apart and two together. */
	s = service_of(
	    "{\"weekly\":[{\"byday\":\"MO,TU,WE,TH,FR,SA,SU\",\"opens_at\":\"07:00\","
	    "\"closes_at\":\"19:00\"},{\"byday\":\"MO,WE\",\"opens_at\":\"22:00\",\"closes_at\":"
	    "\"05:00\"},{\"byday\":\"TH,FR\",\"opens_at\":\"20:00\",\"closes_at\":\"24:00\"}],"
	    "\"exceptions\":[{\"valid_from\":\"2026-03-02\",\"valid_to\":\"2026-03-03\","
	    "\"closed\":true}]}");
	{
		static const char *const zh[] = {
		    "每天 07:00–19:00",
		    "周四、周五 20:00–24:00",
		    "周一、周三 22:00–次日05:00",
		    "休息：部分日期（日期见在线服务目录）",
		};
		static const char *const en[] = {
		    "Daily 07:00–19:00",
		    "Thu, Fri 20:00–24:00",
		    "Mon, Wed 22:00–05:00 next day",
		    "Closed: some days (dates in the online catalogue)",
		};
		booklet_service_lines(s, l);
		assert_lines(l->s.hours, l->s.nhours, zh, en, 4);
	}
	free(s);

	/* No hours: by appointment. */
	s = service_of("");
	booklet_service_lines(s, l);
	assert_int_equal(l->s.nhours, 1);
	assert_string_equal(l->s.hours[0].zh, "需预约，请先致电联系");
	assert_string_equal(l->s.hours[0].en, "By appointment: call first");
	free(s);
	free(l);
}

static void contact(struct card *c, enum card_role role, const char *name_zh, const char *name_en,
                    const char *unit_zh, const char *phone)
{
	struct card_contact k;

	memset(&k, 0, sizeof(k));
	k.role = role;
	snprintf(k.name_zh, sizeof(k.name_zh), "%s", name_zh);
	snprintf(k.name_en, sizeof(k.name_en), "%s", name_en);
	snprintf(k.unit_zh, sizeof(k.unit_zh), "%s", unit_zh);
	snprintf(k.phone, sizeof(k.phone), "%s", phone);
	k.user_id = role <= CARD_SECRETARY ? 7 : 0;
	assert_int_equal(card_add(c, &k), 1);
}

static void test_card_sheet(void **state)
{
	struct card *c = calloc(1, sizeof(*c));
	struct card_sheet s;
	struct print_bi title = {"雁聚张堰", "Wild Geese Gathering in Zhangyan"};
	const struct print_card *p;

	(void)state;
	assert_non_null(c);
	memset(&s, 0, sizeof(s));
	c->enterprise_id = 1;
	snprintf(c->name_zh, sizeof(c->name_zh), "%s", "上海起帆电缆股份有限公司");
	snprintf(c->name_en, sizeof(c->name_en), "%s", "Shanghai Qifan Cable Co., Ltd.");
	snprintf(c->link, sizeof(c->link), "%s", "http://127.0.0.1:8080/q/ABC");
	contact(c, CARD_HOTLINE, "政务服务便民热线", "Government service hotline", "", "12345");
	contact(c, CARD_GRID_WORKER, "李娜", "", "西片区三网格", "139 1620 5201");
	contact(c, CARD_OFFICE, "企业服务办", "Enterprise service office", "张堰镇",
	        "021-5721 1000");
	assert_int_equal(card_sheet_add(&s, c, title), 0);

	/* The card is reused for the next: the first keeps its own copies. */
	snprintf(c->name_zh, sizeof(c->name_zh), "%s", "上海新星铜丝制品有限公司");
	c->name_en[0] = '\0';
	snprintf(c->link, sizeof(c->link), "%s", "http://127.0.0.1:8080/q/DEF");
	memset(c->contacts[0].name_zh, 'x', 10);
	assert_int_equal(card_sheet_add(&s, c, title), 0);
	assert_int_equal(s.n, 2);

	p = &s.cards[0];
	assert_string_equal(p->enterprise.zh, "上海起帆电缆股份有限公司");
	assert_string_equal(p->enterprise.en, "Shanghai Qifan Cable Co., Ltd.");
	assert_string_equal(p->link, "http://127.0.0.1:8080/q/ABC");
	assert_string_equal(p->title.en, "Wild Geese Gathering in Zhangyan");
	assert_string_equal(p->link_says.zh, "扫码反映问题");
	/* People and the office in the card's order; the hotlines apart. */
	assert_int_equal(p->ncontacts, 2);
	assert_string_equal(p->contacts[0].role.zh, "网格员（西片区三网格）");
	assert_string_equal(p->contacts[0].role.en, "Grid worker");
	assert_string_equal(p->contacts[0].name, "李娜");
	assert_string_equal(p->contacts[0].phone, "139 1620 5201");
	/* An office named as its title says it once. */
	assert_string_equal(p->contacts[1].role.zh, "企业服务办（张堰镇）");
	assert_string_equal(p->contacts[1].name, "");
	assert_int_equal(p->nhotlines, 1);
	assert_string_equal(p->hotlines[0].label.zh, "政务服务便民热线");
	assert_string_equal(p->hotlines[0].number, "12345");

	p = &s.cards[1];
	assert_string_equal(p->enterprise.zh, "上海新星铜丝制品有限公司");
	assert_string_equal(p->enterprise.en, "");
	assert_string_equal(p->link, "http://127.0.0.1:8080/q/DEF");
	assert_string_equal(p->contacts[0].name, "xxxxxxxxxx");

	card_sheet_release(&s);
	assert_int_equal(s.n, 0);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_service_contacts),
	    cmocka_unit_test(test_service_hours),
	    cmocka_unit_test(test_card_sheet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
