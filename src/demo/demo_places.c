#include "demo_places.h"

const struct demo_place demo_places[] = {
    {DEMO_CITY_CODE, NULL, JL_CITY, "city", "上海市", "Shanghai"},
    {DEMO_HOME_DISTRICT, DEMO_CITY_CODE, JL_DISTRICT, "district", "金山区", "Jinshan District"},
    {DEMO_HOME_CODE, DEMO_HOME_DISTRICT, JL_TOWN, "town", "张堰镇", "Zhangyan Town"},
    {"310116103201", DEMO_HOME_CODE, JL_COMMUNITY, "park", "张堰工业园区",
     "Zhangyan Industrial Park"},
    {"310116103001", DEMO_HOME_CODE, JL_COMMUNITY, "community", "张堰社区居委会",
     "Zhangyan Community"},
    {DEMO_NEIGHBOUR_CODE, DEMO_HOME_DISTRICT, JL_TOWN, "town", "朱泾镇", "Zhujing Town"},
    {"310117", DEMO_CITY_CODE, JL_DISTRICT, "district", "松江区", "Songjiang District"},
    {DEMO_JIULITING_CODE, "310117", JL_TOWN, "street", "九里亭街道", "Jiuliting Street"},
    {DEMO_PUTUO_CODE, DEMO_CITY_CODE, JL_DISTRICT, "district", "普陀区", "Putuo District"},
};
const int demo_nplaces = sizeof(demo_places) / sizeof(demo_places[0]);

/* Officers of each level, beside the demo's officer of the whole city
 * (demo.c's "officer"), so that a scope can be tried from every side. */
const struct demo_scoped_user demo_scoped_users[] = {
    {"officer.jinshan", "金山区营商办 赵磊", ROLE_OFFICER, DEMO_HOME_DISTRICT, "区营商环境办"},
    {"officer.zhangyan", "张堰镇企业服务办 孙洁", ROLE_OFFICER, DEMO_HOME_CODE, "企业服务办"},
    {"officer.zhujing", "朱泾镇企业服务办 钱程", ROLE_OFFICER, DEMO_NEIGHBOUR_CODE, "企业服务办"},
    {"officer.jiuliting", "九里亭街道 吴芳", ROLE_OFFICER, DEMO_JIULITING_CODE,
     "人民建议征集工作站"},
    {"admin.jinshan", "金山区系统管理员", ROLE_ADMIN, DEMO_HOME_DISTRICT, ""},
};
const int demo_nscoped_users = sizeof(demo_scoped_users) / sizeof(demo_scoped_users[0]);
