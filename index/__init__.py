"""index: embeddings, FAISS and BM25 over the chunks; search, answer, and the shared Engine."""

from .engine import Engine, check_request
from .records import Answer, Citation, Hit, Passage

__all__ = ["Answer", "Citation", "Engine", "Hit", "Passage", "check_request"]
