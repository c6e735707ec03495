"""Corpus sources: RSS/Atom feeds (guarded fetches) and the corpus folder watch.

They meet the engine only through files written to CORPUS_DIR and an ingest of them; `index/` never imports
this package.
"""
