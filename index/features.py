"""What the index already knows about a candidate answer sentence, and about a question.

Pure numbers from what a retrieval holds, for the learned answer models (`learned`):
- per candidate sentence (the sentences of the top `pool` passages): its cosine with the
  question, its late-interaction (MaxSim) score and the reverse (how much of the sentence the
  question already says), BM25 on the sentence alone, the share of the question's words it
  holds (plain and weighted by how rare each word is in the paper), its passage's rank and
  score, and whether it holds the kind of answer asked (`kinds`). Position, length, footnote
  markers and neighbours' cosines were tried and dropped: they lowered the ranker's
  out-of-fold top-1 on the dev split (eval/tuning.md);
- per question: how strong the best evidence is, how much of the question the passages
  cover (rare words weigh more), how much of it the paper never mentions at all, its
  weakest word's best match (a question about a province the paper never names has one word
  with no good match, however close the rest is) and whether one of the best candidates
  holds the kind asked (`held`: for a reason, not when the best candidate gives what the
  question asks about as the cause of something else, `causes`; for a name asked by its noun,
  only among the candidates that speak of that noun, `kinds.entity_held`).
Leaves out the weights (`learned`) and any decision.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .build import IndexData, tokenize
from .causes import links
from .kinds import CAPITALISED, ENTITIES, Kind, asks_who_found, entity_held, holds
from .records import Retrieval
from .sources import backing

SENTENCE = ("cos", "late", "restates", "bm25", "overlap", "rare_overlap", "inv_rank",
            "score_ratio", "holds")
QUESTION = ("strength", "top_score", "top_prob", "top_cos", "top_late", "cover",
            "answer_cover", "unknown", "weakest", "mean_best", "held", "entity")
K1, B = 1.2, 0.75  # BM25 over single sentences
# `held`: one of the ranker's best HELD_AMONG candidates holds the kind asked. Over the chosen
# sentences instead it moved with `join` (more sentences, more often held) and was False for a
# source answer that names the work without a claim; over the best one alone it missed
# reasons whose causal cue sits in the next-best sentence (dev: 9 false abstentions of 94).
HELD_AMONG = 3
# A reason is not held when the best candidate puts this much more of the question (a share of
# its rarity-weighted words) on the cause side of its causal links than on the effect side
# (`gives_cause_only`; the question's names left out). Chosen on the dev split, halfway: the
# answerable questions' best sentences lean to the cause side by at most 0.22, three
# unanswerable ones by 0.43 to 0.65.
CAUSE_SIDE = 0.33


@dataclass(frozen=True, eq=False)
class Candidates:
    """The candidate sentences of one retrieval, with their features (rows follow `ids`)."""

    ids: tuple[int, ...]  # Sentence.index, best passage first, document order within one
    ranks: tuple[int, ...]  # rank of the first passage holding each
    matrix: np.ndarray  # (len(ids), len(SENTENCE))
    qwords: frozenset[str]  # the question's stemmed content words
    token_best: np.ndarray  # per question word piece, its best cosine among the candidates


def question_words(text: str) -> frozenset[str]:
    """The question's stemmed content words: without function words ("why", "did", "which",
    "does": NLTK's English list, as bm25s ships it), which say what is asked, not about what,
    and which a short paper may never use."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return frozenset(tokenize([text], list(STOPWORDS_EN_PLUS))[0])


def rare_share(data: IndexData, qwords: frozenset[str], held: frozenset[str]) -> float:
    """Share of the question's words held, each weighted by its rarity in the paper."""
    idf = data.word_idf
    top = data.max_idf
    total = sum(idf.get(w, top) for w in qwords)
    return sum(idf.get(w, top) for w in qwords & held) / total if total else 0.0


def late_rows(data: IndexData, qtok: np.ndarray | None, ids: list[int]
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per candidate sentence its MaxSim (question pieces against its tokens) and the reverse
    (its tokens against the question: high for a sentence that only restates the question);
    per question piece, its best cosine over all candidates."""
    if qtok is None or not len(qtok) or not data.has_tokens or not ids:
        zeros = np.zeros(len(ids), np.float32)
        return zeros, zeros, np.zeros(0, np.float32)
    off = data.token_offsets
    rows = np.concatenate([np.arange(off[s], off[s + 1]) for s in ids])
    sims = qtok @ data.token_vecs[rows].T  # (pieces, candidate tokens)
    sizes = [int(off[s + 1] - off[s]) for s in ids]
    starts = np.cumsum([0] + sizes[:-1])
    best = np.maximum.reduceat(sims, starts, axis=1)  # (pieces, candidates)
    back = np.add.reduceat(sims.max(axis=0), starts) / np.array(sizes)
    return (best.mean(axis=0).astype(np.float32), back.astype(np.float32),
            sims.max(axis=1).astype(np.float32))


def bm25(data: IndexData, qwords: frozenset[str], s: int) -> float:
    words = data.sentence_words[s]
    norm = K1 * (1 - B + B * len(words) / data.mean_sentence_words)
    return sum(data.word_idf.get(w, 0.0) * (K1 + 1) / (1 + norm) for w in qwords & words)


def candidates(data: IndexData, retrieval: Retrieval, kind: Kind, pool: int) -> Candidates:
    q = retrieval.query
    hits = retrieval.hits[:pool]
    first: dict[int, int] = {}
    for rank, hit in enumerate(hits, start=1):
        for s in range(*hit.sentences):
            first.setdefault(s, rank)
    ids = list(first)
    qwords = question_words(q.text)
    cos = data.sentence_vecs[ids] @ q.vector if ids else np.zeros(0, np.float32)
    late, back, token_best = late_rows(data, q.tokens, ids)
    b25 = np.array([bm25(data, qwords, s) for s in ids], np.float32)
    top = hits[0].score if hits and hits[0].score > 0 else 1.0
    score = {rank: h.score / top for rank, h in enumerate(hits, start=1)}
    rows = []
    for j, s in enumerate(ids):
        words = data.sentence_words[s]
        rows.append((
            float(cos[j]), float(late[j]), float(back[j]), float(b25[j]),
            len(qwords & words) / len(qwords) if qwords else 0.0,
            rare_share(data, qwords, words), 1.0 / first[s], score[first[s]],
            float(holds(kind, data.sentences[s].text, q.text, data.setting))))
    matrix = np.array(rows, np.float32).reshape(len(ids), len(SENTENCE))
    return Candidates(tuple(ids), tuple(first[s] for s in ids), matrix, qwords, token_best)


def event_words(question: str, qwords: frozenset[str]) -> frozenset[str]:
    """The question's content words less its names: what it asks to be explained ("decline"
    in "Why did defections decline under Kim Jong Un?"), not who or where (a name is as often
    a qualifier on the cause side as the outcome asked about)."""
    names = frozenset(w for ws in tokenize(CAPITALISED.findall(question)) for w in ws)
    return qwords - names


def gives_cause_only(data: IndexData, s: int, qwords: frozenset[str]) -> bool:
    """True when every causal link of sentence `s` whose direction its cues tell holds the
    question (its words weighted by rarity) on its cause side, by CAUSE_SIDE of the question's
    weight more than on its effect side: the sentence closest to a "why" question treats what
    it asks about as the cause of something else ("Why did the border get tighter?" against
    "the change in numbers can be chalked up to more strict border control"). False for a
    sentence without such a link (`causes`)."""
    found = links(data.sentences[s].text, data.before(s))
    idf, top = data.word_idf, data.max_idf
    total = sum(idf.get(w, top) for w in qwords)
    if not found or not total:
        return False
    words = tokenize([t for link in found for t in (link.effect, link.cause)])

    def share(side: list[str]) -> float:
        return sum(idf.get(w, top) for w in qwords & frozenset(side)) / total

    return all(share(words[2 * i + 1]) - share(words[2 * i]) >= CAUSE_SIDE
               for i in range(len(found)))


def question_columns(names: tuple[str, ...]) -> list[int]:
    """Where the named question features sit in a `question_row` (ValueError for a name
    that is not one)."""
    unknown = [n for n in names if n not in QUESTION]
    if unknown:
        raise ValueError(f"expected question features among {', '.join(QUESTION)}, got "
                         f"{', '.join(unknown)}")
    return [QUESTION.index(n) for n in names]


def question_row(data: IndexData, retrieval: Retrieval, cands: Candidates, scores: np.ndarray,
                 chosen: list[int], kind: Kind, strength: float) -> np.ndarray:
    """The question's features for the abstention model, given the sentence ranker's scores
    and the chosen answer sentences."""
    from .learned import softmax

    probs = softmax(scores)
    m = cands.matrix
    col = {name: i for i, name in enumerate(SENTENCE)}
    shown = frozenset().union(*(data.sentence_words[s] for s in cands.ids)) if cands.ids \
        else frozenset()
    known = data.vocabulary
    qwords = cands.qwords
    unknown = rare_share(data, qwords, frozenset(w for w in qwords if w not in known))
    tb = cands.token_best
    question = retrieval.query.text
    leaders = [cands.ids[i] for i in np.argsort(-scores, kind="stable")[:HELD_AMONG]]
    finder = asks_who_found(kind, question)
    texts = [data.sentences[s].text for s in leaders]
    held = (entity_held(kind, question, texts, data.setting) if kind.name in ENTITIES
            else any(holds(kind, t, question, data.setting) for t in texts)) \
        or (finder and any(bool(backing(data, s).given) for s in leaders))
    if held and kind.name == "reason" and leaders:
        held = not gives_cause_only(data, leaders[0], event_words(question, cands.qwords))
    return np.array([
        strength, float(scores.max()) if len(scores) else 0.0,
        float(probs.max()) if len(probs) else 0.0,
        float(m[:, col["cos"]].max()) if len(m) else 0.0,
        float(m[:, col["late"]].max()) if len(m) else 0.0,
        rare_share(data, qwords, shown),
        rare_share(data, qwords, frozenset().union(*(data.sentence_words[s] for s in chosen))),
        unknown,
        float(tb.min()) if len(tb) else 0.0, float(tb.mean()) if len(tb) else 0.0,
        float(held), float(kind.name in ("place", "person", "organisation")),
    ], np.float32)
