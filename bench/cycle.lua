-- wrk script: cycle through a fixed list of request paths, one per line, so every request in
-- a run differs from the one before and caches see an honest mix. Writes a JSON summary.
--   WRK_SUMMARY=<summary.json> wrk ... -s bench/cycle.lua <url> -- <paths-file> [header: value]...
-- done() runs in wrk's main Lua state, which never sees the script arguments, hence the
-- environment variable. Each wrk thread starts at a different offset in the list.

local paths = {}
local index = 0
local headers = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("offset", thread_count - 1)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no paths in " .. args[1]) end
  for i = 2, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    if name then headers[name] = value end
  end
  index = (offset or 0) * 7919 % #paths
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index], headers)
end

local function json_number(x)
  if x ~= x or x == math.huge or x == -math.huge then return "null" end
  return string.format("%.6f", x)
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("WRK_SUMMARY") or "/dev/stdout", "w"))
  out:write("{")
  out:write(string.format('"duration_us":%d,"requests":%d,"bytes":%d,', summary.duration,
                          summary.requests, summary.bytes))
  out:write(string.format('"connect_errors":%d,"read_errors":%d,"write_errors":%d,',
                          summary.errors.connect, summary.errors.read, summary.errors.write))
  out:write(string.format('"status_errors":%d,"timeouts":%d,', summary.errors.status,
                          summary.errors.timeout))
  out:write(string.format('"latency_mean_us":%s,"latency_max_us":%s,', json_number(latency.mean),
                          json_number(latency.max)))
  out:write(string.format('"p50_us":%s,"p90_us":%s,"p99_us":%s',
                          json_number(latency:percentile(50)),
                          json_number(latency:percentile(90)),
                          json_number(latency:percentile(99))))
  out:write("}\n")
  out:close()
end
