"""The systems the benchmark compares: the engine's modes and a "tutorial baseline".

The baseline is what most tutorials build: the body text cut into 1,000-character chunks with
200 characters of overlap (cuts moved back to a space), the same MiniLM model, a flat FAISS
index, and the top passage as the answer; it never abstains. Engine variants for tuning are
built in memory, never saved over the user's index.
Leaves out scoring (`scoring`).
"""

from __future__ import annotations

from dataclasses import dataclass

from index.build import build, flat_index
from index.embed import Embedder
from index.engine import Engine
from index.records import Answer, Passage
from ingest import Document, Settings, chunk


def char_windows(text: str, size: int = 1000, overlap: int = 200) -> list[tuple[int, int]]:
    """[start, end) windows of at most `size` characters, ends moved back to a space."""
    spans, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text) and " " in text[start + size // 2:end]:
            end = text.rindex(" ", start + size // 2, end)
        spans.append((start, end))
        if end == len(text):
            break
        start = max(end - overlap, start + 1)
    return spans


@dataclass
class TutorialBaseline:
    doc: Document
    embedder: Embedder

    def __post_init__(self) -> None:
        self.spans = char_windows(self.doc.body)
        texts = [self.doc.body[s:e] for s, e in self.spans]
        self.index = flat_index(self.embedder.encode(texts))

    def ask(self, question: str, k: int = 5, mode: str | None = None) -> Answer:
        qvec = self.embedder.encode_one(question)
        scores, ids = self.index.search(qvec[None, :], min(k, len(self.spans)))
        passages = tuple(
            Passage(f"w{i}", rank, float(s), self.doc.body[self.spans[i][0]:self.spans[i][1]],
                    "", (), 0, (), ())
            for rank, (s, i) in enumerate(zip(scores[0], ids[0], strict=True), start=1))
        text = passages[0].text if passages else ""
        return Answer(None, question, text, False, (), passages, "baseline")


def engine_variant(doc: Document, embedder: Embedder, settings: Settings, **kw) -> Engine:
    """An engine over an in-memory index for `settings` (for tuning on the dev split)."""
    data = build(doc, chunk(doc, settings), embedder, settings.index_text)
    return Engine.from_data(data, settings=settings, embedder=embedder, **kw)
