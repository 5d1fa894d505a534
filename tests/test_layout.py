"""Layout reading on tiny inline papers: pages, paragraphs, hyphens, footnote blocks."""

from ingest import parse_document
from ingest.layout import join_wrapped, read_layout
from tests.conftest import TINY


def test_hyphen_at_line_end_belongs_to_the_word():
    assert join_wrapped("the Soviet-", "controlled North") == "the Soviet-controlled North"
    assert join_wrapped("the end", "of it") == "the end of it"
    assert join_wrapped("1953-", "1991") == "1953- 1991"  # only a letter-hyphen-letter joins
    doc = parse_document(TINY)
    assert "The Soviet-controlled North grew." in doc.body


def test_paragraphs_are_rebuilt_from_wrapped_lines():
    doc = parse_document(TINY)
    texts = [doc.body[p.start:p.end] for p in doc.paragraphs]
    assert len(texts) == 3
    assert texts[0].startswith("The Soviet-controlled") and texts[0].endswith("Short line ends it.")
    assert "\n" not in texts[0]  # wrapped lines are joined with single spaces
    assert texts[1].startswith("A second paragraph")
    assert texts[2].startswith("Women left for food")


def test_sentence_runs_across_a_footnote_block():
    doc = parse_document(TINY)
    sents = [s.text for s in doc.sentences]
    assert any("South Koreans often think that North Koreans are lazy." in s for s in sents)
    crossing = next(s for s in doc.sentences if "often think" in s.text)
    assert crossing.pages == (1, 2)  # the block closed page 1 mid-sentence
    assert "Littlefield" not in doc.body  # the footnote block is not body text


def test_pages_and_headings():
    layout = read_layout(TINY)
    doc = parse_document(TINY)
    assert layout.pages == 2
    assert [(s.title, s.page) for s in doc.sections] == [("Introduction", 1),
                                                        ("Method and Results", 2)]


def test_markers_attach_to_the_sentence_they_follow_and_leave_no_digits():
    doc = parse_document(TINY)
    by_note = {n: s.text for s in doc.sentences for n in s.footnotes}
    assert by_note[1].endswith("right up to the end.")
    assert by_note[2] == "South Koreans often think that North Koreans are lazy."
    assert by_note[3].startswith("Women left for food")
    for s in doc.sentences:
        assert not any(tok.isdigit() and tok in {"1", "2", "3"} for tok in s.text.split())


def test_page_break_on_a_one_space_line_that_follows_directly():
    text = "\n\n".join(["Intro ", "first page text that goes on and on to fill the line ",
                        "and more of it that goes on and on to fill the next line ",
                        "and the last line of the first page, which is just as full "])
    text += "\n second page starts here and keeps going.\n\nmore text."
    assert read_layout(text).pages == 2


def test_text_without_headings_or_footnotes_is_one_untitled_section():
    doc = parse_document("Just a plain note.\nIt has two lines.\n\nAnd a second paragraph.")
    assert [(s.title, s.page) for s in doc.sections] == [("Untitled", 1)]
    assert len(doc.paragraphs) == 2
    assert doc.footnotes == ()


def test_empty_text_gives_an_empty_document():
    doc = parse_document("")
    assert doc.sentences == () and doc.pages == 1 and doc.sections[0].title == "Untitled"


def test_the_extract_without_its_blank_lines_keeps_its_sections_footnotes_and_pages(tmp_path):
    """Issue 22: with its blank and whitespace-only lines taken out, the bundled paper lost
    every footnote text (0 of 18), fell from 10 pages to 1 and spliced its footnote entries
    into body sentences. The rule line above each footnote block is gone with them, so a
    numbered line opens a block when its number is a marker cited on the page and still
    without its note; a line starting with one space after text opens a page."""
    from corpus import PAPER
    from ingest.load import load_document

    lines = PAPER.read_text(encoding="utf-8").split("\n")
    packed = tmp_path / "packed.txt"
    packed.write_text("\n".join(s for s in lines if s.strip()), encoding="utf-8")
    want, got = load_document(PAPER), load_document(packed)
    assert [(s.title, s.page) for s in got.sections][:-1] \
        == [(s.title, s.page) for s in want.sections][:-1]
    assert [(f.number, f.text, f.page, f.missing) for f in got.footnotes] \
        == [(f.number, f.text, f.page, f.missing) for f in want.footnotes]
    assert sum(not f.missing for f in got.footnotes) == 18
    assert [s.text for s in got.sentences] == [s.text for s in want.sentences]
    # one page break only the blank lines carried: the last heading opened page 10 by
    # following text with no blank line between, and now every line does
    assert (got.pages, got.sections[-1].page) == (9, 9) and want.pages == 10
