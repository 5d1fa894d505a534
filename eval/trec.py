"""Writes a benchmark's judgements and runs as TREC files, so trec_eval, ir_measures or ranx
give the figures footnoted reports.

footnoted judges passages by gold quotes, not by passage ids (`relevance`), so the files are
written in terms of the quotes: the qrels name one document per gold quote (`q001/g0`, ...,
relevance 1), and at each rank a run names the first gold quote that passage is the first to
hold (`q001/g0`), or else the passage's own id (judged non-relevant). Scores fall with rank
(`CUTOFF + 1 - rank`), since trec_eval ranks by score. Then R@k, RR@10 and nDCG@10 equal
footnoted's recall@k, MRR@10 and nDCG@10 question by question; unanswerable questions have
no qrels, and trec_eval leaves them out as footnoted does. The one case they cannot agree on:
a passage that is the first to hold two gold quotes at once counts two for footnoted's recall
and one for TREC's; `export` counts those and the README in the folder says so. A system
that retrieved nothing for a question writes no line for it: use `trec_eval -c`.
Leaves out reading TREC runs (`runs`).
"""

from __future__ import annotations

from pathlib import Path

from .runs import slug
from .scoring import CUTOFF, Result

MEASURES = {"recall@1": "R@1", "recall@3": "R@3", "recall@5": "R@5", "recall@10": "R@10",
            "mrr@10": "RR@10", "ndcg@10": "nDCG@10"}


def qrels_lines(questions) -> list[str]:
    return [f"{q.id} 0 {q.id}/g{i} 1" for q in questions for i in range(len(q.gold))]


def run_lines(results: list[Result], tag: str) -> tuple[list[str], int]:
    """The TREC lines of one system, and how many ranks held two new gold quotes at once."""
    lines, doubles = [], 0
    for r in results:
        seen: set[int] = set()
        used: set[str] = set()
        for rank, (pid, covered) in enumerate(zip(r.passages, r.covered, strict=True), start=1):
            new = sorted(set(covered) - seen)
            seen.update(covered)
            doubles += len(new) > 1
            doc = f"{r.qid}/g{new[0]}" if new else pid
            if doc in used or not doc or any(c.isspace() for c in doc):
                doc = f"{r.qid}/r{rank}"  # ids must be unique and have no spaces
            used.add(doc)
            lines.append(f"{r.qid} Q0 {doc} {rank} {CUTOFF + 1 - rank} {tag}")
    return lines, doubles


def export(results_by_system: dict[str, list[Result]], questions, folder: Path) -> dict:
    """Writes `qrels.txt`, `run.<system>.txt` for every system and a README; returns what
    it wrote and the double-gold counts."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "qrels.txt").write_text("\n".join(qrels_lines(questions)) + "\n",
                                      encoding="utf-8")
    written, doubles = {}, {}
    for system, results in results_by_system.items():
        name = f"run.{slug(system)}.txt"
        lines, doubles[system] = run_lines(results, slug(system))
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        written[system] = name
    notes = [f"- {s}: {n} rank(s) held two new gold quotes at once; TREC recall is lower "
             "there" for s, n in doubles.items() if n]
    (folder / "README.md").write_text("\n".join([
        "# footnoted's benchmark as TREC files", "",
        "`qrels.txt` names one document per gold quote (`QID/gN`); each `run.*.txt` names, at",
        "each rank, the gold quote that passage is the first to hold, else the passage id.",
        "Measures that give footnoted's figures (ir_measures names): "
        + ", ".join(f"{k} = {v}" for k, v in MEASURES.items()) + ".", "",
        "    trec_eval -c -m recall.1,3,5,10 -m recip_rank -m ndcg_cut.10 qrels.txt RUN",
        "    ir_measures qrels.txt RUN 'R@5 RR@10 nDCG@10'", "",
        *(notes or ["No rank held two new gold quotes at once: every figure matches."]),
        ""]), encoding="utf-8")
    return {"folder": str(folder), "qrels": "qrels.txt", "runs": written, "doubles": doubles}
