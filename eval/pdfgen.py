"""Typesets test PDFs with reportlab: pages, headings, raised footnote markers, footnotes.

A deliberately small typesetter for the PDF ingest's tests and benchmark: justified lines of
Times, a first-line indent per paragraph, bold headings, markers as raised smaller digits or
symbols, footnotes under a short rule at the page bottom (a long one continues on the next
page), a page number in the footer, an optional running header, one or two columns, and
explicit page breaks. `paper_pdf(text)` renders the bundled extraction's own layout (its
pages, headings, paragraphs, markers and footnotes) for the round trip.
Leaves out everything a real typesetter does beyond that (kerning, hyphenation rules, floats).
reportlab is a development dependency, imported when a PDF is made.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

BODY, NOTE, MARK, HEAD = 10.0, 8.0, 6.5, 12.0  # type sizes
LEAD, NOTE_LEAD = 12.0, 9.6


@dataclass
class Word:
    text: str
    marks: list[str] = field(default_factory=list)  # raised markers printed after it
    exponent: str = ""  # raised digits glued to it, an exponent ("10" + "3")


@dataclass
class Page:
    lines: list = field(default_factory=list)  # (kind, x, words or text, size)
    notes: list = field(default_factory=list)  # (mark, text)


def words_of(text: str) -> list[Word]:
    return [Word(w) for w in text.split()]


def _canvas():
    try:
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.pdfgen import canvas
    except ImportError as e:
        raise ImportError(f"making test PDFs needs reportlab (pip install -e '.[dev]'): {e}") \
            from e
    return canvas, stringWidth


class Typesetter:
    """Lays out paragraphs page by page; `pdf()` draws them. Coordinates in points."""

    def __init__(self, width: float = 612, margin: float = 72, columns: int = 1,
                 header: str = "", lines_per_page: int = 0, first_label: int = 1) -> None:
        _, self.width_of = _canvas()
        self.page_width, self.margin, self.columns = width, margin, columns
        self.gutter = 18.0
        self.col_width = (width - 2 * margin - (columns - 1) * self.gutter) / columns
        self.header, self.limit, self.first_label = header, lines_per_page, first_label
        self.pages: list[list[Page]] = [[Page() for _ in range(columns)]]
        self.col = 0

    @property
    def frame(self) -> Page:
        return self.pages[-1][self.col]

    def break_column(self) -> None:
        if self.col + 1 < self.columns:
            self.col += 1
        else:
            self.break_page()

    def break_page(self) -> None:
        self.pages.append([Page() for _ in range(self.columns)])
        self.col = 0

    def full(self) -> bool:
        return bool(self.limit) and len(self.frame.lines) >= self.limit

    def heading(self, text: str) -> None:
        if self.full():
            self.break_column()
        self.frame.lines.append(("head", 0.0, text, HEAD))

    def footnote(self, mark: str, text: str) -> None:
        self.frame.notes.append((mark, text))

    def width(self, word: Word, size: float = BODY, font: str = "Times-Roman") -> float:
        w = self.width_of(word.text, font, size)
        if word.exponent:
            w += self.width_of(word.exponent, font, MARK)
        if word.marks:
            w += 0.6 + self.width_of(",".join(word.marks), font, MARK)
        return w

    def paragraph(self, words: list[Word], indent: bool = True,
                  breaks: dict[int, str] | None = None) -> None:
        """Justified lines; `breaks` maps a word index to "page" or "column": that word opens
        a new page (or column) mid-paragraph."""
        breaks = breaks or {}
        space = self.width_of(" ", "Times-Roman", BODY)
        i, first = 0, True
        while i < len(words):
            if i in breaks:
                self.break_page() if breaks[i] == "page" else self.break_column()
            elif self.full():
                self.break_column()
            x = 15.0 if first and indent else 0.0
            line, used = [], x
            while i < len(words) and (not line or used + space + self.width(words[i])
                                      <= self.col_width):
                if line and i in breaks:
                    break
                used += (space if line else 0) + self.width(words[i])
                line.append(words[i])
                i += 1
            last = i >= len(words) or i in breaks
            self.frame.lines.append(("text", x, line, 0.0 if last else self.col_width - used))
            first = False

    def pdf(self) -> bytes:
        canvas, _ = _canvas()
        buf = io.BytesIO()
        heights = [self.page_height(page) for page in self.pages]
        c = canvas.Canvas(buf, pagesize=(self.page_width, heights[0]), invariant=1)
        for n, (page, height) in enumerate(zip(self.pages, heights, strict=True)):
            c.setPageSize((self.page_width, height))
            if self.header:
                c.setFont("Times-Italic", 9)
                c.drawString(self.margin, height - self.margin + 24, self.header)
            for col, frame in enumerate(page):
                x0 = self.margin + col * (self.col_width + self.gutter)
                self.draw_frame(c, frame, x0, height)
            c.setFont("Times-Roman", 9)
            c.drawCentredString(self.page_width / 2, 36, str(self.first_label + n))
            c.showPage()
        c.save()
        return buf.getvalue()

    def note_lines(self, mark: str, text: str) -> list[list[Word]]:
        words, lines, used = words_of(text), [[]], self.width_of(mark, "Times-Roman", MARK) + 2
        space = self.width_of(" ", "Times-Roman", NOTE)
        for w in words:
            wide = self.width_of(w.text, "Times-Roman", NOTE)
            if lines[-1] and used + space + wide > self.col_width:
                lines.append([])
                used = 0.0
            used += (space if lines[-1] else 0) + wide
            lines[-1].append(w)
        return lines

    def page_height(self, page: list[Page]) -> float:
        tallest = 0.0
        for frame in page:
            body = sum(2 * HEAD if k == "head" else LEAD for k, *_ in frame.lines)
            notes = sum(len(self.note_lines(m, t)) * NOTE_LEAD for m, t in frame.notes)
            tallest = max(tallest, body + (notes + 16 if frame.notes else 0))
        return max(792.0, tallest + 2 * self.margin + 24)

    def draw_frame(self, c, frame: Page, x0: float, height: float) -> None:
        y = height - self.margin
        for kind, x, content, extra in frame.lines:
            if kind == "head":
                y -= HEAD
                c.setFont("Times-Bold", HEAD)
                c.drawString(x0, y, content)
                y -= HEAD
                continue
            y -= LEAD
            gaps = max(len(content) - 1, 1)
            self.draw_words(c, content, x0 + x, y, extra / gaps)
        if not frame.notes:
            return
        lines = [(m if i == 0 else "", ws) for m, t in frame.notes
                 for i, ws in enumerate(self.note_lines(m, t))]
        y = self.margin + len(lines) * NOTE_LEAD + 4
        c.setLineWidth(0.4)
        c.line(x0, y + 6, x0 + min(108.0, 0.4 * self.col_width), y + 6)
        for mark, ws in lines:
            y -= NOTE_LEAD
            x = x0
            if mark:
                c.setFont("Times-Roman", MARK)
                c.drawString(x, y + 3, mark)
                x += self.width_of(mark, "Times-Roman", MARK) + 1.5
            c.setFont("Times-Roman", NOTE)
            c.drawString(x, y, " ".join(w.text for w in ws))

    def draw_words(self, c, words: list[Word], x: float, y: float, stretch: float) -> None:
        """One text object a line, as typesetters write them: runs of words justified by word
        spacing, markers as smaller type raised with the text rise."""
        t = c.beginText(x, y)
        t.setFont("Times-Roman", BODY)
        t.setWordSpace(stretch)
        run = ""
        for n, w in enumerate(words):
            run += (" " if n else "") + w.text
            for raised in (w.exponent, ",".join(w.marks)):
                if raised:
                    t.textOut(run)
                    run = ""
                    t.setFont("Times-Roman", MARK)
                    t.setRise(4)
                    t.textOut(raised)
                    t.setRise(0)
                    t.setFont("Times-Roman", BODY)
        t.textOut(run)
        c.drawText(t)


def paper_pdf(text: str, header: str = "") -> bytes:
    """The bundled extraction typeset as it was printed: its pages, headings, paragraphs,
    markers after their words and footnotes at the bottom of their pages."""
    from ingest.layout import Heading, read_layout

    layout = read_layout(text)
    ts = Typesetter(header=header)
    page = 1
    for block in layout.blocks:
        if isinstance(block, Heading):
            while page < block.page:
                ts.break_page()
                page += 1
            ts.heading(block.title)
            continue
        words, breaks, offset = [], {}, 0
        marks = sorted(block.markers)
        for token in block.text.split(" "):
            start = block.text.index(token, offset)
            offset = start + len(token)
            words.append(Word(token))
            words[-1].marks = [str(n) for o, n in marks if start < o <= offset or (
                o == 0 and start == 0)]
            new = max((p for o, p in block.page_marks if o <= start), default=page)
            if new > page:
                breaks[len(words) - 1] = "page"
                page = new
        ts.paragraph(words, breaks=breaks)
    for note in layout.footnotes:
        ts.pages[note.page - 1][0].notes.append((str(note.number), note.text))
    return ts.pdf()
