"""The question sets: every corpus paper's has the promised mix (docs/questions.md), every
gold quote is in its paper, ids are unique across papers, and no question of the test paper is
quoted anywhere else in the repository."""

import ast
from collections import Counter
from pathlib import Path

import pytest

import corpus
from index.answers.kinds import KINDS
from ingest.questions import read_questions

TYPES = {"factoid", "paraphrase", "why", "comparison", "citation", "multi-hop", "unanswerable"}
ROOT = Path(__file__).resolve().parent.parent


def all_papers():
    return corpus.papers() + corpus.test_papers()


def questions_of(paper):
    good, bad = read_questions(paper.questions)
    assert bad == []
    return good


@pytest.mark.parametrize("paper", all_papers(), ids=lambda p: p.slug)
def test_each_set_has_the_promised_mix(paper):
    qs = questions_of(paper)
    types = Counter(q.type for q in qs)
    unanswerable = [q for q in qs if not q.gold]
    assert len(qs) >= 40 and set(types) == TYPES
    assert types["citation"] >= 6 and types["paraphrase"] >= 8
    assert len(unanswerable) >= 10 and len({q.asks for q in unanswerable}) >= 5
    assert all(not q.gold for q in qs if q.type == "unanswerable")
    assert all(q.gold for q in qs if q.type != "unanswerable")
    assert {q.paper for q in qs} == {paper.slug} and all(q.asks in KINDS for q in qs)
    split = "test" if paper in corpus.test_papers() else "dev"
    assert {q.split for q in qs} == {split}
    assert len({q.question.casefold() for q in qs}) == len(qs)


def test_ids_are_unique_across_papers_and_the_old_test_split_joined_dev():
    ids = [q.id for p in all_papers() for q in questions_of(p)]
    assert len(ids) == len(set(ids))
    assert {q.split for q in questions_of(corpus.bundled())} == {"dev"}


@pytest.mark.integration
@pytest.mark.parametrize("paper", all_papers(), ids=lambda p: p.slug)
def test_every_gold_quote_is_in_its_paper(paper):
    from eval.qset import load_set
    from ingest import load_document

    assert len(load_set(paper.questions, load_document(paper.path))) == len(
        questions_of(paper))


def flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def quoted_texts(path: Path) -> str:
    """A file's text for the leak scan; for Python also every string constant, so a question
    split over two lines as implicitly joined literals is found."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return flat(text)
    strings = [n.value for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Constant)
               and isinstance(n.value, str)]
    return flat("\n".join([text, *strings]))


def scanned_files() -> list[Path]:
    """What people read and what tests assert on: tests, README, docs, the tuning notes, the
    library's modules, the other papers' question sets and the app's example questions."""
    files = [*ROOT.glob("tests/*.py"), ROOT / "README.md", *ROOT.glob("docs/*.md"),
             ROOT / "eval" / "tuning.md", ROOT / "corpus" / "metadata.json",
             *(p.questions for p in corpus.papers())]
    for package in ("app", "index", "ingest", "eval"):
        files += (ROOT / package).rglob("*.py")
    return sorted(files)


def test_no_test_paper_question_is_quoted_outside_its_set():
    """The test paper stays held out: a test, the docs, the notes or a docstring quoting one
    of its questions would let the suite or the tuning constrain its answer."""
    held = {q.id: flat(q.question) for p in corpus.test_papers() for q in questions_of(p)}
    assert len(held) >= 40  # the set really was read
    files = scanned_files()
    assert len(files) > 100 and ROOT / "tests" / "test_engine.py" in files
    texts = {path: quoted_texts(path) for path in files}
    leaks = [f"{path.relative_to(ROOT)}: {qid}" for path, text in texts.items()
             for qid, question in held.items() if question in text]
    assert leaks == [], "test-paper questions quoted verbatim: " + "; ".join(leaks)
