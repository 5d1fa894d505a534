"""Learns the answer models on the dev split only: `python -m eval.learn` (`make learn`).

1. The kind fallback's bound: the cosine to the nearest example question above which a
   question the table misses takes the example's kind, chosen so the fallback agrees with the
   dev questions' own types (citation -> source, why -> reason, comparison) and the kinds their
   authors noted as often as possible.
2. The sentence model (`eval.ranker`): a sign-constrained pairwise logistic ranker over
   `index.features` of the candidate sentences of each answerable dev question, a sentence
   being positive when it holds a gold quote (`eval.relevance`). The candidate pool, the
   regularisation and `join` are chosen by the answer hit of the composed answer, the lower
   of two held-out figures: out of fold (5 folds grouped by question, the mean over
   `SENTENCE_SEEDS` splits: one split's best of 63 settings is optimistic) and with the
   question's type left out of training; the fewest sentences within one question of the
   best win.
3. The abstention model (`eval.abstention`): a sign-constrained logistic regression over a
   few question features (with the sentence model's out-of-fold scores), chosen by nested
   cross-validation and by the false abstentions on a question type left out of training;
   its threshold is the best recall whose false abstention, rules included, stays
   within 2.5% in each of ten repeated 5-fold splits. An answer's confidence comes from a third,
   the sure model (does the answer hold what is asked?), whose bands split the answered
   questions' out-of-fold probabilities. The figures reported are means and sds over
   repeated splits, overall and by the kind asked.
Writes index/learned.json and the "Learned answer models" section of eval/tuning.md with
the cross-validated figures. The test split is never read.
Leaves out the features themselves (`index.features`) and applying the models (`index.answer`).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.abstain import reason_to_abstain
from index.answer import compose, decide, kind_of
from index.config import AnswerConfig
from index.features import QUESTION, SENTENCE, candidates, question_row
from index.kinds import TABLE, asked
from index.learned import WEIGHTS, Learned, Linear, save

from . import abstention
from .metrics import answer_hit
from .questions import DEFAULT_SET
from .ranker import Item, fit_ranker, oof_sentences, shifted_sentences
from .relevance import covered_golds

POOLS = (3, 4, 5)
CS = (0.1, 1.0, 10.0)
# A sentence joins the answer when it scores within `join` of the best; 1.01: one sentence.
# Not 0 (always max_sentences): answer hit counts a gold quote anywhere in the answer, so
# padding to three sentences always wins it (dev, 185 questions: 0.920 against 0.908 at 0.1)
# while the reader gets sentences that were not picked, in document order, so the picked
# one is often not the first the reader sees (2.71 sentences an answer against 1.85), and
# the quantity rules fire less (dev abstention recall 0.458 against 0.507).
JOINS = (0.1, 0.2, 0.3, 0.5, 0.7, 1.01)
BOUNDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 1.01)
SENTENCE_SEEDS = 3  # splits the sentence model's choices are averaged over
EXPECTED = {"citation": "source", "why": "reason", "comparison": "comparison"}
ASKS = {"place": "place", "person": "person", "organisation": "organisation",
        "cause": "reason", "recommendation": "recommendation", "footnote": "source",
        "source": "source"}


def flat(names: tuple[str, ...]) -> Linear:
    n = len(names)
    return Linear(names, (0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0)


def placeholder(bound: float = 1.01, pool: int = 5, join: float = 1.01,
                floor: float = -1.0) -> Learned:
    """Models that learned nothing yet: every probability 0.5, no abstention."""
    return Learned(flat(SENTENCE), flat(QUESTION), 1.01, pool, join, (0.3, 0.6),
                   bound, floor)


def expected_kind(q) -> str | None:
    return EXPECTED.get(q.type) or ASKS.get(getattr(q, "asks", "") or "")


def choose_bound(engine, dev, log: list[str]) -> float:
    """The fallback bound agreeing best with the dev questions' known kinds."""
    rows = []
    for q in dev:
        if asked(q.question).name != "fact":
            continue
        query = engine.query(q.question)
        rows.append((expected_kind(q), query))
    best = None
    for bound in BOUNDS:
        probe = replace(engine, learned=placeholder(bound))
        got = [(want, kind_of(probe.data, query, probe.learned).name) for want, query in rows]
        right = sum(w == k for w, k in got if w)
        wrong = sum(w is not None and k != "fact" and w != k for w, k in got) + sum(
            w is None and k != "fact" for w, k in got)
        log.append(f"| {bound} | {right} | {wrong} | {sum(k != 'fact' for _, k in got)} |")
        if best is None or right - wrong > best[0]:
            best = (right - wrong, bound)
    return best[1]


def collect(engine, questions, pool: int, bound: float) -> list[Item]:
    learned = placeholder(bound, pool)
    items = []
    for q in questions:
        retrieval = engine.retrieve(q.question, k=10)
        kind = kind_of(engine.data, retrieval.query, learned)
        cands = candidates(engine.data, retrieval, kind, pool)
        labels = np.array([bool(q.gold) and bool(covered_golds(engine.data.sentences[s].text,
                                                               q.gold)) for s in cands.ids])
        items.append(Item(q, retrieval, kind, cands, labels))
    return items


def evidence_of(engine, it: Item, scores: np.ndarray, join: float, pool: int):
    learned = replace(placeholder(engine.learned.kind_bound, pool, join))
    if not it.cands.ids:
        return None
    return decide(engine.data, it.retrieval, it.kind, it.cands, scores, learned,
                  AnswerConfig())


def hits(engine, items: list[Item], scores: list[np.ndarray], join: float, pool: int
         ) -> tuple[float, float]:
    """(answer hit over answerable questions when answered, mean answer sentences)."""
    got, sizes = [], []
    for it, sc in zip(items, scores, strict=True):
        if it.question.gold:
            ev = evidence_of(engine, it, sc, join, pool)
            text = compose(engine.data, ev) if ev is not None else ""
            got.append(bool(text) and answer_hit(text, it.question.gold))
            sizes.append(len(ev.picks) if ev is not None else 0)
    return float(np.mean(got)), float(np.mean(sizes))


def answer_text(engine, it: Item, scores: np.ndarray, join: float, pool: int) -> str:
    ev = evidence_of(engine, it, scores, join, pool)
    return compose(engine.data, ev) if ev is not None else ""


def choose_floor(engine, items, scores, join, pool, log: list[str]) -> float:
    """Just below the weakest evidence of any answerable dev question: only questions about
    another subject altogether fall under it."""
    weakest = min(ev.strength for it, sc in zip(items, scores, strict=True) if it.question.gold
                  for ev in [evidence_of(engine, it, sc, join, pool)] if ev is not None)
    floor = round(weakest - 0.001, 3)
    log.append(f"Floor: {floor} (the weakest evidence of an answerable dev question is "
               f"{weakest:.3f}); dev questions under it: " + str(sum(
                   ev is not None and ev.strength < floor for it, sc in zip(items, scores,
                                                                         strict=True)
                   for ev in [evidence_of(engine, it, sc, join, pool)])))
    return floor


def question_rows(engine, items, scores, join, pool, floor: float = -1.0):
    rows, rules = [], []
    for it, p in zip(items, scores, strict=True):
        ev = evidence_of(engine, it, p, join, pool)
        if ev is None:
            rows.append(np.zeros(len(QUESTION), np.float32))
            rules.append(True)
            continue
        rows.append(question_row(engine.data, it.retrieval, it.cands, p,
                                 [pk.sentence for pk in ev.picks], it.kind, ev.strength))
        rules.append(reason_to_abstain(engine.data, ev, float("inf"), floor) is not None)
    return np.vstack(rows), np.array(rules)


def choose_sentence_model(engine, dev, bound: float, log: list[str]):
    """(pool, C, join, items, out-of-fold scores): the best of the mean answer hit over
    SENTENCE_SEEDS splits (one split's best is optimistic) and the answer hit with the
    question's type left out of training, whichever is lower."""
    log += ["| pool | C | join | answer hit (when answered) | sd over splits | type left out "
            "| sentences | gold among candidates |", "|---|---|---|---|---|---|---|---|"]
    tried = []
    for pool in POOLS:
        items = collect(engine, dev, pool, bound)
        reach = np.mean([it.labels.any() for it in items if it.question.gold])
        for c in CS:
            runs = [oof_sentences(items, c, seed) for seed in range(SENTENCE_SEEDS)]
            away = shifted_sentences(items, c)
            for join in JOINS:
                got = [hits(engine, items, scores, join, pool) for scores in runs]
                hit, sd = float(np.mean([g[0] for g in got])), float(np.std([g[0] for g in got]))
                size = float(np.mean([g[1] for g in got]))
                shift = hits(engine, items, away, join, pool)[0]
                log.append(f"| {pool} | {c} | {join} | {hit:.3f} | {sd:.3f} | {shift:.3f} | "
                           f"{size:.2f} | {reach:.3f} |")
                tried.append((min(hit, shift), -size, pool, c, join, items, runs[0], sd, hit,
                              shift))
    top = max(t[0] for t in tried)
    n = sum(bool(q.gold) for q in dev)
    _, _, pool, c, join, items, scores, sd, hit, shift = max(
        (t for t in tried if t[0] >= top - 1 / n), key=lambda t: (t[1], t[0]))
    log += ["", f"Chosen by the lower of the two answer hits, the fewest sentences within one "
            f"question (1/{n}) of the best: pool {pool}, C {c}, join {join}: {hit:.3f} \u00b1 "
            f"{sd:.3f} over "
            f"{SENTENCE_SEEDS} splits, {shift:.3f} with the question's type left out (out of "
            "fold, when answered)."]
    return pool, c, join, items, scores


def spread(values: list[float]) -> str:
    return f"{np.mean(values):.3f} \u00b1 {np.std(values):.3f}"


def end_to_end(engine, items, scores, join, pool, abstained: list[np.ndarray], log: list[str]
               ) -> dict:
    """Answer hit (abstentions count as misses) and the abstention rates, per repeated split
    of the abstention model, overall and by the kind asked; mean and sd over the splits."""
    unans = np.array([not it.question.gold for it in items])
    right = np.array([bool(it.question.gold) and answer_hit(answer_text(
        engine, it, sc, join, pool), it.question.gold) for it, sc in zip(items, scores,
                                                                          strict=True)])
    kinds = np.array([it.kind.name for it in items])
    hit = [float((right & ~a)[~unans].mean()) for a in abstained]
    when = float(right[~unans].mean())
    rec = [float(a[unans].mean()) for a in abstained]
    false = [float(a[~unans].mean()) for a in abstained]
    n = int((~unans).sum())
    log += ["", f"Out of fold, over {len(abstained)} repeated splits (mean \u00b1 sd; the "
            f"sampling error of a rate near 0.85 over {n} questions is about "
            f"\u00b1{np.sqrt(0.85 * 0.15 / n):.3f}):", "",
            f"- answer hit end to end {spread(hit)}; when answered {when:.3f}",
            f"- abstention recall {spread(rec)}; false abstention {spread(false)}", "",
            "| kind asked | answerable | answer hit end to end | when answered | "
            "unanswerable | abstained |", "|---|---|---|---|---|---|"]
    for k in sorted(set(kinds)):
        a, u = (kinds == k) & ~unans, (kinds == k) & unans
        e2e = spread([float((right & ~x)[a].mean()) for x in abstained]) if a.any() else "-"
        when_k = f"{right[a].mean():.3f}" if a.any() else "-"
        caught = spread([float(x[u].mean()) for x in abstained]) if u.any() else "-"
        log.append(f"| {k} | {int(a.sum())} | {e2e} | {when_k} | {int(u.sum())} | {caught} |")
    figures = {"answer_hit": hit, "abstention_recall": rec, "false_abstention": false}
    return {"answer_hit_when_answered": round(when, 6)} | {
        f"{k}{end}": round(float(f(v)), 6) for k, v in figures.items()
        for end, f in (("", np.mean), ("_sd", np.std))}


def main() -> None:
    from index import open_engine
    from ingest.questions import read_questions

    parser = argparse.ArgumentParser(prog="python -m eval.learn")
    parser.add_argument("--out", default=str(WEIGHTS), help="where to write the models")
    parser.add_argument("--log", default=str(Path(__file__).with_name("tuning.md")))
    parser.add_argument("--home", help="index folder (default: the user cache)")
    args = parser.parse_args()
    dev = [q for q in read_questions(DEFAULT_SET)[0] if q.split == "dev"]
    engine = open_engine(home=args.home, learned=placeholder())
    log = ["## Learned answer models", "", f"`python -m eval.learn`, {time.strftime('%Y-%m-%d')}"
           f": {len(dev)} dev questions ({sum(bool(q.gold) for q in dev)} answerable); the test "
           "split is not read. Figures are out of fold (5 folds grouped by question), with "
           "their spread over repeated splits.", "",
           "### Kind fallback", "", "| bound | agrees | disagrees | assigned |",
           "|---|---|---|---|"]
    bound = choose_bound(engine, dev, log)
    engine = replace(engine, learned=placeholder(bound))
    log += ["", f"Chosen bound: {bound}", "", "### Sentence model", ""]
    pool, c, join, items, scores = choose_sentence_model(engine, dev, bound, log)
    log += ["", "### Abstention model", ""]
    floor = choose_floor(engine, items, scores, join, pool, log)
    qrows, rules = question_rows(engine, items, scores, join, pool, floor)
    unans = np.array([not it.question.gold for it in items])
    log += [f"Rules alone (floor, numbers, quantities, footnotes): {rules[unans].mean():.3f} "
            f"of unanswerable, {rules[~unans].mean():.3f} of answerable questions.", "",
            "Sign-constrained logistic regression (`eval.abstention`); nested: the threshold "
            "chosen inside each training fold; *type left out*: trained without one answerable "
            "question type, the false abstentions on it.", ""]
    types = np.array([it.question.type for it in items])
    choice = abstention.choose(qrows, unans, rules, types, log)
    threshold = choice.threshold
    abstained = [rules | (p >= threshold) for p in choice.ps]
    p_oof = choice.ps[0]
    answered = ~abstained[0] & ~unans
    confident = (float(np.quantile(p_oof[answered], 0.5)), float(np.quantile(
        p_oof[answered], 0.85))) if answered.any() else (threshold / 3, 2 * threshold / 3)
    cv = end_to_end(engine, items, scores, join, pool, abstained, log)
    right = np.array([bool(it.question.gold) and answer_hit(answer_text(
        engine, it, sc, join, pool), it.question.gold) for it, sc in zip(items, scores,
                                                                          strict=True)])
    sure, sure_bands = abstention.sureness(qrows, right, ~unans & ~abstained[0], log)
    sentence = fit_ranker(items, c)
    trained = {"split": "dev", "questions": len(dev), "answerable": int((~unans).sum()),
               "cv": cv, "kinds_in_table": [k.name for k in TABLE],
               "date": time.strftime("%Y-%m-%d")}
    learned = Learned(sentence, choice.model, threshold, pool, join, confident, bound, floor,
                      sure, sure_bands, trained)
    trained["dev_fit"] = fitted_figures(replace(engine, learned=learned), dev)
    save(learned, Path(args.out))
    log += ["", f"Confidence of an abstention: bands at P(unanswerable) {confident[0]:.3f} / "
            f"{confident[1]:.3f}.",
            "", "Sentence model weights (standardised features): " + ", ".join(
                f"{n} {w:+.2f}" for n, w in zip(SENTENCE, sentence.coef, strict=True)), "",
            "Abstention model weights: " + ", ".join(
                f"{n} {w:+.2f}" for n, w in zip(choice.names, choice.model.coef, strict=True)),
            ""]
    write_section(Path(args.log), log)
    print(f"learned: pool {pool}, C {c}, join {join}, abstention {choice.names} C "
          f"{choice.c}, threshold {threshold:.3f}; cv {cv}; written to {args.out}")


def fitted_figures(engine, dev) -> dict:
    """The final models' own figures on the dev split (in sample, not a held-out figure):
    a test reloads the saved file and checks it reproduces them exactly."""
    from .scoring import run, summarize

    s = summarize(run(engine.ask, dev, "hybrid", engine.config.mode))
    return {k: round(s[k], 6) for k in ("answer_hit", "abstention_recall", "false_abstention",
                                          "budget_recall")}


def write_section(path: Path, lines: list[str]) -> None:
    """Replaces the "Learned answer models" section of the tuning log (or appends it)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    head = "## Learned answer models"
    before = text.split(head)[0].rstrip() if head in text else text.rstrip()
    path.write_text(before + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
