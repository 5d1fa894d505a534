"""Builds the in-memory search index from a document: vectors, FAISS, BM25.

Three kinds of vector, all normalised `embed.DIM`-d MiniLM embeddings (inner product = cosine):
chunks (their index text), sentences (for sentence-level matching and answer extraction), and
the resolved sources of the footnotes (so a question about a source reaches the chunks citing
it). Chunk vectors go into exact search (`IndexFlatIP`) below `config.vectors.exact_below`
vectors and into an HNSW graph (efSearch tuned for recall@10) above it: the size where exact
search stops being cheap, measured by `footnoted bench --growth` (docs/performance.md).
BM25 (bm25s, English stop words, Snowball stemmer) runs over the chunk index texts.
Leaves out saving and loading (`store`) and scoring a query (`search`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ingest import chunk
from ingest.chunking import unanchored
from ingest.records import Chunk, Document, Footnote, Sentence

from .config import Config, VectorConfig
from .embed import DIM, Embedder
from .texts import index_text


@dataclass(frozen=True)
class IndexData:
    chunks: tuple[Chunk, ...]
    sentences: tuple[Sentence, ...]
    footnotes: tuple[Footnote, ...]
    texts: tuple[str, ...]  # what was indexed for each chunk
    chunk_vecs: np.ndarray  # (n_chunks, DIM)
    sentence_vecs: np.ndarray  # (n_sentences, DIM)
    note_vecs: np.ndarray  # (n_footnotes, DIM); zero rows where a footnote has no source
    faiss_index: object  # vector_index(chunk_vecs): IndexFlatIP, or IndexIVFFlat if big
    bm25: object  # bm25s.BM25 over tokenised texts
    # contextual token vectors of every sentence, then footnote source, stacked (`late`);
    # empty above config.vectors.max_tokens. A saved index's are its float16 file, memory-
    # mapped (opening one costs no conversion: a library question reads only its candidates'
    # rows); `late_tokens` is the float32 copy a search over every token uses
    token_vecs: np.ndarray = field(default_factory=lambda: np.zeros((0, DIM), np.float32))
    token_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    given_document: Document | None = None  # the parsed paper it was built from (`document`)
    # else how to read it (a saved index: `store.load` passes the reading of document.json,
    # done on first use: asking never needs it, and a library's question opens many indexes)
    read_document: Callable[[], Document] | None = None
    # what every sentence, then every footnote, holds that could answer (`answers.holds`)
    holds: tuple[tuple, ...] = ()

    @cached_property
    def document(self) -> Document | None:
        """The parsed paper the index was built from (the app shows it), or None."""
        if self.given_document is not None or self.read_document is None:
            return self.given_document
        return self.read_document()

    @property
    def has_tokens(self) -> bool:
        """True when every sentence and footnote source has its token vectors."""
        units = len(self.sentences) + len(self.footnotes)
        return len(self.token_offsets) == units + 1 and len(self.token_vecs) > 0

    @cached_property
    def late_tokens(self) -> np.ndarray:
        """Every token vector as float32 (made on first use from a saved index's float16,
        8-20 ms for a paper of 15,000 tokens; the vectors themselves when built here)."""
        return np.ascontiguousarray(self.token_vecs, dtype=np.float32)

    def token_rows(self, rows: np.ndarray) -> np.ndarray:
        """The token vectors at `rows`, as float32 (float16 to float32 is exact)."""
        return np.asarray(self.token_vecs[rows], dtype=np.float32)

    @cached_property
    def chunk_members(self) -> tuple[np.ndarray, np.ndarray]:
        """Every chunk's late-interaction units back to back (its sentences, then the sources
        its footnotes cite, as rows after the sentences), and where each chunk's start."""
        return self.members({f.number for f in self.footnotes if f.source})

    @cached_property
    def unit_members(self) -> tuple[np.ndarray, np.ndarray]:
        """As `chunk_members`, with every cited footnote (a source-less one has a zero row):
        the units `search.unit_cosines` takes each chunk's best cosine of."""
        return self.members(set(self.note_rows))

    def members(self, notes: set[int]) -> tuple[np.ndarray, np.ndarray]:
        """Per chunk, its sentences and then those of its footnotes in `notes` (as rows after
        the sentences), back to back; and where each chunk's units start."""
        n, row = len(self.sentences), self.note_rows
        units = [list(c.sentences) + [n + row[f] for f in c.footnotes if f in notes]
                 for c in self.chunks]
        starts = np.zeros(len(units), dtype=np.int64)
        if units:
            starts[1:] = np.cumsum([len(u) for u in units])[:-1]
        return np.array([u for us in units for u in us], dtype=np.int64), starts

    @cached_property
    def source_words(self) -> dict[int, frozenset[str]]:
        """Footnote number -> the stemmed words of its resolved source (computed once)."""
        sourced = [f for f in self.footnotes if f.source]
        words = tokenize([f.source for f in sourced]) if sourced else []
        return {f.number: frozenset(w) for f, w in zip(sourced, words, strict=True)}

    @cached_property
    def footnote_map(self) -> dict[int, Footnote]:
        return {f.number: f for f in self.footnotes}

    @cached_property
    def unanchored(self) -> frozenset[int]:
        """Footnotes no sentence cites (a title's, a caption's): a chunk carries them
        (`ingest.chunking.hang_unanchored`), and its passages show them."""
        return frozenset(unanchored(self.sentences, self.footnotes))

    def hung_on(self, chunk: int) -> tuple[int, ...]:
        """The unanchored footnotes chunk `chunk` carries."""
        return tuple(n for n in self.chunks[chunk].footnotes if n in self.unanchored)

    @cached_property
    def note_rows(self) -> dict[int, int]:
        """Footnote number -> its row in `note_vecs` (computed once, not per question)."""
        return {f.number: i for i, f in enumerate(self.footnotes)}

    @cached_property
    def sentence_words(self) -> tuple[frozenset[str], ...]:
        """Stemmed content words of every sentence (computed once, for answer scoring)."""
        if not self.sentences:
            return ()
        return tuple(frozenset(w) for w in tokenize([s.text for s in self.sentences]))

    @cached_property
    def word_idf(self) -> dict[str, float]:
        """Stemmed word -> its inverse document frequency over the paper's sentences."""
        n = len(self.sentences)
        counts: dict[str, int] = {}
        for words in self.sentence_words:
            for w in words:
                counts[w] = counts.get(w, 0) + 1
        return {w: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for w, c in counts.items()}

    @cached_property
    def max_idf(self) -> float:
        """The idf a word would have if one more sentence held it once: the rarest there is."""
        n = len(self.sentences)
        return float(np.log(1 + (n - 0.5) / 1.5)) if n else 1.0

    @cached_property
    def mean_sentence_words(self) -> float:
        return max(1.0, float(np.mean([len(w) for w in self.sentence_words]))) \
            if self.sentence_words else 1.0

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every stemmed word of the paper's sentences and footnotes."""
        return frozenset().union(*self.sentence_words, *self.note_words)

    @cached_property
    def note_words(self) -> tuple[frozenset[str], ...]:
        """Stemmed content words of every footnote's text (footnotes answer too)."""
        texts = [f.text or "" for f in self.footnotes]
        return tuple(frozenset(w) for w in tokenize(texts)) if texts else ()

    @cached_property
    def name_counts(self) -> dict[str, int]:
        """Lower-cased name -> how many sentences write it (`holds`' names)."""
        counts: dict[str, int] = {}
        for unit in self.holds[:len(self.sentences)]:
            for n in {s.text.lower() for s in unit if s.type == "name"}:
                counts[n] = counts.get(n, 0) + 1
        return counts

    def name_share(self, name: str) -> float:
        """The share of the paper's sentences that write `name`."""
        return self.name_counts.get(name.lower(), 0) / max(1, len(self.sentences))

    @cached_property
    def numbers(self) -> frozenset[str]:
        """Every number written in the paper's sentences and footnotes (for abstention)."""
        from .holds import numbers_in

        return numbers_in([s.text for s in self.sentences] + [f.text for f in self.footnotes])


def tokenize(texts: list[str], stopwords: str | list[str] = "en") -> list[list[str]]:
    import bm25s

    return bm25s.tokenize(texts, lower=True, stopwords=stopwords, stemmer=stemmer(),
                          return_ids=False, show_progress=False)


_per_thread = threading.local()


def stemmer():
    """This thread's English stemmer, made once: making one costs four times what tokenising
    a question does, and a PyStemmer object must not be shared between threads."""
    made = getattr(_per_thread, "stemmer", None)
    if made is None:
        import Stemmer

        made = _per_thread.stemmer = Stemmer.Stemmer("english")
    return made


def flat_index(vecs: np.ndarray):
    import faiss

    index = faiss.IndexFlatIP(vecs.shape[1])
    index.add(vecs)
    return index


def vector_index(vecs: np.ndarray, exact_below: int = VectorConfig.exact_below,
                 target_recall: float = VectorConfig.target_recall,
                 m: int = VectorConfig.hnsw_m,
                 ef_construction: int = VectorConfig.hnsw_ef_construction):
    """Exact search below `exact_below` vectors, an HNSW graph (degree `m`) tuned to
    `target_recall` above (`config.VectorConfig`). Chosen by the growth curve
    (docs/performance.md, issue 14): at 10^6 clustered vectors HNSW answers in 1.4 ms at
    recall@10 0.980 (efSearch 128) where IVF needed nprobe 512 for 0.958 at 10-45 ms; it
    costs a slower build (24 min against 4 on two busy cores) and 17% more memory.
    `ivf_index` stays for comparison."""
    if len(vecs) < exact_below:
        return flat_index(vecs)
    return hnsw_index(vecs, target_recall, m=m, ef_construction=ef_construction)


def hnsw_index(vecs: np.ndarray, target_recall: float = VectorConfig.target_recall,
               seed: int = 0, m: int = VectorConfig.hnsw_m,
               ef_construction: int = VectorConfig.hnsw_ef_construction):
    """IndexHNSWFlat with inner product (cosine on normalised vectors). efSearch: twice the
    smallest power of two from 16 reaching `target_recall` with 100 of its own vectors as
    queries (own vectors are easier queries than questions, as for IVF's nprobe). The engine
    asks for 200 candidates, and faiss searches with max(efSearch, k)."""
    import faiss

    n, dim = vecs.shape
    index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = ef_construction
    index.add(vecs)
    queries = vecs[np.random.default_rng(seed).choice(n, min(n, 100), replace=False)]
    truth = exact_top(vecs, queries)
    ef = 16
    while ef < 1024:
        index.hnsw.efSearch = ef
        if recall_at(index.search(queries, 10)[1], truth) >= target_recall:
            break
        ef *= 2
    index.hnsw.efSearch = 2 * ef
    return index


def ivf_index(vecs: np.ndarray, target_recall: float = VectorConfig.target_recall,
              nlist: int | None = None,
              seed: int = 0):
    """IndexIVFFlat with inner product (cosine on normalised vectors), nlist about 4 sqrt(n),
    trained on at most 39 vectors a list. nprobe: twice the smallest reaching `target_recall`
    with 100 of its own vectors as queries; own vectors are easier queries than questions (on
    1,000 real passages the self-tuned nprobe gave recall@10 0.92 on real questions, twice it
    0.97; docs/performance.md)."""
    import faiss

    n, dim = vecs.shape
    nlist = nlist or max(1, min(n // 39, int(4 * np.sqrt(n))))
    rng = np.random.default_rng(seed)
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.cp.spherical = True  # unit centroids: better lists for cosine (measured, 3x10^5)
    sample = np.sort(rng.choice(n, min(n, 39 * nlist), replace=False))
    index.train(vecs[sample])
    index.add(vecs)
    queries = vecs[rng.choice(n, min(n, 100), replace=False)]
    index.nprobe = min(index.nlist, 2 * tune_nprobe(index, vecs, queries, target_recall))
    return index


def exact_top(vecs: np.ndarray, queries: np.ndarray, k: int = 10) -> np.ndarray:
    """Ids of the k largest inner products per query (ground truth), in blocks of rows."""
    best = []
    for q in np.array_split(queries, max(1, len(queries) // 32)):
        sims = q @ vecs.T
        best.append(np.argpartition(-sims, min(k, sims.shape[1] - 1), axis=1)[:, :k])
    return np.vstack(best)


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of the exact top-k ids that the approximate search returned."""
    k = truth.shape[1]
    return float(np.mean([len(set(f[:k]) & set(t)) / k for f, t in zip(found, truth,
                                                                          strict=True)]))


def tune_nprobe(index, vecs: np.ndarray, queries: np.ndarray, target: float, k: int = 10) -> int:
    """Smallest power-of-two nprobe whose recall@k on `queries` reaches `target` (or nlist)."""
    truth = exact_top(vecs, queries, k)
    nprobe = 1
    while nprobe < index.nlist:
        index.nprobe = nprobe
        if recall_at(index.search(queries, k)[1], truth) >= target:
            return nprobe
        nprobe *= 2
    return index.nlist


def is_exact(index) -> bool:
    """True for a flat index (every vector scored); False for IVF, HNSW and the like."""
    import faiss

    return isinstance(index, faiss.IndexFlat)


def describe(index) -> dict:
    """What the manifest records about the chunk vector index (the settings it was made
    with are the manifest's `vectors`)."""
    import faiss

    if isinstance(index, faiss.IndexIVF):
        return {"type": type(index).__name__, "exact": False, "nlist": int(index.nlist),
                "nprobe": int(index.nprobe), "ntotal": int(index.ntotal)}
    if isinstance(index, faiss.IndexHNSW):
        return {"type": type(index).__name__, "exact": False,
                "ef_search": int(index.hnsw.efSearch), "ntotal": int(index.ntotal)}
    return {"type": type(index).__name__, "exact": True, "ntotal": int(index.ntotal)}


def bm25_index(texts: list[str]):
    import bm25s

    if not texts:
        return None
    retriever = bm25s.BM25()
    retriever.index(tokenize(texts), show_progress=False)
    return retriever


def build(doc: Document, embedder: Embedder, config: Config, progress: bool = False,
          max_passages: int | None = None) -> IndexData:
    """The in-memory index of `doc`, cut and indexed as `config` says; InputError (one line)
    before anything is embedded when it would have more than `max_passages` passages
    (default: `ingest.guard.Limits().passages`)."""
    from ingest import InputError
    from ingest.guard import Limits

    chunks = chunk(doc, config.chunking)
    most = Limits().passages if max_passages is None else max_passages
    if len(chunks) > most:
        raise InputError(f"the paper would make {len(chunks):,} passages; the limit is "
                         f"{most:,}")
    notes = {f.number: f for f in doc.footnotes}
    v = config.vectors
    texts = [index_text(c, notes, config.index_text) for c in chunks]
    chunk_vecs = embedder.encode(texts, progress=progress)
    unit_vecs, tokens, offsets = unit_vectors(doc, embedder, progress,
                                              config.vectors.max_tokens)
    m = len(doc.sentences)
    note_vecs = unit_vecs[m:].copy()
    note_vecs[[i for i, f in enumerate(doc.footnotes) if not f.source]] = 0.0
    from .holds import spans

    holds = spans([s.text for s in doc.sentences] + [f.text or "" for f in doc.footnotes])
    return IndexData(tuple(chunks), doc.sentences, doc.footnotes, tuple(texts),
                     chunk_vecs, unit_vecs[:m].copy(), note_vecs,
                     vector_index(chunk_vecs, v.exact_below, v.target_recall, v.hnsw_m,
                                  v.hnsw_ef_construction),
                     bm25_index(texts), tokens, offsets, given_document=doc,
                     holds=tuple(holds))


def unit_vectors(doc: Document, embedder: Embedder, progress: bool = False,
                 max_tokens: int = VectorConfig.max_tokens
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectors of every sentence, then of every footnote's source, and from the same pass
    their token vectors for late interaction (a source-less footnote, or a text the model
    reads no word piece of, such as a lone private-use glyph of a typeset formula, gets one
    zero token; all empty when the paper would exceed `max_tokens`)."""
    from .late import document_pieces, pack

    texts = [s.text for s in doc.sentences] + [f.source or "" for f in doc.footnotes]
    none = (np.zeros((0, DIM), np.float32), np.zeros(1, np.int64))
    if not texts or len(texts) > max_tokens // 20:  # about 30 word pieces a sentence
        return embedder.encode(texts, progress=progress), *none
    vecs, tokens, pieces = embedder.encode_tokens(texts, progress=progress)
    kept = [t[document_pieces(p)] for t, p in zip(tokens, pieces, strict=True)]
    kept = [t if len(t) else np.zeros((1, DIM), np.float32) for t in kept]
    if sum(len(t) for t in kept) > max_tokens:
        return vecs, *none
    return vecs, *pack(kept, DIM)
