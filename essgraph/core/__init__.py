"""The base every room may import: settings, errors, the document model, text folding, files."""
