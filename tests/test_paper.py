"""The real paper: structure, footnotes and the promise that nothing is lost."""

import re

import pytest

from corpus import PAPER

pytestmark = pytest.mark.integration

TITLES = [
    "Introduction",
    "The Various Reasons for Defection and Measurements of Success",
    "Difficulties in Emotional and Mental Health",
    "Social and Cultural Assimilation",
    "Job Seeking",
    "Working Conditions for North Korea Defectors",
    "Conclusion",
]
WORD = re.compile(r"\w+")


def raw_parts() -> tuple[list[str], list[str]]:
    """Body lines and footnote-block lines of the raw file, split independently of `ingest`."""
    lines = PAPER.read_text(encoding="utf-8").split("\n")
    body, notes, in_block, blanks = [], [], False, 0
    for line in lines:
        if line == "":
            blanks += 1
            if blanks >= 2:
                in_block = False
            continue
        blanks = 0
        if not line.strip() and len(line) >= 10:
            in_block = True
        elif in_block:
            notes.append(line)
        elif line.strip() and not line.strip().isdigit() and line.strip() not in TITLES:
            body.append(line)
    return body, notes


def test_sections_pages_and_footnotes(paper):
    assert [s.title for s in paper.sections] == TITLES
    assert paper.pages == 10
    pages = {p for s in paper.sentences for p in s.pages}
    assert pages == set(range(1, 11))
    by = {f.number: f for f in paper.footnotes}
    present = [*range(12, 17), *range(22, 35)]
    missing = [*range(1, 12), *range(17, 22), *range(35, 55)]
    assert sorted(by) == list(range(1, 55))
    assert all(by[n].text and not by[n].missing for n in present)
    assert all(by[n].missing and by[n].text == "" and by[n].source is None for n in missing)
    for n in range(23, 30):
        assert by[n].text == "Ibid." and by[n].source.startswith("Jeon, Woo-Taek")
        assert "(2008)" in by[n].source and by[n].ibid_of == 22
    assert by[33].source.startswith("Suh, Jae-jean") and "p. 71" in by[33].source
    assert by[34].source.startswith("Suh, Jae-jean") and "p. 77" in by[34].source
    assert "p. 69" not in by[33].source


def test_no_marker_digits_in_sentences_and_joins(paper):
    texts = [s.text for s in paper.sentences]
    assert any("South Koreans often think that North Koreans are ignorant and lazy" in t
               for t in texts)
    assert any("Soviet-controlled North" in t for t in texts)
    for s in paper.sentences:  # a marker would show as a lone number glued to the sentence end
        assert not re.search(r"[.!?\u201d]\s*\d+\s*$", s.text), s.text
        assert not re.search(r"\b(1[2-9]|2\d|3[0-4])$", s.text), s.text
    cited = {n for s in paper.sentences for n in s.footnotes}
    assert cited == set(range(1, 55))
    depression = next(s for s in paper.sentences if "three times the rate" in s.text)
    assert depression.pages == (4, 5)


def test_every_body_word_and_footnote_text_survives(paper, paper_chunks):
    body, notes = raw_parts()
    expected = WORD.findall(" ".join(body))
    got = WORD.findall(" ".join(paper.body[p.start:p.end] for p in paper.paragraphs))
    assert got == expected  # the same words, in the same order
    in_chunks = {i for c in paper_chunks for i in c.sentences}
    assert in_chunks == {s.index for s in paper.sentences}
    chunk_words = WORD.findall(" ".join(c.text for c in paper_chunks))
    assert set(chunk_words) == set(expected)
    note_words = WORD.findall(" ".join(notes))
    table_words = WORD.findall(" ".join(f"{f.number} {f.text}" for f in paper.footnotes
                                        if not f.missing))
    assert table_words == note_words


def test_chunks_have_ids_offsets_and_citations(paper, paper_chunks):
    assert len({c.id for c in paper_chunks}) == len(paper_chunks)
    for c in paper_chunks:
        assert re.fullmatch(r"p\d+-s\d-c\d+", c.id)
        assert c.text == paper.body[c.start:c.end]
        assert c.section in TITLES and c.pages and c.paragraph in c.paragraphs
    depression = next(c for c in paper_chunks if "three times the rate" in c.text)
    assert 22 in depression.footnotes or 21 in depression.footnotes
