"""The sentence model: which candidate sentence answers (dev split only, `eval.learn`).

A pairwise logistic ranker over `index.features` of each answerable dev question's candidate
sentences (positive: the sentence holds a gold quote), on standardised features, with no
intercept (only differences between one question's candidates matter) and each weight kept to
the sign in `RANK_SIGNS` (`eval.signed`). Scored out of fold (5 folds grouped by question) and
with the question's type left out of training (`shifted_sentences`).
Leaves out choosing the pool, C and `join` (`eval.learn`) and applying it (`index.answer`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.features import SENTENCE, Candidates
from index.learned import Linear

from . import signed

FOLDS = 5
# How each sentence feature may move the ranker's score: +1 only up, 0 free. Free, word
# overlap and rare-word overlap took opposite signs (-2.1, +1.6) and the passage's rank and
# score did too; that held on dev and fell on a question type left out of training.
RANK_SIGNS = {"cos": 1, "late": 1, "restates": 0, "bm25": 1, "overlap": 1, "rare_overlap": 1,
              "inv_rank": 1, "score_ratio": 1, "holds": 1}


@dataclass(frozen=True, eq=False)
class Item:
    question: object  # ingest.questions.Question
    retrieval: object
    kind: object
    cands: Candidates
    labels: np.ndarray  # per candidate: holds a gold quote


def folds(n: int, k: int = FOLDS, seed: int = 0) -> np.ndarray:
    """A fold number per question (grouped: a question's rows stay together)."""
    return np.random.default_rng(seed).permutation(np.arange(n) % k)


def pairs(items: list[Item], scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Differences of (right, wrong) candidate rows of each question, both ways round."""
    rows, labels = [], []
    for it in items:
        good, bad = it.cands.matrix[it.labels], it.cands.matrix[~it.labels]
        for g in good:
            for b in bad:
                rows += [(g - b) / scale, (b - g) / scale]
                labels += [1, 0]
    return np.array(rows), np.array(labels)


def fit_ranker(items: list[Item], c: float) -> Linear:
    """A pairwise logistic ranker on standardised features (no intercept: only differences
    between one question's candidates matter), each weight kept to its sign in
    `RANK_SIGNS` (`eval.signed`)."""
    train = [it for it in items if it.question.gold and it.labels.any() and (~it.labels).any()]
    stacked = np.vstack([it.cands.matrix for it in train])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    rows, labels = pairs(train, scale)
    w, _ = signed.fit(rows, labels, c, tuple(RANK_SIGNS[n] for n in SENTENCE), intercept=False)
    return Linear(SENTENCE, tuple(map(float, mean)), tuple(map(float, scale)),
                  tuple(map(float, w)), 0.0)


def held_out(items: list[Item], groups: list, c: float) -> list[np.ndarray]:
    """Each item's candidates scored by a ranker trained without the items of its group."""
    out: list[np.ndarray] = [np.zeros(0)] * len(items)
    for g in set(groups):
        ranker = fit_ranker([it for it, h in zip(items, groups, strict=True) if h != g], c)
        for i, it in enumerate(items):
            if groups[i] == g and len(it.labels):
                out[i] = ranker.score(it.cands.matrix)
    return out


def shifted_sentences(items: list[Item], c: float) -> list[np.ndarray]:
    """Each item's candidates scored by a ranker trained without its question type (a
    paraphrase scored by a model that saw no paraphrase): a shift in wording."""
    return held_out(items, [it.question.type for it in items], c)


def oof_sentences(items: list[Item], c: float, seed: int = 0) -> list[np.ndarray]:
    """Out-of-fold ranker scores of every item's candidates."""
    return held_out(items, list(folds(len(items), seed=seed)), c)
