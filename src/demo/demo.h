/*
 * The demo town, Zhangyan (张堰镇), built deterministically from the town's
 * facts: four industrial clusters coordinating 274 enterprises, 28 "two
 * new" organisations, Shanghai Qifan Cable as the optoelectronic cluster's
 * leading enterprise with 84 upstream and midstream enterprises attracted
 * around it (four named ones among them), every location inside
 * the 2.35 km² park.  The same build always yields the same town.
 */
#ifndef QY_DEMO_H
#define QY_DEMO_H

#include <stdint.h>

#include "../domain/access.h"
#include "../domain/chain.h"
#include "../domain/enterprise.h"
#include "../domain/indicator.h"
#include "../domain/lead.h"
#include "../domain/park.h"

#define DEMO_CLUSTERS      4
#define DEMO_ENTERPRISES   274
#define DEMO_ORGANISATIONS 28
#define DEMO_ATTRACTED     84
#define DEMO_USERS         12
#define DEMO_PASSWORD      "qunyan2024"

struct demo_cluster {
	const char *code, *name_zh, *name_en;
	int leading;   /* index into enterprises */
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

/* A chain node of a cluster's template (demo_chain.c). */
struct demo_node {
	int cluster; /* index */
	const char *code, *name_zh, *name_en;
	enum node_kind kind;
	enum chain_stage stage;
};

struct demo_lead {
	char name_zh[4 * ENT_NAME_MAX + 1], name_en[4 * ENT_NAME_MAX + 1];
	int node;       /* index into nodes */
	int introducer; /* enterprise index, -1: the town itself */
	enum lead_stage stage;
	int enterprise; /* settled: enterprise index; else -1 */
	char contacted_on[40], stage_on[40];
	const char *drop_reason;
	int owner; /* user index */
};

/* A grid of the demo park: the town (the whole park), its West and East
 * areas split by Rongwei Road, and three cells in each area. */
#define DEMO_GRIDS 9
struct demo_grid {
	const char *code, *name_zh, *name_en, *level;
	int parent;            /* index, -1 for the town */
	struct lonlat ring[4]; /* counter-clockwise, not closed */
	int members[2];        /* user indexes, -1 for none */
};

struct demo_visit {
	int enterprise, worker;           /* indexes */
	char planned_on[11], done_on[11]; /* done_on "" when planned */
	const char *notes;
	const char *problem, *problem_category; /* NULL: none found */
};

struct demo_figures {
	int enterprise;
	struct indicator ind;
};

#define DEMO_MAX_NODES 64
#define DEMO_MAX_EDGES 96

struct demo_town {
	struct demo_cluster clusters[DEMO_CLUSTERS];
	/* cluster_id of each enterprise holds the cluster's index + 1 */
	struct enterprise *enterprises;
	int nenterprises;
	const char *makes[DEMO_ENTERPRISES]; /* node code each enterprise makes */
	struct demo_org orgs[DEMO_ORGANISATIONS];
	struct demo_user users[DEMO_USERS];

	/* The chains.  Enterprise indexes in offers and links run over the
	 * park's enterprises first (0 .. nenterprises-1), then the firms
	 * outside the park (nenterprises + i for outside[i]). */
	struct enterprise *outside;
	int noutside;
	struct demo_node nodes[DEMO_MAX_NODES];
	int nnodes;
	struct chain_edge edges[DEMO_MAX_EDGES];
	int nedges;
	struct chain_offer *prod, *need;
	int nprod, nneed;
	struct chain_link *links;
	int nlinks;
	struct demo_lead *leads;
	int nleads;

	/* Grids, visits and indicators (demo_grid.c), dated back from the
	 * day the town is built. */
	struct demo_grid grids[DEMO_GRIDS];
	struct demo_visit *visits;
	int nvisits;
	struct demo_figures *figures;
	int nfigures;
};

/* Fills the town; enterprises are malloc'ed (demo_town_free).  Visits
 * and indicators are dated back from today (YYYY-MM-DD; NULL for a fixed
 * 2024-07-01, the day of the demo bulletin's first item). */
int demo_town_build(struct demo_town *t);
int demo_town_build_on(struct demo_town *t, const char *today);
void demo_town_free(struct demo_town *t);

/* Internals shared by demo.c and demo_chain.c. */
uint64_t demo_rng_next(uint64_t *s);
int demo_rng_int(uint64_t *s, int lo, int hi);
void demo_make_uscc(uint64_t *s, const char *prefix8, char out[USCC_LEN + 1]);
int demo_chain_build(struct demo_town *t, uint64_t *seed);
/* today: YYYY-MM-DD, the day visits and reports are dated back from. */
int demo_grid_build(struct demo_town *t, uint64_t *seed, const char *today);

#endif
