"""Glyphs -> printed lines of one page, in reading order, with their raised markers apart.

Pure. Duplicate glyphs (a bold faked by printing twice) are dropped; an accent printed as a
glyph of its own is joined to its letter ("H˚akon" is "Håkon"). Glyphs sharing a baseline
form a row; a two-column page is found by its gutter (an x band near the middle that most rows
leave empty while text lies on both sides) and its rows are cut there, left column before
right. A run of smaller glyphs raised above a line's baseline joins that line as a raised
run: digits or note symbols (* † ‡ § ¶ ‖) after a word are a footnote marker, kept out of the
text with their offset; raised digits right after a digit may be an exponent ("10³") or a
note ("since 1987¹"), kept apart for `blocks` to decide; a raised run opening a line is its
lead mark (a footnote entry's number).
Words are told apart by the gap between glyphs, or a printed space.
Leaves out what a line is (header, heading, body, footnote): `zones` and `blocks` decide.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from itertools import chain, takewhile

from .read import Glyph

MARK = re.compile(r"^(?:[0-9]{1,3}|[*\u2217\u2020\u2021\u00a7\u00b6\u2016#\u22c6\u2605]{1,3}"
                  r"|\(cid:[0-9]+\))$")  # a glyph with no Unicode name is a symbol too
SUPERSCRIPT = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077"
                                          "\u2078\u2079")
SPACE = 0.15  # a gap wider than this share of the font size separates words
SMALL = 0.85  # a glyph smaller than this share of its line's size may be raised
RAISED = 0.2  # ... and is raised when its bottom sits this share of the size above the line's
MARKS = re.compile(r"[0-9]{1,3}|\(cid:[0-9]+\)"
                   r"|[*\u2217\u2020\u2021\u00a7\u00b6\u2016#\u22c6\u2605]")
NOTE_SYMBOLS = frozenset("\u2020\u2021\u00a7\u00b6\u2016\u22c6")
MATH_FONT = re.compile(r"cmmi|math", re.IGNORECASE)
RUN_GAP = 0.6  # raised glyphs this share of their size apart are two runs ("²⁵ ²⁶")
SPACED = 0.5  # a raised digit this share of the size after a word, past a space, is a marker
ROW = 0.3  # glyphs whose bottoms differ by less than this share of the size share a row


@dataclass(frozen=True)
class Line:
    page: int
    text: str  # words joined by single spaces, markers taken out
    x0: float
    x1: float
    top: float
    bottom: float  # the bottom of its regular glyphs' boxes: one baseline's worth
    size: float  # the most common size of its regular glyphs
    bold: bool  # most of its letters are bold
    marks: tuple[tuple[int, str], ...]  # raised footnote markers: (offset in text, mark)
    lead: str = ""  # a raised mark opening the line (a footnote entry's number or symbol)
    column: int = 0  # 0 the full width, 1 the left column, 2 the right one
    exponents: tuple[tuple[int, str], ...] = ()  # raised digits glued to a digit: (offset,
    # digits), an exponent unless an unclaimed footnote of that number is on the page


def dedupe(glyphs: tuple[Glyph, ...]) -> list[Glyph]:
    """Glyphs printed twice at the same place (within half a point) counted once."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for g in glyphs:
        key = (g.text, round(g.x0 * 2), round(g.top * 2))
        if key not in seen:
            seen.add(key)
            out.append(g)
    return out


ACCENTS = {"\u02da": "\u030a", "\u00a8": "\u0308", "\u00b4": "\u0301", "`": "\u0300",
           "\u02c6": "\u0302", "\u02dc": "\u0303", "\u02c7": "\u030c", "\u00af": "\u0304",
           "\u02c9": "\u0304", "\u02d8": "\u0306", "\u02d9": "\u0307", "\u00b8": "\u0327",
           "\u02db": "\u0328", "\u02dd": "\u030b"}  # spacing accents and the marks they set


def combine_accents(glyphs: list[Glyph]) -> list[Glyph]:
    """An accent set as a glyph of its own over (or under) a letter ("H˚akon", a macron over
    "a") joined to that letter as one character ("Håkon", "ā"): an accent, spacing or
    combining, whose middle lies inside the box of the letter printed just before or after it
    on the same baseline."""
    out = list(glyphs)
    gone: set[int] = set()
    for i, g in enumerate(glyphs):
        mark = ACCENTS.get(g.text) or (g.text if unicodedata.combining(g.text[:1]) else "")
        if not mark or len(g.text) != 1:
            continue
        middle = (g.x0 + g.x1) / 2
        for j in (i + 1, i - 1):
            if 0 <= j < len(glyphs) and j not in gone and out[j].text.isalpha() and \
                    len(out[j].text) == 1 and out[j].x0 <= middle <= out[j].x1 and \
                    abs(out[j].bottom - g.bottom) < 0.5 * max(g.size, 1.0):
                base = "i" if out[j].text == "\u0131" else out[j].text
                out[j] = replace(out[j], text=unicodedata.normalize("NFC", base + mark))
                gone.add(i)
                break
    return [g for i, g in enumerate(out) if i not in gone]


def rows(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped by their boxes' bottoms, top to bottom: a glyph joins the row whose
    first bottom lies within a third of the larger size (fonts differ in their descents)."""
    out: list[list[Glyph]] = []
    first, size = 0.0, 0.0
    for g in sorted(glyphs, key=lambda g: (g.bottom, g.x0)):
        if out and g.bottom - first <= ROW * max(g.size, size, 1.0):
            out[-1].append(g)
            size = max(size, g.size)
        else:
            out.append([g])
            first, size = g.bottom, g.size
    return out


def row_size(row: list[Glyph]) -> float:
    """The most common size of a row's glyphs."""
    sizes = Counter(g.size for g in row if g.text.strip())
    return sizes.most_common(1)[0][0] if sizes else row[0].size


def host_size(row: list[Glyph]) -> float:
    """The size a raised marker is compared with: the 75th percentile of the row's sizes, so
    that a line mixing smaller code type with its text still counts as its text's size."""
    sizes = sorted(g.size for g in row if g.text.strip()) or [row[0].size]
    return sizes[int(0.75 * (len(sizes) - 1))]


def spans(row: list[Glyph], gap: float) -> list[tuple[float, float]]:
    """The x extents of a row's words and phrases: glyphs closer than `gap` merged."""
    out: list[list[float]] = []
    for g in sorted((g for g in row if g.text.strip()), key=lambda g: g.x0):
        if out and g.x0 - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], g.x1)
        else:
            out.append([g.x0, g.x1])
    return [(a, b) for a, b in out]


def gutter(rows_: list[list[Glyph]], body: float) -> float | None:
    """The x of a two-column page's gutter, or None: a band in the middle of the text that
    at most 30% of the rows cross (a title, an abstract), with text left of it in at least 30%
    of them and right of it in at least 30% (the columns' baselines need not line up)."""
    row_spans = [spans(r, 0.8 * body) for r in rows_ if len(r) > 3]
    row_spans = [s for s in row_spans if s]
    if len(row_spans) < 6:
        return None
    left = min(s[0][0] for s in row_spans)
    right = max(s[-1][1] for s in row_spans)
    cover = [0] * (int(right - left) + 2)
    for s in row_spans:
        for a, b in s:
            cover[int(a - left) + 1] += 1
            cover[int(b - left)] -= 1
    running, counts = 0, []
    for c in cover:
        running += c
        counts.append(running)
    lo, hi = int(0.3 * len(counts)), int(0.7 * len(counts))
    if hi <= lo:
        return None
    x = min(range(lo, hi), key=lambda i: (counts[i], abs(i - len(counts) // 2)))
    if counts[x] > 0.3 * len(row_spans):
        return None
    cut = left + x
    lefts = sum(1 for s in row_spans if any(b <= cut for _, b in s))
    rights = sum(1 for s in row_spans if any(a >= cut for a, _ in s))
    enough = max(5, 0.3 * len(row_spans))
    return cut if lefts >= enough and rights >= enough else None


def split_row(row: list[Glyph], cut: float | None) -> list[tuple[int, list[Glyph]]]:
    """A row cut at the gutter into (column, glyphs) pieces; a row across it is one piece."""
    if cut is None or any(g.x0 < cut < g.x1 for g in row if g.text.strip()):
        return [(0, row)]
    left = [g for g in row if g.x1 <= cut]
    right = [g for g in row if g.x0 >= cut]
    return [(c, p) for c, p in ((1, left), (2, right)) if p]


def attach_raised(pieces: list[tuple[int, list[Glyph]]]) -> list[tuple[int, list[Glyph], list]]:
    """Merge each small raised piece into the line it rides on, and each short lowered one
    (the E of a TeX logo, a subscript) into the line above it; (column, glyphs, raised)."""
    facts = [(host_size(p), max(g.bottom for g in p), min(g.x0 for g in p),
              max(g.x1 for g in p)) for _, p in pieces]
    lines = [(c, list(p), []) for c, p in pieces]
    keep = [True] * len(lines)
    largest = max((f[0] for f in facts), default=0.0)
    for i, (col, piece, _) in enumerate(lines):
        if len(piece) > 6:
            continue
        size = max(g.size for g in piece)
        _, bottom, x0, _ = facts[i]
        # ordered by bottom: below it only as far as the largest line could reach (linear in
        # rows; 20k one-glyph rows took 72 s scanning every line below each), then above
        below = takewhile(lambda j: facts[j][1] - bottom <= 2 * size + largest,  # noqa: B023
                          range(i + 1, len(lines)))
        for j in chain(below, range(i - 1, -1, -1)):
            col2, host, raised = lines[j]
            osize, obottom, ox0, ox1 = facts[j]
            if abs(obottom - bottom) > 2 * size + osize:
                if j > i:
                    continue
                break
            if not keep[j] or col2 != col or not ox0 - 2 * osize <= x0 <= ox1 + osize:
                continue
            rise = obottom - bottom
            if size < SMALL * osize and RAISED * osize <= rise <= osize:
                raised.extend(piece)
            elif len(host) > len(piece) and -0.45 * osize <= rise < 0:
                host.extend(piece)
            else:
                continue
            keep[i] = False
            break
    return [line for line, k in zip(lines, keep, strict=True) if k]


def page_lines(page: int, glyphs: tuple[Glyph, ...], body: float) -> list[Line]:
    """The printed lines of one page in reading order (full width, then left, then right,
    band by band)."""
    grouped = rows(combine_accents(dedupe(glyphs)))
    cut = gutter(grouped, body)
    pieces = [piece for row in grouped for piece in split_row(row, cut)]
    built = [make_line(page, col, glyphs_, raised)
             for col, glyphs_, raised in attach_raised(pieces)]
    built = [line for line in built if line.text or line.lead or line.marks]
    return reading_order(built)


def reading_order(lines: list[Line]) -> list[Line]:
    """Top to bottom; inside a band of two-column rows, the left column first."""
    lines = sorted(lines, key=lambda x: (x.bottom, x.x0))
    out: list[Line] = []
    band: list[Line] = []
    for line in lines + [None]:
        if line is None or line.column == 0:
            out += [x for x in band if x.column == 1] + [x for x in band if x.column == 2]
            band = []
            if line is not None:
                out.append(line)
        else:
            band.append(line)
    return out


def raised_in_row(row: list[Glyph], raised: list[Glyph], size: float, base: float) -> set[int]:
    """Ids of the small glyphs of a row that sit raised right after a glyph (a marker set in
    a row of its own line, too little raised to form a row apart), and of note symbols
    († ‡ § ⋆) glued to a word: `blocks` keeps the latter only where a note of theirs is."""
    out: set[int] = set()
    up = {id(g) for g in raised}
    prev = None
    for g in sorted(row + raised, key=lambda g: g.x0):
        if id(g) in up:
            prev = g
            continue
        glued = prev is not None and g.x0 - prev.x1 <= SPACE * size
        small_up = g.size < SMALL * size and base - g.bottom >= RAISED * size
        spaced = small_up and g.text.isdigit() and prev is not None and (
            prev.text.isalnum() or prev.text in ".,;:)\u201d\u2019") and \
            g.x0 - prev.x1 <= SPACED * size  # "listed above ¹⁹": a marker set after a space
        glued = glued or spaced
        symbol = g.text in NOTE_SYMBOLS and prev is not None and (
            prev.text.isalpha() or id(prev) in out or id(prev) in up)
        if glued and (small_up or symbol):
            out.add(id(g))
        prev = g
    return out


def marks_in(run: str) -> list[str]:
    """The marks a raised run prints: "3", "3,4" or "1⋆†" -> each mark; [run] if not marks."""
    found = MARKS.findall(run)
    return found if found and "".join(found) == re.sub(r"[,\s]", "", run) else [run]


def base_like(prev: Glyph, text: list[str]) -> bool:
    """Could the glyph before a glued raised number be an exponent's base: a digit, a letter
    in a math font, or a one-letter word ("a" in "a² = b²")?"""
    if prev.text.isdigit() or MATH_FONT.search(prev.font):
        return True
    word = "".join(text).rsplit(" ", 1)[-1]
    return len(word) == 1 and word.isalpha()


def make_line(page: int, column: int, regular: list[Glyph], raised: list[Glyph]) -> Line:
    size = row_size(regular)
    base = max(g.bottom for g in regular if g.size >= SMALL * size)
    up = raised_in_row(regular, raised, size, base)
    if up:  # raised a little, within the row's reach: still raised
        raised = raised + [g for g in regular if id(g) in up]
        regular = [g for g in regular if id(g) not in up]
    items = sorted([(g.x0, g, False) for g in regular] + [(g.x0, g, True) for g in raised],
                   key=lambda t: t[0])
    text: list[str] = []
    marks: list[tuple[int, str]] = []
    exponents: list[tuple[int, str]] = []
    lead = ""
    prev: Glyph | None = None  # the last regular glyph written
    prev_x1 = None
    after_mark = False  # a marker was just taken out: a glued next word still needs a space
    i = 0
    while i < len(items):
        _, g, is_raised = items[i]
        if is_raised:  # a run of raised glyphs
            run = []
            while i < len(items) and items[i][2] and not (
                    run and items[i][1].x0 - run[-1].x1 > RUN_GAP * run[-1].size):
                run.append(items[i][1])  # "²⁵ ²⁶" set apart by a space: two runs
                i += 1
            mark = "".join(x.text for x in run).strip()
            listed = marks_in(mark)
            before = prev is not None and run[0].x0 - prev_x1 <= SPACE * size
            if not text and MARK.match(mark):
                lead = lead or mark
            elif all(MARK.match(m) for m in listed) and not (before and base_like(prev, text)):
                marks.extend((len("".join(text).rstrip()), m) for m in listed)
                after_mark = True
            elif MARK.match(mark) and mark.isdigit():  # "10" + "3", "a" + "2" or "1987" + "1"
                exponents.append((len("".join(text)), mark))
            else:
                text.append(mark)
            prev_x1 = max(x.x1 for x in run)
            continue
        if g.text == " ":
            if text and text[-1] != " ":
                text.append(" ")
        elif text and text[-1] != " " and prev_x1 is not None and (
                g.x0 - prev_x1 > SPACE * size or (after_mark and g.text.isalnum())):
            text.append(" ")
        after_mark = False
        if g.text != " ":
            text.append(g.text)
            prev = g
        prev_x1 = g.x1 if g.text != " " else max(prev_x1 or g.x1, g.x1)
        i += 1
    joined = "".join(text)
    stripped = joined.strip()
    shift = len(joined) - len(joined.lstrip())
    marks = [(min(max(o - shift, 0), len(stripped)), m) for o, m in marks]
    exponents = [(min(max(o - shift, 0), len(stripped)), m) for o, m in exponents]
    letters = [g for g in regular if g.text.isalpha()]
    bold = bool(letters) and sum(g.bold for g in letters) > 0.6 * len(letters)
    return Line(page, " ".join(stripped.split()) if "  " in stripped else stripped,
                min(g.x0 for g in regular), max(g.x1 for g in regular),
                min(g.top for g in regular), base, size, bold, tuple(marks), lead, column,
                tuple(exponents))
