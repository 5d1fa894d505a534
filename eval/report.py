"""Writes the benchmark report: markdown tables, JSON, per-question results, runs and plots.

`markdown(report)` and its tables (`table`, `interval_table`, `pairs_table`, `compare_lines`)
are pure and shared with the app's Evaluation explorer; `write` puts the files in a folder:
report.md, report.json, results.jsonl, questions.jsonl, runs/<system>.jsonl and the plots
(`plots`). Leaves out running anything: it formats what `benchmark` measured.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

HEADLINE = ("budget_recall", "mrr@10", "ndcg@10", "recall@1", "recall@3", "recall@5",
            "recall@10", "answer_hit", "abstention_recall", "false_abstention",
            "passage_chars", "answer_chars", "latency_p50_ms", "latency_p95_ms")
QUALITY = ("budget_recall", "mrr@10", "ndcg@10", "recall@5", "answer_hit", "abstention_recall",
           "false_abstention")
PLOTS = ("recall_at_k.png", "intervals.png", "recall_by_type.png")
SIG = "\u2731"  # the mark of a significant difference


_MD = re.compile(r"([\\`*_\[\]<>|!~#])")


def md(text: object) -> str:
    """Text from a question set or a run file, safe inside markdown: its markup characters
    escaped and its lines joined (a question cannot add a link, an image or a table row)."""
    return _MD.sub(r"\\\1", " ".join(str(text).split()))


def fmt(x) -> str:
    if isinstance(x, float):
        return "n/a" if math.isnan(x) else f"{x:.0f}" if abs(x) >= 100 else f"{x:.3f}"
    return str(x)


def table(rows: dict[str, dict], columns: tuple[str, ...], first: str) -> list[str]:
    out = [f"| {first} | " + " | ".join(columns) + " |",
           "|---" * (len(columns) + 1) + "|"]
    for name, summary in rows.items():
        out.append(f"| {md(name)} | " + " | ".join(fmt(summary.get(c, "")) for c in columns)
                   + " |")
    return out


def with_interval(iv: list) -> str:
    mean, low, high, n = iv
    if n == 0 or math.isnan(mean):
        return "n/a"
    return f"{mean:.3f} [{low:.3f}, {high:.3f}]"


def rests_on(stats: dict) -> str:
    """How many questions the intervals rest on, metric by metric where they differ."""
    counts: dict[int, list[str]] = {}
    first = next(iter(stats["intervals"].values()), {})
    for m in QUALITY:
        if m in first:
            counts.setdefault(first[m][3], []).append(m)
    return "; ".join(f"{n} question{'' if n == 1 else 's'} for {', '.join(ms)}"
                     for n, ms in counts.items())


def interval_table(stats: dict) -> list[str]:
    """Means with their 95% intervals, a row per system."""
    cols = [m for m in QUALITY if any(m in per for per in stats["intervals"].values())]
    out = ["| system | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, per in stats["intervals"].items():
        out.append(f"| {md(name)} | " + " | ".join(with_interval(per[m]) if m in per else "n/a"
                                               for m in cols) + " |")
    return out


def pairs_table(stats: dict, metrics: tuple[str, ...] = QUALITY) -> list[str]:
    """Every pair's paired difference, interval and p-values; significant ones marked."""
    out = ["| metric | a \u2212 b | difference [95% interval] | p | p (Holm) | questions | |",
           "|---|---|---|---|---|---|---|"]
    for p in stats["pairs"]:
        if p["metric"] not in metrics:
            continue
        if p["n"] == 0:
            diff, pv, ph = "n/a", "n/a", "n/a"
        else:
            diff = f"{p['diff']:+.3f} [{p['low']:+.3f}, {p['high']:+.3f}]"
            pv, ph = f"{p['p']:.4f}", f"{p['p_holm']:.4f}"
        mark = f"{SIG} significant" if p.get("significant") else ""
        out.append(f"| {p['metric']} | {md(p['a'])} \u2212 {md(p['b'])} | {diff} | {pv} | {ph} | "
                   f"{p['n']} | {mark} |")
    return out


def compare_lines(comp: dict, limit: int = 20) -> list[str]:
    a, b = comp["a"], comp["b"]
    out = [f"## {md(a)} against {md(b)}, question by question", "",
           f"Wins, ties and losses of **{md(a)}** against **{md(b)}**:", "",
           "| metric | wins | ties | losses | questions |", "|---|---|---|---|---|"]
    for m, t in comp["metrics"].items():
        out.append(f"| {m} | {t['wins']} | {t['ties']} | {t['losses']} | {t['n']} |")
    changed = comp["changed"]
    out += ["", f"{len(changed)} questions changed"
            + (f" (the first {limit} below; all in report.json)" if len(changed) > limit else "")
            + ":", ""]
    for c in changed[:limit]:
        wins = {n: [m for m, w in c["better"].items() if w == n] for n in (a, b)}
        said = "; ".join(f"{md(n)} better on {', '.join(ms)}" for n, ms in wins.items() if ms)
        out.append(f"- **{md(c['qid'])}** ({md(c['type'])}) {md(c['question'])} \u2014 {said}")
        for name, s in ((a, c["a"]), (b, c["b"])):
            ids = ", ".join(md(p["id"]) + ("\\*" if p["relevant"] else "")
                            for p in s["passages"])
            out.append(f"  - {md(name)}: first relevant rank {s['first_relevant'] or 'none'}; "
                       f"top passages {ids or 'none'}")
    return out


def speed_lines(report: dict) -> list[str]:
    t = report.get("timing") or {}
    if not t.get("embed_ms"):
        return []
    lines = ["", "## Speed", "", f"- one bare query embedding: {t['embed_ms']:.1f} ms (median)",
             f"- warm ask p50 ({report['default']}): {t['ask_p50_ms']:.1f} ms, "
             f"{t['ask_over_embed']:.2f}x the bare embedding"]
    if t.get("batch_s"):
        lines.append(f"- `footnoted ask --batch` on {t['batch_n']} questions in a fresh process: "
                     f"{t['batch_s']:.2f} s against a floor of {t['floor_s']:.2f} s (import "
                     f"sentence-transformers, load the model, embed them): "
                     f"{t['batch_over_floor']:.2f}x")
    return lines


def markdown(report: dict) -> str:
    stats = report["stats"]
    lines = [f"# Retrieval benchmark ({report['split']} split, {report['questions']} questions)",
             "", f"Question set: {md(report['set'])}. Systems: "
             + "; ".join(f"{md(n)} ({md(src)})" for n, src in report["systems"].items()) + ".",
             "",
             "## Systems", ""]
    lines += table(report["modes"], HEADLINE, "system")
    lines += ["", "## Means with 95% intervals", "", f"Resting on {rests_on(stats)}.", ""]
    lines += interval_table(stats)
    lines += ["", "## Pairwise differences", "", f"{stats['method']}. {SIG} marks a "
              "significant difference.", ""]
    lines += pairs_table(stats)
    if report.get("compare"):
        lines += ["", *compare_lines(report["compare"])]
    lines += speed_lines(report)
    first = report.get("first", report["default"])
    cols = ("questions", "budget_recall", "mrr@10", "recall@5", "answer_hit",
            "abstention_recall", "false_abstention")
    for key, title in (("by_type", "question type"),
                       ("by_kind", "answer kind asked"), ("by_section", "section")):
        if report.get(key):
            note = "; `index/kinds.py`" if key == "by_kind" else ""
            lines += ["", f"## By {title} ({md(first)}{note})", ""]
            lines += table(report[key], cols, title.split()[-1] if key != "by_kind" else "kind")
    lines += ["", "## Definitions", "", "A passage is relevant to a gold quote when it holds "
              "it, as `eval/relevance.py` defines:", "", report["definitions"], "",
              "Plots: " + ", ".join(f"`{p}`" for p in PLOTS) + ". Per question: "
              "`results.jsonl`; what each system retrieved: `runs/`."]
    return "\n".join(lines) + "\n"


def write(report: dict, results: list[dict], out: Path, runs: dict | None = None,
          questions=()) -> None:
    """The report's files in `out` (created); `runs` maps systems to `runs.Run`s to save,
    `questions` are the scored questions (questions.jsonl, for the app's explorer)."""
    from dataclasses import asdict

    from .plots import plots
    from .runs import save_run, slug

    out.mkdir(parents=True, exist_ok=True)
    if questions:
        with (out / "questions.jsonl").open("w", encoding="utf-8") as f:
            for q in questions:
                row = {k: v for k, v in asdict(q).items() if k != "line"}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    (out / "report.md").write_text(markdown(report), encoding="utf-8")
    (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    with (out / "results.jsonl").open("w", encoding="utf-8") as f:
        for row in results:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    for name, run in (runs or {}).items():
        save_run(run, out / "runs" / f"{slug(name)}.jsonl")
    plots(report, out)
