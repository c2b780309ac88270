-- wrk script for bench/serve.sh: POSTs the JPEGs listed in $WRK_BODIES (one path per line) to the URL's path
-- in turn, one image per request (GET when $WRK_BODIES is unset), and prints one JSON line at the end.
local bodies = {}
local list = os.getenv("WRK_BODIES")
if list then
  for line in io.lines(list) do
    local f = assert(io.open(line, "rb"))
    bodies[#bodies + 1] = f:read("*all")
    f:close()
  end
end
local i = 0
request = function()
  if #bodies == 0 then
    return wrk.format("GET")
  end
  i = i % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "image/jpeg"}, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "seconds": %.4f, "p50_ms": %.4f, "p99_ms": %.4f, "max_ms": %.4f, '
    .. '"not_2xx": %d, "socket_errors": %d}\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3, e.status,
    e.connect + e.read + e.write + e.timeout))
end
