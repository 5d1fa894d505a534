"""Chunk windows: whole sentences, inside one section, with overlap, nothing dropped."""

import pytest

from ingest import Chunking, chunk, parse_document
from ingest.chunking import windows
from tests.conftest import TINY


def test_windows_cover_every_sentence_with_overlap():
    assert windows([10, 10, 10, 10], max_chars=21, overlap=1) == [(0, 2), (1, 3), (2, 4)]
    assert windows([10, 10, 10], max_chars=100, overlap=1) == [(0, 3)]
    assert windows([], max_chars=10, overlap=1) == []


def test_a_sentence_longer_than_a_chunk_stands_alone_and_progress_is_made():
    assert windows([5, 500, 5], max_chars=50, overlap=3) == [(0, 1), (1, 2), (2, 3)]


def test_chunks_are_body_slices_inside_one_section():
    doc = parse_document(TINY)
    chunks = chunk(doc, Chunking(chars=120, overlap=1))
    for c in chunks:
        assert c.text == doc.body[c.start:c.end]
        section = doc.sections[c.section_number - 1]
        assert section.start <= c.start and c.end <= section.end
        assert c.section == section.title
    assert len({c.id for c in chunks}) == len(chunks)
    covered = {i for c in chunks for i in c.sentences}
    assert covered == {s.index for s in doc.sentences}
    assert chunks[0].id == "p1-s1-c1"
    for c in chunks:  # a chunk carries the markers of exactly the sentences it holds
        assert (1 in c.footnotes) == ("right up to the end." in c.text)


def test_bad_chunking_is_refused():
    with pytest.raises(ValueError, match="chunking chars >= 1, got 0"):
        Chunking(chars=0)
    with pytest.raises(ValueError, match="chunking overlap >= 0"):
        Chunking(overlap=-1)
    with pytest.raises(ValueError, match="whole number"):
        Chunking(chars=4.5)


def test_a_note_no_sentence_cites_hangs_on_the_first_chunk_that_shows_its_page():
    """A title's note ("*": who funded the work), a caption's, or one whose marker was not
    found: searched and shown with a passage of its page, never dropped."""
    from dataclasses import replace

    from ingest.records import Footnote

    doc = parse_document(TINY)
    extra = (Footnote(7, "Funded by the Example Council, grant 12.", "Funded by the Example "
                      "Council, grant 12.", False, 1, mark="*"),
             Footnote(8, "Source: a survey of 1990.", "Source: a survey of 1990.", False, 2),
             Footnote(9, "A note on a page no passage reaches.", None, False, 9))
    doc = replace(doc, footnotes=(*doc.footnotes, *extra))
    chunks = chunk(doc, Chunking(chars=120, overlap=1))
    carry = {n: [c.id for c in chunks if n in c.footnotes] for n in (7, 8, 9)}
    first_on_2 = next(c.id for c in chunks if 2 in c.pages)
    assert carry == {7: [chunks[0].id], 8: [first_on_2], 9: [chunks[-1].id]}
    cited = {n for s in doc.sentences for n in s.footnotes}  # what the sentences cite is unchanged
    for c in chunks:
        mine = {n for i in c.sentences for n in doc.sentences[i].footnotes}
        assert set(c.footnotes) - mine <= {7, 8, 9} and mine <= set(c.footnotes)
    assert not cited & {7, 8, 9}
