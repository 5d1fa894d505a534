"""ingest.pdf: a PDF's characters -> lines -> blocks -> the same document model as text."""

from .parse import parse_pdf

__all__ = ["parse_pdf"]
