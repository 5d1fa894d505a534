"""The `footnoted` command line: one parser, subcommands that import their stage lazily.

Every domain error becomes one line on stderr and a non-zero exit; no traceback reaches a user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

EXIT_USAGE = 2


def _ingest(args: argparse.Namespace) -> int:
    from corpus import PAPER
    from ingest import Settings, chunk, load_document
    from ingest.export import document_json, summary

    path = args.path or str(PAPER)
    settings = Settings(chunk_chars=args.chunk_chars, chunk_overlap=args.chunk_overlap)
    doc = load_document(path)
    chunks = chunk(doc, settings)
    if args.json:
        json.dump(document_json(doc, chunks, path), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(summary(doc, chunks, path))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="footnoted", description="Ask a research paper; get cited passages.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="parse a paper and show its structure")
    p.add_argument("path", nargs="?", help="extracted text of a paper (default: bundled paper)")
    p.add_argument("--json", action="store_true", help="print the document model as JSON")
    p.add_argument("--chunk-chars", type=int, default=600, help="soft cap on chunk length")
    p.add_argument("--chunk-overlap", type=int, default=1, help="sentences shared by chunks")
    p.set_defaults(run=_ingest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ValueError as e:  # InputError and settings validation: the user's to fix
        print(f"footnoted {args.command}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as e:
        print(f"footnoted {args.command}: error: {e.strerror or e}: {e.filename or ''}",
              file=sys.stderr)
        return 1
    except BrokenPipeError:  # `footnoted ... | head` closed the pipe: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep the interpreter's flush quiet
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
