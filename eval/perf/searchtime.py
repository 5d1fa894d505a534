"""How long one search takes and how big an index is, measured the same way wherever a figure
of `eval.perf.growth` (the growth curve) or `eval.perf.hnsw` (the graph index) needs one.
"""

from __future__ import annotations

import time

import numpy as np


def latencies(index, queries: np.ndarray, k: int = 10) -> list[float]:
    """Milliseconds of one single-vector search per query, on one OpenMP thread (on this
    shared 2-core machine two threads made single queries 2-6x slower by contention)."""
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    out = []
    try:
        for q in queries:
            t0 = time.perf_counter()
            index.search(q[None, :], k)
            out.append(1000 * (time.perf_counter() - t0))
    finally:
        faiss.omp_set_num_threads(threads)
    return out


def index_bytes(index) -> int:
    import faiss

    return int(faiss.serialize_index(index).nbytes)
