"""Assembles the document model from the layout: body text, sections, paragraphs, sentences.

Pure: `parse_document(text)` touches no file. The body text is the headings and paragraphs
joined by blank lines; every offset in the model points into it. Text before the first heading
(or a text with no headings at all) goes into a section called "Untitled".
Leaves out reading files (`load`) and chunking (`chunking`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .footnotes import resolve
from .layout import Heading, RawParagraph, read_layout
from .records import UNTITLED, Document, Paragraph, Section, Sentence
from .sentences import split_spans


@dataclass
class _Builder:
    body: str = ""
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    cited: dict[int, int] = field(default_factory=dict)  # footnote number -> citing page

    def append(self, text: str) -> int:
        if self.body:
            self.body += "\n\n"
        start = len(self.body)
        self.body += text
        return start

    def open_section(self, title: str, page: int, in_body: bool) -> None:
        self.close_section()
        start = self.append(title) if in_body else len(self.body)
        self.sections.append(Section(len(self.sections) + 1, title, page, start, start))

    def close_section(self) -> None:
        if self.sections:
            last = self.sections[-1]
            self.sections[-1] = Section(last.number, last.title, last.page, last.start,
                                        len(self.body))

    def add_paragraph(self, raw: RawParagraph) -> None:
        offset = self.append(raw.text)
        section = self.sections[-1].number
        index = len(self.paragraphs) + 1
        marks = [o for o, _ in raw.page_marks]

        def page_at(pos: int) -> int:
            return raw.page_marks[max(bisect_right(marks, pos) - 1, 0)][1]

        spans = split_spans(raw.text)
        for i, (s, e) in enumerate(spans):
            nxt = spans[i + 1][0] if i + 1 < len(spans) else len(raw.text) + 1
            notes = tuple(n for o, n in raw.markers if s < o <= nxt or (i == 0 and o <= s))
            pages = tuple(sorted({page_at(s)} | {p for o, p in raw.page_marks if s <= o < e}))
            for n in notes:
                self.cited.setdefault(n, page_at(e - 1))
            self.sentences.append(Sentence(len(self.sentences), raw.text[s:e], section, index,
                                           pages, offset + s, offset + e, notes))
        pages = tuple(sorted({p for _, p in raw.page_marks}))
        self.paragraphs.append(Paragraph(index, section, pages, offset, len(self.body)))


def parse_document(text: str) -> Document:
    """The document model of one extracted paper. Never raises on any string."""
    layout = read_layout(text)
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
    return Document(b.body, layout.pages, tuple(b.sections), tuple(b.paragraphs),
                    tuple(b.sentences), footnotes)
