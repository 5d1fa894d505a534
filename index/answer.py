"""Extracts the answer: the sentences of the retrieved passages that answer the question, each
followed by the marker [n] of the passage it comes from; for a source question, the work the
paper cites for the claim, then the claim.

1. What is asked (`kinds`): the table, or the kind of the nearest example question.
2. Candidates: the sentences of the top passages, scored by the learned sentence model over
   what the index already holds (`features`, `learned`).
3. Choice by kind: the best sentence leads; others join while they score within `join` of it
   (at most `max_sentences`); the sentence right after the lead joins when it opens by
   referring back to it ("These results showed ..."); a reason keeps the sentence before a
   chosen one that opens with "This"/"These"/...; a source question names the footnotes
   behind the claim (`sources`).
4. The evidence: the chosen sentences, the strength of the closest sentence or cited source,
   and the abstention model's probability that the paper does not answer at all, which the
   verdict (`abstain`) and the confidence read.
Leaves out retrieval itself (`search`) and the verdict (`abstain`).
"""

from __future__ import annotations

import re

import numpy as np

from . import kinds, sources
from .build import IndexData
from .config import AnswerConfig
from .features import QUESTION, Candidates, candidates, question_columns, question_row
from .learned import Learned, softmax
from .records import Evidence, Pick, Query, Retrieval

NO_ANSWER = "The paper does not seem to answer this question."
REFERS_BACK = re.compile(r"^(This|These|That|Those|It|They|Such|Therefore|Thus|As a result)\b")


def no_answer(reason: str) -> str:
    """The abstaining answer, with why: "... this question: no passage comes close to it"."""
    return f"{NO_ANSWER[:-1]}: {reason}."


def kind_of(data: IndexData, query: Query, learned: Learned) -> kinds.Kind:
    """The table's kind, else the nearest example question's when it is close enough."""
    kind = kinds.asked(query.text)
    if kind is not kinds.FACT or not len(data.kind_vecs):
        return kind
    return kinds.nearest(query.vector, kinds.example_rows()[0], data.kind_vecs,
                         learned.kind_bound)


def strength_of(data: IndexData, retrieval: Retrieval, cands: Candidates) -> float:
    """The best cosine of a candidate sentence or of a source the top passages cite."""
    qvec = retrieval.query.vector
    best = float((data.sentence_vecs[list(cands.ids)] @ qvec).max()) if cands.ids else -1.0
    rows = data.note_rows
    notes = {n for s in cands.ids for n in data.sentences[s].footnotes if n in rows}
    if notes and len(data.note_vecs):
        best = max(best, float((data.note_vecs[[rows[n] for n in notes]] @ qvec).max()))
    return best


def continuation(data: IndexData, lead: int, where: dict[int, int]) -> int | None:
    """The position of the candidate right after the lead sentence when it carries the lead
    on ("These results showed ..." after "The differences were found in the results."): a
    question written from the lead asks what comes next. It comes second, before sentences
    that join by score. Dev, out of fold (3 splits): answer hit when answered 0.895 -> 0.914
    at 1.81 -> 1.85 sentences (eval/tuning.md)."""
    sents = data.sentences
    after = where.get(lead + 1)
    if (after is None or not REFERS_BACK.match(sents[lead + 1].text)
            or sents[lead + 1].paragraph != sents[lead].paragraph):
        return None
    return after


def select(data: IndexData, cands: Candidates, probs: np.ndarray, kind: kinds.Kind, join: float,
           most: int) -> list[int]:
    """Positions (into `cands`) of the answer sentences, best first."""
    order = [int(i) for i in np.argsort(-probs, kind="stable")]
    where = {s: i for i, s in enumerate(cands.ids)}
    follow = continuation(data, cands.ids[order[0]], where)
    chosen = [order[0]] + ([follow] if follow is not None and most > 1 else [])
    for i in order[1:]:
        if len(chosen) >= most or probs[i] < join * probs[order[0]]:
            break
        if i not in chosen:
            chosen.append(i)
    if kind.name == "reason":  # a cause that opens with "This" needs what it refers to
        for i in list(chosen):
            s = cands.ids[i]
            before = where.get(s - 1)
            if (REFERS_BACK.match(data.sentences[s].text) and before is not None
                    and before not in chosen and len(chosen) < most
                    and data.sentences[s - 1].paragraph == data.sentences[s].paragraph):
                chosen.append(before)
    return chosen


def source_choice(data: IndexData, query: Query, cands: Candidates, probs: np.ndarray
                  ) -> tuple[list[int], tuple, str | None]:
    """(chosen positions, the footnotes the answer names, a reason it cannot) for a source
    question: the works the question names, with the best claim they back among the
    candidates (an "Ibid." backs the work it repeats, and is named with its own page); else,
    or when none of the candidates is backed by them, the works behind the best claim."""
    order = [int(i) for i in np.argsort(-probs, kind="stable")]
    asked = set(sources.named(data, query.text))
    for i in order if asked else ():
        notes = [f for f in sources.backing(data, cands.ids[i]).notes
                 if (f.ibid_of or f.number) in asked]
        if notes:
            return [i], tuple(notes), None
    claim = order[0]
    b = sources.backing(data, cands.ids[claim])
    why = sources.problem(b, data)
    if why is not None:
        return [claim], (), why
    if b.given:
        return [claim], b.given, None
    named_here = sources.in_text(data, cands.ids[claim])  # a study named in the text
    where = {s: i for i, s in enumerate(cands.ids)}
    extra = [where[named_here]] if named_here in where and where[named_here] != claim else []
    return extra + [claim], (), None


def finder(data: IndexData, query: Query, kind: kinds.Kind, lead: int) -> tuple:
    """For "Who found that ...?" answered by a sentence that names no one ("men were also
    found to be stricter ..."), the works its footnotes cite: who made the finding."""
    if not kinds.asks_who_found(kind, query.text) or kinds.PERSON.search(data.sentences[lead].text):
        return ()
    return sources.backing(data, lead).given


def gather(data: IndexData, retrieval: Retrieval, learned: Learned, cfg: AnswerConfig
           ) -> Evidence:
    """The evidence an answer rests on (empty when no passage was retrieved)."""
    kind = kind_of(data, retrieval.query, learned)
    cands = candidates(data, retrieval, kind, cfg.pool or learned.pool)
    if not cands.ids:
        return Evidence(retrieval, (), -1.0, (), kind.name, 1.0)
    return decide(data, retrieval, kind, cands, learned.sentence.score(cands.matrix), learned,
                  cfg)


def decide(data: IndexData, retrieval: Retrieval, kind: kinds.Kind, cands: Candidates,
           scores: np.ndarray, learned: Learned, cfg: AnswerConfig) -> Evidence:
    """The evidence, given the ranker's scores of the candidates (`eval.learn` passes its
    own, out of fold)."""
    probs = softmax(scores)
    cited, note = (), None
    if kind.name == "source":
        chosen, cited, note = source_choice(data, retrieval.query, cands, probs)
    else:
        join = learned.join if cfg.join is None else cfg.join
        chosen = select(data, cands, probs, kind, join, cfg.max_sentences)
        cited = finder(data, retrieval.query, kind, cands.ids[chosen[0]])
    strength = strength_of(data, retrieval, cands)
    ids = [cands.ids[i] for i in chosen]
    row = question_row(data, retrieval, cands, scores, ids, kind, strength)
    unanswerable = float(learned.abstain.prob(row[question_columns(learned.abstain.features)]))
    sure = 0.5 if learned.sure is None else float(learned.sure.prob(
        row[question_columns(learned.sure.features)]))
    picks = tuple(sorted((Pick(cands.ids[i], cands.ranks[i], float(probs[i])) for i in chosen),
                         key=lambda p: p.sentence))
    return Evidence(retrieval, picks, strength, tuple(data.sentences[p.sentence].text
                                                      for p in picks),
                    kind.name, unanswerable, sure, bool(row[QUESTION.index("held")]), cited,
                    note)


def compose(data: IndexData, evidence: Evidence) -> str:
    """The answer text: each sentence with its [n]; a source answer names the works first."""
    said = " ".join(f"{data.sentences[p.sentence].text} [{p.rank}]" for p in evidence.picks)
    if not evidence.cited:
        return said
    works = "; ".join(sources.describe(f) for f in evidence.cited)
    if not evidence.picks:
        return f"{works}."
    claims = " ".join(f"\u201c{data.sentences[p.sentence].text}\u201d [{p.rank}]"
                      for p in evidence.picks)
    return f"{works} [{evidence.picks[0].rank}], for: {claims}"
