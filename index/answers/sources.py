"""Source answers: which work the paper cites for a claim, from its own footnotes.

A claim's footnotes are the markers on its sentence or, when it has none, those of the first
later sentence of the same paragraph that has some (a note at the end of a passage covers the
passage, as humanities papers use them). Each footnote gives its resolved source ("Ibid." is
already resolved to the entry it repeats, with its own page). When the question names a work
(two of its source's words that are rare in the paper, or a quoted title), the footnotes
whose source matches it are the ones asked about. A claim whose footnotes are all missing
from the extract, or that has none and whose paragraph names no work in its text, gets no
source: the answer says so. Leaves out finding the claim sentence (`compose`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.records import Footnote

from ..build import IndexData, tokenize
from ..config import Features

# A work named in the text itself: a quoted title, "according to", "(2004)".
IN_TEXT = re.compile(r"[\u201c\"][^\u201d\"]{12,}[\u201d\"]|\baccording to\b|\(\d{4}\)",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Backing:
    claim: int  # Sentence.index of the claim
    notes: tuple[Footnote, ...]  # its footnotes, in the order they are printed
    carrier: int  # the sentence the markers follow (the claim itself, or a later one)

    @property
    def given(self) -> tuple[Footnote, ...]:
        """Its footnotes that give a source (not missing from the extract)."""
        return tuple(f for f in self.notes if not f.missing and f.source)


def backing(data: IndexData, s: int) -> Backing:
    """The footnotes behind the claim in sentence `s` (none when its paragraph has none
    from `s` on)."""
    sents = data.sentences
    t = s
    while t < len(sents) and sents[t].paragraph == sents[s].paragraph:
        if sents[t].footnotes:
            notes = data.footnote_map
            return Backing(s, tuple(notes[n] for n in sents[t].footnotes if n in notes), t)
        t += 1
    return Backing(s, (), s)


def in_text(data: IndexData, s: int) -> int | None:
    """A sentence of `s`'s paragraph, up to `s`, that names its source in the text, nearest
    first."""
    para = data.sentences[s].paragraph
    for t in range(s, -1, -1):
        if data.sentences[t].paragraph != para:
            break
        if IN_TEXT.search(data.sentences[t].text):
            return t
    return None


def named(data: IndexData, question: str, least: int = Features.named_min) -> tuple[int, ...]:
    """Footnote numbers whose source the question names: it shares at least `least` words
    with the source that are rare in the paper's body, or quotes its title."""
    qwords = frozenset(tokenize([question])[0])
    idf, top = data.word_idf, data.max_idf
    quoted = [q.lower().strip() for q in re.findall(
        r"['\u2018\u201c\"]([^'\u2019\u201d\"]{12,})", question)]
    found: list[int] = []
    for f in data.footnotes:
        if not f.source or (f.ibid_of or f.number) in found:  # an Ibid. names its entry again
            continue
        text = f.source.lower()
        shared = qwords & data.source_words.get(f.number, frozenset())
        if any(q in text for q in quoted) or len(
                [w for w in shared if idf.get(w, top) >= 0.5 * top]) >= least:
            found.append(f.ibid_of or f.number)
    return tuple(dict.fromkeys(found))


def describe(f: Footnote) -> str:
    """A footnote as an answer names it: its resolved source and where the paper cites it."""
    via = f" (footnote {f.number}, Ibid. of footnote {f.ibid_of})" if f.ibid_of else \
        f" (footnote {f.number})"
    return f"{(f.source or f.text).rstrip(' .')}{via}"


def problem(b: Backing, data: IndexData) -> str | None:
    """Why this claim has no source to give (one phrase), or None when it has one."""
    if b.given:
        return None
    if b.notes:
        numbers = ", ".join(str(f.number) for f in b.notes)
        one = len(b.notes) == 1
        return (f"the paper cites footnote{'' if one else 's'} {numbers} for this; "
                f"{'its' if one else 'their'} text is not in this extract")
    if in_text(data, b.claim) is not None:
        return None
    return "the paper gives no source for this claim"
