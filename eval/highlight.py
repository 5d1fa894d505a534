"""Where in a passage a gold quote was found: the character span of the longest run of the
quote's normalised words that the passage holds (`relevance` decides whether it holds it).

Offsets come from matching word tokens in the original text one by one; when normalising a
token changes how many tokens it makes (rare Unicode forms), the passage is not marked rather
than marked in the wrong place. Leaves out deciding relevance (`relevance`) and HTML.
No I/O, no state.
"""

from __future__ import annotations

import math
import re

from .relevance import normalize_tokens

_WORD = re.compile(r"\w+", re.UNICODE)


def tokens_with_offsets(text: str) -> list[tuple[str, int, int]] | None:
    """(token, start, end) for every normalised token of `text`, or None when the offsets
    cannot be trusted."""
    out = []
    for m in _WORD.finditer(text):
        toks = normalize_tokens(m.group())
        if len(toks) != 1:
            return None
        out.append((toks[0], m.start(), m.end()))
    if tuple(t for t, _, _ in out) != normalize_tokens(text):
        return None
    return out


def longest_run_at(quote: tuple[str, ...], passage: list[str]) -> tuple[int, int]:
    """(length, index in `passage` where it ends) of the longest common contiguous run."""
    positions: dict[str, list[int]] = {}
    for j, token in enumerate(quote):
        positions.setdefault(token, []).append(j)
    best, end = 0, -1
    previous: dict[int, int] = {}
    for i, token in enumerate(passage):
        current: dict[int, int] = {}
        for j in positions.get(token, ()):
            run = previous.get(j - 1, 0) + 1
            current[j] = run
            if run > best:
                best, end = run, i
        previous = current
    return best, end


def gold_span(text: str, quote: str, min_fraction: float = 0.5) -> tuple[int, int] | None:
    """The [start, end) characters of `text` holding the longest run of `quote`'s words,
    when that run is long enough for `relevance` to say `text` holds the quote (at least
    `min_fraction` of its words); else None (also when offsets cannot be trusted)."""
    toks = tokens_with_offsets(text)
    q = normalize_tokens(quote)
    if not toks or not q:
        return None
    length, end = longest_run_at(q, [t for t, _, _ in toks])
    if length == 0 or length < max(1, math.ceil(min_fraction * len(q) - 1e-9)):
        return None
    return toks[end - length + 1][1], toks[end][2]


def mark(text: str, spans: list[tuple[int, int]], escape, tag: str = "mark") -> str:
    """`text` escaped with `escape`, each (merged) span wrapped in <tag class="gold">."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, cursor = [], 0
    for s, e in merged:
        out += [escape(text[cursor:s]), f'<{tag} class="gold">', escape(text[s:e]), f"</{tag}>"]
        cursor = e
    out.append(escape(text[cursor:]))
    return "".join(out)
