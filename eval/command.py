"""`footnoted eval`'s entry point: a benchmark, a sweep, and the regression gate.

Reads the parsed options, opens the engine, runs `benchmark.benchmark` (or `sweep.sweep`, on
the dev split only), prints the report (markdown, or JSON with `--json`), and with
`--fail-under` returns 1 when the first system's means fall short, saying by how much.
Leaves out the option definitions (`app.cli`) and everything measured (`benchmark`, `sweep`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def split_of(args) -> str:
    """The split to score: as asked, else dev for a sweep and every question otherwise (the
    held-out test is a paper of its own now, not a split of a paper's set)."""
    return args.split or ("dev" if args.sweep else "all")


def main(args) -> int:
    """`footnoted eval`: the command line's entry point."""
    from index import open_engine

    from .gate import parse_floors, shortfalls

    split = split_of(args)
    floors = parse_floors(args.fail_under) if args.fail_under else None
    if args.sweep:
        from ingest import InputError

        from .sweep import parse, refuse_split

        refuse_split(split)
        if floors or args.runs or args.compare or args.export_trec or args.systems:
            raise InputError("--sweep varies the default system alone; it takes no --run, "
                             "--compare, --systems, --export-trec or --fail-under")
        parse(args.sweep)  # a bad spec is refused before the model loads
    from .benchmark import benchmark, resolve_compare, system_names

    systems = args.systems.split(",") if args.systems else None
    if systems is not None:
        system_names(systems)  # bad names and files are refused before the model loads
    if args.compare:
        resolve_compare(args.compare)
    engine = open_engine(args.paper, args.home)
    if args.sweep:
        return _sweep(engine, args, split)
    report = benchmark(engine, args.qset, split, Path(args.out), progress=True,
                       systems=systems, run_files=args.runs or (), compare=args.compare,
                       export=Path(args.export_trec) if args.export_trec else None)
    if args.json:
        print(json.dumps(report))
    else:
        print((Path(args.out) / "report.md").read_text(encoding="utf-8"))
    if floors:
        short = shortfalls(report["modes"][report["first"]], floors)
        for line in short:
            print(f"footnoted eval: {report['first']} below the floor: {line}", file=sys.stderr)
        return 1 if short else 0
    return 0


def _sweep(engine, args, split: str) -> int:
    from ingest import load_document

    from .qset import choose, load_set
    from .questions import DEFAULT_SET
    from .sweep import sweep
    from .sweep_report import write_sweep

    path = Path(args.qset) if args.qset else DEFAULT_SET
    doc = engine.data.document or load_document(engine.paper)  # saved with the index
    questions = choose(load_set(path, doc), split, path)
    result = sweep(engine, questions, args.sweep, progress=True)
    md = write_sweep(result, Path(args.out))
    print(json.dumps(result) if args.json else md)
    return 0
