/*
 * The tokenizer qy_grams of the catalogue's index of short words
 * (src/store/sqlite_grams.c): any bytes, as a document and as a query.
 * Every token is one or two characters of the text, exactly as they
 * stand there but for Latin capitals folded to small letters, with the
 * offsets of where they stand; none holds a space or a tab; a query of
 * one or two characters gives one token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/enterprise.h"
#include "harness.h"
#include "store/sqlite_internal.h"

struct seen {
	const char *text;
	int n, tokens;
};

static int on_token(void *ctx, int flags, const char *tok, int ntok, int start, int end)
{
	struct seen *s = ctx;

	(void)flags;
	s->tokens++;
	if (ntok < 1 || ntok > 8 || start < 0 || end > s->n || end - start != ntok) {
		fprintf(stderr, "token of %d bytes at [%d, %d) of %d\n", ntok, start, end, s->n);
		abort();
	}
	for (int i = 0; i < ntok; i++) {
		char c = s->text[start + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (tok[i] != c || c == ' ' || c == '\t') {
			fprintf(stderr, "token byte %d is not the text's at %d\n", i, start + i);
			abort();
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = {(const char *)data, (int)size, 0};

	if (size > 4096)
		return 0;
	if (store_grams_tokenize(&s, FTS5_TOKENIZE_DOCUMENT, s.text, s.n, on_token) != 0)
		abort();
	s.tokens = 0;
	if (store_grams_tokenize(&s, FTS5_TOKENIZE_QUERY, s.text, s.n, on_token) != 0)
		abort();
	/* A word of one or two characters (valid UTF-8, no gap) is one token. */
	if (size && size <= 8) {
		char *text = fz_cstr(data, size);
		long chars = utf8_chars(text);
		if (chars >= 1 && chars <= 2 && strlen(text) == size && !strpbrk(text, " \t") &&
		    s.tokens != 1) {
			fprintf(stderr, "a word of %ld characters gave %d tokens\n", chars,
			        s.tokens);
			abort();
		}
		free(text);
	}
	return 0;
}
