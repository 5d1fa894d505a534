"""Writes a sweep's table and plot: sweep.md, sweep.json and sweep.png in the report folder.

Leaves out running the sweep (`sweep`).
"""

from __future__ import annotations

import json
from pathlib import Path

from .report import SIG, with_interval
from .sweep import SHOWN


def sweep_markdown(result: dict) -> str:
    stats = result["stats"]
    cur = result["current"]
    lines = [f"# Sweep of `{result['setting']}` ({result['mode']}, dev split, "
             f"{result['questions']} questions)", "",
             f"Each value is a new engine over the same index; the current setting is "
             f"`{cur}`. Means with 95% intervals:", "",
             "| value | " + " | ".join(SHOWN) + " |", "|---" * (len(SHOWN) + 1) + "|"]
    for label in result["values"]:
        name = f"**{label}** (current)" if label == cur else label
        lines.append(f"| {name} | " + " | ".join(with_interval(stats["intervals"][label][m])
                                                 for m in SHOWN) + " |")
    lines += ["", f"Against the current setting ({stats['method']}; Holm over the other "
              f"values, metric by metric). {SIG} marks a significant difference:", "",
              "| value | metric | difference [95% interval] | p (Holm) |", "|---|---|---|---|"]
    for p in stats["pairs"]:
        if p["n"] == 0:
            continue
        mark = f" {SIG}" if p["significant"] else ""
        lines.append(f"| {p['b']} | {p['metric']} | {p['b']} \u2212 {p['a']}: "
                     f"{-p['diff']:+.3f} [{-p['high']:+.3f}, {-p['low']:+.3f}] | "
                     f"{p['p_holm']:.4f}{mark} |")
    lines += ["", "Plot: `sweep.png`. The test split is not read by a sweep."]
    return "\n".join(lines) + "\n"


def write_sweep(result: dict, out: Path) -> str:
    from .plots import sweep_plot

    out.mkdir(parents=True, exist_ok=True)
    md = sweep_markdown(result)
    (out / "sweep.md").write_text(md, encoding="utf-8")
    (out / "sweep.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    sweep_plot(result, out / "sweep.png")
    return md
