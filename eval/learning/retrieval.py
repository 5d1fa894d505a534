"""`python -m eval.learning.retrieval`: the retrieval defaults, measured on every corpus paper.

Chunk size and the fusion weight alpha (dense against BM25) on the answerable questions of
each paper: recall@5, recall within the 2,000-character budget and MRR@10, the passages made
distinct as the engine makes them. Retrieval learns nothing from a paper, so the mean over
papers is what a left-out paper would see; the setting with the best mean of recall@5 and
budget recall wins (recall@5 alone favours ever longer passages). Writes the "Retrieval
across papers" section of eval/tuning.md. Leaves out writing the choice into
`index/config.py`: a person does that.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np

CHARS = (450, 600, 800)
ALPHAS = (0.7, 0.8, 0.9, 1.0)
HEAD = "## Retrieval across papers"


def measure(engine, questions) -> tuple[float, float, float]:
    """(recall@5, budget recall, MRR@10) over the answerable questions."""
    from index.passages import dress

    from ..metrics import budget_recall
    from ..relevance import covered_golds

    r5, budget, rr = [], [], []
    for q in (q for q in questions if q.gold):
        hits = engine.retrieve(q.question, k=10).hits
        found, texts, first = set(), [], None
        for rank, h in enumerate(hits, start=1):
            p = dress(engine.data, h, rank, set())
            text = "\n".join([p.text, *(f.source for f in p.footnotes if f.source)])
            texts.append(text)
            held = covered_golds(text, q.gold)
            found |= held if rank <= 5 else set()
            first = first or (rank if held else None)
        r5.append(len(found) / len(q.gold))
        budget.append(budget_recall(texts, q.gold, 2000))
        rr.append(1 / first if first else 0.0)
    return float(np.mean(r5)), float(np.mean(budget)), float(np.mean(rr))


def main() -> None:
    import corpus
    from index import Config, open_engine
    from index.embed import Embedder
    from ingest import Chunking
    from ingest.questions import read_questions

    from .__main__ import NOTES
    from .report import replace_section

    parser = argparse.ArgumentParser(prog="python -m eval.learning.retrieval")
    parser.add_argument("--home", help="index folder (default: the user cache)")
    args = parser.parse_args()
    embedder = Embedder()
    slugs = [p.slug for p in corpus.papers()]
    lines = [HEAD, "", "`python -m eval.learning.retrieval`: hybrid search, late interaction "
             "0.5, on the answerable questions of every corpus paper.", "",
             "| chunk chars | alpha | recall@5 per paper (" + ", ".join(slugs) + ") | "
             "recall@5 | budget recall | MRR@10 |", "|---|---|---|---|---|---|"]
    best = None
    for chars in CHARS:
        config = Config(chunking=Chunking(chars=chars, overlap=1))
        engines = [(open_engine(p.path, args.home, config=config, embedder=embedder),
                    read_questions(p.questions)[0]) for p in corpus.papers()]
        for alpha in ALPHAS:
            c = replace(config, search=replace(config.search, alpha=alpha))
            rows = np.array([measure(replace(e, config=c), qs) for e, qs in engines])
            mean = rows.mean(axis=0)
            lines.append(f"| {chars} | {alpha} | " + " ".join(f"{x:.2f}" for x in rows[:, 0])
                         + f" | {mean[0]:.3f} | {mean[1]:.3f} | {mean[2]:.3f} |")
            print(lines[-1], flush=True)
            key = (mean[0] + mean[1]) / 2
            if best is None or key > best[0]:
                best = (key, chars, alpha)
    lines += ["", f"Best mean of recall@5 and budget recall: {best[1]} characters, alpha "
              f"{best[2]}.", ""]
    replace_section(NOTES, HEAD, lines)


if __name__ == "__main__":
    main()
