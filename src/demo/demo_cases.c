/*
 * The demo's case pipeline: the departments that handle cases, the
 * categories that route them, the places they are collected (Jiuliting
 * Street's 19 suggestion points and Zhangyan's salons, roundtables and
 * party classes), and cases in every state, dated back from the town's
 * today.  Tables only: cli/init.c writes them through the store.
 */
#include "demo_cases.h"

#include <stddef.h>

#include "demo_places.h"

const struct demo_department demo_departments[DEMO_DEPARTMENTS] = {
    {"企业服务办", "Enterprise service office", DEMO_HOME_CODE},
    {"经济园区", "Economic park", DEMO_HOME_CODE},
    {"城市运输中心", "Urban transport centre", DEMO_HOME_CODE},
    {"社区管理办", "Community affairs office", DEMO_HOME_CODE},
    {"平安办", "Public safety office", DEMO_HOME_CODE},
    {"规划建设办", "Planning and construction office", DEMO_HOME_CODE},
    {"九里亭街道平安办", "Jiuliting public safety office", DEMO_JIULITING_CODE},
};

/* Residents' categories carry an Open311 attribute saying whether the
 * request is a suggestion or a complaint. */
#define KIND_ATTR                                                                                  \
	"{\"code\":\"kind\",\"datatype\":\"singlevaluelist\",\"required\":false,"                  \
	"\"description\":\"建议还是投诉 Suggestion or complaint\",\"values\":[{\"key\":"     \
	"\"suggestion\",\"name\":\"建议 Suggestion\"},{\"key\":\"complaint\",\"name\":\"投诉 " \
	"Complaint\"}]}"

const struct demo_category demo_categories[DEMO_CATEGORIES] = {
    {"land", "用地与厂房", "Land and premises", "企业诉求", 1, 240, "[]"},
    {"labour", "用工与人才", "Labour and talent", "企业诉求", 0, 240, "[]"},
    {"finance", "融资与资金", "Finance", "企业诉求", 0, 168, "[]"},
    {"logistics", "物流与运输", "Logistics", "企业诉求", 2, 240, "[]"},
    {"utilities", "水电气与管网", "Utilities and drainage", "企业诉求", 1, 120, "[]"},
    {"policy", "政策咨询与兑现", "Policies and subsidies", "企业诉求", 0, 120, "[]"},
    {"enterprise_other", "其他企业诉求", "Other enterprise matters", "企业诉求", 0, 240, "[]"},
    {"road_lighting", "道路与路灯", "Roads and street lights", "城市管理", 2, 72,
     "[" KIND_ATTR ",{\"code\":\"pole\",\"datatype\":\"string\",\"required\":false,"
     "\"description\":\"路灯杆编号 Number on the lamp post\"}]"},
    {"parking", "交通与停车", "Traffic and parking", "城市管理", 2, 168, "[" KIND_ATTR "]"},
    {"environment", "环境卫生", "Cleanliness and waste", "城市管理", 3, 48, "[" KIND_ATTR "]"},
    {"community", "社区服务与设施", "Community services", "社区生活", 3, 240, "[" KIND_ATTR "]"},
    {"elderly_care", "养老与助餐", "Care for the elderly", "社区生活", 3, 240, "[" KIND_ATTR "]"},
    {"safety", "安全隐患", "Safety hazards", "平安建设", 4, 24, "[" KIND_ATTR "]"},
};

const struct demo_category_rule demo_category_rules[DEMO_CATEGORY_RULES] = {
    {"safety", DEMO_JIULITING_CODE, 6, 12},
};

/* A point's street and its jurisdiction, which go together. */
#define JLT "九里亭街道", DEMO_JIULITING_CODE
#define ZY  "张堰镇", DEMO_HOME_CODE

/* Jiuliting: one workstation, one contact point, one mailbox, fifteen
 * residential-area points and one street reception point (the seed);
 * then Zhangyan's quarterly salons, roundtable and party class. */
const struct demo_point demo_points[DEMO_POINTS] = {
    {"workstation", "九里亭街道人民建议征集工作站", "Jiuliting people's suggestion workstation",
     JLT, "九里工坊党群服务站", 121.3325, 31.1127, "街道党群办", "周一至周五 9:00-17:00"},
    {"contact_point", "九里工坊人民建议征集联络点", "Jiuli Workshop suggestion contact point", JLT,
     "九里工坊一楼", 121.3331, 31.1131, "九里工坊", "每天 9:00-20:00"},
    {"mailbox", "九里亭街道人民建议信箱", "Jiuliting suggestion mailbox", JLT, "街道办事处大门东侧",
     121.3302, 31.1109, "街道信访办", "每周一、四开箱"},
    {"residential", "亭北居民区征集点", "Tingbei residents' point", JLT, "亭北居委会", 121.3290,
     31.1188, "亭北居委会", "周一至周六 8:30-17:00"},
    {"residential", "亭南居民区征集点", "Tingnan residents' point", JLT, "亭南居委会", 121.3301,
     31.1052, "亭南居委会", "周一至周六 8:30-17:00"},
    {"residential", "涞寅居民区征集点", "Laiyin residents' point", JLT, "涞寅居委会", 121.3385,
     31.1102, "涞寅居委会", "周一至周六 8:30-17:00"},
    {"residential", "绿地居民区征集点", "Greenland residents' point", JLT, "绿地居委会", 121.3412,
     31.1143, "绿地居委会", "周一至周六 8:30-17:00"},
    {"residential", "九里居民区征集点", "Jiuli residents' point", JLT, "九里居委会", 121.3350,
     31.1165, "九里居委会", "周一至周六 8:30-17:00"},
    {"residential", "沪亭居民区征集点", "Huting residents' point", JLT, "沪亭居委会", 121.3268,
     31.1120, "沪亭居委会", "周一至周六 8:30-17:00"},
    {"residential", "亭知居民区征集点", "Tingzhi residents' point", JLT, "亭知居委会", 121.3372,
     31.1070, "亭知居委会", "周一至周六 8:30-17:00"},
    {"residential", "新凯居民区征集点", "Xinkai residents' point", JLT, "新凯居委会", 121.3430,
     31.1090, "新凯居委会", "周一至周六 8:30-17:00"},
    {"residential", "文翔居民区征集点", "Wenxiang residents' point", JLT, "文翔居委会", 121.3245,
     31.1160, "文翔居委会", "周一至周六 8:30-17:00"},
    {"residential", "奥林居民区征集点", "Aolin residents' point", JLT, "奥林居委会", 121.3458,
     31.1175, "奥林居委会", "周一至周六 8:30-17:00"},
    {"residential", "复地居民区征集点", "Fudi residents' point", JLT, "复地居委会", 121.3318,
     31.1205, "复地居委会", "周一至周六 8:30-17:00"},
    {"residential", "涞坊居民区征集点", "Laifang residents' point", JLT, "涞坊居委会", 121.3397,
     31.1036, "涞坊居委会", "周一至周六 8:30-17:00"},
    {"residential", "中大居民区征集点", "Zhongda residents' point", JLT, "中大居委会", 121.3279,
     31.1080, "中大居委会", "周一至周六 8:30-17:00"},
    {"residential", "同济居民区征集点", "Tongji residents' point", JLT, "同济居委会", 121.3440,
     31.1128, "同济居委会", "周一至周六 8:30-17:00"},
    {"residential", "杜巷居民区征集点", "Duxiang residents' point", JLT, "杜巷居委会", 121.3360,
     31.1020, "杜巷居委会", "周一至周六 8:30-17:00"},
    {"street_reception", "九里亭街道接待点", "Jiuliting street reception point", JLT,
     "街道办事处一楼接待室", 121.3305, 31.1112, "街道信访办", "周一至周五 9:00-17:00"},
    {"salon", "光电传输企业秘书沙龙", "Optoelectronic cluster secretaries' salon", ZY,
     "张堰镇党群服务中心", 121.2891, 30.8035, "光电传输产业分会", "每季度一次"},
    {"salon", "新材料企业秘书沙龙", "New materials secretaries' salon", ZY, "张堰镇党群服务中心",
     121.2891, 30.8035, "新材料产业分会", "每季度一次"},
    {"salon", "智能制造企业秘书沙龙", "Smart manufacturing secretaries' salon", ZY,
     "张堰镇党群服务中心", 121.2891, 30.8035, "智能制造产业分会", "每季度一次"},
    {"salon", "生产性服务业企业秘书沙龙", "Producer services secretaries' salon", ZY,
     "张堰镇党群服务中心", 121.2891, 30.8035, "生产性服务业分会", "每季度一次"},
    {"roundtable", "红领圆桌会", "Red-collar roundtable", ZY, "张堰镇党群服务中心", 121.2891,
     30.8035, "镇党委", "每季度一次"},
    {"party_class", "红领党课", "Red-collar party class", ZY, "张堰镇党群服务中心", 121.2891,
     30.8035, "镇党委", "每季度一次"},
};

#define SUGGESTION_DONE "accepted,under_review,adopted,implementing,implemented"

const struct demo_case demo_cases[DEMO_CASES] = {
    /* Golden ideas turned into golden keys. */
    {"suggestion", "community", 3, -1, 62, SUGGESTION_DONE ",closed",
     "小区东门到菜场的路上没有可以歇脚的地方，建议增设几组休息座椅，方便老人买菜途中休息。",
     "已在小区东门至菜场沿线增设4组休息座椅，居民反映良好。", 5, "王秀英", "13812345678", -1, NULL},
    {"suggestion", "elderly_care", 0, -1, 80, SUGGESTION_DONE ",closed",
     "建议在街道开设老年助餐点，解决独居和高龄老人吃饭难的问题。",
     "街道与社区食堂合作开设老年助餐点，工作日供应午餐，高龄老人可送餐上门。", 5, "陈国华",
     "13916072233", -1, NULL},
    {"suggestion", "community", 6, -1, 55, SUGGESTION_DONE,
     "小区快递太多堆在门卫室，建议在小区内设置智能快递柜。",
     "已协调两家快递企业在小区南门和北门各设置一组智能快递柜。", 4, "李建军", "13501783344", -1,
     NULL},
    {"suggestion", "community", 8, -1, 48, SUGGESTION_DONE ",closed",
     "非机动车棚没有充电设施，居民只好把电瓶拉回家充电，建议车棚加装充电桩。",
     "已在小区3个非机动车棚加装智能充电桩48个，按次计费、自动断电。", 4, "周立新", "18621005566",
     -1, NULL},
    {"suggestion", "community", 10, -1, 44, SUGGESTION_DONE,
     "小区健身器材老化，扶手松动，建议更换并定期检修。",
     "已更换健身器材12件，并由物业每月检查一次。", 5, "吴芳", "13764217788", -1, NULL},
    {"suggestion", "parking", 4, -1, 40, "accepted,under_review,adopted,implementing",
     "小区夜间停车位严重不足，建议与周边单位协商夜间错峰共享停车。",
     "拟利用周边两家单位夜间闲置停车位错峰共享，正在与产权单位协商收费与管理办法。", 0, "郑伟",
     "13817459900", -1, NULL},
    {"suggestion", "road_lighting", 5, -1, 30, "accepted,under_review",
     "涞亭南路人行道路灯间距过大，夜间行走不安全，建议加密路灯。", "", 0, "孙丽", "15921436677", -1,
     NULL},
    {"suggestion", "road_lighting", 9, -1, 26, "",
     "涞亭南路路灯太少，晚上人行道很暗，希望多装几盏路灯。", "", 0, "钱进", "13661829011", 6, NULL},
    {"suggestion", "environment", 2, -1, 21, "accepted,under_review,not_adopted",
     "建议把小区门口的绿化带改成临时停车位。",
     "该处为市政绿化带，按规划不宜改建为停车位；已安排修剪绿化，改善路口视线。", 0, "冯强",
     "13524681357", -1, NULL},
    {"suggestion", "community", 1, -1, 15, "accepted",
     "建议在九里工坊开设周末亲子阅读活动，丰富孩子的课余生活。", "", 0, "蒋敏", "13311224455", -1,
     NULL},
    {"suggestion", "elderly_care", 7, -1, 11, "accepted,under_review",
     "建议社区为高龄独居老人安装紧急呼叫装置，出现意外能及时求助。", "", 0, "沈红", "13671338822",
     -1, NULL},
    {"suggestion", "community", 12, -1, 36, "accepted,under_review,adopted",
     "公交站没有遮阳棚，夏天等车太晒，建议增设候车遮阳棚。",
     "已纳入年度公交站点改造计划，由城市运输中心统一实施。", 0, "韩梅", "18017263344", -1, NULL},
    {"suggestion", "community", 18, -1, 52, SUGGESTION_DONE ",closed",
     "建议每月固定一天在街道开设免费法律咨询，方便居民咨询家事和物业纠纷。",
     "每月第一个周六上午在街道接待点开设律师咨询日。", 5, "杨帆", "13905716688", -1, NULL},
    {"suggestion", "environment", 14, -1, 18, "accepted,assigned,in_progress",
     "垃圾分类投放点缺少指导，建议在早晚高峰安排志愿者值守。", "", 0, "朱静", "13482915566", -1,
     NULL},
    {"suggestion", "community", -1, -1, 3, "", "建议街道文体中心的羽毛球场晚间开放网上预约。", "",
     0, "赵先生", "13598765432", -1, DEMO_JIULITING_CODE},
    /* Complaints. */
    {"complaint", "environment", 18, -1, 9, "accepted,assigned,in_progress",
     "菜场后门垃圾清运不及时，夏天异味严重。", "", 0, "何勇", "13761234598", -1, NULL},
    {"complaint", "safety", 11, -1, 5, "accepted,assigned",
     "小区3号楼楼道里有人给电动车电池充电，存在火灾隐患。", "", 0, "许磊", "13818887766", -1, NULL},
    {"complaint", "parking", -1, -1, 2, "",
     "亭知路与涞寅路路口人行绿灯时间太短，老人过马路来不及。", "", 0, "林女士", "13700112233", -1,
     DEMO_JIULITING_CODE},
    {"complaint", "road_lighting", 15, -1, 34, "accepted,assigned,in_progress,resolved,closed",
     "涞坊路有三盏路灯不亮，已经一个多星期了。", "已更换损坏的灯具和线路，三盏路灯恢复照明。", 3,
     "罗斌", "13621558899", -1, NULL},
    /* Problems put on the table at salons and roundtables. */
    {"problem", "logistics", 19, 0, 50, "accepted,assigned,in_progress,resolved,closed",
     "企业秘书沙龙上提出：园区企业物流分散，单票成本偏高，希望园区统一对接物流配送。",
     "园区与两家物流企业签订集中配送协议，参与企业运费平均下降约12%。", 4, NULL, NULL, -1, NULL},
    {"problem", "land", 23, 1, 45, "accepted,assigned,in_progress",
     "红领圆桌会上提出：扩产需新增用地约20亩，希望协调园区存量厂房。", "", 0, NULL, NULL, -1, NULL},
    {"problem", "labour", 20, 2, 35, "accepted,assigned,in_progress,resolved",
     "一线技术工人招工难，希望镇里组织专场招聘。",
     "镇人力资源服务站组织专场招聘会2场，达成就业意向42人。", 0, NULL, NULL, -1, NULL},
    {"problem", "utilities", 19, 0, 12, "accepted,assigned",
     "厂区新增生产线需用电增容，供电所排期较长，希望协调加快。", "", 0, NULL, NULL, -1, NULL},
    {"problem", "finance", 24, 3, 8, "accepted",
     "希望对接科技型中小企业贷款贴息政策，了解申报条件。", "", 0, NULL, NULL, -1, NULL},
    {"problem", "policy", -1, 0, 4, "", "咨询本年度高新技术企业认定申报时间与材料要求。", "", 0,
     NULL, NULL, -1, NULL},
    {"problem", "utilities", 21, 10, 20, "accepted,assigned,in_progress,resolved,closed",
     "振康路雨水管网排水不畅，雨天厂区门口积水。", "已疏通雨水管网并加设两处雨水口，雨天不再积水。",
     5, NULL, NULL, -1, NULL},
};
