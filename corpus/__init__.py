"""The papers, as data: the bundled one, and the real papers the answer models learn from.

- the bundled paper: a text file, `metadata.json` and its question set `questions.jsonl`
  beside this module;
- `papers/<slug>/`: one real paper a folder, `paper.pdf` with `provenance.json` (where it
  came from, its licence, how the PDF was made) and `questions.jsonl` (written by reading it,
  before anything was tuned on it: docs/questions.md);
- `test/<slug>/`: the test paper, laid out the same way; its questions were written by
  someone who does not work on the answer layer and are scored once, at the end.
Leaves out reading the papers (`ingest`) and the questions (`eval.qset`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAPER = HERE / "gender_and_north_korean_defectors.txt"
METADATA = HERE / "metadata.json"
QUESTIONS = HERE / "questions.jsonl"
BUNDLED = "bundled"  # the bundled paper's slug in question sets


def metadata() -> dict:
    return json.loads(METADATA.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Paper:
    slug: str
    path: Path  # the paper itself
    questions: Path  # its question set
    provenance: dict


def bundled() -> Paper:
    return Paper(BUNDLED, PAPER, QUESTIONS, metadata())


def folder_papers(root: Path) -> list[Paper]:
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else ():
        provenance = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
        out.append(Paper(folder.name, folder / "paper.pdf", folder / "questions.jsonl",
                         provenance))
    return out


def papers() -> list[Paper]:
    """The papers the answer models learn from: the bundled one first."""
    return [bundled(), *folder_papers(HERE / "papers")]


def test_papers() -> list[Paper]:
    """The test paper(s): never read while choosing anything."""
    return folder_papers(HERE / "test")
