"""Typed, frozen records of a question's path through the engine, and of its answer.

    Query (the question, encoded) -> Retrieval (ranked hits) -> Evidence (answer sentences and
    their strength) -> Answer (what the CLI, the app and the evaluation show)

`Answer.to_dict` gives exactly the JSON object that `footnoted ask --json` prints and `/ask`
returns. Records that hold vectors compare by identity (`eq=False`): numpy arrays have no
single truth value. Leaves out the document model's records (`ingest.records`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ingest.records import Footnote


@dataclass(frozen=True)
class Hit:
    """One retrieved passage before it is dressed: a chunk, or the part of it that better
    ranked passages do not already show (`passages.distinct`)."""

    chunk: int  # index into the chunk list
    score: float
    sentences: tuple[int, int]  # [first, end) Sentence.index range shown


@dataclass(frozen=True, eq=False)
class Query:
    """A checked question with its vectors: `vector` (normalised, `embed.DIM` wide), `tokens` its
    content word pieces' token vectors for late interaction (None in bm25 mode)."""

    text: str
    k: int
    mode: str
    vector: np.ndarray
    tokens: np.ndarray | None


@dataclass(frozen=True, eq=False)
class Retrieval:
    query: Query
    hits: tuple[Hit, ...]  # best first, at most query.k


@dataclass(frozen=True)
class Pick:
    """An answer unit: a sentence, or a footnote whose text answers."""

    unit: int  # Sentence.index, or len(sentences) + the footnote's row
    rank: int  # rank of the first passage holding (or citing) it
    score: float  # the learned ranker's share of the answer among the candidates
    text: str
    footnote: int | None = None  # the footnote's number when the unit is one


@dataclass(frozen=True, eq=False)
class Evidence:
    """What the answer rests on: the chosen units (document order), the strength of the
    closest unit or cited source (a cosine), the likeliest kind asked and every kind's
    probability, the abstention model's P(the paper does not answer) and the confidence
    model's P(the answer holds), the question's signals, the span types each candidate
    holds, and for a source question the footnotes it names or why it cannot (`note`)."""

    retrieval: Retrieval
    picks: tuple[Pick, ...]
    strength: float
    kind: str = "fact"
    kinds: tuple[tuple[str, float], ...] = ()
    unanswerable: float = 0.0
    sure: float = 0.5
    signals: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    types: tuple[frozenset[str], ...] = ()
    cited: tuple[Footnote, ...] = ()
    note: str | None = None

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.picks)


@dataclass(frozen=True)
class Span:
    """A sentence inside a passage: offsets into `Passage.text` and the footnotes it cites."""

    start: int
    end: int
    footnotes: tuple[int, ...]


@dataclass(frozen=True)
class Passage:
    id: str
    rank: int  # 1-based; answer markers [n] point here
    score: float
    text: str
    section: str
    pages: tuple[int, ...]
    paragraph: int
    footnotes: tuple[Footnote, ...]
    highlights: tuple[tuple[int, int], ...]  # answer sentences, as offsets into `text`
    sentences: tuple[Span, ...] = ()  # every sentence of the passage, in order
    paper: str | None = None  # the library paper it is from, when several were asked

    def to_dict(self) -> dict:
        named = {"paper": self.paper} if self.paper is not None else {}
        return named | {
            "id": self.id, "rank": self.rank, "score": round(self.score, 4), "text": self.text,
            "section": self.section, "pages": list(self.pages), "paragraph": self.paragraph,
            "footnotes": [{"number": f.number, "text": f.text, "source": f.source,
                           "missing": f.missing} for f in self.footnotes],
            "highlights": [list(h) for h in self.highlights],
            "sentences": [{"start": s.start, "end": s.end, "footnotes": list(s.footnotes)}
                          for s in self.sentences],
        }


@dataclass(frozen=True)
class PaperRef:
    """A paper a question went to, as answers and cards name it (`across`)."""

    name: str  # its library name (`footnoted papers`)
    title: str  # as printed, or a working title in square brackets
    authors: tuple[str, ...] = ()
    year: int | None = None

    def byline(self) -> str:
        """ "Authors (year)", "Title (year)" without authors, or the title alone."""
        who = ", ".join(self.authors) or self.title or self.name
        return f"{who} ({self.year})" if self.year else who

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "authors": list(self.authors),
                "year": self.year}


@dataclass(frozen=True)
class Citation:
    marker: int  # the [n] in the answer, equal to the cited passage's rank
    passage: str  # passage id
    sentence: str  # the answer sentence it supports

    def to_dict(self) -> dict:
        return {"marker": self.marker, "passage": self.passage, "sentence": self.sentence}


@dataclass(frozen=True)
class Answer:
    id: str | None
    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    mode: str
    confidence: str = "low"  # high, medium or low (abstentions: how sure the paper is silent)
    kind: str = "fact"  # what the question asks for (`answers.kinds`)
    reason: str | None = None  # why it abstained (one phrase); None for an answer
    papers: tuple[PaperRef, ...] = ()  # the papers searched, when several were asked

    def to_dict(self) -> dict:
        searched = {"papers": [p.to_dict() for p in self.papers]} if self.papers else {}
        return {
            "id": self.id, "question": self.question, "answer": self.answer,
            "abstained": self.abstained, "reason": self.reason,
            "confidence": self.confidence, "kind": self.kind, "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
        } | searched
