"""The tuner hands its later stages the retrieval setting it chose, not the last one it tried."""

from __future__ import annotations

from eval import tune
from eval.questions import DEFAULT_SET, read_questions
from eval.scoring import run, summarize
from index.search import SearchConfig


def test_stage_one_returns_the_engine_with_the_chosen_search(paper, embedder, monkeypatch):
    monkeypatch.setattr(tune, "CHUNKS", (450,))
    monkeypatch.setattr(tune, "OVERLAPS", (1,))
    monkeypatch.setattr(tune, "VARIANTS", ("section",))
    # the likely winner first, a weak setting last: the loop leaves the engine on the last
    monkeypatch.setattr(tune, "SEARCHES", [("blend", "score", 0.8), ("chunk", "score", 0.0)])
    questions, _ = read_questions(DEFAULT_SET)
    dev = [q for q in questions if q.split == "dev" and q.answerable][:12]
    log: list[str] = []
    key, engine, choice = tune.stage_retrieval(paper, embedder, dev, log)
    assert len(log) == 2
    assert engine.search == SearchConfig(dense=choice[3], fusion=choice[4], alpha=choice[5],
                                         late=0.0)
    s = summarize(run(engine.ask, dev, "hybrid", "hybrid"))
    assert (round(s["budget_recall"], 4), round(s["mrr@10"], 4)) == key


def test_stage_late_leaves_the_engine_on_its_choice(paper, embedder, monkeypatch):
    from eval.systems import engine_variant
    from ingest import Settings

    monkeypatch.setattr(tune, "ALPHAS", (0.7,))
    monkeypatch.setattr(tune, "LATES", (0.5, 0.0))  # the weaker-or-equal setting last
    questions, _ = read_questions(DEFAULT_SET)
    dev = [q for q in questions if q.split == "dev" and q.answerable][:12]
    engine = engine_variant(paper, embedder, Settings())
    engine.search = SearchConfig(late=0.0)
    log: list[str] = []
    alpha, late = tune.stage_late(engine, dev, log)
    assert len(log) == 2 and alpha == 0.7 and late in (0.5, 0.0)
    assert engine.search == SearchConfig(alpha=alpha, late=late)
