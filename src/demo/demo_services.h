/*
 * Zhangyan's service catalogue and resource list ("Qun Xin Hui Yan") as
 * tables (demo_services.c): the providers that the clusters link
 * enterprises with (the town's offices, the park, a bank branch, the
 * district's guarantee fund, a university laboratory, a research
 * institute, a law firm, an HR firm, the Party-Mass Alliance, Qifan
 * Cable) and their services in every category of the list, with their
 * hours and the public holidays that close them.
 */
#ifndef QY_DEMO_SERVICES_H
#define QY_DEMO_SERVICES_H

#include "../util/buf.h"

#define DEMO_PROVIDERS 14
#define DEMO_SERVICES  34

/* A department the catalogue adds to the demo's: the district's own
 * desk, which answers for the providers defined at the district. */
#define DEMO_DISTRICT_DEPT_ZH "金山区企业服务中心"
#define DEMO_DISTRICT_DEPT_EN "Jinshan enterprise service centre"

struct demo_provider {
	const char *name_zh, *name_en, *kind, *description;
	const char *website, *email, *phone;
	const char *jurisdiction; /* the division code of where it is defined */
	const char *department;   /* the department that answers for it, by name */
	int leading;              /* 1: the leading enterprise's own (Qifan Cable) */
};

/* The weekly hours and exceptions a service keeps. */
enum demo_hours {
	DH_NONE = 0, /* by appointment: no fixed hours */
	DH_OFFICE,   /* a town office: weekdays 08:30-11:30 and 13:30-17:00 */
	DH_BANK,     /* weekdays 09:00-17:00, Saturday mornings */
	DH_LAB,      /* Monday 08:00 round the clock to Friday 20:00 */
	DH_HUB,      /* every day, with night deliveries past midnight */
	DH_VENUE,    /* weekdays and Saturdays */
	DH_TRAINING, /* weekday evenings and Saturdays */
};

struct demo_service {
	int provider; /* index */
	const char *category;
	const char *name_zh, *name_en, *description_zh, *description_en;
	const char *eligibility, *fees;
	const char *languages; /* codes, comma-separated */
	const char *documents; /* one a line, '\n' separated */
	const char *phone, *email, *url;
	int deadline_hours;
	enum demo_hours hours;
	const char *contact, *title, *contact_phone;
	const char *place, *address;
	double lon, lat;
	const char *last_verified;
	int offered; /* an enterprise's offer (the leading one's), then approved */
};

extern const struct demo_provider demo_providers[DEMO_PROVIDERS];
extern const struct demo_service demo_services[DEMO_SERVICES];

/*
 * The hours of a kind as the API takes them ({"weekly": [...],
 * "exceptions": [...]}): the public holidays of 2026 as the State Council
 * arranged them (closed, and the weekend days worked instead open), and
 * the statutory holidays of 2027, whose arrangement is not yet published.
 * DH_NONE gives "".
 */
void demo_hours_json(enum demo_hours kind, struct buf *out);

#endif
