#include "encoding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* The media type's length: up to ';' or the end, spaces trimmed. */
static size_t media_len(const char *t)
{
	size_t n = strcspn(t, ";");

	while (n && is_ows(t[n - 1]))
		n--;
	return n;
}

static int has_suffix(const char *t, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && strncasecmp(t + n - k, suffix, k) == 0;
}

int enc_compressible(const char *content_type)
{
	static const char *const whole[] = {
	    "application/json",
	    "application/xml",
	    "application/javascript",
	    "application/ecmascript",
	};
	const char *t;
	size_t n;

	if (!content_type)
		return 0;
	t = content_type;
	while (is_ows(*t))
		t++;
	n = media_len(t);
	if (n > 5 && strncasecmp(t, "text/", 5) == 0)
		return 1;
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
		if (n == strlen(whole[i]) && strncasecmp(t, whole[i], n) == 0)
			return 1;
	/* application/geo+json, image/svg+xml, application/problem+json... */
	return has_suffix(t, n, "+json") || has_suffix(t, n, "+xml");
}

/*
 * A weight in thousandths (RFC 9110 §12.4.2):
 *   qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
 * -1 when v[0..n) is not one.
 */
static int parse_qvalue(const char *v, size_t n)
{
	int q, scale = 100;

	if (n == 0 || (v[0] != '0' && v[0] != '1'))
		return -1;
	q = (v[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (v[1] != '.' || n > 5)
		return -1;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		q += (v[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/*
 * One element "coding *( OWS ';' OWS name '=' value )": the coding in
 * name and name_n, and its weight (1000 when none is given), or -1 when a
 * weight is given that does not parse.
 */
static int element_weight(const char *e, size_t n, const char **name, size_t *name_n)
{
	const char *end = e + n, *p;
	int q = 1000;

	while (e < end && is_ows(*e))
		e++;
	p = e;
	while (p < end && *p != ';' && !is_ows(*p))
		p++;
	*name = e;
	*name_n = (size_t)(p - e);
	while (p < end) {
		const char *k, *v;
		size_t kn, vn;

		while (p < end && is_ows(*p))
			p++;
		if (p == end)
			break;
		if (*p != ';')
			return -1;
		p++;
		while (p < end && is_ows(*p))
			p++;
		k = p;
		while (p < end && *p != '=' && *p != ';' && !is_ows(*p))
			p++;
		kn = (size_t)(p - k);
		if (p == end || *p != '=')
			return -1;
		v = ++p;
		while (p < end && *p != ';' && !is_ows(*p))
			p++;
		vn = (size_t)(p - v);
		if (kn == 1 && (*k == 'q' || *k == 'Q')) {
			q = parse_qvalue(v, vn);
			if (q < 0)
				return -1;
		}
	}
	return q;
}

static int coding_is(const char *name, size_t n, const char *coding)
{
	return n == strlen(coding) && strncasecmp(name, coding, n) == 0;
}

int enc_accepts_gzip(const char *field)
{
	int q_gzip = -1, q_star = -1, q_identity = -1, gz;
	const char *p = field;

	if (!field)
		return 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		const char *name;
		size_t name_n;
		int q = element_weight(p, n, &name, &name_n);

		if (q >= 0 && name_n) {
			/* A coding named twice keeps its first weight. */
			if ((coding_is(name, name_n, "gzip") ||
			     coding_is(name, name_n, "x-gzip")) &&
			    q_gzip < 0)
				q_gzip = q;
			else if (coding_is(name, name_n, "*") && q_star < 0)
				q_star = q;
			else if (coding_is(name, name_n, "identity") && q_identity < 0)
				q_identity = q;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	gz = q_gzip >= 0 ? q_gzip : q_star;
	if (gz <= 0)
		return 0;
	return q_identity < 0 || gz >= q_identity;
}

unsigned char *enc_gzip(const void *data, size_t len, int level, size_t *outlen)
{
	z_stream zs;
	unsigned char *out;
	uLong cap;
	int rc;

	*outlen = 0;
	if (len > (size_t)UINT32_MAX)
		return NULL;
	memset(&zs, 0, sizeof(zs));
	/* windowBits 15 + 16: a gzip header and trailer around the deflate
	 * stream, which is what Content-Encoding: gzip means. */
	if (deflateInit2(&zs, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	/* deflateBound leaves out the gzip wrapper's 18 bytes. */
	cap = deflateBound(&zs, (uLong)len) + 18;
	if (!(out = malloc(cap))) {
		deflateEnd(&zs);
		return NULL;
	}
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	rc = deflate(&zs, Z_FINISH);
	if (rc != Z_STREAM_END) {
		deflateEnd(&zs);
		free(out);
		return NULL;
	}
	*outlen = (size_t)zs.total_out;
	deflateEnd(&zs);
	return out;
}
