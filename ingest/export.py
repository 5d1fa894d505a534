"""The document model as JSON-ready data and as a short human summary (for the CLI).

Leaves out printing: the CLI writes what these return.
"""

from __future__ import annotations

from .records import Chunk, Document


def document_json(doc: Document, chunks: list[Chunk], source: str) -> dict:
    return {
        "source": source,
        "pages": doc.pages,
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
    lines = [
        f"{source}",
        f"pages {doc.pages}, sections {len(doc.sections)}, paragraphs {len(doc.paragraphs)}, "
        f"sentences {len(doc.sentences)}, chunks {len(chunks)}",
        f"footnotes: {len(found)} found ({ranges(found)}), {len(missing)} missing "
        f"({ranges(missing)})",
        "sections:",
    ]
    lines += [f"  {s.number}. {s.title} (p. {s.page})" for s in doc.sections]
    return "\n".join(lines)


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
