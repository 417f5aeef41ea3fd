/*
 * Numbers that arrive as text: query parameters, form fields, path
 * segments.  strtod() and strtoll() are too kind for them: strtod() reads
 * hexadecimal ("0x1p4" is 16), "nan", "inf", "infinity" and leading
 * spaces, and strtoll() clamps a number beyond 64 bits to the largest one
 * instead of failing.  These read exactly the decimal forms and say when a
 * number does not fit.  Pure functions; the locale is not consulted for
 * the syntax.
 */
#ifndef QY_NUM_H
#define QY_NUM_H

#include <stdint.h>

enum num_result {
	NUM_OK = 0,
	NUM_SYNTAX = -1, /* not a number in the accepted form (or NULL, or "") */
	NUM_RANGE = -2,  /* a number in that form, but too large to hold */
};

/*
 * A decimal number: an optional '-', one or more digits, optionally a
 * '.' and one or more digits, optionally an exponent 'e' or 'E' with an
 * optional sign and one or more digits; nothing before or after, at most
 * 64 characters.  "-12", "0.5", "1e3" and "3.25E-2" are numbers; "+1",
 * ".5", "5.", " 5", "0x10", "nan", "inf" and "1,5" are not.  A value
 * beyond the range of a double (1e400) is NUM_RANGE; one too small to
 * represent becomes 0 or a subnormal, as near as the double can be.
 */
enum num_result num_decimal(const char *s, double *out);

/*
 * A whole number: an optional '-' and one or more decimal digits, nothing
 * else (no '+', no spaces, no fraction, no exponent).  A number outside
 * [INT64_MIN, INT64_MAX] is NUM_RANGE, never clamped.
 */
enum num_result num_int64(const char *s, int64_t *out);

#endif
