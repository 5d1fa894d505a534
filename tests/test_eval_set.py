"""The hand-built evaluation set: its shape, every gold quote really is in the paper, and no
test-split question quoted anywhere else in the repository."""

import ast
from collections import Counter
from pathlib import Path

import pytest

from eval.questions import DEFAULT_SET
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
    assert len({q.question.casefold() for q in questions}) == len(questions)
    for t in TYPES:  # tuning must be possible on every type without touching test
        assert {q.split for q in questions if q.type == t} == {"dev", "test"}


@pytest.mark.integration
def test_every_gold_quote_is_in_the_paper(questions, paper):
    text = normalize_tokens(paper.body + "\n" + "\n".join(f.text for f in paper.footnotes))
    for q in questions:
        for quote in q.gold:
            tokens = normalize_tokens(quote)
            assert longest_common_run(tokens, text) == len(tokens), (q.id, quote)


ROOT = Path(__file__).resolve().parent.parent


def flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def quoted_texts(path: Path) -> str:
    """A file's text for the leak scan; for Python also every string constant, so a question
    split over two lines as implicitly joined literals ("... 1953 " "and 1989?") is found."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return flat(text)
    strings = [n.value for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Constant)
               and isinstance(n.value, str)]
    return flat("\n".join([text, *strings]))


def scanned_files() -> list[Path]:
    """What people read and what tests assert on: tests, README, docs, the library's modules
    (docstrings and examples), and the bundled paper's example questions the app offers."""
    files = [*ROOT.glob("tests/*.py"), ROOT / "README.md", *ROOT.glob("docs/*.md"),
             ROOT / "corpus" / "metadata.json"]
    for package in ("app", "index", "ingest", "eval"):
        files += (ROOT / package).rglob("*.py")
    return sorted(files)


def test_no_test_split_question_is_quoted_outside_the_set(questions):
    """The test split stays held out: a test, the docs or a docstring that quotes one of its
    questions (q001 was the project's example for years) makes the suite constrain that
    question's answer. Ids alone (`q001/g0` as a format example) are fine."""
    held = {q.id: flat(q.question) for q in questions if q.split == "test"}
    assert len(held) > 40  # the split really was read
    files = scanned_files()
    assert len(files) > 100 and ROOT / "tests" / "test_engine.py" in files
    texts = {path: quoted_texts(path) for path in files}
    leaks = [f"{path.relative_to(ROOT)}: {qid}" for path, text in texts.items()
             for qid, question in held.items() if question in text]
    assert leaks == [], "test-split questions quoted verbatim: " + "; ".join(leaks)
