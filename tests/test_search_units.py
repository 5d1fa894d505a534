"""Pure parts of search: fusion, index text, distinct passages, baseline windows."""

import numpy as np
import pytest

from index.config import SearchConfig
from index.late_rows import similarities
from index.search import minmax, ragged_range, rrf
from index.texts import index_text
from ingest import Chunking, Footnote, chunk, parse_document
from tests.conftest import TINY


def test_minmax_and_rrf():
    assert minmax(np.array([2.0, 4.0, 3.0])).tolist() == [0.0, 1.0, 0.5]
    assert minmax(np.array([1.0, 1.0])).tolist() == [0.0, 0.0]  # no signal, no preference
    fused = rrf(np.array([3.0, 2.0, 1.0]), np.array([1.0, 2.0, 3.0]), k=60)
    assert fused[0] == pytest.approx(fused[2])  # first once and last once: a tie
    assert fused[0] == pytest.approx(1 / 61 + 1 / 63)
    agree = rrf(np.array([3.0, 2.0, 1.0]), np.array([3.0, 1.0, 2.0]), k=60)
    assert int(np.argmax(agree)) == 0  # first in both lists wins


def test_ragged_range_counts_within_each_run():
    assert ragged_range(np.array([2, 0, 3])).tolist() == [0, 1, 0, 1, 2]
    assert ragged_range(np.array([], np.int64)).tolist() == []


def test_rows_read_from_half_precision_agree_with_numpy():
    """The onnxruntime path (float16 rows gathered and widened in one call) gives numpy's
    cosines to the order of the sums, and a float32 array goes through numpy unchanged."""
    rng = np.random.default_rng(7)
    tokens = rng.normal(size=(500, 384)).astype(np.float16)
    qtok = rng.normal(size=(6, 384)).astype(np.float32)
    rows = np.array([499, 3, 3, 250, 0])
    want = qtok @ tokens[rows].astype(np.float32).T
    got = similarities(qtok, tokens, rows)
    assert got.dtype == np.float32 and got.shape == (6, 5)
    assert np.allclose(got, want, rtol=1e-5, atol=1e-4)
    assert np.array_equal(similarities(qtok, tokens.astype(np.float32), rows), want)
    assert similarities(qtok, tokens, np.array([], np.int64)).shape == (6, 0)


def test_the_shipped_late_rows_graph_is_the_one_the_code_makes():
    import onnx

    from index.late_rows import FILE, graph

    assert onnx.load_model_from_string(FILE.read_bytes()) == graph()


def test_search_config_is_validated():
    with pytest.raises(ValueError, match="alpha"):
        SearchConfig(alpha=1.5)
    with pytest.raises(ValueError, match="fusion"):
        SearchConfig(fusion="vote")


def test_index_text_variants_add_section_and_cited_sources():
    doc = parse_document(TINY)
    c = next(c for c in chunk(doc, Chunking(chars=120)) if 1 in c.footnotes)
    notes = {1: Footnote(1, "Kim, Mike. Escaping North Korea.", "Kim, Mike. Escaping North "
                         "Korea.", False, 1)}
    assert index_text(c, notes, "plain") == c.text
    assert index_text(c, notes, "section").startswith("Introduction. ")
    assert index_text(c, notes, "sources").endswith("Sources: Kim, Mike. Escaping North Korea.")
    with pytest.raises(ValueError, match="index text"):
        index_text(c, notes, "everything")


def tiny_index(text: str, chars: int):
    from index.build import IndexData
    from index.embed import DIM

    doc = parse_document(text)
    chunks = tuple(chunk(doc, Chunking(chars=chars, overlap=1)))
    empty = np.zeros((0, DIM), np.float32)
    return IndexData(chunks, doc.sentences, doc.footnotes, tuple(c.text for c in chunks),
                     empty, empty, empty, None, None)


SIX = " ".join(f"Sentence number {w} says something short." for w in
               ("one", "two", "three", "four", "five", "six"))


def test_distinct_passages_never_repeat_a_sentence_and_keep_chunk_ids():
    from index.passages import distinct, dress, whole

    data = tiny_index(SIX, chars=90)  # windows of two sentences, sharing one
    assert [c.sentences for c in data.chunks][:2] == [(0, 1), (1, 2)]
    values = np.linspace(1.0, 0.5, len(data.chunks)).astype(np.float32)
    hits = distinct(values, data, k=len(data.chunks))
    shown = [s for h in hits for s in range(*h.sentences)]
    assert shown == list(range(len(data.sentences)))  # each sentence once, all of them
    first, second = (dress(data, h, r, {1}) for r, h in enumerate(hits[:2], start=1))
    assert (first.id, second.id) == (data.chunks[0].id, data.chunks[1].id)  # stable ids
    assert first.text == data.chunks[0].text
    assert second.text == "Sentence number three says something short."  # not two again
    assert first.highlights == ((first.sentences[1].start, first.sentences[1].end),)
    assert second.sentences[0].start == 0 and second.sentences[-1].end == len(second.text)
    repeats = whole(values, data, k=2)
    assert [h.sentences for h in repeats] == [(0, 2), (1, 3)]  # Config(distinct=False)


def test_a_chunk_with_nothing_new_gives_its_rank_to_the_next():
    from index.passages import distinct

    data = tiny_index(SIX, chars=90)
    values = np.linspace(0.5, 0.1, len(data.chunks)).astype(np.float32)
    values[[0, 2, 1]] = [1.0, 0.9, 0.8]  # chunks 0 and 2 show everything chunk 1 holds
    assert [h.chunk for h in distinct(values, data, k=3)] == [0, 2, 3]
