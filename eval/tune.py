"""Chooses the defaults by measurement on the dev split only; the test split is never read.

    python -m eval.tune [--out eval/tuning.md]

Stage 1 (retrieval): chunk size, overlap, index text, dense scoring and fusion, scored by
recall within the 2,000-character budget, then MRR@10. Stage 1b: on that chunking, the fusion
weight and the weight of late interaction, by the same key. Stage 2 (answer): sentence pool,
margin and keyword weight, scored by answer hit plus the abstention balance. Stage 3: the
abstention threshold: the best (abstention recall - false abstention) with false abstention at
most 5%, ties going to the highest threshold (a floor for questions far from the paper).
Writes a markdown log of every configuration tried, so the choice can be checked.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

from .questions import DEFAULT_SET, read_questions
from .scoring import run, summarize

CHUNKS = (300, 450, 600, 800)
OVERLAPS = (1, 2)
VARIANTS = ("plain", "section", "sources")
SEARCHES = [("chunk", "score", 0.5), ("blend", "score", 0.5), ("max", "score", 0.5),
            ("blend", "score", 0.3), ("blend", "score", 0.7), ("chunk", "score", 0.7),
            ("blend", "score", 0.8), ("blend", "score", 0.9), ("blend", "rrf", 0.5),
            ("chunk", "rrf", 0.5)]
ALPHAS = (0.6, 0.7, 0.8, 0.9)
LATES = (0.0, 0.3, 0.5, 0.7)


def stage_retrieval(doc, emb, dev, log: list[str]):
    from index.answer import AnswerConfig
    from index.search import SearchConfig
    from ingest import Settings

    from .systems import engine_variant

    best = None
    for cc, ov, var in itertools.product(CHUNKS, OVERLAPS, VARIANTS):
        engine = engine_variant(doc, emb, Settings(chunk_chars=cc, chunk_overlap=ov,
                                                   index_text=var),
                                answering=AnswerConfig(abstain_below=-1.0))
        for dense, fusion, alpha in SEARCHES:
            engine.search = SearchConfig(dense=dense, fusion=fusion, alpha=alpha, late=0.0)
            s = summarize(run(engine.ask, dev, "hybrid", "hybrid"))
            key = (round(s["budget_recall"], 4), round(s["mrr@10"], 4))
            log.append(f"| {cc} | {ov} | {var} | {dense} | {fusion} | {alpha} | "
                       f"{s['budget_recall']:.3f} | {s['mrr@10']:.3f} | {s['recall@5']:.3f} |")
            if best is None or key > best[0]:
                best = (key, engine, (cc, ov, var, dense, fusion, alpha))
    key, engine, choice = best
    # The loop went on to try other searches on the same engine: put the chosen one back.
    engine.search = SearchConfig(dense=choice[3], fusion=choice[4], alpha=choice[5], late=0.0)
    return key, engine, choice


def stage_late(engine, dev, log: list[str]) -> tuple[float, float]:
    """On the chosen chunking and dense scoring: the fusion weight and the weight of late
    interaction inside the dense score, by the same key as stage 1."""
    from index.search import SearchConfig

    base = engine.search
    best = None
    for alpha, late in itertools.product(ALPHAS, LATES):
        engine.search = SearchConfig(dense=base.dense, fusion=base.fusion, alpha=alpha,
                                     late=late)
        s = summarize(run(engine.ask, dev, "hybrid", "hybrid"))
        key = (round(s["budget_recall"], 4), round(s["mrr@10"], 4))
        log.append(f"| {alpha} | {late} | {s['budget_recall']:.3f} | {s['mrr@10']:.3f} | "
                   f"{s['recall@5']:.3f} | {s['answer_hit']:.3f} |")
        if best is None or key > best[0]:
            best = (key, (alpha, late))
    alpha, late = best[1]
    engine.search = SearchConfig(dense=base.dense, fusion=base.fusion, alpha=alpha, late=late)
    return alpha, late


def stage_answer(engine, dev, log: list[str]):
    best = None
    for pool, margin, weight in itertools.product((1, 2, 3), (0.03, 0.06, 0.1), (0.0, 0.2, 0.4)):
        engine.answering = replace(engine.answering, pool=pool, margin=margin,
                                   overlap_weight=weight, abstain_below=0.0)
        s = summarize(run(engine.ask, dev, "hybrid", "hybrid"))
        balance = s["abstention_recall"] - s["false_abstention"]
        log.append(f"| {pool} | {margin} | {weight} | {s['answer_hit']:.3f} | {balance:.3f} | "
                   f"{s['answer_chars']:.0f} |")
        key = (round(s["answer_hit"] + balance, 4), -s["answer_chars"])
        if best is None or key > best[0]:
            best = (key, (pool, margin, weight))
    return best[1]


def stage_threshold(engine, dev, log: list[str]) -> float:
    """The highest cosine threshold that keeps false abstention on dev at or below 5%,
    with the number checks of `index.abstain` applied as in the engine."""
    from index.abstain import reason_to_abstain
    from index.answer import pick_sentences
    from index.search import scores, top_k

    rows = []
    for q in dev:
        qvec, qtok = engine.embedder.encode_query(q.question)
        hits = top_k(scores(engine.data, qvec, q.question, "hybrid", engine.search, qtok), 10)
        picks, strength = pick_sentences(engine.data, hits, qvec, q.question, engine.answering)
        texts = [engine.data.sentences[p.sentence].text for p in picks]
        rows.append((q, strength, texts))
    n_ok = sum(q.answerable for q, _, _ in rows)
    n_no = len(rows) - n_ok
    best, chosen = -1.0, 0.0
    for t in sorted({round(s - d, 3) for _, s, _ in rows for d in (0.0, 0.001)} | {0.0}):
        abst = [(q.answerable, reason_to_abstain(q.question, s, t, texts, engine.data.numbers)
                 is not None) for q, s, texts in rows]
        false = sum(a for ok, a in abst if ok) / max(1, n_ok)
        caught = sum(a for ok, a in abst if not ok) / max(1, n_no)
        log.append(f"| {t:.3f} | {caught:.3f} | {false:.3f} |")
        if false <= 0.05 and caught - false >= best:  # ties go to the higher floor
            best, chosen = caught - false, t
    return chosen


def main() -> None:
    from corpus import PAPER
    from index.embed import Embedder
    from ingest import load_document

    parser = argparse.ArgumentParser(prog="python -m eval.tune")
    parser.add_argument("--out", default=str(Path(__file__).with_name("tuning.md")))
    args = parser.parse_args()
    questions, _ = read_questions(DEFAULT_SET)
    dev = [q for q in questions if q.split == "dev"]
    doc, emb = load_document(PAPER), Embedder()
    log = ["# Tuning on the dev split", "", f"{len(dev)} dev questions; the test split is "
           "not read.", "", "## Stage 1: retrieval (hybrid)", "",
           "| chunk chars | overlap | index text | dense | fusion | alpha | budget recall "
           "| MRR@10 | recall@5 |", "|---|---|---|---|---|---|---|---|---|"]
    (_, engine, choice) = stage_retrieval(doc, emb, dev, log)
    log += ["", f"Chosen: {choice}", "", "## Stage 1b: late interaction", "",
            "On that chunking and dense scoring: the fusion weight alpha and the weight of "
            "late interaction (word-level MaxSim, index/late.py) inside the dense score.", "",
            "| alpha | late | budget recall | MRR@10 | recall@5 | answer hit |",
            "|---|---|---|---|---|---|"]
    alpha, late = stage_late(engine, dev, log)
    log += ["", f"Chosen: alpha={alpha}, late={late}", "", "## Stage 2: answer sentences", "",
            "Scored by answer hit plus (abstention recall - false abstention), the number "
            "checks of index/abstain.py on and no cosine floor.", "",
            "| pool | margin | keyword weight | answer hit | abstention balance | answer chars |",
            "|---|---|---|---|---|---|"]
    pool, margin, weight = stage_answer(engine, dev, log)
    engine.answering = replace(engine.answering, pool=pool, margin=margin, overlap_weight=weight)
    log += ["", f"Chosen: pool={pool}, margin={margin}, keyword weight={weight}", "",
            "## Stage 3: abstention threshold", "",
            "| threshold | abstention recall | false abstention |", "|---|---|---|"]
    threshold = stage_threshold(engine, dev, log)
    log += ["", f"Chosen: abstain below {threshold:.3f}", ""]
    Path(args.out).write_text("\n".join(log), encoding="utf-8")
    print(f"chosen: {choice}, alpha={alpha}, late={late}, pool={pool}, margin={margin}, "
          f"weight={weight}, "
          f"threshold={threshold:.3f}; log in {args.out}")


if __name__ == "__main__":
    main()
