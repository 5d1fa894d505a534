"""ingest: a paper (extracted text, Markdown or PDF) -> a typed document model -> chunks."""

from .chunking import Chunking, chunk
from .document import parse_document
from .errors import InputError
from .load import load_document, read_text, sha256_of
from .records import Chunk, Document, Footnote, Paragraph, Section, Sentence

__all__ = [
    "Chunk", "Chunking", "Document", "Footnote", "InputError", "Paragraph", "Section",
    "Sentence", "chunk", "load_document", "parse_document", "read_text", "sha256_of",
]
