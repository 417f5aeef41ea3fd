#include "image.h"

#include <string.h>

static unsigned long be16(const unsigned char *p)
{
	return (unsigned long)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
	       p[3];
}

static unsigned long le16(const unsigned char *p)
{
	return (unsigned long)p[1] << 8 | p[0];
}

static unsigned long le24(const unsigned char *p)
{
	return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

/* PNG: the signature, then the IHDR chunk first, 13 bytes long, whose
 * first eight are the width and height (PNG 2nd ed., 11.2.2). */
static int png_size(const unsigned char *p, size_t n, long *w, long *h)
{
	if (n < 8 + 8 + 13 || be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return -1;
	/* Sizes are below 2^31 by the standard. */
	if (be32(p + 16) > 0x7fffffffUL || be32(p + 20) > 0x7fffffffUL)
		return -1;
	*w = (long)be32(p + 16);
	*h = (long)be32(p + 20);
	return 0;
}

/* JPEG: markers from SOI on, each but the standalone ones with a 16-bit
 * length, until a start-of-frame (SOF0..SOF15 but DHT, JPG and DAC),
 * which holds the height and width (ITU T.81, B.2.2).  Scan data before
 * a frame header, or the end of the bytes, is no picture. */
static int jpeg_size(const unsigned char *p, size_t n, long *w, long *h)
{
	size_t i = 2;

	while (i + 4 <= n) {
		unsigned m;
		unsigned long len;

		if (p[i] != 0xFF)
			return -1;
		while (i < n && p[i] == 0xFF)
			i++; /* fill bytes */
		if (i >= n)
			return -1;
		m = p[i++];
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue; /* no length */
		if (m == 0xD9 || m == 0xDA || i + 2 > n)
			return -1; /* end of image, or scan data, before a frame */
		len = be16(p + i);
		if (len < 2)
			return -1;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			if (len < 7 || i + 7 > n)
				return -1;
			*h = (long)be16(p + i + 3);
			*w = (long)be16(p + i + 5);
			return 0;
		}
		i += len;
	}
	return -1;
}

/* WebP: RIFF, then the first chunk, VP8X (extended: the canvas), VP8
 * (lossy: the key frame's header) or VP8L (lossless: 14-bit sizes). */
static int webp_size(const unsigned char *p, size_t n, long *w, long *h)
{
	if (n < 25 || (size_t)le24(p + 4) + ((size_t)p[7] << 24) + 8 > n)
		return -1;
	if (memcmp(p + 12, "VP8X", 4) == 0) {
		if (n < 30)
			return -1;
		*w = (long)le24(p + 24) + 1;
		*h = (long)le24(p + 27) + 1;
		return 0;
	}
	if (memcmp(p + 12, "VP8 ", 4) == 0) {
		if (n < 30 || p[23] != 0x9D || p[24] != 0x01 || p[25] != 0x2A)
			return -1;
		*w = (long)(le16(p + 26) & 0x3FFF);
		*h = (long)(le16(p + 28) & 0x3FFF);
		return 0;
	}
	if (memcmp(p + 12, "VP8L", 4) == 0) {
		unsigned long bits;
		if (p[20] != 0x2F)
			return -1;
		bits = le24(p + 21) | (unsigned long)p[24] << 24;
		*w = (long)(bits & 0x3FFF) + 1;
		*h = (long)((bits >> 14) & 0x3FFF) + 1;
		return 0;
	}
	return -1;
}

enum image_result image_sniff(const unsigned char *p, size_t n, struct image_info *info)
{
	int rc;

	memset(info, 0, sizeof(*info));
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
		info->type = "image/png";
		rc = png_size(p, n, &info->width, &info->height);
	} else if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
		info->type = "image/jpeg";
		rc = jpeg_size(p, n, &info->width, &info->height);
	} else if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
		info->type = "image/webp";
		rc = webp_size(p, n, &info->width, &info->height);
	} else {
		return IMAGE_UNKNOWN;
	}
	if (rc || info->width <= 0 || info->height <= 0)
		return IMAGE_TRUNCATED;
	if (info->width > IMAGE_MAX_SIDE || info->height > IMAGE_MAX_SIDE ||
	    info->width * info->height > IMAGE_MAX_PIXELS)
		return IMAGE_TOO_LARGE;
	return IMAGE_OK;
}
