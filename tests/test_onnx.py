"""The ONNX query path: same vectors, same answers as torch, and no torch on `footnoted ask`."""

import json
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from index import onnx_model
from index.embed import Embedder
from index.onnx_query import OnnxQuery

QUESTION = ("Roughly how many North Koreans starved to death in the famine of the 1990s, "
            "according to the paper?")  # q012, dev split


@pytest.fixture(scope="session")
def questions():
    from eval.questions import DEFAULT_SET
    from ingest.questions import read_questions

    return [q.question for q in read_questions(DEFAULT_SET)[0]]


@pytest.fixture(scope="session")
def onnx_engine(engine):
    """The session's torch engine, its questions embedded by the exported model instead."""
    path, why = onnx_model.check(engine.home, manifest(engine)["query_model"])
    assert why is None and path is not None
    return replace(engine, embedder=Embedder(query=OnnxQuery(path)))


def manifest(engine) -> dict:
    from index import store

    folder = store.current_build(store.index_root(engine.home, engine.paper))
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.integration
def test_build_records_the_exported_model_with_its_hash(engine):
    record = manifest(engine)["query_model"]
    path = onnx_model.models_dir(engine.home) / record["file"]
    assert record["opset"] == onnx_model.OPSET and record["weights"].startswith("sha256")
    from index.store import file_sha

    assert file_sha(path) == record["sha256"] and path.stat().st_size > 80e6


@pytest.fixture(scope="session")
def both(embedder, onnx_engine, questions):
    """Every question of the set through sentence-transformers (one batched call) and
    through the ONNX model (one question at a time, as `footnoted ask` does)."""
    onnx = onnx_engine.embedder.query
    torch_side = embedder.encode_tokens(questions)
    onnx_side = [onnx.encode_tokens([q]) for q in questions]
    vecs = np.concatenate([v for v, _, _ in onnx_side])
    tokens = [t[0] for _, t, _ in onnx_side]
    pieces = [p[0] for _, _, p in onnx_side]
    return torch_side, (vecs, tokens, pieces)


@pytest.mark.integration
def test_onnx_vectors_agree_with_sentence_transformers(both, questions):
    assert len(questions) > 150
    (torch_vecs, torch_tokens, torch_pieces), (vecs, tokens, pieces) = both
    cosines = np.sum(vecs * torch_vecs, axis=1)
    assert cosines.min() >= 0.9999, questions[int(cosines.argmin())]
    assert pieces == torch_pieces
    worst = min(float(np.sum(a * b, axis=1).min()) for a, b in zip(tokens, torch_tokens,
                                                                   strict=True))
    assert worst >= 0.9999


def answers(engine, questions, encoded, mode: str) -> list[dict]:
    """The engine's answers to `questions` with these (vectors, tokens, pieces)."""
    from index.engine import check_request
    from index.late import query_pieces
    from index.records import Query

    out = []
    for q, vec, tok, pieces in zip(questions, *encoded, strict=True):
        text, k, mode = check_request(q, engine.config.k, mode)
        query = Query(text, k, mode, vec, tok[query_pieces(pieces)])
        out.append(engine.answer(engine.evidence(engine.search(query))).to_dict())
    return out


@pytest.mark.integration
def test_onnx_answers_are_the_torch_answers(engine, both, questions):
    for mode in ("hybrid", "dense"):
        want = answers(engine, questions, both[0], mode)
        got = answers(engine, questions, both[1], mode)
        assert [[p["id"] for p in a["passages"]] for a in got] \
            == [[p["id"] for p in a["passages"]] for a in want]
        assert [(a["abstained"], a["answer"]) for a in got] \
            == [(a["abstained"], a["answer"]) for a in want]
        for g, w in zip(got, want, strict=True):  # citations, confidence and scores too
            assert {k: v for k, v in g.items() if k != "passages"} \
                == {k: v for k, v in w.items() if k != "passages"}
            for a, b in zip(g["passages"], w["passages"], strict=True):
                # scores are rounded to 4 places: the two models' last-bit differences may
                # round apart
                assert a["score"] == pytest.approx(b["score"], abs=2e-4)
                assert {**a, "score": 0} == {**b, "score": 0}


@pytest.mark.integration
def test_questions_asked_together_get_their_single_answers(onnx_engine, questions):
    from index.many import ask_many

    singles = [onnx_engine.ask(q).to_dict() for q in questions[:40]]
    together = ask_many([(onnx_engine, q, None, None) for q in questions[:40]]
                        + [(onnx_engine, "", None, None)])
    assert [a.to_dict() for a in together[:40]] == singles
    assert type(together[40]).__name__ == "InputError"  # a bad one fails alone


@pytest.mark.integration
def test_footnoted_ask_imports_no_torch(engine, engine_home):
    code = ("import sys, json; from app.cli import main; rc = main(sys.argv[1:]); "
            "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers', "
            "'gradio', 'sklearn', 'scipy.stats', 'nltk', 'matplotlib') if m in sys.modules); "
            "print(json.dumps(heavy), file=sys.stderr); sys.exit(rc)")
    out = subprocess.run([sys.executable, "-c", code, "ask", QUESTION, "--json", "--home",
                          str(engine_home)], capture_output=True, text=True, timeout=300,
                         env=os.environ | {"HF_HUB_OFFLINE": "1"})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stderr.strip().splitlines()[-1]) == []
    assert json.loads(out.stdout) == engine.ask(QUESTION).to_dict()


def test_check_refuses_a_missing_changed_or_malformed_model(tmp_path, monkeypatch):
    monkeypatch.setenv("FOOTNOTED_MODELS", str(tmp_path / "models"))
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "m.onnx"
    assert onnx_model.check(tmp_path, None) == (None, None)  # built without one: torch
    assert "malformed" in onnx_model.check(tmp_path, {"file": "../m.onnx"})[1]
    assert "missing" in onnx_model.check(tmp_path, {"file": "m.onnx", "sha256": "x"})[1]
    model.write_bytes(b"model bytes")
    sha = onnx_model.verified_sha(model)
    assert onnx_model.check(tmp_path, {"file": "m.onnx", "sha256": sha}) == (model, None)
    model.write_bytes(b"other bytes")  # rewritten: its stamp no longer fits, so it is hashed
    assert "checksum mismatch" in onnx_model.check(tmp_path, {"file": "m.onnx",
                                                              "sha256": sha})[1]


def test_a_failed_export_leaves_the_torch_path(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("FOOTNOTED_MODELS", str(tmp_path / "models"))
    class Broken:
        @property
        def model(self):
            raise RuntimeError("no weights here")

    assert onnx_model.ensure(tmp_path, Broken()) is None
    assert "questions will use torch" in caplog.text
    assert not list((tmp_path / "models").glob("*.onnx"))


def test_a_build_removes_the_retired_reader_files_and_nothing_else(tmp_path, caplog):
    import logging

    folder = tmp_path / "models"
    folder.mkdir()
    old = ["reader-0d6b72afd880-opset17.onnx", "reader-0d6b72afd880-opset17.onnx.export.json",
           "reader-0d6b72afd880-opset17.onnx.sha256.json"]
    kept = [onnx_model.file_name(), "reader-notes.onnx", "my-reader-0d6b72afd880-opset17.onnx",
            ".export.lock"]
    for name in old + kept:
        (folder / name).write_bytes(b"x" * 10)
    with caplog.at_level(logging.INFO, logger="index.onnx_model"):
        assert sorted(onnx_model.retire(folder)) == sorted(old)
    assert sorted(p.name for p in folder.iterdir()) == sorted(kept)
    assert "reader-0d6b72afd880-opset17.onnx" in caplog.text


@pytest.mark.integration
def test_a_script_that_opens_an_engine_and_exits_at_once_exits_cleanly(engine, engine_home):
    # the query model loads in a thread; exiting while onnxruntime builds its session used
    # to abort the process (exit 134, "terminate called without an active exception")
    code = ("import sys; from corpus import PAPER; from ingest import load_document; "
            "from index import open_engine; load_document(PAPER); open_engine(home=sys.argv[1])")
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code, str(engine_home)], capture_output=True,
                             text=True, timeout=300, env=os.environ | {"HF_HUB_OFFLINE": "1"})
        assert out.returncode == 0 and "terminate" not in out.stderr, out.stderr[-500:]
