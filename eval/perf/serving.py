"""The server with and without micro-batching, under the same load, in one run.

    python -m eval.perf.serving [--clients 16] [--questions 400]  # also in `footnoted bench`

Starts the app three times on loopback, one after the other, over the same index:
- `before`: the server as it was before issue 14 (`--batch 1 --torch-queries`): one question
  per handler, four at once, each embedded by torch;
- `unbatched`: the same with questions embedded by the ONNX export (`--batch 1`);
- `batched`: the server as `footnoted serve` runs it (ONNX and the micro-batcher).
The single-client answers are taken once, from the first server, one question after another
with gradio_client; then each server gets the same `eval.perf.load` run (16 callers sharing 400
questions, the light standard-library caller: `eval.perf.http_ask` says why), and every loaded
answer is compared with those single-client answers. Figures: each run's throughput, latency
and errors, and the ratios of the batched server to the other two.
Leaves out the load run itself (`eval.perf.load`) and the batcher (`app.batcher`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from ..questions import write_sample
from .load import pick_questions, reference, run_load, start_server, stop_server

SETTINGS = (("before", ("--batch", "1", "--torch-queries")), ("unbatched", ("--batch", "1")),
            ("batched", ()))


def compare(home: str | None, clients: int = 16, questions: int = 400,
            timeout: float = 600, light: bool = True) -> dict:
    """Both servers under the same load; answers checked against one single-client pass."""
    asked = pick_questions(questions)
    out: dict = {"clients": clients, "requests": questions,
                 "caller": "http_ask" if light else "gradio_client"}
    ref = None
    for name, extra in SETTINGS:
        with tempfile.TemporaryDirectory(prefix="footnoted-serving-") as work:
            sample = write_sample(Path(work) / "sample.jsonl")
            proc, url = start_server(home, Path(work) / "server.log",
                                     (*extra, "--reports", str(Path(work) / "reports"),
                                      "--eval-set", str(sample)))
            try:
                if ref is None:
                    t0 = time.perf_counter()
                    ref = reference(url, asked)
                    out["single_client_pass_s"] = time.perf_counter() - t0
                out[name] = run_load(url, proc.pid, asked, clients, timeout, ref=ref,
                                     light=light)
            finally:
                stop_server(proc)
    b = out["batched"]
    for base in ("before", "unbatched"):
        out[f"throughput_over_{base}"] = b["throughput_qps"] / out[base]["throughput_qps"]
        out[f"p50_over_{base}"] = b["latency_ms"]["p50"] / out[base]["latency_ms"]["p50"]
    out["machine"] = {"cpus": os.cpu_count(), "load_average": os.getloadavg()}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.perf.serving",
                                description=__doc__.split("\n")[0])
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--questions", type=int, default=400)
    p.add_argument("--home", help="index folder for the servers")
    p.add_argument("--out", default="reports/serving.json")
    p.add_argument("--gradio-client", action="store_true",
                   help="load with gradio_client callers instead of the light one")
    args = p.parse_args(argv)
    out = compare(args.home, args.clients, args.questions, light=not args.gradio_client)
    text = json.dumps(out, indent=2)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text + "\n", encoding="utf-8")
    bad = sum(out[n]["errors"] + out[n]["differing_answers"] for n, _ in SETTINGS)
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
