"""Decide whether a passage holds a gold quote, independently of how the paper was chunked.

The definition the benchmark reports rely on is `DEFINITION` below (the report prints it
word for word). Deliberately left out: fuzzy or semantic matching (stemming, synonyms, edit
distance), any notion of chunk identity or position, and quotes that straddle two passages
(callers test each passage on its own). No I/O, no state.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

__all__ = ["DEFINITION", "covered_golds", "is_relevant", "longest_common_run",
           "normalize_tokens"]

DEFINITION = """\
1. Normalisation. A text is NFKC-normalised, curly quotes and apostrophes are mapped to
   straight ones, it is lowercased, and it is split into word tokens with the regex ``\\w+``
   (Unicode-aware). Punctuation and whitespace therefore never matter; an apostrophe splits a
   word (``don't`` -> ``don``, ``t``) the same way in the quote and in the passage.
2. Threshold. Let ``n`` be the number of tokens of the gold quote. The threshold is
   ``t = max(1, ceil(min_fraction * n))`` (computed with a 1e-9 tolerance, so float noise such
   as ``0.28 * 25 == 7.000000000000001`` does not raise it to 8).
3. Relevance. A passage holds the quote when the longest run of consecutive quote tokens that
   also appears as consecutive passage tokens (longest common substring over tokens) has length
   ``>= t``. Two shorter runs never add up: half of a quote split across two places in the
   passage does not count.
4. A quote with no tokens (empty or punctuation only) is held by no passage."""

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / apostrophe
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u02bc": "'",  # modifier letter apostrophe (a \w character otherwise)
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2033": '"',  # double prime
    }
)
_FLOAT_SLACK = 1e-9


def normalize_tokens(text: str) -> tuple[str, ...]:
    """Return the normalised word tokens of ``text`` (see the module docstring)."""
    if not isinstance(text, str):
        raise ValueError(f"expected str, got {type(text).__name__}")
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTE_MAP).lower()
    return tuple(_TOKEN_RE.findall(folded))


def longest_common_run(quote: Sequence[str], passage: Sequence[str]) -> int:
    """Length of the longest contiguous run of tokens present in both sequences.

    Dynamic programming over the passage, touching only quote positions whose token matches
    the current passage token: O(len(passage) * matches) time, O(len(quote)) memory.
    """
    positions: dict[str, list[int]] = {}
    for j, token in enumerate(quote):
        positions.setdefault(token, []).append(j)
    best = 0
    previous: dict[int, int] = {}  # quote index -> run length ending there at passage i-1
    for token in passage:
        current: dict[int, int] = {}
        for j in positions.get(token, ()):
            run = previous.get(j - 1, 0) + 1
            current[j] = run
            best = max(best, run)
        previous = current
    return best


def _check_fraction(min_fraction: float) -> None:
    if isinstance(min_fraction, bool) or not isinstance(min_fraction, (int, float)):
        raise ValueError(f"expected min_fraction as a number, got {type(min_fraction).__name__}")
    if not 0 < min_fraction <= 1:
        raise ValueError(f"expected min_fraction in (0, 1], got {min_fraction!r}")


def _threshold(n_tokens: int, min_fraction: float) -> int:
    return max(1, math.ceil(min_fraction * n_tokens - _FLOAT_SLACK))


def _holds(passage_tokens: Sequence[str], quote_tokens: Sequence[str], min_fraction: float) -> bool:
    if not quote_tokens:
        return False
    needed = _threshold(len(quote_tokens), min_fraction)
    if len(passage_tokens) < needed:
        return False
    return longest_common_run(quote_tokens, passage_tokens) >= needed


def is_relevant(passage: str, quote: str, min_fraction: float = 0.5) -> bool:
    """True when ``passage`` holds ``quote``: one contiguous run of at least
    ``max(1, ceil(min_fraction * n))`` of the quote's ``n`` normalised tokens."""
    _check_fraction(min_fraction)
    return _holds(normalize_tokens(passage), normalize_tokens(quote), min_fraction)


def covered_golds(passage: str, golds: Sequence[str], min_fraction: float = 0.5) -> frozenset[int]:
    """Indices (into ``golds``) of the gold quotes that ``passage`` holds (see is_relevant)."""
    _check_fraction(min_fraction)
    if isinstance(golds, str):
        raise ValueError("expected a sequence of gold quotes, got a single str")
    passage_tokens = normalize_tokens(passage)
    return frozenset(
        i
        for i, quote in enumerate(golds)
        if _holds(passage_tokens, normalize_tokens(quote), min_fraction)
    )
