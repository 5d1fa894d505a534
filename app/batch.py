"""`footnoted ask --batch FILE`: many questions, one model load, one JSON object a line.

Reads JSONL lines (`id`, `question`, as the evaluation set has them) or plain lines of text
(`ingest.questions`), from a file or a pipe (`-`). A bad line is reported on stderr with its
number and reason; every good line is still answered; the exit status is 1 when any line
failed. Text output shows the cleaned question (no control characters reach the terminal);
JSON output escapes them. Leaves out scoring answers (`eval`).
"""

from __future__ import annotations

import json
import sys

from ingest import InputError
from ingest.load import STDIN
from ingest.questions import BadLine, read_questions

from .format import render


def ask_batch(engine, path: str, k: int, mode: str, as_json: bool,
              read: tuple[list, list[BadLine]] | None = None) -> int:
    """Answers every good line; `read` is the file already read (so it is checked before the
    model loads)."""
    questions, bad = read if read is not None else read_questions(path)
    failed: list[BadLine] = list(bad)
    for q in questions:
        try:
            if not encodable(q.id):
                raise InputError("the id is not valid Unicode (a lone surrogate)")
            answer = engine.ask(q.question, k=k, mode=mode, qid=q.id)
        except InputError as e:
            failed.append(BadLine(q.line, str(e)))
            continue
        if as_json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:  # the cleaned question, and no control characters (terminal escapes) in the id
            print(f"## {printable(q.id)}: {answer.question}\n{render(answer)}\n", flush=True)
    name = "<stdin>" if path == STDIN else path
    for b in sorted(failed, key=lambda b: b.line):
        print(f"{name}:{b.line}: {b.reason}", file=sys.stderr)
    if failed:
        print(f"{len(failed)} of {len(questions) + len(bad)} lines failed", file=sys.stderr)
    return 1 if failed else 0


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text)
