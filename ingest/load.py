"""Reads a paper from disk with clear errors: the I/O edge of `ingest`.

Refuses what is not a text paper (missing, a folder, empty, binary, not UTF-8) with an
`InputError` of one line; anything that decodes is parsed (`parse_document` never raises).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .document import parse_document
from .errors import InputError
from .records import Document


def read_text(path: str | Path) -> str:
    p = Path(path)
    if not p.exists():
        raise InputError(f"no such file: {p}")
    if not p.is_file():
        raise InputError(f"not a file: {p}")
    data = p.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"UTF-16 text; save it as UTF-8: {p}")
    if b"\x00" in data[:65536]:
        raise InputError(f"looks like a binary file, not extracted text: {p}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 text ({e.reason} at byte {e.start}): {p}") from None
    if not text.strip():  # after decoding: a byte-order mark or Unicode spaces alone
        raise InputError(f"the file is empty: {p}")
    return text


def sha256_of(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_document(path: str | Path) -> Document:
    return parse_document(read_text(path))
