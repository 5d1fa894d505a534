"""Opens a paper's engine: the saved index when it is sound, else a fresh build. The I/O edge
of `index`.

    engine = open_engine()                              # the bundled paper
    engine = open_engine("my-paper")                    # a library paper, by name (`library`)
    engine = open_engine("paper.txt", home=Path("idx"), config=Config(k=8))

The saved index is used when its manifest matches the paper (sha256), the model, the parts of
the configuration it was built from and the package versions, and every file checks out;
otherwise it is rebuilt into a fresh folder, atomically and under a lock (`store`), and the
reason is logged in one line. A library paper is rebuilt from its source parsed again in a
limited child process (`ingest.guard`), never in this one. A build also makes (or reuses) the
ONNX query model (`onnx_model`) and records it in the manifest; an index whose recorded query
model is missing or changed is rebuilt like a stale one. Unless an embedder is passed in,
questions then go through that model with no torch (`onnx_query`), or, when it cannot be
used, through torch with a one-line notice. Leaves out the question path (`engine`).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from ingest import InputError, load_document

from . import onnx_model, store
from .answers import Models
from .answers import load as load_models
from .build import IndexData, build
from .config import Config
from .embed import Embedder
from .engine import Engine
from .store import expected_manifest, write_build

log = logging.getLogger(__name__)


def open_engine(paper: str | Path | None = None, home: str | Path | None = None,
                config: Config | None = None, embedder: Embedder | None = None,
                rebuild: bool = False, progress: bool = False,
                models: Models | None = None) -> Engine:
    """The engine for `paper` (default: the bundled one), its index under `home` (default:
    $FOOTNOTED_HOME or the user cache) loaded, or built when it is missing or stale. An
    `embedder` and `models` given are another engine's, shared (`collection`)."""
    from .library import locate

    home = Path(home) if home else store.default_home()
    paper = locate(paper, home)
    if not paper.is_file():
        raise InputError(f"no such file: {paper}")
    config = config or Config()
    given = embedder
    early = None if given is not None else prefetch(home)  # loads while the index is read
    embedder = embedder or Embedder()
    data, status, query_model = open_index(paper, home, config, embedder, rebuild, progress)
    if given is None:
        embedder = query_embedder(embedder, query_model, early)
    return Engine(data, embedder, models or load_models(), config, paper, home, status)


def query_embedder(embedder: Embedder, query_model: Path | None, early=None) -> Embedder:
    """`embedder` with its questions sent through the ONNX model at `query_model` (`early`,
    the one `prefetch` began loading, when it is that file), or as it is (torch) with a
    one-line notice saying why not."""
    from .onnx_query import OnnxQuery, available

    missing = "this index has no ONNX query model" if query_model is None else available()
    if missing is not None:
        log.warning("%s; questions use torch (slower to start)", missing)
        return embedder
    same = early is not None and early.path == query_model
    return Embedder(embedder.batch_size, early if same else OnnxQuery(query_model))


def prefetch(home: Path):
    """The home's ONNX query model, already loading in a thread, or None when there is none:
    a cold question then reads the index and loads the model at once (0.5-0.8 s of 3-5 s
    under load here). Whether it is used is decided by the index's manifest, after its
    sha256 is checked (`onnx_model.check`); a file that fails to load here fails again, with
    its message, when it is used."""
    import threading

    from .onnx_query import OnnxQuery, available

    try:
        path = onnx_model.models_dir(home) / onnx_model.file_name()
    except RuntimeError:  # the model's wheel is missing: said where it is needed
        return None
    if available() is not None or not path.is_file():
        return None
    query = OnnxQuery(path)

    def load() -> None:
        try:
            query.load()
        except Exception:  # noqa: BLE001 - loaded again, and reported, on first use
            pass

    # not a daemon: a process that exits while onnxruntime is still making the session
    # (a script that opens an engine and asks nothing) would abort in C++ ("terminate called
    # without an active exception", exit 134); Python waits for it instead (under a second)
    threading.Thread(target=load, name="footnoted-query-model").start()
    return query


def open_index(paper: Path, home: Path, config: Config, embedder: Embedder,
               rebuild: bool = False, progress: bool = False
               ) -> tuple[IndexData, str, Path | None]:
    """The saved index if it is sound, else a fresh build; what happened, in words; and its
    ONNX query model (None when it was built without one)."""
    from filelock import FileLock

    root = store.index_root(home, paper)
    expected = expected_manifest(paper, config)
    folder = store.current_build(root)
    reason = "rebuild asked for" if rebuild else store.problem(folder, expected)
    if reason is None:
        data, reason, model = try_load(folder, home)
        if data is not None:
            return data, "loaded", model
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / "build.lock")):
        folder = store.current_build(root)
        if not rebuild and store.problem(folder, expected) is None:
            data, why, model = try_load(folder, home)
            if data is not None:
                return data, "loaded (built by another process)", model
            reason = why
        log.warning("building the index: %s", reason)
        for stale in (root / "builds").glob("tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        data = build(parse(paper, home), embedder, config, progress=progress)
        record = onnx_model.ensure(home, embedder)
        write_build(root, data, expected | {"config": config.to_dict(), "query_model": record})
    return data, f"built ({reason})", onnx_model.check(home, record)[0]


def parse(paper: Path, home: Path):
    """The document of `paper`: the bundled paper's here, any other's (a library paper, a
    `--paper PATH`) in a limited child process."""
    from corpus import PAPER
    from ingest.guard import parse_untrusted

    trusted = Path(paper).resolve() == PAPER.resolve()
    return load_document(paper) if trusted else parse_untrusted(paper)


def try_load(folder: Path, home: Path
             ) -> tuple[IndexData | None, str | None, Path | None]:
    """The saved index and its query model, or None and why it cannot be used as it is."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        model, why = onnx_model.check(home, manifest.get("query_model"))
        if why is not None:
            return None, why, None
        return store.load(folder), None, model
    except ValueError as e:  # the files disagree with each other: says which
        return None, str(e), None
    except (OSError, RuntimeError, KeyError, TypeError) as e:  # faiss raises RuntimeError
        return None, f"the index cannot be read ({' '.join(str(e).split())[:200]})", None
