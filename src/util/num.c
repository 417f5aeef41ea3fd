#include "num.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DECIMAL_MAX 64

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The length of a run of digits at p. */
static size_t digits(const char *p)
{
	size_t n = 0;

	while (digit(p[n]))
		n++;
	return n;
}

enum num_result num_decimal(const char *s, double *out)
{
	const char *p = s;
	char *end;
	size_t n;
	double v;

	if (!s || strlen(s) > DECIMAL_MAX)
		return NUM_SYNTAX;
	if (*p == '-')
		p++;
	if (!(n = digits(p)))
		return NUM_SYNTAX;
	p += n;
	if (*p == '.') {
		if (!(n = digits(++p)))
			return NUM_SYNTAX;
		p += n;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(n = digits(p)))
			return NUM_SYNTAX;
		p += n;
	}
	if (*p)
		return NUM_SYNTAX;
	/* The form is checked; strtod() only converts it, and must take all
	 * of it (it would stop early under a locale with a decimal comma). */
	v = strtod(s, &end);
	if (*end)
		return NUM_SYNTAX;
	if (!isfinite(v))
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

enum num_result num_int64(const char *s, int64_t *out)
{
	const char *p = s;
	int neg = 0;
	uint64_t v = 0, limit;

	if (!s)
		return NUM_SYNTAX;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!digit(*p))
		return NUM_SYNTAX;
	/* INT64_MIN's magnitude is one more than INT64_MAX's. */
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p; p++) {
		unsigned d;
		if (!digit(*p))
			return NUM_SYNTAX;
		d = (unsigned)(*p - '0');
		if (v > (limit - d) / 10) {
			/* Too large; still a syntax error if a non-digit follows. */
			while (digit(*p))
				p++;
			return *p ? NUM_SYNTAX : NUM_RANGE;
		}
		v = v * 10 + d;
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return NUM_OK;
}
