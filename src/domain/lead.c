#include "lead.h"

#include <stdio.h>
#include <string.h>

static const char *const names[LEAD_NSTAGES] = {"contacted", "visited", "negotiating",
                                                "signed",    "settled", "dropped"};

const char *lead_stage_name(enum lead_stage s)
{
	return (unsigned)s < LEAD_NSTAGES ? names[s] : "contacted";
}

int lead_stage_parse(const char *s, enum lead_stage *out)
{
	for (int i = 0; i < LEAD_NSTAGES; i++) {
		if (strcmp(names[i], s) == 0) {
			*out = (enum lead_stage)i;
			return 0;
		}
	}
	return -1;
}

int lead_stage_final(enum lead_stage s)
{
	return s == LEAD_SETTLED || s == LEAD_DROPPED;
}

int lead_transition_allowed(enum lead_stage from, enum lead_stage to)
{
	if (lead_stage_final(from))
		return 0;
	/* Stages are not skipped: each is a step someone took and dated,
	 * and the board counts what passed through each. */
	return to == LEAD_DROPPED || to == from + 1;
}

void lead_allowed_list(enum lead_stage from, char *out, unsigned n)
{
	size_t len = 0;

	out[0] = '\0';
	for (int to = 0; to < LEAD_NSTAGES; to++) {
		if (!lead_transition_allowed(from, (enum lead_stage)to))
			continue;
		len += (size_t)snprintf(out + len, n > len ? n - len : 0, "%s%s", len ? ", " : "",
		                        names[to]);
		if (len >= n)
			break;
	}
}
