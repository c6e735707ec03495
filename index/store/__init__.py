"""Storage: index versions on disk and their atomic switch, the document/chunk store, chunk table, BM25 lexical
index, vector stores (FAISS, Milvus), Milvus mode, the integrity check.

May import index.text and the leaf modules.
"""
