/*
 * The demo's case pipeline as tables (demo_cases.c): departments,
 * categories, collection points and cases.  Indexes refer into these
 * tables and into the demo town's enterprises.
 */
#ifndef QY_DEMO_CASES_H
#define QY_DEMO_CASES_H

#define DEMO_DEPARTMENTS    7
#define DEMO_CATEGORIES     13
#define DEMO_CATEGORY_RULES 1
#define DEMO_POINTS         25 /* Jiuliting's 19, then Zhangyan's 6 */
#define DEMO_CASES          26

/* The categories are the city's: defined at its top, they serve every
 * town and street of the demo (a division code of demo_places.h). */
#define DEMO_CATEGORIES_AT "310000"

struct demo_department {
	const char *name, *name_en;
	const char *jurisdiction; /* the division code of where it is */
};

struct demo_category {
	const char *code, *name_zh, *name_en, *group;
	int department; /* index */
	int deadline_hours;
	const char *attributes; /* Open311 attribute definitions, JSON */
};

struct demo_point {
	const char *type, *name_zh, *name_en, *street;
	const char *jurisdiction; /* the division code of where it is */
	const char *address;
	double lon, lat;
	const char *keeper, *hours;
};

struct demo_case {
	const char *kind, *category;
	int point;      /* index, -1: the web form or the console */
	int enterprise; /* index, -1: a resident */
	int days_ago;
	const char *path; /* the states it went through after submitted, comma-separated */
	const char *text, *reply;
	int rating;               /* 0: none */
	const char *name, *phone; /* the resident, NULL for enterprises */
	int merged_into;          /* index, -1 */
	/* The division code of where it lies when neither a point nor an
	 * enterprise places it; NULL: home. */
	const char *jurisdiction;
};

/* A category's department and time limit below where it is defined
 * (category_rules): Jiuliting's own public safety office answers its
 * safety hazards, sooner than the city's rule says. */
struct demo_category_rule {
	const char *category, *jurisdiction;
	int department; /* index */
	int deadline_hours;
};

extern const struct demo_department demo_departments[DEMO_DEPARTMENTS];
extern const struct demo_category demo_categories[DEMO_CATEGORIES];
extern const struct demo_category_rule demo_category_rules[DEMO_CATEGORY_RULES];
extern const struct demo_point demo_points[DEMO_POINTS];
extern const struct demo_case demo_cases[DEMO_CASES];

#endif
