"""Ingest: parse articles, remove site furniture, split into passages, run the pipeline."""
