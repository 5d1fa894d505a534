"""The bundled paper, as data: its text file and a small metadata file beside this module."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAPER = HERE / "gender_and_north_korean_defectors.txt"
METADATA = HERE / "metadata.json"


def metadata() -> dict:
    return json.loads(METADATA.read_text(encoding="utf-8"))
