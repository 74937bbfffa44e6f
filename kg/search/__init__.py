"""Hybrid search: query understanding, three retrievers, fusion and the result view."""
