"""Builds the footnote table: entries found in footnote blocks, "Ibid." resolved, gaps listed.

"Ibid." (or "Id.", "Ibidem") takes the source of the footnote just before it; "Ibid., vol. 3,
p. 71" takes that source with its own locator, each part written once: a part the source has
(its volume, page, chapter, section, note) is replaced, one it lacks is added, and a bare
number is a page. "Author, op. cit., p. 9" (or loc. cit.) takes the source of the latest
earlier note that names every capitalised word before it ("Licklider and Taylor"), with its
locator, and any further citation after a ";" is kept. An Ibid. whose predecessor is missing
from the extract, or an op. cit. no earlier note matches, stays unresolved rather than
guessing. A printed "(continued...)" is taken out of a note joined over pages. Every number
cited in the text but absent from every block is `missing`; every entry that no marker in the
text cites is `unreferenced` (both are kept). A number printed twice is one footnote holding
both texts, the first's first. Leaves out finding the blocks (`layout`) and any judgement about
the sources themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from .layout import RawFootnote
from .records import Footnote

IBID = re.compile(r"^\s*(?:ibid(?:em)?|id)\b\.?\s*,?\s*(?P<loc>.*?)[\s.]*$", re.IGNORECASE)
OP_CIT = re.compile(r"^(?P<who>[^;]{2,200}?),?\s+(?:op|loc)\.\s*cit\b\.?\s*,?\s*"
                    r"(?P<loc>[^;]*?)[\s.]*(?:;\s*(?P<rest>.*))?$", re.IGNORECASE | re.DOTALL)
CAPITALISED = re.compile(r"\b[A-Z][\w\u2019'-]{2,}")
CONTINUED = re.compile(r"\s*\(\s*(?:\.{2,}|\u2026)?\s*continued(?:\s+(?:on|from)\s+(?:the\s+)?"
                       r"(?:next|previous)\s+page)?\s*(?:\.{2,}|\u2026)?\s*\)", re.IGNORECASE)
LOCATORS = {  # the parts of a locator, each written once
    "volume": re.compile(r"\bvols?\.\s*[0-9ivxlcdmIVXLCDM]+"),
    "page": re.compile(r"\bpp?\.\s*[0-9ivxlcdm]+(?:\s*[-\u2013]\s*[0-9ivxlcdm]+)?"),
    "chapter": re.compile(r"\bch(?:ap)?\.\s*[0-9ivxlcdmIVXLCDM]+"),
    "section": re.compile(r"(?:\u00a7+|\b[Ss]ec(?:tion)?s?\.?)\s*[0-9]+(?:\.[0-9]+)*"),
    "note": re.compile(r"\bnn?\.\s*[0-9]+"),
}
BARE_PAGES = re.compile(r"^[0-9]+(?:\s*[-\u2013]\s*[0-9]+)?$")


def with_page(source: str, loc: str) -> str:
    """The source with the locator `loc` ("vol. 3, p. 71"): each part it names replaces that
    part of the source, or is added where the source has none; a bare number is a page."""
    loc = loc.strip(" ,.")
    if BARE_PAGES.match(loc):
        loc = ("pp. " if re.search(r"[-\u2013]", loc) else "p. ") + loc
    parts = [(kind, m.group(0)) for kind, rx in LOCATORS.items() if (m := rx.search(loc))]
    if not parts:
        return f"{source.rstrip(' .')}, {loc}."
    out, added = source.rstrip(" ."), []
    for kind, part in parts:
        found = list(LOCATORS[kind].finditer(out))
        if found:
            last = found[-1]
            out = out[:last.start()] + part + out[last.end():]
        else:
            added.append(part)
    return ", ".join([out, *added]) + "."


def op_cit(raw: RawFootnote, earlier: list[Footnote]) -> tuple[str, int] | None:
    """(source, antecedent number) of an "Author, op. cit." note, or None (module doc)."""
    m = OP_CIT.match(raw.text)
    if m is None:
        return None
    words = CAPITALISED.findall(m.group("who"))
    if not words:
        return None
    base = next((f for f in reversed(earlier) if f.source and not f.ibid_of
                 and f.number < raw.number and OP_CIT.match(f.text) is None
                 and all(w in f.text for w in words)), None)
    if base is None:
        return None
    source = with_page(base.source, m.group("loc")) if m.group("loc").strip(" ,.") \
        else base.source
    if m.group("rest"):
        source = f"{source.rstrip(' .')}; {m.group('rest').strip()}"
    return source, base.number


def resolve(entries: Iterable[RawFootnote], cited: dict[int, int]) -> tuple[Footnote, ...]:
    """The footnote table, by number: `cited` maps each cited number to the page citing it."""
    by_number: dict[int, Footnote] = {}
    for raw in sorted(entries, key=lambda e: e.number):
        raw = replace(raw, text=CONTINUED.sub("", raw.text).strip())
        if raw.number in by_number:  # a number printed twice: one note, no word lost
            first = by_number[raw.number]
            text = f"{first.text} {raw.text}".strip()
            by_number[raw.number] = replace(
                first, text=text, source=text if first.source == first.text else first.source)
            continue
        ibid = IBID.match(raw.text)
        previous = by_number.get(raw.number - 1)
        flags = {"unreferenced": raw.number not in cited, "mark": raw.mark}
        back = op_cit(raw, list(by_number.values())) if ibid is None else None
        if back is not None:
            by_number[raw.number] = Footnote(raw.number, raw.text, back[0], False, raw.page,
                                             ibid_of=back[1], **flags)
        elif ibid is None:
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
