"""The hand-built evaluation set: its shape, and every gold quote really is in the paper."""

from collections import Counter

import pytest

from eval.questions import DEFAULT_SET, HOLDOUT_SET
from eval.relevance import longest_common_run, normalize_tokens
from ingest.questions import read_questions
from tests.test_paper import TITLES

TYPES = {"factoid", "paraphrase", "why", "comparison", "citation", "multi-hop", "unanswerable"}


@pytest.fixture(scope="module")
def questions():
    good, bad = read_questions(DEFAULT_SET)
    assert bad == []
    return good


def test_the_set_has_the_promised_shape(questions):
    types = Counter(q.type for q in questions)
    assert len(questions) >= 80 and set(types) == TYPES
    assert types["paraphrase"] >= 24 and types["unanswerable"] >= 8
    assert all(not q.gold for q in questions if q.type == "unanswerable")
    assert all(q.gold for q in questions if q.type != "unanswerable")
    assert {q.section for q in questions if q.section} == set(TITLES)
    assert {q.split for q in questions} == {"dev", "test"}
    assert len({q.id for q in questions}) == len(questions)
    for t in TYPES:  # tuning must be possible on every type without touching test
        assert {q.split for q in questions if q.type == t} == {"dev", "test"}


@pytest.mark.integration
def test_every_gold_quote_is_in_the_paper(questions, paper):
    text = normalize_tokens(paper.body + "\n" + "\n".join(f.text for f in paper.footnotes))
    for q in questions:
        for quote in q.gold:
            tokens = normalize_tokens(quote)
            assert longest_common_run(tokens, text) == len(tokens), (q.id, quote)


@pytest.mark.integration
def test_the_holdout_set_is_sound_and_apart_from_the_main_set(questions, paper):
    held, bad = read_questions(HOLDOUT_SET)
    assert bad == [] and len(held) == 53  # no split field: scored whole
    types = Counter(q.type for q in held)
    assert types["unanswerable"] == 12 and types["citation"] == 4
    assert not {q.id for q in held} & {q.id for q in questions}
    assert not {q.question.lower() for q in held} & {q.question.lower() for q in questions}
    text = normalize_tokens(paper.body + "\n" + "\n".join(f.text for f in paper.footnotes))
    for q in held:
        assert bool(q.gold) == (q.type != "unanswerable"), q.id
        for quote in q.gold:
            tokens = normalize_tokens(quote)
            assert longest_common_run(tokens, text) == len(tokens), (q.id, quote)
