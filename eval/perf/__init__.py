"""Speed, memory and load: `footnoted bench` (bench: a cold and a warm ask, the growth curve of
exact and approximate search to a million passages, growth/hnsw/searchtime), `footnoted add`
timed against its floors (addbench), ingest's speed (ingest_bench), and the server under
concurrent clients (load, serving, http_ask). Figures, not pass or fail: docs/performance.md
and docs/reliability.md hold the runs. The benchmark of answer quality is `eval` itself; the
learning of the answer models is `eval.learning`.
"""
