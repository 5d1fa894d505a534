"""Parses a file nobody here wrote, bounded: its size first, then `load_document` in a child
process with limits on memory, CPU time and wall time, then its page count.

    doc = parse_untrusted(path)              # Limits(): 50 MB, 500 pages, 300 s CPU, 2 GiB
    doc = parse_untrusted(path, Limits(seconds=30))

Every refusal is an `InputError` of one line: too large, too many pages, too much processor
time (what a file costs, whatever the machine's load) or wall time (twice that, a backstop),
needed too much memory, or the parser's own message (encrypted, damaged, not text...). The
child (`sandbox`) may write no byte to any file, and runs with `-P` so no folder of the
caller's is searched for modules. Leaves out where the file came from and where the result goes
(`index.library`).
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .records import Document
from .serial import document_from_plain

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent  # where the `ingest` package is importable


@dataclass(frozen=True)
class Limits:
    """What one untrusted file may cost."""

    bytes: int = 50 * MB
    pages: int = 500
    seconds: float = 300.0  # processor time of the parsing process, its start included
    memory: int = 2048 * MB  # address space of the parsing process
    wall: float | None = None  # wall clock, waiting included; None: twice `seconds`
    # passages its index may have (`index.build` refuses more before embedding any): about
    # 230 pages of a dense paper; embedding them takes a core about a minute here
    passages: int = 2000

    def __post_init__(self) -> None:
        for name in ("bytes", "pages", "memory", "passages"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive whole number, got {value!r}")
        if not self.seconds > 0 or not (self.wall is None or self.wall > 0):
            raise ValueError(f"seconds must be positive, got {self.seconds!r}, {self.wall!r}")

    @property
    def wall_seconds(self) -> float:
        return 2 * self.seconds if self.wall is None else self.wall


def megabytes(n: int) -> str:
    return f"{n / MB:.1f} MB" if n % MB else f"{n // MB} MB"


def check_size(path: Path, limits: Limits = Limits()) -> int:  # noqa: B008 - frozen
    """The file's size in bytes; InputError when it is missing, not a file, empty or too big."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"no such file: {path.name}") from None
    except OSError as e:
        raise InputError(f"cannot read {path.name}: {e.strerror or e}") from None
    if not path.is_file():
        raise InputError(f"not a file: {path.name}")
    if info.st_size == 0:
        raise InputError("the file is empty")
    if info.st_size > limits.bytes:
        raise InputError(f"the file is larger than {megabytes(limits.bytes)} "
                         f"({info.st_size:,} bytes)")
    return info.st_size


def parse_untrusted(path: str | Path, limits: Limits = Limits(),  # noqa: B008 - frozen
                    name: str | None = None) -> Document:
    """The document model of `path`, parsed in a limited child process; its messages call
    the file `name` (default: its file name), not by the path it was copied to."""
    path = Path(path)
    check_size(path, limits)
    cpu = max(1, math.ceil(limits.seconds))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env |= {"PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-P", "-B", "-m", "ingest.sandbox", str(path.resolve()),
               str(limits.memory), str(cpu)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=limits.wall_seconds,
                              env=env, cwd=path.resolve().parent, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise InputError(f"parsing took longer than {limits.wall_seconds:g} s; the file was "
                         "refused") from None
    doc = verdict(done, limits, {str(path.resolve()): name or path.name})
    if doc.pages > limits.pages:
        raise InputError(f"the document has {doc.pages} pages; the limit is {limits.pages}")
    return doc


def verdict(done: subprocess.CompletedProcess, limits: Limits,
            names: dict[str, str] | None = None) -> Document:
    """The child's document, or an InputError saying why there is none (with each path in
    `names` said as its name)."""
    from .sandbox import FAULT, OUT_OF_MEMORY

    code = done.returncode
    if code == OUT_OF_MEMORY:
        raise InputError(f"parsing needed more than {megabytes(limits.memory)} of memory; "
                         "the file was refused")
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        raise InputError(f"parsing used more than {math.ceil(limits.seconds)} s of processor "
                         "time; the file was refused")
    if code == FAULT:
        fault = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise InputError(f"the file could not be parsed ({fault[0][:80]}); it may be damaged")
    if code != 0:
        raise InputError(f"the parser stopped (exit status {code}); the file was refused")
    try:
        out = json.loads(done.stdout)
    except ValueError:
        raise InputError("the parser's output was unreadable; the file was refused") from None
    if isinstance(out, dict) and "error" in out:
        said = str(out["error"])
        for path, name in (names or {}).items():
            said = said.replace(path, name)
        raise InputError(said)
    try:
        return document_from_plain(out["document"])
    except (ValueError, TypeError, KeyError) as e:
        raise InputError(f"the parser's output was unreadable ({type(e).__name__})") from None
