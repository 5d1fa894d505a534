"""The benchmark's plots as PNG files: recall at k, means with 95% intervals, recall by type,
and a sweep's metrics against the swept value.

Matplotlib with the Agg backend, chosen here, at the edge where the files are written.
Leaves out computing anything (`stats`, `scoring`).
"""

from __future__ import annotations

import math
from pathlib import Path

KS = (1, 3, 5, 10)
FOREST = ("budget_recall", "mrr@10", "ndcg@10", "recall@5", "answer_hit")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _errors(ivs: list[list]) -> tuple[list[float], list[list[float]]]:
    """Means and matplotlib's [below, above] error lengths from [mean, low, high, n] rows."""
    means = [iv[0] for iv in ivs]
    below = [0.0 if math.isnan(iv[1]) else iv[0] - iv[1] for iv in ivs]
    above = [0.0 if math.isnan(iv[2]) else iv[2] - iv[0] for iv in ivs]
    return means, [below, above]


def recall_at_k(report: dict, path: Path) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    intervals = report["stats"]["intervals"]
    names = list(report["modes"])
    for i, name in enumerate(names):
        ivs = [intervals[name][f"recall@{k}"] for k in KS]
        means, err = _errors(ivs)
        shift = (i - (len(names) - 1) / 2) * 0.08  # side by side, so the bars do not hide
        xs = [k + shift for k in KS]
        ax.errorbar(xs, means, yerr=err, marker="o", capsize=3, label=name)
    ax.set(xlabel="k (passages)", ylabel="recall@k (95% interval)", title="Recall at k",
           ylim=(0, 1.02), xticks=KS)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def forest(report: dict, path: Path) -> None:
    """Each system's means with their 95% intervals, a panel per metric."""
    plt = _pyplot()
    intervals = report["stats"]["intervals"]
    names = list(intervals)
    fig, axes = plt.subplots(1, len(FOREST), figsize=(2.4 * len(FOREST), 0.5 * len(names) + 1.6),
                             sharey=True)
    for ax, metric in zip(axes, FOREST, strict=True):
        ivs = [intervals[n].get(metric, [math.nan] * 3 + [0]) for n in names]
        means, err = _errors(ivs)
        ax.errorbar(means, range(len(names)), xerr=err, fmt="o", capsize=3)
        ax.set(title=metric, xlim=(0, 1.02))
        ax.grid(alpha=0.3)
    axes[0].set_yticks(range(len(names)), names)
    axes[0].invert_yaxis()
    fig.suptitle(f"Means with 95% intervals ({report['questions']} questions)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def by_type(report: dict, path: Path) -> None:
    plt = _pyplot()
    types = list(report.get("by_type") or {})
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.bar(types, [report["by_type"][t]["budget_recall"] for t in types], color="#4c72b0")
    ax.set(ylabel="recall within 2,000 characters", ylim=(0, 1.02),
           title=f"Recall by question type ({report.get('first', report['default'])})")
    ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plots(report: dict, out: Path) -> None:
    recall_at_k(report, out / "recall_at_k.png")
    forest(report, out / "intervals.png")
    by_type(report, out / "recall_by_type.png")


def sweep_plot(result: dict, path: Path) -> None:
    """The swept value against each metric's mean and interval."""
    plt = _pyplot()
    labels = result["values"]
    raw = result["raw"]
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)
    order = sorted(range(len(raw)), key=lambda i: raw[i]) if numeric else list(range(len(raw)))
    xs = [raw[i] for i in order] if numeric else list(range(len(raw)))
    fig, ax = plt.subplots(figsize=(7, 4))
    for metric in ("budget_recall", "mrr@10", "ndcg@10", "recall@5", "answer_hit"):
        ivs = [result["stats"]["intervals"][labels[i]][metric] for i in order]
        means, err = _errors(ivs)
        ax.errorbar(xs, means, yerr=err, marker="o", capsize=3, label=metric)
    if not numeric:
        ax.set_xticks(xs, [labels[i] for i in order], rotation=20)
    ax.set(xlabel=result["setting"], ylabel="mean (95% interval)", ylim=(0, 1.02),
           title=f"Sweep of {result['setting']} ({result['questions']} dev questions)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
