"""The document model as JSON-ready data and as a short human summary (for the CLI).

Leaves out printing: the CLI writes what these return.
"""

from __future__ import annotations

import re

from .records import Chunk, Document


def document_json(doc: Document, chunks: list[Chunk], source: str) -> dict:
    return {
        "source": source,
        "pages": doc.pages,
        "page_labels": list(doc.page_labels),
        "sections": [s.to_dict() for s in doc.sections],
        "paragraphs": [p.to_dict() for p in doc.paragraphs],
        "sentences": len(doc.sentences),
        "footnotes": [f.to_dict() for f in doc.footnotes],
        "chunks": [c.to_dict() for c in chunks],
        "body": doc.body,
    }


def summary(doc: Document, chunks: list[Chunk], source: str) -> str:
    found = [f.number for f in doc.footnotes if not f.missing]
    missing = [f.number for f in doc.footnotes if f.missing]
    alone = [f.number for f in doc.footnotes if f.unreferenced]
    linked = [n for n in found if n not in set(alone)]
    lines = [
        f"{source}",
        f"pages {doc.pages}, sections {len(doc.sections)}, paragraphs {len(doc.paragraphs)}, "
        f"sentences {len(doc.sentences)}, chunks {len(chunks)}",
        f"page labels: {labels(doc.page_labels)}",
        f"footnotes: {len(found)} found ({ranges(found)}), {len(missing)} missing "
        f"({ranges(missing)})",
        f"linked: {len(linked)} footnotes to their markers; unlinked: {len(missing)} markers "
        f"without a footnote, {len(alone)} footnotes without a marker ({ranges(alone)})",
        "sections:",
    ]
    lines += [f"  {section_label(s)} (p. {doc.label(s.page)})" for s in doc.sections]
    return "\n".join(lines)


SECTION_NUMBER = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)*\.?|[IVXLC]+\.|[A-Z]\.[0-9.]*)\s")


def section_label(section) -> str:
    """A section as a reader sees it, numbered once: "2.1 Methods" as printed, an unnumbered
    "Introduction" as "1. Introduction" (its place in the paper)."""
    title = section.title
    return title if SECTION_NUMBER.match(title) else f"{section.number}. {title}"


def labels(printed: tuple[str, ...]) -> str:
    """("1", ..., "10") -> '1-10'; ("iv", "v", "1", "2") -> 'iv, v, 1-2'."""
    numeric = [int(x) if x.isdigit() else None for x in printed]
    parts: list[str] = []
    i = 0
    while i < len(printed):
        j = i
        while numeric[i] is not None and j + 1 < len(printed) and numeric[j + 1] is not None \
                and numeric[j + 1] == numeric[j] + 1:
            j += 1
        parts.append(printed[i] if j == i else f"{printed[i]}-{printed[j]}")
        i = j + 1
    return ", ".join(parts) or "none"


def ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'."""
    if not numbers:
        return "none"
    parts, start, prev = [], numbers[0], numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}-{prev}" if prev != start else f"{start}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
