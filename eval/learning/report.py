"""The figures of leave-one-paper-out, as the issue asks for them: each paper's row, the mean
over papers with a 95% interval, the kinds asked, and the calibration of the confidence bands.

Per paper (answerable questions unless said): recall@5, answer hit (an abstention is a miss),
source answer hit (the questions that ask for a source), abstention recall (over the
unanswerable questions) and false abstention. Intervals are percentile bootstraps (2,000
resamples, fixed seed): a paper's over its questions; the mean's by resampling the questions
within every paper and averaging the papers' figures. Calibration: of the answers each band
labelled, the share that held a gold quote; of the abstentions, the share the paper does not
answer. Leaves out producing the answers (`lopo`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..scoring import Result

RESAMPLES = 2000
SEED = 7
METRICS = ("recall@5", "answer_hit", "source_hit", "abstention_recall", "false_abstention")


def values(results: list[Result], metric: str, asks: dict[str, str]) -> np.ndarray:
    """One metric's per-question values (the questions it is defined over)."""
    ans = [r for r in results if r.answerable]
    if metric == "recall@5":
        return np.array([r.recall[5] for r in ans])
    if metric == "answer_hit":
        return np.array([bool(r.answer_hit) and not r.abstained for r in ans], float)
    if metric == "source_hit":
        return np.array([bool(r.answer_hit) and not r.abstained for r in ans
                         if asks.get(r.qid) == "source"], float)
    if metric == "abstention_recall":
        return np.array([r.abstained for r in results if not r.answerable], float)
    return np.array([r.abstained for r in ans], float)


def interval(x: np.ndarray, rng: np.random.Generator) -> tuple[float, float]:
    if not len(x):
        return (float("nan"), float("nan"))
    means = x[rng.integers(0, len(x), (RESAMPLES, len(x)))].mean(axis=1)
    return float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


def mean_interval(groups: list[np.ndarray], rng: np.random.Generator) -> tuple[float, float]:
    """The interval of the mean over papers, resampling questions within each paper."""
    groups = [g for g in groups if len(g)]
    if not groups:
        return (float("nan"), float("nan"))
    draws = np.mean([g[rng.integers(0, len(g), (RESAMPLES, len(g)))].mean(axis=1)
                     for g in groups], axis=0)
    return float(np.quantile(draws, 0.025)), float(np.quantile(draws, 0.975))


def figures(per_paper: dict[str, list[Result]], asks: dict[str, str]) -> dict:
    """{metric: {"papers": {slug: (value, low, high, n)}, "mean": (value, low, high)}}."""
    rng = np.random.default_rng(SEED)
    out = {}
    for metric in METRICS:
        rows, groups = {}, []
        for slug, results in per_paper.items():
            x = values(results, metric, asks)
            groups.append(x)
            rows[slug] = (float(x.mean()) if len(x) else float("nan"), *interval(x, rng), len(x))
        means = [v[0] for v in rows.values() if v[3]]
        out[metric] = {"papers": rows, "mean": (float(np.mean(means)) if means else
                                                 float("nan"), *mean_interval(groups, rng))}
    return out


def calibration(per_paper: dict[str, list[Result]]) -> dict:
    """Per band: answers (count, share right) and abstentions (count, share right)."""
    out = {}
    for band in ("high", "medium", "low"):
        rs = [r for results in per_paper.values() for r in results if r.confidence == band]
        answered = [r for r in rs if not r.abstained]
        silent = [r for r in rs if r.abstained]
        out[band] = {
            "answers": len(answered),
            "answers_right": float(np.mean([bool(r.answerable and r.answer_hit)
                                            for r in answered])) if answered else None,
            "abstentions": len(silent),
            "abstentions_right": float(np.mean([not r.answerable for r in silent]))
            if silent else None}
    return out


def by_kind(per_paper: dict[str, list[Result]], asks: dict[str, str]) -> dict:
    """Per kind asked (the label): answerable count and answer hit, unanswerable count and
    abstention recall."""
    out: dict[str, dict] = {}
    for results in per_paper.values():
        for r in results:
            row = out.setdefault(asks.get(r.qid, "?"), {"answerable": 0, "hit": 0,
                                                         "unanswerable": 0, "abstained": 0})
            if r.answerable:
                row["answerable"] += 1
                row["hit"] += int(bool(r.answer_hit) and not r.abstained)
            else:
                row["unanswerable"] += 1
                row["abstained"] += int(r.abstained)
    return dict(sorted(out.items()))


def replace_section(path: Path, head: str, lines: list[str]) -> None:
    """Writes `lines` (opening with `head`, a "## " heading) as that section of the notes at
    `path`: in place of the old one, or at the end; the other sections are kept."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if head in text:
        start = text.index(head)
        end = text.find("\n## ", start + len(head))
        text = text[:start] + (text[end + 1:] if end >= 0 else "")
    path.write_text(text.rstrip() + "\n\n" + "\n".join(lines).rstrip() + "\n",
                    encoding="utf-8")


def fmt(v: tuple) -> str:
    value, low, high = v[:3]
    if value != value:  # nan
        return "-"
    return f"{value:.3f} [{low:.2f}, {high:.2f}]"


def markdown(fig: dict, cal: dict, kinds: dict, title: str) -> list[str]:
    slugs = list(fig["answer_hit"]["papers"])
    head = ["recall@5", "answer hit", "source answer hit", "abstention recall",
            "false abstention"]
    lines = [f"### {title}", "", "| paper | " + " | ".join(head) + " |",
             "|---|" + "---|" * len(head)]
    for slug in slugs:
        cells = [f"{fmt(fig[m]['papers'][slug])} ({fig[m]['papers'][slug][3]})"
                 for m in METRICS]
        lines.append(f"| {slug} | " + " | ".join(cells) + " |")
    lines.append("| **mean over papers** | " + " | ".join(f"**{fmt(fig[m]['mean'])}**"
                                                     for m in METRICS) + " |")
    if "answer_chars" in fig:
        lines += ["", f"Answers given average {fig['answer_chars']:.0f} characters."]
    lines += ["", "Calibration (left-out papers): share right in each band.", "",
              "| band | answers | right | abstentions | right |", "|---|---|---|---|---|"]
    for band, row in cal.items():
        a = "-" if row["answers_right"] is None else f"{row['answers_right']:.3f}"
        b = "-" if row["abstentions_right"] is None else f"{row['abstentions_right']:.3f}"
        lines.append(f"| {band} | {row['answers']} | {a} | {row['abstentions']} | {b} |")
    lines += ["", "By the kind asked (labels):", "",
              "| asks | answerable | answer hit | unanswerable | abstained |",
              "|---|---|---|---|---|"]
    for kind, row in kinds.items():
        hit = f"{row['hit'] / row['answerable']:.3f}" if row["answerable"] else "-"
        ab = f"{row['abstained'] / row['unanswerable']:.3f}" if row["unanswerable"] else "-"
        lines.append(f"| {kind} | {row['answerable']} | {hit} | {row['unanswerable']} | {ab} |")
    return lines + [""]
