"""Builds the footnote table: entries found in footnote blocks, "Ibid." resolved, gaps listed.

"Ibid." takes the source of the footnote just before it; "Ibid, p. 71" takes that source with
its own page. An Ibid. whose predecessor is missing from the extract stays unresolved rather
than guessing. Every number cited in the text but absent from every block is `missing`; every
entry that no marker in the text cites is `unreferenced` (both are kept). A number printed
twice is one footnote holding both texts, the first's first.
Leaves out finding the blocks (`layout`) and any judgement about the sources themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from .layout import RawFootnote
from .records import Footnote

IBID = re.compile(r"^\s*ibid\b\.?\s*,?\s*(?P<loc>.*?)[\s.]*$", re.IGNORECASE)
PAGE = re.compile(r"\bpp?\.\s*[0-9]+(?:\s*[-\u2013]\s*[0-9]+)?")


def with_page(source: str, loc: str) -> str:
    """The source with its page reference replaced by `loc` ("p. 71"), or `loc` appended."""
    found = list(PAGE.finditer(source))
    if not found:
        return f"{source.rstrip(' .')}, {loc}."
    last = found[-1]
    return source[:last.start()] + loc + source[last.end():]


def resolve(entries: Iterable[RawFootnote], cited: dict[int, int]) -> tuple[Footnote, ...]:
    """The footnote table, by number: `cited` maps each cited number to the page citing it."""
    by_number: dict[int, Footnote] = {}
    for raw in sorted(entries, key=lambda e: e.number):
        if raw.number in by_number:  # a number printed twice: one note, no word lost
            first = by_number[raw.number]
            text = f"{first.text} {raw.text}".strip()
            by_number[raw.number] = replace(
                first, text=text, source=text if first.source == first.text else first.source)
            continue
        ibid = IBID.match(raw.text)
        previous = by_number.get(raw.number - 1)
        flags = {"unreferenced": raw.number not in cited, "mark": raw.mark}
        if ibid is None:
            by_number[raw.number] = Footnote(raw.number, raw.text, raw.text, False, raw.page,
                                             **flags)
        elif previous is None or previous.missing or previous.source is None:
            by_number[raw.number] = Footnote(raw.number, raw.text, None, False, raw.page,
                                             **flags)
        else:
            base = by_number[previous.ibid_of] if previous.ibid_of else previous
            loc = ibid.group("loc")
            source = with_page(base.text, loc) if loc else previous.source
            by_number[raw.number] = Footnote(raw.number, raw.text, source, False, raw.page,
                                             ibid_of=base.number, **flags)
    for number, page in cited.items():
        by_number.setdefault(number, Footnote(number, "", None, True, page))
    return tuple(by_number[n] for n in sorted(by_number))
