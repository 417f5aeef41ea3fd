#include "demo.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/park.h"

/* splitmix64: small, fast and the same on every machine, which is all a
 * deterministic demo needs. */
uint64_t demo_rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

int demo_rng_int(uint64_t *s, int lo, int hi)
{
	return lo + (int)(demo_rng_next(s) % (uint64_t)(hi - lo + 1));
}
#define rng_int  demo_rng_int
#define rng_next demo_rng_next

static double rng_unit(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) / 9007199254740992.0;
}

static const struct {
	const char *zh, *py;
} brand_chars[] = {
    {"华", "Hua"},  {"金", "Jin"},    {"恒", "Heng"}, {"瑞", "Rui"},   {"星", "Xing"},
    {"达", "Da"},   {"通", "Tong"},   {"宏", "Hong"}, {"盛", "Sheng"}, {"鑫", "Xin"},
    {"源", "Yuan"}, {"泰", "Tai"},    {"德", "De"},   {"丰", "Feng"},  {"嘉", "Jia"},
    {"联", "Lian"}, {"创", "Chuang"}, {"科", "Ke"},   {"凯", "Kai"},   {"明", "Ming"},
    {"晨", "Chen"}, {"博", "Bo"},     {"安", "An"},   {"宇", "Yu"},    {"海", "Hai"},
    {"峰", "Feng"}, {"辰", "Chen"},   {"润", "Run"},  {"捷", "Jie"},   {"永", "Yong"},
    {"信", "Xin"},  {"汇", "Hui"},    {"立", "Li"},   {"新", "Xin"},   {"益", "Yi"},
};
#define NBRAND ((int)(sizeof(brand_chars) / sizeof(brand_chars[0])))

struct line {
	const char *zh, *en, *industry;
	const char *node; /* the chain node (demo_chain.c) it makes */
};

/* What each cluster's enterprises make, by chain stage. */
static const struct line opto_up[] = {
    {"塑胶材料", "Plastic Materials", "2929", "pe_compound"},
    {"护套材料", "Sheathing Compounds", "2651", "lszh_compound"},
    {"钢丝制品", "Steel Wire Products", "3340", "steel_wire"},
    {"芳纶材料", "Aramid Materials", "2662", "aramid"},
    {"光纤预制棒", "Fibre Preform", "3832", "preform"},
};
static const struct line opto_mid[] = {
    {"光纤", "Optical Fibre", "3832", "optical_fibre"},
    {"光缆", "Optical Cable", "3833", "optical_cable"},
    {"电线电缆", "Wire and Cable", "3831", "copper_conductor"},
    {"光电器件", "Optoelectronic Devices", "3976", "connector"},
    {"连接器", "Connector", "3976", "connector"},
};
static const struct line opto_down[] = {
    {"通信工程", "Telecom Engineering", "4910", "install_test"},
    {"检测技术", "Testing Technology", "7452", "install_test"},
    {"物流", "Logistics", "5431", "logistics"},
};
static const struct line material[] = {
    {"新材料", "New Materials", "2651", "modified_plastic"},
    {"高分子材料", "Polymer Materials", "2651", "polymer_resin"},
    {"碳材料", "Carbon Materials", "3091", "carbon_fibre"},
    {"电子材料", "Electronic Materials", "3985", "electronic_chem"},
    {"化学", "Chemical", "2662", "monomer"},
    {"材料研究", "Materials Research", "7320", "rd_service"},
};
static const struct line equipment[] = {
    {"智能装备", "Intelligent Equipment", "3499", "auto_line"},
    {"机器人", "Robotics", "3491", "robot"},
    {"自动化", "Automation", "4011", "controller"},
    {"精密机械", "Precision Machinery", "3499", "reducer"},
    {"半导体设备", "Semiconductor Equipment", "3562", "sensor"},
    {"软件", "Software", "6513", "industrial_software"},
};
static const struct line upgrade[] = {
    {"金属结构", "Metal Structures", "3311", "metal_structure"},
    {"包装", "Packaging", "2231", "packaging"},
    {"塑料制品", "Plastic Products", "2927", "plastic_product"},
    {"钢材", "Steel", "3130", "steel_plate"},
    {"物流", "Logistics", "5431", "freight"},
};

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                       "吴", "周", "徐", "孙", "朱", "沈", "陆", "顾"};
static const char *const given[] = {"伟", "敏", "静", "磊", "洁", "军", "勇", "燕", "杰",
                                    "涛", "明", "霞", "平", "刚", "丽", "强", "华", "芳"};
static const char *const roles[] = {"总经理", "行政主管", "党支部书记", "办公室主任"};
static const char *const west_roads[] = {"振康路", "旧港路", "张金公路"};
static const char *const east_roads[] = {"汇丰路", "张涟路", "松金公路"};

struct named {
	const char *zh, *en, *industry;
	enum chain_stage stage;
	int employees;
	const char *founded;
	const char *node; /* what it makes; leaders make several (demo_chain.c) */
};

/* The leading enterprises; only Qifan Cable is a real name. */
static const struct named leaders[DEMO_CLUSTERS] = {
    {"上海起帆电缆股份有限公司", "Shanghai Qifan Cable Co., Ltd.", "3831", STAGE_LEADING, 2600,
     "1994-12-16", "power_cable"},
    {"上海恒泰新材料股份有限公司", "Shanghai Hengtai New Materials Co., Ltd.", "2651",
     STAGE_LEADING, 860, "2003-05-20", "composite"},
    {"上海博宇智能装备有限公司", "Shanghai Boyu Intelligent Equipment Co., Ltd.", "3499",
     STAGE_LEADING, 640, "2008-09-01", "auto_line"},
    {"上海润丰金属制品有限公司", "Shanghai Runfeng Metal Products Co., Ltd.", "3311", STAGE_LEADING,
     420, "1998-03-12", "metal_structure"},
};

/* Four of the attracted enterprises, by their real names. */
static const struct named seed_named[4] = {
    {"上海协益实业有限公司", "Shanghai Xieyi Industrial Co., Ltd.", "2929", STAGE_UPSTREAM, 180,
     "2012-04-18", "pe_compound"},
    {"上海紫丽塑料科技有限公司", "Shanghai Zili Plastic Technology Co., Ltd.", "2651",
     STAGE_UPSTREAM, 95, "2015-07-06", "lszh_compound"},
    {"帅翼驰新材料集团有限公司", "Shuaiyi Chi New Materials Group Co., Ltd.", "3340",
     STAGE_MIDSTREAM, 1200, "2010-11-23", "al_conductor"},
    {"上海倪威智能科技有限公司", "Shanghai Niwei Intelligent Technology Co., Ltd.", "3976",
     STAGE_MIDSTREAM, 140, "2017-02-14", "connector"},
};

static const struct demo_cluster cluster_defs[DEMO_CLUSTERS] = {
    {"optoelectronic", "光电传输产业集群", "Optoelectronic transmission", 0, 2},
    {"new_material", "新材料研发产业集群", "New material R&D", 0, 3},
    {"equipment", "智能装备产业集群", "Intelligent equipment", 0, 4},
    {"upgrade", "转型升级产业集群", "Transformation and upgrading", 0, 5},
};

/* Enterprises per cluster: 100 + 62 + 58 + 54 = 274.  The first cluster
 * holds Qifan Cable, the 84 attracted around it and 15 others. */
static const int cluster_size[DEMO_CLUSTERS] = {100, 62, 58, 54};

static size_t size_of(int employees)
{
	/* MIIT 2011 bands for industry by employees alone; revenue, which
	 * the rule also uses, comes with the indicators. */
	if (employees >= 1000)
		return SIZE_LARGE;
	if (employees >= 300)
		return SIZE_MEDIUM;
	if (employees >= 20)
		return SIZE_SMALL;
	return SIZE_MICRO;
}

void demo_make_uscc(uint64_t *s, const char *prefix8, char out[USCC_LEN + 1])
{
	static const char body[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char org[9];

	do {
		/* Mostly digits, as most codes are, with the odd letter. */
		for (int i = 0; i < 8; i++)
			org[i] = (i == 0 && rng_int(s, 0, 3) == 0) ? body[rng_int(s, 10, 30)]
			                                           : body[rng_int(s, 0, 9)];
		org[8] = '\0';
	} while (uscc_make(prefix8, org, out));
}

static void make_uscc(uint64_t *s, char out[USCC_LEN + 1])
{
	demo_make_uscc(s, "91310116", out);
}

static void place(uint64_t *s, struct enterprise *e)
{
	struct lonlat p;
	const char *road;

	/* Keep 30 m clear of the boundary so that every point is plainly
	 * inside, whatever projection a map uses. */
	p = park_to_lonlat(30 + rng_unit(s) * 1820, 30 + rng_unit(s) * 1190);
	e->lon = p.lon;
	e->lat = p.lat;
	e->has_location = 3;
	road = park_area_of(p) == PARK_WEST ? west_roads[rng_int(s, 0, 2)]
	                                    : east_roads[rng_int(s, 0, 2)];
	snprintf(e->address, sizeof(e->address), "上海市金山区张堰镇%s%d号", road,
	         rng_int(s, 1, 999));
}

static void add_contact(uint64_t *s, struct enterprise *e, const char *brand_py)
{
	struct contact *c = &e->contacts[0];

	snprintf(c->name, sizeof(c->name), "%s%s%s", surnames[rng_int(s, 0, 15)],
	         given[rng_int(s, 0, 17)], rng_int(s, 0, 1) ? given[rng_int(s, 0, 17)] : "");
	snprintf(c->role, sizeof(c->role), "%s", roles[rng_int(s, 0, 3)]);
	snprintf(c->phone, sizeof(c->phone), "1%d%d%08d", rng_int(s, 3, 9), rng_int(s, 0, 9),
	         rng_int(s, 0, 99999999));
	snprintf(c->email, sizeof(c->email), "contact@%s.example.cn", brand_py);
	for (char *p = c->email; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	e->ncontacts = 1;
}

static void add_tags(uint64_t *s, struct enterprise *e, int attracted)
{
	struct err ignored;

	err_clear(&ignored);
	if (attracted)
		enterprise_add_tag(e, "招商引进", &ignored);
	if (rng_int(s, 0, 9) < 3)
		enterprise_add_tag(e, "高新技术企业", &ignored);
	if (rng_int(s, 0, 9) == 0)
		enterprise_add_tag(e, "专精特新", &ignored);
	if (e->size >= SIZE_MEDIUM)
		enterprise_add_tag(e, "规上企业", &ignored);
}

static void fill_named(uint64_t *s, struct enterprise *e, const struct named *n, int cluster)
{
	enterprise_init(e);
	make_uscc(s, e->uscc);
	snprintf(e->name_zh, sizeof(e->name_zh), "%s", n->zh);
	snprintf(e->name_en, sizeof(e->name_en), "%s", n->en);
	snprintf(e->industry, sizeof(e->industry), "%s", n->industry);
	snprintf(e->founded, sizeof(e->founded), "%s", n->founded);
	e->cluster_id = cluster + 1;
	e->stage = n->stage;
	e->employees = n->employees;
	e->size = size_of(n->employees);
	place(s, e);
}

/* Names are unique: brand pairs are drawn without repeats. */
static void fill_generated(uint64_t *s, struct enterprise *e, const struct line *l, int cluster,
                           enum chain_stage stage, unsigned char *used, char *brand_py)
{
	int a, b, emp;
	static const char *const forms_zh[] = {"有限公司", "科技有限公司", "股份有限公司"};
	static const char *const forms_en[] = {"Co., Ltd.", "Technology Co., Ltd.", "Co., Ltd."};
	int form;

	do {
		a = rng_int(s, 0, NBRAND - 1);
		b = rng_int(s, 0, NBRAND - 1);
	} while (a == b || used[a * NBRAND + b]);
	used[a * NBRAND + b] = 1;
	form = rng_int(s, 0, 9) < 6 ? 0 : rng_int(s, 1, 2);
	enterprise_init(e);
	make_uscc(s, e->uscc);
	snprintf(e->name_zh, sizeof(e->name_zh), "上海%s%s%s%s", brand_chars[a].zh,
	         brand_chars[b].zh, l->zh, forms_zh[form]);
	snprintf(e->name_en, sizeof(e->name_en), "Shanghai %s%c%s %s %s", brand_chars[a].py,
	         brand_chars[b].py[0] - 'A' + 'a', brand_chars[b].py + 1, l->en, forms_en[form]);
	snprintf(brand_py, 32, "%s%s", brand_chars[a].py, brand_chars[b].py);
	snprintf(e->industry, sizeof(e->industry), "%s", l->industry);
	e->cluster_id = cluster + 1;
	e->stage = stage;
	/* Sizes skew small, as in a town's park. */
	switch (rng_int(s, 0, 19)) {
	case 0:
		emp = rng_int(s, 1000, 1800);
		break;
	case 1:
	case 2:
	case 3:
	case 4:
		emp = rng_int(s, 300, 900);
		break;
	case 5:
	case 6:
	case 7:
	case 8:
	case 9:
	case 10:
	case 11:
	case 12:
	case 13:
		emp = rng_int(s, 20, 280);
		break;
	default:
		emp = rng_int(s, 3, 19);
	}
	e->employees = emp;
	e->size = size_of(emp);
	snprintf(e->founded, sizeof(e->founded), "%04d-%02d-%02d", rng_int(s, 1995, 2023),
	         rng_int(s, 1, 12), rng_int(s, 1, 28));
	place(s, e);
}

static const struct demo_user user_defs[DEMO_USERS] = {
    {"admin", "系统管理员", ROLE_ADMIN, -1, -1, ""},
    {"officer", "王敏", ROLE_OFFICER, -1, -1, "企业服务办"},
    {"secretary", "陈永达", ROLE_SECRETARY, 0, -1, ""},
    {"secretary2", "顾静", ROLE_SECRETARY, 1, -1, ""},
    {"secretary3", "陆军", ROLE_SECRETARY, 2, -1, ""},
    {"secretary4", "沈丽", ROLE_SECRETARY, 3, -1, ""},
    {"grid", "李娜", ROLE_GRID_WORKER, -1, -1, "工业园区"},
    {"handler", "张伟", ROLE_HANDLER, -1, -1, "经济园区"},
    {"qifan", "起帆电缆联系人", ROLE_ENTERPRISE, -1, 0, ""},
    {"grid2", "王磊", ROLE_GRID_WORKER, -1, -1, "经济园区"},
    {"grid3", "周静", ROLE_GRID_WORKER, -1, -1, "城市运输中心"},
    {"handler2", "刘洋", ROLE_HANDLER, -1, -1, "社区管理办"},
};

int demo_town_build(struct demo_town *t)
{
	return demo_town_build_on(t, NULL);
}

int demo_town_build_on(struct demo_town *t, const char *today)
{
	uint64_t seed = 0x5A48414E4759414Eull; /* "ZHANGYAN" */
	unsigned char used[NBRAND * NBRAND];
	char brand_py[32];
	int k = 0;

	memset(t, 0, sizeof(*t));
	memset(used, 0, sizeof(used));
	t->enterprises = calloc(DEMO_ENTERPRISES, sizeof(*t->enterprises));
	if (!t->enterprises)
		return -1;
	memcpy(t->clusters, cluster_defs, sizeof(cluster_defs));
	memcpy(t->users, user_defs, sizeof(user_defs));

	for (int c = 0; c < DEMO_CLUSTERS; c++) {
		struct enterprise *e = &t->enterprises[k];

		fill_named(&seed, e, &leaders[c], c);
		t->makes[k] = leaders[c].node;
		add_contact(&seed, e, c == 0 ? "qifancable" : "leading");
		e->contacts[0].email[0] = '\0';
		snprintf(e->contacts[0].email, sizeof(e->contacts[0].email), "office@%s.example.cn",
		         c == 0   ? "qifan"
		         : c == 1 ? "hengtai"
		         : c == 2 ? "boyu"
		                  : "runfeng");
		add_tags(&seed, e, 0);
		t->clusters[c].leading = k++;

		for (int i = 1; i < cluster_size[c]; i++, k++) {
			e = &t->enterprises[k];
			if (c == 0 && i <= 4) {
				/* The four named ones, among the 84. */
				fill_named(&seed, e, &seed_named[i - 1], c);
				t->makes[k] = seed_named[i - 1].node;
				snprintf(brand_py, sizeof(brand_py), "named%d", i);
			} else if (c == 0 && i <= DEMO_ATTRACTED) {
				/* 84 attracted: 50 upstream, 34 midstream. */
				int up = i <= 50;
				const struct line *l = up ? &opto_up[rng_int(&seed, 0, 4)]
				                          : &opto_mid[rng_int(&seed, 0, 4)];
				fill_generated(&seed, e, l, c,
				               up ? STAGE_UPSTREAM : STAGE_MIDSTREAM, used,
				               brand_py);
				t->makes[k] = l->node;
			} else if (c == 0) {
				const struct line *l = &opto_down[rng_int(&seed, 0, 2)];
				fill_generated(&seed, e, l, c,
				               l->industry[0] == '4' ? STAGE_DOWNSTREAM
				                                     : STAGE_SERVICE,
				               used, brand_py);
				t->makes[k] = l->node;
			} else {
				const struct line *l = c == 1   ? &material[rng_int(&seed, 0, 5)]
				                       : c == 2 ? &equipment[rng_int(&seed, 0, 5)]
				                                : &upgrade[rng_int(&seed, 0, 4)];
				static const enum chain_stage st[] = {
				    STAGE_UPSTREAM, STAGE_MIDSTREAM, STAGE_MIDSTREAM,
				    STAGE_DOWNSTREAM, STAGE_SERVICE};
				fill_generated(&seed, e, l, c, st[rng_int(&seed, 0, 4)], used,
				               brand_py);
				t->makes[k] = l->node;
			}
			add_contact(&seed, e, brand_py);
			add_tags(&seed, e, c == 0 && i <= DEMO_ATTRACTED);
		}
	}
	t->nenterprises = k;
	if (demo_chain_build(t, &seed) || demo_grid_build(t, &seed, today ? today : "2024-07-01"))
		return -1;

	/* 28 "two new" organisations, seven in each cluster: Qifan Cable's
	 * joint branch (its secretary, Chen Yongda, speaks in the seed),
	 * then branches of the cluster's larger enterprises and joint
	 * branches that cover several small ones. */
	for (int o = 0; o < DEMO_ORGANISATIONS; o++) {
		int c = o / 7, j = o % 7;
		int base = 0;
		struct demo_org *g = &t->orgs[o];
		const struct enterprise *e;

		for (int i = 0; i < c; i++)
			base += cluster_size[i];
		e = &t->enterprises[base + j * 5];
		g->cluster = c;
		g->enterprise = base + j * 5;
		if (j == 0 || j % 2 == 1) {
			g->kind = j == 0 && c == 0 ? "joint_party_branch" : "party_branch";
			snprintf(g->name_zh, sizeof(g->name_zh), "%s%s", e->name_zh,
			         j == 0 && c == 0 ? "联合党支部" : "党支部");
			snprintf(g->name_en, sizeof(g->name_en), "%s %s", e->name_en,
			         j == 0 && c == 0 ? "Joint Party Branch" : "Party Branch");
		} else {
			g->kind = "joint_party_branch";
			snprintf(g->name_zh, sizeof(g->name_zh), "%s第%d联合党支部",
			         t->clusters[c].name_zh, j / 2);
			snprintf(g->name_en, sizeof(g->name_en), "%s Joint Party Branch No. %d",
			         t->clusters[c].name_en, j / 2);
		}
	}
	return 0;
}

void demo_town_free(struct demo_town *t)
{
	free(t->enterprises);
	free(t->outside);
	free(t->prod);
	free(t->need);
	free(t->links);
	free(t->leads);
	free(t->visits);
	free(t->figures);
	memset(t, 0, sizeof(*t));
}
