"""`footnoted add` and `footnoted papers`: the library on the command line.

    footnoted add PATH [--name NAME] [--title TITLE] [--home DIR] [--json]
    footnoted papers [--home DIR] [--json]
    footnoted remove NAME [--home DIR]

`add` prints what ingest found (pages, sections, footnotes linked to their markers and the
unlinked ones) and how to ask the paper; `papers` lists the library, the bundled paper first.
Leaves out the library itself (`index.library`) and its checks on the file (`ingest.guard`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from index.library import BUNDLED, Added, Cap, Entry
from ingest import InputError


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def describe(entry: Entry) -> list[str]:
    """What ingest found in a library paper, in a few lines."""
    from ingest.export import ranges

    unlinked = []
    if entry.markers_unlinked:
        unlinked.append(f"{plural(len(entry.markers_unlinked), 'marker')} without a footnote "
                        f"({ranges(list(entry.markers_unlinked))})")
    if entry.notes_unlinked:
        unlinked.append(f"{plural(len(entry.notes_unlinked), 'footnote')} without a marker "
                        f"({ranges(list(entry.notes_unlinked))})")
    return [f"pages {entry.pages}, sections {entry.sections}, paragraphs {entry.paragraphs}, "
            f"sentences {entry.sentences}, chunks {entry.chunks}",
            f"footnotes: {len(entry.linked)} linked to their markers"
            + (f"; unlinked: {', '.join(unlinked)}" if unlinked else "; none unlinked")]


def byline(e: Entry) -> str:
    """Title, authors and year as the library knows them ("(title given)" when the reader's)."""
    who = ", ".join(e.authors)
    tail = "; ".join(x for x in (who, str(e.year or "")) if x)
    return (f"{e.title}" + (f" ({tail})" if tail else "")
            + (" (title given)" if e.title_given else ""))


def added_text(added: Added) -> str:
    e = added.entry
    head = (f"added {e.name!r}" if added.new else
            f"already in the library as {e.name!r} (the same file)")
    lines = [f"{head}: {e.file_name} ({e.kind}, {e.bytes / 1e6:.1f} MB) in "
             f"{added.seconds:.1f} s", f"title: {byline(e)}", *describe(e),
             f'ask it: footnoted ask --paper {e.name} "QUESTION"']
    return "\n".join(lines)


def cap_of(args) -> Cap:
    """How much the library may hold, as `add --max-papers/--max-gib` say (InputError, one
    line, for a limit below 1)."""
    papers = Cap.papers if args.max_papers is None else args.max_papers
    gib = Cap.bytes / 2**30 if args.max_gib is None else args.max_gib
    if papers < 1 or not 0 < gib < 2**30:  # NaN and infinity too
        raise InputError(f"--max-papers is a whole number of at least 1 and --max-gib a "
                         f"number more than 0; got {papers} and {gib:g}")
    return Cap(papers, int(gib * 2**30), "footnoted remove NAME makes room, or add "
                                         "--max-papers N / --max-gib G raises the limit")


def add_main(args) -> int:
    from index import store
    from index.embed import Embedder
    from index.library import add

    home = Path(args.home) if args.home else store.default_home()

    def step(fraction: float, what: str) -> None:
        if sys.stderr.isatty():
            print(f"[{fraction:4.0%}] {what}", file=sys.stderr)

    added = add(args.path, home, Embedder(), name=args.name, step=step,
                progress=sys.stderr.isatty(), title=args.title, cap=cap_of(args))
    if args.json:
        print(json.dumps({"new": added.new, "seconds": round(added.seconds, 3),
                          **vars(added.entry)}, ensure_ascii=False))
    else:
        print(added_text(added))
    return 0


def papers_main(args) -> int:
    from corpus import PAPER
    from index import store
    from index.library import entries

    home = Path(args.home) if args.home else store.default_home()
    found = entries(home)
    if args.json:
        print(json.dumps([{"name": BUNDLED, "file_name": PAPER.name, "bundled": True}]
                         + [vars(e) | {"bundled": False} for e in found], ensure_ascii=False))
        return 0
    print(f"{BUNDLED}  (the default) {PAPER.name}")
    for e in found:
        print(f"{e.name}  {byline(e)}  [{e.kind}, {plural(e.pages, 'page')}, "
              f"{plural(len(e.linked), 'linked footnote')}, added {e.added[:10]}]")
    print(f"{plural(len(found), 'paper')} in {home / store.LIBRARY}")
    return 0


def remove_main(args) -> int:
    from index import store
    from index.library import remove

    home = Path(args.home) if args.home else store.default_home()
    entry = remove(home, args.name)
    print(f"removed {entry.name!r} ({entry.file_name}) and its index")
    return 0

