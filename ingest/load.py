"""Reads a paper from disk with clear errors: the I/O edge of `ingest`.

Refuses what is not a text paper (missing, a folder, empty, too large, binary, not UTF-8)
with an `InputError` of one line; anything that decodes is parsed (`parse_document` never
raises). `-` is standard input, and a pipe such as `/dev/stdin` is read like a file.
Leaves out parsing (`document`) and any other format than UTF-8 text.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from .document import parse_document
from .errors import InputError
from .records import Document

MAX_BYTES = 64 * 1024 * 1024  # a text paper or question file larger than this is refused
STDIN = "-"


def read_bytes(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a file, a pipe (`/dev/stdin`) or standard input (`-`), at most `limit`."""
    if str(path) == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"no such file: {p}")
        if p.is_dir():
            raise InputError(f"not a file: {p}")
        with p.open("rb") as f:
            data = f.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"larger than {limit // (1024 * 1024)} MB: {path}")
    return data


def read_text(path: str | Path) -> str:
    p = "standard input" if str(path) == STDIN else Path(path)
    data = read_bytes(path)
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
