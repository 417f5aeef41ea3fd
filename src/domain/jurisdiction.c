#include "jurisdiction.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[JL_NLEVELS] = {"city", "district", "town", "community"};

/* The kinds of node at each level, as the tree's users call them: a
 * district-level unit may be a county; a town-level one a street
 * (jiedao); below them communities, villages and parks. */
static const char *const kinds[JL_NLEVELS][4] = {
    [JL_CITY] = {"city"},
    [JL_DISTRICT] = {"district", "county"},
    [JL_TOWN] = {"town", "street"},
    [JL_COMMUNITY] = {"community", "village", "park"},
};
static const char *const kinds_text[JL_NLEVELS] = {"city", "district, county", "town, street",
                                                   "community, village, park"};
static const int code_digits[JL_NLEVELS] = {6, 6, 9, 12};

const char *jur_level_name(enum jur_level l)
{
	return (unsigned)l < JL_NLEVELS ? level_names[l] : "town";
}

int jur_level_parse(const char *s, enum jur_level *out)
{
	for (int i = 0; i < JL_NLEVELS; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum jur_level)i;
			return 0;
		}
	}
	return -1;
}

const char *jur_kinds_of(enum jur_level l)
{
	return (unsigned)l < JL_NLEVELS ? kinds_text[l] : "";
}

int jur_kind_fits(enum jur_level l, const char *kind)
{
	if ((unsigned)l >= JL_NLEVELS)
		return 0;
	for (int i = 0; i < 4 && kinds[l][i]; i++)
		if (strcmp(kinds[l][i], kind) == 0)
			return 1;
	return 0;
}

int jur_code_digits(enum jur_level l)
{
	return (unsigned)l < JL_NLEVELS ? code_digits[l] : 0;
}

struct jur_scope jur_scope_all(void)
{
	struct jur_scope s = {0, 0, INT64_MAX, 0, JL_CITY};
	return s;
}

struct jur_scope jur_scope_of(const struct jurisdiction *j)
{
	struct jur_scope s = {j->id, j->lo, j->hi, j->district_id, j->level};

	/* A scope above the districts spans several: no one district. */
	if (j->level == JL_CITY)
		s.district_id = 0;
	return s;
}

int jur_in_scope(const struct jur_scope *s, const struct jur_pos *rec)
{
	return s->id == 0 || (rec->lo >= s->lo && rec->lo <= s->hi);
}

int jur_sees(const struct jur_scope *s, const struct jur_pos *rec)
{
	return jur_in_scope(s, rec) || (rec->lo <= s->lo && s->lo <= rec->hi);
}

int jur_scope_within(const struct jur_scope *inner, const struct jur_scope *outer)
{
	if (outer->id == 0)
		return 1;
	return inner->id != 0 && inner->lo >= outer->lo && inner->hi <= outer->hi;
}

static int all_digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0';
}

int jur_code_carried(enum jur_level l)
{
	/* A district extends its city's province digits (31 for Shanghai:
	 * 310000 is the city, 310116 a district of it); below the districts
	 * a code extends its parent's whole code. */
	return l == JL_CITY ? 2 : jur_code_digits(l);
}

static int fault(struct jur_fault *f, const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fault(struct jur_fault *f, const char *field, const char *code, const char *fmt, ...)
{
	va_list ap;

	f->field = field;
	f->code = code;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* The node's own rules, then its parent's: jur_validate's. */
static int validate(const struct jurisdiction *j, const struct jurisdiction *parent,
                    struct jur_fault *f)
{
	int digits, prefix;

	if ((unsigned)j->level >= JL_NLEVELS)
		return fault(f, "level", "invalid_enum",
		             "must be one of city, district, town, community");
	if (!jur_kind_fits(j->level, j->kind))
		return fault(f, "kind", "invalid_enum", "a %s is one of: %s", level_names[j->level],
		             kinds_text[j->level]);
	digits = code_digits[j->level];
	if (!all_digits(j->code, digits))
		return fault(f, "code", "invalid_code", "a %s's code is %d digits",
		             level_names[j->level], digits);
	if (!j->name_zh[0])
		return fault(f, "name_zh", "required", "is required");
	if (!parent)
		return 0;
	if (parent->level >= j->level)
		return fault(f, "parent", "wrong_nesting",
		             "a %s lies under a level above it, not under a %s",
		             level_names[j->level], jur_level_name(parent->level));
	prefix = jur_code_carried(parent->level);
	if (strncmp(j->code, parent->code, (size_t)prefix) != 0) {
		if ((size_t)prefix == strlen(parent->code))
			return fault(f, "code", "invalid_code",
			             "must begin with %s, the code of %s (a %s's code extends its "
			             "parent's)",
			             parent->code, parent->name_zh, level_names[j->level]);
		return fault(f, "code", "invalid_code",
		             "must begin with %.*s, the first %d digits of %s's code %s", prefix,
		             parent->code, prefix, parent->name_zh, parent->code);
	}
	return 0;
}

int jur_validate(const struct jurisdiction *j, const struct jurisdiction *parent,
                 const char **field, char *msg, size_t n)
{
	struct jur_fault f;

	if (validate(j, parent, &f) == 0)
		return 0;
	*field = f.field;
	snprintf(msg, n, "%s", f.msg);
	return -1;
}

int jur_check(const struct jurisdiction *j, const struct jurisdiction *old,
              const struct jurisdiction *parent, size_t children, struct jur_fault *f)
{
	if (old && parent && parent->id == old->id)
		return fault(f, "parent", "jurisdiction_cycle", "%s cannot lie under itself",
		             old->name_zh);
	if (old && parent && jur_would_cycle(old, parent))
		return fault(f, "parent", "jurisdiction_cycle",
		             "%s lies under %s; a jurisdiction cannot be its own ancestor",
		             parent->name_zh, old->name_zh);
	if (validate(j, parent, f))
		return -1;
	if (old && children && j->level != old->level)
		return fault(
		    f, "level", "wrong_nesting",
		    "%s has %zu jurisdiction%s under it, which lie below it: it stays a %s",
		    old->name_zh, children, children == 1 ? "" : "s", jur_level_name(old->level));
	return 0;
}

int jur_would_cycle(const struct jurisdiction *node, const struct jurisdiction *new_parent)
{
	return new_parent->lo >= node->lo && new_parent->lo <= node->hi;
}

/* Children of a node, by code, as indexes into the nodes array. */
struct link {
	int64_t parent_id;
	const char *code;
	size_t at;
};

static int link_cmp(const void *a, const void *b)
{
	const struct link *x = a, *y = b;

	if (x->parent_id != y->parent_id)
		return x->parent_id < y->parent_id ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* The first link whose parent is id, or n. */
static size_t first_child(const struct link *l, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l[mid].parent_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int jur_number(struct jurisdiction *nodes, size_t n)
{
	struct link *l;
	struct {
		size_t at, next; /* the node, and the next of its children to visit */
	} * stack;
	int64_t *lo, *hi, *dist;
	int *depth;
	size_t visited = 0, top = 0;
	int64_t counter = 0;
	int ret = -1;

	if (n == 0)
		return 0;
	l = malloc(n * sizeof(*l));
	stack = malloc(n * sizeof(*stack));
	lo = malloc(n * sizeof(*lo));
	hi = malloc(n * sizeof(*hi));
	dist = malloc(n * sizeof(*dist));
	depth = malloc(n * sizeof(*depth));
	if (!l || !stack || !lo || !hi || !dist || !depth)
		goto out;
	for (size_t i = 0; i < n; i++) {
		l[i].parent_id = nodes[i].parent_id;
		l[i].code = nodes[i].code;
		l[i].at = i;
	}
	qsort(l, n, sizeof(*l), link_cmp);
	/* Every top node (parent 0) starts a walk; a node whose parent is
	 * not in the array is never reached, nor is a cycle, and both are
	 * caught by the count of nodes visited. */
	for (size_t r = first_child(l, n, 0); r < n && l[r].parent_id == 0; r++) {
		size_t root = l[r].at;

		lo[root] = ++counter;
		depth[root] = 0;
		dist[root] = nodes[root].id;
		stack[top].at = root;
		stack[top].next = first_child(l, n, nodes[root].id);
		top = 1;
		visited++;
		while (top) {
			size_t cur = stack[top - 1].at, k = stack[top - 1].next;

			if (k < n && l[k].parent_id == nodes[cur].id) {
				size_t c = l[k].at;

				stack[top - 1].next = k + 1;
				lo[c] = ++counter;
				depth[c] = depth[cur] + 1;
				/* The district is the node at district level on the
				 * path; above the districts it is the top of the tree
				 * until one is met. */
				dist[c] = nodes[c].level == JL_DISTRICT ? nodes[c].id : dist[cur];
				if (nodes[c].level != JL_DISTRICT && nodes[cur].level == JL_CITY)
					dist[c] = nodes[c].id;
				if (top == n)
					goto out;
				stack[top].at = c;
				stack[top].next = first_child(l, n, nodes[c].id);
				top++;
				visited++;
			} else {
				hi[cur] = counter;
				top--;
			}
		}
	}
	if (visited != n)
		goto out;
	for (size_t i = 0; i < n; i++) {
		nodes[i].lo = lo[i];
		nodes[i].hi = hi[i];
		nodes[i].depth = depth[i];
		nodes[i].district_id = dist[i];
	}
	ret = 0;
out:
	free(l);
	free(stack);
	free(lo);
	free(hi);
	free(dist);
	free(depth);
	return ret;
}

int jur_uscc_region_matches(const char *uscc, const char *district_code)
{
	if (!uscc || !district_code || strlen(uscc) != 18 || strlen(district_code) < 6)
		return -1;
	for (int i = 2; i < 8; i++)
		if (uscc[i] < '0' || uscc[i] > '9')
			return -1;
	/* "310000" is the city, "310100" the city's districts as one: a
	 * registration at either names no one district. */
	if (uscc[6] == '0' && uscc[7] == '0')
		return -1;
	return strncmp(uscc + 2, district_code, 6) == 0;
}
