"""The saved index: round trip, reuse when unchanged, rebuild on change or damage, atomicity."""

import json

import numpy as np
import pytest

from corpus import PAPER
from index import open_engine, store
from index.config import Config
from ingest import Chunking

pytestmark = pytest.mark.integration
QUESTION = "Why were women kidnapped when they crossed into China?"


@pytest.fixture()
def paper(tmp_path):
    """The paper's first three pages: a real extract, small enough to rebuild in a second."""
    path = tmp_path / "paper.txt"
    lines = PAPER.read_text(encoding="utf-8").split("\n")[:262]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def current(home, paper):
    return (store.index_root(home, paper) / "current").resolve()


def test_round_trip_gives_the_same_hits_and_plain_files(tmp_path, paper, embedder):
    first = open_engine(paper=paper, home=tmp_path, embedder=embedder)
    assert first.status.startswith("built (no index yet)")
    again = open_engine(paper=paper, home=tmp_path, embedder=embedder)
    assert again.status == "loaded"  # unchanged: nothing is re-embedded
    a, b = first.ask(QUESTION, k=8), again.ask(QUESTION, k=8)
    assert [p.id for p in a.passages] == [p.id for p in b.passages]
    assert np.allclose([p.score for p in a.passages], [p.score for p in b.passages], atol=1e-5)
    assert a.answer == b.answer
    folder = current(tmp_path, paper)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["model"]["name"].endswith("all-MiniLM-L6-v2")
    assert manifest["model"]["weights"].startswith("sha256:")
    assert manifest["corpus_sha256"] == store.file_sha(paper)
    assert {"chunks.jsonl", "chunks.faiss", "sentences.npy", "manifest.json"} <= {
        p.name for p in folder.iterdir()}
    assert (folder / "bm25" / "vocab.index.json").is_file()


def test_a_changed_corpus_or_setting_triggers_a_rebuild(tmp_path, paper, embedder):
    open_engine(paper=paper, home=tmp_path, embedder=embedder)
    paper.write_text(paper.read_text(encoding="utf-8") + "\nA new closing line.\n",
                     encoding="utf-8")
    edited = open_engine(paper=paper, home=tmp_path, embedder=embedder)
    assert edited.status == "built (corpus sha256 changed)"
    resized = open_engine(paper=paper, home=tmp_path, embedder=embedder,
                     config=Config(chunking=Chunking(chars=300)))
    assert resized.status == "built (chunking changed)"
    assert len(resized.data.chunks) > len(edited.data.chunks)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete"])
def test_a_damaged_file_is_detected_and_rebuilt(tmp_path, paper, embedder, damage):
    open_engine(paper=paper, home=tmp_path, embedder=embedder)
    target = current(tmp_path, paper) / "chunks.faiss"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:100])
    elif damage == "garbage":
        target.write_bytes(b"\x00garbage" * 50)
    else:
        target.unlink()
    again = open_engine(paper=paper, home=tmp_path, embedder=embedder)
    assert again.status.startswith("built (chunks.faiss is")
    assert again.ask(QUESTION).passages


def test_a_build_that_dies_halfway_leaves_the_previous_index_in_use(tmp_path, paper, embedder,
                                                                     monkeypatch):
    open_engine(paper=paper, home=tmp_path, embedder=embedder)
    before = current(tmp_path, paper)
    real_save = store.save

    def dies_halfway(data, folder, manifest):
        real_save(data, folder, manifest)
        (folder / "manifest.json").unlink()
        raise KeyboardInterrupt  # killed before the swap

    monkeypatch.setattr(store, "save", dies_halfway)
    with pytest.raises(KeyboardInterrupt):
        open_engine(paper=paper, home=tmp_path, embedder=embedder, rebuild=True)
    monkeypatch.undo()
    assert current(tmp_path, paper) == before
    survivor = open_engine(paper=paper, home=tmp_path, embedder=embedder)
    assert survivor.status == "loaded"


def test_token_vectors_that_do_not_match_the_sentences_are_rebuilt(tmp_path, paper, embedder):
    """An index whose checksums hold but whose token offsets cover fewer units (as format 3
    did: sentences only) would search with late interaction silently off: it is rebuilt."""
    first = open_engine(paper=paper, home=tmp_path, embedder=embedder)
    assert first.data.has_tokens
    folder = current(tmp_path, paper)
    offsets = np.load(folder / "token_offsets.npy")
    np.save(folder / "token_offsets.npy", offsets[: len(first.data.sentences) + 1])
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["token_offsets.npy"] = store.file_sha(folder / "token_offsets.npy")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    again = open_engine(paper=paper, home=tmp_path, embedder=embedder)
    assert again.status.startswith("built (tokens.npy does not match")
    assert again.data.has_tokens


@pytest.mark.parametrize("damage", ["delete", "garbage"])
@pytest.mark.parametrize("name", ["chunks.faiss", "bm25/vocab.index.json", "tokens.npy"])
def test_a_manifest_edited_to_drop_a_file_is_not_trusted(tmp_path, paper, embedder, name,
                                                         damage):
    """Dropping a file from the manifest must not exempt it from the checks: the index is
    rebuilt instead of failing on every run."""
    open_engine(paper=paper, home=tmp_path, embedder=embedder)
    folder = current(tmp_path, paper)
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["files"][name]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    if damage == "delete":
        (folder / name).unlink()
    else:
        (folder / name).write_bytes(b"\x00garbage" * 50)
    again = open_engine(paper=paper, home=tmp_path, embedder=embedder)
    assert again.status == f"built (the manifest does not list {name})"
    assert again.ask(QUESTION).passages


def test_a_build_that_fails_on_a_full_disk_leaves_no_temporary_folder(tmp_path, paper,
                                                                     embedder, monkeypatch):
    import errno

    open_engine(paper=paper, home=tmp_path, embedder=embedder)
    before = current(tmp_path, paper)
    real_save = np.save

    def disk_full(path, *args, **kwargs):
        if str(path).endswith("notes.npy"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(path, *args, **kwargs)

    monkeypatch.setattr(np, "save", disk_full)
    with pytest.raises(OSError, match="No space left"):
        open_engine(paper=paper, home=tmp_path, embedder=embedder, rebuild=True)
    monkeypatch.undo()
    builds = store.index_root(tmp_path, paper) / "builds"
    assert [p.name for p in builds.iterdir() if p.name.startswith("tmp-")] == []
    assert current(tmp_path, paper) == before
    assert open_engine(paper=paper, home=tmp_path, embedder=embedder).status == "loaded"
