"""Search: French hybrid retrieval (BM25 + dense + thesaurus/graph signals) over passages."""
