/*
 * The vCard 4.0 writer (RFC 6350) for service cards; see vcard.h.
 */
#include "vcard.h"

#include <stdio.h>
#include <string.h>

void vcard_escape(struct buf *out, const char *s, int component)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '\\':
			buf_adds(out, "\\\\");
			break;
		case ',':
			buf_adds(out, "\\,");
			break;
		case ';':
			/* Separates the components of N and ORG; in a plain
			 * text value it is an ordinary character (§3.4's
			 * TEXT-CHAR admits it, and no "\;" there). */
			buf_adds(out, component ? "\\;" : ";");
			break;
		case '\r':
			/* CR LF, a lone CR and a lone LF are each one line
			 * break. */
			if (p[1] == '\n')
				p++;
			buf_adds(out, "\\n");
			break;
		case '\n':
			buf_adds(out, "\\n");
			break;
		case '\t':
			buf_addc(out, '\t');
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				break; /* no other control character is text */
			buf_addc(out, (char)*p);
		}
	}
}

/*
 * Folds a logical line into out: at most VCARD_FOLD octets a line, the
 * continuation lines beginning with a space that counts among them; a
 * cut never falls inside a UTF-8 character, whose continuation bytes are
 * 10xxxxxx: the cut moves back to the character's first byte.
 */
static void fold(struct buf *out, const char *s, size_t len)
{
	size_t pos = 0;
	int first = 1;

	while (pos < len) {
		size_t room = first ? VCARD_FOLD : VCARD_FOLD - 1;
		size_t take = len - pos < room ? len - pos : room;
		if (pos + take < len)
			while (take > 1 && ((unsigned char)s[pos + take] & 0xC0) == 0x80)
				take--;
		if (!first)
			buf_addc(out, ' ');
		buf_add(out, s + pos, take);
		buf_adds(out, "\r\n");
		pos += take;
		first = 0;
	}
	if (first)
		buf_adds(out, "\r\n");
}

void vcard_line(struct buf *out, const char *name, const char *params, const char *value)
{
	struct buf line = BUF_INIT;

	buf_adds(&line, name);
	if (params)
		buf_adds(&line, params);
	buf_addc(&line, ':');
	buf_adds(&line, value);
	if (line.failed)
		out->failed = 1;
	else
		fold(out, line.s, line.len);
	buf_release(&line);
}

void vcard_text(struct buf *out, const char *name, const char *params, const char *text)
{
	struct buf v = BUF_INIT;

	vcard_escape(&v, text, 0);
	vcard_line(out, name, params, buf_cstr(&v));
	if (v.failed)
		out->failed = 1;
	buf_release(&v);
}

/* The code point of the UTF-8 character at s and its length in *len;
 * -1 (length 1) for a byte that begins none. */
static long utf8_at(const unsigned char *s, int *len)
{
	long cp;
	int n;

	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0)
		n = 2, cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3, cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4, cp = s[0] & 0x07;
	else {
		*len = 1;
		return -1;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return -1;
		}
		cp = cp << 6 | (s[i] & 0x3F);
	}
	*len = n;
	return cp;
}

static int is_han(long cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

/* The compound surnames of the Hundred Family Surnames still in use. */
static const char *const compound_surnames[] = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里",
    "呼延", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "钟离",
    "闾丘", "东郭", "赫连", "万俟", "司空", "拓跋", "第五", "左丘", "公羊", "梁丘",
};

static void copy_n(char *dst, size_t n, const char *src, size_t len)
{
	if (!n)
		return;
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

void vcard_name_split(const char *name, char *family, size_t fn, char *given, size_t gn)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t len = strlen(name);
	int han = 0, other = 0, latin = 1, first_len = 0, spaces = 0;

	copy_n(family, fn, "", 0);
	copy_n(given, gn, "", 0);
	for (size_t i = 0; i < len;) {
		int l;
		long cp = utf8_at(s + i, &l);
		if (is_han(cp)) {
			han++;
			if (han == 1)
				first_len = l;
		} else {
			other++;
		}
		if (cp == ' ')
			spaces++;
		else if (!((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '-' ||
		           cp == '\'' || cp == '.'))
			latin = 0;
		i += (size_t)l;
	}
	if (!other && han >= 2 && han <= 5) {
		size_t cut = (size_t)first_len;
		if (han >= 3)
			for (size_t k = 0;
			     k < sizeof(compound_surnames) / sizeof(*compound_surnames); k++) {
				size_t cl = strlen(compound_surnames[k]);
				if (len > cl && memcmp(name, compound_surnames[k], cl) == 0) {
					cut = cl;
					break;
				}
			}
		copy_n(family, fn, name, cut);
		copy_n(given, gn, name + cut, len - cut);
		return;
	}
	if (latin && spaces && !han) {
		const char *last = strrchr(name, ' ');
		size_t glen = (size_t)(last - name);
		while (glen && name[glen - 1] == ' ')
			glen--;
		if (last[1] && glen) {
			copy_n(family, fn, last + 1, strlen(last + 1));
			copy_n(given, gn, name, glen);
			return;
		}
	}
	copy_n(given, gn, name, len);
}

int vcard_tel_uri(const char *phone, char *out, size_t n)
{
	char d[41];
	int nd = 0, plus = 0, len;

	for (const char *p = phone; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (nd < 40)
				d[nd++] = *p;
		} else if (*p == '+' && nd == 0) {
			plus = 1;
		}
	}
	d[nd] = '\0';
	if (!nd)
		return -1;
	if (plus)
		len = snprintf(out, n, "tel:+%s", d);
	else if (d[0] == '0' && nd >= 10)
		len = snprintf(out, n, "tel:+86%s", d + 1);
	else if (d[0] == '1' && nd == 11)
		len = snprintf(out, n, "tel:+86%s", d);
	else
		len = snprintf(out, n, "tel:%s;phone-context=+86", d);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* A text property in Chinese, with its English form beside it as an
 * alternative (ALTID) when there is one that differs. */
static void text_zh_en(struct buf *out, const char *name, const char *zh, const char *en)
{
	if (en && *en && strcmp(en, zh) != 0) {
		vcard_text(out, name, ";ALTID=1;LANGUAGE=zh-CN", zh);
		vcard_text(out, name, ";ALTID=1;LANGUAGE=en", en);
	} else {
		vcard_text(out, name, NULL, zh);
	}
}

/* ORG with its components: the organisation, then the unit. */
static void org_zh_en(struct buf *out, const char *org_zh, const char *unit_zh, const char *org_en,
                      const char *unit_en)
{
	struct buf zh = BUF_INIT, en = BUF_INIT;
	int alt = (org_en && *org_en) || (unit_en && *unit_en);

	vcard_escape(&zh, org_zh, 1);
	if (unit_zh && *unit_zh) {
		buf_addc(&zh, ';');
		vcard_escape(&zh, unit_zh, 1);
	}
	if (alt) {
		vcard_escape(&en, org_en && *org_en ? org_en : org_zh, 1);
		if (unit_zh && *unit_zh) {
			buf_addc(&en, ';');
			vcard_escape(&en, unit_en && *unit_en ? unit_en : unit_zh, 1);
		}
	}
	if (alt && strcmp(buf_cstr(&zh), buf_cstr(&en)) != 0) {
		vcard_line(out, "ORG", ";ALTID=1;LANGUAGE=zh-CN", buf_cstr(&zh));
		vcard_line(out, "ORG", ";ALTID=1;LANGUAGE=en", buf_cstr(&en));
	} else {
		vcard_line(out, "ORG", NULL, buf_cstr(&zh));
	}
	if (zh.failed || en.failed)
		out->failed = 1;
	buf_release(&zh);
	buf_release(&en);
}

void vcard_contact(struct buf *out, const struct card_contact *k)
{
	int person = k->role == CARD_GRID_WORKER || k->role == CARD_SECRETARY;
	char tel[120];

	vcard_line(out, "BEGIN", NULL, "VCARD");
	vcard_line(out, "VERSION", NULL, "4.0");
	vcard_line(out, "KIND", NULL, person ? "individual" : "org");
	if (person) {
		char family[401], given[401];
		struct buf n = BUF_INIT;

		vcard_text(out, "FN", NULL, k->name_zh);
		vcard_name_split(k->name_zh, family, sizeof(family), given, sizeof(given));
		/* family;given;additional;prefixes;suffixes */
		vcard_escape(&n, family, 1);
		buf_addc(&n, ';');
		vcard_escape(&n, given, 1);
		buf_adds(&n, ";;;");
		vcard_line(out, "N", NULL, buf_cstr(&n));
		if (n.failed)
			out->failed = 1;
		buf_release(&n);
		if (k->unit_zh[0])
			org_zh_en(out, k->unit_zh, NULL, k->unit_en, NULL);
	} else {
		text_zh_en(out, "FN", k->name_zh, k->name_en);
		if (k->unit_zh[0])
			org_zh_en(out, k->unit_zh, k->name_zh, k->unit_en, k->name_en);
		else
			org_zh_en(out, k->name_zh, NULL, k->name_en, NULL);
	}
	text_zh_en(out, "TITLE", card_role_title(k->role, 0), card_role_title(k->role, 1));
	if (k->phone[0] && vcard_tel_uri(k->phone, tel, sizeof(tel)) == 0)
		vcard_line(out, "TEL", ";VALUE=uri;TYPE=work,voice", tel);
	vcard_line(out, "END", NULL, "VCARD");
}

void vcard_card(struct buf *out, const struct card *c)
{
	for (int i = 0; i < c->ncontacts; i++)
		vcard_contact(out, &c->contacts[i]);
}
