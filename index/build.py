"""Builds the in-memory search index from a document: vectors, FAISS, BM25.

Three kinds of vector, all normalised 384-d MiniLM embeddings (inner product = cosine):
chunks (their index text), sentences (for sentence-level matching and answer extraction), and
the resolved sources of the footnotes (so a question about a source reaches the chunks citing
it). BM25 (bm25s, English stop words, Snowball stemmer) runs over the chunk index texts.
Leaves out saving and loading (`store`) and scoring a query (`search`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ingest.records import Chunk, Document, Footnote, Sentence

from .embed import Embedder
from .texts import index_text


@dataclass(frozen=True)
class IndexData:
    chunks: tuple[Chunk, ...]
    sentences: tuple[Sentence, ...]
    footnotes: tuple[Footnote, ...]
    texts: tuple[str, ...]  # what was indexed for each chunk
    chunk_vecs: np.ndarray  # (n_chunks, 384)
    sentence_vecs: np.ndarray  # (n_sentences, 384)
    note_vecs: np.ndarray  # (n_footnotes, 384); zero rows where a footnote has no source
    faiss_index: object  # faiss.IndexFlatIP over chunk_vecs
    bm25: object  # bm25s.BM25 over tokenised texts

    def footnote_map(self) -> dict[int, Footnote]:
        return {f.number: f for f in self.footnotes}

    @cached_property
    def sentence_words(self) -> tuple[frozenset[str], ...]:
        """Stemmed content words of every sentence (computed once, for answer scoring)."""
        if not self.sentences:
            return ()
        return tuple(frozenset(w) for w in tokenize([s.text for s in self.sentences]))

    @cached_property
    def numbers(self) -> frozenset[str]:
        """Every number written in the paper's sentences and footnotes (for abstention)."""
        from .abstain import numbers_in

        return numbers_in([s.text for s in self.sentences] + [f.text for f in self.footnotes])


def tokenize(texts: list[str]) -> list[list[str]]:
    import bm25s

    return bm25s.tokenize(texts, lower=True, stopwords="en", stemmer=stemmer(),
                          return_ids=False, show_progress=False)


def stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def flat_index(vecs: np.ndarray):
    import faiss

    index = faiss.IndexFlatIP(vecs.shape[1])
    index.add(vecs)
    return index


def bm25_index(texts: list[str]):
    import bm25s

    if not texts:
        return None
    retriever = bm25s.BM25()
    retriever.index(tokenize(texts), show_progress=False)
    return retriever


def build(doc: Document, chunks: list[Chunk], embedder: Embedder, variant: str = "sources",
          progress: bool = False) -> IndexData:
    notes = {f.number: f for f in doc.footnotes}
    texts = [index_text(c, notes, variant) for c in chunks]
    sources = [f.source or "" for f in doc.footnotes]
    all_vecs = embedder.encode(texts + [s.text for s in doc.sentences] + sources,
                               progress=progress)
    n, m = len(texts), len(doc.sentences)
    note_vecs = all_vecs[n + m:].copy()
    note_vecs[[i for i, s in enumerate(sources) if not s]] = 0.0
    return IndexData(tuple(chunks), doc.sentences, doc.footnotes, tuple(texts),
                     all_vecs[:n].copy(), all_vecs[n:n + m].copy(), note_vecs,
                     flat_index(all_vecs[:n].copy()), bm25_index(texts))
