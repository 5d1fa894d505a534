"""Reads a question set to score and checks it against the paper, with one-line errors.

A set is JSONL, one question a line: `id`, `question`, `gold` (a list of exact quotes from
the paper; an empty list means the paper does not answer it), and optionally `type` (a free
label the report groups by), `asks` (one of the answer kinds, `index.answers.kinds`),
`paper` (the paper's slug), `split` (`dev` or `test`; a set without splits is scored
whole), `answer`, `section`, `footnotes` (docs/questions.md). Checked: every line is such an
object, its question one the engine takes (not empty, at most 1,000 characters), ids are
unique, every gold quote is in the paper (its normalised words, `relevance.normalize_tokens`,
appear in order in the body or the footnotes), and either every question has a split or none
has.
Leaves out parsing a line (`ingest.questions`) and scoring (`scoring`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from index.answers.kinds import KINDS
from index.engine import check_request
from ingest import InputError
from ingest.load import read_text
from ingest.questions import Question, parse_line

from .relevance import normalize_tokens

SPLITS = ("dev", "test")


def paper_words(doc) -> str:
    """The paper's normalised words (body and footnotes), space-separated and padded, so a
    quote is in the paper when its own padded words are a substring."""
    text = doc.body + "\n" + "\n".join(f.text for f in doc.footnotes)
    return " " + " ".join(normalize_tokens(text)) + " "


def in_paper(quote: str, words: str) -> bool:
    tokens = normalize_tokens(quote)
    return bool(tokens) and f" {' '.join(tokens)} " in words


def check_line(raw: str, number: int) -> tuple[Question, bool]:
    """One line of a set as a Question, and whether it names its split; InputError naming
    what is wrong."""
    parsed = parse_line(raw, number)
    if not isinstance(parsed, Question) or not raw.lstrip().startswith("{"):
        reason = getattr(parsed, "reason", "not a JSON object with id, question and gold")
        raise InputError(reason)
    obj = json.loads(raw)
    for key in ("id", "question", "gold"):
        if key not in obj:
            raise InputError(f"no {key!r}")
    if isinstance(obj["id"], bool) or not isinstance(obj["id"], str | int):
        raise InputError("'id' must be a string or a number")
    if not isinstance(obj["gold"], list):
        raise InputError("'gold' must be a list of strings (empty: unanswerable)")
    if "type" in obj and not isinstance(obj["type"], str):
        raise InputError("'type' must be a string")
    try:
        check_request(obj["question"], 5, "hybrid")  # what the engine will be asked
    except InputError as e:
        raise InputError(f"question: {e}") from None
    if "asks" in obj and obj["asks"] not in KINDS:
        raise InputError(f"'asks' must be one of {', '.join(KINDS)}, got {obj['asks']!r}")
    if "paper" in obj and not isinstance(obj["paper"], str):
        raise InputError("'paper' must be a string (the paper's slug)")
    if "split" in obj and obj["split"] not in SPLITS:
        raise InputError(f"'split' must be one of {', '.join(SPLITS)}, got {obj['split']!r}")
    return parsed, "split" in obj


def load_set(path: str | Path, doc) -> list[Question]:
    """Every question of the set at `path`, checked against the paper `doc`."""
    path = Path(path)
    words = paper_words(doc)
    questions: list[Question] = []
    seen: dict[str, int] = {}
    has_split: list[bool] = []
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            q, named = check_line(raw, number)
            if q.id in seen:
                raise InputError(f"id {q.id!r} is already used on line {seen[q.id]}")
            for i, quote in enumerate(q.gold, start=1):
                if not in_paper(quote, words):
                    raise InputError(f"gold quote {i} is not in the paper: "
                                     f"{' '.join(quote.split())[:80]!r}")
        except InputError as e:
            raise InputError(f"{path}:{number}: {e}") from None
        seen[q.id] = number
        has_split.append(named)
        questions.append(q)
    if not questions:
        raise InputError(f"no questions in {path}")
    if any(has_split) and not all(has_split):
        number = questions[has_split.index(False)].line
        raise InputError(f"{path}:{number}: no 'split', while other questions have one")
    if not any(has_split):  # a set without splits is scored whole, whatever --split says
        questions = [replace(q, split=None) for q in questions]
    return questions


def choose(questions: list[Question], split: str, path: Path) -> list[Question]:
    """The questions of `split` ("all": every one; a set without splits: every one)."""
    chosen = [q for q in questions if split == "all" or q.split is None or q.split == split]
    if not chosen:
        raise InputError(f"no questions in split {split!r} of {path}")
    return chosen
