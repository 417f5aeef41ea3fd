/*
 * Service contact cards: the link's token (its form, its check, reading
 * it from a path), the address links are made under, the order and limits
 * of a card's contacts, and who reads and re-issues cards.  The tokens of
 * fixed bytes were computed apart, with Python's integers: the 128-bit
 * number's base-31 digits, least significant first, and the check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/card.h"

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

static void test_token_vectors(void **state)
{
	unsigned char b[CARD_TOKEN_BYTES];
	char tok[CARD_TOKEN_LEN + 1];

	(void)state;
	memset(b, 0, sizeof(b));
	card_token_make(b, tok);
	assert_string_equal(tok, "222222222222222222222222222");
	memset(b, 0xff, sizeof(b));
	card_token_make(b, tok);
	assert_string_equal(tok, "9GN3SWXAURQ83JJ585MZBVTGQK4");
	for (int i = 0; i < CARD_TOKEN_BYTES; i++)
		b[i] = (unsigned char)(i + 1);
	card_token_make(b, tok);
	assert_string_equal(tok, "QJVRYE58DRM3USMXTN8SH5Y642B");
	assert_int_equal(strlen(tok), CARD_TOKEN_LEN);
	assert_true(card_token_valid(tok));
}

/* The check catches every change of one character and every swap of
 * two different ones, anywhere in the token. */
static void test_token_check(void **state)
{
	unsigned char b[CARD_TOKEN_BYTES];
	char tok[CARD_TOKEN_LEN + 1], probe[CARD_TOKEN_LEN + 1];
	int caught = 0;

	(void)state;
	for (int i = 0; i < CARD_TOKEN_BYTES; i++)
		b[i] = (unsigned char)(37 * i + 11);
	card_token_make(b, tok);
	assert_true(card_token_valid(tok));
	for (int i = 0; i < CARD_TOKEN_LEN; i++) {
		for (const char *a = alphabet; *a; a++) {
			if (*a == tok[i])
				continue;
			memcpy(probe, tok, sizeof(probe));
			probe[i] = *a;
			assert_false(card_token_valid(probe));
			caught++;
		}
		for (int j = i + 1; j < CARD_TOKEN_LEN; j++) {
			if (tok[i] == tok[j])
				continue;
			memcpy(probe, tok, sizeof(probe));
			probe[i] = tok[j];
			probe[j] = tok[i];
			assert_false(card_token_valid(probe));
			caught++;
		}
	}
	assert_true(caught > 27 * 30);
	/* Neither shorter nor longer, nor characters outside the alphabet. */
	assert_false(card_token_valid(""));
	assert_false(card_token_valid(NULL));
	memcpy(probe, tok, sizeof(probe));
	probe[CARD_TOKEN_LEN - 1] = '\0';
	assert_false(card_token_valid(probe));
	for (const char *bad = "01ILOilo-_ /"; *bad; bad++) {
		memcpy(probe, tok, sizeof(probe));
		probe[5] = *bad;
		assert_false(card_token_valid(probe));
	}
}

static void test_token_parse(void **state)
{
	unsigned char b[CARD_TOKEN_BYTES] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 200, 100, 50, 25, 12, 6};
	char tok[CARD_TOKEN_LEN + 1], out[CARD_TOKEN_LEN + 1], path[64];

	(void)state;
	card_token_make(b, tok);
	assert_int_equal(card_token_parse(tok, strlen(tok), out), 0);
	assert_string_equal(out, tok);
	/* Typed in lower case: the same token. */
	for (int i = 0; tok[i]; i++)
		path[i] = (char)(tok[i] >= 'A' && tok[i] <= 'Z' ? tok[i] - 'A' + 'a' : tok[i]);
	path[CARD_TOKEN_LEN] = '\0';
	assert_int_equal(card_token_parse(path, strlen(path), out), 0);
	assert_string_equal(out, tok);
	/* Only the segment's own bytes are read: a longer buffer is cut by
	 * len, and a trailing character is no longer a token. */
	snprintf(path, sizeof(path), "%s/x", tok);
	assert_int_equal(card_token_parse(path, CARD_TOKEN_LEN, out), 0);
	assert_int_equal(card_token_parse(path, CARD_TOKEN_LEN + 2, out), -1);
	assert_string_equal(out, "");
	assert_int_equal(card_token_parse("", 0, out), -1);
	assert_int_equal(card_token_parse(NULL, 0, out), -1);
	/* One character off: refused before any look-up. */
	snprintf(path, sizeof(path), "%s", tok);
	path[0] = path[0] == 'Z' ? 'Y' : 'Z';
	assert_int_equal(card_token_parse(path, strlen(path), out), -1);
	/* A NUL inside the segment is not a character of a token. */
	snprintf(path, sizeof(path), "%s", tok);
	path[3] = '\0';
	assert_int_equal(card_token_parse(path, CARD_TOKEN_LEN, out), -1);
}

static void test_base_url(void **state)
{
	char out[128];

	(void)state;
	assert_int_equal(
	    card_base_url("https://qunyan.example.gov.cn/", "0.0.0.0:8080", "h", out, sizeof(out)),
	    0);
	assert_string_equal(out, "https://qunyan.example.gov.cn");
	assert_int_equal(card_base_url("http://10.1.2.3:9000/town//", "", "", out, sizeof(out)), 0);
	assert_string_equal(out, "http://10.1.2.3:9000/town");
	assert_int_equal(card_base_url(NULL, "127.0.0.1:8080", "h", out, sizeof(out)), 0);
	assert_string_equal(out, "http://127.0.0.1:8080");
	assert_int_equal(card_base_url("", "0.0.0.0:9000", "qunyan-host", out, sizeof(out)), 0);
	assert_string_equal(out, "http://qunyan-host:9000");
	assert_int_equal(card_base_url("", "*:9000", "", out, sizeof(out)), 0);
	assert_string_equal(out, "http://localhost:9000");
	assert_int_equal(card_base_url("", ":7000", "box", out, sizeof(out)), 0);
	assert_string_equal(out, "http://box:7000");
	/* Not a web address: refused, not printed on a card. */
	static const char *const bad[] = {"ftp://x.cn",    "http://",        "https:///path",
	                                  "http://a b.cn", "http://a\".cn",  "qunyan.cn",
	                                  "http://<x>.cn", "javascript:x()", "http://:80"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(card_base_url(bad[i], "127.0.0.1:8080", "h", out, sizeof(out)),
		                 -1);
	/* Too long for out. */
	assert_int_equal(card_base_url("https://qunyan.example.gov.cn", "", "", out, 10), -1);
	assert_int_equal(card_link("http://h:1", "222222222222222222222222222", out, sizeof(out)),
	                 0);
	assert_string_equal(out, "http://h:1/q/222222222222222222222222222");
	assert_int_equal(card_link("http://h:1", "222222222222222222222222222", out, 20), -1);
}

static struct card_contact contact(enum card_role role, const char *name, const char *phone,
                                   int64_t user)
{
	struct card_contact k;

	memset(&k, 0, sizeof(k));
	k.role = role;
	snprintf(k.name_zh, sizeof(k.name_zh), "%s", name);
	snprintf(k.phone, sizeof(k.phone), "%s", phone);
	k.user_id = user;
	return k;
}

static void test_contacts(void **state)
{
	static struct card c;
	struct card_contact k;

	(void)state;
	memset(&c, 0, sizeof(c));
	/* Added in any order, listed by role: grid workers, secretaries,
	 * the office, the hotlines; within a role as added. */
	k = contact(CARD_HOTLINE, "政务服务便民热线", "12345", 0);
	assert_true(card_add(&c, &k));
	k = contact(CARD_OFFICE, "企业服务办", "021-5721 1000", 0);
	assert_true(card_add(&c, &k));
	k = contact(CARD_GRID_WORKER, "李娜", "139 1620 5201", 7);
	assert_true(card_add(&c, &k));
	k = contact(CARD_SECRETARY, "陈永达", "139 1620 3101", 3);
	assert_true(card_add(&c, &k));
	k = contact(CARD_HOTLINE, "张堰镇营商服务热线", "021-5721 8890", 0);
	assert_true(card_add(&c, &k));
	k = contact(CARD_GRID_WORKER, "周静", "139 1620 5203", 11);
	assert_true(card_add(&c, &k));
	assert_int_equal(c.ncontacts, 6);
	assert_string_equal(c.contacts[0].name_zh, "李娜");
	assert_string_equal(c.contacts[1].name_zh, "周静");
	assert_string_equal(c.contacts[2].name_zh, "陈永达");
	assert_string_equal(c.contacts[3].name_zh, "企业服务办");
	assert_string_equal(c.contacts[4].name_zh, "政务服务便民热线");
	assert_string_equal(c.contacts[5].name_zh, "张堰镇营商服务热线");
	/* Left out: the same person again, a second office, a hotline whose
	 * number is listed (written otherwise), a contact without a name. */
	k = contact(CARD_GRID_WORKER, "李娜", "139 1620 5201", 7);
	assert_false(card_add(&c, &k));
	k = contact(CARD_OFFICE, "另一个办公室", "021-1", 0);
	assert_false(card_add(&c, &k));
	k = contact(CARD_HOTLINE, "热线", "02157218890", 0);
	assert_false(card_add(&c, &k));
	k = contact(CARD_SECRETARY, "", "1", 9);
	assert_false(card_add(&c, &k));
	assert_int_equal(c.ncontacts, 6);
	/* At most four grid workers and two secretaries. */
	for (int i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof(name), "网格员%d", i);
		k = contact(CARD_GRID_WORKER, name, "1", 100 + i);
		assert_int_equal(card_add(&c, &k), i < 2);
	}
	k = contact(CARD_SECRETARY, "顾静", "1", 4);
	assert_true(card_add(&c, &k));
	k = contact(CARD_SECRETARY, "沈丽", "1", 6);
	assert_false(card_add(&c, &k));
	assert_int_equal(card_count(&c, CARD_GRID_WORKER), CARD_MAX_GRID_WORKERS);
	assert_int_equal(card_count(&c, CARD_SECRETARY), CARD_MAX_SECRETARIES);
	for (int i = 1; i < c.ncontacts; i++)
		assert_true(c.contacts[i - 1].role <= c.contacts[i].role);
	assert_string_equal(card_role_name(CARD_OFFICE), "service_office");
	assert_string_equal(card_role_title(CARD_GRID_WORKER, 0), "网格员");
	assert_string_equal(card_role_title(CARD_GRID_WORKER, 1), "Grid worker");
}

static struct principal who(enum role r, int64_t ent, int64_t cluster)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.role = r;
	p.user_id = 5;
	p.enterprise_id = ent;
	p.cluster_id = cluster;
	return p;
}

static void test_access(void **state)
{
	struct ent_scope s = {1, 1};
	struct principal p;

	(void)state;
	p = who(ROLE_ADMIN, 0, 0);
	assert_true(card_may_read(&p, &s, 0));
	assert_true(card_may_reissue(&p));
	p = who(ROLE_OFFICER, 0, 0);
	assert_true(card_may_read(&p, &s, 0));
	assert_true(card_may_reissue(&p));
	p = who(ROLE_ENTERPRISE, 1, 0);
	assert_true(card_may_read(&p, &s, 0));
	assert_false(card_may_reissue(&p));
	p = who(ROLE_ENTERPRISE, 2, 0);
	assert_false(card_may_read(&p, &s, 1));
	p = who(ROLE_SECRETARY, 0, 1);
	assert_true(card_may_read(&p, &s, 0));
	assert_false(card_may_reissue(&p));
	p = who(ROLE_SECRETARY, 0, 2);
	assert_false(card_may_read(&p, &s, 0));
	p = who(ROLE_GRID_WORKER, 0, 0);
	assert_false(card_may_read(&p, &s, 0));
	assert_true(card_may_read(&p, &s, 1));
	assert_false(card_may_reissue(&p));
	p = who(ROLE_HANDLER, 0, 0);
	assert_false(card_may_read(&p, &s, 1));
	p = who(ROLE_PUBLIC, 0, 0);
	assert_false(card_may_read(&p, &s, 1));
	assert_false(card_may_reissue(&p));
	/* An enterprise without a cluster has no secretary to read it. */
	s.cluster_id = 0;
	p = who(ROLE_SECRETARY, 0, 0);
	assert_false(card_may_read(&p, &s, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_token_vectors), cmocka_unit_test(test_token_check),
	    cmocka_unit_test(test_token_parse),   cmocka_unit_test(test_base_url),
	    cmocka_unit_test(test_contacts),      cmocka_unit_test(test_access),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
