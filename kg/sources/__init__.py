"""Readers of source documents, one module per format; `kg.sources.formats` chooses."""
