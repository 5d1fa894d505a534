"""index: embeddings, FAISS, BM25 and search over the chunks."""
