"""The one settings object shared by the stages (chunking, embedding, search).

Defaults live here, in the signature; environment variables are used only for paths
(see `index.store`). The values were chosen on the dev split (eval/tuning.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class Settings:
    chunk_chars: int = 450  # soft cap on a chunk's length; a longer sentence stands alone
    chunk_overlap: int = 1  # sentences shared by neighbouring chunks
    index_text: str = "section"  # what the indexes see of a chunk (index/texts.py)
    k: int = 5
    mode: str = "hybrid"

    def __post_init__(self) -> None:
        if self.chunk_chars < 1:
            raise ValueError(f"expected chunk_chars >= 1, got {self.chunk_chars}")
        if self.chunk_overlap < 0:
            raise ValueError(f"expected chunk_overlap >= 0, got {self.chunk_overlap}")
        if self.mode not in MODES:
            raise ValueError(f"expected mode in {', '.join(MODES)}, got {self.mode!r}")

    def chunking(self) -> dict:
        return {"chunk_chars": self.chunk_chars, "chunk_overlap": self.chunk_overlap,
                "index_text": self.index_text}

    def to_dict(self) -> dict:
        return asdict(self)
