"""A PDF's bytes -> the document model: read, lines, zones, blocks, then `build_document`.

The stages, each pure but the first: `read.read_pdf` (pdfminer: glyphs, rules, outline, page
labels) -> `lines.page_lines` (rows, columns, raised markers) -> `zones.split_zones` (header,
footer, footnote zone, printed page numbers) -> `blocks` (headings, paragraphs, footnote
entries) -> `links` (markers linked and numbered) -> `document.build_document` (the model
every format shares).
A PDF with no text at all (a scan) is refused with one line.
Leaves out bounds on time and memory, which the caller sets around it.
"""

from __future__ import annotations

from collections import Counter

from ..document import build_document
from ..errors import InputError
from ..layout import Layout
from ..records import Document
from .blocks import normal, read_body, read_notes, vocabulary
from .lines import Line, page_lines
from .links import number_marks
from .read import MAX_PAGES, PdfContent, read_pdf
from .zones import body_size, fill_labels, split_zones


def parse_pdf(data: bytes, name: object = "the PDF", max_pages: int = MAX_PAGES) -> Document:
    """The document model of a PDF; `InputError` (one line) for what cannot be read."""
    content = read_pdf(data, name, max_pages)
    if not any(page.glyphs for page in content.pages):
        raise InputError(f"no text in this PDF (a scan has none to read): {name}")
    return layout_document(content)


def layout_document(content: PdfContent) -> Document:
    """The document model of a PDF's plain content (pure)."""
    sizes = Counter(g.size for page in content.pages for g in page.glyphs)
    first = sizes.most_common(1)[0][0] if sizes else 10.0
    pages: list[list[Line]] = [page_lines(p.number, p.glyphs, first) for p in content.pages]
    body = body_size(pages)
    zones = split_zones(pages, [p.rules for p in content.pages], body)
    titles = {normal(t) for _, t in content.outline if normal(t)}
    vocab = vocabulary([x for z in zones for x in (*z.body, *z.notes)])
    blocks = read_body(zones, body, titles, vocab)
    entries = read_notes(zones, vocab)
    blocks, notes = number_marks(blocks, entries)
    layout = Layout(tuple(blocks), notes, max(len(content.pages), 1))
    labels = content.labels or fill_labels([z.label for z in zones])
    return build_document(layout, labels)
