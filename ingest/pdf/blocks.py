"""Body lines -> headings and paragraphs; footnote-zone lines -> footnote entries.

Pure. A heading is a line larger than the body or bold, short, not ending a sentence (with an
outline, it must also match one of its titles or be a section number and a word), or a short
line that is one of the outline's titles, whatever its type (each title heads once);
consecutive heading lines join. A paragraph starts at a first-line indent (right of the
column's usual left edge, unless the line before sits there too and runs to the edge of its
block: a quotation's lines run on), after a vertical gap, or where the type size changes or a
caption opens ("Figure 2:"); it runs on across pages and columns, so a sentence may cross a
page break. Lines join with a space, or without one after a hyphen that breaks a word
(`broken_word`: the paper's own spelling, then English word lists; "Cover-age" joins, "well-
known" and "Soviet-controlled" keep their hyphen); a web address broken after / _ - . and the
like runs on without a space. In a footnote zone a line that opens with a mark starts an entry
and any other line continues the last one, across pages too.
Leaves out linking markers to entries (`links`) and the document model itself
(`document.build_document`).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..layout import Heading
from .lines import SUPERSCRIPT, Line
from .zones import ENTRY, PageZones

CAPTION = re.compile(r"^(?:Figure|Fig\.|Table|Chart|Exhibit|Map|Plate|Box|Graph)\s+"
                     r"[0-9A-Z]{1,3}(?:[.\-][0-9A-Z]{1,3})*\s*[.:\u2013\u2014|]\s*\S",
                     re.IGNORECASE)  # "Figure 3:", "Table 2-0-A." (not "Table 3 shows")

LARGER = 1.12  # a heading's type is at least this share of the body size (or bold)
INDENT = 0.6  # a first-line indent is at least this share of the body size
BLOCK_EDGE = 0.3  # lines of an indented block start within this share of the body size of
# each other (a quotation's first line hangs its opening quote mark out by 2 points)
GAP = 1.5  # a baseline distance this many times the usual one separates paragraphs
NUMBERED = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)*\.?|[IVX]+\.|[A-Z]\.)\s+\S")
WORDED = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)*\.?|[IVX]+\.|[A-Z]\.)\s+[\"'\u201c\u2018]?\w")
COMMON_WORD = 3.0  # Zipf: a word met about once in a million ("costing" 3.7), not "wellknown"
# (1.6) or "decisionmaking" (2.1), which are written hyphenated
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


@lru_cache(maxsize=1)
def _english():
    """wordfreq's English frequencies, or None where it is not installed."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return None
    return zipf_frequency


def zipf(word: str) -> float | None:
    """How common `word` is in English (wordfreq's Zipf scale, 0 when unseen); None when no
    list is at hand."""
    freq = _english()
    return None if freq is None else freq(word, "en")


def broken_word(head: str, tail: str, vocab: set[str]) -> bool:
    """Is "head-" at a line's end and "tail" on the next one a word the hyphen broke (else a
    compound, printed with its hyphen)? The paper's own spelling decides first (the word
    whole, or hyphenated, elsewhere in it); then English: a common word whole ("Cover-" "age")
    is joined, two common words that are none together ("well-" "known") keep the hyphen;
    what neither knows is joined after a lower-case head and kept after a capital
    ("Soviet-controlled")."""
    whole, compound = (head + tail).lower(), f"{head}-{tail}".lower()
    if whole in vocab or compound in vocab:
        return whole in vocab
    common = zipf(whole)
    if common is not None:
        if common >= COMMON_WORD:
            return True
        if min(zipf(head.lower()), zipf(tail.lower())) >= COMMON_WORD:
            return False
    return head.islower()


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
            if broken_word(head.group(0), tail.group(0), vocab):
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
    unused: Counter = field(default_factory=Counter)  # outline titles no line has taken yet

    def close(self) -> None:
        if self.para is not None and self.para.text:
            self.blocks.append(self.para)
        self.para = None

    def flush_heading(self) -> None:
        if self.heading:
            title = ""
            for x in self.heading:  # "Reimagining health insur-" + "ance"
                title = join_lines(title, x.text.strip(), self.vocab)[0]
            self.blocks.append(Heading(title, self.heading[0].page))
            marks = [(m, x.page) for x in self.heading for _, m in x.marks]
            self.heading = []
            if marks:  # a mark on a heading cites from the paragraph that follows
                self.para = _Para(markers=[(0, m, p) for m, p in marks])

    def is_heading(self, line: Line) -> bool:
        """With an outline, each of its titles heads once (a second "Title" is a code
        listing's), and a line not in it only when numbered and worded ("2 Results", not
        "2.8 (2022 August 30)" in a release list) or the start of a title."""
        name = normal(line.text)
        if self.titles and len(line.text) < 80 and self.unused[name] > 0:
            self.unused[name] -= 1
            return True  # an outline title, whatever its type (small capitals, say)
        if not heading_like(line, self.body):
            return False
        if not self.titles:
            return True
        if name in self.titles:
            return False
        return bool(WORDED.match(line.text)) or any(
            t.startswith(name) for t in self.titles if len(name) > 8)

    def continues_heading(self, line: Line) -> bool:
        """A heading's second line, in its type right under it, though it opens in lower case
        or after a hyphen ("Deliberative tools for" / "health cooperation")."""
        prev = self.heading[-1] if self.heading else None
        text = line.text.strip()
        return prev is not None and prev.page == line.page and prev.column == line.column \
            and abs(prev.size - line.size) < 0.5 and prev.bold == line.bold \
            and 0 <= line.top - prev.bottom < 1.0 * line.size and len(text) < 80 \
            and (prev.text.rstrip().endswith("-") or text[:1].islower()) \
            and not text.endswith((".", ",", ";", ":"))

    def add(self, line: Line, starts: bool) -> None:
        if self.continues_heading(line):
            self.heading.append(line)
            return
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


def block_right(lines: list[Line], i: int, body: float) -> float:
    """The right edge of the indented block line `i` is in: the widest of the lines around it
    in its column that start where it does."""
    def near(j: int) -> bool:
        return lines[j].column == lines[i].column and \
            abs(lines[j].x0 - lines[i].x0) < BLOCK_EDGE * body
    lo, hi = i, i
    while lo > 0 and near(lo - 1):
        lo -= 1
    while hi + 1 < len(lines) and near(hi + 1):
        hi += 1
    return max(x.x1 for x in lines[lo:hi + 1])


def paragraph_starts(lines: list[Line], body: float) -> list[bool]:
    """For each body line of one page: does a new paragraph start there? At a first-line
    indent (right of the column's usual left edge, unless the line before sits there too and
    runs to its block's edge: `block_right`), after a gap wider than the usual baseline
    distance, or at a change of size."""
    pitches = [b.bottom - a.bottom for a, b in zip(lines, lines[1:], strict=False)
               if a.column == b.column and 0 < b.bottom - a.bottom < 3 * body]
    pitch = statistics.median(pitches) if pitches else 1.2 * body
    left = {c: Counter(round(x.x0) for x in lines if x.column == c).most_common(1)[0][0]
            for c in {x.column for x in lines}}
    out = []
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        same = prev is not None and prev.column == line.column
        indented = line.x0 - left[line.column] >= INDENT * body
        if indented and same and abs(prev.x0 - line.x0) < BLOCK_EDGE * body:
            edge = block_right(lines, i, body)  # an indented block (a quotation) runs on
            indented = prev.x1 < edge - 2 * body  # where the line before runs to its edge
        gap = same and line.bottom - prev.bottom > GAP * pitch
        resized = prev is not None and abs(line.size - prev.size) > 0.15 * body
        out.append(bool(indented or gap or resized or CAPTION.match(line.text)))
    return out


def read_body(pages: list[PageZones], body: float, outline: tuple[tuple[int, str], ...],
              vocab: set[str]) -> list:
    titles = [normal(t) for _, t in outline if normal(t)]
    reader = _Reader(body, vocab, set(titles), unused=Counter(titles))
    for page in pages:
        for line, starts in zip(page.body, paragraph_starts(list(page.body), body),
                                strict=True):
            reader.add(line, starts)
    reader.flush_heading()
    reader.close()
    return reader.blocks


def raised_back(line: Line) -> str:
    """A note line's text with its raised runs written back in place, digits as superscripts
    ("x²" in a note's formula): inside a note they are exponents, not markers."""
    text = line.text
    for offset, run in sorted([*line.marks, *line.exponents], reverse=True):
        text = text[:offset] + (run.translate(SUPERSCRIPT) if run.isdigit() else run) + \
            text[offset:]
    return text


def read_notes(pages: list[PageZones], vocab: set[str]) -> list[tuple[str, int, str]]:
    """Footnote entries (mark, page, text) from every page's zone, in order."""
    entries: list[list] = []
    for page in pages:
        numbers: list[int] = []
        for line in page.notes:
            mark, text = line.lead, raised_back(line)
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
