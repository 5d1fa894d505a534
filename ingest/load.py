"""Reads a paper from disk with clear errors: the I/O edge of `ingest`.

`load_document(path)` is the one entry point for every format, chosen by content and name:
a PDF (`%PDF-` in its first kilobyte; `pdf`), Markdown (`.md`, `.markdown`; `markdown`),
else text: the bundled extraction's layout or ordinary text (`layout`). It refuses with an
`InputError` of one line what it cannot read: missing, a folder, empty, too large, binary
or not UTF-8 text, a PDF that is encrypted, damaged or over the page limit, and a paper in
which no body text is found (a file of numbers) rather than building an empty index. Parsing
itself never raises on any text. `-` is standard input, and a pipe such as `/dev/stdin` is
read like a file.
Leaves out parsing (`document`, `markdown`, `pdf`) and limits on time and memory, which the
caller sets around it (an upload is hostile until parsed).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from .document import build_document, parse_document
from .errors import InputError
from .records import Document

MAX_BYTES = 64 * 1024 * 1024  # a text paper or question file larger than this is refused
STDIN = "-"
MARKDOWN = (".md", ".markdown")


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


def decode_text(data: bytes, p: str | Path) -> str:
    """UTF-8 text (a byte-order mark allowed), or a one-line `InputError` saying why not."""
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


def read_text(path: str | Path) -> str:
    p = "standard input" if str(path) == STDIN else Path(path)
    return decode_text(read_bytes(path), p)


def sha256_of(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def kind_of(path: str | Path, data: bytes) -> str:
    """"pdf", "markdown" or "text": the content decides a PDF, the name Markdown."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    suffix = Path(str(path)).suffix.lower()
    if suffix == ".pdf":
        raise InputError(f"not a PDF (no %PDF- header): {path}")
    return "markdown" if suffix in MARKDOWN else "text"


def parse_bytes(data: bytes, kind: str, name: str | Path = "the paper") -> Document:
    """The document model of a paper's bytes of the given kind ("pdf", "markdown", "text")."""
    if kind == "pdf":
        from .pdf import parse_pdf

        doc = parse_pdf(data, name)
    elif kind == "markdown":
        from .markdown import read_markdown

        doc = build_document(read_markdown(decode_text(data, name)))
    else:
        doc = parse_document(decode_text(data, name))
    require_body(doc, name)
    return doc


def require_body(doc: Document, name: str | Path) -> None:
    """A paper must have some body text, not only footnote markers, notes or page numbers."""
    if not doc.sentences:
        raise InputError(f"no body text found (only numbers, markers or notes): {name}")


def load_document(path: str | Path) -> Document:
    """The document model of a paper file of any supported format; `InputError` if unreadable."""
    data = read_bytes(path)
    p = "standard input" if str(path) == STDIN else Path(path)
    return parse_bytes(data, kind_of(path, data), p)


def parser_version() -> str:
    """A digest of the parser's own source files: a saved index records it, and one parsed
    by other code (an upgrade that reads titles, notes or sentences differently) is rebuilt
    rather than served stale."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]
