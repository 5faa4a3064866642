-- Load generator script: POSTs a small JSON body with an API key header.
-- BENCH_API_KEY names the key; BENCH_BODY may replace the body.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or '{"message":"hello from the benchmark","n":42,"ok":true}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("BENCH_API_KEY") or ""
