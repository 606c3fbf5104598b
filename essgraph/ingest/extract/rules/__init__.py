"""The extractor's rule families: one module per family over a shared document context (context.py)."""
