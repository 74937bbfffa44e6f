"""Ingest: from raw input to articles ready for the pipeline."""
