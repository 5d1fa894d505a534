"""A paper added to the library is embedded by the exported ONNX model: the same vectors and
the same answers as the torch reference, and `footnoted add` imports no torch."""

import json
import logging
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from index import onnx_model
from index.onnx_embed import OnnxEmbedder, for_home, loaded
from index.onnx_query import OnnxQuery


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row cosines of two normalised matrices, over the rows the reference has (a zero row
    stands for a footnote without a source, the same on both sides)."""
    assert a.shape == b.shape
    kept = np.linalg.norm(b, axis=1) > 0
    assert np.array_equal(kept, np.linalg.norm(a, axis=1) > 0)
    return np.sum(a[kept] * b[kept], axis=1)


@pytest.fixture(scope="session")
def onnx_data(engine, paper):
    """The bundled paper's index built again, embedded by the exported model."""
    from index.build import build

    docs = for_home(engine.home)
    assert docs is not None  # the session's engine exported the model
    return build(paper, loaded(docs), engine.config)


@pytest.mark.integration
def test_the_paper_embedded_by_onnx_agrees_with_the_torch_reference(engine, onnx_data):
    torch_data = engine.data
    for name in ("chunk_vecs", "sentence_vecs", "note_vecs", "token_vecs"):
        got = cosines(getattr(onnx_data, name), getattr(torch_data, name))
        assert len(got) >= 18 and got.min() >= 0.9999, name
    assert np.array_equal(onnx_data.token_offsets, torch_data.token_offsets)
    assert onnx_data.texts == torch_data.texts and onnx_data.chunks == torch_data.chunks


@pytest.mark.integration
def test_an_index_embedded_by_onnx_gives_the_torch_index_answers(engine, onnx_data):
    from eval.questions import DEFAULT_SET
    from ingest.questions import read_questions

    questions = [q.question for q in read_questions(DEFAULT_SET)[0]]
    assert len(questions) > 150
    other = replace(engine, data=onnx_data)
    for mode in ("hybrid", "dense"):
        want = [engine.ask(q, mode=mode).to_dict() for q in questions]
        got = [other.ask(q, mode=mode).to_dict() for q in questions]
        assert [[p["id"] for p in a["passages"]] for a in got] \
            == [[p["id"] for p in a["passages"]] for a in want]
        assert [(a["abstained"], a["answer"], a["confidence"]) for a in got] \
            == [(a["abstained"], a["answer"], a["confidence"]) for a in want]


@pytest.mark.integration
def test_footnoted_add_embeds_with_the_exported_model_and_imports_no_torch(engine, tmp_path):
    src = tmp_path / "notes.md"
    src.write_text("# Leaving\n\nWomen left to feed their families.[^1] Men left for "
                   "political reasons, the study found.\n\n[^1]: Kim, Mike. Escaping North "
                   "Korea. 2008. p. 81.\n", encoding="utf-8")
    code = ("import sys, json; from app.cli import main; rc = main(sys.argv[1:]); "
            "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers') "
            "if m in sys.modules); print(json.dumps(heavy), file=sys.stderr); sys.exit(rc)")
    home = tmp_path / "home"
    out = subprocess.run([sys.executable, "-c", code, "add", str(src), "--home", str(home),
                          "--json"], capture_output=True, text=True, timeout=300,
                         env=os.environ | {"FOOTNOTED_MODELS": str(onnx_model.models_dir(
                             engine.home)), "HF_HUB_OFFLINE": "1"})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stderr.strip().splitlines()[-1]) == []
    name = json.loads(out.stdout)["name"]
    manifest = json.loads((home / "papers" / name / "current" / "manifest.json").read_text())
    assert manifest["embedded_by"] == "onnxruntime" and manifest["query_model"]["sha256"]
    from index import open_engine

    answer = open_engine(name, home).ask(
        "Which book is cited for the claim that women left to feed their families?")
    assert answer.passages[0].text.startswith("Women left to feed their families.")
    assert "Escaping North Korea" in answer.answer


def test_a_home_without_the_exported_model_embeds_with_torch(tmp_path, monkeypatch):
    monkeypatch.setenv("FOOTNOTED_MODELS", str(tmp_path / "models"))
    assert for_home(tmp_path) is None  # torch embeds the paper and exports the model


def test_a_damaged_model_file_falls_back_to_torch_in_one_line(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("FOOTNOTED_MODELS", str(tmp_path / "models"))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / onnx_model.file_name()).write_bytes(b"not a model")
    docs = for_home(tmp_path)
    assert isinstance(docs, OnnxEmbedder) and isinstance(docs.runner, OnnxQuery)
    with caplog.at_level(logging.WARNING):
        assert loaded(docs) is None
    assert "cannot embed this paper" in caplog.text and "using torch" in caplog.text
    assert len(caplog.text.strip().splitlines()) == 1


def test_texts_come_back_in_their_own_order_whatever_the_batches():
    class Echo:  # stands in for the model: a text's vector is its length, its piece itself
        def encode_tokens(self, texts):
            vecs = np.zeros((len(texts), 384), np.float32)
            vecs[:, 0] = [len(t) for t in texts]
            return vecs, [np.full((1, 384), len(t), np.float32) for t in texts], \
                [[t] for t in texts]

    texts = ["ccc", "a", "bbbbb", "", "dd"]
    vecs, tokens, pieces = OnnxEmbedder(Echo(), batch_size=2).encode_tokens(texts)
    assert vecs[:, 0].tolist() == [3, 1, 5, 0, 2] and pieces == [[t] for t in texts]
    assert [float(t[0, 0]) for t in tokens] == [3, 1, 5, 0, 2]
    assert OnnxEmbedder(Echo()).encode([]).shape == (0, 384)
