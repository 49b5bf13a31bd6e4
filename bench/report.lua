-- wrk report: requests/s, p50/p95/p99 latency in ms and the count of non-2xx answers.
-- wrk's own --latency prints only 50/75/90/99, and its "Non-2xx or 3xx" count lets a
-- redirect to the login page pass as success, so this script counts statuses itself.
--
-- Each wrk thread has its own Lua state: setup() keeps every thread so done() (which runs
-- in the main state) can read the per-thread counters back.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + (thread:get("non2xx") or 0)
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  -- One line, key=value, so home_load.sh (and people) can read it at a glance.
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    non2xx_total, errors))
end
