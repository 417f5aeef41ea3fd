/*
 * The scanner that reads a connection's bytes ahead of libmicrohttpd
 * (src/http/rxscan.c): any byte stream, fed whole and fed in pieces of
 * sizes the input chooses.  Both ways must hand on the same bytes, never
 * more than were scanned, and change nothing but whole "Content-Length"
 * names (any case) into the mark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "http/rxscan.h"

/* Scans data in pieces of at most `piece` bytes (0: whole), handing on
 * what may be handed on as it goes; out gets the bytes handed on.
 * Returns how many. */
static size_t run(const uint8_t *data, size_t size, size_t piece, unsigned char *out)
{
	struct rx_scan s;
	size_t fed = 0;

	rx_init(&s);
	while (fed < size) {
		size_t n = piece && size - fed > piece ? piece : size - fed;
		size_t took = rx_feed(&s, data + fed, n);
		uint64_t ready = rx_deliverable(&s);

		if (s.delivered > s.scanned || ready > s.scanned || ready < s.delivered) {
			fprintf(stderr, "delivered %llu, deliverable %llu, scanned %llu\n",
			        (unsigned long long)s.delivered, (unsigned long long)ready,
			        (unsigned long long)s.scanned);
			abort();
		}
		if (ready > s.delivered) {
			size_t k = (size_t)(ready - s.delivered), at = (size_t)s.delivered;
			memcpy(out + at, data + at, k);
			rx_deliver(&s, out + at, k);
		}
		if (!took) {
			/* No room for another mark: the server stops reading
			 * ahead until this request is done. */
			rx_request_done(&s);
			if (!rx_feed(&s, data + fed, n))
				break;
			continue;
		}
		fed += took;
	}
	rx_end(&s);
	if (rx_deliverable(&s) > s.delivered) {
		size_t k = (size_t)(rx_deliverable(&s) - s.delivered), at = (size_t)s.delivered;
		memcpy(out + at, data + at, k);
		rx_deliver(&s, out + at, k);
	}
	return (size_t)s.delivered;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t piece;
	unsigned char *whole, *pieces;
	size_t nw, np;

	if (!size)
		return 0;
	piece = (size_t)data[0] % 13 + 1;
	data++;
	size--;
	whole = malloc(size + 1);
	pieces = malloc(size + 1);
	if (!whole || !pieces)
		abort();
	nw = run(data, size, 0, whole);
	np = run(data, size, piece, pieces);
	if (nw > size || np > size)
		abort();
	/* Every byte handed on is the input's, or part of a mark written
	 * over a whole "Content-Length" name. */
	for (size_t i = 0; i < nw; i++) {
		int ok = 0;

		if (whole[i] == data[i])
			continue;
		/* A mark that covers byte i starts at most RX_MARK_LEN - 1
		 * bytes before it, where the input holds the name (at the end
		 * of the stream a name may be cut short: what there is of it
		 * is marked, the connection is ending anyway). */
		for (size_t start = i >= RX_MARK_LEN - 1 ? i - (RX_MARK_LEN - 1) : 0;
		     start <= i && !ok; start++) {
			size_t len = size - start < RX_MARK_LEN ? size - start : RX_MARK_LEN;
			ok = strncasecmp((const char *)data + start, "Content-Length", len) == 0 &&
			     whole[i] == (unsigned char)RX_MARK[i - start];
		}
		if (!ok) {
			fprintf(stderr, "byte %zu changed outside a Content-Length name\n", i);
			abort();
		}
	}
	/* Fed in pieces, the same bytes are handed on as far as both went. */
	if (memcmp(whole, pieces, nw < np ? nw : np) != 0) {
		fprintf(stderr, "pieces of %zu hand on other bytes than the whole\n", piece);
		abort();
	}
	free(whole);
	free(pieces);
	return 0;
}
