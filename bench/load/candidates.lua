-- wrk script: GET /api/v1/shifts/{id}/candidates for random shifts of the demo market.
-- Reads the bearer token from $TOKEN and shift ids (one per line) from $SHIFTS.
local ids = {}
local token = os.getenv("TOKEN")
local path = os.getenv("PATH_TEMPLATE") or "/api/v1/shifts/%d/candidates?mode=offer&limit=50"

function init(args)
  for line in io.lines(os.getenv("SHIFTS")) do
    ids[#ids + 1] = tonumber(line)
  end
  math.randomseed(os.time() + math.random(1000))
end

function request()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", string.format(path, id), { ["Authorization"] = "Bearer " .. token })
end

local failures = 0
function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", summary.errors.status))
end
