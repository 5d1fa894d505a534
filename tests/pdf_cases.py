"""Generated PDFs for the PDF ingest's hard cases, each drawn glyph by glyph with reportlab.

Every case writes what a reader sees on the page (the answer key is the test's own text, not
the parser's output): lines of 10-point Times at 12-point leading, markers as raised 6.5-point
digits or symbols, footnotes in 8 points under a short rule, page numbers in the footer.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = letter
LEFT, TOP = 72.0, HEIGHT - 72.0
FONT, BOLD = "Times-Roman", "Times-Bold"


class Page:
    """A cursor over one page: body lines from the top, notes from above the footer."""

    def __init__(self, c: canvas.Canvas, left: float = LEFT, width: float = 468.0) -> None:
        self.c, self.left, self.width, self.y = c, left, width, TOP

    def line(self, parts: list, indent: float = 0.0, size: float = 10.0, font: str = FONT,
             y: float | None = None) -> None:
        """Draw one line: `parts` are words (str) or raised marks (("^", "3"))."""
        x = self.left + indent
        y = self.y if y is None else y
        for part in parts:
            if isinstance(part, tuple):
                self.c.setFont(FONT, 6.5 * size / 10)
                self.c.drawString(x + 0.5, y + 0.4 * size, part[1])
                x += 0.5 + stringWidth(part[1], FONT, 6.5 * size / 10)
                continue
            if x > self.left + indent and not part.startswith((",", ".", ";")):
                x += stringWidth(" ", font, size)
            self.c.setFont(font, size)
            self.c.drawString(x, y, part)
            x += stringWidth(part, font, size)
        self.y -= 1.2 * size

    def paragraph(self, text: str, marks: dict[str, str] | None = None) -> None:
        """A paragraph wrapped at the width, first line indented; `marks` puts a raised mark
        after the word that ends with the given key (first occurrence)."""
        marks = dict(marks or {})
        words = text.split()
        lines, cur, used, indent = [], [], 15.0, 15.0
        for w in words:
            wide = stringWidth(" " + w, FONT, 10)
            if cur and used + wide > self.width:
                lines.append(cur)
                cur, used = [], 0.0
            cur.append(w)
            used += wide
        lines.append(cur)
        for n, ws in enumerate(lines):
            parts: list = []
            for w in ws:
                parts.append(w)
                for key in list(marks):
                    if w.endswith(key):
                        parts.append(("^", marks.pop(key)))
            self.line(parts, indent=indent if n == 0 else 0.0)

    def heading(self, text: str) -> None:
        self.y -= 6
        self.line([text], size=12, font=BOLD)
        self.y -= 2

    def notes(self, entries: list[tuple[str, str]], rule: bool = True,
              bottom: float = 90.0) -> None:
        """Footnotes at the page bottom: (mark, text); an empty mark continues a note."""
        lines = []
        for mark, text in entries:
            words, cur, used = text.split(), [], 6.0
            first = True
            for w in words:
                wide = stringWidth(" " + w, FONT, 8)
                if cur and used + wide > self.width:
                    lines.append((mark if first else "", cur))
                    first, cur, used = False, [], 0.0
                cur.append(w)
                used += wide
            lines.append((mark if first else "", cur))
        y = bottom + 9.6 * len(lines)
        if rule:
            self.c.setLineWidth(0.4)
            self.c.line(self.left, y + 8, self.left + 0.4 * self.width, y + 8)
        for mark, ws in lines:
            x = self.left
            if mark:
                self.c.setFont(FONT, 5.5)
                self.c.drawString(x, y + 3, mark)
                x += stringWidth(mark, FONT, 5.5) + 1
            self.c.setFont(FONT, 8)
            self.c.drawString(x, y, " ".join(ws))
            y -= 9.6

    def footer(self, label: str) -> None:
        self.c.setFont(FONT, 9)
        self.c.drawCentredString(WIDTH / 2, 40, label)


def document(pages, **kw) -> bytes:
    """A PDF of `pages` drawing functions, each called with a fresh `Page`."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1, **kw)
    for draw in pages:
        draw(Page(c))
        c.showPage()
    c.save()
    return buf.getvalue()


FILLER = ("Defectors who reached the South met a state that offered them housing, training and "
          "a settlement grant, but the transition proved harder than most expected, and many "
          "found that the skills they brought were not the skills the new economy rewarded. ")


def centred(p: Page, text: str, size: float, font: str = FONT, marks: str = "") -> None:
    """A centred line (a title or byline), with a raised mark after it."""
    p.c.setFont(font, size)
    x = (WIDTH - stringWidth(text, font, size)) / 2
    p.c.drawString(x, p.y, text)
    if marks:
        p.c.setFont(FONT, 0.6 * size)
        p.c.drawString(x + stringWidth(text, font, size) + 0.5, p.y + 0.4 * size, marks)
    p.y -= 1.4 * size


def title_page(p: Page) -> None:
    centred(p, "Fences and Neighbours in the", 17)
    centred(p, "Early Republic", 17, marks="*")
    centred(p, "Ada Lovelace and Charles Babbage", 12)
    centred(p, "Working Paper 12, March 1999", 10)
    p.y -= 10
    p.heading("1 Introduction")
    p.paragraph(FILLER * 2, marks={"expected,": "1"})
    p.notes([("*", "First read at the spring meeting of the society."),
             ("1", "Smith, A History of Fences, vol. 2, p. 45.")])
    p.footer("1")
