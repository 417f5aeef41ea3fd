#include "transfer.h"

#include <ctype.h>
#include <string.h>

static const char *const status_names[] = {"pending", "accepted", "returned"};

const char *transfer_status_name(enum transfer_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s] : "";
}

int transfer_status_parse(const char *s, enum transfer_status *out)
{
	for (size_t i = 0; s && i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum transfer_status)i;
			return 0;
		}
	return -1;
}

int transfer_text_given(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return 1;
	return 0;
}

const struct transfer_step *transfer_pending_of(const struct transfer_step *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (h[i].status == TS_PENDING)
			return &h[i];
	return NULL;
}

int transfer_times_left(const struct transfer_step *h, size_t n, int64_t j)
{
	int times = 0;

	for (size_t i = 0; i < n; i++)
		times += h[i].status == TS_ACCEPTED && h[i].from_id == j;
	return times;
}

int transfer_times_returned(const struct transfer_step *h, size_t n, int64_t j)
{
	int times = 0;

	for (size_t i = 0; i < n; i++)
		times += h[i].status == TS_RETURNED && h[i].to_id == j;
	return times;
}

enum transfer_result transfer_send_check(const struct transfer_facts *f)
{
	if (f->final_)
		return TR_FINAL;
	if (transfer_pending_of(f->history, f->nhistory))
		return TR_PENDING;
	if (f->to <= 0)
		return TR_UNKNOWN_TARGET;
	if (!transfer_text_given(f->reason))
		return TR_NEEDS_REASON;
	if (f->to == f->at)
		return TR_TO_ITSELF;
	/* Left once: going back is the one return allowed.  Left twice: it
	 * went back already and left again. */
	if (f->above_both)
		return TR_OK;
	if (transfer_times_left(f->history, f->nhistory, f->to) >= 2)
		return TR_LOOP;
	if (transfer_times_returned(f->history, f->nhistory, f->to) >= 2)
		return TR_RETURNED;
	return TR_OK;
}

enum transfer_result transfer_answer_check(const struct transfer_step *h, size_t n, int returning,
                                           const char *reason)
{
	if (!transfer_pending_of(h, n))
		return TR_NONE_PENDING;
	if (returning && !transfer_text_given(reason))
		return TR_NEEDS_REASON;
	return TR_OK;
}
