#include "rxscan.h"

#include <string.h>

/* The first Content-Length's value, as libmicrohttpd reads it: blanks,
 * then digits and nothing else up to the end of the line (a CR right
 * before the LF ends the line too). */
enum {
	CL_NONE,  /* not in the value of a first Content-Length */
	CL_BLANK, /* before the digits */
	CL_DIGITS,
	CL_CR,    /* a CR after the digits */
	CL_AWAIT, /* the line is complete; the next byte says if it is folded */
};

static const char CL_NAME[] = "content-length:";
static const char TE_NAME[] = "transfer-encoding:";
#define CL_NAME_LEN 15
#define TE_NAME_LEN 18

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static void block_reset(struct rx_scan *s)
{
	s->line_no = 0;
	s->in_line = 0;
	s->cl_state = CL_NONE;
	s->cl_lines = 0;
	s->first_cl_done = 0;
	s->first_cl_bad = 0;
	s->first_cl = 0;
	s->te_seen = 0;
	s->folded = 0;
	s->undecided = RX_NONE;
}

void rx_init(struct rx_scan *s)
{
	memset(s, 0, sizeof(*s));
	s->phase = RX_HEAD;
	block_reset(s);
}

/* The first Content-Length is judged: bad ones are marked for renaming
 * (there is room: rx_feed checks before each byte). */
static void judge(struct rx_scan *s, int bad)
{
	s->first_cl_done = 1;
	s->first_cl_bad = bad;
	s->cl_state = CL_NONE;
	if (bad)
		s->marks[s->nmarks++] = s->line_start;
	else
		s->first_cl = s->cl_value;
	s->undecided = RX_NONE;
}

static void block_end(struct rx_scan *s)
{
	s->blocks++;
	if (s->folded)
		s->folded_block = s->blocks;
	if (s->first_cl_bad || s->te_seen || s->folded || s->cl_lines > 1) {
		s->phase = RX_OPAQUE;
	} else if (s->cl_lines == 1 && s->first_cl > 0) {
		s->phase = RX_BODY;
		s->body_left = s->first_cl;
	}
	block_reset(s);
}

static void line_end(struct rx_scan *s)
{
	int empty = !s->in_line || (s->line_len == 1 && s->line_first == '\r');

	if (s->cl_state == CL_BLANK)
		judge(s, 1);
	else if (s->cl_state == CL_DIGITS || s->cl_state == CL_CR) {
		if (s->cl_over)
			judge(s, 1);
		else
			s->cl_state = CL_AWAIT; /* still undecided */
	}
	if (s->cl_match == CL_NAME_LEN)
		s->cl_lines++;
	if (s->te_match == TE_NAME_LEN)
		s->te_seen = 1;
	/* A line that began like a first Content-Length but is not one. */
	if (s->cl_state == CL_NONE && !s->first_cl_done && s->undecided != RX_NONE)
		s->undecided = RX_NONE;
	s->in_line = 0;
	s->cl_match = s->te_match = -1;
	if (!empty)
		s->line_no++;
	else if (s->line_no > 0)
		block_end(s);
	/* Empty lines before the request line are passed over. */
}

static void line_begin(struct rx_scan *s, uint64_t at, unsigned char c)
{
	s->in_line = 1;
	s->line_start = at;
	s->line_len = 0;
	s->line_first = c;
	s->cl_match = s->te_match = -1;
	if (s->line_no == 0)
		return; /* the request line */
	if (c == ' ' || c == '\t') {
		s->folded = 1; /* obs-fold: a field continued */
		return;
	}
	s->cl_match = s->te_match = 0;
	if (!s->first_cl_done)
		s->undecided = at;
}

static void header_byte(struct rx_scan *s, uint64_t at, unsigned char c)
{
	if (s->cl_state == CL_AWAIT) {
		/* A folded line would continue the value. */
		judge(s, c == ' ' || c == '\t');
	}
	if (c == '\n') {
		line_end(s);
		return;
	}
	if (!s->in_line)
		line_begin(s, at, c);
	s->line_len++;
	if (s->cl_match >= 0 && s->cl_match < CL_NAME_LEN) {
		if (lower(c) == CL_NAME[s->cl_match]) {
			if (++s->cl_match == CL_NAME_LEN && !s->first_cl_done) {
				s->cl_state = CL_BLANK;
				s->cl_value = 0;
				s->cl_over = 0;
			}
		} else {
			s->cl_match = -1;
			if (!s->first_cl_done)
				s->undecided = RX_NONE;
		}
	} else if (s->cl_state != CL_NONE && s->line_len > CL_NAME_LEN) {
		switch (s->cl_state) {
		case CL_BLANK:
			if (c == ' ' || c == '\t')
				break;
			if (c < '0' || c > '9') {
				judge(s, 1);
				break;
			}
			s->cl_state = CL_DIGITS;
			/* fall through */
		case CL_DIGITS:
			if (c >= '0' && c <= '9') {
				unsigned d = (unsigned)(c - '0');
				if (s->cl_value > (UINT64_MAX - d) / 10)
					s->cl_over = 1;
				else
					s->cl_value = s->cl_value * 10 + d;
			} else if (c == '\r') {
				s->cl_state = CL_CR;
			} else {
				judge(s, 1);
			}
			break;
		default: /* CL_CR: a CR inside the line */
			judge(s, 1);
		}
	}
	if (s->te_match >= 0 && s->te_match < TE_NAME_LEN)
		s->te_match = lower(c) == TE_NAME[s->te_match] ? s->te_match + 1 : -1;
	/* Too long to hold back: refused rather than passed on unjudged. */
	if (s->undecided != RX_NONE && at - s->undecided + 1 >= RX_LINE_CAP)
		judge(s, 1);
}

size_t rx_feed(struct rx_scan *s, const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (s->phase == RX_OPAQUE) {
			i = n;
			break;
		}
		if (s->phase == RX_BODY) {
			uint64_t k = n - i < s->body_left ? n - i : s->body_left;
			i += (size_t)k;
			s->body_left -= k;
			if (!s->body_left)
				s->phase = RX_HEAD;
			continue;
		}
		/* Room for the mark this byte may call for. */
		if (s->nmarks == RX_MAX_MARKS)
			break;
		header_byte(s, s->scanned + i, p[i]);
		i++;
	}
	s->scanned += i;
	return i;
}

uint64_t rx_deliverable(const struct rx_scan *s)
{
	return s->undecided != RX_NONE ? s->undecided : s->scanned;
}

void rx_deliver(struct rx_scan *s, unsigned char *buf, size_t n)
{
	uint64_t from = s->delivered, to = s->delivered + n;
	int keep = 0;

	for (int i = 0; i < s->nmarks; i++) {
		uint64_t m = s->marks[i];
		for (int j = 0; j < RX_MARK_LEN; j++)
			if (m + (uint64_t)j >= from && m + (uint64_t)j < to)
				buf[m + (uint64_t)j - from] = (unsigned char)RX_MARK[j];
		if (m + RX_MARK_LEN > to)
			s->marks[keep++] = m;
	}
	s->nmarks = keep;
	s->delivered = to;
}

void rx_end(struct rx_scan *s)
{
	if (s->undecided == RX_NONE)
		return;
	if (s->nmarks < RX_MAX_MARKS)
		judge(s, 1);
	else
		s->undecided = RX_NONE;
}

void rx_request_done(struct rx_scan *s)
{
	if (s->phase != RX_OPAQUE)
		return;
	/* What was looked at but not handed on is read again, as the start
	 * of the next request. */
	s->scanned = s->delivered;
	s->phase = RX_HEAD;
	block_reset(s);
}
