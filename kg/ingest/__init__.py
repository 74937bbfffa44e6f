"""Ingest: parse articles, remove site furniture, split into passages, deduplicate, run the
pipeline."""
