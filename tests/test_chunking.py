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
