"""The systems the benchmark compares: the engine's modes and a "tutorial baseline".

The baseline is what most tutorials build: the body text cut into 1,000-character chunks with
200 characters of overlap (cuts moved back to a space), the same MiniLM model, a flat FAISS
index, and the top passage as the answer; it never abstains. Engine variants for tuning are
built in memory, never saved over the user's index. `SharedQueries` lets the systems of one
untimed run share each question's encoding.
Leaves out scoring (`scoring`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.build import build, flat_index
from index.config import Config
from index.embed import Embedder
from index.engine import Engine
from index.records import Answer, Passage
from ingest import Document


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


@dataclass(frozen=True)
class TutorialBaseline:
    doc: Document
    embedder: Embedder
    spans: tuple[tuple[int, int], ...]
    index: object  # faiss IndexFlatIP over the windows

    def ask(self, question: str, k: int, mode: str | None = None) -> Answer:
        qvec = self.embedder.encode_one(question)
        scores, ids = self.index.search(qvec[None, :], min(k, len(self.spans)))
        passages = tuple(
            Passage(f"w{i}", rank, float(s), self.doc.body[self.spans[i][0]:self.spans[i][1]],
                    "", (), 0, (), ())
            for rank, (s, i) in enumerate(zip(scores[0], ids[0], strict=True), start=1))
        text = passages[0].text if passages else ""
        return Answer(None, question, text, False, (), passages, "baseline")


def tutorial_baseline(doc: Document, embedder: Embedder) -> TutorialBaseline:
    spans = tuple(char_windows(doc.body))
    vecs = embedder.encode([doc.body[s:e] for s, e in spans])
    return TutorialBaseline(doc, embedder, spans, flat_index(vecs))


@dataclass
class SharedQueries:
    """An embedder that encodes each question once for every system of one benchmark run
    (the app's runs: they time nothing, so sharing the encoding hides no cost). Texts to
    index pass straight through."""

    inner: Embedder
    ones: dict = field(default_factory=dict)
    queries: dict = field(default_factory=dict)

    def encode(self, texts: list[str], progress: bool = False):
        return self.inner.encode(texts, progress)

    def encode_tokens(self, texts: list[str], progress: bool = False):
        return self.inner.encode_tokens(texts, progress)

    def encode_one(self, text: str):
        if text not in self.ones:
            self.ones[text] = self.inner.encode_one(text)
        return self.ones[text]

    def encode_query(self, text: str):
        if text not in self.queries:
            self.queries[text] = self.inner.encode_query(text)
        return self.queries[text]


def engine_variant(doc: Document, embedder: Embedder, config: Config) -> Engine:
    """An engine over an in-memory index built as `config` says (for tuning on the dev
    split); never saved over the user's index."""
    from index.answers import load

    return Engine(build(doc, embedder, config), embedder, load(), config=config)
