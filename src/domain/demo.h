/*
 * The demo town, Zhangyan (张堰镇), built deterministically from the seed's
 * facts: four industrial clusters coordinating 274 enterprises, 28 "two
 * new" organisations, Shanghai Qifan Cable as the optoelectronic cluster's
 * leading enterprise with 84 upstream and midstream enterprises attracted
 * around it (the four the seed names among them), every location inside
 * the 2.35 km² park.  The same build always yields the same town.
 */
#ifndef QY_DEMO_H
#define QY_DEMO_H

#include "access.h"
#include "enterprise.h"

#define DEMO_CLUSTERS 4
#define DEMO_ENTERPRISES 274
#define DEMO_ORGANISATIONS 28
#define DEMO_ATTRACTED 84
#define DEMO_USERS 9
#define DEMO_PASSWORD "qunyan2024"

struct demo_cluster {
	const char *code, *name_zh, *name_en;
	int leading; /* index into enterprises */
	int secretary; /* index into users */
};

struct demo_org {
	char name_zh[480], name_en[480];
	const char *kind;
	int cluster;    /* index into clusters */
	int enterprise; /* index into enterprises */
};

struct demo_user {
	const char *username, *display_name;
	enum role role;
	int cluster;    /* index, -1 for none */
	int enterprise; /* index, -1 for none */
	const char *department;
};

struct demo_town {
	struct demo_cluster clusters[DEMO_CLUSTERS];
	/* cluster_id of each enterprise holds the cluster's index + 1 */
	struct enterprise *enterprises;
	int nenterprises;
	struct demo_org orgs[DEMO_ORGANISATIONS];
	struct demo_user users[DEMO_USERS];
};

/* Fills the town; enterprises are malloc'ed (demo_town_free). */
int demo_town_build(struct demo_town *t);
void demo_town_free(struct demo_town *t);

#endif
