"""`python -m eval.across [--home DIR] [--out DIR]`: asking the whole library against asking
the right paper alone, on the corpus papers' questions.

The corpus papers (the bundled one, the learning papers and the test paper, which joins only
as a paper to be searched: its questions are not asked) form one library. Every learning
paper's question is asked twice at k = 10: of its own paper alone (`Engine.ask`), and of the
whole library (`collection.Collection.ask`). Both are scored by the same gold quotes
(`scoring`); in the library's ranking a passage of another paper covers no gold quote, so
recall counts only the right paper's passages where they rank among all. Written to
`<out>/quality.json` and `<out>/quality.md`: per paper and the mean over papers, recall@5,
MRR@10, answer hit, abstention recall and false abstention, alone and asked of the library,
and where the right paper's passages went. The answer models are the shipped ones, learned
on these papers: the figures are in sample for both ways of asking, and what is compared is
the difference. Leaves out the merging itself (`index.across`).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

METRICS = ("recall@5", "mrr@10", "answer_hit", "abstention_recall", "false_abstention")


def library(home: Path, route: int | None = None):
    """(engines by slug, the collection over them all, questions by slug)."""
    from corpus import papers, test_papers
    from index import open_engine
    from index.collection import Collection
    from index.records import PaperRef
    from ingest.questions import read_questions

    every = [*papers(), *test_papers()]
    first = open_engine(every[0].path, home)
    engines = {every[0].slug: first}

    def open_one(slug: str):
        if slug not in engines:
            paper = next(p for p in every if p.slug == slug)
            engines[slug] = open_engine(paper.path, home, embedder=first.embedder,
                                        models=first.models)
        return engines[slug]

    for p in every:
        open_one(p.slug)
    refs = {p.slug: PaperRef(p.slug, p.provenance.get("title") or p.slug,
                             tuple(p.provenance.get("authors") or ()), p.provenance.get("year"))
            for p in every}
    config = first.config
    if route is not None:  # fewer papers searched in full than the library holds
        from dataclasses import replace

        config = replace(config, library=replace(config.library, route=route))
    together = Collection(home, tuple(p.slug for p in every), open_one, config, refs=refs)
    asked = {p.slug: read_questions(p.questions)[0] for p in papers()}
    return engines, together, asked


def own_only(answer, slug: str):
    """The answer's entry with other papers' passages kept in place but emptied: they hold
    no gold quote of this paper's question."""
    from dataclasses import replace

    return replace(answer, passages=tuple(
        p if p.paper in (None, slug) else replace(p, text="", footnotes=())
        for p in answer.passages))


def run(home: Path, route: int | None = None) -> dict:
    from .runs import from_answer
    from .scoring import score, summarize

    engines, together, asked = library(home, route)
    out: dict = {"papers": {}, "searched": list(together.names),
                 "route": together.config.library.route}
    for slug, questions in asked.items():
        alone, joined, places = [], [], []
        for q in questions:
            t0 = time.perf_counter()
            a = engines[slug].ask(q.question, k=10)
            alone.append(score(q, "alone", from_answer(q.id, a, time.perf_counter() - t0)))
            t0 = time.perf_counter()
            b = together.ask(q.question, k=10)
            seconds = time.perf_counter() - t0
            joined.append(score(q, "library", from_answer(q.id, own_only(b, slug), seconds)))
            places.append(sum(p.paper == slug for p in b.passages[:5]))
        out["papers"][slug] = {
            "questions": len(questions),
            "alone": {m: summarize(alone)[m] for m in (*METRICS, "latency_p50_ms")},
            "library": {m: summarize(joined)[m] for m in (*METRICS, "latency_p50_ms")},
            "own_in_top5": sum(places) / max(1, len(places)),
        }
        print(slug, json.dumps(out["papers"][slug]), flush=True)
    rows = out["papers"].values()
    out["mean"] = {way: {m: sum(r[way][m] for r in rows) / len(rows) for m in METRICS}
                   for way in ("alone", "library")}
    return out


def markdown(fig: dict) -> str:
    routed = f", routed to {fig['route']}" if fig["route"] < len(fig["searched"]) else ""
    lines = [f"# Asking the whole library ({len(fig['searched'])} papers{routed}) against "
             "asking the right paper alone", "",
             "Each learning paper's questions, k = 10, the shipped answer models (in sample "
             "both ways). Per metric: alone / library. `own in top 5`: how many of the top 5 "
             "passages were the right paper's, on average.", "",
             "| paper | questions | " + " | ".join(METRICS) + " | own in top 5 |",
             "|---|---|" + "---|" * len(METRICS) + "---|"]
    for slug, r in fig["papers"].items():
        cells = [f"{r['alone'][m]:.3f} / {r['library'][m]:.3f}" for m in METRICS]
        lines.append(f"| {slug} | {r['questions']} | " + " | ".join(cells)
                     + f" | {r['own_in_top5']:.2f} |")
    mean = fig["mean"]
    cells = [f"{mean['alone'][m]:.3f} / {mean['library'][m]:.3f}" for m in METRICS]
    lines.append("| **mean over papers** | | " + " | ".join(cells) + " | |")
    lines += ["", "Difference, library minus alone (mean over papers): " + ", ".join(
        f"{m} {mean['library'][m] - mean['alone'][m]:+.3f}" for m in METRICS) + "."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.across", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("reports/library"))
    parser.add_argument("--route", type=int, default=None,
                        help="papers searched in full (default: the configuration's, 8)")
    args = parser.parse_args()
    from index import store

    fig = run(args.home or store.default_home(), args.route)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "quality.json").write_text(json.dumps(fig, indent=1), encoding="utf-8")
    (args.out / "quality.md").write_text(markdown(fig), encoding="utf-8")
    print(markdown(fig))


if __name__ == "__main__":
    main()
