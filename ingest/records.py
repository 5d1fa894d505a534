"""Typed, frozen records of the document model: what `ingest` hands to every later stage.

Deliberately plain data: no parsing, no I/O, no behaviour beyond `to_dict` for JSON output.
Offsets (`start`, `end`) always index into `Document.body`, the cleaned body text.
Leaves out search-side records (`index.records`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

UNTITLED = "Untitled"


@dataclass(frozen=True)
class Footnote:
    """One footnote of the paper; `missing` when the text cites it but the extract lacks it,
    `unreferenced` when the extract has its text but no marker in the body cites it."""

    number: int
    text: str
    source: str | None  # the full reference it stands for ("Ibid." resolved), None if unknown
    missing: bool
    page: int | None  # page of its footnote block, or where it is cited when missing
    ibid_of: int | None = None  # the full entry an "Ibid." resolves to
    unreferenced: bool = False
    mark: str = ""  # the printed marker when it is not the number itself ("*", a repeated "1")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Section:
    number: int  # 1-based
    title: str
    page: int  # page the heading is on
    start: int
    end: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Paragraph:
    index: int  # 1-based over the whole document
    section: int
    pages: tuple[int, ...]
    start: int
    end: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Sentence:
    index: int  # 0-based over the whole document
    text: str
    section: int
    paragraph: int
    pages: tuple[int, ...]
    start: int
    end: int
    footnotes: tuple[int, ...]  # footnote markers that follow this sentence


@dataclass(frozen=True)
class Extra:
    """Printed matter that is neither body text nor a note: kept apart, as what it is."""

    kind: str  # "cover" (lines around the title), "contents" (a table of contents or list of
    # figures), "caption" (a figure's or table's)
    text: str
    page: int
    footnotes: tuple[int, ...] = ()  # notes whose markers are printed in it (a caption's)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Document:
    body: str  # headings and paragraphs joined by blank lines; every offset points here
    pages: int
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    footnotes: tuple[Footnote, ...]  # sorted by number, present and missing alike
    page_labels: tuple[str, ...] = ()  # the printed label of each page ("iv", "12"), in order
    title: str = ""  # as printed (or the PDF's metadata); "" when none was found
    authors: tuple[str, ...] = ()
    year: int | None = None
    title_notes: tuple[int, ...] = ()  # notes whose markers sit on the title or its byline
    extras: tuple[Extra, ...] = ()  # cover lines, contents, captions: not body, not headings

    def label(self, page: int) -> str:
        """The printed label of a page (1-based), or its number when none is known."""
        ok = 1 <= page <= len(self.page_labels)
        return self.page_labels[page - 1] if ok else str(page)

    def footnote(self, number: int) -> Footnote | None:
        return next((f for f in self.footnotes if f.number == number), None)


@dataclass(frozen=True)
class Chunk:
    """A retrievable window of whole sentences inside one section."""

    id: str  # stable and readable: p<first page>-s<section>-c<n>
    text: str  # exactly body[start:end]
    section: str
    section_number: int
    pages: tuple[int, ...]
    paragraph: int  # the paragraph it starts in
    paragraphs: tuple[int, ...]
    start: int
    end: int
    footnotes: tuple[int, ...]
    sentences: tuple[int, ...]  # Sentence.index values, in order

    def to_dict(self) -> dict:
        return asdict(self)
