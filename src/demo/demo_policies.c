/*
 * Measures as a town and its district would write them, with periods
 * relative to the day the demo is made (last_quarter is the latest
 * quarter the demo's figures cover), so that the outcomes hold on any
 * day.  Amounts are in yuan.
 */
#include "demo_policies.h"

#include <stddef.h>

#include "demo_places.h"

const struct demo_policy demo_policies[] = {
    {DEMO_HOME_CODE,
     "张堰镇人民政府",
     "张府发〔2026〕12号",
     "产业链龙头企业带动奖励",
     "Reward for chain-leading enterprises",
     "对园区内产业链龙头企业，按上季度营业收入的1%给予奖励，最高200万元，用于带动本地配套。",
     "Chain-leading enterprises in the park receive 1 % of last quarter's revenue, at most "
     "2 million yuan, to bring their suppliers into the park.",
     "chain",
     "apply",
     "stage = leading and in_park\n  and revenue(last_quarter) >= 5亿\n  and status = active",
     0,
     "min(200万, 1% * revenue(last_quarter))",
     {"奖励申请表", "上季度财务报表", NULL}},
    {DEMO_HOME_CODE,
     "张堰镇人民政府",
     "张府发〔2026〕13号",
     "研发投入强度提升补贴",
     "Support for raising R&D intensity",
     "园区企业上季度研发投入占营业收入3.5%以上的，按研发投入的10%给予补贴，最高500万元。",
     "Park enterprises whose R&D spending reached 3.5 % of revenue last quarter receive 10 % "
     "of that spending, at most 5 million yuan.",
     "rd",
     "apply",
     "in_park and status = active\n  and rd_intensity(last_quarter) >= 3.5%",
     0,
     "min(500万, 10% * rd_spend(last_quarter))",
     {"研发费用专项审计报告", NULL, NULL}},
    {DEMO_HOME_CODE,
     "张堰镇人民政府",
     "张府发〔2026〕15号",
     "园区小微企业经营补贴（免申即享）",
     "Operating support for the park's small enterprises (no application)",
     "园区内成立满一年、上季度有纳税的小型、微型企业，无需申请，按季度直接发放经营补贴。",
     "Micro and small enterprises in the park, a year old or more and paying tax last "
     "quarter, receive operating support each quarter without applying.",
     "land_premises",
     "automatic",
     "in_park and size in (micro, small) and age >= 1\n  and tax(last_quarter) > 0 and status = "
     "active",
     0,
     "if(size = micro, 2万, 5万)",
     {NULL, NULL, NULL}},
    {DEMO_HOME_DISTRICT,
     "金山区经济委员会",
     "金经委〔2026〕8号",
     "规上工业企业融资贴息",
     "Interest subsidy for enterprises above designated size",
     "区内规模以上工业企业，员工300人以上、成立满十年的，给予贷款贴息100万元。",
     "Industrial enterprises above designated size with 300 employees or more and ten years "
     "of history receive a loan-interest subsidy of 1 million yuan.",
     "financing",
     "apply",
     "\"规上企业\" in tags and employees >= 300\n  and age >= 10 and status = active",
     1000000,
     NULL,
     {"贷款合同", "付息凭证", NULL}},
    {DEMO_HOME_DISTRICT,
     "金山区经济委员会",
     "金经委〔2026〕9号",
     "高成长企业奖励",
     "Reward for fast-growing enterprises",
     "上年度营业收入同比增长15%以上的区内企业，给予一次性奖励30万元。",
     "Enterprises of the district whose revenue grew 15 % or more last year receive a "
     "one-off reward of 300,000 yuan.",
     "market",
     "apply",
     "growth_yoy(revenue, last_year) >= 15% and status = active",
     300000,
     NULL,
     {"年度审计报告", NULL, NULL}},
    {DEMO_PUTUO_CODE,
     "普陀区人民政府",
     "普府规〔2026〕3号",
     "民营企业税费服务包",
     "Tax services for private enterprises",
     "区内在营民营企业可享受税费政策辅导和办税服务补贴5万元。",
     "Active private enterprises of the district receive tax guidance and a tax-service "
     "allowance of 50,000 yuan.",
     "tax",
     "apply",
     "status = active and employees >= 10",
     50000,
     NULL,
     {"税务登记信息", NULL, NULL}},
    {DEMO_PUTUO_CODE,
     "普陀区人民政府",
     "普府规〔2026〕4号",
     "重点企业人才安居支持",
     "Housing support for the staff of key enterprises",
     "员工100人以上、成立满三年的区内企业，按每名员工2000元给予人才安居支持，最高50万元。",
     "Enterprises of the district with 100 employees or more and three years of history "
     "receive 2,000 yuan a head for staff housing, at most 500,000 yuan.",
     "talent",
     "apply",
     "employees >= 100 and age >= 3",
     0,
     "min(50万, employees * 2000)",
     {"员工花名册", NULL, NULL}},
    {DEMO_HOME_CODE,
     "张堰镇人民政府",
     "张府发〔2026〕16号",
     "补链企业本地配套奖励",
     "Reward for enterprises filling the chain's gaps",
     "园区内独家生产本产业链某一环节产品、上年度本地配套率达50%以上的企业，给予一次性奖励20万元。",
     "An enterprise of the park that alone makes what a node of its chain stands for, and "
     "bought at least half of its inputs in the park last year, receives a one-off reward of "
     "200,000 yuan.",
     "chain",
     "apply",
     "makes_gap_node and in_park and status = active\n  and localisation(last_year) >= 50%",
     200000,
     NULL,
     {"本地采购合同清单", NULL, NULL}},
};
const int demo_npolicies = sizeof(demo_policies) / sizeof(demo_policies[0]);
