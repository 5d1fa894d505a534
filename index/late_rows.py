"""A question's word pieces against some rows of a paper's saved token vectors, read where they
lie: the float16 file, memory-mapped, never converted whole.

    sims = similarities(qtok, data.token_vecs, rows)    # (pieces, len(rows)), float32

A library question matches words late only in its first ranking's best chunks (`across`), a
tenth to a fifth of eight papers' tokens. numpy turns float16 into float32 one value at a time
(about 2.5 ns a value here: 9 ms for 9,000 rows of 384), more than the product itself costs;
onnxruntime gathers the rows, widens them with the processor's half-precision instructions and
multiplies in one call (0.4 ms for 2,750 of a paper's 15,000 rows, against 1.7 ms in numpy).
The graph is three operators (Gather, Cast, Gemm), shipped as `late_rows.onnx` (made by
`write()`; a test checks the file is what `graph()` makes), because importing onnx to make it
costs 0.6 s; one session a process, on one thread like the query model's (`onnx_query`).
float16 to float32 is exact, so the two ways agree to the order of the sums (about 1e-6).
Without onnxruntime, or for float32 rows (an index built in this process), numpy does it.
Leaves out which rows (`search.late_of`).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

FILE = Path(__file__).with_name("late_rows.onnx")
_made: dict[str, object] = {}
_lock = threading.Lock()


def similarities(qtok: np.ndarray, tokens: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """qtok (pieces, d) against tokens[rows] (d wide): (pieces, len(rows)) cosines, float32."""
    rows = np.asarray(rows, dtype=np.int64)
    if tokens.dtype == np.float16 and len(rows):
        session = _session()
        if session is not None:
            return session.run(None, {"tokens": np.asarray(tokens), "rows": rows,
                                      "question": np.ascontiguousarray(qtok, np.float32)})[0]
    return np.ascontiguousarray(qtok, np.float32) @ np.asarray(tokens[rows], np.float32).T


def _session():
    """The process's gather-widen-multiply session, made once; None without onnxruntime
    (or without its file)."""
    with _lock:
        if "session" not in _made:
            _made["session"] = _load()
        return _made["session"]


def _load():
    try:
        import onnxruntime as ort

        model = FILE.read_bytes()
    except (ImportError, OSError):
        return None
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def graph():
    """The model `late_rows.onnx` holds (needs the onnx package)."""
    from onnx import TensorProto, helper

    value = helper.make_tensor_value_info
    g = helper.make_graph(
        [helper.make_node("Gather", ["tokens", "rows"], ["picked"], axis=0),
         helper.make_node("Cast", ["picked"], ["wide"], to=TensorProto.FLOAT),
         helper.make_node("Gemm", ["question", "wide"], ["sims"], transB=1)],
        "late_rows",
        [value("tokens", TensorProto.FLOAT16, ["tokens", "dim"]),
         value("rows", TensorProto.INT64, ["rows"]),
         value("question", TensorProto.FLOAT, ["pieces", "dim"])],
        [value("sims", TensorProto.FLOAT, ["pieces", "rows"])])
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # read by every onnxruntime this project supports
    return model


def write() -> None:
    """Makes `late_rows.onnx` anew (after a change to `graph`)."""
    FILE.write_bytes(graph().SerializeToString())
