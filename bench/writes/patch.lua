-- wrk script: a mix of PATCHes as the console and machine clients send
-- them, signed with an API key: an enterprise's head count, its English
-- name, its address or its tags (If-Match: *, so none is refused as
-- stale), and now and then a cluster's English name.
--
--   wrk ... -s patch.lua http://127.0.0.1:PORT -- KEY ENTERPRISES CLUSTERS

local threads = 0

function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

local n_ent, n_cl, seq = 1, 1, 0

function init(args)
	wrk.headers["Authorization"] = "Bearer " .. args[1]
	wrk.headers["Content-Type"] = "application/json"
	wrk.headers["If-Match"] = "*"
	n_ent = tonumber(args[2]) or 1
	n_cl = tonumber(args[3]) or 1
	math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
end

local streets = {"沪松公路", "松卫北路", "卫清西路", "亭卫公路", "金张公路", "荣卫路"}

function request()
	seq = seq + 1
	local pick = math.random(100)
	local id = math.random(1, n_ent)
	local body, path
	if pick <= 40 then
		body = '{"employees":' .. math.random(10, 5000) .. '}'
	elseif pick <= 60 then
		body = '{"name_en":"Bench Co. ' .. (tid or 0) .. "-" .. seq .. '"}'
	elseif pick <= 80 then
		body = '{"address":"上海市金山区张堰镇' .. streets[math.random(#streets)] .. math.random(1, 999) .. '号"}'
	elseif pick <= 95 then
		body = '{"tags":["规上企业","压测' .. math.random(1, 9) .. '"]}'
	else
		path = "/api/v1/clusters/" .. math.random(1, n_cl)
		body = '{"name_en":"Cluster ' .. (tid or 0) .. "-" .. seq .. '"}'
	end
	return wrk.format("PATCH", path or ("/api/v1/enterprises/" .. id), nil, body)
end
