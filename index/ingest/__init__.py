"""Ingest: files read and parsed, cleaned, chunked within limits, and a new index version built and published.

May import index.text, index.store, index.encode, index.search, index.answer (chance similarity) and the leaf modules.
"""
