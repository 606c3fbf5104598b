"""Graph: map ingest records to RDF and keep them in the on-disk pyoxigraph store."""
