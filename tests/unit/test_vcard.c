/*
 * The vCard 4.0 writer (RFC 6350): escaping of text and of structured
 * components (§3.4), folding at 75 octets without cutting a UTF-8
 * character (§3.2), CRLF line ends, Chinese names cut into family and
 * given names, phone numbers as tel: URIs, and whole cards.  Expected
 * texts are written out by hand from the RFC's rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/vcard.h"

static void escaped(const char *in, int component, const char *want)
{
	struct buf b = BUF_INIT;

	vcard_escape(&b, in, component);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void test_escape(void **state)
{
	(void)state;
	escaped("plain 文字", 0, "plain 文字");
	escaped("a,b", 0, "a\\,b");
	escaped("a;b", 0, "a;b"); /* a text value keeps its semicolons */
	escaped("a;b", 1, "a\\;b");
	escaped("back\\slash", 0, "back\\\\slash");
	escaped("line1\nline2", 0, "line1\\nline2");
	escaped("crlf\r\nlone cr\rend", 0, "crlf\\nlone cr\\nend");
	escaped("tab\there", 0, "tab\there");
	escaped("bell\a and del\x7f gone", 0, "bell and del gone");
	escaped("张三, 李四; 王五\\", 1, "张三\\, 李四\\; 王五\\\\");
	escaped("", 1, "");
}

static void line(const char *name, const char *params, const char *text, const char *want)
{
	struct buf b = BUF_INIT;

	vcard_text(&b, name, params, text);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void test_fold(void **state)
{
	char text[512], want[1024];

	(void)state;
	line("FN", NULL, "李娜", "FN:李娜\r\n");
	/* 75 octets exactly stay one line. */
	memset(text, 'a', 72);
	text[72] = '\0';
	snprintf(want, sizeof(want), "FN:%s\r\n", text);
	line("FN", NULL, text, want);
	/* "NOTE:" and 100 letters: 75 octets, then a space and the 30 left. */
	memset(text, 'a', 100);
	text[100] = '\0';
	snprintf(want, sizeof(want), "NOTE:%.70s\r\n %.30s\r\n", text, text);
	line("NOTE", NULL, text, want);
	/* 40 characters of three octets: "FN:" and 24 of them is 75 octets,
	 * then a space and the other 16. */
	text[0] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(text, "雁");
	want[0] = '\0';
	strcat(want, "FN:");
	for (int i = 0; i < 24; i++)
		strcat(want, "雁");
	strcat(want, "\r\n ");
	for (int i = 0; i < 16; i++)
		strcat(want, "雁");
	strcat(want, "\r\n");
	line("FN", NULL, text, want);
	/* One octet more in front: the 24th character would end at octet 76,
	 * so the first line stops at 73 and the character goes whole to the
	 * next. */
	snprintf(text, sizeof(text), "a");
	for (int i = 0; i < 30; i++)
		strcat(text, "雁");
	snprintf(want, sizeof(want), "FN:a");
	for (int i = 0; i < 23; i++)
		strcat(want, "雁");
	strcat(want, "\r\n ");
	for (int i = 0; i < 7; i++)
		strcat(want, "雁");
	strcat(want, "\r\n");
	line("FN", NULL, text, want);
}

/* Every physical line: at most 75 octets, whole UTF-8 characters, CRLF;
 * unfolded, the lines are the logical ones. */
static void test_fold_property(void **state)
{
	struct buf b = BUF_INIT;
	char text[2048] = "";
	const char *p, *end;

	(void)state;
	/* Mixed widths so that cuts fall everywhere: 1, 2, 3 and 4 octets. */
	for (int i = 0; i < 60; i++)
		strcat(text, i % 4 == 0 ? "a" : i % 4 == 1 ? "é" : i % 4 == 2 ? "雁" : "😀");
	strcat(text, ", 逗号; 分号\\ 与\n换行");
	vcard_text(&b, "NOTE", ";LANGUAGE=zh-CN", text);
	p = buf_cstr(&b);
	end = p + b.len;
	while (p < end) {
		const char *crlf = strstr(p, "\r\n");
		assert_non_null(crlf);
		assert_true(crlf - p <= VCARD_FOLD);
		/* No line ends in the middle of a character: the next line's
		 * first octet (after the fold's space) is no continuation byte,
		 * and the line's own last character is complete. */
		if (crlf + 2 < end) {
			assert_int_equal(crlf[2], ' ');
			assert_int_not_equal(((unsigned char)crlf[3]) & 0xC0, 0x80);
		}
		p = crlf + 2;
	}
	{
		/* Unfolding: drop every CRLF followed by a space. */
		struct buf u = BUF_INIT;
		struct buf want = BUF_INIT;
		for (p = buf_cstr(&b); *p; p++) {
			if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
				p += 2;
				continue;
			}
			buf_addc(&u, *p);
		}
		buf_adds(&want, "NOTE;LANGUAGE=zh-CN:");
		vcard_escape(&want, text, 0);
		buf_adds(&want, "\r\n");
		assert_string_equal(buf_cstr(&u), buf_cstr(&want));
		buf_release(&u);
		buf_release(&want);
	}
	buf_release(&b);
}

static void split(const char *name, const char *family, const char *given)
{
	char f[64], g[64];

	vcard_name_split(name, f, sizeof(f), g, sizeof(g));
	assert_string_equal(f, family);
	assert_string_equal(g, given);
}

static void test_names(void **state)
{
	(void)state;
	split("李娜", "李", "娜");
	split("陈永达", "陈", "永达");
	split("欧阳娜娜", "欧阳", "娜娜");
	split("司马光", "司马", "光");
	split("诸葛亮", "诸葛", "亮");
	split("欧阳", "欧", "阳"); /* two characters: a surname and a name */
	split("Li Na", "Na", "Li");
	split("Mary Ann Smith", "Smith", "Mary Ann");
	split("起帆电缆联系人", "", "起帆电缆联系人"); /* no person's name */
	split("阿卜杜拉·买买提", "", "阿卜杜拉·买买提");
	split("admin", "", "admin");
	split("", "", "");
}

static void tel(const char *phone, const char *want)
{
	char out[80];

	if (!want) {
		assert_int_equal(vcard_tel_uri(phone, out, sizeof(out)), -1);
		return;
	}
	assert_int_equal(vcard_tel_uri(phone, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

static void test_tel(void **state)
{
	(void)state;
	tel("021-5721 8890", "tel:+862157218890");
	tel("(021) 57211000", "tel:+862157211000");
	tel("139 1620 5201", "tel:+8613916205201");
	tel("12345", "tel:12345;phone-context=+86");
	tel("+1 (415) 555-0100", "tel:+14155550100");
	tel("", NULL);
	tel("无", NULL);
}

static void test_contact(void **state)
{
	struct card_contact k;
	struct buf b = BUF_INIT;

	(void)state;
	memset(&k, 0, sizeof(k));
	k.role = CARD_SECRETARY;
	snprintf(k.name_zh, sizeof(k.name_zh), "陈永达");
	snprintf(k.unit_zh, sizeof(k.unit_zh), "光电传输产业集群");
	snprintf(k.unit_en, sizeof(k.unit_en), "Optoelectronic transmission, cables; fibres");
	snprintf(k.phone, sizeof(k.phone), "139 1620 3101");
	vcard_contact(&b, &k);
	assert_string_equal(buf_cstr(&b), "BEGIN:VCARD\r\n"
	                                  "VERSION:4.0\r\n"
	                                  "KIND:individual\r\n"
	                                  "FN:陈永达\r\n"
	                                  "N:陈;永达;;;\r\n"
	                                  "ORG;ALTID=1;LANGUAGE=zh-CN:光电传输产业集群\r\n"
	                                  "ORG;ALTID=1;LANGUAGE=en:Optoelectronic transmission\\, "
	                                  "cables\\; fibres\r\n"
	                                  "TITLE;ALTID=1;LANGUAGE=zh-CN:集群党支部书记\r\n"
	                                  "TITLE;ALTID=1;LANGUAGE=en:Cluster secretary\r\n"
	                                  "TEL;VALUE=uri;TYPE=work,voice:tel:+8613916203101\r\n"
	                                  "END:VCARD\r\n");
	buf_reset(&b);
	memset(&k, 0, sizeof(k));
	k.role = CARD_HOTLINE;
	snprintf(k.name_zh, sizeof(k.name_zh), "政务服务便民热线");
	snprintf(k.name_en, sizeof(k.name_en), "Government service hotline");
	snprintf(k.phone, sizeof(k.phone), "12345");
	vcard_contact(&b, &k);
	assert_string_equal(buf_cstr(&b),
	                    "BEGIN:VCARD\r\n"
	                    "VERSION:4.0\r\n"
	                    "KIND:org\r\n"
	                    "FN;ALTID=1;LANGUAGE=zh-CN:政务服务便民热线\r\n"
	                    "FN;ALTID=1;LANGUAGE=en:Government service hotline\r\n"
	                    "ORG;ALTID=1;LANGUAGE=zh-CN:政务服务便民热线\r\n"
	                    "ORG;ALTID=1;LANGUAGE=en:Government service hotline\r\n"
	                    "TITLE;ALTID=1;LANGUAGE=zh-CN:服务热线\r\n"
	                    "TITLE;ALTID=1;LANGUAGE=en:Hotline\r\n"
	                    "TEL;VALUE=uri;TYPE=work,voice:tel:12345;phone-context=+86\r\n"
	                    "END:VCARD\r\n");
	buf_reset(&b);
	/* A name with every character to escape, written by hand into an
	 * account's display name. */
	memset(&k, 0, sizeof(k));
	k.role = CARD_GRID_WORKER;
	snprintf(k.name_zh, sizeof(k.name_zh), "Wei, Zhang; Jr\\");
	vcard_contact(&b, &k);
	assert_non_null(strstr(buf_cstr(&b), "\r\nFN:Wei\\, Zhang; Jr\\\\\r\n"));
	assert_non_null(strstr(buf_cstr(&b), "\r\nN:;Wei\\, Zhang\\; Jr\\\\;;;\r\n"));
	assert_null(strstr(buf_cstr(&b), "TEL")); /* no phone, no TEL */
	buf_release(&b);
}

static void test_card(void **state)
{
	static struct card c;
	struct buf b = BUF_INIT;
	const char *p;
	int n = 0;

	(void)state;
	memset(&c, 0, sizeof(c));
	for (int i = 0; i < 3; i++) {
		c.contacts[i].role = (enum card_role)i;
		snprintf(c.contacts[i].name_zh, sizeof(c.contacts[i].name_zh), "联系人%d", i);
	}
	c.ncontacts = 3;
	vcard_card(&b, &c);
	for (p = buf_cstr(&b); (p = strstr(p, "BEGIN:VCARD\r\n")); p++)
		n++;
	assert_int_equal(n, 3);
	/* Nothing but CRLF ends a line. */
	for (p = buf_cstr(&b); *p; p++)
		if (*p == '\n')
			assert_true(p > buf_cstr(&b) && p[-1] == '\r');
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),        cmocka_unit_test(test_fold),
	    cmocka_unit_test(test_fold_property), cmocka_unit_test(test_names),
	    cmocka_unit_test(test_tel),           cmocka_unit_test(test_contact),
	    cmocka_unit_test(test_card),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
