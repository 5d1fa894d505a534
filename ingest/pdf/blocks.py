"""Body lines -> headings and paragraphs; footnote-zone lines -> footnote entries.

Pure. A heading is a line larger than the body or bold, short, not ending a sentence (with an
outline, it must also match one of its titles or start with a section number), or a short
line that is one of the outline's titles, whatever its type; consecutive heading lines join.
A paragraph starts at a first-line indent (right of the column's usual left edge, unless the
line before sits there too and runs full), after a vertical gap, or where the type size
changes; it runs on across pages and columns, so a sentence may cross a page break. Lines
join with a space, or without one after a hyphen that breaks a word: the hyphen goes when the
document spells the word whole elsewhere or the word is lower case, and stays in a compound
it spells with a hyphen or after a capital ("Soviet-controlled"); a web address broken after
/ _ - . and the like runs on without a space. In a footnote zone a line that opens with a mark
starts an entry and any other line continues the last one, across pages too.
Leaves out linking markers to entries (`links`) and the document model itself
(`document.build_document`).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..layout import Heading
from .lines import Line
from .zones import ENTRY, PageZones

LARGER = 1.12  # a heading's type is at least this share of the body size (or bold)
INDENT = 0.6  # a first-line indent is at least this share of the body size
GAP = 1.5  # a baseline distance this many times the usual one separates paragraphs
NUMBERED = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)*\.?|[IVX]+\.|[A-Z]\.)\s+\S")
URL = re.compile(r"(?:https?://|www\.)\S*$")
URL_BREAK = "/_-.=?&#%~"
WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def normal(text: str) -> str:
    """A title compared loosely: numbering, case and punctuation dropped."""
    text = re.sub(r"^(?:[0-9]+(?:\.[0-9]+)*\.?|[IVX]+\.|[A-Z]\.)\s+", "", text.strip())
    return " ".join(re.findall(r"\w+", text.lower()))


def heading_like(line: Line, body: float) -> bool:
    text = line.text.strip()
    if not text or len(text) > 120 or not (text[0].isupper() or text[0].isdigit()):
        return False
    if text[-1] in ".,;:" and not NUMBERED.match(text + " x"):
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    return line.size >= LARGER * body or (line.bold and len(text.split()) <= 15)


def vocabulary(lines: list[Line]) -> set[str]:
    return {w.lower() for line in lines for w in WORD.findall(line.text)}


def join_lines(left: str, right: str, vocab: set[str]) -> tuple[str, int]:
    """Two printed lines joined; the offset where `right` starts."""
    if not left:
        return right, 0
    if left.endswith("\u00ad"):
        left = left[:-1]
        return left + right, len(left)
    url = URL.search(left)
    if url and right[:1].isalnum() and left[-1] in URL_BREAK:  # a link broken across lines
        return left + right, len(left)
    if left.endswith("-") and len(left) > 1 and right:
        before = left[:-1]
        head = re.search(r"[A-Za-z]+$", before)
        tail = re.match(r"[A-Za-z]+", right)
        if head and tail and right[0].islower():
            whole = (head.group(0) + tail.group(0)).lower()
            compound = f"{head.group(0)}-{tail.group(0)}".lower()
            if whole in vocab or (compound not in vocab and head.group(0).islower()):
                return before + right, len(before)
        if head or left[-2].isdigit():
            return left + right, len(left)
    return left + " " + right, len(left) + 1


@dataclass
class _Para:
    text: str = ""
    markers: list[tuple[int, str, int]] = field(default_factory=list)  # (offset, mark, page)
    exponents: list[tuple[int, str, int]] = field(default_factory=list)  # the same, maybe
    page_marks: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Reader:
    body: float
    vocab: set[str]
    titles: set[str]
    blocks: list = field(default_factory=list)  # Heading | _Para
    para: _Para | None = None
    heading: list[Line] = field(default_factory=list)

    def close(self) -> None:
        if self.para is not None and self.para.text:
            self.blocks.append(self.para)
        self.para = None

    def flush_heading(self) -> None:
        if self.heading:
            title = " ".join(x.text.strip() for x in self.heading)
            self.blocks.append(Heading(title, self.heading[0].page))
            marks = [(m, x.page) for x in self.heading for _, m in x.marks]
            self.heading = []
            if marks:  # a mark on a heading cites from the paragraph that follows
                self.para = _Para(markers=[(0, m, p) for m, p in marks])

    def is_heading(self, line: Line) -> bool:
        if self.titles and len(line.text) < 80 and normal(line.text) in self.titles:
            return True  # an outline title, whatever its type (small capitals, say)
        if not heading_like(line, self.body):
            return False
        if not self.titles:
            return True
        return normal(line.text) in self.titles or bool(NUMBERED.match(line.text)) or any(
            t.startswith(normal(line.text)) for t in self.titles if len(normal(line.text)) > 8)

    def add(self, line: Line, starts: bool) -> None:
        if self.is_heading(line):
            if self.heading and not self.same_heading(line):
                self.flush_heading()
            self.close()
            self.heading.append(line)
            return
        self.flush_heading()
        if starts and self.para is not None and self.para.text:
            self.close()
        if self.para is None:
            self.para = _Para()
        p = self.para  # line.lead is dropped: a raised mark opening a body line is an
        # affiliation's, not a note's (a note's mark never starts a line: it is glued to a word)
        p.text, at = join_lines(p.text, line.text, self.vocab)
        p.page_marks.append((at, line.page))
        p.markers += [(at + o, m, line.page) for o, m in line.marks]
        p.exponents += [(at + o, m, line.page) for o, m in line.exponents]

    def same_heading(self, line: Line) -> bool:
        prev = self.heading[-1]
        if NUMBERED.match(line.text):  # "9.1 Cross-referencing" under "9 REFERENCES"
            return False
        return (prev.page == line.page and abs(prev.size - line.size) < 0.5
                and prev.bold == line.bold and line.top - prev.bottom < 1.0 * line.size)


def paragraph_starts(lines: list[Line], body: float) -> list[bool]:
    """For each body line of one page: does a new paragraph start there? At a first-line
    indent (right of the column's usual left edge, unless the line before sits there too and
    runs full), after a gap wider than the usual baseline distance, or at a change of size."""
    pitches = [b.bottom - a.bottom for a, b in zip(lines, lines[1:], strict=False)
               if a.column == b.column and 0 < b.bottom - a.bottom < 3 * body]
    pitch = statistics.median(pitches) if pitches else 1.2 * body
    left = {c: Counter(round(x.x0) for x in lines if x.column == c).most_common(1)[0][0]
            for c in {x.column for x in lines}}
    right = {c: max(x.x1 for x in lines if x.column == c) for c in left}
    out = []
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        same = prev is not None and prev.column == line.column
        indented = line.x0 - left[line.column] >= INDENT * body
        if indented and same and abs(prev.x0 - line.x0) < 1:
            indented = prev.x1 < right[line.column] - 2 * body  # an indented block runs on
        gap = same and line.bottom - prev.bottom > GAP * pitch
        resized = prev is not None and abs(line.size - prev.size) > 0.15 * body
        out.append(bool(indented or gap or resized))
    return out


def read_body(pages: list[PageZones], body: float, titles: set[str], vocab: set[str]) -> list:
    reader = _Reader(body, vocab, titles)
    for page in pages:
        for line, starts in zip(page.body, paragraph_starts(list(page.body), body),
                                strict=True):
            reader.add(line, starts)
    reader.flush_heading()
    reader.close()
    return reader.blocks


def read_notes(pages: list[PageZones], vocab: set[str]) -> list[tuple[str, int, str]]:
    """Footnote entries (mark, page, text) from every page's zone, in order."""
    entries: list[list] = []
    for page in pages:
        numbers: list[int] = []
        for line in page.notes:
            mark, text = line.lead, line.text
            plain = ENTRY.match(text) if not mark else None
            if plain:
                label = plain.group(1)
                if label.isdigit() and numbers and not (
                        numbers[-1] < int(label) <= numbers[-1] + 5):
                    plain = None
                else:
                    mark, text = label, text[plain.end() - 1:]
                    text = re.sub(r"^\.\s*", "", text)
            if mark:
                if mark.isdigit():
                    numbers.append(int(mark))
                entries.append([mark, page.page, text.strip()])
            elif entries:
                entries[-1][2] = join_lines(entries[-1][2], text, vocab)[0]
    return [(m, p, t) for m, p, t in entries]
