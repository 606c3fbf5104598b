"""Ingest: read, clean and segment documents, then extract entities and relations (no RDF here)."""
