"""Chooses the defaults by measurement on the dev split only; the test split is never read.

    python -m eval.tune [--out eval/tuning.md]

Stage 1 (retrieval): chunk size, overlap, index text, dense scoring and fusion, scored by
recall within the 2,000-character budget, then MRR@10. Stage 1b: on that chunking, the fusion
weight and the weight of late interaction, by the same key. Stage 2 (answer): sentence pool,
margin and keyword weight, scored by answer hit plus the abstention balance. Stage 3: the
abstention threshold: the best (abstention recall - false abstention) with false abstention at
most 5%, ties going to the highest threshold (a floor for questions far from the paper).
Writes a markdown log of every configuration tried, so the choice can be checked. Each setting
is a new engine (`dataclasses.replace`); the stages run the engine's own question path.
Leaves out writing the chosen values into `index/config.py`: a person does that.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

from index.config import AnswerConfig, Config, SearchConfig
from ingest import Chunking

from .questions import DEFAULT_SET
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


def with_search(engine, search: SearchConfig):
    return replace(engine, config=replace(engine.config, search=search))


def with_answer(engine, **changes):
    return replace(engine, config=replace(engine.config, answer=replace(engine.config.answer,
                                                                         **changes)))


def retrieval_key(engine, dev) -> tuple[tuple[float, float], dict]:
    s = summarize(run(engine.ask, dev, "hybrid", engine.config.mode))
    return (round(s["budget_recall"], 4), round(s["mrr@10"], 4)), s


def stage_retrieval(doc, emb, dev, log: list[str]):
    """The chunking, index text, dense scoring and fusion with the best key; the engine built
    for it, carrying that search setting."""
    from .systems import engine_variant

    best = None
    for cc, ov, var in itertools.product(CHUNKS, OVERLAPS, VARIANTS):
        config = Config(chunking=Chunking(chars=cc, overlap=ov), index_text=var,
                        answer=AnswerConfig(abstain_below=-1.0))
        built = engine_variant(doc, emb, config)
        for dense, fusion, alpha in SEARCHES:
            engine = with_search(built, SearchConfig(dense=dense, fusion=fusion, alpha=alpha,
                                                     late=0.0))
            key, s = retrieval_key(engine, dev)
            log.append(f"| {cc} | {ov} | {var} | {dense} | {fusion} | {alpha} | "
                       f"{s['budget_recall']:.3f} | {s['mrr@10']:.3f} | {s['recall@5']:.3f} |")
            if best is None or key > best[0]:
                best = (key, engine, (cc, ov, var, dense, fusion, alpha))
    return best


def stage_late(engine, dev, log: list[str]):
    """On the chosen chunking and dense scoring: the fusion weight and the weight of late
    interaction inside the dense score, by the same key as stage 1; the engine carrying them."""
    base = engine.config.search
    best = None
    for alpha, late in itertools.product(ALPHAS, LATES):
        variant = with_search(engine, replace(base, alpha=alpha, late=late))
        key, s = retrieval_key(variant, dev)
        log.append(f"| {alpha} | {late} | {s['budget_recall']:.3f} | {s['mrr@10']:.3f} | "
                   f"{s['recall@5']:.3f} | {s['answer_hit']:.3f} |")
        if best is None or key > best[0]:
            best = (key, variant)
    return best[1]


def stage_answer(engine, dev, log: list[str]):
    """The sentence pool, margin and keyword weight with the best answer hit plus abstention
    balance; the engine carrying them."""
    best = None
    for pool, margin, weight in itertools.product((1, 2, 3), (0.03, 0.06, 0.1), (0.0, 0.2, 0.4)):
        variant = with_answer(engine, pool=pool, margin=margin, overlap_weight=weight,
                              abstain_below=0.0)
        s = summarize(run(variant.ask, dev, "hybrid", variant.config.mode))
        balance = s["abstention_recall"] - s["false_abstention"]
        log.append(f"| {pool} | {margin} | {weight} | {s['answer_hit']:.3f} | {balance:.3f} | "
                   f"{s['answer_chars']:.0f} |")
        key = (round(s["answer_hit"] + balance, 4), -s["answer_chars"])
        if best is None or key > best[0]:
            best = (key, with_answer(engine, pool=pool, margin=margin, overlap_weight=weight))
    return best[1]


def stage_threshold(engine, dev, log: list[str]) -> float:
    """The highest cosine threshold that keeps false abstention on dev at or below 5%, with
    every other abstention check the engine makes (`Engine.verdict`). Each question is
    retrieved once; only the verdict is redone per threshold."""
    found = [(q, engine.evidence(engine.retrieve(q.question, k=10)))
             for q in dev]
    n_ok = sum(q.answerable for q, _ in found)
    n_no = len(found) - n_ok
    best, chosen = -1.0, 0.0
    for t in sorted({round(e.strength - d, 3) for _, e in found for d in (0.0, 0.001)} | {0.0}):
        judge = with_answer(engine, abstain_below=t)
        abst = [(q.answerable, judge.verdict(e) is not None) for q, e in found]
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
    from ingest.questions import read_questions

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
    _, engine, choice = stage_retrieval(doc, emb, dev, log)
    log += ["", f"Chosen: {choice}", "", "## Stage 1b: late interaction", "",
            "On that chunking and dense scoring: the fusion weight alpha and the weight of "
            "late interaction (word-level MaxSim, index/late.py) inside the dense score.", "",
            "| alpha | late | budget recall | MRR@10 | recall@5 | answer hit |",
            "|---|---|---|---|---|---|"]
    engine = stage_late(engine, dev, log)
    search = engine.config.search
    log += ["", f"Chosen: alpha={search.alpha}, late={search.late}", "",
            "## Stage 2: answer sentences", "",
            "Scored by answer hit plus (abstention recall - false abstention), the number "
            "checks of index/abstain.py on and no cosine floor.", "",
            "| pool | margin | keyword weight | answer hit | abstention balance | answer chars |",
            "|---|---|---|---|---|---|"]
    engine = stage_answer(engine, dev, log)
    answer = engine.config.answer
    log += ["", f"Chosen: pool={answer.pool}, margin={answer.margin}, keyword weight="
            f"{answer.overlap_weight}", "", "## Stage 3: abstention threshold", "",
            "| threshold | abstention recall | false abstention |", "|---|---|---|"]
    threshold = stage_threshold(engine, dev, log)
    log += ["", f"Chosen: abstain below {threshold:.3f}", ""]
    Path(args.out).write_text("\n".join(log), encoding="utf-8")
    print(f"chosen: {choice}, alpha={search.alpha}, late={search.late}, pool={answer.pool}, "
          f"margin={answer.margin}, weight={answer.overlap_weight}, "
          f"threshold={threshold:.3f}; log in {args.out}")


if __name__ == "__main__":
    main()
