"""Leave one paper out: each paper answered by models learned from all the others (less the
other chapters of its book, when it is one: `Paper.group`).

`answers_for` answers a paper's questions with given models exactly as `footnoted ask` would
(the engine's verdict, text and confidence), and scores them as the benchmark does
(`scoring.score`). `leave_one_out` does it for every paper in turn and returns each paper's
results with the models that produced them. Leaves out choosing settings (`__main__`) and
the tables (`report`).
"""

from __future__ import annotations

from dataclasses import replace

from index.answers.models import Models

from ..runs import from_answer
from ..scoring import Result
from ..scoring import score as score_question
from .folds import Settings, fit_models, score
from .items import Paper


def answers_for(paper: Paper, models: Models) -> list[tuple[Result, object]]:
    """(the benchmark's result, the answer) for every question of `paper` under `models`."""
    engine = replace(paper.engine, models=models)
    out = []
    for it in paper.items:
        answer = engine.answer(score(paper, it, models).evidence, it.question.id)
        result = score_question(it.question, "hybrid", from_answer(it.question.id, answer))
        out.append((replace(result, type=it.question.type), answer))
    return out


def leave_one_out(papers: list[Paper], settings: Settings
                  ) -> dict[str, tuple[Models, list[tuple[Result, object]]]]:
    """Per paper: the models learned without it, and its questions answered by them."""
    out = {}
    for held in papers:
        models, _ = fit_models([p for p in papers if p.group != held.group], settings)
        out[held.slug] = (models, answers_for(held, models))
    return out
