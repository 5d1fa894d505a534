"""Scores runs against a question set: per-question results, their summary, per-question values.

A system is anything with `ask(question, k=..., mode=...) -> Answer` (the engine, or the
tutorial baseline); `collect` turns its answers into a `runs.Run`, and `score_run` scores any
run, however it was made, by the gold quotes (`relevance`) and the metrics of `metrics`.
`values` gives one metric's per-question values, the unit the statistics resample.
Leaves out building systems (`systems`), statistics (`stats`) and writing reports (`report`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields

from ingest.questions import Question

from .metrics import (
    abstention_rates,
    answer_hit,
    budget_recall,
    mean,
    ndcg_at,
    percentile,
    recall_at,
    reciprocal_rank_at,
)
from .relevance import covered_golds
from .runs import Entry, Run, from_answer

KS = (1, 3, 5, 10)
BUDGET = 2000
CUTOFF = 10  # passages scored per question
# Metrics measured per question, and which questions each is over.
ANSWERABLE = ("budget_recall", "mrr@10", "ndcg@10", *(f"recall@{k}" for k in KS), "answer_hit",
              "false_abstention")
METRICS = (*ANSWERABLE, "abstention_recall")


@dataclass(frozen=True)
class Result:
    qid: str
    system: str
    type: str
    section: str | None
    answerable: bool
    passages: tuple[str, ...]  # passage ids in rank order
    covered: tuple[tuple[int, ...], ...]  # gold indices each passage holds
    missed: tuple[str, ...]  # gold quotes in none of the top 10
    first_relevant: int | None  # rank of the first passage holding a gold quote
    recall: dict[int, float]
    rr: float
    ndcg: float
    budget_recall: float
    answer: str | None  # None: the system gave no answer text
    answer_hit: bool | None  # None: unanswerable, or no answer text
    abstained: bool
    passage_chars: float
    answer_chars: int
    seconds: float | None
    split: str | None = None
    kind: str = "fact"  # what the system took the question to ask for (`index.kinds`)
    confidence: str = "low"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, row: dict) -> Result:
        """A result as `to_dict` wrote it to results.jsonl (JSON turned recall's keys into
        text and tuples into lists)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in row.items() if k in known}
        values["recall"] = {int(k): v for k, v in (row.get("recall") or {}).items()}
        values["passages"] = tuple(row.get("passages") or ())
        values["covered"] = tuple(tuple(c) for c in row.get("covered") or ())
        values["missed"] = tuple(row.get("missed") or ())
        return cls(**values)


def score(q: Question, system: str, entry: Entry, k: int = CUTOFF) -> Result:
    """One question's result for one run's entry: its top `k` passages scored by the gold."""
    top = entry.passages[:k]
    texts = [p.evidence for p in top]
    covered = [covered_golds(t, q.gold) for t in texts]
    n = len(q.gold)
    found = set().union(*covered) if covered else set()
    first = next((i for i, c in enumerate(covered, start=1) if c), None)
    ok = q.answerable
    answered = entry.answer is not None and not entry.abstained
    return Result(
        q.id, system, q.type, q.section, ok, tuple(p.id for p in top),
        tuple(tuple(sorted(c)) for c in covered),
        tuple(g for i, g in enumerate(q.gold) if i not in found), first,
        {kk: recall_at(covered, n, kk) for kk in KS} if ok else {},
        reciprocal_rank_at(covered, 10) if ok else 0.0,
        ndcg_at(covered, n, 10) if ok else 0.0,
        budget_recall(texts, q.gold, BUDGET) if ok else 0.0,
        entry.answer,
        None if not ok or entry.answer is None else answered and answer_hit(entry.answer, q.gold),
        entry.abstained, mean([len(t) for t in texts]),
        len(entry.answer) if entry.answer is not None else 0, entry.seconds, q.split,
        entry.kind, entry.confidence)


def score_run(run: Run, questions: Iterable[Question]) -> list[Result]:
    """Every question's result; a question the run lacks counts as nothing retrieved."""
    return [score(q, run.system, run.entry(q.id)) for q in questions]


def collect(ask: Callable, questions: Iterable[Question], system: str, mode: str | None,
            k: int = CUTOFF, progress: bool = False, tick: Callable | None = None,
            timed: bool = True) -> Run:
    """Asks every question (timed, unless not `timed`) and keeps what came back as a run."""
    qs = list(questions)
    if progress:
        from tqdm import tqdm

        qs = tqdm(qs, desc=system, unit="q", leave=False)
    entries = []
    for q in qs:
        t0 = time.perf_counter()
        answer = ask(q.question, k=k, mode=mode)
        entries.append(from_answer(q.id, answer, time.perf_counter() - t0 if timed else None))
        if tick is not None:
            tick()
    return Run(system, tuple(entries))


def run(ask: Callable, questions: Iterable[Question], system: str, mode: str | None,
        k: int = CUTOFF, progress: bool = False) -> list[Result]:
    qs = list(questions)
    return score_run(collect(ask, qs, system, mode, k, progress), qs)


def values(results: list[Result], metric: str) -> dict[str, float]:
    """One metric's per-question values by question id, over the questions it is defined on
    (answer hit: answerable questions the system gave an answer text for)."""
    if metric not in METRICS:
        raise ValueError(f"expected a metric in {', '.join(METRICS)}, got {metric!r}")
    if metric == "abstention_recall":
        return {r.qid: float(r.abstained) for r in results if not r.answerable}
    ans = [r for r in results if r.answerable]
    if metric == "false_abstention":
        return {r.qid: float(r.abstained) for r in ans}
    if metric == "answer_hit":
        return {r.qid: float(r.answer_hit) for r in ans if r.answer_hit is not None}
    if metric.startswith("recall@"):
        return {r.qid: r.recall[int(metric[7:])] for r in ans}
    attr = {"mrr@10": "rr", "ndcg@10": "ndcg", "budget_recall": "budget_recall"}[metric]
    return {r.qid: getattr(r, attr) for r in ans}


def summarize(results: list[Result]) -> dict:
    """The headline metrics over a list of results (one system)."""
    ans = [r for r in results if r.answerable]
    recall_abst, false_abst = abstention_rates([r.abstained for r in results],
                                               [r.answerable for r in results])
    secs = [r.seconds for r in results if r.seconds is not None]
    out = {f"recall@{k}": mean(list(values(results, f"recall@{k}").values())) for k in KS}
    out |= {
        "mrr@10": mean([r.rr for r in ans]), "ndcg@10": mean([r.ndcg for r in ans]),
        "budget_recall": mean([r.budget_recall for r in ans]),
        "answer_hit": mean(list(values(results, "answer_hit").values())),
        "abstention_recall": recall_abst, "false_abstention": false_abst,
        "passage_chars": mean([r.passage_chars for r in results]),
        "answer_chars": mean([float(r.answer_chars) for r in results
                              if not r.abstained and r.answer is not None]),
        "latency_p50_ms": 1000 * percentile(secs, 50) if secs else float("nan"),
        "latency_p95_ms": 1000 * percentile(secs, 95) if secs else float("nan"),
        "questions": len(results), "answerable": len(ans),
    }
    return out


def breakdown(results: list[Result], key: str) -> dict[str, dict]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        groups[str(getattr(r, key))].append(r)
    return {name: summarize(rs) for name, rs in sorted(groups.items())}
