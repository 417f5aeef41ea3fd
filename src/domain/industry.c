#include "industry.h"

#include <stdio.h>
#include <string.h>

/* First division of each section; sections are contiguous (GB/T 4754-2017
 * table 1), so the last division of one is the first of the next minus 1. */
static const struct {
	char section;
	int first;
} sections[] = {
    {'A', 1},  {'B', 6},  {'C', 13}, {'D', 44}, {'E', 47}, {'F', 51}, {'G', 53},
    {'H', 61}, {'I', 63}, {'J', 66}, {'K', 70}, {'L', 71}, {'M', 73}, {'N', 76},
    {'O', 80}, {'P', 83}, {'Q', 84}, {'R', 86}, {'S', 91}, {'T', 97},
};

char industry_section(int division)
{
	char s = 0;

	if (division < 1 || division > 97)
		return 0;
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (division >= sections[i].first)
			s = sections[i].section;
	return s;
}

int industry_check(const char *code, char *why, unsigned n)
{
	int division;

	if (!code || strlen(code) != 4) {
		snprintf(why, n, "must be a 4-digit GB/T 4754-2017 class code such as 3833");
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		if (code[i] < '0' || code[i] > '9') {
			snprintf(why, n, "must be 4 digits, character %d is '%c'", i + 1, code[i]);
			return -1;
		}
	}
	division = (code[0] - '0') * 10 + (code[1] - '0');
	if (!industry_section(division)) {
		snprintf(why, n, "division %.2s does not exist in GB/T 4754-2017 (01-97)", code);
		return -1;
	}
	return 0;
}

static const struct {
	const char *code, *en, *zh;
} names[] = {
    {"2651", "Primary plastic manufacturing", "初级形态塑料及合成树脂制造"},
    {"2929", "Other plastic products", "塑料零件及其他塑料制品制造"},
    {"3130", "Steel rolling", "钢压延加工"},
    {"3340", "Metal wire products", "金属丝绳及其制品制造"},
    {"3831", "Wire and cable manufacturing", "电线、电缆制造"},
    {"3832", "Optical fibre manufacturing", "光纤制造"},
    {"3833", "Optical cable manufacturing", "光缆制造"},
    {"3976", "Optoelectronic devices", "光电子器件制造"},
    {"3985", "Electronic materials", "电子专用材料制造"},
    {"2927", "Daily-use plastic products", "日用塑料制品制造"},
    {"2662", "Specialty chemicals", "专项化学用品制造"},
    {"3091", "Graphite and carbon products", "石墨及碳素制品制造"},
    {"3499", "Other general equipment", "其他未列明通用设备制造业"},
    {"3491", "Industrial robots", "工业机器人制造"},
    {"3562", "Semiconductor equipment", "半导体器件专用设备制造"},
    {"4011", "Industrial automation instruments", "工业自动控制系统装置制造"},
    {"3311", "Metal structures", "金属结构制造"},
    {"2231", "Paper containers", "纸和纸板容器制造"},
    {"7320", "Engineering research", "工程和技术研究和试验发展"},
    {"7452", "Testing services", "检测服务"},
    {"4910", "Electrical installation", "电气安装"},
    {"5431", "Road freight", "普通货物道路运输"},
    {"6513", "Application software", "应用软件开发"},
};

const char *industry_name(const char *code, int zh)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (code && strcmp(names[i].code, code) == 0)
			return zh ? names[i].zh : names[i].en;
	return NULL;
}
