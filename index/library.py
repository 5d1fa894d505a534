"""The library: the reader's own papers, each parsed once and indexed in its own folder.

    <home>/papers/<name>/paper.json        what it is: name, title, the file name as given,
                                            kind, sha256, size, what ingest found, when added
                         source.pdf|.md|.txt  the file's bytes, as given
                         current -> builds/…  its index (`store`), document.json included

`add(path, home, embedder)` checks the file's size, copies it into a hidden folder of its
own, parses the copy in a limited child process (`ingest.guard`), builds and saves the index
there, and only then, under the library's lock, gives it a name and renames the folder into
place: a failed add leaves the library as it was, and two adds at once both complete. A name
is made from the file name (`slug`: lower-case letters, digits and hyphens, at most 48), never
the file name itself, so no name the reader gives can reach outside `<home>/papers/`. The
bundled paper is always there as `bundled`. Leaves out opening a paper's engine (`opening`)
and presenting the library (the CLI, `app.library_view`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ingest import InputError
from ingest.guard import Limits, check_size, megabytes, parse_untrusted
from ingest.records import Document
from ingest.serial import from_plain, to_plain

from .store import LIBRARY

log = logging.getLogger(__name__)
BUNDLED = "bundled"  # the name of the paper that ships with footnoted
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
SLUG_CHARS = 48
SOURCES = {"pdf": "source.pdf", "markdown": "source.md", "text": "source.txt"}
SUFFIXES = {".pdf": "pdf", ".md": "markdown", ".markdown": "markdown", ".txt": "text",
            ".text": "text"}
Step = Callable[[float, str], None]


def no_step(fraction: float, what: str) -> None:
    """The default progress report: none."""


@dataclass(frozen=True)
class Entry:
    """One paper of the library, as its `paper.json` says."""

    name: str
    title: str
    file_name: str  # as the reader gave it: shown, never used as a path
    kind: str  # pdf, markdown or text
    sha256: str
    bytes: int
    pages: int
    sections: int
    paragraphs: int
    sentences: int
    chunks: int
    linked: tuple[int, ...]  # footnotes whose marker is in the text
    markers_unlinked: tuple[int, ...]  # markers in the text whose footnote is not found
    notes_unlinked: tuple[int, ...]  # footnotes found with no marker in the text
    added: str
    authors: tuple[str, ...] = ()  # as the paper prints them (or its PDF metadata)
    year: int | None = None
    title_given: bool = False  # the title is the reader's (`add --title`), not the paper's

    def source(self, home: Path) -> Path:
        return home / LIBRARY / self.name / SOURCES[self.kind]


@dataclass(frozen=True)
class Cap:
    """How much the library may hold: every parsed upload stays until removed, and a 0.3 MB
    text made a 44 MB index."""

    papers: int = 200
    bytes: int = 4096 * 1024 * 1024
    room: str = "footnoted remove NAME makes room"  # what the refusal says to do


@dataclass(frozen=True)
class Added:
    entry: Entry
    new: bool  # False: the same file was already in the library under entry.name
    seconds: float


def slug(text: str) -> str:
    """A library name made from any text: 'Trade & Tariffs (2019).pdf' ->
    'trade-tariffs-2019-pdf'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:SLUG_CHARS].strip("-") or "paper"


def check_name(name: str) -> str:
    if not NAME.fullmatch(name) or name == BUNDLED:
        raise InputError(f"a paper's name is lower-case letters, digits and hyphens (at most "
                         f"63, not {BUNDLED!r}); got {name[:80]!r}")
    return name


TITLE_CHARS = 300


def check_title(title: str) -> str:
    """A title the reader gives (`add --title`): printable, one line, at most 300 characters."""
    clean = " ".join("".join(ch if ch.isprintable() else " " for ch in title).split())
    if not clean or len(clean) > TITLE_CHARS:
        raise InputError(f"a title is 1 to {TITLE_CHARS} printable characters; got "
                         f"{len(clean)}")
    return clean


def shown_name(file_name: str) -> str:
    """The file name as it may be shown: its last part, printable, at most 255 characters."""
    last = re.split(r"[/\\]", file_name)[-1]
    return "".join(ch for ch in last if ch.isprintable())[:255] or "unnamed"


def kind_of(path: Path, file_name: str) -> str:
    """pdf, markdown or text: a PDF by its content (or its name, for the parser to refuse
    if it is not one), the others by the given name's suffix."""
    with path.open("rb") as f:
        if b"%PDF-" in f.read(1024):
            return "pdf"
    return SUFFIXES.get(Path(file_name).suffix.lower(), "text")


def found(doc: Document) -> dict[str, tuple[int, ...]]:
    """Footnotes linked to their markers, markers without a footnote, footnotes without one."""
    cited = {n for s in doc.sentences for n in s.footnotes}
    return {"linked": tuple(f.number for f in doc.footnotes if not f.missing
                            and f.number in cited),
            "markers_unlinked": tuple(f.number for f in doc.footnotes if f.missing),
            "notes_unlinked": tuple(f.number for f in doc.footnotes if not f.missing
                                    and f.number not in cited)}


def read_entry(folder: Path) -> Entry | None:
    """The entry whose folder this is, or None (logged) when its record is unusable."""
    try:
        entry = from_plain(Entry, json.loads((folder / "paper.json").read_text("utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as e:
        log.warning("skipping %s: its paper.json is unreadable (%s)", folder.name, e)
        return None
    if entry.name != folder.name or entry.kind not in SOURCES:
        log.warning("skipping %s: its paper.json does not describe it", folder.name)
        return None
    return entry


def entries(home: Path) -> list[Entry]:
    """The library's papers, oldest first (the bundled one is not listed here)."""
    folder = Path(home) / LIBRARY
    if not folder.is_dir():
        return []
    found_ = [read_entry(f) for f in folder.iterdir() if NAME.fullmatch(f.name) and f.is_dir()]
    return sorted((e for e in found_ if e), key=lambda e: (e.added, e.name))


def find(home: Path, name: str) -> Entry | None:
    if not NAME.fullmatch(name):
        return None
    return read_entry(Path(home) / LIBRARY / name)


def locate(paper: str | Path | None, home: Path) -> Path:
    """The file of `paper`: the bundled paper for None or 'bundled', a library paper by
    name, else a path; InputError (one line) when it is none of these."""
    from corpus import PAPER

    if paper is None or str(paper) == BUNDLED:
        return PAPER
    entry = find(home, str(paper))
    if entry is not None:
        return entry.source(Path(home))
    path = Path(paper)
    if path.is_file():
        return path
    raise InputError(f"no paper named {str(paper)[:80]!r} in the library and no such file "
                     "(footnoted papers lists the library)")


def in_library(home: Path, paper: Path) -> bool:
    return paper.resolve().parent.parent == (Path(home) / LIBRARY).resolve()


def copy_limited(src: Path, dst: Path, limit: int) -> str:
    """Copies at most `limit` bytes (a file that grows meanwhile is refused); its sha256."""
    import hashlib

    h, size = hashlib.sha256(), 0
    with src.open("rb") as f, dst.open("xb") as out:
        for block in iter(lambda: f.read(1 << 20), b""):
            size += len(block)
            if size > limit:
                raise InputError(f"the file is larger than {megabytes(limit)}")
            h.update(block)
            out.write(block)
    return h.hexdigest()


def sweep(papers: Path) -> None:
    """Removes hidden folders left by adds and removals whose process has died."""
    for tmp in [*papers.glob(".tmp-*"), *papers.glob(".removed-*")]:
        try:
            os.kill(int(tmp.name.split("-")[1]), 0)
        except (ValueError, IndexError, ProcessLookupError):
            shutil.rmtree(tmp, ignore_errors=True)
        except PermissionError:  # alive, someone else's
            pass


def free_name(papers: Path, wanted: str) -> str:
    if wanted != BUNDLED and not (papers / wanted).exists():
        return wanted
    for n in range(2, 1000):
        name = f"{wanted[:SLUG_CHARS]}-{n}"
        if not (papers / name).exists():
            return name
    raise InputError(f"too many papers named {wanted!r}")


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def check_room(home: Path, cap: Cap, found: list[Entry] | None = None) -> None:
    """InputError (one line) when the library is full, by count or by bytes on disk;
    `found`: its entries, when already read."""
    found = entries(home) if found is None else found
    if len(found) >= cap.papers:
        raise InputError(f"the library holds {len(found)} papers, its limit; {cap.room}")
    used = folder_bytes(home / LIBRARY)
    if used >= cap.bytes:
        raise InputError(f"the library uses {megabytes(used)} of its {megabytes(cap.bytes)}; "
                         f"{cap.room}")


def add(path: str | Path, home: str | Path, embedder, config=None, name: str | None = None,
        file_name: str | None = None, limits: Limits = Limits(),  # noqa: B008 - frozen
        step: Step = no_step, progress: bool = False, cap: Cap | None = None,
        title: str | None = None) -> Added:
    """Ingests and indexes the file at `path` into the library under `home`; `file_name` is
    the name the reader knows it by (an upload's), `name` the library name wanted, `title`
    the title to show instead of the one the paper prints; refused when the library is full
    (`cap`)."""
    from .config import Config

    started = time.perf_counter()
    path, home, config = Path(path), Path(home), config or Config()
    shown = shown_name(file_name or path.name)
    wanted = check_name(name) if name else slug(Path(shown).stem)
    title = check_title(title) if title is not None else None
    step(0.0, "Checking the file")
    size = check_size(path, limits)
    papers = home / LIBRARY
    papers.mkdir(parents=True, exist_ok=True)
    sweep(papers)
    tmp = papers / f".tmp-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    try:
        kind = kind_of(path, shown)
        sha = copy_limited(path, tmp / SOURCES[kind], limits.bytes)
        known = entries(home)  # read once for both (0.3 s at 1,000 papers)
        same = next((e for e in known if e.sha256 == sha), None)
        if same is not None:  # a file already there is found, however full the library
            return Added(same, False, time.perf_counter() - started)
        check_room(home, cap or Cap(), known)
        entry = ingest(tmp, kind, shown, embedder, config, limits, step, progress)
        if title:
            entry = replace(entry, title=title, title_given=True)
        step(0.95, "Adding it to the library")
        entry, new = publish(papers, tmp, replace(entry, name=wanted, sha256=sha, bytes=size),
                             name)
        step(1.0, f"Added {entry.name}" if new else f"Already there as {entry.name}")
        return Added(entry, new, time.perf_counter() - started)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def remove(home: str | Path, name: str) -> Entry:
    """Removes a library paper and its index (the bundled one stays); InputError (one line)
    for a name the library does not hold. Under the library's lock, the folder is first
    renamed out of sight, so no reader opens it half-deleted."""
    from filelock import FileLock

    home = Path(home)
    if name == BUNDLED:
        raise InputError("the bundled paper cannot be removed")
    entry = find(home, name)
    if entry is None:
        raise InputError(f"no paper named {name[:80]!r} in the library (footnoted papers "
                         "lists it)")
    papers = home / LIBRARY
    gone = papers / f".removed-{os.getpid()}-{time.time_ns()}"
    with FileLock(str(papers / ".lock")):
        os.rename(papers / entry.name, gone)
    shutil.rmtree(gone, ignore_errors=True)
    return entry


def same_file(home: Path, sha: str) -> Entry | None:
    return next((e for e in entries(home) if e.sha256 == sha), None)


def ingest(tmp: Path, kind: str, shown: str, embedder, config, limits: Limits, step: Step,
           progress: bool) -> Entry:
    """Parses the copy in `tmp` in a limited child process (the model loads meanwhile) and
    saves its index beside it; what was found, as an entry still to be named."""
    from .onnx_embed import for_home, loaded

    source = tmp / SOURCES[kind]
    docs = for_home(tmp.parent.parent)  # <home>/papers/<tmp>: the home's exported model
    step(0.05, "Parsing the file (in a sandbox)")
    load = docs.runner.load if docs is not None else (lambda: embedder.model)
    loading = threading.Thread(target=load_model, args=(load,), daemon=True)
    loading.start()
    try:
        doc = parse_untrusted(source, limits, shown)
    finally:  # a refused file too: a process that exits while the model thread still loads
        loading.join()  # aborts in the runtime's teardown (exit 134, issue 22)
    docs = docs and loaded(docs)
    if not any(ch.isalpha() for s in doc.sentences for ch in s.text):
        raise InputError(f"found no text to index in {shown} (no sentence with a word)")
    step(0.3, f"Indexing {len(doc.sentences)} sentences, {len(doc.footnotes)} footnotes")
    data = index(tmp, source, doc, embedder, config, progress, docs)
    return Entry("", doc.title or Path(shown).stem, shown, kind, "", 0, doc.pages,
                 len(doc.sections), len(doc.paragraphs), len(doc.sentences), len(data.chunks),
                 added=time.strftime("%Y-%m-%dT%H:%M:%S%z"), authors=doc.authors,
                 year=doc.year, **found(doc))


def publish(papers: Path, tmp: Path, entry: Entry, name: str | None) -> tuple[Entry, bool]:
    """Under the library's lock: the folder `tmp` renamed into place under a free name (or
    the one asked for); or the entry of the same file, if another add got there first."""
    from filelock import FileLock

    with FileLock(str(papers / ".lock")):
        same = same_file(papers.parent, entry.sha256)
        if same is not None:
            return same, False
        if name and (papers / name).exists():
            raise InputError(f"a paper named {name!r} is already in the library")
        entry = replace(entry, name=free_name(papers, entry.name))
        (tmp / "paper.json").write_text(json.dumps(to_plain(entry), indent=2,
                                                   ensure_ascii=False), encoding="utf-8")
        os.rename(tmp, papers / entry.name)
    return entry, True


def load_model(load: Callable[[], object]) -> None:
    """Loads the model that will embed the paper (torch's, or the ONNX one's session)."""
    try:
        load()
    except Exception:  # noqa: BLE001 - reported by the build that needs it
        pass


def index(folder: Path, source: Path, doc: Document, embedder, config, progress: bool,
          docs=None):
    """Builds `doc`'s index and saves it as `folder`'s current build; the paper is embedded
    by `docs` (the home's ONNX model, `onnx_embed`) when given, else by the torch model."""
    from .build import build
    from .onnx_model import ensure
    from .store import expected_manifest, write_build

    data = build(doc, docs or embedder, config, progress=progress)
    record = ensure(folder.parent.parent, embedder)  # <home>/papers/<tmp>: the home's models
    by = "onnxruntime" if docs is not None else "sentence-transformers"
    write_build(folder, data, expected_manifest(source, config)
                | {"config": config.to_dict(), "query_model": record, "embedded_by": by})
    return data
