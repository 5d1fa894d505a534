"""Writes the benchmark report: markdown tables, JSON, per-question results and PNG plots.

Leaves out running anything: it formats what `benchmark` measured.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

HEADLINE = ("budget_recall", "mrr@10", "ndcg@10", "recall@1", "recall@3", "recall@5",
            "recall@10", "answer_hit", "abstention_recall", "false_abstention",
            "passage_chars", "answer_chars", "latency_p50_ms", "latency_p95_ms")


def fmt(x) -> str:
    if isinstance(x, float):
        return "n/a" if math.isnan(x) else f"{x:.0f}" if abs(x) >= 100 else f"{x:.3f}"
    return str(x)


def table(rows: dict[str, dict], columns: tuple[str, ...], first: str) -> list[str]:
    out = [f"| {first} | " + " | ".join(columns) + " |",
           "|---" * (len(columns) + 1) + "|"]
    for name, summary in rows.items():
        out.append(f"| {name} | " + " | ".join(fmt(summary.get(c, "")) for c in columns) + " |")
    return out


def markdown(report: dict) -> str:
    lines = [f"# Retrieval benchmark ({report['split']} split, {report['questions']} questions)",
             "", f"Question set: `{report['set']}`. Default mode: `{report['default']}`.", "",
             "## Systems", ""]
    lines += table(report["modes"], HEADLINE, "system")
    t = report["timing"]
    lines += ["", "## Speed", "",
              f"- one bare query embedding: {t['embed_ms']:.1f} ms (median)",
              f"- warm ask p50 ({report['default']}): {t['ask_p50_ms']:.1f} ms, "
              f"{t['ask_over_embed']:.2f}x the bare embedding"]
    if t.get("batch_s"):
        lines.append(f"- `footnoted ask --batch` on {t['batch_n']} questions in a fresh process: "
                     f"{t['batch_s']:.2f} s against a floor of {t['floor_s']:.2f} s (import "
                     f"sentence-transformers, load the model, embed them): "
                     f"{t['batch_over_floor']:.2f}x")
    cols = ("questions", "budget_recall", "mrr@10", "recall@5", "answer_hit",
            "abstention_recall", "false_abstention")
    lines += ["", f"## By question type ({report['default']})", ""]
    lines += table(report["by_type"], cols, "type")
    if report.get("by_kind"):
        lines += ["", f"## By answer kind asked ({report['default']}; `index/kinds.py`)", ""]
        lines += table(report["by_kind"], cols, "kind")
    lines += ["", f"## By section ({report['default']})", ""]
    lines += table(report["by_section"], cols, "section")
    lines += ["", "## Definitions", "", "A passage is relevant to a gold quote when it holds "
              "it, as `eval/relevance.py` defines:", "", report["definitions"], "",
              "Plots: `recall_at_k.png`, `recall_by_type.png`. Per question: `results.jsonl`."]
    return "\n".join(lines) + "\n"


def plots(report: dict, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ks = (1, 3, 5, 10)
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, s in report["modes"].items():
        ax.plot(ks, [s[f"recall@{k}"] for k in ks], marker="o", label=name)
    ax.set(xlabel="k (passages)", ylabel="recall@k", title="Recall at k", ylim=(0, 1.02),
           xticks=ks)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "recall_at_k.png", dpi=120)
    plt.close(fig)
    types = list(report["by_type"])
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.bar(types, [report["by_type"][t]["budget_recall"] for t in types], color="#4c72b0")
    ax.set(ylabel="recall within 2,000 characters", ylim=(0, 1.02),
           title=f"Recall by question type ({report['default']})")
    ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    fig.savefig(out / "recall_by_type.png", dpi=120)
    plt.close(fig)


def write(report: dict, results: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(markdown(report), encoding="utf-8")
    (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    with (out / "results.jsonl").open("w", encoding="utf-8") as f:
        for row in results:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    plots(report, out)
