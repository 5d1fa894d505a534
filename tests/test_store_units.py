"""The index folder's bookkeeping without a model: which builds `publish` keeps, and which
manifests `problem` trusts."""

from __future__ import annotations

import json
from pathlib import Path

from index import store


def publish_in_turn(root: Path, *names: str) -> Path:
    """Makes each build and publishes it before making the next, as builders do."""
    builds = root / "builds"
    for name in names:
        (builds / name).mkdir(parents=True)
        (builds / name / "manifest.json").write_text("{}", encoding="utf-8")
        store.publish(root, builds / name)
    return builds


def test_publish_keeps_the_build_it_replaces_when_home_is_relative(tmp_path, monkeypatch):
    # A reader may still be loading the build `current` pointed at until now: it must stay,
    # also when the home was given as a relative path (--home ./idx).
    monkeypatch.chdir(tmp_path)
    root = Path("home") / "paper-1234"
    builds = publish_in_turn(root, "build-1", "build-2", "build-3")
    assert sorted(p.name for p in builds.iterdir()) == ["build-2", "build-3"]
    assert (root / "current").resolve() == (builds / "build-3").resolve()


def test_publish_keeps_the_build_it_replaces_with_an_absolute_home(tmp_path):
    root = tmp_path / "paper-1234"
    (root / "builds" / "tmp-9").mkdir(parents=True)  # another builder's, still being written
    builds = publish_in_turn(root, "build-1", "build-2", "build-3")
    assert sorted(p.name for p in builds.iterdir()) == ["build-2", "build-3", "tmp-9"]


def test_a_manifest_that_leaves_out_a_needed_file_is_not_trusted(tmp_path):
    folder = tmp_path / "build"
    folder.mkdir()
    files = {}
    for name in ("chunks.jsonl", "sentences.jsonl", "footnotes.jsonl", "chunks.npy",
                 "sentences.npy", "notes.npy", "holds.jsonl"):  # chunks.faiss left out,
        #                                                            as if hand-edited
        (folder / name).write_text("x", encoding="utf-8")
        files[name] = store.file_sha(folder / name)
    (folder / "manifest.json").write_text(json.dumps({"files": files}), encoding="utf-8")
    assert store.problem(folder, {}) == "the manifest does not list chunks.faiss"
