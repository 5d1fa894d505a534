"""Links every footnote marker to its entry and numbers both: the last PDF stage before the model.

Pure. A marker links to the entry with the same mark on its page (or the next); numeric marks
keep their number when no page reuses it, anything else is numbered after the largest (its
printed mark kept). Markers after the first heading claim entries before the title block's
raised affiliation numbers, which take only unclaimed ones. A raised symbol with no entry of
that symbol near it is not a marker (an asterisk in code); raised digits whose entries on the
page are all cited already are an exponent ("km²"), and so are raised digits glued to a digit
or a variable unless an uncited entry of that number is on the page ("10³" beside note 3, but
"since 1987¹" over note 1); exponents go back into the text as superscript digits.
Leaves out finding markers and entries (`lines`, `blocks`).
"""

from __future__ import annotations

from ..layout import Heading, RawFootnote, RawParagraph
from .blocks import _Para
from .lines import SUPERSCRIPT


def number_marks(blocks: list, entries: list[tuple[str, int, str]]) -> tuple[list, tuple]:
    """Link every marker to its entry and give both numbers: (blocks, footnotes)."""
    links = _Links(entries)
    first = next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), 0)
    markers: dict[int, list[tuple[int, int]]] = {}
    exponents: dict[int, list[tuple[int, str, int]]] = {}
    for part in (range(first, len(blocks)), range(first)):  # the title block's raised
        paras = [i for i in part if isinstance(blocks[i], _Para)]  # affiliations come last
        title = part.start == 0 and first > 0  # and take only entries still unclaimed
        for i in paras:
            markers[i], exponents[i] = [], []
            for o, m, p in blocks[i].markers:
                if m.isdigit() and links.spent(m, p):  # "4 km" + raised 2, note 2 cited
                    exponents[i].append((o, m, p))
                elif links.keeps(m, p) and (n := links.link(m, p, reuse=not title)) is not None:
                    markers[i].append((o, n))
        for i in paras:
            for o, digits, page in blocks[i].exponents:
                if links.unclaimed(digits, page):  # "since 1987" + raised "1" over note 1
                    markers[i].append((o, links.link(digits, page)))
                else:
                    exponents[i].append((o, digits, page))
    out = []
    for i, block in enumerate(blocks):
        if isinstance(block, Heading):
            out.append(block)
            continue
        text, page_marks, marks = block.text, list(block.page_marks), markers[i]
        for o, digits, _ in sorted(exponents[i], reverse=True):
            sup = digits.translate(SUPERSCRIPT)  # an exponent: "10" + "3" is "10³"
            text = text[:o] + sup + text[o:]
            marks = [(x + len(sup) if x >= o else x, n) for x, n in marks]
            page_marks = [(x + len(sup) if x > o else x, n) for x, n in page_marks]
        out.append(RawParagraph(text, tuple(sorted(marks, key=lambda t: t[0])),
                                tuple(page_marks)))
    notes = tuple(RawFootnote(n, text, page, "" if mark == str(n) else mark)
                  for (mark, page, text), n in zip(entries, links.numbers, strict=True))
    return out, notes


class _Links:
    """Which entry each marker cites, and the numbers entries and markers get."""

    def __init__(self, entries: list[tuple[str, int, str]]) -> None:
        self.entries = entries
        numeric = [m for m, _, _ in entries if m.isdigit()]
        self.unique = {m for m in numeric if numeric.count(m) == 1}
        self.top = max([int(m) for m in self.unique] + [0])
        self.numbers: list[int] = []
        for mark, _, _ in entries:
            if mark in self.unique:
                self.numbers.append(int(mark))
            else:
                self.top += 1
                self.numbers.append(self.top)
        self.used = set(self.numbers)
        self.free = set(range(len(entries)))  # entries no marker has claimed yet

    def keeps(self, mark: str, page: int) -> bool:
        """A number is always a marker; a symbol only with an entry of that symbol near it."""
        return mark.isdigit() or any(m == mark and p in (page, page + 1)
                                     for m, p, _ in self.entries)

    def spent(self, mark: str, page: int) -> bool:
        """Has every entry of this mark on this page been claimed already?"""
        here = [i for i, (m, p, _) in enumerate(self.entries) if m == mark and p == page]
        return bool(here) and not any(i in self.free for i in here)

    def unclaimed(self, mark: str, page: int) -> bool:
        return any(self.entries[i][0] == mark and self.entries[i][1] in (page, page + 1)
                   for i in self.free)

    def link(self, mark: str, page: int, reuse: bool = True) -> int | None:
        """The number a marker cites: an unclaimed entry of its mark on its page or the next,
        else (`reuse`) one already cited there or elsewhere, else a missing footnote's."""
        for wanted in (page, page + 1):
            for i in sorted(self.free):
                if self.entries[i][0] == mark and self.entries[i][1] == wanted:
                    self.free.discard(i)
                    return self.numbers[i]
        if not reuse:
            return None
        for i, (m, p, _) in enumerate(self.entries):
            if m == mark and p in (page, page + 1):
                return self.numbers[i]
        if mark in self.unique:
            return int(mark)
        if mark.isdigit() and int(mark) not in self.used:
            self.used.add(int(mark))
            return int(mark)
        self.top += 1
        return self.top
