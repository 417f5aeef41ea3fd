/*
 * The indefinite article of an English noun, for messages that name a
 * thing by a variable ("an officer may not ...", "a handler may not
 * ..."): the word's sound decides, not its first letter alone, so "an
 * admin", "an enterprise", "an unknown", "an hour" but "a user", "a
 * unit", "a one-off".  Good enough for the nouns qunyan speaks of (roles,
 * levels, kinds, request kinds), not a dictionary of English.
 */
#ifndef QY_ARTICLE_H
#define QY_ARTICLE_H

/* "a" or "an" for `noun` (its first word, any case); "a" for NULL or "". */
const char *article(const char *noun);

#endif
