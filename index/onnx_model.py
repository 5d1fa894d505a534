"""The query model: all-MiniLM-L6-v2 exported to ONNX once, so a question needs no torch.

When an index is built, the torch model (the reference, which embeds the paper) is exported
with `torch.onnx.export` (the TorchScript exporter: it needs only the `onnx` package, no hub)
to `<models>/all-MiniLM-L6-v2-<weights hash>-opset<N>.onnx`, where `<models>` is
`$FOOTNOTED_MODELS` or `<home>/models`. One file serves every paper of a home (it is 90 MB):
it is written to a temporary name and renamed into place under a lock, and a file already
there is reused. The index's manifest records it as `query_model` (file name, sha256, the
weights it came from, opset); `check` refuses a file whose sha256 differs, so the index is
rebuilt (and the file made again) rather than answered with another model. A sha256 once
checked is remembered beside the file with its size and modification time (git's stat cache),
so a cold question does not hash 90 MB each time. When the export is impossible (no `onnx`
package, an exporter error) the record is None and questions use torch (`onnx_query`). A
build also removes the files earlier versions exported that nothing reads now (`retire`).
Leaves out running the model (`onnx_query`) and the index (`store`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import warnings
from pathlib import Path

from .embed import MODEL_NAME, weights_hash

log = logging.getLogger(__name__)
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length: sentence-transformers truncates there


def models_dir(home: Path) -> Path:
    env = os.environ.get("FOOTNOTED_MODELS")
    return Path(env).expanduser() if env else Path(home) / "models"


def file_name() -> str:
    digest = weights_hash().split(":")[-1]
    return f"{MODEL_NAME.split('/')[-1]}-{digest[:12].replace('/', '_')}-opset{OPSET}.onnx"


def ensure(home: Path, embedder) -> dict | None:
    """The record of the ONNX query model for `embedder`'s weights, exported now unless a
    sound one is there; None (and a one-line warning) when it cannot be made."""
    from filelock import FileLock

    folder = models_dir(home)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name()
        with FileLock(str(folder / ".export.lock")):
            if path.is_file() and (why := unloadable(path)):
                log.warning("the ONNX query model %s is damaged (%s); exporting it again",
                            path.name, why)
                path.unlink()
            if not path.is_file():
                export(embedder.model, path)
            sha = verified_sha(path)
            retire(folder)
    except Exception as e:  # noqa: BLE001 - any exporter failure leaves the torch path
        said = " ".join(str(e).split())[:200]
        log.warning("no ONNX query model (%s: %s); questions will use torch",
                    type(e).__name__, said)
        return None
    return {"file": path.name, "sha256": sha, "weights": weights_hash(), "opset": OPSET}


RETIRED = re.compile(r"reader-[0-9a-f]{12}-opset\d+\.onnx(\.export\.json|\.sha256\.json)?")


def retire(folder: Path) -> list[str]:
    """Removes what earlier versions exported and none reads now (the answer reader's ONNX
    files, 90 MB each, retired 7 Dec 2026); the names removed, each logged in one line."""
    gone = []
    for path in folder.iterdir():
        if RETIRED.fullmatch(path.name) and path.is_file():
            size = path.stat().st_size
            path.unlink(missing_ok=True)
            gone.append(path.name)
            log.info("removed %s (%.0f MB), which no part of footnoted reads any more",
                     path.name, size / 1e6)
    return gone


def unloadable(path: Path) -> str | None:
    """Why onnxruntime cannot load the model at `path` (one line), or None when it can: a
    build records the file's checksum, so a damaged file must not be recorded as sound."""
    import onnxruntime as ort

    try:
        ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    except Exception as e:  # noqa: BLE001 - onnxruntime's own errors have no common base
        return " ".join(str(e).split())[:160]
    return None


def export(model, path: Path) -> None:
    """Writes `model`'s transformer (token vectors out, pooling left to the caller) to
    `path`, atomically."""
    import torch

    transformer = model[0].auto_model.eval()

    class Tokens(torch.nn.Module):  # positional inputs, one output: the last hidden state
        def __init__(self) -> None:
            super().__init__()
            self.inner = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = model.tokenizer(["a question", "a longer sample sentence"], padding=True,
                             return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "token_vectors")}
    tmp = path.with_name(f".tmp-{os.getpid()}-{time.time_ns()}.onnx")
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the exporter's tracer and deprecation advice
            torch.onnx.export(Tokens(), tuple(sample[name] for name in INPUTS), str(tmp),
                              input_names=list(INPUTS), output_names=["token_vectors"],
                              dynamic_axes=axes, opset_version=OPSET, dynamo=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def verified_sha(path: Path) -> str:
    """`path`'s sha256, hashed again only when its size or modification time changed since
    it was last hashed (the stamp beside it)."""
    from .store import file_sha

    stat = path.stat()
    stamp = path.with_name(path.name + ".sha256.json")
    key = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    try:
        saved = json.loads(stamp.read_text(encoding="utf-8"))
        if isinstance(saved, dict) and {k: saved.get(k) for k in key} == key \
                and isinstance(saved.get("sha256"), str):
            return saved["sha256"]
    except (OSError, ValueError):
        pass
    sha = file_sha(path)
    tmp = stamp.with_name(f".{stamp.name}.{os.getpid()}-{time.time_ns()}")
    try:
        tmp.write_text(json.dumps(key | {"sha256": sha}), encoding="utf-8")
        os.replace(tmp, stamp)
    except OSError:  # a read-only models folder: hashed again next time
        tmp.unlink(missing_ok=True)
    return sha


def check(home: Path, record: object) -> tuple[Path | None, str | None]:
    """The query model file a manifest's record names, or None and why it cannot be used;
    (None, None) when the index was built without one."""
    if record is None:
        return None, None
    if not isinstance(record, dict) or not isinstance(record.get("file"), str) \
            or Path(record["file"]).name != record["file"]:
        return None, "the manifest's query model record is malformed"
    path = models_dir(home) / record["file"]
    if not path.is_file():
        return None, f"the ONNX query model {record['file']} is missing"
    try:
        if verified_sha(path) != record.get("sha256"):
            return None, f"the ONNX query model {record['file']} changed (checksum mismatch)"
    except OSError as e:
        return None, f"the ONNX query model is unreadable ({e.strerror or e})"
    return path, None
