"""The one question path that the CLI, the app, the evaluation and the benchmarks share.

    engine = open_engine()                 # bundled paper; index loaded, or built on first use
    answer = engine.ask("How many North Koreans defected between 1953 and 1989?", k=5)
    answer.to_dict()                       # the JSON of `footnoted ask --json`

or stage by stage, as the tuner and `footnoted bench` do:

    retrieval = engine.retrieve(question)  # check, encode, search: the ranked hits
    evidence = engine.evidence(retrieval)  # answer sentences and the evidence strength
    engine.verdict(evidence)               # why it abstains, or None
    engine.answer(evidence)                # the Answer

An `Engine` is built from an opened index, a model and a configuration, and does no I/O of
its own (`opening.open_engine` reads or builds the index). Variants are new engines:
`dataclasses.replace(engine, config=...)`. Leaves out presentation: the CLI and the app
format the `Answer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest import InputError

from .abstain import reason_to_abstain
from .answer import compose, no_answer, pick_sentences
from .build import IndexData
from .config import MAX_K, MAX_QUESTION, MODES, Config
from .embed import Embedder
from .records import Answer, Citation, Evidence, Passage, Query, Retrieval, Span
from .search import Lap, no_lap, scores, top_k
from .threads import one_blas_thread

RAW_QUESTION = 4 * MAX_QUESTION  # characters before white space is collapsed


@dataclass(frozen=True)
class Engine:
    data: IndexData
    embedder: Embedder
    config: Config = field(default_factory=Config)
    paper: Path | None = None  # the paper the index was built from; None for an in-memory one
    home: Path | None = None  # the folder its index is saved under
    status: str = "in memory"  # how the index was opened: loaded, built (why), in memory

    def ask(self, question: str, k: int | None = None, mode: str | None = None,
            qid: str | None = None) -> Answer:
        return self.answer(self.evidence(self.retrieve(question, k, mode)), qid)

    def query(self, question: object, k: object = None, mode: object = None,
              lap: Lap = no_lap) -> Query:
        """The checked question with its vectors (InputError, one line, on bad input)."""
        text, k, mode = check_request(question, self.config.k if k is None else k,
                                      self.config.mode if mode is None else mode)
        if mode == "bm25":  # no late interaction; the vector still picks answer sentences
            vector, tokens = self.embedder.encode_one(text), None
        else:
            vector, tokens = self.embedder.encode_query(text)
        lap("embed")
        return Query(text, k, mode, vector, tokens)

    def search(self, query: Query, lap: Lap = no_lap) -> Retrieval:
        with one_blas_thread():
            hits = top_k(scores(self.data, query, self.config.search, lap), query.k)
        return Retrieval(query, hits)

    def retrieve(self, question: object, k: object = None, mode: object = None,
                 lap: Lap = no_lap) -> Retrieval:
        return self.search(self.query(question, k, mode, lap), lap)

    def evidence(self, retrieval: Retrieval) -> Evidence:
        q = retrieval.query
        with one_blas_thread():
            picks, strength = pick_sentences(self.data, retrieval.hits, q.vector, q.text,
                                             self.config.answer)
        texts = tuple(self.data.sentences[p.sentence].text for p in picks)
        return Evidence(retrieval, tuple(picks), strength, texts)

    def verdict(self, evidence: Evidence) -> str | None:
        """Why the paper seems not to answer (one phrase), or None when it does."""
        return reason_to_abstain(evidence.retrieval.query.text, evidence.strength,
                                 self.config.answer.abstain_below, list(evidence.sentences),
                                 self.data.numbers)

    def answer(self, evidence: Evidence, qid: str | None = None) -> Answer:
        reason = self.verdict(evidence)
        abstained = reason is not None
        picks = () if abstained else evidence.picks
        chosen = {p.sentence for p in picks}
        retrieval = evidence.retrieval
        passages = tuple(self.passage(h.chunk, rank, h.score, chosen)
                         for rank, h in enumerate(retrieval.hits, start=1))
        text = no_answer(reason) if abstained else compose(self.data, picks)
        cites = tuple(Citation(p.rank, passages[p.rank - 1].id,
                               self.data.sentences[p.sentence].text) for p in picks)
        return Answer(qid, retrieval.query.text, text, abstained, cites, passages,
                      retrieval.query.mode)

    def passage(self, index: int, rank: int, score: float, chosen: set[int]) -> Passage:
        c = self.data.chunks[index]
        notes = self.data.footnote_map
        sents = [self.data.sentences[s] for s in c.sentences]
        spans = tuple(Span(s.start - c.start, s.end - c.start, s.footnotes) for s in sents)
        marks = tuple((s.start - c.start, s.end - c.start) for s in sents if s.index in chosen)
        return Passage(c.id, rank, score, c.text, c.section, c.pages, c.paragraph,
                       tuple(notes[n] for n in c.footnotes if n in notes), marks, spans)


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
