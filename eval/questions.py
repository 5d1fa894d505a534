"""The hand-built question set that ships with the bundled paper (`corpus/questions.jsonl`).
Its dev split includes, as q346-q398, the 53 questions of the former held-out set (written on
29 Nov 2026 by reading the paper, scored whole seven times, merged into dev on 30 Nov 2026).

Reading a question file is `ingest.questions`' job; this module only says where the bundled
set is, and writes a small sample of it (`write_sample`: the first questions of each type, for
quick runs such as a test server's Evaluation tab). Leaves out scoring (`scoring`).
"""

from __future__ import annotations

from pathlib import Path

from corpus import QUESTIONS

DEFAULT_SET = QUESTIONS


def write_sample(path: Path, per_type: int = 2) -> Path:
    """Writes the first `per_type` questions of every type of the bundled set to `path`."""
    import json

    taken: dict[str, int] = {}
    lines = []
    for line in DEFAULT_SET.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        kind = json.loads(line).get("type", "unknown")
        if taken.get(kind, 0) < per_type:
            taken[kind] = taken.get(kind, 0) + 1
            lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
