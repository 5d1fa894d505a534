"""Reads the page layout of PDF-extracted text: pages, headings, paragraphs, footnote blocks.

The extract this was written for puts a blank line between every pair of lines, so:
- a line that follows the previous one with no blank line between is a layout signal: a lone
  number there is a footnote marker, the line after it is the rest of the same printed line,
  and a line starting with one space marks a new page (so does a heading that follows directly);
- a long run of spaces followed by numbered lines is a footnote block at a page bottom; the
  page ends with it, but a sentence may run on across it;
- a paragraph ends at a whitespace-only line, before a heading, or after a printed line that is
  short (well below the full line width) and ends a sentence.
Text without the blank-line convention falls back to blank lines as paragraph breaks.

Leaves out sentence splitting and footnote resolution (`sentences`, `footnotes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKER = re.compile(r"^\s*([1-9][0-9]{0,2})\s*$")
ENTRY = re.compile(r"^\s*([1-9][0-9]{0,2})\s+(\S.*)$")
SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")
SMALL_WORDS = frozenset("a an the and or nor but of for in on to at by with from as vs".split())
SEPARATOR_MIN = 10  # spaces in the rule line above a footnote block
SHORT_LINE = 0.8  # a line shorter than this share of the full width may end a paragraph
TAIL = 64  # characters of a growing text kept to test how it ends
NOTE_FULL = 0.9  # single-spaced: a footnote line this close to the notes' width runs on


@dataclass(frozen=True)
class Heading:
    title: str
    page: int


@dataclass(frozen=True)
class RawParagraph:
    text: str  # wrapped lines joined, whitespace collapsed, markers removed
    markers: tuple[tuple[int, int], ...]  # (offset in text, footnote number)
    page_marks: tuple[tuple[int, int], ...]  # (offset in text, page from there on)


@dataclass(frozen=True)
class RawFootnote:
    number: int
    text: str
    page: int
    mark: str = ""  # the printed marker when it is not the number itself (PDF symbols)


@dataclass(frozen=True)
class Layout:
    blocks: tuple[Heading | RawParagraph, ...]
    footnotes: tuple[RawFootnote, ...]
    pages: int
    orphans: tuple[int, ...] = ()  # markers in a text that has no sentence to attach them to
    title: str = ""  # the paper's title where the format marks it (Markdown's leading `# `)


def sanitize(text: str) -> str:
    """Unify line ends, turn tabs and control characters into spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return CONTROL.sub(" ", text)


def join_wrapped(left: str, right: str) -> str:
    """Join two wrapped pieces; a line-end hyphen belongs to the word ("Soviet-controlled")."""
    if not left:
        return right
    if not right:
        return left
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[0].isalpha():
        return left + right
    return left + " " + right


def is_heading(line: str, width: int) -> bool:
    s = line.strip()
    words = s.split()
    if not words or len(words) > 14 or len(s) >= SHORT_LINE * width or len(s) > 100:
        return False
    if not s[0].isalpha() or not s[0].isupper() or s[-1] in ".,;!?-\"'\u201d\u2019":
        return False
    return all(w[0].isupper() or w.lower() in SMALL_WORDS for w in words if w[0].isalpha())


@dataclass
class Joined:
    """Wrapped pieces joined as `join_wrapped` joins them, in time linear in their length."""

    parts: list[str] = field(default_factory=list)
    size: int = 0
    tail: str = ""  # the last characters of the text, all `join_wrapped` looks at

    def add(self, piece: str) -> int:
        """Append `piece`; its offset in the joined text."""
        if not piece:
            return self.size
        sep = "" if not self.size or join_wrapped(self.tail, piece) == self.tail + piece else " "
        self.parts.append(sep + piece)
        self.size += len(sep) + len(piece)
        self.tail = (self.tail + sep + piece)[-TAIL:]
        return self.size - len(piece)

    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class _Para:
    joined: Joined = field(default_factory=Joined)
    markers: list[tuple[int, int]] = field(default_factory=list)
    page_marks: list[tuple[int, int]] = field(default_factory=list)
    line_len: int = 0  # length of the printed line being read (continuations included)
    ends: bool = False  # the printed line read last closes the paragraph

    @property
    def size(self) -> int:
        return self.joined.size

    def add(self, line: str, page: int, width: int, continuation: bool) -> None:
        piece = " ".join(line.split())
        self.line_len = (self.line_len if continuation else 0) + len(line.strip())
        if piece:
            self.page_marks.append((self.joined.add(piece), page))
        short = self.line_len < SHORT_LINE * width
        self.ends = bool(self.size) and short and bool(SENTENCE_END.search(self.joined.tail))

    def freeze(self) -> RawParagraph:
        return RawParagraph(self.joined.text(), tuple(self.markers), tuple(self.page_marks))


def full_width(lines: list[str]) -> int:
    """The width of a full printed line: the 90th percentile of line lengths."""
    lengths = sorted(len(s.rstrip()) for s in lines if s.strip() and not MARKER.match(s))
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 80


def is_double_spaced(lines: list[str]) -> bool:
    content = [i for i, s in enumerate(lines) if s != ""]
    spaced = sum(1 for i in content if i > 0 and lines[i - 1] == "")
    return len(content) > 2 and spaced > 0.5 * len(content)


@dataclass
class _Scanner:
    """One pass over the lines; the state is the page and the paragraph being read."""

    lines: list[str]
    width: int
    spaced: bool
    page: int = 1
    para: _Para | None = None
    last: str = "start"  # kind of the previous content line: start|text|marker|spacer|heading
    page_pending: bool = False
    blocks: list[Heading | _Para] = field(default_factory=list)
    notes: list[RawFootnote] = field(default_factory=list)
    last_para: int | None = None  # position in `blocks` of the paragraph closed last
    orphans: list[int] = field(default_factory=list)
    trailing: list[tuple[int, int]] = field(default_factory=list)  # markers after last_para
    note_width: int = 0  # single-spaced: the width of a full footnote line
    last_line: int | None = None  # the last line that is not blank
    cited: set[int] = field(default_factory=set)  # footnote markers read on this page
    marked: bool = False  # a lone-line footnote marker has been read

    def adjacent(self, i: int) -> bool:
        return i > 0 and self.lines[i - 1] != ""

    def close(self) -> None:
        if self.para is not None and self.para.size:
            self.flush_trailing()
            self.last_para = len(self.blocks)
            self.blocks.append(self.para)
        self.para = None

    def flush_trailing(self) -> None:
        if self.trailing and self.last_para is not None:
            self.blocks[self.last_para].markers.extend(self.trailing)
        self.trailing = []

    def attach_orphans(self, markers: list[tuple[int, int]]) -> None:
        """Markers with no text of their own cite the end of the previous paragraph."""
        if self.last_para is None:
            self.orphans.extend(n for _, n in markers)  # kept until text arrives
            return
        end = self.blocks[self.last_para].size
        self.trailing.extend((end, n) for _, n in markers)

    def run(self) -> Layout:
        i = 0
        while i < len(self.lines):
            i = self.step(i)
        self.close()
        self.flush_trailing()
        blocks = tuple(b.freeze() if isinstance(b, _Para) else b for b in self.blocks)
        return Layout(blocks, tuple(self.notes), self.page, tuple(self.orphans))

    def step(self, i: int) -> int:
        line = self.lines[i]
        if line == "":
            if not self.spaced and self.para is not None and self.para.size:
                self.close()  # single-spaced text: a blank line is a paragraph break
            return i + 1
        if not line.strip():
            if len(line) >= SEPARATOR_MIN and self.starts_block(i + 1):
                return self.read_block(i + 1)
            self.close()
            self.last = "spacer"
            return i + 1
        if not self.spaced and self.opens_block(i):
            return self.read_block(i)
        if self.page_pending:
            self.page += 1
            self.page_pending = False
        marker = MARKER.match(line)
        if marker:
            self.add_marker(int(marker.group(1)))
            return i + 1
        self.read_text(i, line)
        return i + 1

    def opens_block(self, i: int) -> bool:
        """Single-spaced text has no rule line of spaces above a footnote block (the extract
        with its blank and whitespace-only lines taken out): there a numbered line opens one
        when its number is a marker cited since the last block (on this page) and still
        without its note (the notes before it may be missing from the extract)."""
        m = ENTRY.match(self.lines[i])
        if not m or self.last not in ("text", "marker"):
            return False
        return int(m.group(1)) in self.cited - {n.number for n in self.notes}

    def starts_block(self, j: int) -> bool:
        return j < len(self.lines) and self.adjacent(j) and bool(ENTRY.match(self.lines[j]))

    def read_block(self, j: int) -> int:
        """Footnote entries, one per numbered line, a wrapped entry continuing unnumbered.
        Single-spaced text has no blank line to end the block: there an unnumbered line
        continues an entry only when the line before it was full (a wrapped entry)."""
        entries: list[tuple[int, Joined]] = []
        full = True  # the block's previous line ran to the notes' full width
        while j < len(self.lines):
            if self.lines[j] == "":  # inside a block a single blank line may split an entry
                if not self.spaced or j + 1 >= len(self.lines) or self.lines[j + 1] == "":
                    break
                j += 1
            line = self.lines[j]
            m = ENTRY.match(line)
            if m and (not entries or int(m.group(1)) > entries[-1][0]):
                entries.append((int(m.group(1)), Joined()))
                entries[-1][1].add(" ".join(m.group(2).split()))
            elif entries and (self.spaced or full):
                entries[-1][1].add(" ".join(line.split()))
            else:
                break
            full = len(line.rstrip()) >= NOTE_FULL * self.notes_width()
            j += 1
        self.notes.extend(RawFootnote(n, text.text(), self.page) for n, text in entries)
        self.page_pending = j <= self.last_content()
        self.cited.clear()  # a block ends its page: the next one's markers are new
        return j

    def last_content(self) -> int:
        """The index of the text's last line that is not blank (-1 if none)."""
        if self.last_line is None:
            self.last_line = next((i for i in range(len(self.lines) - 1, -1, -1)
                                   if self.lines[i].strip()), -1)
        return self.last_line

    def notes_width(self) -> int:
        """The longest numbered line of the text: a full line of small footnote type."""
        if not self.note_width:
            lengths = [len(s.rstrip()) for s in self.lines if ENTRY.match(s)]
            self.note_width = max([self.width, *lengths])
        return self.note_width

    def add_marker(self, number: int) -> None:
        self.cited.add(number)
        self.marked = True
        if self.para is None:
            self.attach_orphans([(0, number)])
        else:
            self.para.markers.append((self.para.size, number))
        self.last = "marker"

    def read_text(self, i: int, line: str) -> None:
        adjacent = self.spaced and self.adjacent(i)
        ended = self.para is None or not self.para.size or self.para.ends
        if ended and is_heading(line, self.width) and self.next_is_text(i):
            self.close()
            if adjacent and self.last != "start":
                self.page += 1  # a heading straight after text opens a page
            self.blocks.append(Heading(" ".join(line.split()), self.page))
            self.last = "heading"
            return
        continuation = self.last == "marker"  # the rest of the printed line a marker cut
        # single-spaced with the extract's lone-line markers: its blank lines were taken out
        extract = not self.spaced and self.marked
        if (adjacent or extract) and self.last == "text" and re.match(r" \S", line):
            self.page += 1  # a page's first line follows the last one with no blank line
        if not continuation and self.para is not None and self.para.ends:
            self.close()
        if self.para is None:
            self.para = _Para(markers=[(0, n) for n in self.orphans])
            self.orphans.clear()
        self.para.add(line, self.page, self.width, continuation)
        self.last = "text"

    def next_is_text(self, i: int) -> bool:
        j = i + 1
        while j < len(self.lines) and not self.lines[j].strip():
            j += 1
        return j < len(self.lines) and not MARKER.match(self.lines[j])


def read_layout(text: str) -> Layout:
    """Pages, headings, paragraphs and footnote entries of an extracted paper."""
    lines = sanitize(text).split("\n")
    scanner = _Scanner(lines, full_width(lines), is_double_spaced(lines))
    return scanner.run()
