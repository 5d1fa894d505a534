"""The one question path that the CLI, the app, the evaluation and the benchmarks share.

    engine = open_engine()                 # bundled paper; index loaded, or built on first use
    answer = engine.ask("What does the paper conclude?", k=5)
    answer.to_dict()                       # the JSON of `footnoted ask --json`

or stage by stage, as the tuner and `footnoted bench` do:

    retrieval = engine.retrieve(question)  # check, encode, search: the ranked hits
    evidence = engine.evidence(retrieval)  # answer sentences and the evidence strength
    engine.verdict(evidence)               # why it abstains, or None
    engine.answer(evidence)                # the Answer

An `Engine` is built from an opened index, a model, the learned answer models and a
configuration, and does no I/O of its own (`opening.open_engine` reads or builds the index
and reads the answer models). Variants are new engines:
`dataclasses.replace(engine, config=...)`. Leaves out presentation: the CLI and the app
format the `Answer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest import InputError

from .answers import Models, compose, gather, no_answer, reason_to_abstain, ruled
from .build import IndexData
from .config import MAX_K, MAX_QUESTION, MODES, Config
from .embed import Embedder
from .passages import distinct, dress, whole
from .records import Answer, Citation, Evidence, Query, Retrieval
from .search import Lap, no_lap, scores
from .steer import steer
from .threads import one_blas_thread

RAW_QUESTION = 4 * MAX_QUESTION  # characters before white space is collapsed


@dataclass(frozen=True)
class Engine:
    data: IndexData
    embedder: Embedder
    models: Models  # the learned answer models (`answers.load()` reads the shipped ones)
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
        vector, tokens = self.embedder.encode_query(text)  # one pass: vector and word pieces
        lap("embed")
        return Query(text, k, mode, vector, tokens)

    def search(self, query: Query, lap: Lap = no_lap) -> Retrieval:
        with one_blas_thread():
            values = steer(scores(self.data, query, self.config.search, lap),
                           self.data.chunks, query.text)
        pick = distinct if self.config.distinct else whole
        return Retrieval(query, pick(values, self.data, query.k))

    def retrieve(self, question: object, k: object = None, mode: object = None,
                 lap: Lap = no_lap) -> Retrieval:
        return self.search(self.query(question, k, mode, lap), lap)

    def evidence(self, retrieval: Retrieval) -> Evidence:
        cfg = self.config.answer
        with one_blas_thread():
            return gather(self.data, retrieval, self.models, cfg.pool, cfg.join,
                          cfg.max_sentences)

    def verdict(self, evidence: Evidence) -> str | None:
        """Why the paper seems not to answer (one phrase), or None when it does."""
        threshold = self.config.answer.threshold
        return reason_to_abstain(self.data, evidence, self.models.threshold
                                 if threshold is None else threshold, self.models.floor)

    def confidence(self, evidence: Evidence, abstained: bool) -> str:
        """The band of an answer (P it holds), or of an abstention (how sure the paper is
        silent: a rule is sure, else the model's P)."""
        if not abstained:
            return self.models.confidence(evidence.sure)
        ruled_out = ruled(self.data, evidence, self.models.floor) is not None
        return self.models.confidence(1.0 if ruled_out else evidence.unanswerable, True)

    def answer(self, evidence: Evidence, qid: str | None = None) -> Answer:
        reason = self.verdict(evidence)
        abstained = reason is not None
        picks = () if abstained else evidence.picks
        chosen = {p.unit for p in picks if p.footnote is None}
        retrieval = evidence.retrieval
        passages = tuple(dress(self.data, h, rank, chosen)
                         for rank, h in enumerate(retrieval.hits, start=1))
        text = no_answer(reason) if abstained else compose(evidence)
        cites = tuple(Citation(p.rank, passages[p.rank - 1].id, p.text) for p in picks)
        return Answer(qid, retrieval.query.text, text, abstained, cites, passages,
                      retrieval.query.mode, self.confidence(evidence, abstained),
                      evidence.kind, reason)


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
