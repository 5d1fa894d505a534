"""The one configuration: every default of chunking, indexing, search and answers lives here.

    Config()                                    # the defaults, chosen on the dev split
    replace(config, search=replace(config.search, alpha=0.8))   # a variant
    Config.from_dict(config.to_dict()) == config                 # as saved in the manifest

Frozen and validated on construction (`ValueError`, one line, naming the field). The parts an
index is built from (`chunking`, `index_text`) are compared with a saved index's manifest;
the whole configuration is saved there too, so a report can say what produced it. The
values were measured on the dev split only (eval/tuning.md).
Leaves out paths (`index.store`: environment variables are only for paths) and any I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from ingest import Chunking

MODES = ("hybrid", "dense", "bm25")
DENSE = ("chunk", "max", "blend")  # a chunk's own cosine, its best unit's, or their mean
FUSIONS = ("score", "rrf")  # min-max score mix, or reciprocal rank fusion
INDEX_TEXTS = ("plain", "section", "sources")  # what the indexes see of a chunk (`texts`)
MAX_K = 50  # passages one question may ask for
MAX_QUESTION = 1000  # characters, after white space is collapsed


def _unit(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"expected {name} in [0, 1], got {value!r}")


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"expected {name} in {', '.join(allowed)}, got {value!r}")


def _count(name: str, value: int, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low \
            or (high is not None and value > high):
        span = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValueError(f"expected {name} as a whole number {span}, got {value!r}")


@dataclass(frozen=True)
class VectorConfig:
    """How a paper's vectors are indexed (`build`): part of what an index is built from, so a
    change rebuilds it."""

    # chunk vectors below which search is exact; exact search takes ~0.07 us a vector (6.7 ms
    # at 10^5, docs/performance.md): about 2 ms here, where an approximate index starts to pay
    exact_below: int = 30_000
    target_recall: float = 0.95  # recall@10 of the approximate index against exact search
    # the HNSW graph's degree and efConstruction: the growth curve's settings (issue 14)
    hnsw_m: int = 32
    hnsw_ef_construction: int = 64
    # word-piece vectors kept for late interaction (float16: 150 MB at the limit; about 35
    # papers the bundled one's size); a bigger paper is searched without them
    max_tokens: int = 200_000

    def __post_init__(self) -> None:
        _count("exact_below", self.exact_below, 1)
        _unit("target_recall", self.target_recall)
        _count("hnsw_m", self.hnsw_m, 2)
        _count("hnsw_ef_construction", self.hnsw_ef_construction, 1)
        _count("max_tokens", self.max_tokens, 0)


@dataclass(frozen=True)
class SearchConfig:
    """How chunks are scored (`search`)."""

    dense: str = "blend"
    fusion: str = "score"
    alpha: float = 0.8  # weight of dense in score fusion (eval/tuning.md, across papers)
    rrf_k: int = 60
    late: float = 0.5  # weight of late interaction (`late`) inside the dense score
    candidates: int = 200  # chunks an approximate index returns per question (k is at most 50)

    def __post_init__(self) -> None:
        _count("candidates", self.candidates, MAX_K)
        _choice("dense", self.dense, DENSE)
        _choice("fusion", self.fusion, FUSIONS)
        _unit("alpha", self.alpha)
        _unit("late", self.late)
        _count("rrf_k", self.rrf_k, 1)


@dataclass(frozen=True)
class Features:
    """The answer models' feature definitions. Not a setting to change on its own: the models
    are learned with these values, `models.json` records the ones it was learned with
    (`answers.Models.features`) and the answer layer reads them from there; to change one is
    to learn the models again (`make learn`)."""

    # the question's vector against its asking words in the kind model (an L2 penalty weighs
    # the two blocks by their scale): kind accuracy 0.63 at 3 against 0.57 at 1, chosen
    # leave-one-paper-out (eval/tuning.md)
    vector: float = 3.0
    held_among: int = 3  # the ranker's best candidates `held` looks among for the kind asked
    near: int = 10  # words between a span and a word of the question, for `held_near`
    common: float = 0.05  # share of the paper's sentences above which a name is not specific
    named_min: int = 2  # distinct rare words a question must share with a source to name it

    def __post_init__(self) -> None:
        if isinstance(self.vector, bool) or not isinstance(self.vector, int | float) \
                or self.vector <= 0:
            raise ValueError(f"expected vector as a positive number, got {self.vector!r}")
        _count("held_among", self.held_among, 1)
        _count("near", self.near, 0)
        _unit("common", self.common)
        _count("named_min", self.named_min, 1)


@dataclass(frozen=True)
class AnswerConfig:
    """How answers are composed (`answer`, `abstain`). The learned models and the choices made
    with them on the dev split live in index/learned.json (`learned`); a value here other than
    None overrides the learned one (for sweeps)."""

    max_sentences: int = 3
    pool: int | None = None  # candidate sentences come from the top `pool` passages
    join: float | None = None  # a further sentence joins at >= join x the best probability
    threshold: float | None = None  # abstain when P(unanswerable) reaches it

    def __post_init__(self) -> None:
        _count("max_sentences", self.max_sentences, 1)
        if self.pool is not None:
            _count("pool", self.pool, 1)
        for name in ("join", "threshold"):
            value = getattr(self, name)
            if value is not None:
                _unit(name, value)


@dataclass(frozen=True)
class LibraryConfig:
    """How one question goes to several papers (`across`, `collection`)."""

    route: int = 8  # papers searched in full; of more in scope, those owning the closest chunks
    first: int = 400  # chunks the first stage returns, from which those papers are taken
    # engines kept open: about 3.5 MB each of their own (records, vectors, BM25; the token
    # vectors stay in their memory-mapped files, one open file each), 0.9 GB at most
    keep: int = 256
    most_papers: int = 2  # papers an answer draws on; more reads as the list the cards are
    # the papers' first ranking (cosines and BM25): its best chunks are matched word by word
    # (`late`) for the final one, and its lowest too, so that their late scores are
    # normalised over nearly their whole range (every chunk of one paper asked alone is)
    late_over: int = 96
    late_low: int = 128

    def __post_init__(self) -> None:
        _count("route", self.route, 1)
        _count("first", self.first, 1)
        _count("keep", self.keep, 1)
        _count("most_papers", self.most_papers, 1)
        _count("late_over", self.late_over, 1)
        _count("late_low", self.late_low, 0)


@dataclass(frozen=True)
class Config:
    chunking: Chunking = field(default_factory=Chunking)
    # "sources" (a chunk's indexed text ends with its cited footnotes' sources): on the 7 corpus
    # papers recall@5 0.861 -> 0.870, MRR@10 0.781 -> 0.791, budget recall 0.831 -> 0.845
    # against "section" (8 Dec 2026, eval/tuning.md "Index text across papers"): a fact
    # stated only in a footnote is found by its own words
    index_text: str = "sources"
    vectors: VectorConfig = field(default_factory=VectorConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    answer: AnswerConfig = field(default_factory=AnswerConfig)
    library: LibraryConfig = field(default_factory=LibraryConfig)
    k: int = 5  # passages shown
    mode: str = "hybrid"
    distinct: bool = True  # no sentence shown twice in the top k (`passages`)

    def __post_init__(self) -> None:
        for name, kind in (("chunking", Chunking), ("vectors", VectorConfig),
                           ("search", SearchConfig), ("answer", AnswerConfig),
                           ("library", LibraryConfig)):
            if not isinstance(getattr(self, name), kind):
                raise ValueError(f"expected {name} as {kind.__name__}, got "
                                 f"{type(getattr(self, name)).__name__}")
        _choice("index_text", self.index_text, INDEX_TEXTS)
        if not isinstance(self.distinct, bool):
            raise ValueError(f"expected distinct as true or false, got {self.distinct!r}")
        _choice("mode", self.mode, MODES)
        _count("k", self.k, 1, MAX_K)

    def built_from(self) -> dict:
        """The parts a saved index depends on: a change means a rebuild."""
        return {"chunking": asdict(self.chunking), "index_text": self.index_text,
                "vectors": asdict(self.vectors)}

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Config:
        """The configuration a `to_dict` wrote; ValueError on an unknown or ill-typed part."""
        if not isinstance(data, dict):
            raise ValueError(f"expected a configuration object, got {type(data).__name__}")
        parts = {"chunking": Chunking, "vectors": VectorConfig, "search": SearchConfig,
                 "answer": AnswerConfig, "library": LibraryConfig}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown configuration fields: {', '.join(unknown)}")
        values = {}
        for name, value in data.items():
            if name in parts:
                values[name] = _part(parts[name], value, name)
            else:
                values[name] = value
        return cls(**values)


def _part(kind: type, value: object, name: str):
    if not isinstance(value, dict):
        raise ValueError(f"expected {name} as an object, got {type(value).__name__}")
    known = {f.name for f in fields(kind)}
    unknown = sorted(set(value) - known)
    if unknown:
        raise ValueError(f"unknown {name} fields: {', '.join(unknown)}")
    return kind(**value)
