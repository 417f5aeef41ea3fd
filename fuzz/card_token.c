/*
 * The links of service cards: card_token_parse on any text, and the link
 * as the server answers it (GET /q/{token}, and the form's reading of it,
 * GET /api/v1/public/cards/{token}) on the demo town, inside one call
 * that first issues enterprise 1 a live link.
 *
 * The first byte picks the segment: even, the rest of the input as it
 * is; odd, the live token with the input's bytes written over it, a pair
 * (position, character) at a time, so that near misses of a real token
 * are tried as often as garbage.  Oracles: a segment opens the form (200)
 * exactly when it is the live token, in any case of letters; every other
 * answers 404 with the same page, byte for byte, and the form's reading
 * 404 unknown_card_link; a token parsed is valid and the input folded to
 * upper case; and a token made from the input's bytes parses back, no
 * character of it changed alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/cards.h"
#include "harness.h"
#include "service/card_service.h"

static const uint8_t *input;
static size_t input_len;
static int mode;
static char segment[256];
static char live[CARD_TOKEN_LEN + 1];
static int open_status, public_status;
static struct buf page = BUF_INIT;
static char public_code[40];
static struct buf gone = BUF_INIT; /* the 404 page, as first seen */

static void make_segment(void)
{
	size_t n = 0;

	if (mode == 0) {
		n = input_len < sizeof(segment) - 1 ? input_len : sizeof(segment) - 1;
		memcpy(segment, input, n);
		segment[n] = '\0';
		return;
	}
	snprintf(segment, sizeof(segment), "%s", live);
	for (size_t i = 0; i + 1 < input_len; i += 2) {
		size_t at = input[i] % (CARD_TOKEN_LEN + 2);
		if (at < sizeof(segment) - 1) {
			size_t len = strlen(segment);
			segment[at] = (char)input[i + 1];
			if (at >= len)
				segment[at + 1] = '\0';
		}
	}
}

static int issue_then_open(struct req *r)
{
	struct card_token_rec t;
	struct req pub;
	int issued;
	int64_t revoked;

	if (card_token_issue(r->db, 1, 1, 1, &t, &issued, &revoked, &r->err))
		return -1;
	memcpy(live, t.token, sizeof(live));
	make_segment();
	r->params[0] = segment;
	r->nparams = 1;
	if (h_card_open(r))
		return -1;
	open_status = r->status;
	buf_reset(&page);
	buf_add(&page, r->out.s ? r->out.s : "", r->out.len);
	/* The form's reading of the same segment, in the same transaction. */
	fz_req_init(&pub, r->db, NULL, 0);
	memset(&pub.who, 0, sizeof(pub.who));
	pub.method = "GET";
	pub.path = "/api/v1/public/cards/:token";
	pub.params[0] = segment;
	pub.nparams = 1;
	public_status = h_public_card(&pub) ? err_http_status(pub.err.kind) : pub.status;
	snprintf(public_code, sizeof(public_code), "%s", pub.err.code);
	fz_req_release(&pub);
	return 0;
}

static void promises(void)
{
	unsigned char rnd[CARD_TOKEN_BYTES] = {0};
	char tok[CARD_TOKEN_LEN + 1], out[CARD_TOKEN_LEN + 1], probe[CARD_TOKEN_LEN + 1];
	static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

	memcpy(rnd, input, input_len < sizeof(rnd) ? input_len : sizeof(rnd));
	card_token_make(rnd, tok);
	if (card_token_parse(tok, strlen(tok), out) || strcmp(out, tok))
		abort();
	for (int i = 0; i < CARD_TOKEN_LEN; i++)
		for (const char *a = alphabet; *a; a++) {
			if (*a == tok[i])
				continue;
			memcpy(probe, tok, sizeof(probe));
			probe[i] = *a;
			if (card_token_valid(probe)) {
				fprintf(stderr, "%s and %s are both valid\n", tok, probe);
				abort();
			}
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	char out[CARD_TOKEN_LEN + 1];
	char *text = fz_cstr(data, size);
	struct req r;
	int match;

	/* The parser alone: what it accepts is a valid token, the input
	 * with its letters in upper case. */
	if (card_token_parse(text, size, out) == 0) {
		if (!card_token_valid(out) || strlen(out) != size || strcasecmp(out, text))
			abort();
	}
	mode = fz_take_byte(&data, &size) & 1;
	input = data;
	input_len = size;
	fz_reset();
	fz_req_init(&r, st, NULL, 0);
	memset(&r.who, 0, sizeof(r.who));
	r.who.role = ROLE_PUBLIC;
	r.method = "GET";
	r.path = "/q/:token";
	if (fz_call(issue_then_open, &r) == 0) {
		match = strlen(segment) == CARD_TOKEN_LEN && strcasecmp(segment, live) == 0;
		if (match != (open_status == 200) || match != (public_status == 200)) {
			fprintf(stderr, "segment '%s' (live %s): /q/ %d, public %d\n", segment,
			        live, open_status, public_status);
			abort();
		}
		if (!match) {
			if (open_status != 404 || public_status != 404 ||
			    strcmp(public_code, "unknown_card_link"))
				abort();
			if (!gone.len)
				buf_add(&gone, page.s, page.len);
			else if (gone.len != page.len || memcmp(gone.s, page.s, page.len)) {
				fprintf(stderr,
				        "the page of '%s' differs from another wrong link's\n",
				        segment);
				abort();
			}
		}
	}
	fz_req_release(&r);
	free(text);
	promises();
	return 0;
}
