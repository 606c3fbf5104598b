"""Lexical (BM25) indexes of passages."""
