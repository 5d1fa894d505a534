"""The `footnoted` command line: one parser, subcommands that import their stage lazily.

Exit status: 0 done; 1 some batch lines failed, or an internal fault (one line); 2 bad input
or options (one line on stderr). No traceback reaches a user; Gradio is never imported on
the CLI's path. This is the program's edge: it alone quiets the model libraries and sets up
logging. Leaves out what each command does (its stage's module).
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_FAILED = 1
EXIT_USAGE = 2


def edge_logging() -> None:
    """Warnings and errors on stderr, one line each. The level is set on the handler, so a
    library that sets its own logger to DEBUG on import (bm25s does) prints nothing more."""
    root = logging.getLogger()
    if not root.handlers:  # a host program (or pytest) that set up logging keeps its own
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("%(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.WARNING)


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _chunking(args: argparse.Namespace):
    from ingest import Chunking, InputError

    try:
        return Chunking(chars=args.chunk_chars, overlap=args.chunk_overlap)
    except ValueError as e:  # the options are the user's: their mistake, exit 2
        raise InputError(str(e)) from None


def _ingest(args: argparse.Namespace) -> int:
    from corpus import PAPER
    from ingest import chunk, load_document
    from ingest.export import document_json, summary
    from ingest.guard import parse_untrusted

    path = args.path or str(PAPER)
    how = _chunking(args)
    # a file of the user's is parsed as an upload is, in a limited child process
    doc = load_document(path) if not args.path else parse_untrusted(Path(path))
    chunks = chunk(doc, how)
    if args.json:
        print(json.dumps(document_json(doc, chunks, path), ensure_ascii=False))
    else:
        print(summary(doc, chunks, path))
    return 0


def _engine(args: argparse.Namespace, rebuild: bool = False, progress: bool = False):
    from index import open_engine

    embedder = None
    if getattr(args, "torch_queries", False):  # the query path before the ONNX export
        from index.embed import Embedder

        embedder = Embedder()
    return open_engine(args.paper, args.home, rebuild=rebuild, embedder=embedder,
                       progress=progress or sys.stderr.isatty())


def _collection(args: argparse.Namespace, papers: list[str]):
    """The library asked as one: every paper (`--library`), or those named."""
    from index.collection import Collection
    from ingest import InputError

    if args.library and papers:
        raise InputError("give --library (every paper) or --paper NAME (repeated), not both")
    return Collection.open(args.home, papers or None)


def _index(args: argparse.Namespace) -> int:
    from index import store

    engine = _engine(args, rebuild=args.rebuild, progress=True)
    root = store.index_root(engine.home, engine.paper)
    saved = store.saved_config(store.current_build(root))
    print(f"{engine.status}: {len(engine.data.chunks)} chunks, "
          f"{len(engine.data.sentences)} sentences -> {root / 'current'}\n"
          f"configuration: {json.dumps(saved.to_dict())}")
    return 0


def _ask(args: argparse.Namespace) -> int:
    from app.batch import ask_batch
    from app.format import render
    from index.engine import check_request
    from ingest import InputError

    if (args.question is None) == (args.batch is None):
        raise InputError("give one QUESTION or --batch FILE")
    if args.cite and args.batch is not None:
        raise InputError("--cite cites one QUESTION's passages; --batch takes none")
    read = None
    if args.question is not None:  # refuse bad input before paying for the model
        check_request(args.question, args.k, args.mode)
    else:
        from ingest.questions import read_questions

        check_request("?", args.k, args.mode)
        read = read_questions(args.batch)
    papers = args.paper or []
    several = args.library or len(papers) > 1
    if several:
        engine = _collection(args, papers)
    else:
        args.paper = papers[0] if papers else None
        engine = _engine(args)
    if args.batch is not None:
        return ask_batch(engine, args.batch, args.k, args.mode, args.json, read)
    answer = engine.ask(args.question, k=args.k, mode=args.mode)
    entries = []
    if args.cite:
        from app.cite import answer_entries, ref_meta
        from app.library_view import paper_meta

        meta = ref_meta(answer.papers[0]) if several else paper_meta(engine)
        entries = answer_entries(answer, meta, args.cite,
                                 {r.name: ref_meta(r) for r in answer.papers})
    if args.json:
        cite = {"cite": {"format": args.cite, "entries": entries}} if args.cite else {}
        print(json.dumps(answer.to_dict() | cite, ensure_ascii=False))
    else:
        print(render(answer) + ("\n\n" + "\n\n".join(entries) if entries else ""))
    return 0


def _eval(args: argparse.Namespace) -> int:
    from eval.command import main as benchmark

    return benchmark(args)


def _bench(args: argparse.Namespace) -> int:
    from eval.perf.bench import main as bench

    return bench(args)


def _add(args: argparse.Namespace) -> int:
    from .library_cli import add_main

    return add_main(args)


def _remove(args: argparse.Namespace) -> int:
    from .library_cli import remove_main

    return remove_main(args)


def _papers(args: argparse.Namespace) -> int:
    from .library_cli import papers_main

    return papers_main(args)


def _serve(args: argparse.Namespace) -> int:
    from app.web import serve
    from ingest import InputError

    if args.batch < 1:
        raise InputError(f"--batch must be at least 1, got {args.batch}")
    check_listen(args.host, args.port)  # before the model loads, not a minute later
    from index.store import default_home

    home = args.home or default_home()  # uploads are kept there too, nowhere else
    os.environ.setdefault("GRADIO_TEMP_DIR", str(Path(home).resolve() / "uploads"))
    clean_at_start(Path(home), Path(os.environ["GRADIO_TEMP_DIR"]))
    serve(_engine(args), args.host, args.port, args.share, args.reports,
          args.eval_set, args.batch, args.allow_remote_benchmark)
    return 0


def clean_at_start(home: Path, uploads: Path, age: float = 3600.0) -> None:
    """What earlier servers left: uploads older than `age` seconds (the app deletes them at
    that age while it runs), and the library's folders of adds or removals that died."""
    import shutil
    import time

    from index.library import sweep
    from index.store import LIBRARY

    if (home / LIBRARY).is_dir():
        sweep(home / LIBRARY)
    if not uploads.is_dir():
        return
    cutoff = time.time() - age
    for entry in uploads.iterdir():
        try:
            if entry.lstat().st_mtime < cutoff:
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() \
                    else entry.unlink()
        except OSError:  # another server's, in use, or gone already
            pass


def check_listen(host: str, port: int) -> None:
    """InputError (one line) unless the server could listen on host:port right now."""
    import socket

    from ingest import InputError

    if not 1 <= port <= 65535:
        raise InputError(f"port must be from 1 to 65535, got {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise InputError(f"cannot listen on {host}: {getattr(e, 'strerror', None) or e}") \
            from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise InputError(f"port {port} is in use on {host}") from None
            raise InputError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--paper", help="a library paper's name (footnoted papers) or a file "
                   "(default: the bundled paper)")
    p.add_argument("--home", help="index folder (default: $FOOTNOTED_HOME or the user cache)")


def build_parser() -> argparse.ArgumentParser:
    from index.config import MAX_K, MODES, Config

    defaults = Config()
    parser = Parser(prog="footnoted", description="Ask a research paper; get cited passages.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    p = sub.add_parser("ingest", help="parse a paper and show its structure")
    p.add_argument("path", nargs="?",
                   help="a paper: PDF, Markdown or text (default: the bundled paper)")
    p.add_argument("--json", action="store_true", help="print the document model as JSON")
    p.add_argument("--chunk-chars", type=int, default=defaults.chunking.chars,
                   help="soft cap on chunk length")
    p.add_argument("--chunk-overlap", type=int, default=defaults.chunking.overlap,
                   help="sentences shared by chunks")
    p.set_defaults(run=_ingest)
    p = sub.add_parser("add", help="add a paper (PDF, text, Markdown) to the library")
    p.add_argument("path", help="the paper's file (at most 50 MB and 500 pages)")
    p.add_argument("--name", help="its library name (default: made from the file name)")
    p.add_argument("--title", help="the title to show and cite (default: the one the paper "
                   "prints, else its PDF metadata, else the file name)")
    p.add_argument("--home", help="library folder (default: $FOOTNOTED_HOME or the user cache)")
    p.add_argument("--json", action="store_true", help="print the library entry as JSON")
    p.add_argument("--max-papers", type=int, default=None,
                   help="refuse the paper when the library already holds this many (default: "
                        "200)")
    p.add_argument("--max-gib", type=float, default=None,
                   help="refuse the paper when the library's folder uses this many GiB "
                        "(default: 4)")
    p.set_defaults(run=_add)
    p = sub.add_parser("papers", help="list the library's papers")
    p.add_argument("--home", help="library folder (default: $FOOTNOTED_HOME or the user cache)")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(run=_papers)
    p = sub.add_parser("remove", help="remove a paper and its index from the library")
    p.add_argument("name", help="its library name (footnoted papers lists them)")
    p.add_argument("--home", help="library folder (default: $FOOTNOTED_HOME or the user cache)")
    p.set_defaults(run=_remove)
    p = sub.add_parser("index", help="build the search index (done by itself on first use)")
    _common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild even if it is current")
    p.set_defaults(run=_index)
    p = sub.add_parser("ask", help="answer a question with cited passages")
    p.add_argument("question", nargs="?", help="the question")
    p.add_argument("--batch", metavar="FILE", help="JSONL ({id, question}) or one question a line")
    p.add_argument("--k", type=int, default=defaults.k, help=f"passages to return (1-{MAX_K})")
    p.add_argument("--mode", choices=MODES, default=defaults.mode)
    p.add_argument("--json", action="store_true", help="print JSON (one object a line)")
    p.add_argument("--cite", choices=("bibtex", "ris"),
                   help="also the cited passages and their sources as BibTeX or RIS")
    p.add_argument("--paper", action="append", metavar="NAME",
                   help="a library paper's name (footnoted papers) or a file (default: the "
                   "bundled paper); give it again to ask several library papers at once")
    p.add_argument("--library", action="store_true",
                   help="ask every paper of the library at once (the bundled one included)")
    p.add_argument("--home", help="index folder (default: $FOOTNOTED_HOME or the user cache)")
    p.set_defaults(run=_ask)
    p = sub.add_parser("eval", help="benchmark retrieval on the hand-built set")
    p.add_argument("--set", dest="qset", metavar="FILE", help="question set (JSONL)")
    p.add_argument("--split", choices=("test", "dev", "all"),
                   help="all (default), dev (default for --sweep) or test")
    p.add_argument("--out", default="reports/latest", help="report folder")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--systems", metavar="LIST", help="hybrid,dense,bm25,baseline (default all)")
    p.add_argument("--run", dest="runs", action="append", metavar="FILE",
                   help="score a saved run (JSONL, or TREC over passage ids); repeatable")
    p.add_argument("--compare", nargs=2, metavar=("A", "B"),
                   help="two systems or run files, question by question")
    p.add_argument("--export-trec", metavar="DIR", help="also write qrels and TREC runs")
    p.add_argument("--sweep", metavar="NAME=VALUES",
                   help="vary one search or answer setting on dev, e.g. alpha=0.5:0.9:0.1")
    p.add_argument("--fail-under", metavar="FLOORS",
                   help="exit 1 below a floor, e.g. budget_recall=0.85,mrr@10=0.75")
    _common(p)
    p.set_defaults(run=_eval)
    p = sub.add_parser("bench", help="time and memory against their floors (docs/performance.md)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--growth", action="store_true",
                   help="instead, synthetic corpora of 10^3..10^6 passages (takes longer)")
    p.add_argument("--sizes", default="1000,10000,100000,1000000",
                   help="growth corpus sizes, comma-separated")
    p.add_argument("--repeat", type=int, default=3, help="fresh processes per cold-start figure")
    p.add_argument("--no-load", action="store_true",
                   help="skip the servers under load (batched against unbatched)")
    p.add_argument("--out", default="reports/bench", help="folder for the JSON, Markdown, plot")
    _common(p)
    p.set_defaults(run=_bench)
    p = sub.add_parser("serve", help="the browser app (loopback unless --host says otherwise)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--share", action="store_true", help="also make a public gradio.live link")
    p.add_argument("--reports", help="evaluation report folder (default: under --home)")
    p.add_argument("--eval-set", metavar="FILE",
                   help="question set the Evaluation tab scores (default: the bundled set)")
    p.add_argument("--batch", type=int, default=8, metavar="N",
                   help="most questions embedded in one forward pass (1: no batching)")
    p.add_argument("--allow-remote-benchmark", action="store_true",
                   help="let any client start a benchmark run (default: loopback clients of "
                        "an unshared server only)")
    p.add_argument("--torch-queries", action="store_true",
                   help="embed questions with torch, not the ONNX export (for benchmarks)")
    _common(p)
    p.set_defaults(run=_serve)
    return parser


def quiet_libraries() -> None:
    """The program's edge, before any model code is imported: never ask a hub (the model is a
    local folder anyway), and no weight-loading progress bars or advice from transformers and
    huggingface_hub on a user's terminal. A caller's own settings win."""
    for name, value in (("HF_HUB_OFFLINE", "1"), ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
                        ("TRANSFORMERS_VERBOSITY", "error")):
        os.environ.setdefault(name, value)


def main(argv: Sequence[str] | None = None) -> int:
    from ingest import InputError

    args = build_parser().parse_args(argv)
    quiet_libraries()
    edge_logging()
    try:
        return args.run(args)
    except InputError as e:  # the user's to fix
        print(f"footnoted {args.command}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, RuntimeError, TypeError, KeyError, IndexError, AttributeError) as e:
        said = " ".join(str(e).split())[:300]
        print(f"footnoted {args.command}: internal error ({type(e).__name__}: {said}); "
              "please report it", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # `footnoted ... | head` closed the pipe: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep the interpreter's flush quiet
        return 0
    except OSError as e:
        print(f"footnoted {args.command}: error: {e.strerror or e}: {e.filename or ''}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
