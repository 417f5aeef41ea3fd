/*
 * Jurisdictions: the tree of places one installation serves, city ->
 * district -> town or street -> community, village or park, with their
 * administrative division codes (GB/T 2260 for the city and its
 * districts; below them the 9- and 12-digit codes of GB/T 10114 style,
 * which extend their parent's).
 *
 * The tree is numbered in depth-first order: a node's subtree is every
 * node whose lo lies in [lo, hi].  Whether a record lies in a caller's
 * scope, or a node would become its own ancestor, is then one range test,
 * and these rules need no database.
 */
#ifndef QY_JURISDICTION_H
#define QY_JURISDICTION_H

#include <stddef.h>
#include <stdint.h>

enum jur_level { JL_CITY = 0, JL_DISTRICT, JL_TOWN, JL_COMMUNITY, JL_NLEVELS };

#define JUR_CODE_MAX 12

struct jurisdiction {
	int64_t id, parent_id; /* parent 0: the top of the tree */
	enum jur_level level;
	char kind[12]; /* city; district, county; town, street; community, village, park */
	char code[JUR_CODE_MAX + 1];
	char name_zh[401], name_en[401];
	int64_t district_id; /* the district it lies in (see jur_number) */
	int64_t lo, hi;      /* its subtree: lo..hi */
	int depth;           /* 0 at the top; set by jur_number */
	char updated_at[21];
};

/*
 * Where a caller may look and act: a subtree, by its top node.  id 0 is
 * the whole tree whatever lo and hi say, so that a zeroed scope (a caller
 * not signed in, a user with no jurisdiction) is the whole tree.  The
 * district is the top node's, 0 when the scope spans several districts.
 */
struct jur_scope {
	int64_t id, lo, hi, district_id;
	enum jur_level level;
};

/* Where one record lies: its jurisdiction's lo and hi. */
struct jur_pos {
	int64_t lo, hi;
};

const char *jur_level_name(enum jur_level l);
int jur_level_parse(const char *s, enum jur_level *out);
/* The kinds a node of the level may be, for messages: "town, street". */
const char *jur_kinds_of(enum jur_level l);
/* 1 when kind is one of the level's kinds. */
int jur_kind_fits(enum jur_level l, const char *kind);
/* The number of digits of a code at the level: 6, 6, 9, 12. */
int jur_code_digits(enum jur_level l);

/* The whole tree: lo 0, hi INT64_MAX. */
struct jur_scope jur_scope_all(void);
struct jur_scope jur_scope_of(const struct jurisdiction *j);
/* 1 when the record lies in the scope's subtree. */
int jur_in_scope(const struct jur_scope *s, const struct jur_pos *rec);
/* 1 when the record lies in the scope or on the path above it: reference
 * data (categories, departments, policies) defined at a district serve
 * its towns, so a town's officer reads them, and writes only its own. */
int jur_sees(const struct jur_scope *s, const struct jur_pos *rec);
/* 1 when the scope lies inside the other (a narrower or equal scope). */
int jur_scope_within(const struct jur_scope *inner, const struct jur_scope *outer);

/*
 * Checks a node before it is written: its level and kind, its code's form
 * and that it extends its parent's code (a district's first two digits are
 * its city's; a town's first six its district's; a community's first nine
 * its town's), and that its parent lies above it.  parent NULL: the top of
 * the tree.  Returns 0, or -1 with *field set to the field at fault and a
 * message naming the rule in msg.
 */
int jur_validate(const struct jurisdiction *j, const struct jurisdiction *parent,
                 const char **field, char *msg, size_t n);
/* The digits of a node's code that the codes under it begin with: a
 * city's first two (its province), any other node's whole code. */
int jur_code_carried(enum jur_level l);

/* What is wrong with a node: the field at fault, the error code of the
 * rule broken and a message naming the rule (without the field). */
struct jur_fault {
	const char *field, *code;
	char msg[256];
};

/*
 * Checks a node before it is written: the change of `old` into j (old
 * NULL: j is new) under parent (NULL: at the top), `children` being the
 * number of nodes directly under old.  In this order, the first rule
 * broken is the one named:
 *   parent    jurisdiction_cycle  parent is old or lies under it (a
 *                                 node under its own subtree would
 *                                 fail the level rule too, but the
 *                                 cycle is what the caller did wrong);
 *   level, kind  invalid_enum     jur_validate's rules, with its
 *   code      invalid_code        messages; name_zh is required;
 *   name_zh   required
 *   parent    wrong_nesting       the parent lies at or below its level;
 *   level     wrong_nesting       a node with nodes under it keeps its
 *                                 level (theirs lie below it, and their
 *                                 codes are of their level's length).
 * Returns 0, or -1 with *f filled.
 */
int jur_check(const struct jurisdiction *j, const struct jurisdiction *old,
              const struct jurisdiction *parent, size_t children, struct jur_fault *f);
/* 1 when moving node under new_parent would make it its own ancestor
 * (new_parent is the node or lies in its subtree). */
int jur_would_cycle(const struct jurisdiction *node, const struct jurisdiction *new_parent);

/*
 * Numbers the tree: sets lo, hi, depth and district_id of every node from
 * the parent links, children in the order of their codes.  nodes may be
 * in any order; the function sorts a copy of the links, not the array.
 * Returns 0, or -1 when a node's parent is missing, the links form a
 * cycle, or memory runs out; nothing is changed then.
 */
int jur_number(struct jurisdiction *nodes, size_t n);

/*
 * The USCC carries the division code of the registering authority
 * (characters 3 to 8, GB 32100-2015).  An enterprise registered in one
 * district and placed in another is possible (it moved, or registered at
 * the city level), so a mismatch is a warning, never a refusal.  Returns
 * 1 when the region matches the district's code, 0 when it does not,
 * -1 when there is nothing to compare (no district code, a code not of
 * 18 characters, or a city-level registration "xx0000"/"xxxx00" that
 * names no district).
 */
int jur_uscc_region_matches(const char *uscc, const char *district_code);

#endif
