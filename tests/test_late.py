"""Late interaction: MaxSim arithmetic on hand-made vectors, then the real model and index."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from index import late, store
from index.config import SearchConfig
from index.records import Query
from index.search import late_scores, scores


def unit(*rows):
    v = np.array(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_maxsim_is_the_mean_of_each_query_pieces_best_match():
    tokens, offsets = late.pack([unit([1, 0, 0], [0, 1, 0]), unit([0, 0, 1])], 3)
    assert offsets.tolist() == [0, 2, 3]
    query = unit([1, 0, 0], [0, 0, 1])
    # sentence 0: best matches 1.0 and 0.0 -> 0.5; sentence 1: 0.0 and 1.0 -> 0.5
    assert late.sentence_scores(query, tokens, offsets).tolist() == pytest.approx([0.5, 0.5])
    query = unit([1, 1, 0])
    s = late.sentence_scores(query, tokens, offsets)
    assert s[0] == pytest.approx(2 ** -0.5) and s[1] == pytest.approx(0.0)
    assert late.sentence_scores(np.zeros((0, 3), np.float32), tokens, offsets).tolist() == [0, 0]


def test_a_chunk_takes_its_best_sentence_and_an_empty_chunk_gets_minus_one():
    per_sentence = np.array([0.1, 0.9, 0.3, 0.5], dtype=np.float32)
    members = np.array([0, 1, 1, 2, 3], dtype=np.int64)  # chunks: {0,1}, {}, {1,2}, {3}
    starts = np.array([0, 2, 2, 4], dtype=np.int64)
    assert late.chunk_scores(per_sentence, members, starts).tolist() == pytest.approx(
        [0.9, -1.0, 0.9, 0.5])


def test_pieces_kept_for_questions_and_for_the_paper():
    pieces = ["[CLS]", "what", "do", "newcomer", "##s", "expect", "in", "2015", "?", "[SEP]"]
    assert [pieces[i] for i in late.query_pieces(pieces)] == ["newcomer", "##s", "expect"]
    short = ["[CLS]", "why", "?", "[SEP]"]  # nothing but stop words: keep all but special
    assert [short[i] for i in late.query_pieces(short)] == ["why", "?"]
    assert len(late.document_pieces(pieces)) == 8
    with pytest.raises(ValueError, match="at least one token"):
        late.pack([unit([1, 0]), np.zeros((0, 2), np.float32)], 2)


@pytest.mark.integration
def test_query_tokens_come_from_the_same_pass_as_the_vector(embedder):
    vec, qtok = embedder.encode_query("What do newcomers expect to receive in return?")
    assert np.allclose(vec, embedder.encode_one("What do newcomers expect to receive in return?"),
                       atol=1e-5)
    assert qtok.shape[1] == 384 and 3 <= len(qtok) <= 8
    assert np.allclose(np.linalg.norm(qtok, axis=1), 1.0, atol=1e-5)


@pytest.mark.integration
def test_a_text_with_no_word_piece_gets_a_zero_token_not_a_paper_without_tokens(embedder):
    """A typeset formula's lone private-use glyph ("\uf8f1", a brace piece) is a sentence the
    model reads no word piece of: it gets one zero token, and every other text keeps its own
    (one such sentence once left a whole paper without late interaction)."""
    from index.build import unit_vectors
    from ingest import parse_document
    from tests.conftest import TINY

    doc = parse_document(TINY)
    glyph = replace(doc.sentences[-1], index=len(doc.sentences), text="\uf8f1")
    doc = replace(doc, sentences=(*doc.sentences, glyph))
    _, tokens, offsets = unit_vectors(doc, embedder)
    assert len(offsets) == len(doc.sentences) + len(doc.footnotes) + 1
    sizes = np.diff(offsets)
    at = glyph.index
    assert sizes[at] == 1 and not tokens[offsets[at]].any()
    rows = [tokens[offsets[i]:offsets[i + 1]] for i in range(len(doc.sentences))]
    assert all(np.allclose(np.linalg.norm(r, axis=1), 1.0, atol=1e-4)
               for i, r in enumerate(rows) if i != at)


@pytest.mark.integration
def test_the_saved_index_holds_every_sentences_and_sources_tokens(engine):
    d = engine.data
    assert d.has_tokens and len(d.token_offsets) == len(d.sentences) + len(d.footnotes) + 1
    assert np.all(np.diff(d.token_offsets) > 0)
    # a chunk's units are its sentences and the sources it cites, as for unit_cosines
    members, starts = d.chunk_members
    i = next(i for i, c in enumerate(d.chunks) if 22 in c.footnotes)
    end = starts[i + 1] if i + 1 < len(starts) else len(members)
    cited = [len(d.sentences) + d.note_rows[n] for n in d.chunks[i].footnotes
             if n in d.note_rows]
    assert len(d.sentences) + d.note_rows[22] in cited
    assert list(members[starts[i]:end]) == [*d.chunks[i].sentences, *cited]
    folder = store.current_build(store.index_root(engine.home, engine.paper))
    assert {"tokens.npy", "token_offsets.npy"} <= set(
        __import__("json").loads((folder / "manifest.json").read_text())["files"])


@pytest.mark.integration
def test_late_interaction_lifts_the_sentence_a_reworded_question_means(engine):
    """'similar results to those of South Korean females' is not in the question's words."""
    d = engine.data
    q = ("Whose sense of being backed up by others ended up resembling that of native "
         "southern women?")
    vec, qtok = engine.embedder.encode_query(q)
    target = [i for i, c in enumerate(d.chunks)
              if "similar results to those of South Korean" in c.text]
    with_late = late_scores(d, qtok)
    assert target and max(with_late[target]) > np.median(with_late)
    query = Query(q, 5, "hybrid", vec, qtok)
    off = scores(d, query, SearchConfig(late=0.0))
    on = scores(d, query, SearchConfig(late=0.5))

    def rank(s):
        return min(int((s > s[i]).sum()) + 1 for i in target)

    assert rank(on) <= 3 < rank(off)  # measured: 10th without, 3rd with
    # without token vectors the late part is left out, not an error
    assert np.allclose(scores(d, replace(query, tokens=None), SearchConfig(late=0.5)), off)


@pytest.mark.integration
def test_unit_cosines_is_each_chunks_best_sentence_or_cited_source(engine):
    from index.search import unit_cosines

    data = engine.data
    rng = np.random.default_rng(0)
    for _ in range(20):
        q = rng.standard_normal(384).astype(np.float32)
        q /= np.linalg.norm(q)
        want = [max([float(data.sentence_vecs[s] @ q) for s in c.sentences]
                    + [float(data.note_vecs[data.note_rows[n]] @ q) for n in c.footnotes
                       if n in data.note_rows], default=-1.0) for c in data.chunks]
        np.testing.assert_allclose(unit_cosines(data, q), want, atol=1e-6)
    # the paper's chunks cite footnotes whose text is missing (a zero row: cosine 0)
    assert any(not data.footnote_map[n].source for c in data.chunks for n in c.footnotes)
