"""Search: dense and lexical candidates, filters, fusion into one ranked passage list, document vectors, prefetch.

May import index.text, index.store, index.encode and the leaf modules.
"""
