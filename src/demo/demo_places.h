/*
 * The places of the demo: Shanghai with three of its districts and the
 * towns and streets where the practices the demo shows come from, and
 * officers scoped to each level.  Division codes of the city and the
 * districts are GB/T 2260's; the town-level codes are the demo's own,
 * formed as GB/T 10114 forms them (the district's six digits and three
 * more).
 */
#ifndef QY_DEMO_PLACES_H
#define QY_DEMO_PLACES_H

#include "../domain/access.h"
#include "../domain/jurisdiction.h"

struct demo_place {
	const char *code, *parent_code; /* parent NULL: the top */
	enum jur_level level;
	const char *kind, *name_zh, *name_en;
};

/* In an order in which every parent comes before its children, but for
 * the town a database of one town already has (DEMO_HOME_CODE), which is
 * renamed and hung under its district. */
extern const struct demo_place demo_places[];
extern const int demo_nplaces;

#define DEMO_CITY_CODE      "310000"
#define DEMO_HOME_CODE      "310116103" /* Zhangyan Town: the park, its clusters and grids */
#define DEMO_HOME_DISTRICT  "310116"    /* Jinshan District */
#define DEMO_NEIGHBOUR_CODE "310116101" /* Zhujing Town, Zhangyan's neighbour in Jinshan */
#define DEMO_JIULITING_CODE "310117011" /* Jiuliting Street, Songjiang District */
#define DEMO_PUTUO_CODE     "310107"    /* Putuo District */

struct demo_scoped_user {
	const char *username, *display_name;
	enum role role;
	const char *jurisdiction_code;
	const char *department;
};
extern const struct demo_scoped_user demo_scoped_users[];
extern const int demo_nscoped_users;

#endif
