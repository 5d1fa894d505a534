"""The comparison view's parts: the two sides read from a question's shape, and each side's
sentences picked from the retrieved passages (pure; the rendered view is in
test_web_handlers and test_browser_reader). Questions here are made up, of no corpus paper."""

from __future__ import annotations

import pytest

from app.compare import columns, fold, sides
from index.records import Answer, Passage, Span


@pytest.mark.parametrize(("question", "want"), [
    ("Were urban voters more satisfied than rural voters?", ({"urban"}, {"rural"})),
    ("Did more teachers or nurses leave the profession in 2010?", ({"teacher"}, {"nurse"})),
    ("What changed before and after the reform?", ({"before"}, {"after"})),
    ("How did landlords and tenants differ in their votes?", ({"landlord"}, {"tenant"})),
    ("What is the difference between coal miners and steel workers?",
     ({"coal", "miner"}, {"steel", "worker"})),
    ("Imports versus exports: which grew faster?", ({"import"}, {"export"})),
])
def test_the_two_sides_come_from_the_question_shape(question, want):
    pair = sides(question)
    assert pair is not None
    assert (set(pair[0].words), set(pair[1].words)) == want


@pytest.mark.parametrize("question", [
    "What is the capital of the province?",
    "Which source backs the claim about wages?",
    "Why were elections held between 1953 and 1990?",  # years: no side words
    "Does the paper say whether tea or coffee was grown?",  # no comparison asked
])
def test_a_question_that_compares_nothing_has_no_sides(question):
    assert sides(question) is None


def test_a_side_said_short_borrows_the_others_noun_for_its_label():
    a, b = sides("Were male voters more loyal than female voters?")
    assert (a.label, b.label) == ("male voters", "female voters")
    a, b = sides("Did more teachers or nurses leave?")
    assert (a.label, b.label) == ("teachers", "nurses")
    a, b = sides("How do motives differ between rural landless workers and owners?")
    assert b.label == "owners"  # "landless workers" tells the other side apart: not lent


def test_singular_and_plural_fold_together():
    assert fold("women") == fold("woman") and fold("Parties") == fold("party")
    assert fold("men") == "man" and fold("class") == "class"


def passage(rank: int, text: str) -> Passage:
    spans, at = [], 0
    for part in text.split(". "):
        end = text.index(part, at) + len(part)
        spans.append(Span(text.index(part, at), min(end + 1, len(text)), ()))
        at = end
    return Passage(f"p{rank}-s1-c{rank}", rank, 1.0 / rank, text, "Results", (rank,), rank, (),
                   (), tuple(spans))


def test_each_side_gets_the_sentences_naming_it_alone():
    answer = Answer(None, "Were urban voters more satisfied than rural voters?", "...", False, (),
                    (passage(1, "Urban voters were content. Both urban and rural voters voted. "
                                "Turnout was high."),
                     passage(2, "Rural voters felt ignored. Rural roads were poor.")), "hybrid")
    a, b = columns(answer, sides(answer.question))
    assert [e.text for e in a.evidence] == ["Urban voters were content."]
    assert [e.text for e in b.evidence] == ["Rural voters felt ignored.", "Rural roads were poor."]
    assert {e.rank for e in b.evidence} == {2} and b.evidence[0].passage == "p2-s1-c2"
    lone = Answer(None, answer.question, "...", False, (), answer.passages[:1], "hybrid")
    assert columns(lone, sides(answer.question)) is None  # one side has nothing: no view
