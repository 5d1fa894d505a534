"""The candidate answers of one retrieval and what the index already knows about each.

Candidates are units: the sentences of the top `pool` passages and the footnotes those
sentences cite or their chunks carry uncited (a title's note, a caption's: a fact stated only
in a footnote is an answer too), each once, best passage
first. A unit is a sentence index, or `len(sentences) + row` for a footnote, as the index
lays out its vectors and tokens. Per unit (`FEATURES`): its cosine with the question, its
late-interaction (MaxSim) score and the reverse (how much of it the question already says),
BM25 on the unit alone, the share of the question's words it holds (plain and weighted by
rarity), its passage's rank and score, how likely it holds the kind asked (`kinds`,
`holds`: spans the question does not already say) and whether it is a footnote.
Leaves out the weights (`models`) and any decision.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..build import IndexData, tokenize
from ..holds import new_types
from ..records import Retrieval
from .kinds import answered_by
from .sources import backing

FEATURES = ("cos", "late", "restates", "bm25", "overlap", "rare_overlap", "inv_rank",
            "score_ratio", "match", "note")
K1, B = 1.2, 0.75  # BM25 over single units


@dataclass(frozen=True, eq=False)
class Candidates:
    units: tuple[int, ...]
    ranks: tuple[int, ...]  # rank of the first passage holding (or citing) each
    matrix: np.ndarray  # (len(units), len(FEATURES))
    types: tuple[frozenset[str], ...]  # per unit, the span types the question does not say
    qwords: frozenset[str]  # the question's stemmed content words
    token_best: np.ndarray  # per question word piece, its best cosine among the candidates


def question_words(text: str) -> frozenset[str]:
    """The question's stemmed content words: without function words ("why", "did", "which":
    NLTK's English list as bm25s ships it), which say what is asked, not about what."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return frozenset(tokenize([text], list(STOPWORDS_EN_PLUS))[0])


def rare_share(data: IndexData, qwords: frozenset[str], held: frozenset[str]) -> float:
    """Share of the question's words held, each weighted by its rarity in the paper."""
    idf, top = data.word_idf, data.max_idf
    total = sum(idf.get(w, top) for w in qwords)
    return sum(idf.get(w, top) for w in qwords & held) / total if total else 0.0


def unit_text(data: IndexData, u: int) -> str:
    m = len(data.sentences)
    return data.sentences[u].text if u < m else data.footnotes[u - m].text


def unit_words(data: IndexData, u: int) -> frozenset[str]:
    m = len(data.sentences)
    return data.sentence_words[u] if u < m else data.note_words[u - m]


def late_rows(data: IndexData, qtok: np.ndarray | None, units: list[int]
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per unit its MaxSim (question pieces against its tokens) and the reverse (its tokens
    against the question); per question piece its best cosine over all units."""
    if qtok is None or not len(qtok) or not data.has_tokens or not units:
        zeros = np.zeros(len(units), np.float32)
        return zeros, zeros, np.zeros(0, np.float32)
    off = data.token_offsets
    rows = np.concatenate([np.arange(off[u], off[u + 1]) for u in units])
    sims = qtok @ data.token_rows(rows).T  # (pieces, unit tokens)
    sizes = [int(off[u + 1] - off[u]) for u in units]
    starts = np.cumsum([0] + sizes[:-1])
    best = np.maximum.reduceat(sims, starts, axis=1)  # (pieces, units)
    back = np.add.reduceat(sims.max(axis=0), starts) / np.array(sizes)
    return (best.mean(axis=0).astype(np.float32), back.astype(np.float32),
            sims.max(axis=1).astype(np.float32))


def bm25(data: IndexData, qwords: frozenset[str], words: frozenset[str]) -> float:
    norm = K1 * (1 - B + B * len(words) / data.mean_sentence_words)
    return sum(data.word_idf.get(w, 0.0) * (K1 + 1) / (1 + norm) for w in qwords & words)


def answerable_note(data: IndexData, number: int) -> int | None:
    """The row of footnote `number` when its text can answer: present, not an "Ibid."."""
    row = data.note_rows.get(number)
    f = data.footnotes[row] if row is not None else None
    return row if f is not None and f.text and not f.missing and f.ibid_of is None else None


def gather_units(data: IndexData, retrieval: Retrieval, pool: int) -> dict[int, int]:
    """Unit -> rank of the first passage that holds it (a footnote: that cites it)."""
    first: dict[int, int] = {}
    m = len(data.sentences)
    for rank, hit in enumerate(retrieval.hits[:pool], start=1):
        for s in range(*hit.sentences):
            first.setdefault(s, rank)
        notes = [n for s in range(*hit.sentences) for n in data.sentences[s].footnotes]
        for n in (*notes, *data.hung_on(hit.chunk)):
            row = answerable_note(data, n)
            if row is not None:
                first.setdefault(m + row, rank)
    return first


def unit_types(data: IndexData, u: int, question: str) -> frozenset[str]:
    """The span types unit `u` holds that the question does not already say; a sentence
    whose claim a footnote backs with a source also holds a citation."""
    types = new_types(data.holds[u], question) if data.holds else frozenset()
    if u < len(data.sentences) and backing(data, u).given:
        types |= {"cited"}
    return types


def candidates(data: IndexData, retrieval: Retrieval, kind: dict[str, float], pool: int
               ) -> Candidates:
    q = retrieval.query
    first = gather_units(data, retrieval, pool)
    units = list(first)
    m = len(data.sentences)
    qwords = question_words(q.text)
    vecs = [data.sentence_vecs[u] if u < m else data.note_vecs[u - m] for u in units]
    cos = np.array(vecs) @ q.vector if units else np.zeros(0, np.float32)
    late, back, token_best = late_rows(data, q.tokens, units)
    hits = retrieval.hits[:pool]
    top = hits[0].score if hits and hits[0].score > 0 else 1.0
    types = [unit_types(data, u, q.text) for u in units]
    rows = []
    for j, u in enumerate(units):
        words = unit_words(data, u)
        rows.append((float(cos[j]), float(late[j]), float(back[j]), bm25(data, qwords, words),
                     len(qwords & words) / len(qwords) if qwords else 0.0,
                     rare_share(data, qwords, words), 1.0 / first[u],
                     hits[first[u] - 1].score / top, answered_by(kind, types[j]),
                     float(u >= m)))
    matrix = np.array(rows, np.float32).reshape(len(units), len(FEATURES))
    return Candidates(tuple(units), tuple(first[u] for u in units), matrix, tuple(types),
                      qwords, token_best)
