"""Typed, frozen records of a search and its answer: what the CLI, the app and the eval share.

`to_dict` gives exactly the JSON object that `footnoted ask --json` prints and `/ask` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.records import Footnote


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk, before it is dressed as a passage."""

    chunk: int  # index into the chunk list
    score: float


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

    def to_dict(self) -> dict:
        return {
            "id": self.id, "rank": self.rank, "score": round(self.score, 4), "text": self.text,
            "section": self.section, "pages": list(self.pages), "paragraph": self.paragraph,
            "footnotes": [{"number": f.number, "text": f.text, "source": f.source,
                           "missing": f.missing} for f in self.footnotes],
            "highlights": [list(h) for h in self.highlights],
        }


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
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "id": self.id, "question": self.question, "answer": self.answer,
            "abstained": self.abstained, "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
        }
