"""A question about what the paper concludes goes to its concluding section (`steer`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from index.steer import steer


@dataclass(frozen=True)
class Part:  # what steer reads of a chunk
    section: str


CHUNKS = [Part("Introduction"), Part("Job Seeking"), Part("Conclusion"), Part("Conclusion")]
VALUES = np.array([0.9, 0.8, 0.3, 0.1], np.float32)


def ranked(values: np.ndarray) -> list[int]:
    return [int(i) for i in np.argsort(-values, kind="stable")]


def test_what_the_paper_concludes_ranks_the_conclusion_first_in_its_own_order():
    for question in ("What does the paper conclude?", "What are the author's main findings?",
                     "How does this paper sum up the differences?"):
        assert ranked(steer(VALUES, CHUNKS, question)) == [2, 3, 0, 1], question


@pytest.mark.parametrize("question", [
    "What did Park conclude about men's job seeking?",  # not the paper's own conclusion
    "According to the paper, what is the divorce rate?",
    "Why do women defect?",
])
def test_other_questions_are_not_steered(question):
    assert steer(VALUES, CHUNKS, question) is VALUES


def test_a_paper_without_a_concluding_section_is_not_steered():
    plain = [Part("Introduction"), Part("Job Seeking")]
    values = VALUES[:2]
    assert steer(values, plain, "What does the paper conclude?") is values


@pytest.mark.integration
def test_the_conclusion_answers_what_the_paper_concludes(engine):
    a = engine.ask("What does the paper conclude?")
    assert not a.abstained and a.passages[0].section == "Conclusion"
    # the answer is drawn from the conclusion (which of its sentences leads is the learned
    # ranker's choice, no longer a rule's for "it can be concluded that")
    sections = {p.id: p.section for p in a.passages}
    assert a.citations and all(sections[c.passage] == "Conclusion" for c in a.citations)
