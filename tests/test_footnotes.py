"""Footnote table: entries from blocks, Ibid. chains resolved, cited-but-missing listed."""

from ingest import parse_document
from ingest.footnotes import resolve, with_page
from ingest.layout import RawFootnote
from tests.conftest import TINY

SUH = ('Suh, Jae-jean. "North Korean Defectors." East Asian Review 14.3 (2002): p. 69. Print.')


def test_ibid_takes_the_preceding_entry_and_its_own_page():
    notes = resolve([RawFootnote(32, SUH, 6), RawFootnote(33, "Ibid, p. 71", 6),
                     RawFootnote(34, "Ibid., p. 77", 6), RawFootnote(35, "Ibid.", 6)], {})
    by = {f.number: f for f in notes}
    assert by[33].source == SUH.replace("p. 69", "p. 71") and by[33].ibid_of == 32
    assert by[34].source == SUH.replace("p. 69", "p. 77") and by[34].ibid_of == 32
    assert by[35].source == by[34].source  # a plain Ibid. repeats the one before, page included
    assert by[33].text == "Ibid, p. 71"  # the printed text is kept as printed


def test_ibid_after_a_missing_footnote_stays_unresolved():
    notes = resolve([RawFootnote(5, "Ibid.", 2)], {4: 2, 5: 2})
    by = {f.number: f for f in notes}
    assert by[4].missing and by[4].text == "" and by[4].source is None
    assert not by[5].missing and by[5].source is None


def test_with_page_replaces_or_appends():
    assert with_page("A. Book (2008): 213-20.", "p. 5") == "A. Book (2008): 213-20, p. 5."
    assert with_page("A. Book, pp. 3-9. Print.", "p. 4") == "A. Book, p. 4. Print."


def test_tiny_paper_footnotes():
    doc = parse_document(TINY)
    by = {f.number: f for f in doc.footnotes}
    assert by[1].text.endswith("Rowman & Littlefield Pub., 2008. p. 81.Print.")  # wrapped entry
    assert by[2].source.endswith("p. 90.Print.") and by[2].ibid_of == 1
    assert by[3].missing and by[3].page == 2
