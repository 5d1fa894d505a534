"""ingest: the paper's extracted text -> a typed document model -> chunks."""

from .chunking import chunk
from .document import parse_document
from .errors import InputError
from .load import load_document, read_text, sha256_of
from .records import Chunk, Document, Footnote, Paragraph, Section, Sentence
from .settings import MODES, Settings

__all__ = [
    "MODES", "Chunk", "Document", "Footnote", "InputError", "Paragraph", "Section", "Sentence",
    "Settings", "chunk", "load_document", "parse_document", "read_text", "sha256_of",
]
