/*
 * Content codings of answers: which bodies are worth compressing, whether
 * the client takes gzip (Accept-Encoding, RFC 9110 §12.5.3), and gzip
 * itself (RFC 1952, through zlib).  No server types, so it is tested alone.
 */
#ifndef QY_ENCODING_H
#define QY_ENCODING_H

#include <stddef.h>

/* Bodies of at most this many bytes are sent as they are: below it the
 * gzip header and the work cost more than they save. */
#define ENC_MIN_SIZE 1024

/*
 * 1 when a body of this media type (a Content-Type value, parameters
 * allowed) gains from compression: text of every kind, JSON, XML and
 * their +json/+xml kinds (GeoJSON, SVG), JavaScript.  0 for formats that
 * are compressed already (PNG, JPEG, XLSX, zip) or unknown.
 */
int enc_compressible(const char *content_type);

/*
 * 1 when an Accept-Encoding field value accepts gzip: "gzip" (or its
 * alias "x-gzip") with a weight above 0, or, when gzip is not named, "*"
 * with a weight above 0; and gzip is not weighed below an explicitly
 * listed "identity".  "gzip;q=0" refuses it whatever "*" says.  A field
 * that is absent (NULL) or empty asks for no coding.  An element whose
 * weight does not parse is left out.
 */
int enc_accepts_gzip(const char *accept_encoding);

/*
 * The gzip member (deflate with windowBits 31) of data[0..len) at zlib
 * level `level` (1-9), malloc'ed, its length in *outlen; NULL on failure.
 */
unsigned char *enc_gzip(const void *data, size_t len, int level, size_t *outlen);

#endif
