/*
 * The attraction pipeline: a prospective enterprise targeted at a chain
 * node moves contacted -> visited -> negotiating -> signed -> settled, one
 * stage at a time, or is dropped (with a reason) from any open stage.  A
 * settled lead becomes a registry enterprise.
 */
#ifndef QY_LEAD_H
#define QY_LEAD_H

enum lead_stage {
	LEAD_CONTACTED = 0,
	LEAD_VISITED,
	LEAD_NEGOTIATING,
	LEAD_SIGNED,
	LEAD_SETTLED,
	LEAD_DROPPED,
};
#define LEAD_NSTAGES 6

const char *lead_stage_name(enum lead_stage s);
int lead_stage_parse(const char *s, enum lead_stage *out);
/* 1 for settled and dropped. */
int lead_stage_final(enum lead_stage s);
/* 1 when a lead may move from one stage to the other. */
int lead_transition_allowed(enum lead_stage from, enum lead_stage to);
/* Writes the stages reachable from `from`, comma-separated ("" when
 * none), for an error message. */
void lead_allowed_list(enum lead_stage from, char *out, unsigned n);

#endif
