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
from dataclasses import dataclass

import numpy as np

from . import late
from .build import IndexData, is_exact, tokenize
from .config import SearchConfig
from .late_rows import similarities
from .records import Query

Lap = Callable[[str], None]  # called with a stage's name as it ends (`footnoted bench`)


def no_lap(stage: str) -> None:
    return None


def chunk_cosines(data: IndexData, qvec: np.ndarray,
                  candidates: int = SearchConfig.candidates) -> np.ndarray:
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
    per_sentence = late.sentence_scores(qtok, data.late_tokens, data.token_offsets)
    return late.chunk_scores(per_sentence, *data.chunk_members)


def late_of(data: IndexData, qtok: np.ndarray, chunks: np.ndarray) -> np.ndarray:
    """The late-interaction score of the chunks at `chunks` alone (as `late_scores` gives
    them), from their units' token rows only: a library question matches words late only
    in its first ranking's best chunks (`across.ranked`), read from the saved float16
    (`late_rows`)."""
    members, starts = data.chunk_members
    ends = np.append(starts[1:], len(members))
    counts = ends[chunks] - starts[chunks]
    out = np.full(len(chunks), -1.0, np.float32)
    if not counts.sum():
        return out
    mine = members[np.repeat(starts[chunks], counts) + ragged_range(counts)]  # units, by chunk
    wanted, at = np.unique(mine, return_inverse=True)
    off = data.token_offsets
    sizes = off[wanted + 1] - off[wanted]
    rows = np.repeat(off[wanted], sizes) + ragged_range(sizes)
    sims = similarities(qtok, data.token_vecs, rows)  # (pieces, rows)
    firsts = np.cumsum(sizes) - sizes
    per_unit = np.maximum.reduceat(sims, firsts, axis=1).mean(axis=0)  # MaxSim per unit
    filled = counts > 0
    out[filled] = np.maximum.reduceat(per_unit[at], (np.cumsum(counts) - counts)[filled])
    return out


def ragged_range(counts: np.ndarray) -> np.ndarray:
    """0..c-1 for each count c, back to back: [2, 3] -> [0, 1, 0, 1, 2]."""
    total = int(counts.sum())
    return np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)


def dense_scores(data: IndexData, qvec: np.ndarray, how: str, qtok: np.ndarray | None = None,
                 late_weight: float = 0.0, lap: Lap = no_lap) -> np.ndarray:
    raw = cosines(data, qvec, how, lap)
    dense = with_late(raw, late_part(data, qtok, late_weight), late_weight)
    lap("late")
    return dense


def cosines(data: IndexData, qvec: np.ndarray, how: str, lap: Lap = no_lap,
            candidates: int = SearchConfig.candidates) -> np.ndarray:
    """Per chunk, the dense cosine as `how` says: the chunk's own, its best unit's, or
    their mean (not normalised: one model's cosines compare across papers)."""
    whole = chunk_cosines(data, qvec, candidates)
    lap("faiss")
    if how == "chunk":
        lap("sentence_cosines")
        return whole
    units = unit_cosines(data, qvec)
    lap("sentence_cosines")
    return np.maximum(whole, units) if how == "max" else 0.5 * whole + 0.5 * units


def late_part(data: IndexData, qtok: np.ndarray | None, weight: float) -> np.ndarray | None:
    """Per chunk, its raw late-interaction score; None when the weight is 0, the question
    has no token vectors or the index none."""
    if weight <= 0 or qtok is None or len(qtok) == 0 or not data.has_tokens:
        return None
    return late_scores(data, qtok)


def with_late(dense: np.ndarray, late_raw: np.ndarray | None, weight: float) -> np.ndarray:
    """The dense scores mixed with late interaction at `weight` (min-max normalised both);
    unchanged without late scores. NaN in `late_raw` marks a chunk with none (a paper
    without token vectors among several, `across`): it takes its normalised dense score."""
    if late_raw is None or weight <= 0:
        return dense
    known = ~np.isnan(late_raw)
    if not known.any():
        return dense
    norm = minmax(dense)
    late_norm = norm.copy()
    late_norm[known] = minmax(late_raw[known])
    return (1 - weight) * norm + weight * late_norm


def question_words(question: str) -> list[str]:
    """The question's stemmed words, as BM25 matches them."""
    return tokenize([question])[0]


def bm25_scores(data: IndexData, question: str, words: list[str] | None = None) -> np.ndarray:
    """BM25 of every chunk; `words`, the question's (`question_words`), when already made
    (a library question makes them once for all its papers: 0.15 ms a paper)."""
    tokens = question_words(question) if words is None else words
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


@dataclass(frozen=True, eq=False)
class Parts:
    """A question's raw scores for every chunk of one paper, before any normalising, so that
    several papers' parts can be fused as if they were one index (`across.ranked`)."""

    dense: np.ndarray | None  # cosines (`cosines`); None in bm25 mode
    late: np.ndarray | None  # raw MaxSim (NaN: a chunk without token vectors); None: none
    bm25: np.ndarray | None  # None in dense mode


def parts(data: IndexData, query: Query, cfg: SearchConfig, lap: Lap = no_lap,
          with_late: bool = True, words: list[str] | None = None) -> Parts:
    """The raw scores `fuse` mixes (without late interaction when `with_late` is False;
    `words`: the question's for BM25, when already made); `lap` is told as each stage ends:
    faiss, sentence_cosines, late, bm25."""
    dense = late = sparse = None
    if query.mode != "bm25":
        dense = cosines(data, query.vector, cfg.dense, lap, cfg.candidates)
        late = late_part(data, query.tokens, cfg.late) if with_late else None
        lap("late")
    if query.mode != "dense":
        sparse = bm25_scores(data, query.text, words)
        lap("bm25")
    return Parts(dense, late, sparse)


def joined(many: list[Parts]) -> Parts:
    """Several papers' parts end to end, as one paper's (a missing late part is NaN)."""
    def cat(name: str) -> np.ndarray | None:
        arrays = [getattr(p, name) for p in many]
        if all(a is None for a in arrays):
            return None
        sizes = [len(p.dense if p.dense is not None else p.bm25) for p in many]
        return np.concatenate([a if a is not None else np.full(n, np.nan, np.float32)
                               for a, n in zip(arrays, sizes, strict=True)])
    return Parts(cat("dense"), cat("late"), cat("bm25"))


def fuse(p: Parts, mode: str, cfg: SearchConfig, lap: Lap = no_lap) -> np.ndarray:
    """Every chunk's score in `mode` from its raw parts (the "fusion" stage)."""
    if mode == "bm25":
        return p.bm25
    dense = with_late(p.dense, p.late, cfg.late)
    if mode == "dense":
        return dense
    if cfg.fusion == "rrf":
        out = rrf(dense, p.bm25, k=cfg.rrf_k)
    else:
        out = cfg.alpha * minmax(dense) + (1 - cfg.alpha) * minmax(p.bm25)
    lap("fusion")
    return out


def scores(data: IndexData, query: Query, cfg: SearchConfig, lap: Lap = no_lap) -> np.ndarray:
    """Every chunk's score for `query` in its mode. Without token vectors (`query.tokens`)
    the late-interaction part of the dense score is left out. `lap` is told as each stage
    ends: faiss, sentence_cosines, late, bm25, fusion."""
    return fuse(parts(data, query, cfg, lap), query.mode, cfg, lap)
