"""Assembles the document model from a layout: body text, sections, paragraphs, sentences.

Pure: `parse_document(text)` touches no file, and `build_document(layout)` is the one
assembly every format shares (extracted text, Markdown, PDF): each reads its own layout, this
turns it into a `Document`. The body text is the headings and paragraphs joined by blank
lines; every offset in the model points into it. Text before the first heading (or a text
with no headings at all) goes into a section called "Untitled". Time is linear in the text:
the body is built from a list of parts, markers and pages are found by bisection.
Leaves out reading files (`load`), reading layouts (`layout`, `markdown`, `pdf`) and chunking.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .footnotes import resolve
from .layout import Heading, Layout, RawParagraph, read_layout
from .records import UNTITLED, Document, Paragraph, Section, Sentence
from .sentences import split_spans


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    size: int = 0  # len("".join(parts)), kept so appending stays linear
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    cited: dict[int, int] = field(default_factory=dict)  # footnote number -> citing page

    def append(self, text: str) -> int:
        if self.size:
            self.parts.append("\n\n")
            self.size += 2
        start = self.size
        self.parts.append(text)
        self.size += len(text)
        return start

    def open_section(self, title: str, page: int, in_body: bool) -> None:
        self.close_section()
        start = self.append(title) if in_body else self.size
        self.sections.append(Section(len(self.sections) + 1, title, page, start, start))

    def close_section(self) -> None:
        if self.sections:
            last = self.sections[-1]
            self.sections[-1] = Section(last.number, last.title, last.page, last.start,
                                        self.size)

    def add_paragraph(self, raw: RawParagraph) -> None:
        offset = self.append(raw.text)
        section = self.sections[-1].number
        index = len(self.paragraphs) + 1
        marks = [o for o, _ in raw.page_marks]

        def page_at(pos: int) -> int:
            return raw.page_marks[max(bisect_right(marks, pos) - 1, 0)][1]

        spans = split_spans(raw.text)
        notes = sentence_markers(raw.markers, [s for s, _ in spans])
        for i, (s, e) in enumerate(spans):
            inside = raw.page_marks[bisect_left(marks, s):bisect_left(marks, e)]
            pages = tuple(sorted({page_at(s)} | {p for _, p in inside}))
            for n in notes[i]:
                self.cited.setdefault(n, page_at(e - 1))
            self.sentences.append(Sentence(len(self.sentences), raw.text[s:e], section, index,
                                           pages, offset + s, offset + e, notes[i]))
        pages = tuple(sorted({p for _, p in raw.page_marks}))
        self.paragraphs.append(Paragraph(index, section, pages, offset, self.size))


def sentence_markers(markers: tuple[tuple[int, int], ...],
                     starts: list[int]) -> list[tuple[int, ...]]:
    """The footnote numbers each sentence carries: a marker at offset o belongs to the sentence
    i with start_i < o <= start_i+1 (the first sentence also takes markers before it)."""
    out: list[list[int]] = [[] for _ in starts]
    if not starts:
        return []
    for o, n in markers:
        out[max(bisect_left(starts, o) - 1, 0)].append(n)
    return [tuple(x) for x in out]


def build_document(layout: Layout, page_labels: tuple[str, ...] = ()) -> Document:
    """The document model of one layout, from any format. Never raises."""
    b = _Builder()
    for block in layout.blocks:
        if isinstance(block, Heading):
            b.open_section(block.title, block.page, in_body=True)
            continue
        if not b.sections:
            b.open_section(UNTITLED, block.page_marks[0][1] if block.page_marks else 1, False)
        b.add_paragraph(block)
    if not b.sections:
        b.open_section(UNTITLED, 1, in_body=False)
    b.close_section()
    for number in layout.orphans:
        b.cited.setdefault(number, 1)
    footnotes = resolve(layout.footnotes, b.cited)
    labels = page_labels if len(page_labels) == layout.pages else tuple(
        str(n) for n in range(1, layout.pages + 1))
    return Document("".join(b.parts), layout.pages, tuple(b.sections), tuple(b.paragraphs),
                    tuple(b.sentences), footnotes, labels, title=layout.title)


def parse_document(text: str) -> Document:
    """The document model of one extracted paper. Never raises on any string."""
    return build_document(read_layout(text))
