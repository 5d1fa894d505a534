"""The reader's model: the adapters merged into MiniLM's weights, exported to ONNX once per
home, so reading a question beside its candidates needs no torch.

`merged(transformer, spec)` adds each adapted layer's low-rank update (scale x B @ A) to a
copy of the transformer; `export` writes the copy (first-token vectors out, the head stays in
`answers.reader`) to `<models>/reader-<weights sha256>-opset<N>.onnx` beside the query model
(`onnx_model`), atomically under a lock; a file already there is reused. `TorchReader` scores
with the merged torch model: the fallback when the export is impossible, and what learning
uses. Leaves out the weights themselves (`answers.reader`, learned by `eval.learning`).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .answers.reader import WEIGHTS, ReaderSpec, encode_pairs, head_of, tokenizer
from .onnx_model import INPUTS, OPSET, models_dir

log = logging.getLogger(__name__)


def file_name(spec: ReaderSpec) -> str:
    return f"reader-{spec.sha256[:12]}-opset{OPSET}.onnx"


def merged(transformer, spec: ReaderSpec, weights: Path = WEIGHTS):
    """A copy of `transformer` with the adapters of `weights` merged into its layers."""
    import torch

    model = copy.deepcopy(transformer).eval()
    with np.load(weights, allow_pickle=False) as f, torch.no_grad():
        for name in spec.targets:
            layer = model.get_submodule(name)
            delta = spec.scale * (f[f"{name}.B"].astype(np.float32)
                                  @ f[f"{name}.A"].astype(np.float32))
            layer.weight += torch.as_tensor(delta, dtype=layer.weight.dtype)
    return model


def first_token_module(model):
    import torch

    class First(torch.nn.Module):  # positional inputs, one output: the first token's vector
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state[:, 0]

    return First()


def export(model, path: Path) -> None:
    """Writes the merged transformer to `path` as ONNX, atomically."""
    import torch

    sample = encode_pairs(tokenizer(), "a question?", ["a sentence", "a longer sentence here"])
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS} | {"first": {0: "batch"}}
    tmp = path.with_name(f".tmp-{os.getpid()}-{time.time_ns()}.onnx")
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(first_token_module(model),
                              tuple(torch.as_tensor(sample[n]) for n in INPUTS), str(tmp),
                              input_names=list(INPUTS), output_names=["first"],
                              dynamic_axes=axes, opset_version=OPSET, dynamo=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def ensure(home: Path, transformer, spec: ReaderSpec) -> Path | None:
    """The reader's ONNX file for `spec` in `home`'s models folder, exported now unless it is
    there; None (and a one-line warning) when it cannot be made."""
    from filelock import FileLock

    folder = models_dir(home)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name(spec)
        with FileLock(str(folder / ".export.lock")):
            if not path.is_file():
                export(merged(transformer, spec), path)
                record(path)
        return path
    except Exception as e:  # noqa: BLE001 - any exporter failure leaves the torch reader
        log.warning("no ONNX reader (%s: %s); the reader will use torch", type(e).__name__,
                    " ".join(str(e).split())[:200])
        return None


def record(path: Path) -> None:
    """The exported file's checksum beside it (`<file>.export.json`), for `sound`."""
    from .onnx_model import verified_sha

    path.with_name(path.name + ".export.json").write_text(
        json.dumps({"sha256": verified_sha(path)}), encoding="utf-8")


def sound(path: Path) -> bool:
    """Whether the file is the one exported (its checksum as recorded then; hashed again only
    when its size or time changed). A damaged file is removed, to be exported again."""
    from .onnx_model import verified_sha

    try:
        saved = json.loads(path.with_name(path.name + ".export.json").read_text("utf-8"))
        if verified_sha(path) == saved.get("sha256"):
            return True
    except (OSError, ValueError, AttributeError):
        pass
    log.warning("the ONNX reader %s is damaged or unrecorded; exporting it again", path.name)
    path.unlink(missing_ok=True)
    return False


@dataclass
class TorchReader:
    """The reader run by torch: `model` a (merged) transformer, `head` its weights and bias."""

    model: object
    head: tuple[np.ndarray, float]

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        import torch

        if not texts:
            return np.zeros(0)
        inputs = {k: torch.as_tensor(v) for k, v in
                  encode_pairs(tokenizer(), question, texts).items()}
        with torch.inference_mode():
            first = self.model(**inputs).last_hidden_state[:, 0].double().numpy()
        w, b = self.head
        return first @ w + b


def torch_reader(transformer, spec: ReaderSpec, weights: Path = WEIGHTS) -> TorchReader:
    return TorchReader(merged(transformer, spec, weights), head_of(weights))
