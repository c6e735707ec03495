"""Hybrid retrieval: dense (FAISS) and lexical (BM25) candidates, filtered, fused, one passage list."""

from __future__ import annotations

from datetime import date

import numpy as np

from index.store.chunktable import ChunkTable
from index.store.kept import Kept
from index.search.docvectors import document_vectors
from index.search.fuse import rrf
from index.stages import NO_STAGES, Stages
from index.store.reading import Corpus, LexicalReader
from index.types import Filters, Hit, Ranking, StoredPassage
from index.store.vectorstore import VectorStore


MODES = ("hybrid", "dense", "lexical")
MASKS_KEPT = 8
DOCS_KEPT = 16384  # documents whose vectors a version keeps (1.5 KB each)
PASSAGES_KEPT = 16384  # passages a version keeps as read from its store (~1.5 KB each)


class Retriever:
    """Everything one index version needs to answer queries; read-only and thread-safe. The version is local
    (Store, LexicalIndex) or published to Milvus (MilvusCorpus, MilvusLexical): both are a Corpus and a
    LexicalReader."""

    def __init__(self, store: Corpus, vectors: VectorStore, lexical: LexicalReader,
                 table: ChunkTable | None = None) -> None:
        """`table` is the version's saved ChunkTable; without one it is built from the store's rows (slow)."""
        self.store, self.vectors, self.lexical = store, vectors, lexical
        self.table = table if table is not None else ChunkTable.from_rows(store.chunk_filters())
        self.sources = self.table.sources  # casefolded → as written, for naming an unknown --source
        self._masks: Kept[tuple, np.ndarray] = Kept(MASKS_KEPT)  # by filter
        self._docs: Kept[str, np.ndarray] = Kept(DOCS_KEPT)  # doc id → its document vector
        self._passages: Kept[int, StoredPassage] = Kept(PASSAGES_KEPT)  # chunk id → its stored passage

    def mask(self, f: Filters) -> np.ndarray | None:
        """Bool mask over chunk ids that pass the filters (None when they pass every chunk), read-only.

        A date window holding every chunk (the bot asks "until today") filters nothing, so no mask is
        built (at 1M passages a mask cost each ask ~1.5 ms: building it, BM25 and FAISS reading it).
        The last few masks are kept.
        """
        if not f.active or self._passes_all(f):
            return None
        key = (f.since, f.until, f.source and f.source.casefold(), f.exclude_docs, f.only_docs)
        return self._masks.get(key, lambda: self._build_mask(f))

    def _passes_all(self, f: Filters) -> bool:
        span = self.table.all_dated
        return (span is not None and not f.source and not f.exclude_docs and not f.only_docs
                and (not f.since or f.since.toordinal() <= span[0]) and (not f.until or f.until.toordinal() >= span[1]))

    def _build_mask(self, f: Filters) -> np.ndarray:
        t = self.table
        m = t.exists.copy()
        if f.since:
            m &= t.days >= f.since.toordinal()
        if f.until:
            m &= (t.days >= 0) & (t.days <= f.until.toordinal())
        if f.source:
            code = t.source_codes.get(f.source.casefold())
            m &= t.source == (code if code is not None else -2)
        if f.exclude_docs:
            codes = [t.doc_codes[d] for d in f.exclude_docs if d in t.doc_codes]
            m &= ~np.isin(t.doc, codes)
        if f.only_docs:
            m &= np.isin(t.doc, [t.doc_codes[d] for d in f.only_docs if d in t.doc_codes])
        m.flags.writeable = False  # kept and shared by the questions that ask with the same filters
        return m

    def retrieve(self, query: str, query_vec: np.ndarray, *, k: int, filters: Filters = Filters(),
                 ranking: Ranking = Ranking(), mode: str = "hybrid",
                 prefer: tuple[date, date] | None = None, stages: Stages = NO_STAGES) -> list[Hit]:
        """Up to `k` passages, best first, at most `per_doc` from one document unless too few documents match to
        fill `k` (a small folder: the other passages of the documents found make up the number).

        `mode` picks the candidates: both searches fused ("hybrid"), or one of them alone.
        `prefer` (since, until) ranks passages dated outside it lower without excluding them.
        `stages` records the time spent in the dense and lexical searches and the SQLite reads.
        Each Hit's score is its fused score; `dense` is its cosine similarity to the question
        (`score_documents` adds its whole document's).
        """
        allowed = self.mask(filters)
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        fetch, per_doc = ranking.fetch, ranking.per_doc
        with stages("dense"):
            d_ids, d_scores = self.vectors.search(query_vec, fetch, allowed, filters) if mode != "lexical" else empty
        with stages("bm25"):
            l_ids, _ = self.lexical.search(query, fetch, allowed, filters) if mode != "dense" else empty
        fused = rrf([d_ids.tolist(), l_ids.tolist()], k=ranking.rrf_k,
                    weights=[ranking.dense_weight, ranking.lexical_weight])
        if prefer:
            lo, hi = prefer[0].toordinal(), prefer[1].toordinal()
            for cid in fused:
                if not lo <= self.table.days[cid] <= hi:
                    fused[cid] *= ranking.outside_preferred
        if filters.prefer_docs and ranking.previous_documents != 1.0:
            doc_codes = self.table.doc_codes
            codes = [doc_codes[d] for d in filters.prefer_docs if d in doc_codes]
            for cid in fused:
                if self.table.doc[cid] in codes:
                    fused[cid] *= ranking.previous_documents
        order = sorted(fused, key=fused.__getitem__, reverse=True)
        cosine = dict(zip(d_ids.tolist(), d_scores.tolist()))
        with stages("sqlite"):
            rows = self.passages(order[: max(k * 4, 20)])
        lexical_only = [cid for cid in order[: max(k * 4, 20)] if cid not in cosine and cid in rows]
        if lexical_only:  # one read for their vectors, not one per hit (a round trip each in Milvus)
            vecs = self.vectors.reconstruct_many(lexical_only) @ query_vec.reshape(-1)
            cosine.update(zip(lexical_only, vecs.tolist()))
        kept: list[int] = []
        over: list[int] = []  # beyond `per_doc`: taken only when fewer documents than `k` passages match
        per: dict[str, int] = {}
        for cid in order:
            row = rows.get(cid)
            if row is None:
                continue
            if per.get(row.doc_id, 0) >= per_doc:
                over.append(cid)
                continue
            per[row.doc_id] = per.get(row.doc_id, 0) + 1
            kept.append(cid)
            if len(kept) >= k:
                break
        kept += over[:k - len(kept)]
        return [Hit(chunk_id=cid, doc_id=rows[cid].doc_id, score=round(fused[cid], 6), text=rows[cid].text,
                    start=rows[cid].start, end=rows[cid].end, title=rows[cid].title, date=rows[cid].date,
                    source=rows[cid].source, url=rows[cid].url, heading=rows[cid].heading,
                    sentences=rows[cid].sentences, dense=cosine[cid],
                    language=rows[cid].language)
                for cid in sorted(kept, key=fused.__getitem__, reverse=True)]

    def score_documents(self, hits: list[Hit], query_vec: np.ndarray) -> None:
        """Set each hit's `document`: its whole document's cosine similarity to the question."""
        doc_ids = list(dict.fromkeys(h.doc_id for h in hits))
        vecs = self.document_vectors(doc_ids)
        cosine = dict(zip(doc_ids, (vecs @ np.asarray(query_vec, dtype=np.float32).reshape(-1)).tolist()))
        for hit in hits:
            hit.document = cosine[hit.doc_id]

    def passages(self, ids: list[int]) -> dict[int, StoredPassage]:
        """`store.chunks(ids)`, each passage read once and kept (at most PASSAGES_KEPT): a question's candidates
        are read again by the next that retrieves them, and a version's passages never change."""
        return self._passages.many(ids, self.store.chunks)

    def document_vectors(self, doc_ids: list[str]) -> np.ndarray:
        """`index.search.docvectors.document_vectors` of `doc_ids`, each computed once and kept (at most DOCS_KEPT):
        the documents a question retrieves are mostly the ones the questions before it did."""
        found = self._docs.many(doc_ids, lambda missing: dict(zip(missing, document_vectors(
            self.vectors, missing, self.store.chunk_ids_by_document(missing)))))
        return np.stack([found[d] for d in doc_ids]) if doc_ids else np.zeros((0, self.vectors.dim), dtype=np.float32)
