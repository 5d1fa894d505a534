"""Front matter of a PDF: the title, its byline, tables of contents and captions, kept apart.

Pure. On the first page the title is the run of lines in the largest type of its upper part,
when that type is larger than the body's and the run reads as a title (at most four lines, not
a numbered heading, not "Abstract" or "Contents"). Every line printed above it (a journal's
header, "Chapter One") and the byline under it (lines not in the body's type or centred in the
column, up to the first heading or body line) are cover lines: not body, not headings. Authors
are the byline's lines that read as names (capitalised words, no digits, no @), else the PDF's
Author entry; the year is the first year the cover prints. The PDF's Title entry wins only
where the page agrees with it and says more (the fuller of two where one holds the other);
one the page contradicts ("The covington manual" over a page printing "The covington Package")
is a producer's default and loses, and it stands alone only when the page shows no title. A
table of contents is the lines under a "Contents" (or "List of figures") heading that end in a
page number, and any line with a dot leader ("Methods . . . . 12"). A caption is a paragraph or
heading of at most MAX_CAPTION characters that opens "Figure 3:" or "Table 2." (a label, a
number, then punctuation: "Table 3 shows" is body); a line that opens so starts a paragraph.
Leaves out reading the body (`blocks`) and linking the title's note markers (`links`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..layout import Heading
from ..records import Extra
from .blocks import CAPTION, _Para, heading_like, normal
from .lines import Line
from .zones import PageZones

MAX_TITLE_LINES = 4
MAX_COVER_LINES = 16
TITLE_ZONE = 0.6  # the title starts in this upper share of the first page
COVER_ZONE = 0.75  # the byline ends above this share of the first page
SAME_SIZE = 0.5  # points: lines this close in size are in the same type
LARGER = 1.12  # a title's type is at least this share of the body size
CENTRED = 0.04  # a centred line's middle is within this share of the column's width of its
SECTION_WORDS = frozenset({"abstract", "introduction", "contents", "table of contents",
                           "summary", "executive summary", "preface", "foreword", "keywords",
                           "list of figures", "list of tables", "acknowledgements",
                           "acknowledgments"})
CONTENTS_HEADS = frozenset({"contents", "table of contents", "list of figures",
                            "list of tables", "list of illustrations", "list of exhibits"})
LEADERS = re.compile(r"(?:\.\s?){4,}\s*(?:[0-9]{1,4}|[ivxlcdm]{1,7})$", re.IGNORECASE)
ENDS_PAGE = re.compile(r"\S\s+([0-9]{1,4}|[ivxlcdm]{1,7})$", re.IGNORECASE)
MAX_CAPTION = 600  # characters: a longer block that opens "Figure 2." ran on into the body
# (no paragraph break under the caption) and stays body text
YEAR = re.compile(r"\b(1[5-9][0-9]{2}|20[0-9]{2})\b")
NAME_JOINERS = frozenset({"and", "&", "de", "van", "von", "der", "den", "da", "di", "du",
                          "le", "la", "del", "dos", "bin", "al", "jr.", "jr", "sr."})
PRODUCER_AUTHOR = re.compile(r"^\s*(?:anonymous|unknown|user|admin(?:istrator)?|author|owner|"
                             r"none|n/?a)?\s*$", re.IGNORECASE)  # a producer's default, or none
PRODUCER_TITLE = re.compile(r"^(?:microsoft\s+\w+\s*-|untitled|slide\s*\d|document\d*$)|"
                            r"\.(?:pdf|docx?|tex|dvi|indd|qxd|rtf|odt|pages)$", re.IGNORECASE)


@dataclass(frozen=True)
class Cover:
    title: str
    authors: tuple[str, ...]
    year: int | None
    marks: tuple[tuple[str, int], ...]  # (mark, page) of raised markers on title and byline
    extras: tuple[Extra, ...]


def info_value(info: tuple[tuple[str, str], ...], name: str) -> str:
    return next((v for k, v in info if k == name), "")


def column_box(lines: list[Line], body: float) -> tuple[float, float]:
    """The left and right edge of the page's body text."""
    text = [x for x in lines if abs(x.size - body) <= SAME_SIZE] or lines
    return min(x.x0 for x in text), max(x.x1 for x in text)


def starts_section(line: Line, body: float) -> bool:
    text = line.text.strip()
    return normal(text) in SECTION_WORDS or (
        heading_like(line, body) and bool(re.match(r"^(?:[0-9]+(?:\.[0-9]+)*\.?|[IVX]+\.)\s",
                                                   text)))


def alike(group, size: float) -> int:
    """How many lines of three letters or more in `group` are set in type `size`."""
    return sum(abs(x.size - size) <= SAME_SIZE and sum(c.isalpha() for c in x.text) >= 3
               for x in group)


def title_run(lines: list[Line], body: float, height: float,
              later: list[Line] = ()) -> tuple[int, int]:
    """(first, end) of the title's lines among the first page's; (0, 0) when none reads as
    one. A type that comes back after the run (on this page, or twice on the `later` ones, in
    lines of three letters or more) is a heading's, not a title's (one sample title in a
    guide's example is no heading style)."""
    upper = [i for i, x in enumerate(lines[:MAX_COVER_LINES * 2])
             if x.top < TITLE_ZONE * height and any(c.isalpha() for c in x.text)]
    if not upper:
        return 0, 0
    big = max(lines[i].size for i in upper)
    if big < LARGER * body:
        return 0, 0
    first = next(i for i in upper if abs(lines[i].size - big) <= SAME_SIZE)
    end = first + 1
    while end < len(lines) and end - first < MAX_TITLE_LINES + 1 and \
            abs(lines[end].size - big) <= SAME_SIZE and \
            0 <= lines[end].top - lines[end - 1].bottom < 1.2 * big:
        end += 1
    text = " ".join(x.text for x in lines[first:end])
    again = alike(lines[end:], big) >= 1 or alike(later, big) >= 2
    if again or end - first > MAX_TITLE_LINES or starts_section(lines[first], body) or \
            normal(text) in SECTION_WORDS or text.rstrip().endswith((".", ",", ";")):
        return 0, 0
    return first, end


def byline_end(lines: list[Line], start: int, body: float, height: float) -> int:
    """Where the cover lines under the title end: at the first heading or body line."""
    left, right = column_box(lines, body)
    middle, width = (left + right) / 2, max(right - left, 1.0)
    end = start
    while end < len(lines) and end - start < MAX_COVER_LINES:
        line = lines[end]
        if line.top > COVER_ZONE * height or starts_section(line, body):
            break
        centred = abs((line.x0 + line.x1) / 2 - middle) < CENTRED * width and \
            line.x1 - line.x0 < 0.8 * width
        if abs(line.size - body) <= SAME_SIZE and not centred:
            break
        end += 1
    return end


def join_title(lines: list[Line]) -> str:
    out = ""
    for line in lines:
        text = line.text.strip()
        if out.endswith("-") and text[:1].islower():
            out = out[:-1] + text
        else:
            out = f"{out} {text}".strip()
    return " ".join(out.split())


def nameish(text: str) -> bool:
    """Does a byline line read as a list of names?"""
    words = re.sub(r"^by\s+", "", text.strip(), flags=re.IGNORECASE).replace(",", " ").split()
    if not words or len(words) > 16 or re.search(r"[0-9@:/]", text):
        return False
    return all(w[0].isupper() or w.lower() in NAME_JOINERS for w in words) and \
        sum(w[0].isupper() for w in words) >= 2


def split_names(text: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", " ", text)  # "(Georgia State University)"
    text = re.sub(r"^by\s+", "", text.strip(), flags=re.IGNORECASE)
    parts = re.split(r";|,(?!\s*(?:Jr|Sr|II|III|IV)\b)|\band\b|&", text)
    names = [" ".join(p.split()).strip(" .") for p in parts]
    names = [n + "." if n.endswith((" Jr", " Sr")) else n for n in names]
    return [n.title() if n.isupper() else n for n in names if n and any(c.isalpha() for c in n)]


def sane_title(value: str) -> bool:
    return len(value) >= 3 and any(c.isalpha() for c in value) and \
        not PRODUCER_TITLE.search(value.strip())


def pick_title(printed: str, meta: str) -> str:
    """The printed title, or the metadata's where the page agrees with it (module doc)."""
    if not sane_title(meta):
        return printed
    if not printed:
        return meta
    a, b = normal(printed), normal(meta)
    if a == b:
        return printed
    if a in b or b in a:
        return printed if len(a) >= len(b) else meta
    return printed


def pick_year(cover: list[str]) -> int | None:
    """The first year the cover prints; none from the PDF's creation date, which is when the
    file was made (a reprint of 1893 typeset in 2026), not when the work appeared."""
    for text in cover:
        for m in YEAR.finditer(text):
            return int(m.group(1))
    return None


def read_cover(page: PageZones, body: float, height: float,
               info: tuple[tuple[str, str], ...], later: list[Line] = ()) -> tuple[Cover,
                                                                                  PageZones]:
    """The first page's title, byline and what sits above the title; the page without
    them. `later`: the body lines of the other pages. A run with body text right under it
    (no byline) whose type comes back once later is the first section's heading, not a
    title."""
    lines = list(page.body)
    first, end = title_run(lines, body, height, later) if height > 0 else (0, 0)
    if end:
        stop = byline_end(lines, end, body, height)
        if stop == end and alike(later, lines[first].size) >= 1:
            end = 0  # body text right under it, its type again later: a first heading
    if end:
        above, title_lines, byline = lines[:first], lines[first:end], lines[end:stop]
        printed, kept = join_title(title_lines), lines[stop:]
    else:
        above, title_lines, byline, printed, kept = [], [], [], "", lines
    cover = above + byline
    named = [x.text for x in byline if x.size >= body - SAME_SIZE and nameish(x.text)]
    authors = [n for text in named for n in split_names(text)]
    if not authors and not PRODUCER_AUTHOR.match(info_value(info, "Author")):
        authors = split_names(info_value(info, "Author"))
    marks = tuple((m, x.page) for x in title_lines + byline for _, m in x.marks)
    extras = tuple(Extra("cover", x.text, page.page) for x in cover)
    out = Cover(pick_title(printed, info_value(info, "Title")), tuple(dict.fromkeys(authors)),
                pick_year([x.text for x in title_lines + cover]),
                marks, extras)
    return out, replace(page, body=tuple(kept))


def ends_page(text: str, pages: int) -> bool:
    """Does a line end in a page number this document could have (not "in 2008")?"""
    m = ENDS_PAGE.search(text)
    number = m.group(1) if m else ""
    return bool(m) and (not number.isdigit() or int(number) <= pages + 50)


def entry_number(text: str) -> tuple[int, ...] | None:
    """The section number a contents entry opens with ("3.1 Methods" -> (3, 1))."""
    m = re.match(r"^([0-9]{1,3}(?:\.[0-9]{1,3})*)\.?\s+\S", text)
    return tuple(int(x) for x in m.group(1).split(".")) if m else None


def strip_contents(pages: list[PageZones]) -> tuple[list[PageZones], list[Extra]]:
    """Every page without its table-of-contents lines (module doc), and those lines. Inside
    a contents block a line stays in it when it ends in a page number, or when it is a
    numbered entry whose number does not go back ("1 INTRODUCTION" after "11.2" is the body
    starting); a block goes on to the next page only if that page opens with an entry."""
    out, extras = [], []
    inside, last = False, ()
    for page in pages:
        lines = list(page.body)
        kept = []
        for i, line in enumerate(lines):
            text = line.text.strip()
            number = entry_number(text)
            if normal(text) in CONTENTS_HEADS:
                inside, last = True, ()
            elif inside and not (ends_page(text, len(pages)) or LEADERS.search(text)):
                after = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
                numbered = number is not None and number > last and len(text) < 80
                inside = numbered or ends_page(after, len(pages))  # wrapped over two lines
            elif inside and i == 0 and page.page > 1 and not ends_page(text, len(pages)):
                inside = False
            if inside and number is not None:
                last = number
            if inside or LEADERS.search(text):
                extras.append(Extra("contents", text, page.page))
            else:
                kept.append(line)
        out.append(replace(page, body=tuple(kept)))
    return out, extras


def split_captions(blocks: list) -> tuple[list, list[Extra]]:
    """Numbered blocks without the figure and table captions, and the captions with the
    notes their markers cite."""
    kept, extras = [], []
    for block in blocks:
        text = block.title if isinstance(block, Heading) else block.text
        if CAPTION.match(text) and len(text) <= MAX_CAPTION:
            page = block.page if isinstance(block, Heading) else (
                block.page_marks[0][1] if block.page_marks else 1)
            notes = () if isinstance(block, Heading) else tuple(n for _, n in block.markers)
            extras.append(Extra("caption", text, page, notes))
        else:
            kept.append(block)
    return kept, extras


def title_block(cover: Cover) -> _Para:
    """The title as a paragraph of its own, carrying its markers for `links` to number."""
    end = len(cover.title)
    return _Para(text=cover.title or "title", markers=[(end, m, p) for m, p in cover.marks],
                 page_marks=[(0, cover.marks[0][1] if cover.marks else 1)])
