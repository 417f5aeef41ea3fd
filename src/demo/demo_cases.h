/*
 * The demo's case pipeline as tables (demo_cases.c): departments,
 * categories, collection points and cases.  Indexes refer into these
 * tables and into the demo town's enterprises.
 */
#ifndef QY_DEMO_CASES_H
#define QY_DEMO_CASES_H

#define DEMO_DEPARTMENTS 6
#define DEMO_CATEGORIES  13
#define DEMO_POINTS      25 /* Jiuliting's 19, then Zhangyan's 6 */
#define DEMO_CASES       26

struct demo_department {
	const char *name, *name_en;
};

struct demo_category {
	const char *code, *name_zh, *name_en, *group;
	int department; /* index */
	int deadline_hours;
	const char *attributes; /* Open311 attribute definitions, JSON */
};

struct demo_point {
	const char *type, *name_zh, *name_en, *street, *address;
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
};

extern const struct demo_department demo_departments[DEMO_DEPARTMENTS];
extern const struct demo_category demo_categories[DEMO_CATEGORIES];
extern const struct demo_point demo_points[DEMO_POINTS];
extern const struct demo_case demo_cases[DEMO_CASES];

#endif
