-- wrk script: POST /api/v1/public/cases, a resident's suggestion as a
-- form on a phone would send it, with text in the language of
-- casebench.c (the same word lists): one to three complaints about a
-- thing at a place, a few words of the resident's own, a wish.
--
--   wrk ... -s intake.lua http://127.0.0.1:PORT

local threads = 0
local names = {"亭北", "亭南", "涞寅", "绿地", "九里", "沪亭", "亭知", "新凯", "文翔", "奥林", "复地", "涞坊", "中大", "同济", "杜巷", "涞亭", "九亭", "沪松", "涞坊", "易富", "颐景", "云庭", "明中", "玉乐", "伴亭", "朱龙", "英亭", "盛龙", "东江", "北松", "南亭", "西河", "金桥", "银都", "华亭", "星辰", "锦绣", "兰亭", "秀竹", "梅园"}
local kinds = {"路", "街", "小区", "新村", "苑", "花园", "公寓", "广场", "菜场", "学校", "公园", "地铁站"}
local qualifiers = {"东侧的", "西侧的", "门口的", "旁边的", "对面的", "拐角的", "里面的", "北面的", "南面的", "附近的"}
local things = {"路灯", "垃圾桶", "停车位", "绿化带", "人行道", "下水道", "公交站", "健身器材", "快递柜", "电梯", "充电桩", "楼道", "围墙", "井盖", "红绿灯", "自行车棚", "座椅", "广告牌", "消防通道", "监控探头", "花坛", "排水沟", "路面", "护栏", "门禁", "水管", "化粪池", "窨井", "标志牌", "凉亭"}
local degrees = {"很久了", "好几天了", "特别严重", "反复出现", "一直", "越来越", "每天晚上", "下雨天"}
local troubles = {"坏了没人修", "太暗", "清运不及时", "占道", "积水", "噪音扰民", "有安全隐患", "数量不够", "堆放杂物", "破损", "味道很大", "时间太短", "排长队", "没有遮挡", "漏水", "松动", "被压坏", "长期关闭", "乱贴小广告", "有异响", "被占用", "倾斜", "生锈"}
local wishes = {"建议尽快维修", "建议增设", "希望加强管理", "建议定期检查", "希望有关部门协调解决", "建议错峰开放", "建议加装照明", "希望听取居民意见", "建议设置提醒标志", "希望尽快处理", "请物业跟进", "希望街道督促整改", "建议公示处理结果", "盼早日解决"}
local common = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程"

function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

local bodies, nbodies, at = {}, 20000, 0

local function pick(t)
	return t[math.random(#t)]
end

local function text()
	local out = {}
	for _ = 1, math.random(1, 3) do
		out[#out + 1] = pick(names) .. pick(kinds) .. pick(qualifiers) .. pick(things) ..
			pick(degrees) .. pick(troubles) .. "，"
	end
	-- Every character of common is three bytes of UTF-8.
	for _ = 1, math.random(4, 12) do
		local i = math.random(0, #common / 3 - 1)
		out[#out + 1] = string.sub(common, 3 * i + 1, 3 * i + 3)
	end
	out[#out + 1] = "，" .. pick(wishes) .. "。"
	return table.concat(out)
end

-- The requests are made before the clock starts, so that wrk spends its
-- time sending them, not composing Chinese.
function init(args)
	math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
	for i = 1, nbodies do
		local body = '{"kind":"suggestion","category":"community","street":"九里亭街道","text":"' ..
			text() .. '","phone":"1380013' .. string.format("%04d", math.random(0, 9999)) .. '"}'
		bodies[i] = wrk.format("POST", "/api/v1/public/cases",
			{["Content-Type"] = "application/json"}, body)
	end
end

function request()
	at = at % nbodies + 1
	return bodies[at]
end
