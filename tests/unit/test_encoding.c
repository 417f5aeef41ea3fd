/* Content codings (src/http/encoding.h): types, Accept-Encoding, gzip. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "http/encoding.h"

static void test_compressible_types(void **state)
{
	static const char *const yes[] = {
	    "application/json; charset=utf-8",
	    "application/json",
	    "APPLICATION/JSON",
	    "application/geo+json",
	    "application/problem+json",
	    "application/xml; charset=utf-8",
	    "text/xml",
	    "text/html; charset=utf-8",
	    "text/css; charset=utf-8",
	    "text/javascript; charset=utf-8",
	    "application/javascript",
	    "image/svg+xml",
	    "text/csv; charset=utf-8",
	    "text/plain; version=0.0.4; charset=utf-8",
	    "  text/plain ",
	};
	static const char *const no[] = {
	    "image/png",
	    "image/jpeg",
	    "image/x-icon",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "application/zip",
	    "application/gzip",
	    "application/octet-stream",
	    "text/",
	    "application/jsonx",
	    "",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(enc_compressible(yes[i]));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(enc_compressible(no[i]));
	assert_false(enc_compressible(NULL));
}

static void test_accept_encoding(void **state)
{
	static const char *const yes[] = {
	    "gzip",
	    "GZIP",
	    "gzip, deflate, br",
	    "deflate, gzip",
	    "br;q=1.0, gzip;q=0.8, *;q=0.1",
	    "x-gzip",
	    "*",
	    "*;q=0.5",
	    "gzip;q=0.001",
	    "gzip ; q=1",
	    "gzip;q=1.000",
	    "identity;q=0.5, gzip",
	    "gzip;q=0.5, identity;q=0.5",
	    "gzip;level=9",
	};
	static const char *const no[] = {
	    "",         "identity",       "deflate, br",
	    "gzip;q=0", "gzip;q=0.000",   "gzip;q=0, *",
	    "*;q=0",    "*, gzip;q=0",    "gzip;q=0.5, identity",
	    "gzip;q=2", "gzip;q=1.5",     "gzip;q=0.0001",
	    "gzip;q=",  "gzip;q=abc",     "gzip;q",
	    "gzipx",    "gzip;q=0, gzip",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!enc_accepts_gzip(yes[i]))
			fail_msg("should accept gzip: '%s'", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (enc_accepts_gzip(no[i]))
			fail_msg("should not accept gzip: '%s'", no[i]);
	assert_false(enc_accepts_gzip(NULL));
}

/* Inflates a gzip member with zlib (windowBits 31: gzip only). */
static unsigned char *gunzip(const unsigned char *z, size_t zlen, size_t cap, size_t *len)
{
	z_stream zs;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit2(&zs, 31), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)z;
	zs.avail_in = (uInt)zlen;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	*len = zs.total_out;
	inflateEnd(&zs);
	return out;
}

static void test_gzip_round_trip(void **state)
{
	size_t n = 20000, zlen, back_len;
	char *text = malloc(n);
	unsigned char *z, *back;
	static const char row[] = "{\"name\":\"张堰镇\",\"id\":12},";

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		text[i] = row[i % (sizeof(row) - 1)];
	z = enc_gzip(text, n, 6, &zlen);
	assert_non_null(z);
	assert_true(zlen < n / 4);
	/* The gzip magic and deflate as its method (RFC 1952). */
	assert_int_equal(z[0], 0x1f);
	assert_int_equal(z[1], 0x8b);
	assert_int_equal(z[2], 8);
	back = gunzip(z, zlen, n + 16, &back_len);
	assert_int_equal(back_len, n);
	assert_memory_equal(back, text, n);
	free(back);
	free(z);

	/* An empty body is a valid, empty member too. */
	z = enc_gzip("", 0, 9, &zlen);
	assert_non_null(z);
	back = gunzip(z, zlen, 16, &back_len);
	assert_int_equal(back_len, 0);
	free(back);
	free(z);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compressible_types),
	    cmocka_unit_test(test_accept_encoding),
	    cmocka_unit_test(test_gzip_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
