"""Cuts the document into retrievable chunks: windows of whole sentences inside one section.

A window takes sentences while it stays within `chunk_chars` (a sentence longer than that
stands alone), then the next window starts `chunk_overlap` sentences back. Windows never cross
a section; they may cross paragraphs inside one. Chunk text is exactly `body[start:end]`.
A reference list's entries (`backmatter`) are left out: no window holds them or spans them.
A chunk carries the footnotes its sentences cite and, on the first chunk that shows its page,
a note no sentence cites (its marker on the title or byline, in a figure's caption, or not
found): a note the paper prints is searched and shown with a passage, never dropped.
Leaves out embedding and any notion of relevance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import groupby

from .backmatter import reference_list
from .records import Chunk, Document, Footnote, Sentence


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
    return hang_unanchored(chunks, doc)


def unanchored(sentences: Sequence[Sentence], footnotes: Sequence[Footnote]) -> tuple[int, ...]:
    """The notes no sentence cites, in order: a title's or byline's ("*": who funded the work,
    where it first appeared), a caption's, or one whose marker was not found in the body."""
    cited = {n for s in sentences for n in s.footnotes}
    return tuple(f.number for f in footnotes if f.number not in cited)


def anchor(chunks: list[Chunk], page: int | None) -> int:
    """The chunk a note printed on `page` hangs on: the first that shows the page, else the
    last that starts before it, else the first."""
    if page is not None:
        for i, c in enumerate(chunks):
            if page in c.pages:
                return i
        before = [i for i, c in enumerate(chunks) if c.pages[0] < page]
        if before:
            return before[-1]
    return 0


def hang_unanchored(chunks: list[Chunk], doc: Document) -> list[Chunk]:
    """`chunks` with every unanchored note added to the footnotes of its page's chunk."""
    if not chunks:
        return chunks
    pages = {f.number: f.page for f in doc.footnotes}
    for n in unanchored(doc.sentences, doc.footnotes):
        i = anchor(chunks, pages[n])
        chunks[i] = replace(chunks[i], footnotes=(*chunks[i].footnotes, n))
    return chunks
