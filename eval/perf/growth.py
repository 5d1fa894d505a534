"""`footnoted bench --growth`: how build time, memory and query latency grow with the corpus.

Corpora, said in every row's `data`:
- `real` (10^3 only): 1,000 real passages, windows of one to six consecutive sentences of the
  bundled paper, embedded with the real model; queries are the hand-built set's questions;
- `clustered`: random normalised 384-d vectors around topic centres (50 passages a topic,
  noise of the centre's own scale: cosine about 0.5 inside a topic, about 0 across), the
  shape of real sentence embeddings; queries drawn the same way;
- `uniform`: random normalised 384-d vectors, no structure at all: the worst case for any
  approximate index (every vector is nearly orthogonal to every other).
Per size: exact search (`IndexFlatIP`) against `index.build.ivf_index` (IndexIVFFlat, nlist
about 4 sqrt(n), nprobe tuned by the index itself on its own vectors), build seconds, index
bytes (faiss serialised), single-query p50/p95, and recall@10 against exact on held-out
queries; BM25 (bm25s) over synthetic text drawn from the paper's stemmed vocabulary with its
word frequencies, 60 words a passage. Writes growth.json, growth.md and growth.png to --out.
Leaves out the engine's other per-query costs (sentence cosines, answers): they do not depend
on the corpus size through FAISS.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import time
from pathlib import Path

import numpy as np

from index.embed import DIM

from .searchtime import index_bytes, latencies

QUERIES = 200
TOPIC = 50  # passages a topic in the clustered corpora
WORDS = 60  # words a synthetic BM25 passage


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def synthetic(n: int, kind: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(n corpus vectors, QUERIES query vectors), normalised, float32."""
    if kind not in ("uniform", "clustered"):
        raise ValueError(f"expected kind uniform or clustered, got {kind!r}")
    rng = np.random.default_rng(seed)
    if kind == "uniform":
        return (unit(rng.standard_normal((n, DIM), dtype=np.float32)),
                unit(rng.standard_normal((QUERIES, DIM), dtype=np.float32)))
    centres = rng.standard_normal((max(1, n // TOPIC), DIM), dtype=np.float32)
    out = []
    for m in (n, QUERIES):
        x = rng.standard_normal((m, DIM), dtype=np.float32)
        x += centres[rng.integers(0, len(centres), m)]
        out.append(unit(x))
    return out[0], out[1]


def real_corpus(engine, questions: list[str], n: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """n windows of 1-6 consecutive sentences of the paper, and the questions, embedded."""
    sents = [s.text for s in engine.data.sentences]
    texts = [" ".join(sents[i:i + w]) for w in range(1, 7) for i in range(len(sents) - w + 1)]
    return engine.embedder.encode(texts[:n]), engine.embedder.encode(questions)


def vector_rows(vecs: np.ndarray, queries: np.ndarray, data: str, timed: int,
                hnsw: bool = False) -> list[dict]:
    """Exact and IVF rows for one corpus (and HNSW's, `eval.perf.hnsw`, with `hnsw`); `timed`
    queries are timed one at a time."""
    from index.build import flat_index, ivf_index, recall_at

    n, rows = len(vecs), []
    t0 = time.perf_counter()
    flat = flat_index(vecs)
    build = time.perf_counter() - t0
    truth = flat.search(queries, 10)[1]
    ms = latencies(flat, queries[:timed])
    rows.append({"n": n, "data": data, "index": "IndexFlatIP", "build_s": build,
                 "bytes": index_bytes(flat), "p50_ms": statistics.median(ms),
                 "p95_ms": float(np.percentile(ms, 95)), "recall_at_10": 1.0})
    del flat
    t0 = time.perf_counter()
    ivf = ivf_index(vecs)
    build = time.perf_counter() - t0
    ms = latencies(ivf, queries[:timed])
    rows.append({"n": n, "data": data, "index": "IndexIVFFlat", "build_s": build,
                 "bytes": index_bytes(ivf), "p50_ms": statistics.median(ms),
                 "p95_ms": float(np.percentile(ms, 95)), "nlist": int(ivf.nlist),
                 "nprobe": int(ivf.nprobe),
                 "recall_at_10": recall_at(ivf.search(queries, 10)[1], truth)})
    rows += sweep(ivf, queries, truth, n, data, timed)
    del ivf
    if hnsw:
        from .hnsw import hnsw_rows

        rows += hnsw_rows(vecs, queries, truth, data, timed)
    return rows


def sweep(ivf, queries: np.ndarray, truth: np.ndarray, n: int, data: str,
          timed: int) -> list[dict]:
    """Held-out recall and p50 for each power-of-two nprobe below the self-tuned one: the
    curve, and the cheapest setting that would meet recall@10 >= 0.95 on these queries."""
    from index.build import recall_at

    tuned, out, nprobe = ivf.nprobe, [], 1
    while nprobe < tuned:
        ivf.nprobe = nprobe
        recall = recall_at(ivf.search(queries, 10)[1], truth)
        ms = latencies(ivf, queries[:timed])
        out.append({"n": n, "data": data, "index": "IndexIVFFlat sweep", "build_s": 0.0,
                    "bytes": 0, "p50_ms": statistics.median(ms),
                    "p95_ms": float(np.percentile(ms, 95)), "nlist": int(ivf.nlist),
                    "nprobe": nprobe, "recall_at_10": recall})
        if recall >= 0.95:
            break
        nprobe *= 2
    ivf.nprobe = tuned
    return out


def vocabulary() -> tuple[list[str], np.ndarray]:
    """The paper's stemmed content words and their frequencies (what BM25 indexes)."""
    from collections import Counter

    from corpus import PAPER
    from index.build import tokenize

    counts = Counter(w for doc in tokenize([PAPER.read_text(encoding="utf-8")]) for w in doc)
    words = sorted(counts)
    freq = np.array([counts[w] for w in words], dtype=np.float64)
    return words, freq / freq.sum()


def bm25_row(n: int, words: list[str], probs: np.ndarray, queries: list[list[str]],
             seed: int = 0) -> dict:
    """bm25s over n synthetic passages, given as token ids (no text to tokenise)."""
    import bm25s

    rng = np.random.default_rng(seed)
    ids = rng.choice(len(words), size=(n, WORDS), p=probs).astype(np.int32)
    t0 = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenization.Tokenized(ids=ids.tolist(),
                                                 vocab={w: i for i, w in enumerate(words)}),
                    show_progress=False)
    build = time.perf_counter() - t0
    size = sum(a.nbytes for a in retriever.scores.values() if hasattr(a, "nbytes"))
    ms = []
    for q in queries:
        t0 = time.perf_counter()
        retriever.get_scores(q)
        ms.append(1000 * (time.perf_counter() - t0))
    return {"n": n, "data": "synthetic text", "index": "bm25s", "build_s": build, "bytes": size,
            "p50_ms": statistics.median(ms), "p95_ms": float(np.percentile(ms, 95))}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(sizes: list[int], engine=None, questions: list[str] | None = None,
        bm25_max: int = 1_000_000, log=print, hnsw: tuple[str, ...] = ("clustered",),
        kinds: tuple[str, ...] = ("clustered", "uniform")) -> list[dict]:
    """Every row; `engine` and `questions` add the real-text corpus at 10^3. HNSW is built
    for the corpora named in `hnsw` only (on uniform vectors its build at 10^5 took 187 s
    here, so 10^6 would take most of an hour)."""
    from index.build import tokenize

    rows = []
    if engine is not None and questions:
        vecs, qs = real_corpus(engine, questions)
        rows += vector_rows(vecs, qs, "real", len(qs))
        log(f"real 1000: done, peak RSS {peak_rss_mb():.0f} MB")
    words, probs = vocabulary()
    qtokens = [t for t in tokenize(questions or ["women defectors"]) if t]
    for n in sizes:
        for kind in kinds:
            vecs, qs = synthetic(n, kind)
            rows += [r | {"peak_rss_mb": peak_rss_mb()}
                     for r in vector_rows(vecs, qs, kind, 50 if n >= 500_000 else QUERIES,
                                          kind in hnsw)]
            del vecs
            log(f"{kind} {n}: done, peak RSS {peak_rss_mb():.0f} MB")
        if n <= bm25_max:
            rows.append(bm25_row(n, words, probs, qtokens) | {"peak_rss_mb": peak_rss_mb()})
            log(f"bm25 {n}: done")
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| n | data | index | build s | MB | p50 ms | p95 ms | nlist/nprobe, efSearch "
             "| recall@10 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        probe = f"{r['nlist']}/{r['nprobe']}" if "nlist" in r else \
            f"ef {r['ef_search']}" if "ef_search" in r else ""
        recall = f"{r['recall_at_10']:.3f}" if "recall_at_10" in r else ""
        lines.append(f"| {r['n']:,} | {r['data']} | {r['index']} | {r['build_s']:.2f} | "
                     f"{r['bytes'] / 2**20:.1f} | {r['p50_ms']:.3f} | {r['p95_ms']:.3f} | "
                     f"{probe} | {recall} |")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    series = sorted({(r["data"], r["index"]) for r in rows
                     if r["data"] != "real" and "sweep" not in r["index"]})
    for data, index in series:
        pts = sorted((r["n"], r["p50_ms"], r["bytes"]) for r in rows
                     if r["data"] == data and r["index"] == index)
        label = index if index == "bm25s" else f"{index} ({data})"
        ax1.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
        ax2.plot([p[0] for p in pts], [p[2] / 2**20 for p in pts], marker="o", label=label)
    ax1.axhline(10, color="grey", ls="--", lw=0.8)
    ax1.set(xscale="log", yscale="log", xlabel="passages", ylabel="query p50 (ms)",
            title="single-query latency (10 ms target dashed)")
    ax2.set(xscale="log", yscale="log", xlabel="passages", ylabel="index size (MB)",
            title="memory of the index")
    ax1.legend(fontsize=7)
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(args) -> int:
    import sys

    from index import open_engine
    from ingest import InputError
    from ingest.questions import read_questions

    from ..questions import DEFAULT_SET

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 100:
        raise InputError(f"--sizes: expected whole numbers of at least 100, got {args.sizes!r}")
    engine = open_engine(args.paper, args.home)
    questions = [q.question for q in read_questions(DEFAULT_SET)[0]]
    rows = run(sizes, engine, questions, log=lambda m: print(m, file=sys.stderr, flush=True))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "growth.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    (out / "growth.md").write_text(f"{table(rows)}\n\nload average {load} at the end\n",
                                   encoding="utf-8")
    plot(rows, out / "growth.png")
    print(json.dumps(rows) if args.json else table(rows))
    return 0
