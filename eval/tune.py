"""Chooses the retrieval defaults by measurement on the dev split only; the test split is
never read.

    python -m eval.tune [--out eval/tuning.md]

Stage 1 (retrieval): chunk size, overlap, index text, dense scoring and fusion, scored by
recall within the 2,000-character budget, then MRR@10. Stage 1b: on that chunking, the fusion
weight and the weight of late interaction, by the same key. The answer's models are learned
across papers by `eval.learning`, whose section of the log this keeps.
Writes a markdown log of every configuration tried, so the choice can be checked. Each setting
is a new engine (`dataclasses.replace`) on the engine's own question path.
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
                        answer=AnswerConfig(threshold=1.0))
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
            "The answer models are learned across papers by `python -m eval.learning`: see "
            "its section below.", ""]
    text = Path(args.out).read_text(encoding="utf-8") if Path(args.out).is_file() else ""
    head = "## Learned across papers"  # it and the sections after it are kept
    learned = text[text.index(head):] if head in text else ""
    Path(args.out).write_text("\n".join(log) + ("\n" + learned if learned else ""),
                              encoding="utf-8")
    print(f"chosen: {choice}, alpha={search.alpha}, late={search.late}; log in {args.out}")


if __name__ == "__main__":
    main()
