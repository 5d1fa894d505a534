"""Faults in the saved index: each is detected, explained in one line, and rebuilt; a build
killed with SIGKILL leaves the previous index in use; two processes building at once end with
one complete index.

`test_store.py` covers a changed corpus or chunking setting, a damaged `chunks.faiss` and a
build that raises halfway; this file covers the rest. One small index (the paper's first three
pages) is built once and copied into a fresh home for each test. Every fault is checked to be
named by `store.problem`; the rebuild that follows is the same code for all of them, so it is
run for one of each kind (manifest mismatch, damaged manifest, damaged file, missing file,
vanished folder).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from corpus import PAPER
from index import store
from index.config import Config
from index.opening import open_engine
from index.store import expected_manifest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Why were women kidnapped when they crossed into China?"


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    path = tmp_path_factory.mktemp("paper") / "paper.txt"
    lines = PAPER.read_text(encoding="utf-8").split("\n")[:262]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pristine(paper, embedder, tmp_path_factory):
    home = tmp_path_factory.mktemp("pristine")
    open_engine(paper=paper, home=home, embedder=embedder)
    return home


@pytest.fixture()
def home(pristine, tmp_path):
    copy = tmp_path / "home"
    shutil.copytree(pristine, copy, symlinks=True)
    return copy


def current(home: Path, paper: Path) -> Path:
    return store.index_root(home, paper) / "current"


def reopen(home, paper, embedder, caplog):
    """A fresh engine; checks that exactly one one-line warning explained the rebuild."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="index.opening"):
        engine = open_engine(paper=paper, home=home, embedder=embedder)
    notes = [r.getMessage() for r in caplog.records if r.name == "index.opening"]
    assert len(notes) == 1 and "\n" not in notes[0], notes
    assert notes[0] == f"building the index: {engine.status[len('built ('):-1]}"
    assert store.problem(current(home, paper), expected_manifest(paper, Config())) is None
    assert engine.ask(QUESTION).passages
    return engine


def manifest_edit(change):
    def damage(path: Path) -> None:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        change(manifest)
        path.write_text(json.dumps(manifest), encoding="utf-8")
    return "manifest.json", damage


def vanish(path: Path) -> None:
    shutil.rmtree(path.parent.resolve())


# (file in the current build, what is done to it, the one-line reason it must give)
FAULTS = {
    "model weights changed": (*manifest_edit(
        lambda m: m["model"].update(weights="sha256:" + "0" * 64)), "model changed"),
    "model name changed": (*manifest_edit(
        lambda m: m["model"].update(name="sentence-transformers/all-mpnet-base-v2")),
        "model changed"),
    "package version changed": (*manifest_edit(lambda m: m["versions"].update(torch="1.0.0")),
                                "versions changed"),
    "format changed": (*manifest_edit(lambda m: m.update(format=0)), "format changed"),
    "parsed by other parser code": (*manifest_edit(lambda m: m.update(parser="0" * 16)),
                                    "parser changed"),
    "corpus hash changed": (*manifest_edit(lambda m: m.update(corpus_sha256="0" * 64)),
                            "corpus sha256 changed"),
    "manifest deleted": ("manifest.json", Path.unlink, "the manifest is missing"),
    "manifest truncated": ("manifest.json", lambda p: p.write_bytes(p.read_bytes()[:40]),
                           "the manifest is unreadable"),
    "manifest garbage": ("manifest.json", lambda p: p.write_bytes(b"\x00\xff junk" * 20),
                         "the manifest is unreadable"),
    "manifest a list": ("manifest.json", lambda p: p.write_text("[1, 2]"),
                        "the manifest is not an index manifest"),
    "manifest lists no files": ("manifest.json", lambda p: p.write_text('{"files": {}}'),
                                "the manifest is not an index manifest"),
    "records truncated": ("chunks.jsonl", lambda p: p.write_bytes(p.read_bytes()[:-200]),
                          "chunks.jsonl is damaged (checksum mismatch)"),
    "records overwritten": ("sentences.jsonl", lambda p: p.write_text("{}\n"),
                            "sentences.jsonl is damaged (checksum mismatch)"),
    "records deleted": ("footnotes.jsonl", Path.unlink, "footnotes.jsonl is missing"),
    "vectors garbage": ("sentences.npy", lambda p: p.write_bytes(os.urandom(p.stat().st_size)),
                        "sentences.npy is damaged (checksum mismatch)"),
    "vectors truncated": ("notes.npy", lambda p: p.write_bytes(p.read_bytes()[:64]),
                          "notes.npy is damaged (checksum mismatch)"),
    "BM25 vocabulary overwritten": ("bm25/vocab.index.json", lambda p: p.write_text("{}"),
                                    "bm25/vocab.index.json is damaged (checksum mismatch)"),
    "BM25 file deleted": ("bm25/params.index.json", Path.unlink,
                          "bm25/params.index.json is missing"),
    "build folder vanished": ("manifest.json", vanish, "the current index folder is missing"),
}
REBUILT = ["model weights changed", "parsed by other parser code", "manifest garbage",
           "vectors garbage", "BM25 file deleted", "build folder vanished"]


def damage(home: Path, paper: Path, fault: str) -> str:
    name, harm, reason = FAULTS[fault]
    target = current(home, paper) / name
    assert target.is_file(), "the index layout changed: update this test"
    harm(target)
    return reason


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_is_named_in_one_line(home, paper, fault):
    reason = damage(home, paper, fault)
    assert store.problem(current(home, paper), expected_manifest(paper, Config())) == reason


@pytest.mark.parametrize("fault", REBUILT)
def test_a_fault_is_explained_and_rebuilt(home, paper, embedder, caplog, fault):
    reason = damage(home, paper, fault)
    assert reopen(home, paper, embedder, caplog).status == f"built ({reason})"


def footnoted(home: Path, *args: str) -> subprocess.Popen:
    env = os.environ | {"FOOTNOTED_HOME": str(home), "HF_HUB_OFFLINE": "1",
                        "TRANSFORMERS_VERBOSITY": "error"}
    return subprocess.Popen([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_build_killed_halfway_leaves_the_previous_index_in_use(home, paper, embedder,
                                                                 caplog):
    before = current(home, paper).resolve()
    proc = footnoted(home, "index", "--rebuild", "--paper", str(paper))
    started = threading.Event()

    def watch() -> None:
        for line in proc.stderr:
            if line.startswith("building the index: rebuild asked for"):
                started.set()
                return

    threading.Thread(target=watch, daemon=True).start()
    assert started.wait(300), "the build never started"
    time.sleep(0.5)  # well into the build: loading the model, embedding or writing files
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL
    proc.stdout.close()
    assert current(home, paper).resolve() == before
    assert store.problem(before, expected_manifest(paper, Config())) is None
    survivor = open_engine(paper=paper, home=home, embedder=embedder)
    assert survivor.status == "loaded" and survivor.ask(QUESTION).passages
    # the next build takes the lock the dead process held and sweeps up its half-written folder
    reopen_after = open_engine(paper=paper, home=home, embedder=embedder, rebuild=True)
    assert reopen_after.status == "built (rebuild asked for)"
    builds = store.index_root(home, paper) / "builds"
    now = current(home, paper).resolve()
    # no half-written folder is left; the build just replaced is kept for readers still on it
    assert sorted(p.name for p in builds.iterdir()) == sorted([now.name, before.name])
    assert now != before


@pytest.mark.parametrize("rebuild", [False, True], ids=["first build", "both rebuild"])
def test_two_processes_building_at_once_end_with_one_complete_index(tmp_path, paper, embedder,
                                                                     rebuild):
    home = tmp_path / "shared-home"
    args = ["index", "--paper", str(paper)] + (["--rebuild"] if rebuild else [])
    procs = [footnoted(home, *args) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outs]
    statuses = sorted(out.split(":")[0] for out, _ in outs)
    if rebuild:
        assert statuses == ["built (rebuild asked for)"] * 2
    else:
        assert statuses[0] == "built (no index yet)" and statuses[1].startswith("loaded")
    root = store.index_root(home, paper)
    kept = [p for p in (root / "builds").iterdir()]
    assert (root / "current").resolve() in kept and len(kept) <= 2  # current (+ the one before)
    assert not any(p.name.startswith("tmp-") for p in kept)
    assert all(store.problem(p, expected_manifest(paper, Config())) is None for p in kept)
    assert store.problem(root / "current", expected_manifest(paper, Config())) is None
    engine = open_engine(paper=paper, home=home, embedder=embedder)
    assert engine.status == "loaded" and engine.ask(QUESTION).passages


# --- issue 22: crashes on paths that refuse or find damage ---------------------------------

def test_a_damaged_onnx_model_is_exported_again_in_one_line_and_the_question_answered(
        home, paper, tmp_path, monkeypatch):
    folder = tmp_path / "models"  # a copy of the session's exported models, to damage
    shutil.copytree(os.environ["FOOTNOTED_MODELS"], folder)
    monkeypatch.setenv("FOOTNOTED_MODELS", str(folder))
    models = sorted(folder.glob("*.onnx"))
    assert models, "the build exported no ONNX model"
    for m in models:  # cut short, as a full disk or a bad copy leaves them
        m.write_bytes(m.read_bytes()[:1000])
    proc = footnoted(home, "ask", "--paper", str(paper), "What is Hanawon?")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and out.strip(), err[-2000:]  # answered (or abstained)
    assert "Traceback" not in err and "exporting it again" in err
    assert all(len(line) < 400 for line in err.splitlines())


def test_an_unloadable_query_model_falls_back_to_torch_with_one_line(embedder, tmp_path,
                                                                     caplog):
    from dataclasses import replace

    from index.onnx_query import OnnxQuery

    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    broken = replace(embedder, query=OnnxQuery(bad))
    with caplog.at_level(logging.WARNING):
        (vec, _), = broken.encode_queries(["What is Hanawon?"])
    want, _ = embedder.encode_query("What is Hanawon?")
    assert float(vec @ want) > 0.999 and broken.query is None
    assert "cannot be loaded" in caplog.text and "questions use torch" in caplog.text


def test_adding_a_refused_file_exits_2_every_time_with_its_one_line(home, tmp_path):
    from tests.hostile_files import encrypted_pdf

    pdf = tmp_path / "locked.pdf"
    pdf.write_bytes(encrypted_pdf())
    for _ in range(4):  # it aborted with 134 in 2 of 4 runs: the model thread never joined
        proc = footnoted(home, "add", str(pdf))
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 2, (proc.returncode, err[-1500:])  # bad input: 2
        assert err.strip().splitlines()[-1].startswith("footnoted add: error: encrypted PDF")
