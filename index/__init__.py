"""index: embeddings, FAISS and BM25 over the chunks; search, answers, and the shared Engine."""

from .collection import Collection
from .config import MODES, AnswerConfig, Config, SearchConfig
from .engine import Engine, check_request
from .opening import open_engine
from .records import Answer, Citation, Evidence, Hit, Passage, Query, Retrieval

__all__ = ["MODES", "Answer", "AnswerConfig", "Citation", "Collection", "Config", "Engine",
           "Evidence", "Hit", "Passage", "Query", "Retrieval", "SearchConfig", "check_request",
           "open_engine"]
