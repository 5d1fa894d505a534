"""The tuner: each stage hands on the engine of the setting that scored best (the answer's
models are learned by eval.learn: tests/test_answers.py reloads and checks them)."""

from __future__ import annotations

import pytest

from eval import tune
from eval.questions import DEFAULT_SET
from ingest.questions import read_questions

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def dev():
    questions, _ = read_questions(DEFAULT_SET)
    answerable = [q for q in questions if q.split == "dev" and q.answerable][:14]
    unanswerable = [q for q in questions if q.split == "dev" and not q.answerable][:6]
    return answerable + unanswerable


def logged_keys(log: list[str], first: int, second: int) -> list[tuple[float, float]]:
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in log]
    return [(round(float(r[first]), 3), round(float(r[second]), 3)) for r in rows]


def test_stage_one_hands_on_the_best_setting_it_tried(paper, embedder, dev, monkeypatch):
    monkeypatch.setattr(tune, "CHUNKS", (450,))
    monkeypatch.setattr(tune, "OVERLAPS", (1,))
    monkeypatch.setattr(tune, "VARIANTS", ("section",))
    # a strong setting first and a weak one last: an engine edited in place would end on it
    monkeypatch.setattr(tune, "SEARCHES", [("blend", "score", 0.8), ("chunk", "score", 0.0)])
    log: list[str] = []
    key, engine, choice = tune.stage_retrieval(paper, embedder, dev, log)
    keys = logged_keys(log, 6, 7)
    assert keys[0] != keys[1] and max(keys) == keys[0]  # the two settings really differ
    assert choice[3:] == ("blend", "score", 0.8)
    # the engine handed on scores what was logged for its setting, by the eval's own run
    again, _ = tune.retrieval_key(engine, dev)
    assert (round(again[0], 3), round(again[1], 3)) == keys[0] == (round(key[0], 3),
                                                                   round(key[1], 3))
