/*
 * The demo town's industrial chains: one template per cluster, what each
 * enterprise makes and buys, the firms outside the park they trade with,
 * the supply links between them over the years, and the attraction
 * pipeline, including the 84 settled leads brought in around Shanghai
 * Qifan Cable.
 *
 * The story the data tells: before an attracted enterprise settled, its
 * customers in the park bought from outside; from the year it settled
 * they buy from it, so the park's localisation rate rises over time.  A
 * few nodes stay gaps (nobody makes them) or are made only outside, and
 * open leads aim at them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

#define N(c, code, zh, en, kind, stage)                                                            \
	{                                                                                          \
		c, code, zh, en, kind, stage                                                       \
	}

static const struct demo_node node_defs[] = {
    /* optoelectronic transmission */
    N(0, "pe_compound", "聚乙烯护套料", "PE sheathing compound", NODE_MATERIAL, STAGE_UPSTREAM),
    N(0, "lszh_compound", "低烟无卤阻燃料", "LSZH compound", NODE_MATERIAL, STAGE_UPSTREAM),
    N(0, "steel_wire", "钢丝加强件", "Steel wire strength member", NODE_MATERIAL, STAGE_UPSTREAM),
    N(0, "aramid", "芳纶纱", "Aramid yarn", NODE_MATERIAL, STAGE_UPSTREAM),
    N(0, "water_tape", "阻水带", "Water-blocking tape", NODE_MATERIAL, STAGE_UPSTREAM),
    N(0, "preform", "光纤预制棒", "Optical fibre preform", NODE_MATERIAL, STAGE_UPSTREAM),
    N(0, "coating_resin", "光纤涂覆树脂", "Fibre coating resin", NODE_MATERIAL, STAGE_UPSTREAM),
    N(0, "copper_rod", "铜杆", "Copper rod", NODE_MATERIAL, STAGE_UPSTREAM),
    N(0, "optical_fibre", "光纤", "Optical fibre", NODE_COMPONENT, STAGE_MIDSTREAM),
    N(0, "copper_conductor", "铜导体", "Copper conductor", NODE_COMPONENT, STAGE_MIDSTREAM),
    N(0, "al_conductor", "铝合金导体", "Aluminium alloy conductor", NODE_COMPONENT,
      STAGE_MIDSTREAM),
    N(0, "connector", "光纤连接器", "Optical connector", NODE_COMPONENT, STAGE_MIDSTREAM),
    N(0, "transceiver", "光模块", "Optical transceiver", NODE_COMPONENT, STAGE_MIDSTREAM),
    N(0, "optical_cable", "光缆", "Optical cable", NODE_PRODUCT, STAGE_DOWNSTREAM),
    N(0, "power_cable", "电力电缆", "Power cable", NODE_PRODUCT, STAGE_DOWNSTREAM),
    N(0, "patch_cord", "光纤跳线", "Patch cord", NODE_PRODUCT, STAGE_DOWNSTREAM),
    N(0, "install_test", "施工与检测", "Installation and testing", NODE_SERVICE, STAGE_SERVICE),
    N(0, "logistics", "物流", "Logistics", NODE_SERVICE, STAGE_SERVICE),
    /* new material R&D */
    N(1, "monomer", "单体", "Monomers", NODE_MATERIAL, STAGE_UPSTREAM),
    N(1, "polymer_resin", "高分子树脂", "Polymer resin", NODE_MATERIAL, STAGE_UPSTREAM),
    N(1, "carbon_precursor", "碳纤维原丝", "Carbon fibre precursor", NODE_MATERIAL, STAGE_UPSTREAM),
    N(1, "electronic_chem", "电子化学品", "Electronic chemicals", NODE_MATERIAL, STAGE_UPSTREAM),
    N(1, "modified_plastic", "改性塑料", "Modified plastics", NODE_COMPONENT, STAGE_MIDSTREAM),
    N(1, "carbon_fibre", "碳纤维", "Carbon fibre", NODE_COMPONENT, STAGE_MIDSTREAM),
    N(1, "film", "功能薄膜", "Functional film", NODE_PRODUCT, STAGE_DOWNSTREAM),
    N(1, "composite", "复合材料", "Composites", NODE_PRODUCT, STAGE_DOWNSTREAM),
    N(1, "rd_service", "研发服务", "R&D services", NODE_SERVICE, STAGE_SERVICE),
    /* intelligent equipment */
    N(2, "casting", "铸件", "Castings", NODE_MATERIAL, STAGE_UPSTREAM),
    N(2, "servo_motor", "伺服电机", "Servo motors", NODE_COMPONENT, STAGE_MIDSTREAM),
    N(2, "reducer", "减速器", "Reducers", NODE_COMPONENT, STAGE_MIDSTREAM),
    N(2, "controller", "控制器", "Controllers", NODE_COMPONENT, STAGE_MIDSTREAM),
    N(2, "sensor", "传感器", "Sensors", NODE_COMPONENT, STAGE_MIDSTREAM),
    N(2, "robot", "工业机器人", "Industrial robots", NODE_PRODUCT, STAGE_DOWNSTREAM),
    N(2, "auto_line", "自动化产线", "Automated lines", NODE_PRODUCT, STAGE_DOWNSTREAM),
    N(2, "industrial_software", "工业软件", "Industrial software", NODE_SERVICE, STAGE_SERVICE),
    N(2, "maintenance", "运维服务", "Maintenance services", NODE_SERVICE, STAGE_SERVICE),
    /* transformation and upgrading */
    N(3, "steel_plate", "钢板", "Steel plate", NODE_MATERIAL, STAGE_UPSTREAM),
    N(3, "plastic_pellet", "塑料粒子", "Plastic pellets", NODE_MATERIAL, STAGE_UPSTREAM),
    N(3, "paperboard", "纸板", "Paperboard", NODE_MATERIAL, STAGE_UPSTREAM),
    N(3, "metal_structure", "金属结构件", "Metal structures", NODE_PRODUCT, STAGE_MIDSTREAM),
    N(3, "plastic_product", "塑料制品", "Plastic products", NODE_PRODUCT, STAGE_DOWNSTREAM),
    N(3, "packaging", "包装", "Packaging", NODE_PRODUCT, STAGE_DOWNSTREAM),
    N(3, "freight", "货运", "Freight", NODE_SERVICE, STAGE_SERVICE),
};
#define NNODES ((int)(sizeof(node_defs) / sizeof(node_defs[0])))

/* Inputs: "from" is an input of "to". */
static const char *const edge_defs[][2] = {
    {"preform", "optical_fibre"},
    {"coating_resin", "optical_fibre"},
    {"optical_fibre", "optical_cable"},
    {"pe_compound", "optical_cable"},
    {"steel_wire", "optical_cable"},
    {"aramid", "optical_cable"},
    {"water_tape", "optical_cable"},
    {"copper_rod", "copper_conductor"},
    {"copper_conductor", "power_cable"},
    {"al_conductor", "power_cable"},
    {"lszh_compound", "power_cable"},
    {"pe_compound", "power_cable"},
    {"optical_fibre", "patch_cord"},
    {"connector", "patch_cord"},
    {"optical_cable", "install_test"},
    {"power_cable", "install_test"},
    {"transceiver", "install_test"},
    {"monomer", "polymer_resin"},
    {"polymer_resin", "modified_plastic"},
    {"modified_plastic", "film"},
    {"electronic_chem", "film"},
    {"carbon_precursor", "carbon_fibre"},
    {"carbon_fibre", "composite"},
    {"polymer_resin", "composite"},
    {"casting", "reducer"},
    {"servo_motor", "robot"},
    {"reducer", "robot"},
    {"controller", "robot"},
    {"sensor", "robot"},
    {"robot", "auto_line"},
    {"controller", "auto_line"},
    {"sensor", "auto_line"},
    {"industrial_software", "auto_line"},
    {"steel_plate", "metal_structure"},
    {"plastic_pellet", "plastic_product"},
    {"paperboard", "packaging"},
};
#define NEDGES ((int)(sizeof(edge_defs) / sizeof(edge_defs[0])))

/* What each cluster's leading enterprise makes and buys besides its main
 * node; amounts in 10,000 CNY a year. */
static const struct {
	int cluster;
	const char *node;
	int buys;
	double amount;
} leader_offers[] = {
    {0, "optical_cable", 0, 180000},
    {0, "patch_cord", 0, 12000},
    {0, "copper_conductor", 1, 90000},
    {0, "al_conductor", 1, 40000},
    {0, "lszh_compound", 1, 18000},
    {0, "pe_compound", 1, 16000},
    {0, "steel_wire", 1, 9000},
    {0, "aramid", 1, 6000},
    {0, "water_tape", 1, 3000},
    {0, "optical_fibre", 1, 60000},
    {0, "connector", 1, 5000},
    {0, "transceiver", 1, 8000},
    {0, "logistics", 1, 7000},
    {0, "install_test", 1, 4000},
    {1, "film", 0, 20000},
    {1, "modified_plastic", 1, 9000},
    {1, "carbon_fibre", 1, 12000},
    {1, "polymer_resin", 1, 6000},
    {1, "electronic_chem", 1, 3000},
    {1, "rd_service", 1, 1500},
    {2, "robot", 0, 15000},
    {2, "servo_motor", 1, 6000},
    {2, "reducer", 1, 5000},
    {2, "controller", 1, 4000},
    {2, "sensor", 1, 3000},
    {2, "industrial_software", 1, 2000},
    {2, "maintenance", 1, 800},
    {3, "steel_plate", 1, 9000},
    {3, "packaging", 1, 1200},
    {3, "freight", 1, 900},
};

/* Firms outside the park: what they make and where they are. */
static const struct {
	const char *prefix8, *zh, *en, *node, *industry;
} outside_defs[] = {
    {"91320500", "江苏华讯光电科技有限公司", "Jiangsu Huaxun Optoelectronics Co., Ltd.",
     "transceiver", "3976"},
    {"91330400", "浙江金瑞铜业有限公司", "Zhejiang Jinrui Copper Co., Ltd.", "copper_rod", "3130"},
    {"91320500", "苏州恒通铜材有限公司", "Suzhou Hengtong Copper Materials Co., Ltd.", "copper_rod",
     "3130"},
    {"91420100", "武汉长盛光纤有限公司", "Wuhan Changsheng Optical Fibre Co., Ltd.",
     "optical_fibre", "3832"},
    {"91330400", "嘉兴德丰塑化有限公司", "Jiaxing Defeng Plastics Co., Ltd.", "pe_compound",
     "2651"},
    {"91320500", "苏州瑞达钢丝有限公司", "Suzhou Ruida Steel Wire Co., Ltd.", "steel_wire", "3340"},
    {"91310115", "上海宏泰物流有限公司", "Shanghai Hongtai Logistics Co., Ltd.", "logistics",
     "5431"},
    {"91340100", "合肥鑫源光纤连接器有限公司", "Hefei Xinyuan Connectors Co., Ltd.", "connector",
     "3976"},
    {"91320200", "无锡碳源新材料有限公司", "Wuxi Tanyuan New Materials Co., Ltd.",
     "carbon_precursor", "2662"},
    {"91330200", "宁波嘉联化工有限公司", "Ningbo Jialian Chemicals Co., Ltd.", "monomer", "2662"},
    {"91330400", "嘉兴永信纸业有限公司", "Jiaxing Yongxin Paper Co., Ltd.", "paperboard", "2231"},
    {"91310115", "上海星博铸造有限公司", "Shanghai Xingbo Foundry Co., Ltd.", "casting", "3311"},
};
#define NOUTSIDE ((int)(sizeof(outside_defs) / sizeof(outside_defs[0])))

/* Open and dropped leads aimed at the gaps. */
static const struct {
	const char *node, *zh, *en;
	enum lead_stage stage;
	int by_qifan;
	const char *drop_reason;
} open_leads[] = {
    {"coating_resin", "江苏科瑞光纤涂料有限公司", "Jiangsu Kerui Fibre Coatings Co., Ltd.",
     LEAD_NEGOTIATING, 1, NULL},
    {"coating_resin", "广东华彩树脂有限公司", "Guangdong Huacai Resins Co., Ltd.", LEAD_VISITED, 1,
     NULL},
    {"water_tape", "浙江安捷阻水材料有限公司", "Zhejiang Anjie Water-blocking Materials Co., Ltd.",
     LEAD_CONTACTED, 1, NULL},
    {"transceiver", "深圳光联模块有限公司", "Shenzhen Guanglian Modules Co., Ltd.", LEAD_SIGNED, 1,
     NULL},
    {"transceiver", "武汉博创光电有限公司", "Wuhan Bochuang Photonics Co., Ltd.", LEAD_CONTACTED, 0,
     NULL},
    {"copper_rod", "安徽金泰铜业有限公司", "Anhui Jintai Copper Co., Ltd.", LEAD_DROPPED, 1,
     "选址落在嘉兴，用地指标不足"},
    {"servo_motor", "苏州捷创电机有限公司", "Suzhou Jiechuang Motors Co., Ltd.", LEAD_NEGOTIATING,
     0, NULL},
    {"maintenance", "上海安达智能运维有限公司", "Shanghai Anda Smart Maintenance Co., Ltd.",
     LEAD_VISITED, 0, NULL},
    {"carbon_precursor", "吉林碳谷纤维有限公司", "Jilin Tangu Fibres Co., Ltd.", LEAD_DROPPED, 0,
     "原丝产能转移至东北基地"},
    {"paperboard", "浙江永丰纸业有限公司", "Zhejiang Yongfeng Paper Co., Ltd.", LEAD_CONTACTED, 0,
     NULL},
};
#define NOPEN ((int)(sizeof(open_leads) / sizeof(open_leads[0])))

static int node_index(const struct demo_town *t, const char *code)
{
	for (int i = 0; i < t->nnodes; i++)
		if (strcmp(t->nodes[i].code, code) == 0)
			return i;
	return -1;
}

static int push_offer(struct chain_offer **arr, int *n, int *cap, int ent, int node, double amount)
{
	if (*n == *cap) {
		int ncap = *cap ? 2 * *cap : 256;
		struct chain_offer *g = realloc(*arr, (size_t)ncap * sizeof(*g));
		if (!g)
			return -1;
		*arr = g;
		*cap = ncap;
	}
	(*arr)[(*n)++] = (struct chain_offer){ent, node, amount};
	return 0;
}

static int push_link(struct demo_town *t, int *cap, int s, int c, int node, double value, int since,
                     int until)
{
	if (t->nlinks == *cap) {
		int ncap = *cap ? 2 * *cap : 512;
		struct chain_link *g = realloc(t->links, (size_t)ncap * sizeof(*g));
		if (!g)
			return -1;
		t->links = g;
		*cap = ncap;
	}
	t->links[t->nlinks++] = (struct chain_link){s, c, node, value, since, until};
	return 0;
}

static int founded_year(const struct enterprise *e)
{
	return e->founded[0] ? atoi(e->founded) : 2000;
}

int demo_chain_build(struct demo_town *t, uint64_t *seed)
{
	int pcap = 0, ncap = 0, lcap = 0;
	int settle_year[DEMO_ENTERPRISES];
	int qifan = t->clusters[0].leading;

	memcpy(t->nodes, node_defs, sizeof(node_defs));
	t->nnodes = NNODES;
	for (int i = 0; i < NEDGES; i++)
		t->edges[t->nedges++] = (struct chain_edge){node_index(t, edge_defs[i][0]),
		                                            node_index(t, edge_defs[i][1])};

	/* Firms outside the park. */
	t->outside = calloc(NOUTSIDE, sizeof(*t->outside));
	if (!t->outside)
		return -1;
	t->noutside = NOUTSIDE;
	for (int i = 0; i < NOUTSIDE; i++) {
		struct enterprise *e = &t->outside[i];
		enterprise_init(e);
		demo_make_uscc(seed, outside_defs[i].prefix8, e->uscc);
		snprintf(e->name_zh, sizeof(e->name_zh), "%s", outside_defs[i].zh);
		snprintf(e->name_en, sizeof(e->name_en), "%s", outside_defs[i].en);
		snprintf(e->industry, sizeof(e->industry), "%s", outside_defs[i].industry);
		e->stage = node_defs[node_index(t, outside_defs[i].node)].stage;
		e->in_park = 0;
		e->employees = demo_rng_int(seed, 200, 3000);
		e->size = e->employees >= 1000 ? SIZE_LARGE : SIZE_MEDIUM;
	}

	/* When each enterprise settled in the park: the attracted ones over
	 * 2016-2024 (their settled leads say so), the others before. */
	for (int i = 0; i < t->nenterprises; i++)
		settle_year[i] = 2015;
	for (int i = 1; i <= DEMO_ATTRACTED; i++)
		settle_year[i] = 2016 + (i * 7) % 9;

	/* What the park's enterprises make: capacity from the workforce
	 * (300,000 to 800,000 CNY of output per employee). */
	for (int i = 0; i < t->nenterprises; i++) {
		const struct enterprise *e = &t->enterprises[i];
		int node = node_index(t, t->makes[i]);
		double cap =
		    (double)(e->employees > 0 ? e->employees : 5) * demo_rng_int(seed, 30, 80);
		if (node < 0 || push_offer(&t->prod, &t->nprod, &pcap, i, node, cap))
			return -1;
		/* It buys the inputs of what it makes (60 % of output in all). */
		for (int k = 0; k < t->nedges; k++) {
			int nin = 0;
			if (t->edges[k].to != node)
				continue;
			for (int j = 0; j < t->nedges; j++)
				nin += t->edges[j].to == node;
			if (push_offer(&t->need, &t->nneed, &ncap, i, t->edges[k].from,
			               cap * 0.6 / nin))
				return -1;
		}
	}
	/* The leaders' further products and purchases replace what the
	 * generic rule gave them. */
	for (size_t k = 0; k < sizeof(leader_offers) / sizeof(leader_offers[0]); k++) {
		int ent = t->clusters[leader_offers[k].cluster].leading;
		int node = node_index(t, leader_offers[k].node);
		int found = 0;
		struct chain_offer *arr = leader_offers[k].buys ? t->need : t->prod;
		int n = leader_offers[k].buys ? t->nneed : t->nprod;
		for (int j = 0; j < n; j++)
			if (arr[j].ent == ent && arr[j].node == node)
				arr[j].amount = leader_offers[k].amount, found = 1;
		if (!found && (leader_offers[k].buys ? push_offer(&t->need, &t->nneed, &ncap, ent,
		                                                  node, leader_offers[k].amount)
		                                     : push_offer(&t->prod, &t->nprod, &pcap, ent,
		                                                  node, leader_offers[k].amount)))
			return -1;
	}
	/* Installers and testers in the park buy cable from the park, and
	 * Qifan buys their services: the park's first loop. */
	for (int i = 0; i < t->nenterprises; i++)
		if (strcmp(t->makes[i], "install_test") == 0)
			push_offer(&t->need, &t->nneed, &ncap, i, node_index(t, "optical_cable"),
			           200 + demo_rng_int(seed, 0, 400));
	/* Outside firms make their node. */
	for (int i = 0; i < NOUTSIDE; i++)
		if (push_offer(&t->prod, &t->nprod, &pcap, t->nenterprises + i,
		               node_index(t, outside_defs[i].node), 50000))
			return -1;

	/*
	 * Links: each need is met by up to two in-park producers of the node
	 * from the later of their settling years, and by an outside firm
	 * before that (or for the share the park cannot supply).  Needs of
	 * nodes nobody makes stay unmet: those are the gaps.
	 */
	for (int k = 0; k < t->nneed; k++) {
		const struct chain_offer *need = &t->need[k];
		int cands[64], nc = 0, out = -1;
		double local_share;

		for (int j = 0; j < t->nprod && nc < 64; j++) {
			int p = t->prod[j].ent;
			if (t->prod[j].node != need->node || p == need->ent)
				continue;
			if (p < t->nenterprises)
				cands[nc++] = p;
			else if (out < 0)
				out = p;
		}
		local_share = nc ? (out >= 0 ? 0.5 + 0.1 * demo_rng_int(seed, 0, 4) : 1.0) : 0.0;
		for (int pick = 0; pick < 2 && nc; pick++) {
			int p = cands[demo_rng_int(seed, 0, nc - 1)];
			int since = settle_year[p] > settle_year[need->ent]
			                ? settle_year[p]
			                : settle_year[need->ent];
			int fy = founded_year(&t->enterprises[p]);
			if (fy > since)
				since = fy;
			if (since > 2024)
				since = 2024;
			if (pick == 1 && nc == 1)
				break;
			if (push_link(t, &lcap, p, need->ent, need->node,
			              need->amount * local_share / (nc > 1 ? 2 : 1), since, 0))
				return -1;
			/* Before the local supplier came, the need was met from
			 * outside. */
			if (out >= 0 && since > 2016 &&
			    push_link(t, &lcap, out, need->ent, need->node,
			              need->amount * local_share / (nc > 1 ? 2 : 1), 2015,
			              since - 1))
				return -1;
		}
		if (out >= 0 && local_share < 1.0 &&
		    push_link(t, &lcap, out, need->ent, need->node,
		              need->amount * (1 - local_share), 2015, 0))
			return -1;
	}

	/* The pipeline: the 84 settled leads introduced by Qifan Cable, then
	 * the open and dropped ones aimed at the gaps. */
	t->leads = calloc(DEMO_ATTRACTED + NOPEN, sizeof(*t->leads));
	if (!t->leads)
		return -1;
	for (int i = 1; i <= DEMO_ATTRACTED; i++) {
		struct demo_lead *l = &t->leads[t->nleads++];
		const struct enterprise *e = &t->enterprises[i];
		snprintf(l->name_zh, sizeof(l->name_zh), "%s", e->name_zh);
		snprintf(l->name_en, sizeof(l->name_en), "%s", e->name_en);
		l->node = node_index(t, t->makes[i]);
		l->introducer = qifan;
		l->stage = LEAD_SETTLED;
		l->enterprise = i;
		snprintf(l->contacted_on, sizeof(l->contacted_on), "%04d-%02d-%02d",
		         settle_year[i] - 1, demo_rng_int(seed, 1, 12), demo_rng_int(seed, 1, 28));
		snprintf(l->stage_on, sizeof(l->stage_on), "%04d-%02d-%02d", settle_year[i],
		         demo_rng_int(seed, 1, 12), demo_rng_int(seed, 1, 28));
		l->owner = 1; /* the officer */
	}
	for (int i = 0; i < NOPEN; i++) {
		struct demo_lead *l = &t->leads[t->nleads++];
		snprintf(l->name_zh, sizeof(l->name_zh), "%s", open_leads[i].zh);
		snprintf(l->name_en, sizeof(l->name_en), "%s", open_leads[i].en);
		l->node = node_index(t, open_leads[i].node);
		l->introducer = open_leads[i].by_qifan ? qifan : -1;
		l->stage = open_leads[i].stage;
		l->enterprise = -1;
		l->drop_reason = open_leads[i].drop_reason;
		snprintf(l->contacted_on, sizeof(l->contacted_on), "2024-%02d-%02d",
		         demo_rng_int(seed, 1, 3), demo_rng_int(seed, 1, 28));
		snprintf(l->stage_on, sizeof(l->stage_on), "2024-%02d-%02d",
		         demo_rng_int(seed, 4, 6), demo_rng_int(seed, 1, 28));
		l->owner = 1;
	}
	return 0;
}
