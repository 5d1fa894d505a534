"""Which papers each model sees: every model is fitted on some papers and judged on others.

`fit_models(train, settings)` learns the answer models from the training papers alone. To give
the abstention and confidence models honest inputs it cross-fits by work inside them (a
paper, or the chapters of one book together): the kind, the ranker's scores and the evidence
of each training paper come from models fitted without its work, so they look as they will
on a new one; the abstention threshold, the similarity floor and the confidence bands are
chosen on those out-of-paper figures.
`answers_for(paper, models)` answers a paper's questions with models that never saw it:
leave-one-paper-out is `fit_models` on all papers but one, then `answers_for` on that one.
Leaves out the fitting (`fit`) and the reports (`report`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from index.answers import compose, decide, ruled
from index.answers.candidates import FEATURES as UNIT_FEATURES
from index.answers.kinds import NAMES, guess, kind_row
from index.answers.models import Linear, Models, Softmax
from index.answers.signals import FEATURES as SIGNALS
from index.answers.signals import columns

from ..metrics import answer_hit
from . import fit
from .items import Item, Paper, with_kind, within

RANK_SIGNS = {"cos": 1, "late": 1, "restates": 0, "bm25": 1, "overlap": 1, "rare_overlap": 1,
              "inv_rank": 1, "score_ratio": 1, "match": 1, "note": 0}
# How each signal may move P(the paper does not answer): -1 only down, +1 only up.
ABSTAIN_SIGNS = {"strength": -1, "top_score": -1, "top_prob": -1, "margin": -1, "cover": -1,
                 "answer_cover": -1, "unknown": 1, "weakest": -1, "mean_best": -1,
                 "held": -1, "held_top": -1, "held_near": -1, "specific": -1,
                 "names_near": -1, "cited": -1, "held_quantity": -1, "held_name": -1,
                 "held_cue": -1, "held_source": -1}
SURE_SIGNS = {k: -v for k, v in ABSTAIN_SIGNS.items()}


@dataclass(frozen=True)
class Settings:
    pool: int = 4
    c_rank: float = 1.0
    join: float = 0.5
    c_kind: float = 1.0
    word_papers: int = 3  # an asking word counts when this many works' questions use it
    source_at: float = 0.5  # P(source) from which a question gets a source answer
    # `cited` (the answer is a footnote's source) tells how sure an answer is, not whether
    # the paper answers: with it, abstention recall fell 0.219 -> 0.208 (eval/tuning.md)
    abstain: tuple[str, ...] = tuple(f for f in SIGNALS if f != "cited")
    c_abstain: float = 1.0
    max_false: float = 0.03  # out-of-paper false abstention the threshold allows when learning
    sure: tuple[str, ...] = SIGNALS
    # share right the "high" band must reach out of paper: the 90%; 0.92 gave no
    # band at all (eval/tuning.md, "A confidence feature")
    high: float = 0.90
    medium: float = 0.75
    # how sure learning must be that a band reaches its share: the lower end of the share's
    # Wilson interval at this confidence (0.6827: one standard error). Taken at its value
    # alone, the largest band that just reached 90% cross-fitted held 64-86% right on left-out
    # papers (eval/tuning.md, "Learned across papers")
    band_confidence: float = 0.6827
    floor_margin: float = 0.02  # the floor sits this far under the weakest answerable evidence


@dataclass(frozen=True, eq=False)
class Scored:
    """One question answered by models that did not see its paper."""

    item: Item
    probs: dict[str, float]
    evidence: object  # index.Evidence
    ruled: bool  # a hard rule abstains
    extra: dict = field(default_factory=dict)


def flat(names: tuple[str, ...]) -> Linear:
    n = len(names)
    return Linear(names, (0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0)


def placeholder(settings: Settings, kind: Softmax | None = None) -> Models:
    """Models that decide nothing yet: the ranker flat, every probability 0.5, no
    abstention but by rule."""
    kind = kind or Softmax(NAMES, (), tuple(() for _ in NAMES), (0.0,) * len(NAMES))
    return Models(kind, flat(UNIT_FEATURES), flat(settings.abstain), flat(settings.sure),
                  1.01, -1.0, settings.pool, settings.join, (1.01, 1.01), (1.01, 1.01),
                  source_at=settings.source_at)


def vocabulary(items: list[Item], papers: int) -> tuple[str, ...]:
    """The asking words that the questions of at least `papers` works use."""
    seen: dict[str, set[str]] = {}
    for it in items:
        for f in it.asking:
            seen.setdefault(f, set()).add(it.group)
    return tuple(sorted(f for f, ps in seen.items() if len(ps) >= papers))


def fit_kind(items: list[Item], settings: Settings) -> Softmax:
    labelled = [it for it in items if it.question.asks]
    words = vocabulary(labelled, settings.word_papers)
    x = np.array([kind_row(it.retrieval.query.vector, it.question.question, words)
                  for it in labelled])
    return fit.softmax_model(x, [it.question.asks for it in labelled], NAMES, words,
                             settings.c_kind)


def prepared(it: Item, probs: dict[str, float], pool: int):
    return within(with_kind(it.cands, probs), it.labels, pool, it.token_best.get(pool))


def fit_ranker(items: list[Item], probs: dict[int, dict], settings: Settings) -> Linear:
    groups = []
    for it in items:
        if it.answerable:
            cands, labels = prepared(it, probs[id(it)], settings.pool)
            groups.append((cands.matrix, labels))
    return fit.ranker(groups, UNIT_FEATURES, RANK_SIGNS, settings.c_rank)


def by_group(items: list[Item]) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {}
    for it in items:
        out.setdefault(it.group, []).append(it)
    return out


def score(paper: Paper, it: Item, models: Models, probs: dict | None = None,
          ranker: Linear | None = None) -> Scored:
    """One question's evidence under `models` (kind probabilities and ranker
    overridable)."""
    probs = probs if probs is not None else guess(models.kind, it.retrieval.query.vector,
                                                   it.question.question)
    cands, _ = prepared(it, probs, models.pool)
    ranker = ranker or models.sentence
    scores = np.atleast_1d(ranker.score(cands.matrix)) if cands.units else np.zeros(0)
    ev = decide(paper.engine.data, it.retrieval, probs, cands, scores, models, models.join)
    return Scored(it, probs, ev, ruled(paper.engine.data, ev, models.floor) is not None)


def inner(train: list[Paper], settings: Settings) -> list[tuple[Paper, Item, dict, Linear]]:
    """Every training question with its kind probabilities and the ranker, both fitted
    without its paper."""
    items = [it for p in train for it in p.items]
    out = []
    for group in dict.fromkeys(p.group for p in train):
        rest = [it for it in items if it.group != group]
        kind = fit_kind(rest, settings)
        ranker = fit_ranker(rest, inner_probs(rest, settings), settings)
        out += [(p, it, guess(kind, it.retrieval.query.vector, it.question.question), ranker)
                for p in train if p.group == group for it in p.items]
    return out


def inner_probs(items: list[Item], settings: Settings) -> dict[int, dict]:
    """Kind probabilities of every item from a kind model fitted without its work (with one
    work alone, in sample)."""
    groups = by_group(items)
    out = {}
    for slug, its in groups.items():
        others = [it for s, g in groups.items() if s != slug for it in g]
        model = fit_kind(others or its, settings)
        for it in its:
            out[id(it)] = guess(model, it.retrieval.query.vector, it.question.question)
    return out


def threshold(p: np.ndarray, unans: np.ndarray, rules: np.ndarray, max_false: float,
              papers: np.ndarray) -> float:
    """The lowest threshold on P(unanswerable) whose false abstention (rules included), the
    mean over `papers` of each paper's share of its answerable questions, stays within
    `max_false`; when the rules alone pass it, the model may still add half of it (else a
    rule's mistakes would silence the model). The mean over papers is what is reported: over
    the questions pooled, the paper with the most questions set the threshold and another
    paper's false abstention went from 0.021 to 0.149 when the others' data moved
    (eval/tuning.md)."""
    answerable = ~unans
    names = [n for n in dict.fromkeys(papers.tolist()) if (answerable & (papers == n)).any()]

    def false(abstained: np.ndarray) -> float:
        return float(np.mean([abstained[answerable & (papers == n)].mean() for n in names]))

    cap = max(max_false, false(rules) + max_false / 2)
    for t in np.unique(np.concatenate([p, [1.01]])):
        if false(rules | (p >= t)) <= cap:
            return float(t)
    return 1.01


def band(p: np.ndarray, right: np.ndarray, share: float, confidence: float,
         least: int = 10) -> float:
    """The lowest cut whose cases at or above it (at least `least` of them) are right at
    least `share` of the time by the lower end of their Wilson interval at `confidence`,
    else above every probability."""
    from scipy.stats import binomtest

    for t in np.unique(p):
        above = p >= t
        n = int(above.sum())
        if n >= least and binomtest(int(right[above].sum()), n).proportion_ci(
                confidence_level=confidence, method="wilson").low >= share:
            return float(t)
    return 1.01


def rows_of(scored: list[Scored]) -> np.ndarray:
    return np.vstack([s.evidence.signals if len(s.evidence.signals) else
                      np.zeros(len(SIGNALS), np.float32) for s in scored])


def oof_linear(scored: list[Scored], x: np.ndarray, y: np.ndarray, names, signs, c,
               mask: np.ndarray | None = None) -> tuple[np.ndarray, Linear]:
    """Out-of-paper probabilities of a signed logistic regression over `names`, and the
    model fitted on all (`mask`: the rows it learns from)."""
    mask = np.ones(len(y), bool) if mask is None else mask
    cols = columns(names)
    groups = np.array([s.item.group for s in scored])
    p = np.zeros(len(y))
    for g in set(groups):
        train = mask & (groups != g)
        model = fit.linear(x[train][:, cols], y[train], names, signs, c)
        p[groups == g] = model.prob(x[groups == g][:, cols])
    return p, fit.linear(x[mask][:, cols], y[mask], names, signs, c)


def hit(s: Scored) -> bool:
    """The answer the evidence gives (abstention aside) holds a gold quote."""
    return s.item.answerable and bool(s.evidence.picks or s.evidence.cited) and answer_hit(
        compose(s.evidence), s.item.question.gold)


def fit_models(train: list[Paper], settings: Settings) -> tuple[Models, list[Scored]]:
    """The answer models learned from `train` alone, and its questions cross-fitted."""
    items = [it for p in train for it in p.items]
    kind = fit_kind(items, settings)
    ranker = fit_ranker(items, inner_probs(items, settings), settings)
    base = placeholder(settings)
    scored = [score(p, it, base, probs=probs, ranker=r)
              for p, it, probs, r in inner(train, settings)]
    unans = np.array([not s.item.answerable for s in scored])
    strength = np.array([s.evidence.strength for s in scored])
    floor = float(strength[~unans].min() - settings.floor_margin) if (~unans).any() else -1.0
    rules = np.array([ruled(p_of(train, s).engine.data, s.evidence, floor) is not None
                      for s in scored])
    x = rows_of(scored)
    p_abs, abstain = oof_linear(scored, x, unans.astype(float), settings.abstain,
                                ABSTAIN_SIGNS, settings.c_abstain)
    tau = threshold(p_abs, unans, rules, settings.max_false,
                    np.array([s.item.paper for s in scored]))
    abstained = rules | (p_abs >= tau)
    right = np.array([hit(s) for s in scored])
    p_sure, sure = oof_linear(scored, x, right.astype(float), settings.sure, SURE_SIGNS,
                              settings.c_abstain, mask=~abstained)
    answered = ~abstained
    sure_of = settings.band_confidence
    bands = (band(p_sure[answered], right[answered], settings.high, sure_of),
             band(p_sure[answered], right[answered], settings.medium, sure_of))
    p_silent = np.where(rules, 1.0, p_abs)
    abstain_bands = (band(p_silent[abstained], unans[abstained], settings.high, sure_of),
                     band(p_silent[abstained], unans[abstained], settings.medium, sure_of))
    models = Models(kind, ranker, abstain, sure, tau, floor, settings.pool, settings.join,
                    bands, abstain_bands, settings.source_at,
                    {"papers": [p.slug for p in train], "questions": len(items),
                     "answerable": int((~unans).sum())})
    return models, scored


def p_of(train: list[Paper], s: Scored) -> Paper:
    return next(p for p in train if p.slug == s.item.paper)
