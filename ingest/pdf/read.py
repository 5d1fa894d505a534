"""Reads a PDF's characters, rules, outline and page labels with pdfminer.six: the I/O edge.

Every character becomes a plain `Glyph` (text, box from the page's top, size, font, bold),
every thin horizontal line or rectangle a `Rule`; nothing is interpreted here. pdfminer runs
without its layout analysis (`laparams=None`): lines, columns and zones are found by the pure
stages after this one, which is faster and keeps raised markers as they are printed.
Refuses with one line (`InputError`): an encrypted PDF that needs a password, a damaged one
(any error pdfminer raises while reading it), one over `MAX_PAGES` pages. pdfminer is imported
here only, when a PDF is read.
Leaves out bounds on time and memory (the caller's) and images: a scan has no text to read.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

from ..errors import InputError

MAX_PAGES = 500
BOLD = re.compile(r"bold|black|heavy|semibold|demi|[-+,]b(d|x)\b|cmbx|cmb\d|bx\d|\.b$",
                  re.IGNORECASE)
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}
RULE_HEIGHT = 2.0  # points: a rectangle thinner than this is a rule


@dataclass(frozen=True)
class Glyph:
    text: str  # one character, or a ligature spelled out ("fi")
    x0: float
    x1: float
    top: float  # distances from the top of the page, in points
    bottom: float
    size: float  # the font size as printed (points)
    font: str
    bold: bool


@dataclass(frozen=True)
class Rule:
    x0: float
    x1: float
    top: float


@dataclass(frozen=True)
class PageContent:
    number: int  # 1-based, in file order
    width: float
    height: float
    glyphs: tuple[Glyph, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class PdfContent:
    pages: tuple[PageContent, ...]
    outline: tuple[tuple[int, str], ...]  # (level, title) of the PDF's bookmarks, in order
    labels: tuple[str, ...]  # the PDF's own page labels (/PageLabels), empty when it has none
    info: tuple[tuple[str, str], ...] = ()  # the document information's Title and Author
    # as text, where the PDF gives them


def _pdfminer():
    try:
        from pdfminer import pdfdocument, pdfpage, pdfparser
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    except ImportError as e:  # a dependency of the project: a broken install
        raise ImportError(f"reading PDFs needs pdfminer.six (pip install -e .): {e}") from e
    return pdfdocument, pdfpage, pdfparser, PDFPageAggregator, PDFPageInterpreter, \
        PDFResourceManager


def read_pdf(data: bytes, name: object = "the PDF", max_pages: int = MAX_PAGES) -> PdfContent:
    """The glyphs and rules of every page, the outline and page labels of a PDF's bytes."""
    pdfdocument, pdfpage, pdfparser, Aggregator, Interpreter, Manager = _pdfminer()
    try:
        doc = pdfdocument.PDFDocument(pdfparser.PDFParser(io.BytesIO(data)), password="")
    except (pdfdocument.PDFPasswordIncorrect, pdfdocument.PDFEncryptionError):
        raise InputError(f"encrypted PDF (it needs a password): {name}") from None
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on damaged files
        raise InputError(f"damaged PDF, cannot be read ({type(e).__name__}): {name}") from None
    count = page_count(doc)
    if count > max_pages:
        raise InputError(f"{count} pages: more than {max_pages} pages: {name}")
    pages = []
    try:
        manager = Manager(caching=True)
        device = glyph_device(Aggregator)(manager, laparams=None)
        interpreter = Interpreter(manager, device)
        for number, page in enumerate(pdfpage.PDFPage.create_pages(doc), start=1):
            if number > max_pages:
                raise InputError(f"more than {max_pages} pages: {name}")
            device.glyphs = []
            interpreter.process_page(page)
            pages.append(page_content(number, device.get_result(), device.glyphs))
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - damaged streams fail anywhere inside pdfminer
        raise InputError(f"damaged PDF, cannot be read ({type(e).__name__}): {name}") from None
    return PdfContent(tuple(pages), outline(doc), page_labels(doc, len(pages)), info(doc))


MATH_ITALIC = re.compile(r"^(?:cmmi|lmmi|r?[tp]xmi|ntxmi)")  # Computer/Latin Modern, tx, px
MATH_SYMBOLS = re.compile(r"^(?:cmsy|lmsy|r?[tp]xsy|ntxsy)")
TEX_SYMBOLS = {(MATH_ITALIC, 63): "\u22c6", (MATH_SYMBOLS, 3): "\u2217",
               (MATH_SYMBOLS, 120): "\u00a7", (MATH_SYMBOLS, 121): "\u2020",
               (MATH_SYMBOLS, 122): "\u2021", (MATH_SYMBOLS, 123): "\u00b6"}
# TeX's math fonts print note symbols (star, asterisk, section, daggers, pilcrow) at these
# codes; a font embedded without a Unicode map names them by code only ("(cid:63)")


def tex_symbol(fontname: object, cid: int) -> str | None:
    """The note symbol a TeX math font prints at `cid`, if it is one."""
    name = str(fontname).split("+")[-1].lower()
    return next((v for (family, code), v in TEX_SYMBOLS.items()
                 if code == cid and family.match(name)), None)


def glyph_device(aggregator):
    """pdfminer's page aggregator, keeping each character as a plain tuple (text, x0, x1, y0,
    y1, font) instead of a layout object: the same box pdfminer's LTChar computes, at a
    fraction of the cost. Vertical writing falls back to pdfminer's own objects."""
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect

    class GlyphDevice(aggregator):
        glyphs: list

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            if font.is_vertical():
                return super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs,
                                           graphicstate)
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = tex_symbol(font.fontname, cid) or self.handle_undefined_char(font, cid)
            adv = font.char_width(cid) * fontsize * scaling
            low = font.get_descent() * fontsize + rise
            a, b, c, d, e, f = matrix
            if b == 0 and c == 0:
                x0, x1 = sorted((e, a * adv + e))
                y0, y1 = sorted((d * low + f, d * (low + fontsize) + f))
            else:
                x0, y0, x1, y1 = apply_matrix_rect(matrix, (0, low, adv, low + fontsize))
            self.glyphs.append((text, x0, x1, y0, y1, font.fontname))
            return adv

    return GlyphDevice


def page_count(doc) -> int:
    """The page count the PDF declares (0 when it declares none readable)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
        return int(count) if isinstance(count, int) else 0
    except Exception:  # noqa: BLE001 - a damaged page tree: counted while reading instead
        return 0


def outline(doc) -> tuple[tuple[int, str], ...]:
    try:
        return tuple((int(level), " ".join(str(title).split()))
                     for level, title, *_ in doc.get_outlines() if title)
    except Exception:  # noqa: BLE001 - no outline, or a damaged one: headings by style alone
        return ()


INFO_KEYS = ("Title", "Author")
INFO_CHARS = 1000  # a longer value is no title or author list


def info(doc) -> tuple[tuple[str, str], ...]:
    """Title and Author of the document information, decoded (UTF-16 with its
    byte-order mark, else PDFDocEncoding), whitespace collapsed; what is absent or unreadable
    is left out."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    out = []
    try:
        for entry in doc.info:
            for name in INFO_KEYS:
                value = resolve1(entry.get(name)) if isinstance(entry, dict) else None
                if isinstance(value, bytes):
                    value = decode_text(value[:4 * INFO_CHARS])
                if isinstance(value, str) and value.strip():
                    out.append((name, " ".join(value.split())[:INFO_CHARS]))
    except Exception:  # noqa: BLE001 - a damaged information dictionary: the page decides
        return ()
    return tuple(out)


def page_labels(doc, pages: int) -> tuple[str, ...]:
    try:
        labels = []
        for label in doc.get_page_labels():
            labels.append(str(label))
            if len(labels) == pages:
                break
        return tuple(labels) if len(labels) == pages else ()
    except Exception:  # noqa: BLE001 - no /PageLabels: the printed numbers decide
        return ()


BOUND = 1e5  # points (35 m): a coordinate or page size beyond it is no printed page's


def sane(value: float) -> bool:
    """A finite coordinate within BOUND of the origin (a 400-digit number in a text matrix
    is neither)."""
    return isinstance(value, int | float) and math.isfinite(value) and abs(value) <= BOUND


def page_content(number: int, layout, chars: list[tuple]) -> PageContent:
    """The plain glyphs and rules of one page (figures opened, coordinates from the top)."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTLine, LTRect

    height = layout.height if sane(layout.height) else 0.0
    bold: dict[str, bool] = {}
    glyphs: list[Glyph] = []
    rules: list[Rule] = []
    stack = list(layout)
    while stack:  # what pdfminer kept: paths, and characters of vertical fonts
        item = stack.pop()
        if isinstance(item, LTChar):
            chars.append((item.get_text(), item.x0, item.x1, item.y0, item.y1, item.fontname))
        elif isinstance(item, LTLine | LTRect) or (isinstance(item, LTCurve)
                                                  and len(item.pts) == 2):
            if item.height <= RULE_HEIGHT and item.width > item.height \
                    and all(map(sane, (item.x0, item.x1, item.y1))):
                rules.append(Rule(item.x0, item.x1, height - item.y1))
        elif isinstance(item, LTContainer):
            stack.extend(item)
    for text, x0, x1, y0, y1, font in chars:
        if not text.strip() and text != " ":
            continue
        if not (height and all(map(sane, (x0, x1, y0, y1))) and y1 - y0 <= BOUND / 10):
            continue  # off any page: x = 3e8 took minutes and gigabytes, 1e15 a MemoryError
        if font not in bold:
            bold[font] = bool(BOLD.search(font))
        glyphs.append(Glyph(LIGATURES.get(text, text), x0, x1, height - y1, height - y0,
                            round(y1 - y0, 2), font, bold[font]))
    return PageContent(number, layout.width, height, tuple(glyphs), tuple(rules))
