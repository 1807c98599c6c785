-- wrk's summary as one line for tests/bench/test_web_bench.py: requests, microseconds,
-- latency p50 and p95 (microseconds), errors (connect, read, write, timeout, non-2xx/3xx).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.connect + e.read + e.write + e.timeout + e.status))
end
