/*
 * Content codings: Accept-Encoding field values (enc_accepts_gzip) and
 * media types (enc_compressible) as clients send them, and gzip itself:
 * what enc_gzip codes must inflate to the input.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "harness.h"
#include "http/encoding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_cstr(data, size);
	size_t n = 0;
	unsigned char *gz;

	enc_accepts_gzip(s);
	enc_compressible(s);
	if ((gz = enc_gzip(data, size, 1 + size % 9, &n))) {
		unsigned char *back = malloc(size + 1);
		z_stream z;
		memset(&z, 0, sizeof(z));
		if (!back || inflateInit2(&z, 31) != Z_OK)
			abort();
		z.next_in = gz;
		z.avail_in = (uInt)n;
		z.next_out = back;
		z.avail_out = (uInt)size + 1;
		if (inflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out != size ||
		    memcmp(back, data, size))
			abort();
		inflateEnd(&z);
		free(back);
		free(gz);
	} else {
		abort();
	}
	free(s);
	return 0;
}
