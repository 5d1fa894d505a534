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
