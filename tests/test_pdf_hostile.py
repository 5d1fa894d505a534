"""PDFs that attack the reader itself (issue 22): glyphs placed off any page, numbers too
large for a float, and twenty thousand rows; each parses, in the calling process too
(`footnoted ingest X.pdf`), keeping the page's real text, with no traceback."""

from __future__ import annotations

import pytest

from ingest.guard import Limits, parse_untrusted
from ingest.load import load_document
from tests.hostile_files import FAR_GLYPHS, rows_pdf, text_pdf


@pytest.mark.parametrize("name", list(FAR_GLYPHS))
def test_glyphs_off_any_page_are_left_out_and_the_page_kept(tmp_path, name):
    pdf = tmp_path / "far.pdf"
    pdf.write_bytes(text_pdf(FAR_GLYPHS[name]))
    doc = load_document(pdf)  # in this process: no sandbox to stop it
    text = " ".join(s.text for s in doc.sentences)
    assert "Some real text on the page." in text and "far away" not in text


def test_twenty_thousand_rows_parse_within_a_sandbox_limit_they_used_to_pass(tmp_path):
    pdf = tmp_path / "rows.pdf"
    pdf.write_bytes(rows_pdf())
    # the raised-marker pass scanned every row below each one: 29 s idle here (72 s busy);
    # now about 3 s, so 20 s of wall time holds on a machine four times as busy
    doc = parse_untrusted(pdf, Limits(wall=20))
    assert len(doc.sentences) > 10_000
