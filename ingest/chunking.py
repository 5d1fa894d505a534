"""Cuts the document into retrievable chunks: windows of whole sentences inside one section.

A window takes sentences while it stays within `chunk_chars` (a sentence longer than that
stands alone), then the next window starts `chunk_overlap` sentences back. Windows never cross
a section; they may cross paragraphs inside one. Chunk text is exactly `body[start:end]`.
A reference list's entries (`backmatter`) are left out: no window holds them or spans them.
Leaves out embedding and any notion of relevance.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .backmatter import reference_list
from .records import Chunk, Document, Sentence


@dataclass(frozen=True)
class Chunking:
    """How the paper is cut; chosen on every corpus paper (eval/tuning.md, "Retrieval across
    papers")."""

    chars: int = 600  # soft cap on a chunk's length; a longer sentence stands alone
    overlap: int = 1  # sentences shared by neighbouring chunks

    def __post_init__(self) -> None:
        for name in ("chars", "overlap"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"expected chunking {name} as a whole number, got {value!r}")
        if self.chars < 1:
            raise ValueError(f"expected chunking chars >= 1, got {self.chars}")
        if self.overlap < 0:
            raise ValueError(f"expected chunking overlap >= 0, got {self.overlap}")


def windows(lengths: list[int], max_chars: int, overlap: int) -> list[tuple[int, int]]:
    """[start, end) sentence index ranges covering every sentence, in order."""
    out: list[tuple[int, int]] = []
    start = 0
    while start < len(lengths):
        end, size = start + 1, lengths[start]
        while end < len(lengths) and size + 1 + lengths[end] <= max_chars:
            size += 1 + lengths[end]
            end += 1
        out.append((start, end))
        if end == len(lengths):
            break
        start = max(end - overlap, start + 1)
    return out


def _make(doc: Document, sents: list[Sentence], title: str, n: int) -> Chunk:
    first, last = sents[0], sents[-1]
    pages = tuple(sorted({p for s in sents for p in s.pages}))
    paragraphs = tuple(dict.fromkeys(s.paragraph for s in sents))
    notes = tuple(dict.fromkeys(f for s in sents for f in s.footnotes))
    return Chunk(f"p{pages[0]}-s{first.section}-c{n}", doc.body[first.start:last.end], title,
                 first.section, pages, paragraphs[0], paragraphs, first.start, last.end, notes,
                 tuple(s.index for s in sents))


def chunk(doc: Document, how: Chunking = Chunking()) -> list[Chunk]:  # noqa: B008 - frozen
    titles = {s.number: s.title for s in doc.sections}
    skip = reference_list(doc)
    chunks: list[Chunk] = []
    for number, group in groupby(doc.sentences, key=lambda s: s.section):
        n = 0
        for kept, run in groupby(group, key=lambda s: s.paragraph not in skip):
            if not kept:
                continue
            sents = list(run)
            for a, b in windows([len(s.text) for s in sents], how.chars, how.overlap):
                n += 1
                chunks.append(_make(doc, sents[a:b], titles[number], n))
    return chunks
