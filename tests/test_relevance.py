"""Tests for eval.relevance: the chunking-independent definition of 'a passage holds a quote'."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eval.relevance import (
    covered_golds,
    is_relevant,
    longest_common_run,
    normalize_tokens,
)

QUOTE = "the model attends to every token in the input sequence"  # 10 tokens


# --- normalize_tokens -------------------------------------------------------------------------


def test_normalize_tokens_drops_punctuation_and_case() -> None:
    assert normalize_tokens("  Hello,   WORLD!! (again) ") == ("hello", "world", "again")


def test_normalize_tokens_curly_and_straight_apostrophes_agree() -> None:
    assert normalize_tokens("don\u2019t") == normalize_tokens("don't") == ("don", "t")
    assert normalize_tokens("\u201cquoted\u201d") == normalize_tokens('"quoted"') == ("quoted",)


def test_normalize_tokens_nfkc_folds_ligatures_and_fullwidth() -> None:
    assert normalize_tokens("\ufb01ne") == ("fine",)  # fi ligature
    assert normalize_tokens("\uff21\uff22\uff23") == ("abc",)  # full-width ABC


def test_normalize_tokens_empty_and_punctuation_only() -> None:
    assert normalize_tokens("") == ()
    assert normalize_tokens(" ... -- !? ") == ()


def test_normalize_tokens_rejects_non_str() -> None:
    with pytest.raises(ValueError, match="expected str"):
        normalize_tokens(None)  # type: ignore[arg-type]


# --- longest_common_run -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "passage", "expected"),
    [
        ("a b c d", "x a b c d y", 4),
        ("a b c d", "a b x c d", 2),
        ("a b c d", "d c b a", 1),
        ("a b c d", "x y z", 0),
        ("a a a", "a a b a a a a", 3),
        ("", "a b", 0),
        ("a b", "", 0),
    ],
)
def test_longest_common_run_known(quote: str, passage: str, expected: int) -> None:
    assert longest_common_run(quote.split(), passage.split()) == expected


def _brute_force_run(a: list[str], b: list[str]) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(len(b)):
            n = 0
            while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                n += 1
            best = max(best, n)
    return best


@given(
    st.lists(st.sampled_from("abc"), max_size=12),
    st.lists(st.sampled_from("abc"), max_size=30),
)
def test_longest_common_run_matches_brute_force(a: list[str], b: list[str]) -> None:
    assert longest_common_run(a, b) == _brute_force_run(a, b)


def test_longest_common_run_long_passage() -> None:
    quote = [f"q{i}" for i in range(40)]
    passage = [f"w{i % 97}" for i in range(5000)] + quote[5:30] + ["end"]
    assert longest_common_run(quote, passage) == 25


# --- is_relevant ------------------------------------------------------------------------------


def test_whole_quote_inside_passage_is_relevant() -> None:
    assert is_relevant(f"As shown in Fig. 2, {QUOTE}, unlike RNNs.", QUOTE)


def test_exactly_half_as_one_run_is_relevant() -> None:
    half = " ".join(QUOTE.split()[:5])  # 5 of 10 tokens == ceil(0.5 * 10)
    assert is_relevant(f"Recall that {half} here.", QUOTE)


def test_one_token_short_of_half_is_not_relevant() -> None:
    four = " ".join(QUOTE.split()[:4])
    assert not is_relevant(f"Recall that {four} here.", QUOTE)


def test_half_split_into_two_runs_is_not_relevant() -> None:
    words = QUOTE.split()
    passage = f"{' '.join(words[:3])} something else entirely {' '.join(words[6:8])}"
    # 5 quote tokens present, but the longest contiguous run is only 3 < 5.
    assert longest_common_run(normalize_tokens(QUOTE), normalize_tokens(passage)) == 3
    assert not is_relevant(passage, QUOTE)


def test_odd_length_quote_rounds_threshold_up() -> None:
    quote = "alpha beta gamma delta epsilon"  # 5 tokens -> need ceil(2.5) = 3
    assert not is_relevant("alpha beta", quote)
    assert is_relevant("alpha beta gamma", quote)


def test_punctuation_case_and_curly_quotes_do_not_matter() -> None:
    quote = "The model\u2019s \u201cattention\u201d weights -- are sparse."
    passage = 'we find THE MODEL\'S "Attention" weights, are sparse!'
    assert is_relevant(passage, quote, min_fraction=1.0)


def test_empty_quote_is_relevant_to_nothing() -> None:
    assert not is_relevant("any passage at all", "")
    assert not is_relevant("any passage at all", " ... ")
    assert not is_relevant("", "")


def test_min_fraction_one_requires_whole_quote() -> None:
    assert not is_relevant(" ".join(QUOTE.split()[:9]), QUOTE, min_fraction=1.0)
    assert is_relevant(QUOTE, QUOTE, min_fraction=1.0)


def test_tiny_min_fraction_still_needs_one_token() -> None:
    assert is_relevant("token", QUOTE, min_fraction=1e-6)
    assert not is_relevant("unrelated words", QUOTE, min_fraction=1e-6)


def test_float_noise_does_not_raise_threshold() -> None:
    # 0.28 * 25 == 7.000000000000001 in floats; the threshold must stay 7, not 8.
    quote = " ".join(f"w{i}" for i in range(25))
    assert is_relevant(" ".join(f"w{i}" for i in range(7)), quote, min_fraction=0.28)
    assert not is_relevant(" ".join(f"w{i}" for i in range(6)), quote, min_fraction=0.28)


@pytest.mark.parametrize("bad", [0, 0.0, -0.1, 1.0000001, 2, float("nan"), float("inf")])
def test_min_fraction_out_of_range_rejected(bad: float) -> None:
    with pytest.raises(ValueError, match="min_fraction"):
        is_relevant(QUOTE, QUOTE, min_fraction=bad)


@pytest.mark.parametrize("bad", [True, "0.5", None])
def test_min_fraction_wrong_type_rejected(bad: object) -> None:
    with pytest.raises(ValueError, match="min_fraction"):
        is_relevant(QUOTE, QUOTE, min_fraction=bad)  # type: ignore[arg-type]


@given(st.text(max_size=60))
def test_nonempty_quote_is_relevant_to_itself(text: str) -> None:
    assert is_relevant(text, text) == bool(normalize_tokens(text))


# --- covered_golds ----------------------------------------------------------------------------


def test_covered_golds_returns_indices_of_held_quotes() -> None:
    golds = [
        "attention is all you need",
        "positional encodings use sine and cosine functions",
        "dropout rate of 0.1",
        "",
    ]
    passage = "We use sine and cosine functions of different frequencies. Attention is all."
    assert covered_golds(passage, golds) == frozenset({0, 1})
    assert covered_golds(passage, golds, min_fraction=1.0) == frozenset()
    assert covered_golds(passage, []) == frozenset()


def test_covered_golds_agrees_with_is_relevant() -> None:
    golds = ["a b c d", "c d e f", "x y", "b"]
    passage = "a b c d e"
    expected = frozenset(i for i, g in enumerate(golds) if is_relevant(passage, g))
    assert covered_golds(passage, golds) == expected == frozenset({0, 1, 3})


def test_covered_golds_rejects_single_string() -> None:
    with pytest.raises(ValueError, match="single str"):
        covered_golds("passage", "a gold quote")


def test_covered_golds_validates_min_fraction() -> None:
    with pytest.raises(ValueError, match="min_fraction"):
        covered_golds("passage", ["passage"], min_fraction=0)
