"""One question over several papers: their chunks ranked as one index, each answer sentence
and each passage named by its paper.

    found = ranked(engines, query)                       # (paper's position, Hit), best first
    answer = answer_across(engines, refs, query, found)  # the Answer, `papers` filled in

Retrieval: every paper's raw scores (`search.parts`: cosines, BM25) are joined end to end
and fused as if the papers were one index (min-max over them all, the same weights), so a
passage outranks another paper's only by scoring higher on one scale. Late interaction
(word-level matching) is then added for the best `config.library.late_over` chunks of that
first ranking and its lowest `late_low` (`late_over`), read from their papers' memory-mapped
float16 token vectors (`late_rows`): over eight papers, matching every chunk's words cost 17 ms
a question; on the corpus papers' questions the library's recall@5 and MRR@10 are those of
matching every chunk (eval/tuning.md). A question about what "the paper" concludes is steered
inside each paper (`steer`). Each paper's passages are made distinct (`passages.distinct`),
then the best k across all.
Answer: the papers holding the best `pool` passages, at most `config.library.most_papers`,
gather their evidence from their own passages in the library's
order, as if asked alone. The first of them that does not abstain answers; a further paper
joins when it does not abstain either and its own answer is not of low confidence (the
learned bands of P(the answer holds), `Models.confidence`), so a paper whose passage merely
made the pool adds nothing. Each part opens with its paper's byline ("Kim (2019): ... [1]");
the markers are the library ranking's.
When every paper abstains, the answer names the papers searched and gives the closest
paper's reason. Pure: the caller opens the engines and encodes the question (`collection`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

import numpy as np

from .answers import compose, gather
from .engine import Engine
from .passages import distinct, dress, whole
from .records import Answer, Citation, Evidence, Hit, PaperRef, Query, Retrieval
from .search import Lap, Parts, fuse, joined, late_of, late_scores, no_lap, parts, question_words
from .steer import steer
from .threads import one_blas_thread

NAMED = 6  # papers an abstention names before "and N more"

Found = tuple[int, Hit]  # (the paper's position among the engines, its hit)
T = TypeVar("T")


def ranked(engines: Sequence[Engine], query: Query, lap: Lap = no_lap) -> list[Found]:
    """The best `query.k` passages of all the papers, best first; scores on one scale."""
    cfg = engines[0].config
    with one_blas_thread():
        words = question_words(query.text) if query.mode != "dense" else None
        raw = [parts(e.data, query, cfg.search, with_late=False, words=words)
               for e in engines]
        joint = joined(raw) if raw else None
        if joint is not None and wants_late(engines, query):
            joint = replace(joint, late=late_over(engines, query, joint,
                                                  cfg.library.late_over, cfg.library.late_low))
        lap("search")
        fused = fuse(joint, query.mode, cfg.search) if raw else None
    pick = distinct if cfg.distinct else whole
    out: list[Found] = []
    start = 0
    for i, engine in enumerate(engines):
        n = len(engine.data.chunks)
        if n:
            values = steer(fused[start:start + n], engine.data.chunks, query.text)
            out += [(i, h) for h in pick(values, engine.data, query.k)]
        start += n
    out.sort(key=lambda f: -f[1].score)  # stable: a tie keeps the papers' order
    lap("fusion")
    return out[:query.k]


def wants_late(engines: Sequence[Engine], query: Query) -> bool:
    cfg = engines[0].config.search
    return (query.mode != "bm25" and cfg.late > 0 and query.tokens is not None
            and len(query.tokens) > 0 and any(e.data.has_tokens for e in engines))


def late_over(engines: Sequence[Engine], query: Query, joint: Parts, most: int, low: int
              ) -> np.ndarray:
    """Raw late-interaction scores, end to end as `joined` lays the papers out, of the `most`
    best and the `low` lowest chunks by the other parts fused; every other chunk of a paper
    with token vectors gets the lowest of those (it ranks after the best, as
    `search.chunk_cosines` does for an approximate index), and NaN in a paper without
    (`search.with_late`). Matching words in every chunk of eight papers took 17 of a
    question's 31 ms of search at 1,000 papers; the lowest chunks are there because late
    scores are min-max normalised: normalised over the best alone they weighed more, and
    over the best 64 alone the library's recall@5 fell from 0.838 to 0.819 (eval/tuning.md).
    When the two together hold every chunk (one paper, or a few short ones), every chunk is
    matched as one paper asked alone matches them."""
    first = fuse(joint, query.mode, engines[0].config.search)
    if len(first) <= most + low:  # every chunk: as one paper asked alone matches them
        return np.concatenate([late_scores(e.data, query.tokens) if e.data.has_tokens
                               else np.full(len(e.data.chunks), np.nan, np.float32)
                               for e in engines])
    order = np.argsort(-first, kind="stable")
    best = np.concatenate([order[:most], order[max(most, len(order) - low):]])
    out = np.full(len(first), np.nan, np.float32)
    start, tokened = 0, np.zeros(len(first), bool)
    for e in engines:
        n = len(e.data.chunks)
        if e.data.has_tokens and n:
            tokened[start:start + n] = True
            mine = best[(best >= start) & (best < start + n)]
            if len(mine):
                out[mine] = late_of(e.data, query.tokens, mine - start)
        start += n
    known = ~np.isnan(out)
    if known.any():
        out[tokened & ~known] = out[known].min()
    return out


def leading(found: Sequence[Found], pool: int, most: int) -> list[int]:
    """The papers of the best `pool` passages, best first, at most `most`."""
    out: list[int] = []
    for i, _ in found[:pool]:
        if i not in out:
            out.append(i)
    return out[:most]


def evidence_of(engine: Engine, query: Query, found: Sequence[Found], i: int, pool: int
                ) -> tuple[Evidence, dict[int, int]]:
    """Paper i's evidence from its own passages (in the library's order), and its local
    ranks mapped to the library's."""
    mine = [(rank, h) for rank, (j, h) in enumerate(found, start=1) if j == i]
    local = {r: rank for r, (rank, _) in enumerate(mine, start=1)}
    in_pool = sum(1 for j, _ in found[:pool] if j == i)
    cfg = engine.config.answer
    with one_blas_thread():
        ev = gather(engine.data, Retrieval(query, tuple(h for _, h in mine)), engine.models,
                    in_pool, cfg.join, cfg.max_sentences)
    return ev, local


def at_once(jobs: Sequence[Callable[[], T]]) -> list[T]:
    """The jobs' results in order, two at a time in threads when there are several: an
    index load (file reads, numpy) releases the GIL for most of its time, so two papers open
    in about the time of one on two cores. An exception is raised as it would be in turn."""
    if len(jobs) < 2:
        return [job() for job in jobs]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="footnoted-papers") as pool:
        return list(pool.map(lambda job: job(), jobs))


def renumbered(ev: Evidence, local: dict[int, int]) -> Evidence:
    """The evidence with its picks' passage ranks made the library's."""
    return replace(ev, picks=tuple(replace(p, rank=local[p.rank]) for p in ev.picks))


def searched_text(refs: Sequence[PaperRef]) -> str:
    names = [r.byline() for r in refs[:NAMED]]
    more = f" and {len(refs) - NAMED} more" if len(refs) > NAMED else ""
    return "; ".join(names) + more


def none_answers(refs: Sequence[PaperRef], reason: str | None, scope: int | None = None
                 ) -> str:
    """The abstaining answer over several papers: which were searched, and the closest
    one's reason; of a larger `scope`, the papers searched are its closest."""
    n = len(refs)
    which = f"the {n} papers searched" if n != 1 else "the paper searched"
    if scope is not None and scope > n:
        which = f"the {n} papers closest to it of the {scope} asked"
    why = f": in the closest, {reason}" if reason else ""
    return f"None of {which} ({searched_text(refs)}) seems to answer this question{why}."


def answer_across(engines: Sequence[Engine], refs: Sequence[PaperRef], query: Query,
                  found: Sequence[Found], qid: str | None = None, scope: int | None = None
                  ) -> Answer:
    """The Answer over the papers `engines` (named by `refs`, in the same order), chosen
    among `scope` papers asked (default: these)."""
    models = engines[0].models
    pool = engines[0].config.answer.pool or models.pool
    asked = leading(found, pool, engines[0].config.library.most_papers)
    with one_blas_thread():  # set once around the threads, which then leave it as it is
        gathered = at_once([lambda i=i: evidence_of(engines[i], query, found, i, pool)
                            for i in asked])
    weighed = []  # (paper, evidence in the library's ranks, why it abstains)
    for i, (ev, local) in zip(asked, gathered, strict=True):
        weighed.append((i, renumbered(ev, local), engines[i].verdict(ev)))
    answering: list[tuple[int, Evidence]] = []
    for i, ev, why in weighed:
        if why is None and (not answering or models.confidence(ev.sure) != "low"):
            answering.append((i, ev))
    chosen = {i: {p.unit for p in ev.picks if p.footnote is None} for i, ev in answering}
    passages = tuple(replace(dress(engines[i].data, h, rank, chosen.get(i, set())),
                             paper=refs[i].name)
                     for rank, (i, h) in enumerate(found, start=1))
    if not answering:
        if not weighed:
            reason = "no passage comes close to it"
            return Answer(qid, query.text, none_answers(refs, reason, scope), True, (),
                          passages, query.mode, models.confidence(1.0, True), "fact", reason,
                          tuple(refs))
        i, ev, reason = weighed[0]  # the closest paper speaks for all
        return Answer(qid, query.text, none_answers(refs, reason, scope), True, (), passages,
                      query.mode, engines[i].confidence(ev, True), ev.kind, reason,
                      tuple(refs))
    text = " ".join(f"{refs[i].byline()}: {compose(ev)}" for i, ev in answering)
    cites = tuple(Citation(p.rank, passages[p.rank - 1].id, p.text)
                  for _, ev in answering for p in ev.picks)
    i, lead = answering[0]
    return Answer(qid, query.text, text, False, cites, passages, query.mode,
                  engines[i].confidence(lead, False), lead.kind, None, tuple(refs))
