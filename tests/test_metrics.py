"""Tests for eval.metrics: hand-computed cases plus agreement with ir_measures (TREC)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import ir_measures
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ir_measures import Qrel, ScoredDoc

from eval.metrics import (
    abstention_rates,
    answer_hit,
    budget_recall,
    mean,
    ndcg_at,
    percentile,
    recall_at,
    reciprocal_rank_at,
)

E: frozenset[int] = frozenset()


def fs(*golds: int) -> frozenset[int]:
    return frozenset(golds)


# --- recall_at --------------------------------------------------------------------------------

RANKED = [E, fs(0), fs(1, 2), E, fs(0)]  # 4 golds; gold 3 never retrieved


@pytest.mark.parametrize(("k", "expected"), [(1, 0.0), (2, 0.25), (3, 0.75), (10, 0.75)])
def test_recall_at_known(k: int, expected: float) -> None:
    assert recall_at(RANKED, 4, k) == pytest.approx(expected, abs=1e-12)


def test_recall_at_counts_each_gold_once() -> None:
    assert recall_at([fs(0), fs(0), fs(0)], 2, 3) == 0.5


def test_recall_at_empty_ranking_is_zero() -> None:
    assert recall_at([], 3, 5) == 0.0


def test_recall_at_rejects_unanswerable_and_bad_k() -> None:
    with pytest.raises(ValueError, match="n_gold"):
        recall_at([E], 0, 5)
    with pytest.raises(ValueError, match="k"):
        recall_at([E], 1, 0)


def test_recall_at_rejects_gold_index_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"range\(2\)"):
        recall_at([fs(2)], 2, 1)


# --- reciprocal_rank_at -----------------------------------------------------------------------


def test_reciprocal_rank_known() -> None:
    assert reciprocal_rank_at(RANKED) == 0.5
    assert reciprocal_rank_at([fs(1)]) == 1.0
    assert reciprocal_rank_at([E, E, E, fs(0)]) == 0.25


def test_reciprocal_rank_cut_at_k() -> None:
    assert reciprocal_rank_at(RANKED, k=1) == 0.0
    ranked = [E] * 10 + [fs(0)]
    assert reciprocal_rank_at(ranked) == 0.0
    assert reciprocal_rank_at(ranked, k=11) == pytest.approx(1 / 11)


def test_reciprocal_rank_rejects_non_set_entries() -> None:
    with pytest.raises(ValueError, match="set of gold indices"):
        reciprocal_rank_at([[0]])  # type: ignore[list-item]


# --- ndcg_at ----------------------------------------------------------------------------------


def test_ndcg_known_case() -> None:
    # Gains 1, 0 (gold 0 already seen), 1 at ranks 1..3; 2 golds.
    dcg = 1.0 + 1.0 / math.log2(4)
    ideal = 1.0 + 1.0 / math.log2(3)
    assert ndcg_at([fs(0), fs(0), fs(1)], 2) == pytest.approx(dcg / ideal, abs=1e-12)


def test_ndcg_perfect_and_zero() -> None:
    assert ndcg_at([fs(0), fs(1), fs(2)], 3) == pytest.approx(1.0, abs=1e-12)
    assert ndcg_at([E, E], 3) == 0.0


def test_ndcg_ideal_is_cut_at_k() -> None:
    # 5 golds but k=2: the ideal list only has 2 slots, so two hits on top is perfect.
    assert ndcg_at([fs(3), fs(4), fs(0)], 5, k=2) == pytest.approx(1.0, abs=1e-12)


def test_ndcg_overlapping_passages_cannot_exceed_one() -> None:
    # Four overlapping chunks all hold the single gold: only the first one gains.
    assert ndcg_at([fs(0)] * 4, 1) == pytest.approx(1.0, abs=1e-12)
    # Every chunk holds both golds: the first gains once, the rest add nothing.
    value = ndcg_at([fs(0, 1)] * 5, 2)
    assert value == pytest.approx(1.0 / (1.0 + 1.0 / math.log2(3)), abs=1e-12)
    assert value <= 1.0


@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.frozensets(st.integers(0, n - 1)), max_size=15),
        )
    ),
    st.integers(min_value=1, max_value=12),
)
def test_ndcg_always_in_unit_interval(case: tuple[int, list[frozenset[int]]], k: int) -> None:
    n_gold, ranked = case
    assert 0.0 <= ndcg_at(ranked, n_gold, k) <= 1.0 + 1e-12


# --- agreement with ir_measures (each gold maps to exactly one distinct passage) --------------

MEASURES = [ir_measures.parse_measure(m) for m in ("R@1", "R@3", "R@5", "R@10", "RR@10")]
MEASURES.append(ir_measures.parse_measure("nDCG@10"))

KNOWN_RUNS: list[tuple[int, list[frozenset[int]]]] = [
    (1, [fs(0)]),
    (1, [E, E, E, fs(0)]),
    (3, [E, fs(2), E, fs(0), E, E, E, E, E, E, fs(1)]),  # gold 1 just outside the top 10
    (2, [E] * 12),
    (4, [fs(3), fs(1), fs(0), fs(2)]),
    (5, [E, fs(4), E, E, fs(0), E, fs(2)]),
    (12, [fs(i) for i in (11, 3, 7, 0, 1, 2, 4, 5, 6, 8, 9, 10)]),  # more golds than k
    (2, [E, E, E, E, E, E, E, E, E, fs(1)]),
]


def _trec_values(n_gold: int, ranked: Sequence[frozenset[int]]) -> dict[str, float]:
    """Score one question with ir_measures: gold g is document 'g{g}', misses are 'miss{r}'."""
    qrels = [Qrel("q", f"g{g}", 1) for g in range(n_gold)]
    run = []
    for rank, covered in enumerate(ranked, start=1):
        if len(covered) > 1:
            raise ValueError(f"expected at most one gold per passage, got {sorted(covered)}")
        doc_id = f"g{next(iter(covered))}" if covered else f"miss{rank}"
        run.append(ScoredDoc("q", doc_id, float(len(ranked) - rank + 1)))  # distinct scores
    values = {str(m.measure): m.value for m in ir_measures.iter_calc(MEASURES, qrels, run)}
    assert set(values) == {str(m) for m in MEASURES}
    return values


def _ours(n_gold: int, ranked: Sequence[frozenset[int]]) -> dict[str, float]:
    return {
        "R@1": recall_at(ranked, n_gold, 1),
        "R@3": recall_at(ranked, n_gold, 3),
        "R@5": recall_at(ranked, n_gold, 5),
        "R@10": recall_at(ranked, n_gold, 10),
        "RR@10": reciprocal_rank_at(ranked, 10),
        "nDCG@10": ndcg_at(ranked, n_gold, 10),
    }


def _assert_agrees(n_gold: int, ranked: Sequence[frozenset[int]]) -> None:
    ours, trec = _ours(n_gold, ranked), _trec_values(n_gold, ranked)
    assert set(ours) == set(trec)
    for name, value in ours.items():
        assert value == pytest.approx(trec[name], abs=1e-9, rel=0), name


@pytest.mark.parametrize(("n_gold", "ranked"), KNOWN_RUNS)
def test_agrees_with_ir_measures_on_known_runs(n_gold: int, ranked: list[frozenset[int]]) -> None:
    _assert_agrees(n_gold, ranked)


def test_known_runs_are_not_trivial() -> None:
    # Guard against the agreement test passing only on all-zero or all-one values.
    values = {v for n, r in KNOWN_RUNS for v in _ours(n, r).values()}
    assert any(0.0 < v < 1.0 for v in values)
    assert 0.0 in values and 1.0 in values


@st.composite
def one_to_one_runs(draw: st.DrawFn) -> tuple[int, list[frozenset[int]]]:
    n_gold = draw(st.integers(min_value=1, max_value=6))
    length = draw(st.integers(min_value=1, max_value=15))
    retrieved = draw(st.lists(st.integers(0, n_gold - 1), unique=True, max_size=length))
    slots = draw(st.permutations(range(length)))
    ranked = [E] * length
    for gold, slot in zip(retrieved, slots, strict=False):
        ranked[slot] = fs(gold)
    return n_gold, ranked


@settings(max_examples=60, deadline=None)
@given(one_to_one_runs())
def test_agrees_with_ir_measures_on_random_runs(case: tuple[int, list[frozenset[int]]]) -> None:
    _assert_agrees(*case)


# --- budget_recall ----------------------------------------------------------------------------

GOLD_A = "the encoder stack contains six identical layers"
GOLD_B = "we apply dropout to the output of each sub layer"


def test_budget_recall_truncates_huge_first_passage() -> None:
    huge = "filler text " * 250 + GOLD_A  # 3000 filler chars, gold at the very end
    assert budget_recall([huge, GOLD_B], [GOLD_A, GOLD_B], budget=2000) == 0.0
    assert budget_recall([huge, GOLD_B], [GOLD_A, GOLD_B], budget=10_000) == 1.0


def test_budget_recall_stops_when_budget_spent() -> None:
    first = f"Intro. {GOLD_A}."
    passages = [first, GOLD_B]
    assert budget_recall(passages, [GOLD_A, GOLD_B], budget=len(first)) == 0.5
    assert budget_recall(passages, [GOLD_A, GOLD_B], budget=len(first) + len(GOLD_B)) == 1.0


def test_budget_recall_partial_read_of_second_passage() -> None:
    first = "x" * 100
    # GOLD_B has 10 tokens, so 5 in one run are needed.
    # 100 + 22 chars reads 'we apply dropout to th': a 4-token run, not enough.
    assert budget_recall([first, GOLD_B], [GOLD_B], budget=122) == 0.0
    # 100 + 23 chars reads 'we apply dropout to the': 5 tokens, held.
    assert budget_recall([first, GOLD_B], [GOLD_B], budget=123) == 1.0


def test_budget_recall_tests_each_passage_separately() -> None:
    words = GOLD_A.split()  # 7 tokens: 4 needed in one run
    left, right = " ".join(words[:3]), " ".join(words[3:6])
    # Read together the two parts would form a 6-token run; separately each has only 3.
    assert budget_recall([f"{left} {right}"], [GOLD_A]) == 1.0
    assert budget_recall([left, right], [GOLD_A]) == 0.0


def test_budget_recall_validates_input() -> None:
    with pytest.raises(ValueError, match="gold"):
        budget_recall(["text"], [])
    with pytest.raises(ValueError, match="budget"):
        budget_recall(["text"], ["text"], budget=0)
    with pytest.raises(ValueError, match="single str"):
        budget_recall("text", ["text"])


# --- answer_hit -------------------------------------------------------------------------------


def test_answer_hit() -> None:
    golds = [GOLD_A, GOLD_B]
    assert answer_hit("According to the paper, the encoder stack contains six layers.", golds)
    assert not answer_hit("The decoder uses masking.", golds)
    with pytest.raises(ValueError, match="gold"):
        answer_hit("anything", [])


# --- abstention_rates -------------------------------------------------------------------------


def test_abstention_rates_known() -> None:
    abstained = [True, False, True, False, True]
    answerable = [False, False, True, True, True]
    recall, false_rate = abstention_rates(abstained, answerable)
    assert recall == 0.5
    assert false_rate == pytest.approx(2 / 3)


def test_abstention_rates_nan_when_no_questions_of_a_kind() -> None:
    recall, false_rate = abstention_rates([True, False], [True, True])
    assert math.isnan(recall)
    assert false_rate == 0.5
    recall, false_rate = abstention_rates([], [])
    assert math.isnan(recall) and math.isnan(false_rate)


def test_abstention_rates_length_mismatch() -> None:
    with pytest.raises(ValueError, match="equal lengths"):
        abstention_rates([True], [True, False])


# --- percentile and mean ----------------------------------------------------------------------


def test_percentile_known_linear() -> None:
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile([4, 1, 3, 2], 0) == 1.0
    assert percentile([4, 1, 3, 2], 100) == 4.0
    assert percentile([10.0], 95) == 10.0
    assert percentile([0, 100], 95) == pytest.approx(95.0)


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40),
    st.floats(0, 100),
)
def test_percentile_matches_numpy_linear(values: list[float], q: float) -> None:
    expected = float(np.percentile(values, q, method="linear"))
    assert percentile(values, q) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_percentile_empty_and_invalid() -> None:
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError, match="q in"):
        percentile([1.0], 101)
    with pytest.raises(ValueError, match="finite"):
        percentile([1.0, float("nan")], 50)


def test_mean() -> None:
    assert mean([1, 2, 3, 4]) == 2.5
    assert mean([0.1] * 10) == 0.1
    assert math.isnan(mean([]))
