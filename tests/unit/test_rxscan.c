/* Reading ahead of libmicrohttpd: which Content-Length fields are
 * renamed, which bytes are held back, and where requests begin. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/rxscan.h"

/*
 * Feeds `in` in pieces of `piece` bytes (all at once for 0), handing on
 * what may be handed on after each, as the server does; returns what the
 * other side received (to free).  With `hold_at_end`, the bytes still
 * held back at the end are not added.
 */
static char *pass(struct rx_scan *s, const char *in, size_t piece, int hold_at_end)
{
	size_t n = strlen(in), fed = 0;
	char *out = calloc(1, n + 1);
	unsigned char *work = malloc(n + 1);

	memcpy(work, in, n);
	rx_init(s);
	while (fed < n) {
		size_t k = piece && n - fed > piece ? piece : n - fed;
		size_t ready;
		assert_int_equal(rx_feed(s, work + fed, k), k);
		fed += k;
		ready = (size_t)(rx_deliverable(s) - s->delivered);
		assert_true(s->delivered + ready <= fed);
		rx_deliver(s, work + s->delivered, ready);
	}
	if (!hold_at_end) {
		rx_end(s);
		rx_deliver(s, work + s->delivered, (size_t)(rx_deliverable(s) - s->delivered));
	}
	memcpy(out, work, (size_t)s->delivered);
	free(work);
	return out;
}

/* The same output whatever the pieces. */
static void same_in_pieces(const char *in, const char *want)
{
	struct rx_scan s;

	for (size_t piece = 0; piece <= strlen(in); piece++) {
		char *out = pass(&s, in, piece, 0);
		if (strcmp(out, want)) {
			fprintf(stderr, "in pieces of %zu:\n%s\nwanted:\n%s\n", piece, out, want);
			fail();
		}
		free(out);
	}
}

#define H "POST / HTTP/1.1\r\nHost: x\r\n"

static void test_good_lengths_pass(void **state)
{
	(void)state;
	same_in_pieces(H "Content-Length: 5\r\n\r\nhello", H "Content-Length: 5\r\n\r\nhello");
	same_in_pieces(H "content-length:\t007\r\n\r\n1234567",
	               H "content-length:\t007\r\n\r\n1234567");
	same_in_pieces(H "Content-Length: 18446744073709551615\n\n",
	               H "Content-Length: 18446744073709551615\n\n");
	/* a second one is counted, not renamed: the server refuses both */
	same_in_pieces(H "Content-Length: 1\r\nContent-Length: x\r\n\r\n",
	               H "Content-Length: 1\r\nContent-Length: x\r\n\r\n");
	/* like it but not it */
	same_in_pieces(H "Content-Type: a\r\nContent-Lengthy: 9x\r\nContent-Length : z\r\n\r\n",
	               H "Content-Type: a\r\nContent-Lengthy: 9x\r\nContent-Length : z\r\n\r\n");
}

static void test_bad_lengths_renamed(void **state)
{
	(void)state;
	same_in_pieces(H "Content-Length: 99999999999999999999\r\n\r\n",
	               H RX_MARK ": 99999999999999999999\r\n\r\n");
	same_in_pieces(H "Content-Length: 18446744073709551616\r\n\r\n",
	               H RX_MARK ": 18446744073709551616\r\n\r\n");
	same_in_pieces(H "Content-Length: 5, 6\r\n\r\n", H RX_MARK ": 5, 6\r\n\r\n");
	same_in_pieces(H "CONTENT-LENGTH: 5 \r\n\r\n", H RX_MARK ": 5 \r\n\r\n");
	same_in_pieces(H "Content-Length:\r\n\r\n", H RX_MARK ":\r\n\r\n");
	same_in_pieces(H "Content-Length: 5\r6\r\n\r\n", H RX_MARK ": 5\r6\r\n\r\n");
	/* folded onto the next line */
	same_in_pieces(H "Content-Length: 5\r\n 6\r\n\r\n", H RX_MARK ": 5\r\n 6\r\n\r\n");
	same_in_pieces(H "Content-Length: 5\r\n\t6\r\n\r\n", H RX_MARK ": 5\r\n\t6\r\n\r\n");
}

static void test_long_line_renamed(void **state)
{
	char in[400], want[400];

	(void)state;
	snprintf(in, sizeof(in), H "Content-Length:%*s5\r\n\r\n", 150, "");
	snprintf(want, sizeof(want), H RX_MARK ":%*s5\r\n\r\n", 150, "");
	same_in_pieces(in, want);
}

static void test_held_back_until_judged(void **state)
{
	struct rx_scan s;
	char *out;
	size_t head = strlen(H);

	(void)state;
	/* the start of a possible Content-Length stays behind */
	out = pass(&s, H "Content-Le", 0, 1);
	assert_string_equal(out, H);
	free(out);
	/* a complete one waits for the next byte, which may fold it */
	out = pass(&s, H "Content-Length: 5\r\n", 0, 1);
	assert_string_equal(out, H);
	assert_int_equal(s.delivered, head);
	free(out);
	/* other fields are not held */
	out = pass(&s, H "Accept: *", 0, 1);
	assert_string_equal(out, H "Accept: *");
	free(out);
}

static void test_follows_requests(void **state)
{
	(void)state;
	/* the body is skipped: its bytes are not read as fields */
	same_in_pieces(H "Content-Length: 24\r\n\r\nContent-Length: 1, 2\r\n\r\n"
	                 "GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
	               H "Content-Length: 24\r\n\r\nContent-Length: 1, 2\r\n\r\n"
	                 "GET / HTTP/1.1\r\n" RX_MARK ": 1x\r\n\r\n");
	/* empty lines before a request line */
	same_in_pieces("\r\n" H "Content-Length: x\r\n\r\n", "\r\n" H RX_MARK ": x\r\n\r\n");
}

static void test_stops_after_refused_framing(void **state)
{
	struct rx_scan s;
	char *out;
	const char *in = H "Transfer-Encoding: chunked\r\n\r\n1\r\nContent-Length: x\r\n\r\n";

	(void)state;
	/* a chunked body is not looked into ... */
	out = pass(&s, in, 0, 0);
	assert_string_equal(out, in);
	assert_int_equal(s.phase, RX_OPAQUE);
	free(out);
	/* ... until its request is done */
	rx_request_done(&s);
	assert_int_equal(s.phase, RX_HEAD);
	assert_int_equal(s.scanned, s.delivered);
	/* several lengths, or a renamed one */
	out = pass(&s, H "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx", 0, 0);
	assert_int_equal(s.phase, RX_OPAQUE);
	free(out);
	out = pass(&s, H "Content-Length: y\r\n\r\n", 0, 0);
	assert_int_equal(s.phase, RX_OPAQUE);
	free(out);
}

static void test_counts_folded_blocks(void **state)
{
	struct rx_scan s;
	char *out;

	(void)state;
	out = pass(&s, H "Content-Length: 2\r\n\r\nab" H "X-A: 1\r\n 2\r\n\r\n", 0, 0);
	assert_int_equal(s.blocks, 2);
	assert_int_equal(s.folded_block, 2);
	assert_int_equal(s.phase, RX_OPAQUE);
	free(out);
	out = pass(&s, H "\r\n" H "X-A: 1\r\n\r\n", 0, 0);
	assert_int_equal(s.blocks, 2);
	assert_int_equal(s.folded_block, 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_lengths_pass),
	    cmocka_unit_test(test_bad_lengths_renamed),
	    cmocka_unit_test(test_long_line_renamed),
	    cmocka_unit_test(test_held_back_until_judged),
	    cmocka_unit_test(test_follows_requests),
	    cmocka_unit_test(test_stops_after_refused_framing),
	    cmocka_unit_test(test_counts_folded_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
