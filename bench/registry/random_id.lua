-- wrk script: GET /api/v1/enterprises/{id} with a random id in 1..MAX on
-- every request, signed with an API key.
--
--   wrk ... -s random_id.lua http://127.0.0.1:PORT -- MAX KEY
--
-- The same script drives nginx (which answers every such path with one
-- static file), so that wrk spends the same effort per request on both.

local threads = 0

function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

function init(args)
	max_id = tonumber(args[1]) or 1
	math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
	if args[2] and args[2] ~= "" then
		wrk.headers["Authorization"] = "Bearer " .. args[2]
	end
end

function request()
	return wrk.format("GET", "/api/v1/enterprises/" .. math.random(1, max_id))
end
