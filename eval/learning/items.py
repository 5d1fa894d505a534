"""What learning needs of every question, gathered once per paper: its retrieval, its
candidates (from the widest pool tried) with their features, and which of them hold a gold
quote.

The kind-dependent feature (`match`) depends on a kind model that is itself learned, so
candidates are gathered with no kind and `with_kind` fills that column in for the
probabilities a given model gives; a smaller pool is the candidates of its first passages
(`within`). Leaves out fitting (`fit`) and which papers each model sees (`folds`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from index.answers.candidates import FEATURES, Candidates, candidates, late_rows, unit_text
from index.answers.kinds import answered_by, asking
from ingest.questions import Question

from ..relevance import covered_golds

WIDEST = 5  # passages the candidates come from at most (the pools tried are within it)
K = 10  # passages retrieved, as the benchmark scores them
MATCH = FEATURES.index("match")


@dataclass(frozen=True, eq=False)
class Item:
    paper: str
    group: str  # the papers of one work (chapters of one book) are left out together
    question: Question
    retrieval: object  # index.Retrieval
    cands: Candidates  # from the widest pool, `match` not yet filled in
    labels: np.ndarray  # per candidate: it holds a gold quote
    asking: tuple[str, ...]
    token_best: dict[int, np.ndarray]  # per pool size: `Candidates.token_best` of that pool

    @property
    def answerable(self) -> bool:
        return bool(self.question.gold)


@dataclass(frozen=True, eq=False)
class Paper:
    slug: str
    group: str
    engine: object  # index.Engine over the paper
    items: tuple[Item, ...]


def collect(slug: str, group: str, engine, questions: list[Question]) -> Paper:
    data = engine.data
    items = []
    for q in questions:
        retrieval = engine.retrieve(q.question, k=K)
        cands = candidates(data, retrieval, {}, WIDEST)
        labels = np.array([bool(q.gold) and bool(covered_golds(unit_text(data, u), q.gold))
                           for u in cands.units], bool)
        best = {pool: late_rows(data, retrieval.query.tokens,
                                [u for u, r in zip(cands.units, cands.ranks, strict=True)
                                 if r <= pool])[2] for pool in range(1, WIDEST + 1)}
        items.append(Item(slug, group, q, retrieval, cands, labels, asking(q.question), best))
    return Paper(slug, group, engine, tuple(items))


def with_kind(cands: Candidates, probs: dict[str, float]) -> Candidates:
    """The candidates with `match` computed for these kind probabilities."""
    matrix = cands.matrix.copy()
    matrix[:, MATCH] = [answered_by(probs, t) for t in cands.types]
    return replace(cands, matrix=matrix)


def within(cands: Candidates, labels: np.ndarray, pool: int,
           token_best: np.ndarray | None = None) -> tuple[Candidates, np.ndarray]:
    """The candidates of the first `pool` passages (and their labels), with `token_best` the
    question's best token matches among those alone (as `footnoted ask` computes them)."""
    keep = np.array([r <= pool for r in cands.ranks], bool)
    best = cands.token_best if token_best is None else token_best
    if keep.all():
        return replace(cands, token_best=best), labels
    idx = np.flatnonzero(keep)
    return replace(cands, units=tuple(cands.units[i] for i in idx),
                   ranks=tuple(cands.ranks[i] for i in idx), matrix=cands.matrix[idx],
                   types=tuple(cands.types[i] for i in idx), token_best=best), labels[idx]
