"""PDF ingest on generated PDFs, one per hard case, each with its answer key written here.

What each asserts is what a reader sees on the drawn page (tests/pdf_cases.py draws them).
"""

from pathlib import Path

import pytest

from ingest import InputError, load_document
from ingest.pdf import parse_pdf
from tests.pdf_cases import FILLER, HEIGHT, Page, document

pytestmark = pytest.mark.integration


def sentence_with(doc, words: str):
    return next(s for s in doc.sentences if words in s.text)


def test_running_header_page_labels_page_break_and_a_continued_footnote():
    def page1(p: Page) -> None:
        p.line(["Journal", "of", "Korean", "Studies", "12", "(2019)"], y=HEIGHT - 40)
        p.heading("1 Introduction")
        p.paragraph(FILLER * 3, marks={"expected,": "1"})
        p.paragraph(FILLER * 2 + "The last sentence of this page runs on")
        p.notes([("1", "Kim, Mike. Escaping North Korea: Defiance and Hope in the World's Most "
                      "Repressive Country. Lanham, MD: Rowman & Littlefield, 2008, p. 81, a "
                      "note long enough to be")])
        p.footer("213")

    def page2(p: Page) -> None:
        p.line(["Journal", "of", "Korean", "Studies", "12", "(2019)"], y=HEIGHT - 40)
        p.line(["across", "the", "page", "break", "to", "its", "end.", ("^", "2"), "Then",
                "the", "text", "goes", "on", "with", "its", "second", "page", "and", "more"])
        p.paragraph(FILLER * 2)
        p.notes([("", "continued on the next page."), ("2", "Ibid., p. 90.")])
        p.footer("214")

    doc = parse_pdf(document([page1, page2]))
    assert doc.pages == 2 and doc.page_labels == ("213", "214")
    assert [(s.title, s.page) for s in doc.sections] == [("1 Introduction", 1)]
    assert "Journal of Korean" not in doc.body and "213" not in doc.body  # header, footer out
    crossing = sentence_with(doc, "The last sentence of this page runs on across the page")
    assert crossing.text == "The last sentence of this page runs on across the page break to " \
                            "its end." and crossing.pages == (1, 2) and crossing.footnotes == (2,)
    assert sentence_with(doc, "than most expected,").footnotes == (1,)
    one, two = doc.footnote(1), doc.footnote(2)
    assert one.text.endswith("a note long enough to be continued on the next page.")
    assert one.page == 1 and not one.missing and not one.unreferenced
    assert two.text == "Ibid., p. 90." and two.ibid_of == 1
    assert two.source.startswith("Kim, Mike. Escaping North Korea") and "p. 90" in two.source


def two_columns(p: Page) -> None:
    left, right = [], []
    for n in range(24):
        left.append(["Left", "column", "line", f"number{n}", "says", "what", "the", "left",
                     "says."])
        right.append(["Right", "column", "line", f"number{n}", "says", "what", "the",
                      "right", "says."])
    left[-1] = ["This", "sentence", "leaves", "the", "left", "column"]
    right[0] = ["and", "ends", "in", "the", "right", "one.", ("^", "1"), "Right", "again."]
    for side, lines in ((0, left), (1, right)):
        col = Page(p.c, left=72 + side * 246, width=222)
        for words in lines:
            col.line(words)
        if side == 0:
            col.notes([("1", "A note under the left column.")], bottom=120)
    p.footer("1")


def test_two_columns_read_left_then_right_and_a_sentence_crosses_the_gutter():
    doc = parse_pdf(document([two_columns]))
    texts = [s.text for s in doc.sentences]
    lefts = [i for i, t in enumerate(texts) if t.startswith("Left column")]
    rights = [i for i, t in enumerate(texts) if t.startswith("Right column")]
    assert len(lefts) == 23 and len(rights) == 23 and max(lefts) < min(rights)
    crossing = sentence_with(doc, "This sentence leaves")
    assert crossing.text == "This sentence leaves the left column and ends in the right one."
    assert crossing.footnotes == (1,)
    assert doc.footnote(1).text == "A note under the left column."
    assert all("note under" not in s.text for s in doc.sentences)


def test_an_exponent_beside_a_note_of_the_same_number_stays_an_exponent():
    def page(p: Page) -> None:
        p.paragraph(FILLER, marks={"housing,": "1", "expected,": "2"})
        p.line(["The", "sample", "grew", "to", "10", ("^", "3"), "households", "by", "2014,",
                ("^", "3"), "and", "the", "area", "is", "4", "km", ("^", "2"), "in", "all."])
        p.paragraph(FILLER * 2)
        p.notes([("1", "First note."), ("2", "Second note."), ("3", "Third note.")])
        p.footer("1")

    doc = parse_pdf(document([page]))
    grew = sentence_with(doc, "The sample grew")
    assert grew.text.startswith("The sample grew to 10\u00b3 households by 2014,")
    assert "km\u00b2" in grew.text  # a raised 2 after a unit whose note 2 is already cited
    assert grew.footnotes == (3,)
    assert [n for s in doc.sentences for n in s.footnotes] == [1, 2, 3]
    assert not any(f.unreferenced or f.missing for f in doc.footnotes)


def test_symbol_markers_reset_per_page_and_a_stray_symbol_is_no_marker():
    def page1(p: Page) -> None:
        p.paragraph(FILLER, marks={"housing,": "*", "expected,": "\u2020"})
        p.paragraph(FILLER * 2)
        p.notes([("*", "Star note on page one."), ("\u2020", "Dagger note on page one.")])
        p.footer("1")

    def page2(p: Page) -> None:
        p.paragraph(FILLER, marks={"training": "*"})
        p.line(["The", "pattern", "p", ("^", "\u2021"), "matches", "nothing", "here."])
        p.paragraph(FILLER)
        p.notes([("*", "Star note on page two.")])
        p.footer("2")

    doc = parse_pdf(document([page1, page2]))
    by_text = {f.text: f for f in doc.footnotes}
    assert set(by_text) == {"Star note on page one.", "Dagger note on page one.",
                            "Star note on page two."}
    assert [by_text[t].mark for t in sorted(by_text)] == ["\u2020", "*", "*"]
    cited = {doc.footnote(n).text for s in doc.sentences for n in s.footnotes}
    assert cited == set(by_text)
    page2_star = next(s for s in doc.sentences if s.pages == (2,) and s.footnotes)
    assert doc.footnote(page2_star.footnotes[0]).text == "Star note on page two."
    assert not any(f.missing for f in doc.footnotes)


def test_a_marker_without_a_note_and_a_note_without_a_marker_are_both_kept_and_flagged():
    def page(p: Page) -> None:
        p.paragraph(FILLER, marks={"housing,": "4"})
        p.paragraph(FILLER * 2)
        p.notes([("5", "A note that nothing in the text cites.")])
        p.footer("1")

    doc = parse_pdf(document([page]))
    four, five = doc.footnote(4), doc.footnote(5)
    assert four.missing and four.text == "" and not four.unreferenced
    assert five.unreferenced and not five.missing
    assert five.text == "A note that nothing in the text cites."


def test_hyphens_at_line_ends_duplicate_glyphs_and_ligatures():
    def page(p: Page) -> None:
        p.paragraph("Their assimilation took years, and the well-known program helped. " * 3)
        p.line(["Most", "defectors", "found", "assim-"])
        p.line(["ilation", "slow", "in", "the", "Soviet-"])
        p.line(["controlled", "North", "and", "a", "well-"])
        p.line(["known", "school", "near", "Hanawon", "helped."])
        p.c.setFont("Times-Roman", 10)
        p.c.drawString(72, p.y, "Hanawon")  # printed twice at one place: a faked bold
        p.line(["Hanawon", "opened", "in", "1998."])
        p.paragraph(FILLER * 2)
        p.footer("1")

    doc = parse_pdf(document([page]))
    assert "found assimilation slow in the Soviet-controlled North and a well-known school" \
        in doc.body
    assert "Hanawon opened in 1998." in doc.body and "HHanawon" not in doc.body


def test_a_ligature_glyph_is_spelled_out():
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not font.is_file():
        pytest.skip("needs DejaVu Serif (Debian fonts-dejavu, installed with Chromium)")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(font)))

    def page(p: Page) -> None:
        for _ in range(8):
            p.line(["They", "had", "to", "\ufb01nd", "work", "and", "\ufb02ee", "the",
                    "o\ufb03ce."], font="DejaVuSerif")
        p.footer("1")

    doc = parse_pdf(document([page]))
    assert "They had to find work and flee the office." in doc.body


def test_outline_titles_decide_which_bold_lines_are_headings():
    def page(p: Page) -> None:
        p.c.bookmarkPage("m")
        p.c.addOutlineEntry("Method", "m", level=0)
        p.heading("Method")
        p.paragraph(FILLER * 2)
        p.line(["Bold", "Lead-in", "Line"], font="Times-Bold")
        p.paragraph(FILLER)
        p.heading("2 Results")
        p.paragraph(FILLER * 2)
        p.footer("1")

    doc = parse_pdf(document([page]))
    assert [s.title for s in doc.sections] == ["Method", "2 Results"]
    assert "Bold Lead-in Line" in doc.body


def test_refusals_are_one_line(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    def page(p: Page) -> None:
        p.paragraph(FILLER)

    cases = {
        "encrypted.pdf": (document([page], encrypt=StandardEncryption("secret", "owner")),
                          "encrypted PDF"),
        "damaged.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n" + b"\x00" * 50,
                        "damaged PDF"),
        "truncated.pdf": (document([page])[:400], "damaged PDF"),
        "scan.pdf": (document([lambda p: p.c.rect(72, 72, 200, 200, fill=1)]), "no text"),
        "fake.pdf": (b"just words, no header", "not a PDF"),
        "numbers.txt": (b"1\n2\n3\n4\n5\n", "no body text"),
        "footer-only.pdf": (document([lambda p: p.footer("7")]), "no body text"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError) as e:
            load_document(path)
        assert message in str(e.value) and "\n" not in str(e.value), name


def test_page_limit():
    data = document([lambda p: p.line(["Page", "text."])] * 501)
    with pytest.raises(InputError, match="more than 500 pages"):
        parse_pdf(data)
    assert parse_pdf(data[:], max_pages=600).pages == 501
