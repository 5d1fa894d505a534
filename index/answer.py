"""Extracts the answer: the one to three sentences of the retrieved passages closest to the
question, each followed by the marker [n] of the passage it comes from.

A sentence's score is its cosine with the question, plus a weight on the share of the
question's content words it contains, less a little for each rank its passage sits below the
first. The best sentence always leads; up to two more join when they score within `margin`.
The evidence strength returned (best cosine of a sentence or a cited source) feeds the
abstention checks (`abstain`). Its settings are `config.AnswerConfig`.
Leaves out retrieval itself (`search`).
"""

from __future__ import annotations

import numpy as np

from .build import IndexData, tokenize
from .config import AnswerConfig
from .records import Hit, Pick

NO_ANSWER = "The paper does not seem to answer this question."


def no_answer(reason: str) -> str:
    """The abstaining answer, with why: "... this question: no passage comes close to it"."""
    return f"{NO_ANSWER[:-1]}: {reason}."


def word_overlap(question: frozenset[str], sentence: frozenset[str]) -> float:
    """Share of the question's distinct content words that the sentence contains."""
    return len(question & sentence) / len(question) if question else 0.0


def candidates(data: IndexData, hits: tuple[Hit, ...], sent_cos: np.ndarray, question: str,
               cfg: AnswerConfig) -> list[Pick]:
    qwords = frozenset(tokenize([question])[0])
    first: dict[int, int] = {}
    for rank, hit in enumerate(hits, start=1):
        for s in data.chunks[hit.chunk].sentences:
            first.setdefault(s, rank)
    words = data.sentence_words
    picks = [Pick(s, rank, float(sent_cos[s]) + cfg.overlap_weight * word_overlap(qwords, words[s])
                  - cfg.rank_weight * (rank - 1))
             for s, rank in first.items()]
    return sorted(picks, key=lambda p: (-p.score, p.rank, p.sentence))


def best_source(data: IndexData, hits: tuple[Hit, ...], note_cos: np.ndarray) -> tuple[float, int]:
    """(cosine, footnote number) of the closest source cited by the retrieved passages."""
    row = data.note_rows
    best = (-1.0, 0)
    for hit in hits:
        for n in data.chunks[hit.chunk].footnotes:
            if n in row and float(note_cos[row[n]]) > best[0]:
                best = (float(note_cos[row[n]]), n)
    return best


def pick_sentences(data: IndexData, hits: tuple[Hit, ...], qvec: np.ndarray, question: str,
                   cfg: AnswerConfig) -> tuple[list[Pick], float]:
    """The answer sentences in document order, and the evidence strength used to abstain."""
    if not hits or not len(data.sentence_vecs):
        return [], -1.0
    hits = hits[: cfg.pool]
    sent_cos = data.sentence_vecs @ qvec
    pool = candidates(data, hits, sent_cos, question, cfg)
    if not pool:
        return [], -1.0
    top = pool[0].score
    chosen = [p for p in pool if p.score >= top - cfg.margin][: cfg.max_sentences]
    note_cos = data.note_vecs @ qvec if len(data.note_vecs) else np.zeros(0)
    best_cos = max(float(sent_cos[p.sentence]) for p in pool)
    strength = max(best_cos, best_source(data, hits, note_cos)[0])
    return sorted(chosen, key=lambda p: p.sentence), strength


def compose(data: IndexData, picks: tuple[Pick, ...]) -> str:
    return " ".join(f"{data.sentences[p.sentence].text} [{p.rank}]" for p in picks)
