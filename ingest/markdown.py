"""Reads a Markdown paper into a layout: headings, paragraphs, `[^n]` footnotes and their markers.

markdown-it-py (CommonMark) with the footnote plugin of mdit-py-plugins parses the text, so
emphasis, links, code and lists are read as CommonMark reads them: a heading of any level opens
a section, every paragraph (list items and quotes included) and code block is a paragraph, and
inline markup is reduced to its text (a link to its words, an image to its alt text, inline
HTML dropped). `[^label]` is a footnote marker; a numeric label keeps its number, any other
label gets the next number after the largest numeric one, in order of first use, and keeps its
label as the printed mark. A marker whose definition is absent becomes a missing footnote; a
definition no marker cites is kept and flagged unreferenced. A Markdown file is one page. A
level-1 heading before any paragraph is the paper's title (and still opens its first section):
the library shows the paper by it, as by a PDF's printed title.
Leaves out assembling the document (`document.build_document`) and any HTML rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .layout import Heading, Layout, RawFootnote, RawParagraph, sanitize

LOOSE_REF = re.compile(r"\[\^([^\]\s]{1,40})\]")  # a marker the plugin left as text (undefined)


@dataclass
class _Labels:
    """Footnote labels -> numbers: numeric labels keep theirs, others follow the largest."""

    numbers: dict[str, int] = field(default_factory=dict)
    top: int = 0

    def of(self, label: str) -> int:
        if label not in self.numbers:
            numeric = label.isdigit() and 0 < int(label) < 100000
            self.numbers[label] = int(label) if numeric else 0
        return self.numbers[label]

    def settle(self) -> None:
        """Give every non-numeric label its number, after the largest numeric one."""
        self.top = max((n for n in self.numbers.values()), default=0)
        for label, n in self.numbers.items():
            if n == 0:
                self.top += 1
                self.numbers[label] = self.top


def _parser():
    try:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.footnote import footnote_plugin
    except ImportError as e:  # a dependency of the project: a broken install
        raise ImportError(f"reading Markdown needs markdown-it-py and mdit-py-plugins "
                          f"(pip install -e .): {e}") from e
    return MarkdownIt("commonmark").use(footnote_plugin)


def inline_text(children, labels: _Labels) -> tuple[str, list[tuple[int, str]]]:
    """The plain text of an inline token's children and its markers (offset, label)."""
    parts: list[str] = []
    size = 0
    markers: list[tuple[int, str]] = []
    for tok in children or ():
        if tok.type in ("text", "code_inline"):
            piece = tok.content
            last = 0
            for m in LOOSE_REF.finditer(piece):
                labels.of(m.group(1))
                parts.append(piece[last:m.start()])
                size += m.start() - last
                markers.append((size, m.group(1)))
                last = m.end()
            parts.append(piece[last:])
            size += len(piece) - last
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
            size += 1
        elif tok.type == "footnote_ref":
            labels.of(tok.meta["label"])
            markers.append((size, tok.meta["label"]))
        elif tok.type == "image":
            alt, _ = inline_text(tok.children, labels)
            parts.append(alt)
            size += len(alt)
    return "".join(parts), markers


def collapse(text: str, markers: list[tuple[int, str]]) -> tuple[str, list[tuple[int, str]]]:
    """Whitespace collapsed to single spaces and trimmed, marker offsets moved with it."""
    out: list[str] = []
    where: list[int] = []  # new offset of each old offset
    size, space = 0, False
    for ch in text:
        where.append(size)
        if ch.isspace():
            space = size > 0
            continue
        if space:
            out.append(" ")
            size += 1
            where[-1] = size
            space = False
        out.append(ch)
        size += 1
    where.append(size)
    return "".join(out), [(min(where[o], size), label) for o, label in markers]


def read_markdown(text: str) -> Layout:
    """Headings, paragraphs and footnotes of a Markdown text. Never raises on any string."""
    text = sanitize(text)
    md = _parser()
    env: dict = {}
    md.parse(text, env)
    unused = [k[1:] for k, v in env.get("footnotes", {}).get("refs", {}).items() if v == -1]
    lines = text.count("\n") + 1
    if unused:  # the plugin drops definitions no marker cites: cite them past the end
        text += "\n\n" + " ".join(f"[^{label}]" for label in unused) + "\n"
    tokens = md.parse(text, {})
    return _walk(tokens, lines, set(unused))


def _walk(tokens, lines: int, unused: set[str]) -> Layout:
    labels = _Labels()
    raw_blocks: list[tuple[str, str, list[tuple[int, str]]]] = []  # (kind, text, markers)
    notes: dict[str, list[str]] = {}
    note: str | None = None
    heading: str | None = None  # inside a heading: its tag ("h1" ... "h6")
    title = None  # None until the first block: a leading level-1 heading's text, else ""
    for tok in tokens:
        if tok.type == "footnote_open":
            note = tok.meta["label"]
            notes.setdefault(note, [])
        elif tok.type == "footnote_close":
            note = None
        elif tok.type == "heading_open":
            heading = tok.tag
        elif tok.type == "heading_close":
            heading = None
        elif tok.type in ("inline", "fence", "code_block"):
            if note is None and tok.map and tok.map[0] >= lines:
                continue  # the synthetic paragraph citing unused definitions
            if tok.type == "inline":
                body, markers = inline_text(tok.children, labels)
            else:
                body, markers = tok.content, []
            body, markers = collapse(body, markers)
            if note is not None:
                notes[note].append(body)
                labels.of(note)
            elif body or markers:
                if title is None:
                    title = body if heading == "h1" else ""
                raw_blocks.append(("para" if heading is None else "heading", body, markers))
    labels.settle()
    return replace(_layout(raw_blocks, notes, labels, unused), title=title or "")


def _layout(raw_blocks, notes: dict[str, list[str]], labels: _Labels,
            unused: set[str]) -> Layout:
    blocks: list[Heading | RawParagraph] = []
    orphans: list[int] = []
    for kind, body, markers in raw_blocks:
        numbered = [(o, labels.numbers[label]) for o, label in markers]
        if kind == "heading" and body:
            blocks.append(Heading(body, 1))
        elif body:
            blocks.append(RawParagraph(body, tuple(orphans_first(orphans, numbered)), ((0, 1),)))
            orphans = []
        else:
            orphans.extend(n for _, n in numbered)
    footnotes = []
    for label, texts in notes.items():
        number = labels.numbers[label]
        mark = "" if label == str(number) else label
        footnotes.append(RawFootnote(number, " ".join(t for t in texts if t), 1, mark))
    return Layout(tuple(blocks), tuple(footnotes), 1, tuple(orphans))


def orphans_first(orphans: list[int], markers: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(0, n) for n in orphans] + markers
