"""A paper embedded with the exported ONNX model: `footnoted add` without torch.

`OnnxEmbedder(runner)` offers what `build` asks of `embed.Embedder` (`encode`,
`encode_tokens`), from the model `onnx_model` exported from the torch reference, run by
`onnx_query.OnnxQuery`. Texts are embedded in batches of similar length (sorted by length,
as sentence-transformers does, so little is padded) and given back in their own order.
`for_home(home)` gives one when the home's model file is already there and onnxruntime can
run, else None: the caller then embeds with torch, which also exports the model. Agreement
with the torch model is a test (cosine >= 0.9999 on every text of the bundled paper, and the
same passages, answers and abstentions on every question of the set). Only `library.add`
uses it: the bundled paper and a `--paper` path are still embedded by the torch reference.
Leaves out exporting (`onnx_model`) and the question path (`onnx_query`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embed import DIM
from .onnx_query import OnnxQuery

log = logging.getLogger(__name__)
BATCH = 32


@dataclass(frozen=True)
class OnnxEmbedder:
    """Encodes texts with `runner`, `batch_size` texts of similar length at a time."""

    runner: OnnxQuery
    batch_size: int = BATCH

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self.encode_tokens(texts, progress)[0]

    def encode_tokens(self, texts: list[str], progress: bool = False
                      ) -> tuple[np.ndarray, list[np.ndarray], list[list[str]]]:
        """As `Embedder.encode_tokens`: normalised text vectors, and per text its normalised
        token vectors and word pieces."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32), [], []
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vecs = np.zeros((len(texts), DIM), dtype=np.float32)
        tokens: list = [None] * len(texts)
        pieces: list = [None] * len(texts)
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            v, t, p = self.runner.encode_tokens([texts[i] for i in rows])
            vecs[rows] = v
            for i, tok, piece in zip(rows, t, p, strict=True):
                tokens[i], pieces[i] = tok, piece
        return vecs, tokens, pieces


def for_home(home: Path) -> OnnxEmbedder | None:
    """The ONNX embedder for papers added to `home`, when its exported model is there and
    onnxruntime can run it; None otherwise (the torch model embeds, and exports it)."""
    from .onnx_model import file_name, models_dir
    from .onnx_query import available

    path = models_dir(home) / file_name()
    if available() is not None or not path.is_file():
        return None
    return OnnxEmbedder(OnnxQuery(path, threads=0))  # 0: onnxruntime's default, every core


def loaded(docs: OnnxEmbedder) -> OnnxEmbedder | None:
    """`docs` with its model loaded, or None (and a one-line notice) when it cannot load."""
    try:
        docs.runner.load()
    except Exception as e:  # noqa: BLE001 - a damaged file: torch embeds instead
        said = " ".join(str(e).split())[:200]
        log.warning("the ONNX model cannot embed this paper (%s: %s); using torch",
                    type(e).__name__, said)
        return None
    return docs
