"""eval.stats on small known cases, each checked against an independent computation."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from eval.stats import ALPHA, analyse, holm, interval, pairs, randomization_p


def exact_quantile(n: int, ones: int, q: float) -> float:
    """The q-quantile of the mean of n resampled binary values with `ones` ones: the exact
    bootstrap distribution is Binomial(n, ones / n) / n, summed here with math.comb."""
    p, total = ones / n, 0.0
    for k in range(n + 1):
        total += math.comb(n, k) * p ** k * (1 - p) ** (n - k)
        if total >= q:
            return k / n
    return 1.0


def test_bootstrap_interval_matches_the_exact_bootstrap_distribution():
    x = [1, 0, 1, 0, 0, 1, 0, 1, 0]  # 4 of 9; the exact 2.5% and 97.5% points are 1/9, 7/9
    iv = interval(x)
    assert iv.mean == pytest.approx(4 / 9) and iv.n == 9
    assert iv.low == pytest.approx(exact_quantile(9, 4, 0.025)) == pytest.approx(1 / 9)
    assert iv.high == pytest.approx(exact_quantile(9, 4, 0.975)) == pytest.approx(7 / 9)


def enumerated_p(x, y) -> float:
    """Two-sided paired randomization p-value by listing all 2^n sign flips."""
    d = np.asarray(x, float) - np.asarray(y, float)
    observed = abs(d.mean())
    flips = [abs(np.mean(d * np.array(s))) >= observed - 1e-12
             for s in itertools.product((1, -1), repeat=len(d))]
    return sum(flips) / len(flips)


@pytest.mark.parametrize(("x", "y"), [
    ([1, 0, 1, 1, 0, 1], [0, 0, 0, 1, 0, 0]),  # 3 wins, 3 ties: 16 of 64 flips
    ([0.9, 0.5, 1.0, 0.33, 0.25, 0.7, 1.0, 0.0], [0.5, 0.5, 0.2, 1.0, 0.0, 0.7, 0.1, 0.4]),
])
def test_randomization_p_is_exact_over_every_sign_flip(x, y):
    assert randomization_p(x, y) == pytest.approx(enumerated_p(x, y), abs=1e-12)


def test_randomization_p_on_the_hand_counted_case():
    assert randomization_p([1, 0, 1, 1, 0, 1], [0, 0, 0, 1, 0, 0]) == pytest.approx(0.25)
    assert randomization_p([1, 1], [1, 1]) == 1.0
    assert math.isnan(randomization_p([], []))
    with pytest.raises(ValueError, match="paired"):
        randomization_p([1, 0], [1])


def test_holm_by_hand():
    # sorted 0.005 (x4 = 0.02), 0.01 (x3 = 0.03), 0.03 (x2 = 0.06), 0.04 (x1, kept >= 0.06)
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])  # capped at 1
    got = holm([0.01, float("nan"), 0.02])  # nan stays out of the family (m = 2)
    assert got[0] == pytest.approx(0.02) and math.isnan(got[1]) and got[2] == pytest.approx(0.02)


def test_interval_edge_cases():
    assert interval([0.5]).low == interval([0.5]).high == 0.5
    same = interval([1.0] * 20)
    assert (same.mean, same.low, same.high, same.n) == (1.0, 1.0, 1.0, 20)
    empty = interval([])
    assert empty.n == 0 and math.isnan(empty.mean)


def test_pairs_are_aligned_by_question_and_adjusted_together():
    named = {"a": {"q1": 1.0, "q2": 1.0, "q3": 0.0, "q4": 1.0},
             "b": {"q4": 0.0, "q3": 0.0, "q2": 0.0, "q1": 0.0},  # another order
             "c": {"q1": 1.0, "q2": 1.0}}  # fewer questions: compared on those only
    got = {(p.a, p.b): p for p in pairs(named, "m")}
    ab = got[("a", "b")]
    assert ab.diff == pytest.approx(0.75) and ab.n == 4
    assert ab.p == pytest.approx(enumerated_p([1, 1, 0, 1], [0, 0, 0, 0]))
    assert got[("a", "c")].n == 2 and got[("a", "c")].diff == 0.0 and got[("a", "c")].p == 1.0
    raw = [p.p for p in got.values()]
    assert [p.p_holm for p in got.values()] == pytest.approx(holm(raw))
    assert all(p.significant == (p.p_holm < ALPHA) for p in got.values())
    only = pairs(named, "m", reference="b")
    assert [(p.a, p.b) for p in only] == [("b", "a"), ("b", "c")]


def test_analyse_covers_every_metric_and_pair(tiny_results):
    out = analyse(tiny_results, resamples=500)
    assert set(out["intervals"]) == {"one", "two"}
    assert out["intervals"]["one"]["budget_recall"].n == 2  # the answerable questions
    assert out["intervals"]["one"]["abstention_recall"].n == 1
    metrics = {p.metric for p in out["pairs"]}
    assert {"budget_recall", "mrr@10", "abstention_recall", "recall@5"} <= metrics
    # run "two" gives no answer text: no answer-hit interval, and no pair to test on it
    assert out["intervals"]["two"]["answer_hit"].n == 0 and "answer_hit" not in metrics


@pytest.fixture
def tiny_results():
    from tests.eval_data import tiny_results as build

    return build()
