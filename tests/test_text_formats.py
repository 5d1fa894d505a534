"""Other texts: Markdown, single-spaced text, and a text with no body, through load_document."""

import pytest

from corpus import PAPER
from ingest import InputError, load_document, parse_document
from ingest.document import build_document
from ingest.markdown import read_markdown

MARKDOWN = """# A Paper

Intro text with a note.[^1] And *emphasis* and [a link](http://example.org).
A missing one.[^9]

## Methods

More text[^n] here. Then `code` and ![a figure](f.png) too.

- a list item that says something.

[^1]: First note, *italic*.
    Its second line.
[^n]: Named note.
[^7]: A note nothing cites.
"""


def test_markdown_headings_paragraphs_and_footnotes():
    doc = build_document(read_markdown(MARKDOWN))
    assert [s.title for s in doc.sections] == ["A Paper", "Methods"]
    assert [doc.body[p.start:p.end] for p in doc.paragraphs] == [
        "Intro text with a note. And emphasis and a link. A missing one.",
        "More text here. Then code and a figure too.",
        "a list item that says something."]
    by_text = {s.text: s.footnotes for s in doc.sentences}
    assert by_text["Intro text with a note."] == (1,)
    assert by_text["A missing one."] == (9,)
    assert by_text["More text here."] == (10,)  # a named label numbered after the largest
    one, seven, nine, named = (doc.footnote(n) for n in (1, 7, 9, 10))
    assert one.text == "First note, italic. Its second line." and not one.unreferenced
    assert seven.unreferenced and seven.text == "A note nothing cites."
    assert nine.missing and nine.text == ""
    assert named.text == "Named note." and named.mark == "n"


def test_a_leading_level_one_heading_is_the_title_and_nothing_else_is():
    def read(text: str):
        return build_document(read_markdown(text))

    assert read(MARKDOWN).title == "A Paper"
    assert read("# Ice cores\n\n## Method\n\nText.\n").title == "Ice cores"
    for no_title in ("## Method\n\nText.\n", "Text first.\n\n# Later heading\n\nMore.\n"):
        assert read(no_title).title == ""
    setext = read("A Setext Title\n==============\n\nText.\n")
    assert setext.title == "A Setext Title" and setext.sections[0].title == "A Setext Title"


def test_markdown_file_is_chosen_by_its_suffix(tmp_path):
    path = tmp_path / "paper.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    assert [s.title for s in load_document(path).sections] == ["A Paper", "Methods"]
    txt = tmp_path / "paper.txt"
    txt.write_text(MARKDOWN, encoding="utf-8")
    assert "[^1]" in load_document(txt).body  # as plain text it is read literally


def test_a_footnote_block_in_single_spaced_text_ends_with_its_entries():
    text = "\n".join([
        "Introduction",
        "The first paragraph runs on for a while and cites a source here.",
        "1",
        " More text follows on the same page, running to the end of the line width",
        "                              ",
        "1 Kim, Mike. Escaping North Korea: Defiance and Hope in the World's Most Repressive",
        "Country. Lanham, 2008.",
        "2 Ibid.",
        "and the sentence goes on after it.",
        "Method and Results",
        "Women left for food and men left for politics.",
    ])
    doc = parse_document(text)
    assert [s.title for s in doc.sections] == ["Introduction", "Method and Results"]
    assert doc.footnote(1).text.endswith("Repressive Country. Lanham, 2008.")
    assert doc.footnote(2).text == "Ibid."
    assert "line width and the sentence goes on after it." in doc.body
    assert "Women left for food" in doc.body


@pytest.mark.integration
def test_the_bundled_paper_without_blank_lines_keeps_its_sections_and_sentences(tmp_path):
    spaced = parse_document(PAPER.read_text(encoding="utf-8"))
    lines = [x for x in PAPER.read_text(encoding="utf-8").split("\n") if x != ""]
    path = tmp_path / "single.txt"
    path.write_text("\n".join(lines), encoding="utf-8")  # grep -v '^$'
    doc = load_document(path)
    assert [s.title for s in doc.sections] == [s.title for s in spaced.sections]  # all 7
    assert [s.text for s in doc.sentences] == [s.text for s in spaced.sentences]  # all 186
    assert [s.footnotes for s in doc.sentences] == [s.footnotes for s in spaced.sentences]
    assert [(f.number, f.text, f.source) for f in doc.footnotes] == \
        [(f.number, f.text, f.source) for f in spaced.footnotes]


@pytest.mark.parametrize(("name", "content"), [
    ("numbers.txt", "\n".join(str(n) for n in range(1, 200))),
    ("spaced.txt", "  \n7\n\n8\n"),
    ("block.txt", "                    \n1 Only a footnote block.\n2 And another.\n"),
    ("notes.md", "[^1]: A definition and nothing else.\n"),
])
def test_a_text_with_no_body_says_so(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="no body text"):
        load_document(path)


def test_document_keeps_page_labels_and_flags_unreferenced_notes():
    doc = parse_document("Intro\nSome text cites nothing at all here.\n          \n"
                         "1 A lonely note.\n")
    assert doc.page_labels == tuple(str(n) for n in range(1, doc.pages + 1))
    assert doc.label(1) == "1" and doc.label(99) == "99"
    assert doc.footnote(1).unreferenced and not doc.footnote(1).missing
