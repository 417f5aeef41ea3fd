/*
 * The enterprises of Zhujing Town (朱泾镇, 310116101), Zhangyan's
 * neighbour in Jinshan: a handful, so that a town beside the demo town
 * has a registry of its own and every list can be seen cut by town.  One
 * of them holds a code issued in Songjiang (310117), to show the warning
 * a code of another district gets.
 *
 * They lie in Zhujing, not in Zhangyan's park (in_park 0), and carry no
 * coordinates: Zhujing has no grids drawn in the demo.
 */
#ifndef QY_DEMO_NEIGHBOUR_H
#define QY_DEMO_NEIGHBOUR_H

#include "../domain/enterprise.h"

#define DEMO_NEIGHBOURS 8

/* Fills out[0 .. DEMO_NEIGHBOURS - 1], the same every time; each passes
 * enterprise_validate.  The caller sets their jurisdiction. */
void demo_neighbour_build(struct enterprise out[DEMO_NEIGHBOURS]);

#endif
