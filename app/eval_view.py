"""The Evaluation explorer's content, from a report folder: tables for any type and split,
two systems compared, and one question side by side across systems.

Pure given the files: `load(folder)` reads report.json, results.jsonl, questions.jsonl and
runs/ once (`Loaded`); every other function builds markdown or HTML from that, escaping all
text (the questions and passages are data, not markup). Tables for a filter are recomputed
with the benchmark's own functions (`eval.scoring`, `eval.stats`, `eval.report`) and cached,
so a filter costs its statistics once. Gold quotes are highlighted where a passage holds them
(`eval.highlight`). Leaves out Gradio (`eval_tab`) and running anything (`eval_runner`).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from eval.runs import Entry, read_run, slug
from eval.scoring import Result
from ingest.questions import Question

ALL = "all"
SHOWN = 3  # passages shown open per system; the rest fold away
KEY = ("budget_recall", "mrr@10", "ndcg@10", "recall@5", "answer_hit")  # pairs shown
# the main table: five headline metrics and the median latency; the rest in report.md/.json
MAIN = ("recall@5", "mrr@10", "answer_hit", "abstention_recall", "false_abstention",
        "latency_p50_ms")


@dataclass(frozen=True, eq=False)
class Loaded:
    folder: Path
    report: dict
    results: dict[str, tuple[Result, ...]]
    entries: dict[str, dict[str, Entry]]  # system -> question id -> what it retrieved
    questions: dict[str, Question]

    @property
    def systems(self) -> list[str]:
        return list(self.results)

    def types(self) -> list[str]:
        return sorted({q.type for q in self.questions.values()})

    def splits(self) -> list[str]:
        return sorted({q.split for q in self.questions.values() if q.split})

    def chosen(self, qtype: str = ALL, split: str = ALL) -> set[str]:
        return {q.id for q in self.questions.values()
                if (qtype in (ALL, None) or q.type == qtype)
                and (split in (ALL, None) or q.split == split)}


def load(folder: Path) -> Loaded | None:
    """The report in `folder`, or None when it has none (or one from before the explorer)."""
    folder = Path(folder)
    try:
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        rows = [json.loads(line) for line in
                (folder / "results.jsonl").read_text(encoding="utf-8").splitlines() if line]
        lines = (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return None
    if "stats" not in report:
        return None
    results: dict[str, list[Result]] = {}
    for row in rows:
        r = Result.from_dict(row)
        results.setdefault(r.system, []).append(r)
    questions = {}
    for line in lines:
        q = _question(line)
        if q is not None:
            questions[q.id] = q
    entries = {}
    for system in results:
        path = folder / "runs" / f"{slug(system)}.jsonl"
        try:
            entries[system] = read_run(path).by_id if path.is_file() else {}
        except ValueError:
            entries[system] = {}
    return Loaded(folder, report, {s: tuple(r) for s, r in results.items()}, entries, questions)


def _question(line: str) -> Question | None:
    """A question as `eval.report.write` saved it (split may be null)."""
    try:
        row = json.loads(line)
        return Question(str(row["id"]), row["question"], tuple(row.get("gold") or ()),
                        type=str(row.get("type", "unknown")), split=row.get("split"))
    except (ValueError, KeyError, TypeError):
        return None


@lru_cache(maxsize=1)
def learned_questions() -> frozenset[str]:
    """Every question the answer models were learned with: the project's own sets (the
    bundled paper's and those of corpus/papers/*), as their texts."""
    from corpus import PAPER

    root = PAPER.resolve().parent
    found = set()
    for path in [root / "questions.jsonl", *sorted(root.glob("papers/*/questions.jsonl"))]:
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                found.add(" ".join(str(json.loads(line)["question"]).split()))
            except (ValueError, KeyError, TypeError):
                continue
    return frozenset(found)


def in_sample(loaded: Loaded) -> bool:
    """Were the answer models learned with any of this report's questions? The project's
    own sets were (a sample of them too); a reader's own set was not."""
    learned = learned_questions()
    return any(" ".join(q.question.split()) in learned for q in loaded.questions.values())


def header_html(loaded: Loaded | None, making: bool = False, title: str = "") -> str:
    """The report's paper, set, systems and downloads, and whether its figures are in sample
    (`in_sample`); without a report, how to get one."""
    named = f"<b>{escape(title)}</b>" if title else "this paper"
    if loaded is None and making:
        return f'<div class="fn-app eval-head"><p>Evaluation of {named}.</p></div>'
    if loaded is None:
        return (f'<div class="fn-app eval-head"><p>Evaluation of {named}.</p><div class="notice '
                'info">No evaluation report for this paper yet. The app scores the bundled '
                "question set for the bundled paper, and for another paper the questions you "
                "save from the Ask tab (\u201cSave to my set\u201d under an answer): save some, "
                "then press <b>Run the benchmark again</b>.</div></div>")
    r = loaded.report
    links = " ".join(_download(loaded.folder / name, name, kind) for name, kind in
                     (("report.md", "text/markdown"), ("report.json", "application/json")))
    systems = ", ".join(escape(s) for s in loaded.systems)
    sample = ('<p class="notice warn">In sample: the answer models were learned with these '
              "questions, so these figures flatter them. Figures on papers the models never "
              "saw (leave one paper out) are in <code>eval/tuning.md</code>.</p>"
              if in_sample(loaded) else
              '<p class="held">Held out: the answer models never saw these questions.</p>')
    return (f'<div class="fn-app eval-head"><p>Evaluation of {named}: '
            f'<b>{escape(str(r["questions"]))} questions</b> '
            f'({escape(r["split"])} split) of <code>{escape(Path(r["set"]).name)}</code>; '
            f"systems: {systems}. Download: {links}</p>{sample}</div>")


def _download(path: Path, name: str, kind: str) -> str:
    try:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError:
        return ""
    return f'<a class="btn" download="{escape(name)}" href="data:{kind};base64,{data}">{name}</a>'


def filtered(loaded: Loaded, qtype: str, split: str) -> dict[str, list[Result]]:
    keep = loaded.chosen(qtype, split)
    return {s: [r for r in rs if r.qid in keep] for s, rs in loaded.results.items()}


def tables_markdown(loaded: Loaded | None, qtype: str = ALL, split: str = ALL) -> str:
    """Means, intervals and the pairwise table for the questions of this type and split."""
    if loaded is None:
        return ""
    return _tables(loaded, qtype or ALL, split or ALL)


@lru_cache(maxsize=64)
def _tables(loaded: Loaded, qtype: str, split: str) -> str:
    from eval.report import HEADLINE, SIG, interval_table, pairs_table, rests_on, table
    from eval.scoring import summarize
    from eval.stats import METHOD, analyse, to_json

    if qtype == ALL and split == ALL:
        stats, modes = loaded.report["stats"], loaded.report["modes"]
    else:
        chosen = filtered(loaded, qtype, split)
        if not any(chosen.values()):
            return f"No questions of type {qtype!r} in split {split!r}."
        stats = to_json(analyse(chosen))
        modes = {s: summarize(rs) for s, rs in chosen.items()}
    n = next(iter(modes.values()))["questions"]
    lines = [f"### {n} question{'' if n == 1 else 's'} (type: {qtype}, split: {split})", ""]
    lines += table(modes, MAIN, "system")
    lines += ["", f"Other metrics ({', '.join(c for c in HEADLINE if c not in MAIN)}): "
              "report.md and report.json, above."]
    lines += ["", f"**Means with 95% intervals**, resting on {rests_on(stats)}.", ""]
    lines += interval_table(stats)
    lines += ["", f"**Pairwise differences** in {', '.join(KEY)} (every metric: report.md). "
              f"{METHOD}. {SIG} marks a significant difference.", ""]
    lines += pairs_table(stats, KEY)
    return "\n".join(lines) + "\n"


def question_choices(loaded: Loaded | None, qtype: str = ALL, split: str = ALL) -> list:
    if loaded is None:
        return []
    keep = loaded.chosen(qtype or ALL, split or ALL)
    return [(f"{q.id} \u00b7 {q.type} \u00b7 {q.question[:90]}", q.id)
            for q in loaded.questions.values() if q.id in keep]


def compare_markdown(loaded: Loaded | None, a: str | None, b: str | None, qtype: str = ALL,
                     split: str = ALL) -> str:
    from eval.compare import compare
    from eval.report import compare_lines
    from eval.runs import Run

    if loaded is None or not a or not b:
        return "Choose two systems."
    if a == b or a not in loaded.results or b not in loaded.results:
        return "Choose two different systems of this report."
    chosen = filtered(loaded, qtype or ALL, split or ALL)
    runs = {s: Run(s, tuple(loaded.entries[s].values())) for s in (a, b)}
    comp = compare(chosen[a], chosen[b], {q: loaded.questions[q].question
                                          for q in loaded.questions}, runs)
    return "\n".join(compare_lines(comp, limit=40)) + "\n"


def question_html(loaded: Loaded | None, qid: str | None) -> str:
    """What every system retrieved for one question, side by side, gold highlighted."""
    from .eval_cards import system_card

    if loaded is None or not qid or qid not in loaded.questions:
        return '<div class="fn-app"><p class="muted">Pick a question to see it side by side.' \
               "</p></div>"
    q = loaded.questions[qid]
    if q.gold:
        golds = "".join(f"<li><mark class=\"gold\">{escape(g)}</mark></li>" for g in q.gold)
        gold = f'<div class="golds"><b>Gold</b><ol>{golds}</ol></div>'
    else:
        gold = '<div class="golds"><b>Unanswerable:</b> the paper does not answer it.</div>'
    cards = "".join(system_card(s, next(r for r in rs if r.qid == qid),
                                loaded.entries.get(s, {}).get(qid), q, SHOWN)
                    for s, rs in loaded.results.items() if any(r.qid == qid for r in rs))
    return (f'<div class="fn-app qview"><p class="question">{escape(q.id)} \u00b7 '
            f"{escape(q.type)} \u00b7 {escape(q.split or 'no split')} \u2014 "
            f'{escape(q.question)}</p>{gold}<div class="sysgrid">{cards}</div></div>')
