"""The FAISS vector store under its former name (see index/vectorstore/ for the interface and backends)."""

from .vectorstore.faiss_store import FaissStore as VectorIndex

__all__ = ["VectorIndex"]
