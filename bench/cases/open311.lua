-- wrk script: GET /open311/v2/requests as clients ask it, with 1,000,000
-- cases stored: by service and status, by a day's window, by a list of
-- ids, in JSON and in XML, pages of 50 (a client's list screen).
--
--   wrk ... -s open311.lua http://127.0.0.1:PORT -- MAX_ID

local threads = 0
local codes = {"road_lighting", "parking", "environment", "community", "elderly_care", "safety"}

function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

function init(args)
	max_id = tonumber(args[1]) or 1000
	math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
end

local function day(back)
	return os.date("!%Y-%m-%dT00:00:00Z", os.time() - back * 86400)
end

function request()
	local r = math.random(1, 10)
	if r <= 4 then
		return wrk.format("GET", "/open311/v2/requests.json?service_code=" ..
			codes[math.random(#codes)] .. "&status=open&page_size=50")
	elseif r <= 6 then
		local b = math.random(1, 80)
		return wrk.format("GET", "/open311/v2/requests.json?start_date=" .. day(b) ..
			"&end_date=" .. day(b - 1) .. "&page_size=50")
	elseif r <= 8 then
		local ids = {}
		for i = 1, 10 do ids[i] = math.random(1, max_id) end
		return wrk.format("GET", "/open311/v2/requests.json?service_request_id=" ..
			table.concat(ids, ","))
	else
		return wrk.format("GET", "/open311/v2/requests.xml?service_code=" ..
			codes[math.random(#codes)] .. "&status=closed&page_size=50")
	end
end
