"""Splits each page's lines into running header/footer, body and footnote zone; reads labels.

Pure. The body size is the most common glyph size of the document (by characters). A page's
top or bottom line is a running header or footer when it repeats on other pages (digits
aside), is a page number alone, or carries the page's printed number at one end (the number
agrees with the page's position, by the offset most pages share). Those numbers are the
printed page labels. A footnote zone is the bottom of a column: the lines under a short rule,
or else a trailing run of lines smaller than the body whose first line opens with a raised
footnote mark or a note symbol († ‡ § ⋆; a plain number opening a small line is too often a
code listing's line number).
Leaves out reading the zones' contents (`blocks`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .lines import MARK, Line
from .read import Rule

ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
PAGE_ONLY = re.compile(r"^(?:page\s+)?[-\u2013\u2014 ]*([0-9]{1,4}|[ivxlcdm]{1,7})"
                       r"[-\u2013\u2014 ]*(?:of\s+[0-9]+)?$", re.IGNORECASE)
ENDS_NUMBER = re.compile(r"^([0-9]{1,4})\s+\S|\S\s+([0-9]{1,4})$")
ENTRY = re.compile(r"^([0-9]{1,3}|[*\u2217\u2020\u2021\u00a7\u00b6\u2016\u22c6]{1,3}"
                   r"|\(cid:[0-9]+\))\.?\s+\S")
SYMBOL_ENTRY = re.compile(r"^(?:[\u2217\u2020\u2021\u00a7\u00b6\u2016\u22c6]|\(cid:[0-9]+\))\s")
SMALLER = 0.93  # footnote type is smaller than this share of the body size
SHORT_RULE = 0.7  # a footnote rule is at most this share of the text's width (and starts
# at its left edge, at least three body sizes long)


@dataclass(frozen=True)
class PageZones:
    page: int
    label: str | None  # the printed page number, when one was found
    body: tuple[Line, ...]
    notes: tuple[Line, ...]  # the footnote zone's lines, every column's, in reading order


def body_size(pages: list[list[Line]]) -> float:
    """The most common type size, counted in characters (the body text's)."""
    counts: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            counts[round(line.size * 2) / 2] += len(line.text)
    return counts.most_common(1)[0][0] if counts else 10.0


def signature(text: str) -> str:
    return re.sub(r"[0-9]+|\b[ivxlcdm]+\b", "#", text.lower()).strip()


def page_number(line: Line) -> str | None:
    """The page number a header or footer line prints alone or at one end, if any."""
    only = PAGE_ONLY.match(line.text.strip())
    if only and (only.group(1).isdigit() or ROMAN.match(only.group(1).lower())):
        return only.group(1)
    end = ENDS_NUMBER.search(line.text.strip())
    return (end.group(1) or end.group(2)) if end else None


def common_offset(pages: list[list[Line]]) -> int | None:
    """The offset (printed number - position) most pages' top or bottom lines agree on."""
    offsets: Counter[int] = Counter()
    for index, lines in enumerate(pages, start=1):
        for line in edge_lines(lines):
            number = page_number(line)
            if number and number.isdigit():
                offsets[int(number) - index] += 1
    if not offsets:
        return None
    offset, count = offsets.most_common(1)[0]
    return offset if count >= max(2, 0.3 * len(pages)) or len(pages) <= 2 else None


def edge_lines(lines: list[Line]) -> list[Line]:
    if not lines:
        return []
    top = min(lines, key=lambda x: x.top)
    bottom = max(lines, key=lambda x: x.bottom)
    return [top] if top is bottom else [top, bottom]


def running(pages: list[list[Line]]) -> tuple[list[set[int]], list[str | None]]:
    """For each page, the ids of its header/footer lines, and its printed label."""
    offset = common_offset(pages)
    tops = Counter(signature(min(lines, key=lambda x: x.top).text) for lines in pages if lines)
    bottoms = Counter(signature(max(lines, key=lambda x: x.bottom).text)
                      for lines in pages if lines)
    repeat = 2 if len(pages) >= 2 else 99
    out_ids: list[set[int]] = []
    labels: list[str | None] = []
    for index, lines in enumerate(pages, start=1):
        ids: set[int] = set()
        label = None
        for line in edge_lines(lines):
            is_top = line is min(lines, key=lambda x: x.top)
            seen = (tops if is_top else bottoms)[signature(line.text)]
            if not isolated(line, lines, is_top):
                seen = 0  # a repeated first line of text is no header unless set apart
            number = page_number(line)
            agrees = number is not None and (
                not number.isdigit() or (offset is not None and int(number) - index == offset))
            alone = bool(PAGE_ONLY.match(line.text.strip())) and number is not None
            if alone or agrees or (seen >= repeat and len(line.text) < 120):
                ids.add(id(line))
                if number is not None and (alone or agrees):
                    label = number
        out_ids.append(ids)
        labels.append(label)
    return out_ids, labels


def isolated(line: Line, lines: list[Line], top: bool) -> bool:
    """Is an edge line set apart from the text by more than a line's normal spacing?"""
    others = [x for x in lines if x is not line]
    if not others:
        return True
    if top:
        return min(x.top for x in others) - line.bottom >= 0.8 * line.size
    return line.top - max(x.bottom for x in others) >= 0.8 * line.size


def frames(lines: list[Line]) -> list[list[Line]]:
    """Runs of consecutive lines in the same column: each may end in a footnote zone."""
    out: list[list[Line]] = []
    for line in lines:
        if out and out[-1][-1].column == line.column:
            out[-1].append(line)
        else:
            out.append([line])
    return out


def opens_entry(line: Line) -> bool:
    return bool(line.lead) or bool(ENTRY.match(line.text))


def zone_start(frame: list[Line], rules: tuple[Rule, ...], body: float, first: bool) -> int:
    """Where the footnote zone of a column's lines begins (len(frame) when it has none); a
    page's first frame needs body text above its zone."""
    if not frame:
        return 0
    left = Counter(round(x.x0) for x in frame).most_common(1)[0][0]
    right = max(x.x1 for x in frame)
    for rule in sorted(rules, key=lambda r: -r.top):
        length = rule.x1 - rule.x0
        short = 3 * body <= length <= SHORT_RULE * max(right - left, 1.0)
        if not short or abs(rule.x0 - left) > 2 * body:
            continue
        below = [i for i, x in enumerate(frame) if x.top >= rule.top - 0.5]
        above = [x for x in frame if x.bottom <= rule.top + 0.5]
        if below and above and all(frame[i].size < SMALLER * body for i in below):
            return below[0]
    start = len(frame)
    while start > 0 and frame[start - 1].size < SMALLER * body:
        start -= 1
    if (start == 0 and first) or start == len(frame):
        return len(frame)
    opening = frame[start]
    return start if opening.lead or SYMBOL_ENTRY.match(opening.text) else len(frame)


def split_zones(pages: list[list[Line]], rules: list[tuple[Rule, ...]],
                body: float) -> list[PageZones]:
    """Header/footer out, footnote zones apart, on every page."""
    edge_ids, labels = running(pages)
    out = []
    for index, lines in enumerate(pages):
        kept = [x for x in lines if id(x) not in edge_ids[index]]
        main: list[Line] = []
        notes: list[Line] = []
        for n, frame in enumerate(frames(kept)):
            cut = zone_start(frame, rules[index], body, n == 0)
            main += frame[:cut]
            notes += frame[cut:]
        out.append(PageZones(index + 1, labels[index], tuple(main), tuple(notes)))
    return out


def fill_labels(found: list[str | None]) -> tuple[str, ...]:
    """Every page's label: the printed one, else counted on from the nearest numeric one
    before it, else its position."""
    out: list[str] = []
    for index, label in enumerate(found):
        if label is not None:
            out.append(label)
            continue
        prev = next(((j, found[j]) for j in range(index - 1, -1, -1)
                     if found[j] is not None and found[j].isdigit()), None)
        out.append(str(int(prev[1]) + index - prev[0]) if prev else str(index + 1))
    return tuple(out)


def is_mark(text: str) -> bool:
    return bool(MARK.match(text))
