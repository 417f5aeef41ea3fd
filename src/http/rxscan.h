/*
 * Reading a connection's bytes ahead of libmicrohttpd, for the one thing
 * it gets wrong on its own: a request whose Content-Length it cannot
 * read.
 *
 * libmicrohttpd 0.9.75 (Debian 12's, and 0.9.77 still) answers such a
 * request itself, with 400 or 413, but then sets the connection's state
 * back as if nothing had happened and builds the answer's status line and
 * headers a second time, so the client gets them twice.  No callback of
 * the application runs between the end of the headers and that check.
 *
 * So the bytes are scanned before libmicrohttpd takes them (guard.c),
 * and the name of a first Content-Length field whose value it would not
 * read -- not 1 to 20 digits, beyond 64 bits, followed by a folded line,
 * or a line longer than RX_LINE_CAP -- is overwritten with RX_MARK, of the
 * same length.  libmicrohttpd then sees no Content-Length, and the server
 * answers the request that carries RX_MARK itself, once, and closes.
 *
 * A field folded over several lines (obs-fold) is noted too, by the
 * number of its header block (rx_scan.folded_block): libmicrohttpd
 * appends the continuation to the field's name, so the server cannot
 * see the fold in the fields it is given, and refuses the request on
 * this note (RFC 9112 §5.2).
 *
 * The scanner follows the stream: request line, header fields, then the
 * body by its Content-Length, and the next request after it.  A message
 * whose framing the server refuses (Transfer-Encoding, several
 * Content-Lengths, a renamed one, a folded field) makes it stop looking
 * until that request is done (rx_request_done): the server closes such a
 * connection after answering, except for a chunked body, after which the
 * next request is read again.
 *
 * The bytes of a line that may be such a first Content-Length are not
 * handed on until it is judged (rx_deliverable); that takes at most
 * RX_LINE_CAP + 1 bytes from the line's start.
 */
#ifndef QY_RXSCAN_H
#define QY_RXSCAN_H

#include <stddef.h>
#include <stdint.h>

#define RX_LINE_CAP  128
#define RX_MARK      "X-Qy-BadLength" /* as long as "Content-Length" */
#define RX_MARK_LEN  14
#define RX_MAX_MARKS 4
#define RX_NONE      UINT64_MAX

enum rx_phase { RX_HEAD, RX_BODY, RX_OPAQUE };

struct rx_scan {
	enum rx_phase phase;
	uint64_t scanned;   /* stream bytes the scanner has seen */
	uint64_t delivered; /* stream bytes handed on */
	uint64_t body_left; /* RX_BODY: bytes of the body still to come */

	/* The header block being read. */
	int line_no;         /* lines so far: 0 until the request line ends */
	int in_line;         /* a line has begun */
	uint64_t line_start; /* its stream offset */
	unsigned line_len;
	unsigned char line_first;
	int cl_match, te_match; /* characters of the names matched, -1: not it */
	int cl_state;           /* the first Content-Length's value: enum in rxscan.c */
	uint64_t cl_value;
	int cl_over;
	int cl_lines;      /* Content-Length fields in the block */
	int first_cl_done; /* the first one has been judged */
	int first_cl_bad;
	uint64_t first_cl;
	int te_seen, folded;

	/* Header blocks ended, and the last one with a folded field, counted
	 * from 1. */
	uint64_t blocks, folded_block;

	uint64_t undecided;           /* start of the line not yet judged, RX_NONE */
	uint64_t marks[RX_MAX_MARKS]; /* stream offsets of names to overwrite */
	int nmarks;
};

void rx_init(struct rx_scan *s);
/* Scans the n bytes that follow the ones scanned; returns how many it
 * took (fewer only when it has no room for another mark). */
size_t rx_feed(struct rx_scan *s, const unsigned char *p, size_t n);
/* The stream offset up to which bytes may be handed on. */
uint64_t rx_deliverable(const struct rx_scan *s);
/* Bytes [s->delivered, s->delivered + n) in buf are handed on: writes
 * the marks that fall in them. */
void rx_deliver(struct rx_scan *s, unsigned char *buf, size_t n);
/* No more bytes will come: a line held back is judged as it is (bad). */
void rx_end(struct rx_scan *s);
/* A request is done: a scanner that stopped looking starts again at the
 * first byte not yet handed on. */
void rx_request_done(struct rx_scan *s);

#endif
