/*
 * gen: writes a CSV registry of N synthetic enterprises in the layout of
 * `qunyan import enterprises FILE.csv` (src/domain/ent_csv.c).
 *
 *   gen N [SEED] > big.csv
 *
 * Every Unified Social Credit Code is valid (GB 32100-2015 check character
 * and the embedded GB 11714 organisation-code check) and unique: the
 * organisation-code body is 'M', a letter, then six digits that are a
 * bijective scramble of the row number, so that the codes arrive in no
 * particular order, as in a real file.  The demo town's codes never have a
 * letter in the second body position, so none collides with them.
 *
 * Names, addresses, contacts and coordinates are drawn from small pools
 * around the park of Zhangyan (121.29 E, 30.80 N); cluster_id is 1..4 (the
 * clusters of `qunyan init --demo`) or empty.  Deterministic for a seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
/* Second body letter: USCC letters only (no I O S V Z). */
static const char letters[] = "ABCDEFGHJKLMNPQRTUWXY";

static const struct {
	const char *zh, *py;
} brands[] = {
    {"华", "Hua"},  {"金", "Jin"},    {"恒", "Heng"},  {"瑞", "Rui"},   {"星", "Xing"},
    {"达", "Da"},   {"通", "Tong"},   {"宏", "Hong"},  {"盛", "Sheng"}, {"鑫", "Xin"},
    {"源", "Yuan"}, {"泰", "Tai"},    {"德", "De"},    {"丰", "Feng"},  {"嘉", "Jia"},
    {"联", "Lian"}, {"创", "Chuang"}, {"科", "Ke"},    {"凯", "Kai"},   {"明", "Ming"},
    {"晨", "Chen"}, {"博", "Bo"},     {"安", "An"},    {"宇", "Yu"},    {"海", "Hai"},
    {"峰", "Feng"}, {"辰", "Chen"},   {"润", "Run"},   {"捷", "Jie"},   {"永", "Yong"},
    {"信", "Xin"},  {"汇", "Hui"},    {"立", "Li"},    {"新", "Xin"},   {"益", "Yi"},
    {"远", "Yuan"}, {"鼎", "Ding"},   {"昌", "Chang"}, {"福", "Fu"},    {"良", "Liang"},
    {"天", "Tian"}, {"正", "Zheng"},  {"光", "Guang"}, {"祥", "Xiang"}, {"和", "He"},
    {"泽", "Ze"},   {"腾", "Teng"},   {"卓", "Zhuo"},
};
#define NBRAND ((int)(sizeof(brands) / sizeof(brands[0])))

static const struct {
	const char *zh, *en, *industry;
} lines[] = {
    {"光缆", "Optical Cable", "3833"},
    {"电线电缆", "Wire and Cable", "3831"},
    {"光纤", "Optical Fibre", "3832"},
    {"光电器件", "Optoelectronic Devices", "3976"},
    {"通信工程", "Telecom Engineering", "4910"},
    {"检测技术", "Testing Technology", "7452"},
    {"物流", "Logistics", "5431"},
    {"新材料", "New Materials", "2651"},
    {"碳材料", "Carbon Materials", "3091"},
    {"电子材料", "Electronic Materials", "3985"},
    {"化学", "Chemical", "2662"},
    {"材料研究", "Materials Research", "7320"},
    {"智能装备", "Intelligent Equipment", "3499"},
    {"机器人", "Robotics", "3491"},
    {"自动化", "Automation", "4011"},
    {"半导体设备", "Semiconductor Equipment", "3562"},
    {"软件", "Software", "6513"},
    {"金属结构", "Metal Structures", "3311"},
    {"包装", "Packaging", "2231"},
    {"塑料制品", "Plastic Products", "2927"},
    {"钢材", "Steel", "3130"},
    {"金属制品", "Metal Products", "3340"},
    {"塑料", "Plastics", "2929"},
};
#define NLINE ((int)(sizeof(lines) / sizeof(lines[0])))

static const char *const forms_zh[] = {"有限公司", "科技有限公司", "股份有限公司"};
static const char *const forms_en[] = {"Co., Ltd.", "Technology Co., Ltd.", "Co., Ltd."};
static const char *const stages[] = {"leading", "upstream", "midstream", "downstream", "service"};
static const char *const roads[] = {"振康路", "旧港路",   "张金公路", "汇丰路",
                                    "张涟路", "松金公路", "张堰路",   "新富路"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                       "吴", "周", "徐", "孙", "朱", "沈", "陆", "顾"};
static const char *const given[] = {"伟", "敏", "静", "磊", "洁", "军", "勇", "燕", "杰",
                                    "涛", "明", "霞", "平", "刚", "丽", "强", "华", "芳"};
static const char *const roles[] = {"总经理", "行政主管", "党支部书记", "办公室主任"};

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int rint_(int lo, int hi)
{
	return lo + (int)((rng() >> 33) % (uint64_t)(hi - lo + 1));
}

static double runit(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

static int org_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
}

static int uscc_value(char c)
{
	return (int)(strchr(alphabet, c) - alphabet);
}

/* Row i (0-based) -> its code; distinct rows give distinct codes. */
static void make_uscc(long i, char out[19])
{
	long low = i % 1000000, high = i / 1000000;
	/* 387419 is coprime to 10^6, so this permutes 0..999999. */
	long body = (long)((low * 387419L + 123457L) % 1000000L);
	int sum = 0, c;

	memcpy(out, "91310116", 8);
	out[8] = 'M';
	out[9] = letters[high];
	snprintf(out + 10, 7, "%06ld", body);
	for (int k = 0; k < 8; k++)
		sum += org_value(out[8 + k]) * org_weights[k];
	c = 11 - sum % 11;
	out[16] = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
	sum = 0;
	for (int k = 0; k < 17; k++)
		sum += uscc_value(out[k]) * weights[k];
	out[17] = alphabet[(31 - sum % 31) % 31];
	out[18] = '\0';
}

static const char *size_of(int employees)
{
	if (employees >= 1000)
		return "large";
	if (employees >= 300)
		return "medium";
	if (employees >= 20)
		return "small";
	return "micro";
}

int main(int argc, char **argv)
{
	long n, max = (long)(sizeof(letters) - 1) * 1000000L;
	static char buf[1 << 20];

	if (argc < 2 || (n = strtol(argv[1], NULL, 10)) < 1 || n > max) {
		fprintf(stderr, "usage: gen N [SEED] > FILE.csv   (1 <= N <= %ld)\n", max);
		return 2;
	}
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) * 0x9E3779B97F4A7C15ULL + 1 : 42;
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	fputs("uscc,name_zh,name_en,industry,cluster_id,stage,size,founded,address,lon,lat,"
	      "employees,status,tags,contact_name,contact_role,contact_phone,contact_email\n",
	      stdout);
	for (long i = 0; i < n; i++) {
		/* Every value is drawn in a fixed order (not inside printf's
		 * arguments, whose order is unspecified), so a seed gives the
		 * same file with any compiler. */
		char uscc[19], cluster[4] = "", tags[96] = "", email[64];
		int a = rint_(0, NBRAND - 1), b = rint_(0, NBRAND - 1), l = rint_(0, NLINE - 1);
		int form = rint_(0, 9) < 6 ? 0 : rint_(1, 2), r = rint_(0, 19), st = rint_(0, 99);
		const char *status = st < 94 ? "active" : st < 98 ? "moved_out" : "closed";
		/* Sizes skew small, as in a town's park. */
		int emp = r == 0   ? rint_(1000, 5000)
		          : r < 5  ? rint_(300, 999)
		          : r < 14 ? rint_(20, 299)
		                   : rint_(1, 19);
		int stage = rint_(0, 4), year = rint_(1985, 2024), month = rint_(1, 12),
		    day = rint_(1, 28);
		int road = rint_(0, 7), number = rint_(1, 999);
		double lon = 121.26 + runit() * 0.06, lat = 30.78 + runit() * 0.04;
		int surname = rint_(0, 15), given1 = rint_(0, 17),
		    given2 = rint_(0, 1) ? rint_(0, 17) : -1;
		int role = rint_(0, 3), p1 = rint_(3, 9), p2 = rint_(0, 9), p3 = rint_(0, 99999999);

		make_uscc(i, uscc);
		if (rint_(0, 9))
			snprintf(cluster, sizeof(cluster), "%d", rint_(1, 4));
		if (emp >= 300)
			strcat(tags, "规上企业");
		if (rint_(0, 9) < 3)
			strcat(strcat(tags, tags[0] ? ";" : ""), "高新技术企业");
		if (rint_(0, 9) == 0)
			strcat(strcat(tags, tags[0] ? ";" : ""), "专精特新");
		snprintf(email, sizeof(email), "contact%ld@%s%s.example.cn", i % 1000, brands[a].py,
		         brands[b].py);
		for (char *p = email; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		printf("%s,上海%s%s%s%s,\"Shanghai %s%c%s %s %s\",%s,%s,%s,%s,%04d-%02d-%02d,"
		       "上海市金山区张堰镇%s%d号,%.7f,%.7f,%d,%s,%s,%s%s%s,%s,1%d%d%08d,%s\n",
		       uscc, brands[a].zh, brands[b].zh, lines[l].zh, forms_zh[form], brands[a].py,
		       brands[b].py[0] - 'A' + 'a', brands[b].py + 1, lines[l].en, forms_en[form],
		       lines[l].industry, cluster, stages[stage], size_of(emp), year, month, day,
		       roads[road], number, lon, lat, emp, status, tags, surnames[surname],
		       given[given1], given2 >= 0 ? given[given2] : "", roles[role], p1, p2, p3,
		       email);
	}
	if (fflush(stdout) || ferror(stdout)) {
		perror("gen: write");
		return 1;
	}
	return 0;
}
