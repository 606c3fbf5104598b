"""Service: FastAPI app (search API, SPARQL endpoint, linked-data and web pages, curation)."""
