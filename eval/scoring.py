"""Scores one system's answers to a question set: per-question results and their summary.

A system is anything with `ask(question, k=..., mode=...) -> Answer` (the engine, or the
tutorial baseline). Relevance comes from the gold quotes (`relevance`), metrics from `metrics`.
Leaves out building systems (`systems`) and writing reports (`report`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

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

KS = (1, 3, 5, 10)
BUDGET = 2000


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
    answer: str
    answer_hit: bool
    abstained: bool
    passage_chars: float
    answer_chars: int
    seconds: float
    kind: str = "fact"  # what the engine took the question to ask for (`index.kinds`)
    confidence: str = "low"

    def to_dict(self) -> dict:
        return asdict(self)


def evidence(passage) -> str:
    """What a reader sees of a passage: its text, then the sources of the footnotes it cites."""
    sources = [f.source for f in passage.footnotes if f.source]
    return "\n".join([passage.text, *dict.fromkeys(sources)])


def score(q: Question, system: str, answer, seconds: float, k: int = 10) -> Result:
    texts = [evidence(p) for p in answer.passages][:k]
    covered = [covered_golds(t, q.gold) for t in texts]
    n = len(q.gold)
    found = set().union(*covered) if covered else set()
    first = next((i for i, c in enumerate(covered, start=1) if c), None)
    ok = q.answerable
    return Result(
        q.id, system, q.type, q.section, ok, tuple(p.id for p in answer.passages[:k]),
        tuple(tuple(sorted(c)) for c in covered),
        tuple(g for i, g in enumerate(q.gold) if i not in found), first,
        {kk: recall_at(covered, n, kk) for kk in KS} if ok else {},
        reciprocal_rank_at(covered, 10) if ok else 0.0,
        ndcg_at(covered, n, 10) if ok else 0.0,
        budget_recall(texts, q.gold, BUDGET) if ok else 0.0,
        answer.answer, answer_hit(answer.answer, q.gold) if ok and not answer.abstained
        else False, answer.abstained, mean([len(t) for t in texts]), len(answer.answer),
        seconds, answer.kind, answer.confidence)


def run(ask: Callable, questions: Iterable[Question], system: str, mode: str | None,
        k: int = 10, progress: bool = False) -> list[Result]:
    qs = list(questions)
    if progress:
        from tqdm import tqdm

        qs = tqdm(qs, desc=system, unit="q", leave=False)
    out = []
    for q in qs:
        t0 = time.perf_counter()
        answer = ask(q.question, k=k, mode=mode)
        out.append(score(q, system, answer, time.perf_counter() - t0))
    return out


def summarize(results: list[Result]) -> dict:
    """The headline metrics over a list of results (one system)."""
    ans = [r for r in results if r.answerable]
    recall_abst, false_abst = abstention_rates([r.abstained for r in results],
                                               [r.answerable for r in results])
    secs = [r.seconds for r in results]
    out = {f"recall@{k}": mean([r.recall[k] for r in ans]) for k in KS}
    out |= {
        "mrr@10": mean([r.rr for r in ans]), "ndcg@10": mean([r.ndcg for r in ans]),
        "budget_recall": mean([r.budget_recall for r in ans]),
        "answer_hit": mean([float(r.answer_hit) for r in ans]),
        "abstention_recall": recall_abst, "false_abstention": false_abst,
        "passage_chars": mean([r.passage_chars for r in results]),
        "answer_chars": mean([float(r.answer_chars) for r in results if not r.abstained]),
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
