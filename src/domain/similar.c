#include "similar.h"

#include <stdlib.h>
#include <utf8proc.h>

/*
 * Letters and numbers carry the meaning of a complaint; punctuation,
 * spaces and symbols are how it was typed.  "路灯坏了！" and "路灯，坏了"
 * report the same lamp.
 */
static int kept(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

/*
 * FNV-1a over the two code points, four bytes each, low byte first: fixed,
 * so that shingles stored with one case compare with those computed for
 * the next one, whichever build or machine computed them.
 */
static uint32_t shingle_hash(uint32_t a, uint32_t b)
{
	uint32_t h = 2166136261u;
	uint32_t cps[2] = {a, b};

	for (int i = 0; i < 2; i++)
		for (int shift = 0; shift < 32; shift += 8) {
			h ^= (cps[i] >> shift) & 0xFF;
			h *= 16777619u;
		}
	return h;
}

static int cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return (a > b) - (a < b);
}

int similar_shingles(const char *text, uint32_t *out, int max)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t len, pos = 0;
	utf8proc_int32_t cp, prev = -1;
	uint32_t *all;
	size_t count = 0, unique = 0, nkept = 0;

	if (!text)
		return 0;
	/* NFKC makes full-width ＡＢＣ and １２３ the ASCII ones, case
	 * folding makes ABC abc: the same words typed on another keyboard. */
	len = utf8proc_map((const utf8proc_uint8_t *)text, 0, &folded,
	                   UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	                       UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
	if (len < 0)
		return -1;
	/* No more shingles than code points, and no more code points than
	 * bytes; one extra for the empty text. */
	all = malloc(((size_t)len + 1) * sizeof(*all));
	if (!all) {
		free(folded);
		return -1;
	}
	while (pos < len) {
		utf8proc_ssize_t step = utf8proc_iterate(folded + pos, len - pos, &cp);

		/* utf8proc_map wrote valid UTF-8; guard against looping
		 * anyway. */
		if (step <= 0)
			break;
		pos += step;
		if (!kept(cp))
			continue;
		nkept++;
		/* Bigrams join across the dropped characters: "路灯，坏了"
		 * gives 路灯 灯坏 坏了, as "路灯坏了" does. */
		if (prev >= 0)
			all[count++] = shingle_hash((uint32_t)prev, (uint32_t)cp);
		prev = cp;
	}
	/* A one-character text ("漏") has no bigram; its character alone,
	 * paired with 0 (never kept, so never a real bigram), still lets it
	 * match itself. */
	if (nkept == 1)
		all[count++] = shingle_hash((uint32_t)prev, 0);
	free(folded);

	qsort(all, count, sizeof(*all), cmp_u32);
	for (size_t i = 0; i < count; i++)
		if (unique == 0 || all[i] != all[unique - 1])
			all[unique++] = all[i];
	/*
	 * Over max, the smallest hashes are kept: the same cut for every
	 * text (a bottom-k sketch), so two long texts still compare on
	 * shingles chosen alike, not on their openings.
	 */
	if (max < 0)
		max = 0;
	if (unique > (size_t)max)
		unique = (size_t)max;
	for (size_t i = 0; i < unique; i++)
		out[i] = all[i];
	free(all);
	return (int)unique;
}

double similar_jaccard(const uint32_t *a, int na, const uint32_t *b, int nb)
{
	int i = 0, j = 0, common = 0, total;

	if (na < 0)
		na = 0;
	if (nb < 0)
		nb = 0;
	while (i < na && j < nb) {
		if (a[i] < b[j]) {
			i++;
		} else if (a[i] > b[j]) {
			j++;
		} else {
			common++;
			i++;
			j++;
		}
	}
	total = na + nb - common;
	/* Two empty texts are not evidence of a duplicate. */
	if (total == 0)
		return 0.0;
	return (double)common / total;
}

double similar_score(double jaccard, double km)
{
	double score = jaccard;

	/* NaN fails km >= 0 and counts as unknown, as it should. */
	if (km >= 0 && km < 0.5)
		score += 0.2 * (1.0 - km / 0.5);
	return score > 1.0 ? 1.0 : score;
}
