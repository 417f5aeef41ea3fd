/*
 * bench/services/searchbench.c — the catalogue's share of the services
 * benchmark (driven by bench/services/run; see there).
 *
 *   searchbench gen DB N
 *       fills the catalogue of DB (made by `qunyan init --demo`) up to N
 *       services through the store, as the API writes them: some 300
 *       providers of every kind (town offices, banks, law firms,
 *       universities, ...) and services in the ten categories of the
 *       resource list, named and described in Chinese and English from a
 *       vocabulary of what each category offers, with the demo's kinds of
 *       hours, a location and contacts each.  A few words occur in most
 *       services (企业, 服务, enterprise), the topics of a category in a
 *       tenth to a hundredth of them, the names of materials and products
 *       in a few.  Deterministic: the same N gives the same catalogue.
 *   searchbench mix
 *       prints the mix of requests the measurement sends.
 *   searchbench search URL REQUESTS CLIENTS
 *       CLIENTS threads send REQUESTS requests of the mix in all to
 *       GET URL/api/v1/services as the public (the catalogue is public),
 *       each over its own kept-alive connection; a "next page" request
 *       follows the cursor of the page before it.  Prints "label value"
 *       lines: the latencies (ms, p50, p99, max) of all and of each kind,
 *       the items a page of each kind held on average, and the requests
 *       that failed (a status other than 200, or a body that is not a
 *       page).  Exits 1 when any failed.
 */
#include <curl/curl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo/demo_places.h"
#include "demo/demo_services.h"
#include "store/store.h"
#include "util/timeutil.h"

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64                                           */

static uint64_t mix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint32_t below(uint64_t *s, uint32_t n)
{
	return (uint32_t)((mix64(s) >> 32) % n);
}

/* An index in [0, n) drawn with weight 1/(i+1): a few common, many rare. */
static uint32_t zipf(uint64_t *s, uint32_t n)
{
	double h = 0, x;

	for (uint32_t i = 0; i < n; i++)
		h += 1.0 / (i + 1);
	x = (double)(mix64(s) >> 11) / 9007199254740992.0 * h;
	for (uint32_t i = 0; i < n; i++)
		if ((x -= 1.0 / (i + 1)) < 0)
			return i;
	return n - 1;
}

#define N_OF(a)    ((uint32_t)(sizeof(a) / sizeof(a[0])))
#define PICK(s, a) (a[below(s, N_OF(a))])

static int die(const struct err *e)
{
	fprintf(stderr, "searchbench: %s\n", e->message);
	return 2;
}

/* ------------------------------------------------------------------ */
/* The vocabulary                                                       */

struct bi {
	const char *zh, *en;
};

/* What each category offers: topics, most common first. */
static const struct bi topics[10][14] = {
    /* policy_consulting */
    {{"惠企政策", "business support policies"},
     {"政策兑现", "policy payouts"},
     {"高新技术企业认定", "high-tech enterprise recognition"},
     {"研发费用加计扣除", "R&D super-deduction"},
     {"专精特新培育", "specialised and innovative SME status"},
     {"技术改造补贴", "technical upgrading subsidies"},
     {"首台套认定", "first-of-a-kind equipment recognition"},
     {"节能减排补助", "energy-saving grants"},
     {"出口退税", "export tax rebates"},
     {"稳岗补贴", "job retention subsidies"},
     {"数字化转型", "digital transformation"},
     {"绿色工厂创建", "green factory certification"},
     {"企业上市培育", "preparing for a stock listing"},
     {"总部经济政策", "headquarters incentives"}},
    /* financing */
    {{"信用贷款", "credit loans"},
     {"融资担保", "financing guarantees"},
     {"应收账款融资", "receivables financing"},
     {"知识产权质押融资", "intellectual property pledge loans"},
     {"贷款贴息", "loan interest subsidies"},
     {"供应链金融", "supply chain finance"},
     {"设备融资租赁", "equipment leasing"},
     {"股权投资对接", "equity investment matching"},
     {"科技保险", "technology insurance"},
     {"票据贴现", "bill discounting"},
     {"跨境结算", "cross-border settlement"},
     {"转贷应急资金", "bridge loans for renewals"},
     {"普惠金融", "inclusive finance"},
     {"银企对接会", "bank and enterprise matchmaking"}},
    /* talent_hr */
    {{"人才招聘", "recruitment"},
     {"人才公寓", "talent apartments"},
     {"落户办理", "residence registration"},
     {"社保登记", "social insurance registration"},
     {"劳务派遣", "labour dispatch"},
     {"用工指导", "employment guidance"},
     {"高校毕业生就业见习", "graduate traineeships"},
     {"技能人才评价", "skills appraisal"},
     {"外籍人才工作许可", "work permits for foreign talent"},
     {"薪酬调查", "pay surveys"},
     {"人才安居补贴", "housing grants for talent"},
     {"校企合作", "school and enterprise cooperation"},
     {"职业经理人培养", "management development"},
     {"灵活用工", "flexible staffing"}},
    /* legal */
    {{"合同审查", "contract review"},
     {"劳动争议调解", "labour dispute mediation"},
     {"知识产权保护", "intellectual property protection"},
     {"商标注册", "trademark registration"},
     {"专利申请", "patent applications"},
     {"法律体检", "legal health checks"},
     {"合规管理", "compliance management"},
     {"债权清收", "debt recovery"},
     {"商事仲裁", "commercial arbitration"},
     {"涉外法律服务", "foreign-related legal services"},
     {"数据合规", "data compliance"},
     {"破产重整咨询", "restructuring advice"},
     {"公证服务", "notarial services"},
     {"反不正当竞争", "unfair competition matters"}},
    /* land_premises */
    {{"标准厂房租赁", "standard factory rental"},
     {"工业用地供应", "industrial land supply"},
     {"产业载体", "industrial premises"},
     {"厂房改造", "factory refurbishment"},
     {"低效用地盘活", "reuse of under-used land"},
     {"研发办公空间", "R&D office space"},
     {"仓储用房", "warehouse space"},
     {"孵化器入驻", "incubator places"},
     {"园区配套", "park amenities"},
     {"用地规划咨询", "land-use planning advice"},
     {"不动产登记", "property registration"},
     {"屋顶光伏", "rooftop solar"},
     {"水电气接入", "utility connections"},
     {"共享车间", "shared workshops"}},
    /* permits_approvals */
    {{"企业开办", "starting a business"},
     {"工程建设审批", "construction permits"},
     {"环评审批", "environmental impact approval"},
     {"排污许可", "pollutant discharge permits"},
     {"安全生产许可", "work safety permits"},
     {"消防验收", "fire safety inspection"},
     {"危险化学品经营许可", "hazardous chemicals licences"},
     {"施工许可", "building permits"},
     {"食品经营许可", "food business licences"},
     {"特种设备登记", "special equipment registration"},
     {"道路运输许可", "road transport licences"},
     {"一网通办", "one-stop online services"},
     {"证照变更", "licence changes"},
     {"告知承诺制", "approval by pledge"}},
    /* training */
    {{"职业技能培训", "vocational skills training"},
     {"安全生产培训", "work safety training"},
     {"企业管理培训", "management training"},
     {"电工特种作业", "electricians' special operations"},
     {"焊工考证", "welder certification"},
     {"质量管理体系", "quality management systems"},
     {"数字技能", "digital skills"},
     {"叉车操作", "forklift operation"},
     {"外贸实务", "foreign trade practice"},
     {"精益生产", "lean production"},
     {"红领课堂", "Red Collar classes"},
     {"企业秘书沙龙", "enterprise secretaries' salons"},
     {"新员工入职培训", "induction training"},
     {"财税实务", "tax and accounting practice"}},
    /* venues */
    {{"会议室预约", "meeting room booking"},
     {"多功能厅", "multi-purpose hall"},
     {"路演中心", "roadshow centre"},
     {"党群服务阵地", "Party-Mass service rooms"},
     {"展示厅", "exhibition hall"},
     {"培训教室", "training rooms"},
     {"直播间", "live-streaming studio"},
     {"共享会客室", "shared reception rooms"},
     {"职工书屋", "workers' reading room"},
     {"运动场地", "sports grounds"},
     {"报告厅", "lecture theatre"},
     {"洽谈室", "negotiation rooms"},
     {"职工食堂", "staff canteen"},
     {"停车场", "car park"}},
    /* testing_technology */
    {{"检验检测", "testing and inspection"},
     {"产品认证", "product certification"},
     {"计量校准", "calibration"},
     {"大型仪器共享", "shared large instruments"},
     {"材料分析", "materials analysis"},
     {"技术攻关", "joint research"},
     {"成果转化", "technology transfer"},
     {"电磁兼容测试", "electromagnetic compatibility testing"},
     {"可靠性试验", "reliability testing"},
     {"标准制定", "standards drafting"},
     {"中试基地", "pilot production base"},
     {"工业设计", "industrial design"},
     {"科技查新", "novelty searches"},
     {"失效分析", "failure analysis"}},
    /* logistics */
    {{"货运物流", "freight logistics"},
     {"仓储配送", "warehousing and distribution"},
     {"冷链物流", "cold chain logistics"},
     {"危险品运输", "dangerous goods transport"},
     {"大件运输", "oversized cargo transport"},
     {"通关服务", "customs clearance"},
     {"集装箱堆场", "container yard"},
     {"城市配送", "urban delivery"},
     {"多式联运", "multimodal transport"},
     {"货车通行证", "lorry access permits"},
     {"物流信息平台", "logistics information platform"},
     {"快递收发", "parcel services"},
     {"跨境电商物流", "cross-border e-commerce logistics"},
     {"逆向物流", "reverse logistics"}},
};

static const char *const categories[10] = {
    "policy_consulting",  "financing",         "talent_hr", "legal",
    "land_premises",      "permits_approvals", "training",  "venues",
    "testing_technology", "logistics"};

/* How a service is offered, as a name ends. */
static const struct bi forms[] = {
    {"服务", "%s"},
    {"咨询", "Advice on %s"},
    {"辅导", "Guidance on %s"},
    {"一对一指导", "One-to-one help with %s"},
    {"申报指导", "Applying for %s"},
    {"对接会", "Matchmaking: %s"},
    {"专场", "Special session: %s"},
    {"代办", "%s handled for you"},
    {"受理", "Applications for %s"},
    {"预约", "Booking %s"},
    {"快速通道", "Fast track: %s"},
    {"上门服务", "%s at your site"},
};

/* Who it is for, and the products and materials of the park's
 * industries: the rare words of the catalogue. */
static const struct bi audiences[] = {
    {"园区内中小企业", "SMEs in the park"},
    {"科技型中小企业", "technology SMEs"},
    {"规模以上工业企业", "industrial enterprises above the designated size"},
    {"新落户企业", "newly settled enterprises"},
    {"光电传输产业集群企业", "enterprises of the optoelectronic cluster"},
    {"新材料研发企业", "new materials enterprises"},
    {"智能装备制造企业", "intelligent equipment makers"},
    {"外贸出口企业", "exporters"},
    {"初创团队", "start-up teams"},
    {"个体工商户", "sole traders"},
};
static const struct bi products[] = {
    {"特种电缆", "special cables"},
    {"光纤预制棒", "optical fibre preforms"},
    {"铜杆", "copper rod"},
    {"锂电隔膜", "lithium battery separators"},
    {"碳纤维", "carbon fibre"},
    {"工业机器人", "industrial robots"},
    {"数控机床", "CNC machine tools"},
    {"光模块", "optical modules"},
    {"高分子材料", "polymers"},
    {"电线电缆", "wires and cables"},
    {"精密模具", "precision moulds"},
    {"汽车零部件", "car parts"},
    {"医疗器械", "medical devices"},
    {"新能源电池", "new energy batteries"},
    {"涂料", "coatings"},
    {"纺织面料", "textiles"},
    {"食品包装", "food packaging"},
    {"电子元器件", "electronic components"},
    {"石化中间体", "petrochemical intermediates"},
    {"环保设备", "environmental equipment"},
    {"阻燃材料", "flame retardants"},
    {"铝型材", "aluminium profiles"},
    {"传感器", "sensors"},
    {"伺服电机", "servo motors"},
    {"光伏组件", "solar modules"},
    {"生物医药", "biopharmaceuticals"},
    {"3D打印", "3D printing"},
    {"不锈钢管", "stainless steel pipes"},
    {"橡胶密封件", "rubber seals"},
    {"液压件", "hydraulic parts"},
};
static const struct bi manners[] = {
    {"免费提供", "free of charge"},
    {"按次收费，价格公示", "charged per use at published prices"},
    {"先预约后办理", "by appointment"},
    {"线上线下同步受理", "online and at the counter"},
    {"专人全程跟踪", "with one person following it through"},
    {"五个工作日内答复", "answered within five working days"},
    {"可上门服务", "at the enterprise's site on request"},
    {"材料齐全当场办结", "done on the spot when the papers are complete"},
};

/* Places of Jinshan, for providers' names. */
static const struct bi places[] = {
    {"张堰", "Zhangyan"}, {"金山", "Jinshan"},      {"朱泾", "Zhujing"},  {"亭林", "Tinglin"},
    {"枫泾", "Fengjing"}, {"漕泾", "Caojing"},      {"山阳", "Shanyang"}, {"吕巷", "Lüxiang"},
    {"廊下", "Langxia"},  {"金山卫", "Jinshanwei"}, {"石化", "Shihua"},   {"松隐", "Songyin"},
};
static const struct {
	const char *kind, *zh, *en;
} org_forms[] = {
    {"department", "%s镇企业服务中心", "%s Enterprise Service Centre"},
    {"department", "%s镇社区事务受理服务中心", "%s Community Affairs Service Centre"},
    {"park", "%s工业园区管委会", "%s Industrial Park Committee"},
    {"bank", "上海金杉农村商业银行%s支行", "Jinshan Rural Commercial Bank, %s Branch"},
    {"bank", "上海滨江银行%s支行", "Binjiang Bank, %s Branch"},
    {"guarantee_fund", "%s中小企业融资担保中心", "%s SME Guarantee Centre"},
    {"service_firm", "上海%s律师事务所", "Shanghai %s Law Firm"},
    {"service_firm", "上海%s人力资源服务有限公司", "Shanghai %s Human Resources Co., Ltd."},
    {"service_firm", "上海%s检测技术有限公司", "Shanghai %s Testing Technology Co., Ltd."},
    {"service_firm", "上海%s物流有限公司", "Shanghai %s Logistics Co., Ltd."},
    {"service_firm", "上海%s职业技能培训学校", "Shanghai %s Vocational Skills School"},
    {"service_firm", "上海%s会计师事务所", "Shanghai %s Accountants"},
    {"university", "上海滨海理工大学%s联合实验室", "Binhai University of Technology, %s Joint Lab"},
    {"research_institute", "上海新材料研究院%s中心", "Shanghai New Materials Institute, %s Centre"},
    {"alliance_member", "%s党群服务联盟", "%s Party-Mass Service Alliance"},
};

/* The kind of provider that offers what a category offers. */
static const int org_for_category[10][3] = {
    {0, 2, 11}, {3, 4, 5},   {7, 1, 0},  {6, 6, 0},   {2, 2, 0},
    {0, 1, 2},  {10, 14, 7}, {14, 2, 0}, {8, 12, 13}, {9, 9, 2},
};

/* ------------------------------------------------------------------ */
/* The catalogue                                                        */

#define N_ORGS 300

struct gen {
	struct store *st;
	uint64_t rng;
	int64_t orgs[N_ORGS];
	int org_form[N_ORGS];
	int64_t jur[7];
	int64_t depts[32];
	int ndepts;
};

static int dept_row(void *ctx, const struct department_rec *d)
{
	struct gen *g = ctx;

	if (g->ndepts < (int)N_OF(g->depts))
		g->depts[g->ndepts++] = d->id;
	return 0;
}

/* Mostly the town and its park, then the district and its neighbours. */
static int64_t some_jurisdiction(struct gen *g)
{
	static const int weights[7] = {45, 20, 15, 8, 6, 4, 2};
	int x = (int)below(&g->rng, 100);

	for (int i = 0; i < 7; i++)
		if ((x -= weights[i]) < 0)
			return g->jur[i];
	return g->jur[0];
}

static void phone(uint64_t *s, char *out, size_t n)
{
	snprintf(out, n, "021-57%02u%04u", below(s, 100), below(s, 10000));
}

static int gen_orgs(struct gen *g, struct err *err)
{
	struct organisation *o = calloc(1, sizeof(*o));
	int rc = -1;

	if (!o)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	for (int i = 0; i < N_ORGS; i++) {
		int f = (int)(i % N_OF(org_forms));
		const struct bi *p = &places[(i / N_OF(org_forms)) % N_OF(places)];
		char zh[64], en[64];
		memset(o, 0, sizeof(*o));
		/* The same place comes round again after every form: the
		 * second round is another branch of it. */
		snprintf(zh, sizeof(zh), "%s%s", p->zh,
		         i / (int)(N_OF(org_forms) * N_OF(places)) ? "二" : "");
		snprintf(en, sizeof(en), "%s%s", p->en,
		         i / (int)(N_OF(org_forms) * N_OF(places)) ? " II" : "");
		snprintf(o->name_zh, sizeof(o->name_zh), org_forms[f].zh, zh);
		snprintf(o->name_en, sizeof(o->name_en), org_forms[f].en, en);
		snprintf(o->kind, sizeof(o->kind), "%s", org_forms[f].kind);
		snprintf(o->description, sizeof(o->description), "为%s及周边企业提供服务。", p->zh);
		snprintf(o->email, sizeof(o->email), "org%d@catalogue.example.cn", i + 1);
		phone(&g->rng, o->phone, sizeof(o->phone));
		o->jurisdiction_id = some_jurisdiction(g);
		o->department_id = g->depts[below(&g->rng, (uint32_t)g->ndepts)];
		if (organisation_validate(o, err) || store_organisation_put(g->st, o, 0, err))
			goto out;
		g->orgs[i] = o->id;
		g->org_form[i] = f;
	}
	rc = 0;
out:
	free(o);
	return rc;
}

/* A provider whose kind offers category c (or, rarely, any). */
static int64_t provider_for(struct gen *g, int c)
{
	int form = org_for_category[c][below(&g->rng, 3)], i = 0;

	for (int tries = 0; tries < 64; tries++)
		if (g->org_form[i = (int)below(&g->rng, N_ORGS)] == form)
			break;
	return g->orgs[i];
}

static int gen_service(struct gen *g, struct service *v, struct err *err)
{
	static const enum demo_hours hours_of[10][2] = {
	    {DH_OFFICE, DH_OFFICE}, {DH_BANK, DH_BANK},   {DH_OFFICE, DH_NONE},
	    {DH_OFFICE, DH_NONE},   {DH_OFFICE, DH_NONE}, {DH_OFFICE, DH_OFFICE},
	    {DH_TRAINING, DH_NONE}, {DH_VENUE, DH_VENUE}, {DH_LAB, DH_OFFICE},
	    {DH_HUB, DH_OFFICE}};
	uint64_t *s = &g->rng;
	int c = (int)below(s, 10), t = (int)zipf(s, 14), t2 = (int)zipf(s, 14);
	const struct bi *topic = &topics[c][t], *other = &topics[c][t2];
	const struct bi *form = &forms[zipf(s, N_OF(forms))];
	const struct bi *aud = &audiences[zipf(s, N_OF(audiences))];
	const struct bi *how = &manners[below(s, N_OF(manners))];
	char en_name[256], dz[1024], de[2048];
	struct buf hours = BUF_INIT;
	int n;

	service_init(v);
	v->provider_id = provider_for(g, c);
	snprintf(v->category, sizeof(v->category), "%s", categories[c]);
	/* A name: the topic and how it is offered, now and then with the
	 * place or the edition ("张堰惠企政策咨询", "融资担保对接会（第3期）"). */
	n = (int)below(s, 10);
	snprintf(v->name_zh, sizeof(v->name_zh), "%s%s%s", n == 0 ? PICK(s, places).zh : "",
	         topic->zh, form->zh);
	snprintf(en_name, sizeof(en_name), form->en, topic->en);
	snprintf(v->name_en, sizeof(v->name_en), "%c%s",
	         en_name[0] >= 'a' && en_name[0] <= 'z' ? en_name[0] - 'a' + 'A' : en_name[0],
	         en_name + 1);
	if (n == 1) {
		size_t l = strlen(v->name_zh);
		snprintf(v->name_zh + l, sizeof(v->name_zh) - l, "（第%u期）", below(s, 12) + 1);
		l = strlen(v->name_en);
		snprintf(v->name_en + l, sizeof(v->name_en) - l, " (session %u)", below(s, 12) + 1);
	}
	/* A description of two to four sentences. */
	n = snprintf(dz, sizeof(dz), "面向%s，提供%s相关服务，%s。", aud->zh, topic->zh, how->zh);
	snprintf(de, sizeof(de), "For %s: %s, %s.", aud->en, topic->en, how->en);
	if (t2 != t) {
		n +=
		    snprintf(dz + n, sizeof(dz) - (size_t)n, "同时可协助办理%s等事项。", other->zh);
		snprintf(de + strlen(de), sizeof(de) - strlen(de), " We can also help with %s.",
		         other->en);
	}
	if (below(s, 3) == 0) {
		const struct bi *p = &products[zipf(s, N_OF(products))];
		n += snprintf(dz + n, sizeof(dz) - (size_t)n, "尤其熟悉%s行业企业的需求。", p->zh);
		snprintf(de + strlen(de), sizeof(de) - strlen(de),
		         " We know the needs of makers of %s well.", p->en);
	}
	snprintf(dz + n, sizeof(dz) - (size_t)n, "欢迎致电下方的企业服务专线咨询。");
	snprintf(de + strlen(de), sizeof(de) - strlen(de),
	         " Call the enterprise service line below to ask.");
	snprintf(v->description_zh, sizeof(v->description_zh), "%s", dz);
	snprintf(v->description_en, sizeof(v->description_en), "%s", de);
	snprintf(v->eligibility, sizeof(v->eligibility), "%s", aud->zh);
	snprintf(v->fees, sizeof(v->fees), "%s", below(s, 3) ? "免费" : "按服务协议收费");
	v->nlanguages = 1 + (int)below(s, 2);
	snprintf(v->languages[0], sizeof(v->languages[0]), "zh");
	snprintf(v->languages[1], sizeof(v->languages[1]), "en");
	v->ndocuments = 1;
	snprintf(v->documents[0], sizeof(v->documents[0]), "营业执照复印件");
	phone(s, v->phone, sizeof(v->phone));
	v->deadline_hours = 24 * (1 + (int)below(s, 10));
	v->nlocations = 1;
	snprintf(v->locations[0].name, sizeof(v->locations[0].name), "%s服务点",
	         PICK(s, places).zh);
	snprintf(v->locations[0].address, sizeof(v->locations[0].address),
	         "上海市金山区张堰镇振康路%u号", below(s, 400) + 1);
	v->locations[0].located = 1;
	v->locations[0].lon = 121.28 + below(s, 300) / 10000.0;
	v->locations[0].lat = 30.80 + below(s, 200) / 10000.0;
	v->ncontacts = 1 + (int)below(s, 2);
	for (int i = 0; i < v->ncontacts; i++) {
		static const char *const names[] = {"王敏",   "陈立", "张婷",   "李国华", "周晓燕",
		                                    "顾文杰", "沈佳", "陆海峰", "朱蕾",   "徐斌"};
		snprintf(v->contacts[i].name, sizeof(v->contacts[i].name), "%s", PICK(s, names));
		snprintf(v->contacts[i].title, sizeof(v->contacts[i].title), "服务专员");
		phone(s, v->contacts[i].phone, sizeof(v->contacts[i].phone));
	}
	snprintf(v->last_verified, sizeof(v->last_verified), "2025-%02u-%02u", below(s, 12) + 1,
	         below(s, 28) + 1);
	n = (int)below(s, 100);
	v->status = n < 94   ? SVC_ACTIVE
	            : n < 97 ? SVC_INACTIVE
	            : n < 99 ? SVC_PENDING
	                     : SVC_RETIRED;
	if (v->status == SVC_RETIRED)
		snprintf(v->status_reason, sizeof(v->status_reason), "服务调整");
	v->jurisdiction_id = some_jurisdiction(g);
	demo_hours_json(hours_of[c][below(s, 2)], &hours);
	if (hours.failed) {
		buf_release(&hours);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	n = hours_parse_text(buf_cstr(&hours), &v->hours, err);
	buf_release(&hours);
	if (n || service_validate(v, NULL, err))
		return -1;
	return store_service_put(g->st, v, 0, err);
}

static int gen(const char *db, long want)
{
	static const char *const codes[7] = {
	    DEMO_HOME_CODE,      "310116103201", DEMO_HOME_DISTRICT, DEMO_NEIGHBOUR_CODE,
	    DEMO_JIULITING_CODE, "310117",       DEMO_PUTUO_CODE};
	struct service_query all;
	struct gen g = {.rng = 20241212};
	struct service *v = malloc(sizeof(*v));
	struct jurisdiction j;
	struct err err;
	int64_t have = 0;

	err_clear(&err);
	store_global_init();
	if (!v || store_open(&g.st, db, STORE_MIGRATE, &err))
		return die(&err);
	memset(&all, 0, sizeof(all));
	if (store_service_count(g.st, &all, &have, &err))
		return die(&err);
	for (int i = 0; i < 7; i++) {
		if (store_jurisdiction_by_code(g.st, codes[i], &j, &err))
			return die(&err);
		g.jur[i] = j.id;
	}
	if (store_departments(g.st, dept_row, &g, &err))
		return die(&err);
	if (!g.ndepts) {
		fprintf(stderr,
		        "searchbench: the database has no departments (qunyan init --demo)\n");
		return 2;
	}
	if (have >= want) {
		fprintf(stderr, "searchbench: %s holds %lld services already\n", db,
		        (long long)have);
		return 2;
	}
	if (store_begin(g.st, &err) || gen_orgs(&g, &err))
		return die(&err);
	for (long i = have; i < want; i++)
		if (gen_service(&g, v, &err))
			return die(&err);
	if (store_commit(g.st, &err))
		return die(&err);
	if (store_service_count(g.st, &all, &have, &err))
		return die(&err);
	all.status = "active";
	int64_t active = 0;
	if (store_service_count(g.st, &all, &active, &err))
		return die(&err);
	printf("services %lld\nactive %lld\nproviders %d\n", (long long)have, (long long)active,
	       N_ORGS + DEMO_PROVIDERS);
	store_close(g.st);
	free(v);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The mix of requests                                                  */

enum kind {
	K_FREQUENT, /* a word in most services */
	K_TOPIC2,   /* a two-character topic word */
	K_TOPIC,    /* a longer topic */
	K_ENGLISH,  /* an English word */
	K_RARE,     /* a product or material: a few services */
	K_NOWHERE,  /* a word no service holds */
	K_ONECHAR,  /* one character, as typed */
	K_WORDS,    /* two words */
	K_BROWSE,   /* a category, no words */
	K_CATWORD,  /* a word within a category */
	K_PROVIDER, /* a word or none, of one provider */
	K_OPEN,     /* open now (at an instant), with or without a category */
	K_JUR,      /* a word, seen from a jurisdiction */
	K_NEXT,     /* the next page of a word's */
	K_COUNT
};

static const struct {
	const char *name, *says;
	int weight;
	const char *const *words;
} kinds[K_COUNT] = {
    [K_FREQUENT] = {"frequent", "a word in most services: 企业, 服务, 园区, 咨询, enterprise", 10,
                    (const char *const[]){"企业", "服务", "园区", "咨询", "enterprise", "企业服务",
                                          NULL}},
    [K_TOPIC2] = {"topic, 2 chars", "融资, 贷款, 专利, 厂房, 招聘, 检测, 仓储, 合同, 环评 ...", 14,
                  (const char *const[]){"融资", "贷款", "专利", "厂房", "招聘", "检测", "仓储",
                                        "合同", "环评", "商标", "社保", "会议", "认证", "补贴",
                                        "物流", "培训", "法律", "用地", "叉车", "冷链", NULL}},
    [K_TOPIC] = {"topic, 3+ chars", "知识产权, 高新技术, 应收账款, 加计扣除, 危险化学品 ...", 12,
                 (const char *const[]){"知识产权", "高新技术", "应收账款", "加计扣除", "危险化学品",
                                       "标准厂房", "人才公寓", "劳动争议", "排污许可", "融资担保",
                                       "检验检测", "数字化转型", "会议室", "一网通办", NULL}},
    [K_ENGLISH] = {"English word", "loan, patent, training, warehouse, testing, HR, IP ...", 10,
                   (const char *const[]){"loan", "loans", "patent", "training", "warehouse",
                                         "testing", "contract", "recruitment", "permits",
                                         "Guarantee", "logistics", "subsidies", "HR", "IP", NULL}},
    [K_RARE] = {"rare word",
                "a product or material, in under 1 % of services: 碳纤维, 伺服电机 ...", 6,
                (const char *const[]){"不锈钢管", "碳纤维", "伺服电机", "铝型材", "液压件",
                                      "橡胶密封件", "3D打印", "sensors", "servo", "rubber", NULL}},
    [K_NOWHERE] = {"no match", "a word no service holds: 火箭, 区块链, 量子计算, blockchain ...", 6,
                   (const char *const[]){"火箭", "芯片", "区块链", "量子计算", "元宇宙",
                                         "blockchain", "quantum", "无人机", "5G", NULL}},
    [K_ONECHAR] = {"one character", "as typed: 税, 贷, 法, 房, 车 ...", 4,
                   (const char *const[]){"税", "贷", "法", "房", "车", "证", "镇", NULL}},
    [K_WORDS] = {"two words", "融资 担保, 合同 审查, loans SMEs, 培训 电工 ...", 6,
                 (const char *const[]){"融资 担保", "合同 审查", "loans SMEs", "培训 电工",
                                       "厂房 租赁", "专利 申请", "物流 冷链", "检测 认证", NULL}},
    [K_BROWSE] = {"category", "a category of the list, no words", 8, NULL},
    [K_CATWORD] = {"word in category", "a topic word within its category or another", 8, NULL},
    [K_PROVIDER] = {"provider", "one provider's services, with a word or none", 4, NULL},
    [K_OPEN] = {"open now", "open_now=1 at a weekday morning, evening or Sunday, ± category", 6,
                NULL},
    [K_JUR] = {"jurisdiction", "a word, seen from a town or a district (jurisdiction=)", 3, NULL},
    [K_NEXT] = {"next page", "the page after a topic word's first, by its cursor", 3, NULL},
};

static int mix_print(void)
{
	int total = 0;

	for (int k = 0; k < K_COUNT; k++)
		total += kinds[k].weight;
	printf("the mix (limit=20, as the console asks; share of requests):\n");
	for (int k = 0; k < K_COUNT; k++)
		printf("  %3d %%  %-17s %s\n", kinds[k].weight * 100 / total, kinds[k].name,
		       kinds[k].says);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The clients                                                          */

struct client {
	const char *url;
	int requests;
	uint64_t rng;
	int64_t provider_lo, provider_hi;
	int64_t jur[3];
	double *ms; /* the latency of each request */
	int *kind;  /* and its kind */
	long items[K_COUNT], pages[K_COUNT];
	int n, failed;
	char first_error[256];
};

struct body {
	char *s;
	size_t len, cap;
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct body *b = ctx;
	size_t k = size * n;

	if (b->len + k + 1 > b->cap) {
		size_t cap = (b->len + k + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s)
			return 0;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, k);
	b->len += k;
	b->s[b->len] = '\0';
	return k;
}

static void add_param(CURL *h, char *url, size_t n, const char *name, const char *value)
{
	char *e = curl_easy_escape(h, value, 0);
	size_t l = strlen(url);

	snprintf(url + l, n - l, "&%s=%s", name, e ? e : "");
	curl_free(e);
}

static const char *word(struct client *c, enum kind k)
{
	const char *const *w = kinds[k].words;
	uint32_t n = 0;

	while (w[n])
		n++;
	return w[below(&c->rng, n)];
}

/* The query string of a request of kind k. */
static void request_of(struct client *c, CURL *h, enum kind k, char *url, size_t n)
{
	static const char *const instants[] = {
	    "2026-03-11T10:00:00+08:00", "2026-03-11T21:30:00+08:00", "2026-03-15T15:00:00+08:00"};
	static const enum kind worded[] = {K_FREQUENT, K_TOPIC2, K_TOPIC, K_ENGLISH};

	snprintf(url, n, "%s/api/v1/services?limit=20", c->url);
	switch (k) {
	case K_BROWSE:
		add_param(h, url, n, "category", categories[below(&c->rng, 10)]);
		break;
	case K_CATWORD:
		add_param(h, url, n, "category", categories[below(&c->rng, 10)]);
		add_param(h, url, n, "q", word(c, worded[below(&c->rng, 3)]));
		break;
	case K_PROVIDER: {
		char id[24];
		snprintf(
		    id, sizeof(id), "%lld",
		    (long long)(c->provider_lo +
		                below(&c->rng, (uint32_t)(c->provider_hi - c->provider_lo + 1))));
		add_param(h, url, n, "provider", id);
		if (below(&c->rng, 2))
			add_param(h, url, n, "q", word(c, worded[below(&c->rng, 4)]));
		break;
	}
	case K_OPEN:
		add_param(h, url, n, "open_now", "1");
		add_param(h, url, n, "at", PICK(&c->rng, instants));
		if (below(&c->rng, 2))
			add_param(h, url, n, "category", categories[below(&c->rng, 10)]);
		break;
	case K_JUR: {
		char id[24];
		snprintf(id, sizeof(id), "%lld", (long long)c->jur[below(&c->rng, 3)]);
		add_param(h, url, n, "jurisdiction", id);
		add_param(h, url, n, "q", word(c, worded[below(&c->rng, 4)]));
		break;
	}
	case K_NEXT: /* the first page; the caller asks for the next */
		add_param(h, url, n, "q", word(c, worded[below(&c->rng, 4)]));
		break;
	default:
		add_param(h, url, n, "q", word(c, k));
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Sends url; 0 when the answer is a page (*items set, cursor copied). */
static int get(struct client *c, CURL *h, struct body *b, const char *url, double *ms, int *items,
               char *cursor, size_t ncursor)
{
	long status = 0;
	const char *p;
	double t0;
	CURLcode rc;

	b->len = 0;
	curl_easy_setopt(h, CURLOPT_URL, url);
	t0 = now_ms();
	rc = curl_easy_perform(h);
	*ms = now_ms() - t0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK || status != 200 || !b->s || strncmp(b->s, "{\"items\":[", 10) != 0 ||
	    !(p = strstr(b->s, "],\"next\":"))) {
		if (!c->first_error[0])
			snprintf(c->first_error, sizeof(c->first_error), "%s: %ld %.120s", url,
			         status,
			         rc != CURLE_OK ? curl_easy_strerror(rc)
			         : b->s         ? b->s
			                        : "");
		return -1;
	}
	p += strlen("],\"next\":");
	cursor[0] = '\0';
	if (*p == '"') {
		size_t l = strcspn(p + 1, "\"");
		if (l < ncursor)
			snprintf(cursor, ncursor, "%.*s", (int)l, p + 1);
	}
	*items = (p = strstr(b->s, ",\"count\":")) ? atoi(p + 9) : 0;
	return 0;
}

static void *client_run(void *arg)
{
	struct client *c = arg;
	struct body b = {0};
	int total = 0;
	CURL *h = curl_easy_init();

	if (!h)
		return NULL;
	for (int k = 0; k < K_COUNT; k++)
		total += kinds[k].weight;
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	while (c->n < c->requests) {
		int x = (int)below(&c->rng, (uint32_t)total), items = 0;
		enum kind k = 0;
		char url[1024], cursor[128];
		double ms;
		while ((x -= kinds[k].weight) >= 0)
			k++;
		request_of(c, h, k, url, sizeof(url));
		if (k == K_NEXT) {
			/* The first page is the console's, not measured here. */
			if (get(c, h, &b, url, &ms, &items, cursor, sizeof(cursor))) {
				c->failed++;
				continue;
			}
			if (!cursor[0])
				continue;
			add_param(h, url, sizeof(url), "cursor", cursor);
		}
		if (get(c, h, &b, url, &ms, &items, cursor, sizeof(cursor)))
			c->failed++;
		c->ms[c->n] = ms;
		c->kind[c->n++] = k;
		c->items[k] += items;
		c->pages[k]++;
	}
	curl_easy_cleanup(h);
	free(b.s);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The q-quantile of v[0..n), sorted: the smallest value at least a
 * share q of the values do not exceed. */
static double quantile(const double *v, int n, double q)
{
	int i = (int)ceil(q * n) - 1;
	return n ? v[i < 0 ? 0 : i >= n ? n - 1 : i] : 0;
}

static void figures(const char *label, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	printf("%s n %d\n%s p50 %.2f\n%s p99 %.2f\n%s max %.2f\n", label, n, label,
	       quantile(v, n, 0.5), label, quantile(v, n, 0.99), label, n ? v[n - 1] : 0);
}

static int search(const char *url, int requests, int nclients, const char *providers,
                  const char *jurs)
{
	struct client *c = calloc((size_t)nclients, sizeof(*c));
	pthread_t *th = calloc((size_t)nclients, sizeof(*th));
	double *all = malloc(sizeof(double) * (size_t)requests), *one;
	long long lo = 0, hi = 0, j[3] = {0, 0, 0};
	int n = 0, failed = 0;

	if (!c || !th || !all || sscanf(providers, "%lld-%lld", &lo, &hi) != 2 || lo < 1 ||
	    hi < lo || sscanf(jurs, "%lld,%lld,%lld", &j[0], &j[1], &j[2]) != 3)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (int i = 0; i < nclients; i++) {
		c[i].url = url;
		c[i].requests = requests / nclients + (i < requests % nclients);
		c[i].rng = 0xC0FFEEull * (uint64_t)(i + 1);
		c[i].provider_lo = lo;
		c[i].provider_hi = hi;
		for (int k = 0; k < 3; k++)
			c[i].jur[k] = j[k];
		c[i].ms = malloc(sizeof(double) * (size_t)c[i].requests);
		c[i].kind = malloc(sizeof(int) * (size_t)c[i].requests);
		if (!c[i].ms || !c[i].kind || pthread_create(&th[i], NULL, client_run, &c[i]))
			return 2;
	}
	for (int i = 0; i < nclients; i++) {
		pthread_join(th[i], NULL);
		for (int k = 0; k < c[i].n; k++)
			all[n++] = c[i].ms[k];
		failed += c[i].failed;
		if (c[i].failed)
			fprintf(stderr, "searchbench: %s\n", c[i].first_error);
	}
	figures("all", all, n);
	one = malloc(sizeof(double) * (size_t)(n ? n : 1));
	for (int k = 0; k < K_COUNT && one; k++) {
		long items = 0, pages = 0;
		char label[64];
		int m = 0;
		for (int i = 0; i < nclients; i++) {
			for (int r = 0; r < c[i].n; r++)
				if (c[i].kind[r] == k)
					one[m++] = c[i].ms[r];
			items += c[i].items[k];
			pages += c[i].pages[k];
		}
		snprintf(label, sizeof(label), "kind %s", kinds[k].name);
		figures(label, one, m);
		printf("%s items %.1f\n", label, pages ? (double)items / pages : 0.0);
	}
	printf("failed %d\n", failed);
	curl_global_cleanup();
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], atol(argv[3]));
	if (argc == 2 && strcmp(argv[1], "mix") == 0)
		return mix_print();
	if (argc == 7 && strcmp(argv[1], "search") == 0)
		return search(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5], argv[6]);
	fprintf(stderr, "usage: searchbench gen DB N | mix | search URL REQUESTS CLIENTS "
	                "PROVIDER_LO-PROVIDER_HI JUR,JUR,JUR\n");
	return 2;
}
