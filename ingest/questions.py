"""Reads a file of questions: `footnoted ask --batch` input, or a question set to score.

One JSON object a line with at least `question` (and an `id`); `gold` (exact quotes), `type`,
`asks` (the kind of answer asked), `paper` (the slug of the paper it is about), `section`,
`footnotes` and `split` are what scoring and learning read (docs/questions.md). Plain lines
of text are questions too. Bad lines are reported by number, never fatal to the rest. An
input file like the paper itself, so it is read here, below the CLI, the app and the
evaluation alike.
Leaves out checking a set against a paper (`eval`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .load import read_text


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    gold: tuple[str, ...] = ()
    answer: str = ""
    type: str = "unknown"
    section: str | None = None
    footnotes: tuple[int, ...] = ()
    split: str = "test"
    line: int = 0  # where it was read, for error messages
    asks: str | None = None  # the kind of answer asked (`index.answers.kinds`)
    paper: str | None = None  # the slug of the paper it is about

    @property
    def answerable(self) -> bool:
        return bool(self.gold)


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str


def parse_line(text: str, number: int) -> Question | BadLine | None:
    """A question from one line: JSON with id and question, or plain text (id = line-N)."""
    raw = text.strip()
    if not raw:
        return None
    if not raw.startswith("{"):
        return Question(f"line-{number}", raw, line=number)
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as e:
        return BadLine(number, f"bad JSON ({e.msg} at column {e.colno})")
    except (ValueError, RecursionError):  # RecursionError: nested beyond the parser's depth
        return BadLine(number, "bad JSON (nested too deeply or too large)")
    if not isinstance(obj, dict) or not isinstance(obj.get("question"), str):
        return BadLine(number, "no 'question' string")
    gold = obj.get("gold") or []
    if not isinstance(gold, list) or not all(isinstance(g, str) for g in gold):
        return BadLine(number, "'gold' must be a list of strings")
    notes = obj.get("footnotes") or []
    if not isinstance(notes, list) or not all(type(n) is int for n in notes):
        return BadLine(number, "'footnotes' must be a list of footnote numbers")
    section = obj.get("section")
    asks, paper = obj.get("asks"), obj.get("paper")
    return Question(str(obj.get("id", f"line-{number}")), obj["question"], tuple(gold),
                    str(obj.get("answer", "")), str(obj.get("type", "unknown")),
                    section if isinstance(section, str) else None, tuple(notes),
                    str(obj.get("split", "test")), number,
                    asks if isinstance(asks, str) else None,
                    paper if isinstance(paper, str) else None)


def read_questions(path: str | Path) -> tuple[list[Question], list[BadLine]]:
    good, bad = [], []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        parsed = parse_line(line, number)
        if isinstance(parsed, Question):
            good.append(parsed)
        elif isinstance(parsed, BadLine):
            bad.append(parsed)
    return good, bad
