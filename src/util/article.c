#include "article.h"

#include <ctype.h>
#include <stddef.h>
#include <strings.h>

/* Words that begin with a vowel letter and a consonant sound ("a user",
 * "a one-off") or with a silent h ("an hour"): prefixes, compared
 * without case. */
static const char *const consonant_sound[] = {"one", "once", "uni",  "usa", "use", "usu", "uti",
                                              "ura", "ure",  "euro", "ewe", "uk",  "ubi"};
static const char *const vowel_sound[] = {"hour", "honest", "honou", "honor", "heir"};

static int starts(const char *s, const char *prefix)
{
	size_t n = 0;

	while (prefix[n])
		n++;
	return strncasecmp(s, prefix, n) == 0;
}

const char *article(const char *noun)
{
	if (!noun || !*noun)
		return "a";
	for (size_t i = 0; i < sizeof(vowel_sound) / sizeof(vowel_sound[0]); i++)
		if (starts(noun, vowel_sound[i]))
			return "an";
	for (size_t i = 0; i < sizeof(consonant_sound) / sizeof(consonant_sound[0]); i++)
		if (starts(noun, consonant_sound[i]))
			return "a";
	switch (tolower((unsigned char)*noun)) {
	case 'a':
	case 'e':
	case 'i':
	case 'o':
	case 'u':
		return "an";
	default:
		return "a";
	}
}
