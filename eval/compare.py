"""Two systems, question by question: wins, ties and losses per metric, and what changed.

`compare(a, b, questions, runs)` takes the two systems' results (`scoring.Result`, aligned by
question id) and, for the questions where any metric differs, which system did better on
each such metric and what each retrieved there: its first passages (id, the start of the
text, whether it is relevant), the rank of the first relevant one, and its answer.
Leaves out significance (`stats`) and formatting (`report`). No I/O.
"""

from __future__ import annotations

from .runs import Run
from .scoring import METRICS, Result, values

SHOWN = 3  # passages shown per system for a changed question
PREVIEW = 160  # characters of each


def tally(a: dict[str, float], b: dict[str, float]) -> dict[str, int]:
    """Wins, ties and losses of a against b over the questions both have a value for."""
    common = [q for q in a if q in b]
    wins = sum(a[q] > b[q] for q in common)
    losses = sum(a[q] < b[q] for q in common)
    return {"wins": wins, "ties": len(common) - wins - losses, "losses": losses,
            "n": len(common)}


def side(r: Result, run: Run | None) -> dict:
    """What one system retrieved and answered for one question."""
    texts = {p.id: p.text for p in run.entry(r.qid).passages} if run else {}
    shown = [{"id": pid, "text": " ".join(texts.get(pid, "").split())[:PREVIEW],
              "relevant": bool(cov)}
             for pid, cov in list(zip(r.passages, r.covered, strict=True))[:SHOWN]]
    return {"first_relevant": r.first_relevant, "budget_recall": r.budget_recall,
            "rr": r.rr, "answer": r.answer, "abstained": r.abstained,
            "answer_hit": r.answer_hit, "passages": shown}


def compare(a: list[Result], b: list[Result], questions: dict[str, str],
            runs: dict[str, Run] | None = None) -> dict:
    """Wins/ties/losses of a against b for every metric, and the changed questions.
    `questions` maps question ids to their text."""
    if not a or not b:
        raise ValueError("expected results for both systems")
    name_a, name_b = a[0].system, b[0].system
    runs = runs or {}
    metrics = {m: tally(values(a, m), values(b, m)) for m in METRICS}
    per_a = {m: values(a, m) for m in METRICS}
    per_b = {m: values(b, m) for m in METRICS}
    by_b = {r.qid: r for r in b}
    changed = []
    for ra in a:
        rb = by_b.get(ra.qid)
        if rb is None:
            continue
        moved = [m for m in METRICS if ra.qid in per_a[m] and ra.qid in per_b[m]
                 and per_a[m][ra.qid] != per_b[m][ra.qid]]
        if moved:
            better = {m: name_a if per_a[m][ra.qid] > per_b[m][ra.qid] else name_b
                      for m in moved}
            changed.append({"qid": ra.qid, "question": questions.get(ra.qid, ""),
                            "type": ra.type, "split": ra.split, "metrics": moved,
                            "better": better,
                            "a": side(ra, runs.get(name_a)), "b": side(rb, runs.get(name_b))})
    return {"a": name_a, "b": name_b, "metrics": metrics, "changed": changed}
