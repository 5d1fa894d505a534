"""Retrieval and answer metrics for one question at a time, following TREC conventions.

Retrieval metrics take ``ranked``: for each retrieved passage in rank order, the frozenset of
gold-quote indices it covers (from ``eval.relevance.covered_golds``), plus ``n_gold``, the
number of gold quotes of the question. Gold indices must lie in ``range(n_gold)``.

- ``recall_at``: fraction of gold quotes covered by the top k passages (TREC ``R@k`` when each
  gold maps to exactly one passage).
- ``reciprocal_rank_at``: 1 / rank of the first passage covering any gold in the top k
  (TREC ``RR@k``).
- ``ndcg_at``: binary-gain nDCG@k where a passage gains 1 only if it covers a gold quote not
  already covered higher up, so overlapping chunks cannot push it above 1. Equals TREC
  ``nDCG@k`` with binary qrels when each gold maps to exactly one distinct passage.
- ``budget_recall``: recall over the first ``budget`` characters read in rank order, so big
  chunks cannot win by size.
- ``answer_hit``, ``abstention_rates``: answer-side metrics.
- ``percentile`` (linear interpolation) and ``mean`` for aggregation; both give nan on empty
  input.

Deliberately left out: graded relevance, tie-breaking by score (the caller fixes the rank
order), aggregation across questions beyond ``mean``/``percentile``, and unanswerable
questions in recall/nDCG/answer_hit (they raise; callers skip them). No I/O, no state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from eval.relevance import covered_golds

__all__ = [
    "abstention_rates",
    "answer_hit",
    "budget_recall",
    "mean",
    "ndcg_at",
    "percentile",
    "recall_at",
    "reciprocal_rank_at",
]


def _check_positive_int(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected {name} as an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"expected {name} >= 1, got {value}")


def _check_ranked(ranked: Sequence[AbstractSet[int]], n_gold: int | None) -> None:
    for rank, covered in enumerate(ranked, start=1):
        if not isinstance(covered, AbstractSet):
            raise ValueError(
                f"expected a set of gold indices at rank {rank}, got {type(covered).__name__}"
            )
        if n_gold is not None:
            bad = [g for g in covered if not 0 <= g < n_gold]
            if bad:
                raise ValueError(
                    f"expected gold indices in range({n_gold}) at rank {rank}, got {sorted(bad)}"
                )


def _check_golds(golds: Sequence[str]) -> None:
    if isinstance(golds, str):
        raise ValueError("expected a sequence of gold quotes, got a single str")
    if len(golds) == 0:
        raise ValueError("expected at least one gold quote, got none (skip unanswerable)")


def recall_at(ranked: Sequence[AbstractSet[int]], n_gold: int, k: int) -> float:
    """Fraction of the ``n_gold`` gold quotes covered by the top ``k`` passages."""
    _check_positive_int("n_gold", n_gold)
    _check_positive_int("k", k)
    _check_ranked(ranked, n_gold)
    found: set[int] = set()
    for covered in ranked[:k]:
        found.update(covered)
    return len(found) / n_gold


def reciprocal_rank_at(ranked: Sequence[AbstractSet[int]], k: int = 10) -> float:
    """1 / rank of the first passage in the top ``k`` covering any gold quote, else 0."""
    _check_positive_int("k", k)
    _check_ranked(ranked, None)
    for rank, covered in enumerate(ranked[:k], start=1):
        if covered:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[AbstractSet[int]], n_gold: int, k: int = 10) -> float:
    """Binary nDCG@k where a passage gains 1 only for a gold quote not covered higher up."""
    _check_positive_int("n_gold", n_gold)
    _check_positive_int("k", k)
    _check_ranked(ranked, n_gold)
    seen: set[int] = set()
    dcg = 0.0
    for rank, covered in enumerate(ranked[:k], start=1):
        if not covered <= seen:
            dcg += 1.0 / math.log2(rank + 1)
            seen.update(covered)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(n_gold, k) + 1))
    return dcg / ideal


def budget_recall(passage_texts: Sequence[str], golds: Sequence[str], budget: int = 2000) -> float:
    """Fraction of gold quotes held by the first ``budget`` characters read in rank order.

    Each passage is read whole while it fits; the one that would exceed the budget is cut to
    the remaining characters and reading stops. Each read part is tested on its own, so a
    quote straddling two passages is not counted.
    """
    _check_golds(golds)
    _check_positive_int("budget", budget)
    if isinstance(passage_texts, str):
        raise ValueError("expected a sequence of passage texts, got a single str")
    remaining = budget
    held: set[int] = set()
    for text in passage_texts:
        if remaining <= 0:
            break
        if not isinstance(text, str):
            raise ValueError(f"expected passage text as str, got {type(text).__name__}")
        part = text[:remaining]
        remaining -= len(part)
        held.update(covered_golds(part, golds))
    return len(held) / len(golds)


def answer_hit(answer: str, golds: Sequence[str]) -> bool:
    """True when ``answer`` holds at least one gold quote (see ``is_relevant``)."""
    _check_golds(golds)
    return bool(covered_golds(answer, golds))


def _rate(hits: int, total: int) -> float:
    return hits / total if total else math.nan


def abstention_rates(abstained: Sequence[bool], answerable: Sequence[bool]) -> tuple[float, float]:
    """(abstention recall, false-abstention rate), aligned per question.

    Abstention recall: fraction of unanswerable questions abstained on. False-abstention
    rate: fraction of answerable questions abstained on. A rate over zero questions is nan.
    """
    if len(abstained) != len(answerable):
        raise ValueError(
            f"expected equal lengths, got {len(abstained)} abstained and "
            f"{len(answerable)} answerable"
        )
    pairs = [(bool(a), bool(ok)) for a, ok in zip(abstained, answerable, strict=True)]
    n_unanswerable = sum(1 for _, ok in pairs if not ok)
    n_answerable = len(pairs) - n_unanswerable
    caught = sum(1 for a, ok in pairs if a and not ok)
    false_abstentions = sum(1 for a, ok in pairs if a and ok)
    return _rate(caught, n_unanswerable), _rate(false_abstentions, n_answerable)


def _finite_floats(values: Sequence[float]) -> list[float]:
    floats = [float(v) for v in values]
    bad = [v for v in floats if not math.isfinite(v)]
    if bad:
        raise ValueError(f"expected finite values, got {bad[0]!r}")
    return floats


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) by linear interpolation between closest ranks.

    Same as ``numpy.percentile(values, q)`` with its default ``method="linear"``: the value at
    position ``(n - 1) * q / 100`` of the sorted values. Empty input gives nan.
    """
    if isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 <= q <= 100:
        raise ValueError(f"expected q in [0, 100], got {q!r}")
    ordered = sorted(_finite_floats(values))
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    weight = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * weight


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean (``math.fsum`` for accuracy); nan for empty input."""
    floats = [float(v) for v in values]
    return math.fsum(floats) / len(floats) if floats else math.nan
