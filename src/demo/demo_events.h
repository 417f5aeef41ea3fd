/*
 * The demo's events: the four clusters' salons, roundtables and classes
 * over 2024 with their topics, minutes and decisions, and the problems
 * raised at this season's tables, written in the project's own words.
 * Tables only: cli/init_events.c writes them through the store, drafts
 * the recent agendas from the demo's open cases and follows them up.
 */
#ifndef QY_DEMO_EVENTS_H
#define QY_DEMO_EVENTS_H

/* One topic of a past event: what was discussed, minuted and decided,
 * and the department that sent someone (by name; "" none). */
struct demo_topic {
	const char *title, *minutes, *decision, *department;
};

/* An event of 2024: the cluster (0..3), its kind, month, day, hours, its
 * place and up to two topics as indexes of demo_topics (-1: none). */
struct demo_event {
	int cluster;
	const char *kind;
	int month, day, from_hour, to_hour;
	int place;
	int topics[2];
};

extern const char *const demo_event_places[];
extern const struct demo_topic demo_topics[];
extern const struct demo_event demo_events_2024[];
extern const int demo_nevents_2024;

/* The problems raised at last month's salon of each cluster: the text,
 * the department that takes it and the days it has. */
struct demo_raised {
	const char *text, *department;
	int days;
	const char *decision;
};
extern const struct demo_raised demo_raised[4];

/* Titles of the kinds, for an event's title: "<cluster> + kind". */
const char *demo_event_kind_title(const char *kind);

#endif
