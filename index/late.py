"""Late interaction: word-level matching with MiniLM's contextual token vectors (MaxSim).

A sentence's score for a question is, over the question's content word pieces, the mean of
each piece's best cosine with any token of the sentence (ColBERT's MaxSim, here on the token
vectors of the same all-MiniLM-L6-v2 pass that gives the sentence vector, so a question costs
no extra model call). It lets a reworded question meet the paper word by word ("compensated"
near "in return") where one vector per sentence blurs them. A
chunk scores its best sentence. The weight it gets against the sentence vectors was chosen on
the dev split (eval/tuning.md).

The paper's tokens are kept only up to `config.VectorConfig.max_tokens` (about 35 papers of
this size): beyond that an index is built without them and search runs on the other signals.
Leaves out the model (`embed`) and the fusion (`search`).
"""

from __future__ import annotations

import re

import numpy as np

SPECIAL = frozenset({"[CLS]", "[SEP]", "[PAD]"})
STOP = frozenset(
    "the a an of to in and or is are was were what which who whom whose why how do does did "
    "that this these those for on at by with from as be it its their they them his her he she"
    .split())
WORD_PIECE = re.compile(r"^[a-z#]")


def document_pieces(pieces: list[str]) -> list[int]:
    """Positions of a paper sentence's word pieces that are matched against (all but special)."""
    return [i for i, p in enumerate(pieces) if p not in SPECIAL]


def query_pieces(pieces: list[str]) -> list[int]:
    """Positions of a question's content word pieces: no special tokens, stop words,
    punctuation or digits; all non-special ones when that leaves nothing."""
    keep = [i for i, p in enumerate(pieces)
            if p not in SPECIAL and p.lower() not in STOP and WORD_PIECE.match(p.lower())]
    return keep or document_pieces(pieces)


def pack(per_sentence: list[np.ndarray], dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Token vectors (`dim` wide) of every sentence stacked, and offsets: sentence i owns rows
    offsets[i]:offsets[i + 1]. Every sentence must hold at least one token."""
    if any(len(v) == 0 for v in per_sentence):
        raise ValueError("every sentence needs at least one token vector")
    offsets = np.zeros(len(per_sentence) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(v) for v in per_sentence])
    stacked = np.concatenate(per_sentence) if per_sentence else np.zeros((0, dim), np.float32)
    return np.ascontiguousarray(stacked, dtype=np.float32), offsets


def sentence_scores(query: np.ndarray, tokens: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """MaxSim per sentence: mean over query pieces of the best cosine with the sentence's
    tokens. `query` (q, d) and `tokens` (T, d) hold unit vectors."""
    n = len(offsets) - 1
    if n <= 0 or len(query) == 0:
        return np.zeros(max(n, 0), dtype=np.float32)
    sims = query @ tokens.T  # (q, T)
    best = np.maximum.reduceat(sims, offsets[:-1], axis=1)  # (q, n)
    return best.mean(axis=0).astype(np.float32)


def chunk_scores(per_sentence: np.ndarray, members: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per chunk, the best of its sentences' scores; `members` lists each chunk's sentence
    indices back to back, chunk j's from starts[j]. Chunks without sentences get -1."""
    out = np.full(len(starts), -1.0, dtype=np.float32)
    if len(members) == 0:
        return out
    ends = np.append(starts[1:], len(members))
    filled = starts < ends
    out[filled] = np.maximum.reduceat(per_sentence[members], starts[filled])
    return out
