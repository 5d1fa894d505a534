"""The hand-built question set that ships with the bundled paper (`eval/questions.jsonl`).

Reading a question file is `ingest.questions`' job; this module only says where the bundled
set is. Leaves out scoring (`scoring`).
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_SET = Path(__file__).resolve().parent / "questions.jsonl"
