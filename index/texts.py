"""What text stands for a chunk in the indexes: the words the embedding and BM25 see.

Variants (`config.INDEX_TEXTS`; the default, "sources", measured across the corpus papers:
eval/tuning.md, "Index text across papers"):
- "plain": the chunk text alone;
- "section": the section title, then the chunk text;
- "sources": as "section", then the resolved sources of the footnotes the chunk cites (a
  note's own text, or the entry an "Ibid." repeats), so a question about a source ("which
  journal ...") or about a fact a note alone states finds the passage that cites it.
Leaves out tokenisation (BM25) and vectors (embed).
"""

from __future__ import annotations

from ingest.records import Chunk, Footnote

from .config import INDEX_TEXTS


def cited_sources(chunk: Chunk, footnotes: dict[int, Footnote]) -> list[str]:
    """Distinct resolved sources of the footnotes a chunk cites, in citation order."""
    found = (footnotes.get(n) for n in chunk.footnotes)
    return list(dict.fromkeys(f.source for f in found if f is not None and f.source))


def index_text(chunk: Chunk, footnotes: dict[int, Footnote], variant: str) -> str:
    if variant not in INDEX_TEXTS:
        raise ValueError(f"expected index text in {', '.join(INDEX_TEXTS)}, got {variant!r}")
    if variant == "plain":
        return chunk.text
    text = f"{chunk.section}. {chunk.text}"
    sources = cited_sources(chunk, footnotes) if variant == "sources" else []
    return text + ("\nSources: " + "; ".join(sources) if sources else "")
