"""The application layer: CLI commands and the ingest pipeline, the only place wiring rooms together."""
