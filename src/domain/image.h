/*
 * Images sent to the server (the bulletin's): their type told from their
 * first bytes, never from what the client says, and their size in pixels
 * read from their headers, so that a small file that would decode to a
 * huge picture (a "decompression bomb") is refused before anyone's
 * browser tries.  PNG, JPEG and WebP, the three a phone's browser shows.
 */
#ifndef QY_IMAGE_H
#define QY_IMAGE_H

#include <stddef.h>

/* The largest picture taken: a side and the pixels in all. */
#define IMAGE_MAX_SIDE   10000
#define IMAGE_MAX_PIXELS 40000000L

struct image_info {
	const char *type; /* "image/png", "image/jpeg", "image/webp" */
	long width, height;
};

enum image_result {
	IMAGE_OK,
	IMAGE_UNKNOWN,   /* no PNG, JPEG or WebP signature */
	IMAGE_TRUNCATED, /* the signature, but no size where it must be */
	IMAGE_TOO_LARGE, /* a side or the pixels above the limits */
};

/* Reads the type and size of the n bytes at p into *info (type set
 * whenever the signature was found). */
enum image_result image_sniff(const unsigned char *p, size_t n, struct image_info *info);

#endif
