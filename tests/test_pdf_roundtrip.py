"""The round trip: the bundled paper typeset as a PDF and read back gives the text ingest's model.

The PDF is made at test time (eval.fixtures.pdfgen, reportlab) from the extraction's own layout:
its 10 pages and where each begins, its seven headings (bold, larger), paragraphs (first line
indented, justified), footnote markers as raised smaller digits after their words, footnotes at
the bottom of their pages under a short rule, a page number in every footer and, in one variant,
a running header. "The same" here is exact equality of: the body text; every section (number,
title, page, offsets); every paragraph (pages, section, offsets); every sentence (text, section,
paragraph, pages, offsets, footnote markers); every footnote (number, text, resolved source,
missing, page, Ibid. target); and every chunk.
"""

from dataclasses import asdict

import pytest

from corpus import PAPER
from eval.fixtures.pdfgen import paper_pdf
from ingest import chunk, load_document, parse_document

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def text_model():
    return parse_document(PAPER.read_text(encoding="utf-8"))


@pytest.mark.parametrize("header", ["", "Gender and North Korean Defectors"])
def test_the_pdf_gives_the_text_ingest_model_exactly(tmp_path, text_model, header):
    path = tmp_path / "paper.pdf"
    path.write_bytes(paper_pdf(PAPER.read_text(encoding="utf-8"), header=header))
    doc = load_document(path)  # chosen by its %PDF- header
    ref = text_model
    assert doc.body == ref.body
    assert doc.pages == ref.pages == 10 and doc.page_labels == tuple(map(str, range(1, 11)))
    assert [asdict(s) for s in doc.sections] == [asdict(s) for s in ref.sections]
    assert [asdict(p) for p in doc.paragraphs] == [asdict(p) for p in ref.paragraphs]
    assert [asdict(s) for s in doc.sentences] == [asdict(s) for s in ref.sentences]
    assert [asdict(f) for f in doc.footnotes] == [asdict(f) for f in ref.footnotes]
    assert [c.to_dict() for c in chunk(doc)] == [c.to_dict() for c in chunk(ref)]
    assert len(doc.sentences) == 186 and sum(not f.missing for f in doc.footnotes) == 18
