/*
 * The "qy_grams" tokenizer of FTS5: every character of a text and every
 * pair of neighbouring characters, so that an index over it finds the
 * rows holding a word of one or two characters, which the built-in
 * trigram tokenizer cannot (it makes no token of fewer than three).
 *
 * What a LIKE '%w%' finds, the index must find too, since the index only
 * narrows and the LIKE decides: so Latin capitals are folded to small
 * letters as LIKE folds them (ASCII only, as SQLite's LIKE without ICU),
 * and nothing else is changed.  The words of a query never hold a space
 * or a tab (they are what separates them), so no token holds one either:
 * that keeps an English text's index a fifth smaller.
 *
 * A document gives both kinds of token.  A query (FTS5_TOKENIZE_QUERY)
 * gives one token for a word of one or two characters: the character or
 * the pair, since an index without positions (detail=none) cannot answer
 * a phrase of several tokens; a longer word gives its pairs, for a
 * caller that ANDs them itself.
 *
 * Bytes that are not UTF-8 are taken one at a time, so that any text
 * tokenizes (fuzz/grams.c).
 */
#include <string.h>

#include "sqlite_internal.h"

/* The length in bytes of the character at p, of at most left bytes: a
 * malformed or cut sequence is one byte. */
static int char_len(const unsigned char *p, int left)
{
	int n = p[0] < 0xC0 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : p[0] < 0xF8 ? 4 : 1;

	if (n > left)
		return 1;
	for (int i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

static int is_gap(const unsigned char *p, int n)
{
	return n == 1 && (*p == ' ' || *p == '\t');
}

/* Appends the character at p (n bytes) to tok, a Latin capital folded. */
static int add_char(char *tok, int at, const unsigned char *p, int n)
{
	for (int i = 0; i < n; i++)
		tok[at + i] = (char)(n == 1 && p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
	return at + n;
}

typedef int (*token_fn)(void *ctx, int flags, const char *tok, int ntok, int start, int end);

int store_grams_tokenize(void *ctx, int flags, const char *text, int ntext, token_fn token)
{
	const unsigned char *p = (const unsigned char *)text;
	int query = (flags & FTS5_TOKENIZE_QUERY) != 0, chars = 0, rc = SQLITE_OK;
	char tok[8];

	if (!p || ntext <= 0)
		return SQLITE_OK;
	if (query) {
		for (int i = 0; i < ntext && chars < 2; i += char_len(p + i, ntext - i))
			chars++;
	}
	for (int i = 0; i < ntext && rc == SQLITE_OK;) {
		int n = char_len(p + i, ntext - i), next = i + n, m, len;
		if (is_gap(p + i, n)) {
			i = next;
			continue;
		}
		len = add_char(tok, 0, p + i, n);
		if (!query || chars == 1)
			rc = token(ctx, 0, tok, len, i, next);
		if (rc == SQLITE_OK && next < ntext) {
			m = char_len(p + next, ntext - next);
			if (!is_gap(p + next, m))
				rc = token(ctx, 0, tok, add_char(tok, len, p + next, m), i,
				           next + m);
		}
		i = next;
	}
	return rc;
}

/* FTS5's calls.  The tokenizer keeps no state: one instance serves every
 * table and connection. */
static int grams_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	static char instance;

	(void)ctx;
	(void)argv;
	if (argc)
		return SQLITE_ERROR; /* it takes no options */
	*out = (Fts5Tokenizer *)&instance;
	return SQLITE_OK;
}

static void grams_delete(Fts5Tokenizer *t)
{
	(void)t;
}

static int grams_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int ntext,
                          token_fn token)
{
	(void)t;
	return store_grams_tokenize(ctx, flags, text, ntext, token);
}

int store_grams_register(sqlite3 *db)
{
	fts5_tokenizer grams = {grams_create, grams_delete, grams_tokenize};
	fts5_api *api = NULL;
	sqlite3_stmt *s;

	/* The documented way to reach FTS5's API from C: a pointer passed
	 * through SELECT fts5(?). */
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	if (!api || api->iVersion < 2)
		return -1;
	return api->xCreateTokenizer(api, "qy_grams", NULL, &grams, NULL) == SQLITE_OK ? 0 : -1;
}
