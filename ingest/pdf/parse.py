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
from dataclasses import replace

from ..document import build_document
from ..errors import InputError
from ..layout import Layout
from ..records import Document
from .blocks import read_body, read_notes, vocabulary
from .front import read_cover, split_captions, strip_contents, title_block
from .lines import Line, page_lines
from .links import number_marks
from .read import MAX_PAGES, PdfContent, read_pdf
from .zones import PageZones, body_size, fill_labels, split_zones


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
    zones, contents = strip_contents(zones)
    first_page = zones[0] if zones else PageZones(1, None, (), ())
    height = content.pages[0].height if content.pages else 0.0
    cover, first_page = read_cover(first_page, body, height, content.info,
                                   [x for z in zones[1:] for x in z.body])
    zones[:1] = [first_page] if zones else []
    vocab = vocabulary([x for z in zones for x in (*z.body, *z.notes)])
    blocks = read_body(zones, body, content.outline, vocab)
    if cover.marks:  # the title's own notes ("*": where it first appeared), numbered with
        blocks.insert(0, title_block(cover))  # the rest, then taken off the body
    entries = read_notes(zones, vocab)
    blocks, notes = number_marks(blocks, entries)
    title_notes = tuple(n for _, n in blocks.pop(0).markers) if cover.marks else ()
    blocks, captions = split_captions(blocks)
    cited = (*title_notes, *(n for c in captions for n in c.footnotes))
    layout = Layout(tuple(blocks), notes, max(len(content.pages), 1), orphans=cited)
    labels = content.labels or fill_labels([z.label for z in zones])
    return replace(build_document(layout, labels), title=cover.title, authors=cover.authors,
                   year=cover.year, title_notes=title_notes,
                   extras=(*cover.extras, *contents, *captions))
