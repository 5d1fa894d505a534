"""The one Python API that the CLI, the app and the evaluation share.

    engine = Engine()                      # bundled paper; index loaded, or built on first use
    answer = engine.ask("How many North Koreans defected between 1953 and 1989?", k=5)
    answer.to_dict()                       # the JSON of `footnoted ask --json`

The model loads once per engine; the index is loaded when its manifest matches the corpus,
model, settings and package versions, and rebuilt (atomically, under a lock) when it does not.
Leaves out presentation: the CLI and the app format the `Answer`.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path

from ingest import InputError, Settings, chunk, load_document, sha256_of
from ingest.settings import MODES

from . import store
from .abstain import reason_to_abstain
from .answer import AnswerConfig, compose, no_answer, pick_sentences
from .build import IndexData, build
from .embed import Embedder, model_info
from .records import Answer, Citation, Passage
from .search import SearchConfig, scores, top_k

log = logging.getLogger(__name__)
MAX_QUESTION = 1000
RAW_QUESTION = 4 * MAX_QUESTION  # before white space is collapsed
MAX_K = 50


def expected_manifest(paper: Path, settings: Settings) -> dict:
    return {"format": store.FORMAT, "corpus_sha256": sha256_of(paper), "model": model_info(),
            "chunking": settings.chunking(), "versions": store.versions()}


def open_index(paper: Path, home: Path, settings: Settings, embedder: Embedder,
               rebuild: bool = False, progress: bool = False) -> tuple[IndexData, str]:
    """The saved index if it is sound, else a fresh build; and what happened, in words."""
    from filelock import FileLock

    root = store.index_root(home, paper)
    expected = expected_manifest(paper, settings)
    folder = store.current_build(root)
    reason = "rebuild asked for" if rebuild else store.problem(folder, expected)
    if reason is None:
        data, reason = try_load(folder)
        if data is not None:
            return data, "loaded"
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / "build.lock")):
        folder = store.current_build(root)
        if not rebuild and store.problem(folder, expected) is None:
            data, why = try_load(folder)
            if data is not None:
                return data, "loaded (built by another process)"
            reason = why
        log.warning("building the index: %s", reason)
        for stale in (root / "builds").glob("tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        doc = load_document(paper)
        data = build(doc, chunk(doc, settings), embedder, settings.index_text,
                     progress=progress)
        tmp = root / "builds" / f"tmp-{time.time_ns()}"
        try:
            store.save(data, tmp, expected)
        except BaseException:  # a full disk or an interrupt: leave no half-written folder
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        final = tmp.with_name(f"build-{time.time_ns()}")
        tmp.rename(final)
        store.publish(root, final)
    return data, f"built ({reason})"


def try_load(folder: Path) -> tuple[IndexData | None, str | None]:
    """The saved index, or None and why it cannot be used as it is."""
    try:
        return store.load(folder), None
    except ValueError as e:  # the files disagree with each other: says which
        return None, str(e)
    except (OSError, RuntimeError, KeyError, TypeError) as e:  # faiss raises RuntimeError
        return None, f"the index cannot be read ({' '.join(str(e).split())[:200]})"


@dataclass
class Engine:
    paper: Path | None = None
    home: Path | None = None
    settings: Settings = field(default_factory=Settings)
    search: SearchConfig = field(default_factory=SearchConfig)
    answering: AnswerConfig = field(default_factory=AnswerConfig)
    rebuild: bool = False
    progress: bool = False
    embedder: Embedder = field(default_factory=Embedder)

    def __post_init__(self) -> None:
        from corpus import PAPER

        self.paper = Path(self.paper or PAPER)
        if not self.paper.is_file():
            raise InputError(f"no such file: {self.paper}")
        self.home = Path(self.home) if self.home else store.default_home()
        self.data, self.status = open_index(self.paper, self.home, self.settings, self.embedder,
                                            self.rebuild, self.progress)

    @classmethod
    def from_data(cls, data: IndexData, **kw) -> Engine:
        """An engine over an index built in memory (the evaluation's variants)."""
        engine = cls.__new__(cls)  # skips __post_init__: no index is opened from disk
        for f in fields(cls):
            default = f.default_factory() if f.default_factory is not MISSING else f.default
            setattr(engine, f.name, kw.pop(f.name) if f.name in kw else default)
        if kw:
            raise ValueError(f"expected Engine fields, got {', '.join(sorted(kw))}")
        engine.data, engine.status = data, "in memory"
        return engine

    def ask(self, question: str, k: int | None = None, mode: str | None = None,
            qid: str | None = None) -> Answer:
        t0 = time.perf_counter()
        question, k, mode = check_request(question, self.settings.k if k is None else k,
                                          self.settings.mode if mode is None else mode)
        qvec, qtok = (None, None) if mode == "bm25" else self.embedder.encode_query(question)
        hits = top_k(scores(self.data, qvec, question, mode, self.search, qtok), k)
        if qvec is None:  # bm25 mode still picks answer sentences by meaning
            qvec = self.embedder.encode_one(question)
        picks, strength = pick_sentences(self.data, hits, qvec, question, self.answering)
        sentences = [self.data.sentences[p.sentence].text for p in picks]
        reason = reason_to_abstain(question, strength, self.answering.abstain_below, sentences,
                                   self.data.numbers)
        abstained = reason is not None
        chosen = {p.sentence for p in picks} if not abstained else set()
        passages = tuple(self.passage(h.chunk, rank, h.score, chosen)
                         for rank, h in enumerate(hits, start=1))
        text = no_answer(reason) if abstained else compose(self.data, picks)
        cites = () if abstained else tuple(
            Citation(p.rank, passages[p.rank - 1].id, self.data.sentences[p.sentence].text)
            for p in picks)
        return Answer(qid, question, text, abstained, cites, passages, mode,
                      time.perf_counter() - t0)

    def passage(self, index: int, rank: int, score: float, chosen: set[int]) -> Passage:
        c = self.data.chunks[index]
        notes = self.data.footnote_map
        marks = tuple((self.data.sentences[s].start - c.start, self.data.sentences[s].end - c.start)
                      for s in c.sentences if s in chosen)
        return Passage(c.id, rank, score, c.text, c.section, c.pages, c.paragraph,
                       tuple(notes[n] for n in c.footnotes if n in notes), marks)


def check_request(question: object, k: object, mode: object) -> tuple[str, int, str]:
    """Validates a question and its options; raises InputError with a one-line reason."""
    if not isinstance(question, str):
        raise InputError(f"expected the question as text, got {type(question).__name__}")
    if len(question) > RAW_QUESTION:  # before any clean-up costs memory in proportion to it
        raise InputError(f"the question is too long ({len(question)} characters; "
                         f"at most {MAX_QUESTION})")
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in question).split())
    if not cleaned:
        raise InputError("the question is empty")
    if len(cleaned) > MAX_QUESTION:
        raise InputError(f"the question is too long ({len(cleaned)} characters; "
                         f"at most {MAX_QUESTION})")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise InputError(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}; valid modes: {', '.join(MODES)}")
    return cleaned, k, mode
