"""The library asked as one: chooses the papers a question goes to and opens their engines.

    papers = Collection.open(home)                        # the bundled paper and the library's
    answer = papers.ask("What do they say about X?")      # over all of them (`across`)
    answer = papers.ask("...", papers=("kim-2019", "bundled"))   # over some

Up to `config.library.route` (8) papers in scope, every one is searched whole. Above that, a
first stage picks them: every paper's chunk vectors sit in one in-memory index (faiss, half
precision: 0.75 KB a chunk), read from each paper's saved index when the collection opens
and added to as papers come; the question goes to the 8 papers that own its closest chunks,
in that order, and only those are searched in full. Adding a paper therefore touches no
other paper's files, and a question over 1,000 papers costs one pass over their chunk
vectors more than a question over 8 (docs/performance.md has the curve). Engines are opened
on demand, sharing one embedder and the answer models, and the 256 most recently
used stay open (`config.library.keep`): an open engine holds about 3.5 MB of its own, its token
vectors staying in their memory-mapped file (`store`).
Leaves out the merging of several papers' passages and answers (`across`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest import InputError

from .across import answer_across, at_once, ranked
from .config import Config
from .embed import DIM
from .engine import Engine
from .records import Answer, PaperRef
from .search import Lap, no_lap


def paper_ref(home: Path, name: str) -> PaperRef:
    """How answers name `name`: its library entry, or the bundled paper's metadata."""
    from corpus import metadata

    from .library import BUNDLED, find

    if name == BUNDLED:
        meta = metadata()
        title = meta.get("title") or f"[{meta.get('working_title') or 'the bundled paper'}]"
        return PaperRef(BUNDLED, title, tuple(meta.get("authors") or ()), meta.get("year"))
    entry = find(home, name)
    if entry is None:
        raise InputError(f"no paper named {name!r} in the library (footnoted papers lists them)")
    return PaperRef(name, entry.title, entry.authors, entry.year)


def library_names(home: Path) -> tuple[str, ...]:
    """The bundled paper, then the library's papers, oldest first."""
    from .library import BUNDLED, entries

    return (BUNDLED, *(e.name for e in entries(home)))


@dataclass(frozen=True, eq=False)
class Router:
    """Every paper's chunk vectors in one index: which papers own a question's closest."""

    index: object  # faiss IndexScalarQuantizer (fp16, inner product)
    owner: np.ndarray  # per row, the paper's position in `names`
    names: tuple[str, ...]

    @classmethod
    def of(cls, vectors: Sequence[tuple[str, np.ndarray]]) -> Router:
        import faiss

        index = faiss.IndexScalarQuantizer(DIM, faiss.ScalarQuantizer.QT_fp16,
                                           faiss.METRIC_INNER_PRODUCT)
        owner = []
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)  # a paper's add is small; two OpenMP threads stall
        try:  # under load (1,000 papers: 2.7-3.6 s against 0.5-0.6 s on one thread)
            for i, (_, v) in enumerate(vectors):
                if len(v):
                    index.add(np.ascontiguousarray(v, dtype=np.float32))
                    owner.append(np.full(len(v), i, np.int32))
        finally:
            faiss.omp_set_num_threads(threads)
        return cls(index, np.concatenate(owner) if owner else np.zeros(0, np.int32),
                   tuple(n for n, _ in vectors))

    def route(self, qvec: np.ndarray, scope: Sequence[str], most: int, first: int = 400
              ) -> list[str]:
        """Up to `most` papers of `scope`, by their closest chunk to the question; papers the
        first stage did not reach fill up the rest in `scope`'s order."""
        from .threads import one_blas_thread

        wanted = set(scope)
        out: list[str] = []
        if self.index.ntotal:
            with one_blas_thread():
                _, ids = self.index.search(qvec[None, :].astype(np.float32),
                                           min(first, self.index.ntotal))
            for row in ids[0]:
                if row < 0:
                    break
                name = self.names[self.owner[row]]
                if name in wanted and name not in out:
                    out.append(name)
                    if len(out) == most:
                        return out
        return out + [n for n in scope if n not in out][:most - len(out)]


def replace_config(engine: Engine, config: Config) -> Engine:
    from dataclasses import replace

    return engine if engine.config == config else replace(engine, config=config)


def saved_vectors(home: Path, name: str) -> np.ndarray | None:
    """A paper's chunk vectors from its saved index, or None when it has none yet."""
    from . import store
    from .library import locate

    try:
        folder = store.current_build(store.index_root(home, locate(name, home)))
        return np.load(folder / "chunks.npy", allow_pickle=False)
    except (OSError, ValueError, InputError):
        return None


@dataclass(eq=False)
class Collection:
    """Papers asked together; thread-safe (the server shares one)."""

    home: Path
    names: tuple[str, ...]
    open_one: Callable[[str], Engine]  # opens (or builds) a paper's engine by name
    config: Config = field(default_factory=Config)
    refs: dict[str, PaperRef] = field(default_factory=dict)
    refer: Callable[[str], PaperRef] | None = None  # names a paper (default: `paper_ref`)
    _engines: OrderedDict = field(default_factory=OrderedDict)
    _router: Router | None = None
    _lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def open(cls, home: str | Path | None = None, names: Sequence[str] | None = None,
             config: Config | None = None, first: Engine | None = None) -> Collection:
        """The collection of `names` (default: the bundled paper and every library paper;
        InputError, one line, for a name that is neither). `first`, an engine already open,
        lends its embedder and models to the rest."""
        from . import store
        from .opening import open_engine

        home = Path(home) if home else store.default_home()
        config = config or Config()
        every = library_names(home)
        names = tuple(dict.fromkeys(names)) if names else every
        unknown = [n for n in names if n not in every]
        if unknown:
            raise InputError(f"no paper named {unknown[0]!r} in the library (footnoted papers "
                             "lists them; several papers are asked by their library names)")
        lent: dict[str, object] = {}
        if first is not None:
            lent = {"embedder": first.embedder, "models": first.models}

        def open_one(name: str) -> Engine:
            from dataclasses import replace

            if lent:
                engine = open_engine(name, home, config, embedder=lent["embedder"],
                                     models=lent["models"])
            else:
                engine = open_engine(name, home, config)
                lent.update(embedder=engine.embedder, models=engine.models)
            return replace(engine, config=config)

        out = cls(home, names, open_one, config)
        if first is not None and first.paper is not None:  # kept open under its own name
            from .library import BUNDLED, locate

            for name in names:
                if name == BUNDLED or first.paper.parent.name == name:
                    if locate(name, home).resolve() == first.paper.resolve():
                        out._engines[name] = replace_config(first, config)
                        break
        return out

    def ref(self, name: str) -> PaperRef:
        with self._lock:
            known = self.refs.get(name)
        if known is None:
            known = self.refer(name) if self.refer else paper_ref(self.home, name)
            with self._lock:
                self.refs[name] = known
        return known

    def engine(self, name: str) -> Engine:
        """The open engine of `name`, opened (or built) when needed; the least recently used
        beyond `config.library.keep` are closed."""
        with self._lock:
            if name in self._engines:
                self._engines.move_to_end(name)
                return self._engines[name]
        engine = self.open_one(name)
        with self._lock:
            self._engines[name] = engine
            while len(self._engines) > self.config.library.keep:
                self._engines.popitem(last=False)
        return engine

    def encoder(self, fallback: str) -> Engine:
        """An open engine to encode the question with (they share one embedder), else
        `fallback`'s, opened."""
        with self._lock:
            if self._engines:
                return next(reversed(self._engines.values()))
        return self.engine(fallback)

    def router(self) -> Router:
        """The first stage over every paper's chunk vectors (made once, then kept)."""
        with self._lock:
            if self._router is None:
                vectors = []
                for name in self.names:
                    v = saved_vectors(self.home, name)
                    if v is None:  # not indexed yet: open it, which builds its index
                        v = self.engine(name).data.chunk_vecs
                    vectors.append((name, v))
                self._router = Router.of(vectors)
            return self._router

    def scope(self, papers: Sequence[str] | None) -> tuple[str, ...]:
        """The papers asked: all, or those named (InputError for one not in the library)."""
        if not papers:
            return self.names
        chosen = tuple(dict.fromkeys(papers))
        unknown = [p for p in chosen if p not in self.names]
        if unknown:
            raise InputError(f"no paper named {unknown[0]!r} in the library "
                             "(footnoted papers lists them)")
        return chosen

    def ask(self, question: object, k: object = None, mode: object = None,
            papers: Sequence[str] | None = None, qid: str | None = None,
            lap: Lap = no_lap) -> Answer:
        """The answer over `papers` (default: all), each passage and sentence named by its
        paper; InputError (one line) on a bad question or an unknown paper."""
        scope = self.scope(papers)
        query = self.encoder(scope[0]).query(question, k, mode, lap)
        lib = self.config.library
        chosen = list(scope) if len(scope) <= lib.route else \
            self.router().route(query.vector, scope, lib.route, lib.first)
        lap("route")
        engines = at_once([lambda n=n: self.engine(n) for n in chosen])
        lap("open")
        found = ranked(engines, query, lap)
        refs = [self.ref(n) for n in chosen]
        answer = answer_across(engines, refs, query, found, qid, len(scope))
        lap("answer")
        return answer
