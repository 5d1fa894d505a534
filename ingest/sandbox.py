"""The child side of a guarded parse: `python -P -B -m ingest.sandbox PATH MEMORY CPU`.

Sets its own limits first (address space MEMORY bytes, CPU seconds, no file may be written,
a few open files, no core dump), then parses PATH with `load_document` and writes one JSON
object to standard output: `{"document": ...}` (`serial.to_plain`) or `{"error": "one line"}`
for a file the parser refuses. Running out of memory exits with status 3; a parser fault
with status 4 and its type on standard error. The limits are set here, in the child, rather
than by the parent between fork and exec, which is unsafe in a threaded server.
Leaves out the parent's side: spawning, the wall-clock timeout, reading the verdict (`guard`).
"""

from __future__ import annotations

import json
import resource
import signal
import sys

OUT_OF_MEMORY = 3
FAULT = 4


def limit(memory: int, cpu: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write then fails (EFBIG), it won't kill
    for which, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu),
                         (resource.RLIMIT_FSIZE, 0), (resource.RLIMIT_CORE, 0),
                         (resource.RLIMIT_NOFILE, 64)):
        soft, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, hard))


def main(argv: list[str]) -> int:
    path, memory, cpu = argv[0], int(argv[1]), int(argv[2])
    limit(memory, cpu)
    # NLTK imports scipy only for statistics no parser here uses, and falls back without it
    # (scipy is optional to NLTK): leaving it out takes about 2 s off every parse's start.
    sys.modules.setdefault("scipy", None)
    from .errors import InputError

    try:  # the parser's imports count against the limits too
        from .load import load_document
        from .serial import to_plain

        out = {"document": to_plain(load_document(path))}
    except InputError as e:
        if isinstance(e.__context__, MemoryError):  # a parser that said so in its own words
            return OUT_OF_MEMORY
        out = {"error": " ".join(str(e).split())}
    except MemoryError:
        return OUT_OF_MEMORY
    except RecursionError:
        out = {"error": "the file nests too deeply to parse"}
    except Exception as e:  # a parser fault on a hostile file: reported, never a traceback
        print(type(e).__name__, file=sys.stderr)
        return FAULT
    try:
        sys.stdout.write(json.dumps(out, ensure_ascii=False))
        sys.stdout.flush()
    except MemoryError:
        return OUT_OF_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
