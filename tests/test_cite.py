"""BibTeX and RIS of a passage and of the sources a paper cites (issue 23, item 6), read back
by real parsers (bibtexparser, rispy) as a reference manager would read them."""

from __future__ import annotations

import bibtexparser
import pytest
import rispy

from app.cite import (
    parse_source,
    passage_bibtex,
    passage_ris,
    source_bibtex,
    source_ris,
)
from index.records import Passage
from ingest.records import Footnote

META = {"title": "A Paper on Things", "authors": ["Doe, Jane", "Roe, Richard"], "year": 2020}
KIM = Footnote(12, "Ibid., p. 36.", "Kim, Mike. Escaping North Korea. Lanham, MD: Rowman & "
               "Littlefield Pub., 2008. p. 36.Print.", False, 3, ibid_of=11)
NOTE = Footnote(4, "See the discussion above, and 50% {of} it.", None, False, 2)
PASSAGE = Passage("p3-s2-c1", 1, 0.9, "Text.", "Results & Discussion", (3, 4), 8, (KIM, NOTE),
                  ())


def test_a_passage_cites_the_paper_at_its_section_pages_and_paragraph():
    (entry,) = bibtexparser.loads(passage_bibtex(PASSAGE, META)).entries
    assert entry["ENTRYTYPE"] == "misc" and entry["title"] == "A Paper on Things"
    assert entry["author"] == "Doe, Jane and Roe, Richard" and entry["year"] == "2020"
    assert entry["pages"] == "3--4" and entry["ID"].endswith("_p3s2c1")
    assert "Results \\& Discussion" in entry["note"] and "paragraph 8" in entry["note"]
    (ris,) = rispy.loads(passage_ris(PASSAGE, META))
    assert ris["type_of_reference"] == "GEN" and ris["authors"] == ["Doe, Jane", "Roe, Richard"]
    assert (ris["start_page"], ris["end_page"], ris["year"]) == ("3", "4", "2020")


def test_a_paper_without_a_title_is_cited_by_its_working_title_in_brackets():
    (entry,) = bibtexparser.loads(passage_bibtex(PASSAGE, {"working_title": "Gist"})).entries
    assert entry["title"] == "[Gist]" and "author" not in entry
    assert "p3-s2-c1" not in entry["note"]  # no internal id in what a reader pastes


def test_a_resolved_source_is_parsed_and_an_unparsed_note_cited_by_its_text():
    (book,) = bibtexparser.loads(source_bibtex(KIM)).entries
    assert (book["ENTRYTYPE"], book["author"], book["title"], book["year"], book["pages"]) \
        == ("book", "Kim, Mike", "Escaping North Korea", "2008", "36")
    (ris,) = rispy.loads(source_ris(KIM))
    assert (ris["type_of_reference"], ris["title"], ris["authors"], ris["start_page"]) \
        == ("BOOK", "Escaping North Korea", ["Kim, Mike"], "36")
    (misc,) = bibtexparser.loads(source_bibtex(NOTE)).entries
    assert misc["ENTRYTYPE"] == "misc" and misc["note"] == NOTE.text.replace("%", "\\%") \
        .replace("{", "\\{").replace("}", "\\}")
    assert rispy.loads(source_ris(NOTE))[0]["notes"] == [NOTE.text]


@pytest.mark.parametrize(("text", "want"), [
    ('Park, Young-ja. "The Life of Labor." Asian Women 24.2 (2008): p. 37. Print.',
     ("Park, Young-ja", "The Life of Labor", "article", "2008", "37")),
    ("Frederick Jackson Turner, The Frontier in American History (New York, 1920), pp. 1-38.",
     ("Frederick Jackson Turner", "The Frontier in American History", "book", "1920", "1-38")),
    ("Jane Doe, \u201cA Study of Things,\u201d Journal of Stuff 12 (1999): 33-40.",
     ("Jane Doe", "A Study of Things", "article", "1999", "33-40")),
    ('Jeon, Woo-Taek, Shin-Eun Yu, and Jin-Sup Eom. "Traumatic Experiences."Psychiatry '
     "Investigation 5.4 (2008): 213-20.", ("Jeon, Woo-Taek and Shin-Eun Yu and Jin-Sup Eom",
                                           "Traumatic Experiences", "article", "2008", "213-20")),
    ("Ibid., p. 12.", None), ("Id. at 5.", None), ("See chapter 3 above.", None),
])
def test_references_in_the_usual_styles_are_parsed_and_others_are_not(text, want):
    got = parse_source(text)
    assert (None if got is None else tuple(got.values())) == want
