"""Scores every chunk for a question: dense, BM25, and their fusion.

Dense: cosine of the question with the chunk's own vector and, with sentence-level matching,
with the best of its sentences and of the sources its footnotes cite (a chunk is as close as
its closest sentence), mixed with word-level late interaction (`late`) when the index holds
token vectors. BM25: bm25s scores over the same chunk texts. Hybrid: min-max
normalised scores mixed with weight `alpha` on dense ("score" fusion) or reciprocal rank fusion
("rrf"); which one and which weight was chosen by measurement on the dev split (eval/), and
lives in `config.SearchConfig`.
Leaves out the answer sentences (`answer`) and the model (the caller passes the vectors).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import late
from .build import IndexData, is_exact, tokenize
from .config import SearchConfig
from .records import Query

Lap = Callable[[str], None]  # called with a stage's name as it ends (`footnoted bench`)


def no_lap(stage: str) -> None:
    return None


CANDIDATES = 200  # chunks an approximate index returns per question (k is at most 50)


def chunk_cosines(data: IndexData, qvec: np.ndarray, candidates: int = CANDIDATES) -> np.ndarray:
    """Cosine of the question with every chunk vector. Exact (flat) index: all n scored. An
    approximate index returns only its top `candidates`; every other chunk gets the lowest of
    their cosines, an upper bound on its own, so it ranks after them and min-max fusion
    keeps the candidates' range."""
    n = len(data.chunks)
    out = np.zeros(n, dtype=np.float32)
    if not n:
        return out
    if is_exact(data.faiss_index):
        scores, ids = data.faiss_index.search(qvec[None, :], n)
        out[ids[0]] = scores[0]
        return out
    scores, ids = data.faiss_index.search(qvec[None, :], min(candidates, n))
    found = ids[0] >= 0
    out[:] = scores[0][found].min() if found.any() else -1.0
    out[ids[0][found]] = scores[0][found]
    return out


def unit_cosines(data: IndexData, qvec: np.ndarray) -> np.ndarray:
    """Per chunk, the best cosine among its sentences and its cited footnotes' sources."""
    sent = data.sentence_vecs @ qvec if len(data.sentence_vecs) else np.zeros(0, np.float32)
    notes = data.note_vecs @ qvec if len(data.note_vecs) else np.zeros(0, np.float32)
    return late.chunk_scores(np.concatenate([sent, notes]), *data.unit_members)


def late_scores(data: IndexData, qtok: np.ndarray) -> np.ndarray:
    """Per chunk, the late-interaction (MaxSim) score of its best sentence or cited source."""
    per_sentence = late.sentence_scores(qtok, data.token_vecs, data.token_offsets)
    return late.chunk_scores(per_sentence, *data.chunk_members)


def dense_scores(data: IndexData, qvec: np.ndarray, how: str, qtok: np.ndarray | None = None,
                 late_weight: float = 0.0, lap: Lap = no_lap) -> np.ndarray:
    whole = chunk_cosines(data, qvec)
    lap("faiss")
    if how == "chunk":
        dense = whole
    else:
        units = unit_cosines(data, qvec)
        dense = np.maximum(whole, units) if how == "max" else 0.5 * whole + 0.5 * units
    lap("sentence_cosines")
    dense = with_late(data, dense, qtok, late_weight)
    lap("late")
    return dense


def with_late(data: IndexData, dense: np.ndarray, qtok: np.ndarray | None,
              weight: float) -> np.ndarray:
    """The dense scores mixed with late interaction at `weight` (min-max normalised both);
    unchanged when the weight is 0, the question has no token vectors or the index none."""
    if weight <= 0 or qtok is None or len(qtok) == 0 or not data.has_tokens:
        return dense
    return (1 - weight) * minmax(dense) + weight * minmax(late_scores(data, qtok))


def bm25_scores(data: IndexData, question: str) -> np.ndarray:
    tokens = tokenize([question])[0]
    if not tokens or data.bm25 is None:
        return np.zeros(len(data.chunks), dtype=np.float32)
    return np.asarray(data.bm25.get_scores(tokens), dtype=np.float32)


def minmax(x: np.ndarray) -> np.ndarray:
    if len(x) == 0 or float(x.max() - x.min()) == 0.0:
        return np.zeros_like(x)
    return (x - x.min()) / (x.max() - x.min())


def rrf(*scores: np.ndarray, k: int = 60) -> np.ndarray:
    out = np.zeros_like(scores[0], dtype=np.float64)
    for s in scores:
        ranks = np.empty(len(s), dtype=np.int64)
        ranks[np.argsort(-s, kind="stable")] = np.arange(1, len(s) + 1)
        out += 1.0 / (k + ranks)
    return out.astype(np.float32)


def scores(data: IndexData, query: Query, cfg: SearchConfig, lap: Lap = no_lap) -> np.ndarray:
    """Every chunk's score for `query` in its mode. Without token vectors (`query.tokens`)
    the late-interaction part of the dense score is left out. `lap` is told as each stage
    ends: faiss, sentence_cosines, late, bm25, fusion."""
    if query.mode == "bm25":
        out = bm25_scores(data, query.text)
        lap("bm25")
        return out
    dense = dense_scores(data, query.vector, cfg.dense, query.tokens, cfg.late, lap)
    if query.mode == "dense":
        return dense
    sparse = bm25_scores(data, query.text)
    lap("bm25")
    if cfg.fusion == "rrf":
        out = rrf(dense, sparse, k=cfg.rrf_k)
    else:
        out = cfg.alpha * minmax(dense) + (1 - cfg.alpha) * minmax(sparse)
    lap("fusion")
    return out


