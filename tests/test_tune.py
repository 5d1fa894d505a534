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
    assert engine.search == SearchConfig(dense=choice[3], fusion=choice[4], alpha=choice[5])
    s = summarize(run(engine.ask, dev, "hybrid", "hybrid"))
    assert (round(s["budget_recall"], 4), round(s["mrr@10"], 4)) == key
