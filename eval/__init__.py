"""Evaluation helpers: chunking-independent relevance and retrieval/answer metrics."""
