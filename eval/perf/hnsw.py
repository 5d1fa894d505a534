"""HNSW beside IVF on the growth curve: faiss `IndexHNSWFlat` built once, `efSearch` swept.

For one corpus: build the graph (M = `M`, efConstruction = `EF_CONSTRUCTION`, inner product),
then for each efSearch in `EF_SEARCH` the held-out recall@10 against exact search and the
single-query p50/p95 (one OpenMP thread, as every growth row). The rows say which efSearch
first reaches recall@10 0.95 and what it costs, beside IVF's nprobe sweep.
Leaves out choosing the index the engine builds (`index.build.vector_index`).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

M = 32
EF_CONSTRUCTION = 64
EF_SEARCH = (16, 32, 64, 128, 256, 512)


def hnsw_rows(vecs: np.ndarray, queries: np.ndarray, truth: np.ndarray, data: str,
              timed: int) -> list[dict]:
    import faiss

    from index.build import recall_at

    from .searchtime import index_bytes, latencies

    n = len(vecs)
    t0 = time.perf_counter()
    index = faiss.IndexHNSWFlat(vecs.shape[1], M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = EF_CONSTRUCTION
    index.add(vecs)
    build = time.perf_counter() - t0
    size = index_bytes(index)
    rows = []
    for ef in EF_SEARCH:
        index.hnsw.efSearch = ef
        recall = recall_at(index.search(queries, 10)[1], truth)
        ms = latencies(index, queries[:timed])
        rows.append({"n": n, "data": data, "index": "IndexHNSWFlat" if not rows
                     else "IndexHNSWFlat sweep", "build_s": build if not rows else 0.0,
                     "bytes": size if not rows else 0, "p50_ms": statistics.median(ms),
                     "p95_ms": float(np.percentile(ms, 95)), "ef_search": ef, "m": M,
                     "recall_at_10": recall})
        if recall >= 0.99:
            break
    return rows
