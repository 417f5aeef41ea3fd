/*
 * Finding similar cases on intake: text similarity over NFKC-folded,
 * case-folded character n-grams, which works for Chinese (no word
 * boundaries needed) as for English, plus distance where both are
 * located.
 */
#ifndef QY_SIMILAR_H
#define QY_SIMILAR_H

#include <stddef.h>
#include <stdint.h>

/*
 * The text's character bigrams after NFKC and case folding (utf8proc),
 * with all but letters and numbers removed, each hashed to 32 bits
 * (FNV-1a), sorted and deduplicated; a text of one such character gives
 * that character as its one shingle.  Returns the count written (at most
 * max: the smallest hashes), 0 for NULL, or -1 when the text is not UTF-8
 * (or memory runs out).
 */
int similar_shingles(const char *text, uint32_t *out, int max);
/* Jaccard similarity of two sorted, deduplicated shingle sets: 0..1; 0
 * when both are empty. */
double similar_jaccard(const uint32_t *a, int na, const uint32_t *b, int nb);

/*
 * The score of a candidate: the text similarity, raised when both cases
 * are located close together: score = jaccard + 0.2 × max(0, 1 − km/0.5)
 * (within 500 m), capped at 1; km < 0 means unknown and adds nothing.
 * A candidate is offered as a duplicate when score ≥ 0.5.
 */
double similar_score(double jaccard, double km);
#define SIMILAR_THRESHOLD 0.5

#endif
