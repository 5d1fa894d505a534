"""`python -m eval.learning [--home DIR] [--choose] [--test]`: learn, judge, save.

Without `--test`: leave-one-paper-out over every learning paper with the settings (`--settings`;
by default those the shipped models were learned with; chosen first among a few with
`--choose`, by the mean over left-out papers), then the models learned
on all papers are saved with those figures, and the "Learned across papers" section of
eval/tuning.md is rewritten. With `--test`: the test paper answered by the saved models,
scored once, reported per type and kind, written to reports/test_paper/. With `--gate
FLOORS` (`make gate`): leave-one-paper-out with the shipped models' settings, nothing written,
exit 1 when a mean over left-out papers falls below its floor (`false_abstention`: above its
ceiling), one line each.
Leaves out the fitting (`folds`, `fit`).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

from .folds import Settings, fit_models
from .items import Paper, collect
from .lopo import leave_one_out
from .report import METRICS, by_kind, calibration, figures, markdown, replace_section

NOTES = Path(__file__).resolve().parents[1] / "tuning.md"
HEAD = "## Learned across papers"


def load(papers, home: Path | None) -> list[Paper]:
    from index import open_engine
    from index.answers.models import load as load_models
    from ingest.questions import read_questions

    from ..qset import load_set

    out = []
    for p in papers:
        engine = open_engine(p.path, home, models=load_models())
        doc = engine.data.document
        load_set(p.questions, doc)  # checked: every gold quote in the paper
        questions = read_questions(p.questions)[0]
        out.append(collect(p.slug, p.provenance.get("group", p.slug), engine, questions))
        print(f"{p.slug}: {len(questions)} questions", flush=True)
    return out


def judge(papers: list[Paper], settings: Settings) -> tuple[dict, dict, dict, dict]:
    runs = leave_one_out(papers, settings)
    per_paper = {slug: [r for r, _ in answered] for slug, (_, answered) in runs.items()}
    asks = {it.question.id: it.question.asks for p in papers for it in p.items}
    given = [a for _, answered in runs.values() for _, a in answered if not a.abstained]
    fig = figures(per_paper, asks) | {
        "answer_chars": sum(len(a.answer) for a in given) / max(1, len(given))}
    return fig, calibration(per_paper), by_kind(per_paper, asks), runs


CANDIDATES = (
    Settings(),
    Settings(pool=3),
    Settings(join=0.0), Settings(join=0.3), Settings(join=1.01),
    Settings(max_false=0.05), Settings(pool=3, join=0.0, max_false=0.05),
)


LONGER = 1.25  # an answer may grow to this many times the default settings' mean length


def objective(fig: dict, base_chars: float) -> float:
    """What settings are chosen by: the mean answer hit and abstention recall over left-out
    papers, less a penalty when the mean false abstention passes 5%; settings whose answers
    run longer than LONGER x the defaults' are out (three sentences every time hold the gold
    more often by being a passage, not an answer)."""
    if fig["answer_chars"] > LONGER * base_chars:
        return float("-inf")
    hit = fig["answer_hit"]["mean"][0]
    rec = fig["abstention_recall"]["mean"][0]
    false = fig["false_abstention"]["mean"][0]
    return hit + rec - 10 * max(0.0, false - 0.05)


def parse_settings(text: str) -> Settings:
    """`join=0.3,pool=3` as Settings (each value of its default's type); "defaults" or
    nothing: the defaults."""
    base, values = Settings(), {}
    for part in filter(None, (p.strip() for p in ("" if text == "defaults" else text)
                              .split(","))):
        name, _, value = part.partition("=")
        if not hasattr(base, name) or isinstance(getattr(base, name), tuple):
            raise SystemExit(f"error: no setting {name!r}")
        values[name] = type(getattr(base, name))(value)
    return replace(base, **values)


def main() -> None:
    import corpus
    from index.answers.models import MODELS, save

    parser = argparse.ArgumentParser(prog="python -m eval.learning")
    parser.add_argument("--home", help="index folder (default: the user cache)")
    parser.add_argument("--choose", action="store_true", help="choose among CANDIDATES")
    parser.add_argument("--settings", help="settings to use, e.g. join=0.3, or defaults "
                        "(default: the settings the shipped models were learned with)")
    parser.add_argument("--test", action="store_true", help="score the test paper once")
    parser.add_argument("--out", default=str(MODELS))
    parser.add_argument("--gate", metavar="FLOORS",
                        help="e.g. answer_hit=0.58,false_abstention=0.08: judge the shipped "
                             "models' settings on left-out papers, exit 1 below a floor")
    args = parser.parse_args()
    home = Path(args.home) if args.home else None
    if args.test:
        return test(home, Path(args.out))
    if args.gate:
        bounds = parse_bounds(args.gate)  # a bad bound is said before minutes of indexing
        raise SystemExit(gate(load(corpus.papers(), home), bounds, Path(args.out)))
    papers = load(corpus.papers(), home)
    settings = parse_settings(args.settings if args.settings is not None
                              else shipped_settings(Path(args.out)))
    log: list[str] = []
    if args.choose:
        best, base_chars = None, None
        for s in CANDIDATES:  # the defaults first
            fig = judge(papers, s)[0]
            base_chars = base_chars or fig["answer_chars"]
            score = objective(fig, base_chars)
            log.append(f"| {describe(s)} | {fig['answer_hit']['mean'][0]:.3f} | "
                       f"{fig['abstention_recall']['mean'][0]:.3f} | "
                       f"{fig['false_abstention']['mean'][0]:.3f} | "
                       f"{fig['answer_chars']:.0f} | {score:.3f} |")
            print(log[-1], flush=True)
            if best is None or score > best[0]:
                best = (score, s)
        settings = best[1]
    fig, cal, kinds, _ = judge(papers, settings)
    models, _ = fit_models(papers, settings)
    models = replace(models, trained=models.trained | {
        "date": time.strftime("%Y-%m-%d"), "settings": describe(settings),
        "left_out": {m: {"mean": v["mean"], "papers": v["papers"]} for m, v in fig.items()
                     if m in METRICS},
        "answer_chars": round(fig["answer_chars"], 1),
        "calibration": cal})
    models = replace(models, trained=models.trained | {"fit": fitted(papers, models)})
    save(models, Path(args.out))
    lines = markdown(fig, cal, kinds, f"Leave one paper out, {len(papers)} papers, "
                     f"{time.strftime('%Y-%m-%d')}")
    notes(papers, settings, log, lines, models)
    print("\n".join(lines))


def parse_bounds(text: str) -> dict[str, float]:
    """`answer_hit=0.58,false_abstention=0.08` as {metric: bound}: a floor for every metric of
    the leave-one-paper-out report but false abstention, whose bound is a ceiling."""
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, eq, value = part.partition("=")
        if not eq or name not in METRICS:
            raise SystemExit(f"error: --gate expects METRIC=VALUE with a metric among "
                             f"{', '.join(METRICS)}, got {part!r}")
        try:
            out[name] = float(value)
        except ValueError:
            raise SystemExit(f"error: --gate: {name} needs a number, got {value!r}") from None
    if not out:
        raise SystemExit("error: --gate expects METRIC=VALUE[,METRIC=VALUE...]")
    return out


def outside(means: dict[str, float], bounds: dict[str, float]) -> list[str]:
    """One line per mean past its bound: under a floor, or over false abstention's ceiling
    (a mean with no value, no question it applies to, is past any bound)."""
    out = []
    for name, bound in bounds.items():
        got = means.get(name, float("nan"))
        if got != got or (got > bound if name == "false_abstention" else got < bound):
            out.append(f"{name} {got:.3f} is past its "
                       f"{'ceiling' if name == 'false_abstention' else 'floor'} {bound:.3f}")
    return out


def shipped_settings(models_path: Path) -> str:
    """The settings the models at `models_path` were learned with ("defaults" if unsaid), so
    that learning again without `--settings` makes the models that ship."""
    from index.answers.models import load as load_models

    return load_models(models_path).trained.get("settings", "defaults")


def gate(papers: list[Paper], bounds: dict[str, float], models_path: Path) -> int:
    """Leave one paper out with the settings the shipped models were learned with; 1 when a
    mean falls outside its bound (each said in one line), else 0."""
    named = shipped_settings(models_path)
    fig = judge(papers, parse_settings(named))[0]
    means = {m: fig[m]["mean"][0] for m in METRICS}
    print(", ".join(f"{m} {v:.3f}" for m, v in means.items())
          + f" (mean over {len(papers)} left-out papers, settings: {named})")
    short = outside(means, bounds)
    for line in short:
        print(f"gate: {line}")
    return 1 if short else 0


FIT = ("bundled", "turner-frontier")  # the papers whose in-sample figures the models carry


def fitted(papers: list[Paper], models) -> dict:
    """The final models' own figures on two papers (in sample: not a held-out figure), as
    learning answers them (its items, `lopo.answers_for`); tests/test_answers_real.py asks
    the same questions as `footnoted ask` does, through the saved file, and must get the
    same: what learning judged is what a user runs."""
    from ..scoring import summarize
    from .lopo import answers_for

    out = {}
    for paper in (p for p in papers if p.slug in FIT):
        s = summarize([r for r, _ in answers_for(paper, models)])
        out[paper.slug] = {k: round(s[k], 6) for k in ("answer_hit", "abstention_recall",
                                                        "false_abstention", "recall@5")}
    return out


def describe(s: Settings) -> str:
    base = Settings()
    changed = {k: v for k, v in vars(s).items() if getattr(base, k) != v}
    return ", ".join(f"{k}={v}" for k, v in changed.items()) or "defaults"


def notes(papers, settings, log, lines, models) -> None:
    body = [HEAD, "", f"`python -m eval.learning`: {len(papers)} papers ("
            + ", ".join(f"{p.slug} {len(p.items)}" for p in papers) + " questions). Every "
            "figure below is of a paper answered by models learned without it.", "",
            f"Settings: {describe(settings)} ({json.dumps(vars(settings))})", ""]
    if log:
        body += ["Chosen among (mean over left-out papers):", "",
                 "| settings | answer hit | abstention recall | false abstention | "
                 "answer length (chars) | objective |",
                 "|---|---|---|---|---|---|", *log, ""]
    body += lines
    body += ["Final models, learned on all the papers: threshold "
             f"{models.threshold:.3f}, floor {models.floor:.3f}, bands {models.bands}, "
             f"abstention bands {models.abstain_bands}.", "",
             "Ranker weights: " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(
                 models.sentence.features, models.sentence.coef, strict=True)), "",
             "Abstention weights: " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(
                 models.abstain.features, models.abstain.coef, strict=True)), ""]
    replace_section(NOTES, HEAD, body)


def test(home: Path | None, models_path: Path) -> None:
    """The test paper, answered as `footnoted ask` answers (the saved models): run once,
    reported as it came."""
    import corpus
    from index import open_engine
    from index.answers.models import load as load_models
    from ingest.questions import read_questions

    from ..qset import load_set
    from ..runs import from_answer
    from ..scoring import score as score_question

    out = Path("reports/test_paper")
    out.mkdir(parents=True, exist_ok=True)
    for paper in corpus.test_papers():
        engine = open_engine(paper.path, home, models=load_models(models_path))
        load_set(paper.questions, engine.data.document)
        answered = []
        for q in read_questions(paper.questions)[0]:
            answer = engine.answer(engine.evidence(engine.retrieve(q.question, k=10)), q.id)
            answered.append(replace(score_question(q, "hybrid", from_answer(q.id, answer)),
                                    type=q.type))
        asks = {q.id: q.asks for q in read_questions(paper.questions)[0]}
        per = {paper.slug: answered}
        fig, cal, kinds = figures(per, asks), calibration(per), by_kind(per, asks)
        types: dict[str, list] = {}
        for r in answered:
            types.setdefault(r.type, []).append(r)
        lines = markdown(fig, cal, kinds, f"Test paper {paper.slug}, "
                         f"{time.strftime('%Y-%m-%d %H:%M')}") + [
            "By type:", "", "| type | questions | answer hit | abstained |", "|---|---|---|---|"]
        for t, rs in sorted(types.items()):
            ans = [r for r in rs if r.answerable]
            hit = sum(bool(r.answer_hit) and not r.abstained for r in ans)
            lines.append(f"| {t} | {len(rs)} | {hit}/{len(ans)} | "
                         f"{sum(r.abstained for r in rs)} |")
        (out / f"{paper.slug}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (out / f"{paper.slug}.json").write_text(json.dumps(
            {"figures": fig, "calibration": cal, "kinds": kinds,
             "results": [r.to_dict() for r in answered]}, indent=1), encoding="utf-8")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
