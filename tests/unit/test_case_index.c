/*
 * The duplicate index: its answers are checked against a brute-force
 * scan of every case with the same scoring, on random texts built from a
 * small vocabulary so that near-duplicates are common; and on hand-made
 * cases for removal, nearness and the exclusion of the case itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/similar.h"
#include "service/case_index.h"

#define NDOCS 3000
#define MAXSH 256

static const char *const words[] = {
    "路灯", "不亮", "小区", "门口", "垃圾", "清运", "不及时", "停车", "困难", "建议",
    "增设", "座椅", "老人", "助餐", "噪音", "扰民", "道路",   "破损", "积水", "绿化",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))
/* Words without a character of those: a new estate's complaints. */
static const char *const new_words[NWORDS] = {
    "电梯", "故障", "楼顶", "漏雨", "快递", "堆放", "外卖", "电瓶", "逆行", "希望",
    "整改", "监控", "孩子", "托管", "装修", "施工", "桥面", "开裂", "窨井", "松动",
};
static const char *const *vocab = words;

struct doc {
	uint32_t sh[MAXSH];
	int n;
	int located;
	double lon, lat;
};

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 32);
}

static void random_text(char *out, size_t n)
{
	int k = 3 + (int)(next() % 6);

	out[0] = '\0';
	for (int i = 0; i < k; i++)
		strncat(out, vocab[next() % NWORDS], n - strlen(out) - 1);
}

static void make_doc(struct doc *d)
{
	char text[256];

	random_text(text, sizeof(text));
	d->n = similar_shingles(text, d->sh, MAXSH);
	d->located = next() % 2;
	d->lon = 121.33 + (next() % 1000) * 1e-5;
	d->lat = 31.11 + (next() % 1000) * 1e-5;
}

static int brute(const struct doc *docs, const unsigned char *alive, int n, const struct doc *q,
                 int64_t *ids, int max)
{
	int found = 0;

	for (int i = 0; i < n && found < max; i++) {
		double j, km = -1;
		if (!alive[i])
			continue;
		j = similar_jaccard(q->sh, q->n, docs[i].sh, docs[i].n);
		if (q->located && docs[i].located)
			km = case_index_km(q->lon, q->lat, docs[i].lon, docs[i].lat);
		if (similar_score(j, km) >= SIMILAR_THRESHOLD)
			ids[found++] = i + 1;
	}
	return found;
}

static int has(const struct similar_hit *h, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (h[i].id == id)
			return 1;
	return 0;
}

/* Looks up `queries` new documents in the current words against the
 * first n of docs, each answer compared with a scan of them all; returns
 * how many answers were not empty. */
static int agrees(struct case_index *x, const struct doc *docs, const unsigned char *alive, int n,
                  int queries)
{
	static struct similar_hit hits[NDOCS];
	static int64_t want[NDOCS];
	int nonempty = 0;

	for (int t = 0; t < queries; t++) {
		struct doc q;
		int nw, nh;
		make_doc(&q);
		nw = brute(docs, alive, n, &q, want, NDOCS);
		nh = case_index_lookup(x, q.sh, q.n, q.located, q.lon, q.lat, 0, hits, NDOCS);
		assert_int_equal(nh, nw);
		for (int i = 0; i < nw; i++)
			assert_true(has(hits, nh, want[i]));
		/* Best first. */
		for (int i = 1; i < nh; i++)
			assert_true(hits[i - 1].score >= hits[i].score);
		nonempty += nw > 0;
	}
	return nonempty;
}

static void test_agrees_with_brute_force(void **state)
{
	struct doc *docs = calloc(NDOCS, sizeof(*docs));
	unsigned char *alive = calloc(NDOCS, 1);
	struct case_index *x = case_index_new();
	int nonempty;

	(void)state;
	assert_non_null(docs);
	assert_non_null(x);
	for (int i = 0; i < NDOCS; i++) {
		make_doc(&docs[i]);
		alive[i] = 1;
		assert_int_equal(case_index_add(x, i + 1, docs[i].sh, docs[i].n, docs[i].located,
		                                docs[i].lon, docs[i].lat),
		                 0);
	}
	/* A tenth closed: gone from the answers. */
	for (int i = 0; i < NDOCS; i += 10) {
		alive[i] = 0;
		case_index_remove(x, i + 1);
	}
	assert_int_equal(case_index_count(x), NDOCS - NDOCS / 10);
	nonempty = agrees(x, docs, alive, NDOCS, 300);
	/* The vocabulary makes matches common enough to mean something. */
	assert_true(nonempty > 30);
	case_index_free(x);
	free(docs);
	free(alive);
}

/* Most cases in words the index's order was taken without (it was taken
 * on the first 1,024), many sharing them, as when a new estate's
 * complaints arrive: the order is taken again as they come, before the
 * index doubles, and every answer stays exact throughout, for queries in
 * the old words and in the new. */
static void test_new_words_keep_answers(void **state)
{
	struct doc *docs = calloc(NDOCS, sizeof(*docs));
	unsigned char *alive = calloc(NDOCS, 1);
	struct case_index *x = case_index_new();
	int nonempty = 0;

	(void)state;
	assert_non_null(docs);
	assert_non_null(x);
	for (int i = 0; i < NDOCS; i++) {
		vocab = i < 1100 ? words : new_words;
		make_doc(&docs[i]);
		alive[i] = 1;
		assert_int_equal(case_index_add(x, i + 1, docs[i].sh, docs[i].n, docs[i].located,
		                                docs[i].lon, docs[i].lat),
		                 0);
		if (i >= 1100 && i % 200 == 0)
			nonempty += agrees(x, docs, alive, i + 1, 40);
	}
	vocab = words;
	nonempty += agrees(x, docs, alive, NDOCS, 100);
	vocab = new_words;
	nonempty += agrees(x, docs, alive, NDOCS, 100);
	vocab = words;
	assert_true(nonempty > 30);
	case_index_free(x);
	free(docs);
	free(alive);
}

static void test_near_text_and_place(void **state)
{
	struct case_index *x = case_index_new();
	uint32_t a[MAXSH], b[MAXSH], c[MAXSH];
	struct similar_hit h[4];
	int na = similar_shingles("涞亭南路人行道路灯间距过大，夜间行走不安全，建议加密路灯。", a,
	                          MAXSH);
	/* Full-width letters and other punctuation fold to the same text. */
	int nb =
	    similar_shingles("涞亭南路人行道路灯间距过大 夜间行走不安全!建议加密路灯", b, MAXSH);
	int nc = similar_shingles("小区门口垃圾清运不及时", c, MAXSH);

	(void)state;
	assert_int_equal(case_index_add(x, 7, a, na, 1, 121.3385, 31.1102), 0);
	assert_int_equal(case_index_add(x, 8, c, nc, 1, 121.3385, 31.1102), 0);
	assert_int_equal(case_index_lookup(x, b, nb, 0, 0, 0, 0, h, 4), 1);
	assert_int_equal(h[0].id, 7);
	assert_true(h[0].jaccard > 0.99);
	assert_true(h[0].km < 0);
	/* The case itself is not its own duplicate. */
	assert_int_equal(case_index_lookup(x, a, na, 0, 0, 0, 7, h, 4), 0);
	/* Closed: gone; added again (reopened): back. */
	case_index_remove(x, 7);
	assert_int_equal(case_index_lookup(x, b, nb, 0, 0, 0, 0, h, 4), 0);
	assert_int_equal(case_index_add(x, 7, a, na, 1, 121.3385, 31.1102), 0);
	assert_int_equal(case_index_lookup(x, b, nb, 1, 121.3386, 31.1102, 0, h, 4), 1);
	/* 0.0001° of longitude at 31° N is about 9.5 m. */
	assert_true(fabs(h[0].km - 0.0095) < 0.002);
	case_index_free(x);
}

static void test_compaction_keeps_answers(void **state)
{
	struct case_index *x = case_index_new();
	uint32_t a[MAXSH];
	struct similar_hit h[2];
	int na = similar_shingles("夜间施工噪音扰民", a, MAXSH);

	(void)state;
	/* Enough removals to set off a compaction, then the survivor is
	 * still found and the removed are not. */
	for (int i = 1; i <= 12000; i++)
		assert_int_equal(case_index_add(x, i, a, na, 0, 0, 0), 0);
	for (int i = 1; i < 12000; i++)
		case_index_remove(x, i);
	assert_int_equal(case_index_count(x), 1);
	assert_int_equal(case_index_lookup(x, a, na, 0, 0, 0, 0, h, 2), 1);
	assert_int_equal(h[0].id, 12000);
	case_index_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_agrees_with_brute_force),
	    cmocka_unit_test(test_new_words_keep_answers),
	    cmocka_unit_test(test_near_text_and_place),
	    cmocka_unit_test(test_compaction_keeps_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
