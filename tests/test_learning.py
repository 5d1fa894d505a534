"""The learning recipe's pure parts: sign-constrained fits, the pairwise ranker, the kind
softmax, the abstention threshold and the confidence bands, and which asking words count."""

from __future__ import annotations

import numpy as np
import pytest

from eval.learning import fit
from eval.learning.folds import band, threshold, vocabulary
from index.answers.kinds import NAMES, asking, guess, kind_row
from index.config import Features


def separable(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two features: the first raises P(y), the second lowers it."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, 2))
    y = (z[:, 0] - z[:, 1] + 0.3 * rng.normal(size=n) > 0).astype(float)
    return z, y


def test_a_free_fit_finds_both_directions():
    w, _ = fit.signed(*separable(), c=1.0, signs=(0, 0))
    assert w[0] > 0.5 and w[1] < -0.5


def test_a_feature_held_to_the_wrong_sign_gets_no_weight():
    z, y = separable()
    w, _ = fit.signed(z, y, c=1.0, signs=(1, 1))  # the second may only raise P(y)
    assert w[0] > 0.5 and w[1] == 0.0


def test_no_intercept_means_none():
    _, b = fit.signed(*separable(), c=1.0, signs=(0, 0), intercept=False)
    assert b == 0.0


def test_signs_must_match_the_features():
    with pytest.raises(ValueError, match="expected 2 signs, got 1"):
        fit.signed(*separable(), c=1.0, signs=(1,))


def test_the_ranker_puts_the_right_candidate_first():
    rng = np.random.default_rng(3)
    groups = []
    for _ in range(40):
        m = rng.normal(size=(6, 2))
        y = np.zeros(6, bool)
        y[np.argmax(m[:, 0])] = True  # the first feature decides; the second is noise
        groups.append((m, y))
    model = fit.ranker(groups, ("a", "b"), {"a": 1, "b": 0}, c=1.0)
    assert model.intercept == 0.0 and model.coef[0] > 2 * abs(model.coef[1])
    assert np.mean([y[np.argmax(model.score(m))] for m, y in groups]) == 1.0


def test_the_kind_softmax_learns_from_its_inputs_and_keeps_unseen_kinds_unlikely():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(90, 3))
    y = ["count" if r[0] > 0.5 else "reason" if r[1] > 0 else "fact" for r in x]
    model = fit.softmax_model(x, y, NAMES, (), c=10.0)
    p = model.probs(np.array([3.0, 0.0, 0.0]))
    assert NAMES[int(np.argmax(p))] == "count"
    assert p[NAMES.index("money")] < 1e-3  # no question asked for money: never likely


def test_asking_words_are_the_opening_each_question_word_with_the_next_and_every_word():
    assert asking("How many claims were filed, and why?") == (
        "first:how", "first2:how many", "wh:how many", "wh:why", "has:how", "has:many",
        "has:claims", "has:were", "has:filed", "has:and", "has:why")
    assert asking("") == ()


def test_a_kind_model_reads_the_vector_and_the_asking_words():
    from index.answers.models import Softmax

    weights = tuple(tuple([0.0, 0.0, 5.0] if k == "count" else [0.0, 0.0, 0.0]) for k in NAMES)
    model = Softmax(NAMES, ("wh:how many",), weights, (0.0,) * len(NAMES))
    row = kind_row(np.ones(2), "How many were there?", model.words)
    assert row.tolist() == [Features.vector, Features.vector, 1.0]
    assert max(guess(model, np.zeros(2), "How many were there?").items(),
               key=lambda kv: kv[1])[0] == "count"


def test_an_asking_word_counts_only_when_several_works_use_it():
    class Item:
        def __init__(self, group, words):
            self.group, self.asking = group, words

    items = [Item("a", ("wh:how many", "first:which")), Item("b", ("wh:how many",)),
             Item("a", ("wh:which court",))]
    assert vocabulary(items, 2) == ("wh:how many",)


def test_the_threshold_keeps_false_abstentions_within_the_cap():
    unans = np.array([True] * 4 + [False] * 40)
    rules = np.zeros(44, bool)
    one = np.array(["a"] * 44)
    p = np.r_[[0.9, 0.8, 0.3, 0.2], np.linspace(0.0, 0.7, 40)]
    t = threshold(p, unans, rules, 0.05, one)
    assert np.mean((p >= t)[~unans]) <= 0.05 and np.sum((p >= t)[unans]) == 2
    rules[4:10] = True  # the rules already abstain on 6 of the 40 answerable ones (15%)
    t = threshold(p, unans, rules, 0.05, one)  # the model may add 2.5% more: one
    assert t < 1.01 and np.mean((rules | (p >= t))[~unans]) == 7 / 40


def test_the_threshold_holds_the_mean_over_papers_not_the_pooled_share():
    """A small paper's false abstentions count as much as a large one's: 4 of a 20-question
    paper refused is 0.20 for it, though only 4 of 120 pooled (0.033)."""
    unans = np.zeros(120, bool)
    papers = np.array(["big"] * 100 + ["small"] * 20)
    p = np.r_[np.full(100, 0.1), np.full(16, 0.1), np.full(4, 0.8)]
    rules = np.zeros(120, bool)
    t = threshold(p, unans, rules, 0.05, papers)
    assert t > 0.8  # 0.8 would refuse (0.00 + 0.20) / 2 = 0.10 on the mean over papers
    pooled = threshold(p, unans, rules, 0.05, np.array(["all"] * 120))
    assert pooled == pytest.approx(0.8)  # pooled, 4 of 120 passes 0.05


def test_a_band_is_the_lowest_cut_right_often_enough_by_its_interval():
    p = np.linspace(0, 1, 40)
    right = p > 0.3
    cut = band(p, right, 0.9, 0.6827, least=5)
    assert right[p >= cut].mean() >= 0.9 and cut < 0.4
    assert band(p, right, 0.9, 0.95, least=5) >= cut  # surer: the same cut or a higher one
    assert band(p, np.zeros(40, bool), 0.9, 0.6827) == 1.01
    # all of them right, the lower end at one standard error is about n / (n + 1): ten
    # cases reach 0.9 (0.909), eight do not (0.889), though every one of them is right
    ten = np.arange(40) >= 30
    assert band(p, ten, 0.9, 0.6827, least=5) == p[30]
    assert band(p, np.arange(40) >= 32, 0.9, 0.6827, least=5) == 1.01


def test_the_left_out_gate_reads_floors_and_a_ceiling():
    from eval.learning.__main__ import outside, parse_bounds

    bounds = parse_bounds("answer_hit=0.6, false_abstention=0.08")
    assert bounds == {"answer_hit": 0.6, "false_abstention": 0.08}
    assert outside({"answer_hit": 0.61, "false_abstention": 0.05}, bounds) == []
    assert outside({"answer_hit": 0.59, "false_abstention": 0.09}, bounds) == [
        "answer_hit 0.590 is past its floor 0.600",
        "false_abstention 0.090 is past its ceiling 0.080"]
    assert outside({"false_abstention": 0.0}, bounds)[0].startswith("answer_hit nan")
    for bad in ("mrr=0.5", "answer_hit", "answer_hit=lots", ""):
        with pytest.raises(SystemExit):
            parse_bounds(bad)


def test_a_smaller_pool_gets_its_own_best_token_matches():
    from eval.learning.items import within
    from index.answers.candidates import Candidates

    cands = Candidates((1, 2, 3), (1, 2, 3), np.zeros((3, 10), np.float32),
                       (frozenset(),) * 3, frozenset({"w"}), np.array([0.9], np.float32))
    labels = np.array([False, True, False])
    small, kept = within(cands, labels, 2, np.array([0.4], np.float32))
    assert small.units == (1, 2) and kept.tolist() == [False, True]
    assert small.token_best.tolist() == [np.float32(0.4)]
    assert within(cands, labels, 5)[0].token_best.tolist() == [np.float32(0.9)]


def test_learning_again_without_settings_uses_the_shipped_models_settings():
    from eval.learning.__main__ import describe, parse_settings, shipped_settings
    from index.answers.models import MODELS, load

    named = shipped_settings(MODELS)
    assert named == load(MODELS).trained["settings"]
    # the recorded text reads back as the same settings, so `make learn` makes what ships
    assert describe(parse_settings(named)) == named
    assert parse_settings("defaults") == parse_settings("")
