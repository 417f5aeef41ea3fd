-- wrk script: bench/cases/intake.lua's residents' suggestions, POST
-- /api/v1/public/cases, with every 201 counted; at the end prints
-- "created N", which bench/scale/run holds against the rows the
-- database gained.
--
--   wrk ... -s bench/scale/intake.lua http://127.0.0.1:PORT

-- The suggestions are bench/cases's, found beside this script.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "../cases/intake.lua")

created = 0

local each_setup = setup
local all = {}

function setup(thread)
	each_setup(thread)
	all[#all + 1] = thread
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	end
end

function done(summary, latency, requests)
	local n = 0
	for _, t in ipairs(all) do
		n = n + (t:get("created") or 0)
	end
	io.write(string.format("created %d\n", n))
end
