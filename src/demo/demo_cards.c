/*
 * Phones in the demo's ranges: Jinshan's fixed lines are 021-57xx xxxx,
 * the staff's mobiles 139 1620 xxxx (and the town's hotline a line of the
 * enterprise service office's exchange).
 */
#include "demo_cards.h"

#include <stddef.h>

#include "demo_places.h"

const struct demo_phone demo_phones[] = {
    {"officer", "021-5721 1001"},
    {"secretary", "139 1620 3101"},
    {"secretary2", "139 1620 3102"},
    {"secretary3", "139 1620 3103"},
    {"secretary4", "139 1620 3104"},
    {"grid", "139 1620 5201"},
    {"grid2", "139 1620 5202"},
    {"grid3", "139 1620 5203"},
    {"officer.zhangyan", "021-5721 1002"},
    {"officer.zhujing", "021-5722 3001"},
};
const int demo_nphones = sizeof(demo_phones) / sizeof(demo_phones[0]);

const struct demo_desk demo_desks[] = {
    {DEMO_HOME_CODE, "企业服务办", "021-5721 1000", "张堰镇营商服务热线",
     "Zhangyan business service hotline", "021-5721 8890"},
    {DEMO_NEIGHBOUR_CODE, NULL, "", "朱泾镇营商服务热线", "Zhujing business service hotline",
     "021-5722 8890"},
};
const int demo_ndesks = sizeof(demo_desks) / sizeof(demo_desks[0]);
