"""Vectors: the embedding model, the passage payload and the two Qdrant adapters."""
