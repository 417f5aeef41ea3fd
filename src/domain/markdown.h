/*
 * The bulletin's Markdown (CommonMark, read by cmark, the reference C
 * library), made safe to show to anyone.
 *
 * The source an officer writes is what is stored; HTML is made from it
 * each time it is shown, so that a rule made stricter here applies to
 * every item at once.  Two layers keep script out of the HTML:
 *
 *   - md_check refuses, at the edge, a body whose links or images lead
 *     anywhere but the web, mail, a phone or this server (javascript:,
 *     vbscript:, file:, data: ...), naming the line;
 *   - md_render turns raw HTML, block or inline, into text (shown, with
 *     its angle brackets escaped, never run), empties any link or image
 *     the check would refuse (a body stored by an older rule), and lets
 *     cmark render with its safe option: no raw HTML can reach the page
 *     even through a path this file forgot.
 */
#ifndef QY_MARKDOWN_H
#define QY_MARKDOWN_H

#include <stddef.h>

#include "../util/buf.h"

/* What md_check found wrong with a body: the line, the URL as written
 * (cut to fit) and whether it was an image's. */
struct md_fault {
	int line;
	int image;
	char url[120];
	const char *rule; /* the rule broken, in words */
};

/*
 * Whether a link destination is safe to follow: a URL with no scheme (a
 * path, a query, a fragment), or one of http, https, mailto and tel.  The
 * scheme is read as a browser reads it: leading spaces and controls
 * skipped, tabs and newlines inside it ignored, any case.
 */
int md_link_safe(const char *url);
/*
 * Whether an image source is safe: a path on this server ("/...", or one
 * relative to the page), never a scheme, nor "//host" or "\\host", which
 * a browser takes for another server.  Images from elsewhere would tell
 * another server who reads the bulletin.
 */
int md_image_safe(const char *url);

/* 0 when every link and image of the Markdown text (len bytes) is safe;
 * -1 with f filled for the first one that is not. */
int md_check(const char *text, size_t len, struct md_fault *f);

/*
 * Appends the HTML of the Markdown text to out.  base, when not NULL, is
 * put before every link and image that is a path on this server ("/..."),
 * for readers that open the HTML elsewhere (a feed reader); NULL keeps
 * them as written.  -1 when cmark or memory fails (out is then
 * incomplete and marked failed).
 */
int md_render(const char *text, size_t len, const char *base, struct buf *out);

#endif
