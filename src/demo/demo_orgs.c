#include "demo_orgs.h"

#include <string.h>

const struct demo_org_head demo_committee = {"中共张堰镇委员会", "Zhangyan Town Party Committee",
                                             "party_committee"};

const struct demo_mass_org demo_mass_orgs[DEMO_MASS_ORGS] = {
    {"张堰镇园区企业工会联合会", "Zhangyan Park Enterprises' Trade Union Federation", "trade_union",
     "园区企业工会的联合组织，为职工提供法律援助、技能竞赛和困难帮扶。", 100, 0},
    {"共青团张堰工业园区委员会", "Communist Youth League Committee of Zhangyan Industrial Park",
     "youth_league", "联系园区青年职工，组织青年突击队与青年人才沙龙。", 300, 0},
    {"张堰工业园区妇女联合会", "Zhangyan Industrial Park Women's Federation", "womens_federation",
     "维护女职工权益，开展巾帼建功与家庭服务活动。", 500, 0},
};

const struct demo_org_head demo_alliance = {"SUHE ONE苏河湾企业家联盟",
                                            "SUHE ONE Suhewan Entrepreneur Alliance", "alliance"};
const char demo_alliance_description[] =
    "6月20日在苏河湾中心成立的企业家联盟：邀请本市及镇外的企业家共商滨水区发展，成员之间"
    "互相开放检测、金融、场地与咨询资源，并定期举行联盟会议。";
const char demo_alliance_website[] = "https://suheone.example.cn";

/* Members in the order they joined the roster.  The made-up codes carry
 * Jing'an's region (310106); their bodies are the project's own. */
const struct demo_ally_member demo_ally_members[DEMO_ALLY_MEMBERS] = {
    {DM_OUTSIDE, -1, "上海苏河湾数字科技有限公司", "Shanghai Suhewan Digital Technology Co., Ltd.",
     "HW0620A1", "发起单位", "2024-06-20", NULL, "为成员企业提供数字化转型诊断与咨询"},
    {DM_LEADING, -1, NULL, NULL, NULL, "理事单位", "2024-06-20", "光纤光缆性能检测",
     "开放光纤光缆检测实验室，成员企业送样优先排期"},
    {DM_ORGANISATION, -1, "上海金杉农村商业银行张堰支行", NULL, NULL, "成员单位", "2024-06-20",
     "科技型中小企业信用贷款", NULL},
    {DM_ORGANISATION, -1, "张堰镇党群联盟", NULL, NULL, "成员单位", "2024-07-01", NULL,
     "开放张堰镇党群服务中心会议室，供联盟活动使用"},
    {DM_NEIGHBOUR, 0, NULL, NULL, NULL, "成员单位", "2024-07-15", NULL,
     "与成员企业共享仓储与配送线路"},
    {DM_OUTSIDE, -1, "苏河湾中心运营管理处", "Suhewan Centre Operations Office", NULL, "支持单位",
     "2024-06-20", NULL, "提供苏河湾中心路演厅，承办联盟会议"},
};

/* Per cent of the enterprises no branch covers, by cluster: the
 * optoelectronic cluster's party building is the oldest; the
 * transformation and upgrading cluster's companies came last. */
static const int uncovered_pct[DEMO_CLUSTERS] = {5, 10, 15, 25};

void demo_orgs_plan(const struct demo_town *t, struct demo_org_plan *p)
{
	int base[DEMO_CLUSTERS + 1] = {0};

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < t->nenterprises && i < DEMO_ENTERPRISES; i++) {
		int c = (int)t->enterprises[i].cluster_id - 1;
		p->cover[i] = -1;
		if (c >= 0 && c < DEMO_CLUSTERS)
			base[c + 1] = i + 1;
	}
	for (int c = 1; c <= DEMO_CLUSTERS; c++)
		if (base[c] < base[c - 1])
			base[c] = base[c - 1];
	/* Own branches cover their enterprises. */
	for (int o = 0; o < DEMO_ORGANISATIONS; o++)
		if (strcmp(t->orgs[o].kind, "party_branch") == 0)
			p->cover[t->orgs[o].enterprise] = o;
	/* The park's middle, east to west: the East area, across Rongwei
	 * Road, was settled later, and fewer of its enterprises have a
	 * branch yet, so that the map shows where the work lies. */
	double mid = 0;
	int located = 0;
	for (int i = 0; i < t->nenterprises; i++)
		if (t->enterprises[i].has_location) {
			mid += t->enterprises[i].lon;
			located++;
		}
	mid = located ? mid / located : 0;
	for (int c = 0; c < DEMO_CLUSTERS; c++) {
		int joint[DEMO_ORGANISATIONS], nj = 0, k = 0;
		for (int o = 0; o < DEMO_ORGANISATIONS; o++)
			if (t->orgs[o].cluster == c &&
			    strcmp(t->orgs[o].kind, "joint_party_branch") == 0)
				joint[nj++] = o;
		for (int i = base[c]; i < base[c + 1] && nj; i++) {
			/* A spread that is the same every time and not a stripe of
			 * the list: the enterprise's place times a prime. */
			const struct enterprise *e = &t->enterprises[i];
			int east = e->has_location && e->lon > mid;
			int left = (i * 37 + c * 11) % 100 <
			           (east ? 2 * uncovered_pct[c] : uncovered_pct[c] / 3);
			if (p->cover[i] >= 0)
				continue;
			if (left) {
				p->uncovered++;
				continue;
			}
			/* Joint branches take neighbours in the list in turn, a
			 * run of four each. */
			p->cover[i] = joint[(k++ / 4) % nj];
		}
	}
	for (int o = 0; o < DEMO_ORGANISATIONS; o++) {
		int n = 0;
		for (int i = 0; i < t->nenterprises; i++)
			n += p->cover[i] == o;
		/* Members: a handful in an enterprise's own branch, more in a
		 * joint one, as the enterprises it gathers. */
		p->members[o] = strcmp(t->orgs[o].kind, "party_branch") == 0
		                    ? 3 + (o * 7) % 9
		                    : 5 + n / 2 + (o * 5) % 7;
	}
}
