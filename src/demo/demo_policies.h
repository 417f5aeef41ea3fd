/*
 * The demo's policy measures: a district's (Jinshan's, Putuo's) and a
 * town's (Zhangyan's), written in the project's own words so that the
 * demo shows every outcome for Qifan Cable: measures it qualifies for,
 * one it nearly qualifies for (its R&D intensity short of the need), one
 * left unknown for lack of a whole year's revenue; an automatic grant for
 * the park's small enterprises; applications in every state.  Tables
 * only: cli/init_policies.c writes them through the store.
 */
#ifndef QY_DEMO_POLICIES_H
#define QY_DEMO_POLICIES_H

struct demo_policy {
	const char *jurisdiction_code;
	const char *issuer, *doc_number;
	const char *title_zh, *title_en, *summary_zh, *summary_en;
	const char *category;
	const char *mode; /* apply, automatic */
	const char *rule;
	double amount;       /* yuan, when formula is NULL */
	const char *formula; /* NULL: the fixed amount */
	const char *docs[3];
};
extern const struct demo_policy demo_policies[];
extern const int demo_npolicies;

/* The measures the demo's applications and batch are made for, as
 * indexes of demo_policies. */
#define DEMO_POLICY_CHAIN     0 /* Qifan qualifies; its application is under review */
#define DEMO_POLICY_RD        1 /* Qifan nearly qualifies */
#define DEMO_POLICY_SMALL     2 /* automatic: the park's micro and small enterprises */
#define DEMO_POLICY_FINANCING 3 /* Qifan qualifies; applications in every state */
#define DEMO_POLICY_GROWTH    4 /* unknown for Qifan: no whole year's revenue */
/* A chain measure: Qifan, which alone makes power cable in the park, qualifies;
 * Shuaiyi Chi, which has no purchases recorded, is unknown. */
#define DEMO_POLICY_GAP 7

#endif
