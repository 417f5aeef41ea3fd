#include "demo_neighbour.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "demo.h"

static const struct {
	const char *name_zh, *name_en, *industry, *road;
	int number, employees;
	const char *founded, *contact, *role, *phone;
	const char *region; /* the authority's prefix: 91 and the region */
} firms[DEMO_NEIGHBOURS] = {
    {"上海朱泾包装材料有限公司", "Shanghai Zhujing Packaging Materials Co., Ltd.", "2231", "人民路",
     128, 86, "2006-03-18", "沈建华", "总经理", "13916200481", "91310116"},
    {"上海秀州塑料制品有限公司", "Shanghai Xiuzhou Plastic Products Co., Ltd.", "2927", "秀州路",
     55, 42, "2011-09-02", "顾美玲", "行政主管", "13764501927", "91310116"},
    {"上海东林钢结构工程有限公司", "Shanghai Donglin Steel Structure Co., Ltd.", "3311", "东林路",
     312, 210, "2003-11-25", "陆国强", "副总经理", "13501873306", "91310116"},
    {"上海临源自动化仪表有限公司", "Shanghai Linyuan Automation Instruments Co., Ltd.", "4011",
     "临源街", 18, 64, "2015-05-12", "王晓东", "技术总监", "18621097734", "91310116"},
    {"上海朱枫机器人科技有限公司", "Shanghai Zhufeng Robotics Technology Co., Ltd.", "3491",
     "朱枫公路", 2088, 135, "2018-07-30", "张海燕", "总经理", "13818347265", "91310116"},
    {"上海万安碳素制品有限公司", "Shanghai Wan'an Carbon Products Co., Ltd.", "3091", "万安街", 76,
     27, "2009-01-16", "钱永康", "厂长", "13371926058", "91310116"},
    /* Registered in Songjiang before it moved here: its code names
     * 310117, and its answers carry the warning. */
    {"上海松朱通用设备有限公司", "Shanghai Songzhu General Equipment Co., Ltd.", "3499", "沪杭公路",
     6155, 58, "2012-04-09", "吴志刚", "总经理", "13651748832", "91310117"},
    {"上海健康路轧钢有限公司", "Shanghai Jiankang Road Steel Rolling Co., Ltd.", "3130", "健康路",
     401, 320, "1998-10-06", "孙红梅", "办公室主任", "13817605549", "91310116"},
};

void demo_neighbour_build(struct enterprise out[DEMO_NEIGHBOURS])
{
	/* Their own stream of codes, apart from the park's: adding them
	 * changes nothing of the demo town. */
	uint64_t s = 0x5A4855A1494E47ull;

	for (int i = 0; i < DEMO_NEIGHBOURS; i++) {
		struct enterprise *e = &out[i];
		enterprise_init(e);
		demo_make_uscc(&s, firms[i].region, e->uscc);
		snprintf(e->name_zh, sizeof(e->name_zh), "%s", firms[i].name_zh);
		snprintf(e->name_en, sizeof(e->name_en), "%s", firms[i].name_en);
		snprintf(e->industry, sizeof(e->industry), "%s", firms[i].industry);
		snprintf(e->founded, sizeof(e->founded), "%s", firms[i].founded);
		snprintf(e->address, sizeof(e->address), "上海市金山区朱泾镇%s%d号", firms[i].road,
		         firms[i].number);
		e->employees = firms[i].employees;
		e->size = firms[i].employees >= 300  ? SIZE_MEDIUM
		          : firms[i].employees >= 20 ? SIZE_SMALL
		                                     : SIZE_MICRO;
		e->in_park = 0;
		e->ncontacts = 1;
		snprintf(e->contacts[0].name, sizeof(e->contacts[0].name), "%s", firms[i].contact);
		snprintf(e->contacts[0].role, sizeof(e->contacts[0].role), "%s", firms[i].role);
		snprintf(e->contacts[0].phone, sizeof(e->contacts[0].phone), "%s", firms[i].phone);
	}
}
