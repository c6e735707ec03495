"""INDEX_STORE=milvus: everything the ask path reads, in one Milvus, so a replica needs only MILVUS_URI.

A published version is four collections, named `<MILVUS_COLLECTION>_<kind>_<version id>`:
  passages   chunk id, dense vector, the BM25 sparse field (made by Milvus' BM25 function from the terms
             the local BM25 index has for title + heading + text), text, offsets, sentence spans, document
             id, date, source, title, url, author
  documents  document records (metadata, text and paragraphs, in parts: a VARCHAR holds 64 KB)
  terms      the lexical statistics quote selection and the answer decision read (idf per stemmed term)
  tables     what a reader holds in memory, in one compressed file cut into parts: the ChunkTable (date,
             source and document code per chunk id) and the idf table, so opening a version is a few reads,
             not a scan of the passages and terms collections
and one row of `<MILVUS_COLLECTION>_versions` (its manifest). The alias `<MILVUS_COLLECTION>_current` names the
current passages collection: ingest switches it in one call, readers follow it. The versions before the
last KEEP_VERSIONS are dropped after a switch once replaced VERSION_GRACE_SECONDS ago; a reader reloads on its
next refresh tick, well within that. A reader keeps what it read of its version (`Kept`): a version never changes.

The ingesting machine keeps its working folder (INDEX_DIR), so ingest stays incremental: only changed
documents are embedded; publishing copies the version's passages, vectors and records into Milvus.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

from index.errors import NewsdeskError
from index.store.chunktable import ChunkTable
from index.store.kept import Kept
from index.store.lexical import QUESTION_WORDS, BM25Parameters, LexicalIndex, Terms, bm25
from index.store.documents import Store
from index.types import Document, DocumentRecord, Manifest, Paragraph, StoredPassage
from index.store.vectorstore.milvus_store import INSERT_BATCH, MilvusStore, client, filter_expression

if TYPE_CHECKING:
    from index.settings import EngineSettings
    from index.store.vectorstore import VectorStore
    from index.types import Filters

KEEP_VERSIONS = 2
# A version replaced less than this long ago is kept whatever KEEP_VERSIONS says: a reader switches on its next
# refresh tick (CORPUS_WATCH_SECONDS, 60 s when 0) and an ask started just before takes seconds, so two publishes
# within one tick must not drop the version a reader is still answering from (docs/scaling.md).
VERSION_GRACE_SECONDS = 600.0
PART_CHARS = 16_000  # a document's record is stored in parts of at most this many characters (≤ 64 KB UTF-8)
MAX_CHARS = 16_000  # passage text, heading and the like, cut to what one VARCHAR holds
# The BM25 field holds each passage's terms as the local index made them (bm25s' tokens, stop words and
# Snowball stems: `LexicalIndex.terms`), space-separated, so Milvus' analyser only splits them, and the
# question is sent as its terms: the lexical candidates are the local index's. bm25s' k1 and b.
ANALYZER = {"tokenizer": "standard"}
BM25_PARAMS = {"bm25_k1": 1.5, "bm25_b": 0.75}
LEXICAL_FORMAT = "terms"  # the manifest's `milvus_lexical`: what the BM25 field holds (absent: raw text)
PASSAGE_FIELDS = ["id", "doc", "start", "end", "heading", "sentences", "text", "title", "date", "source_name", "url",
                  "author"]
QUERY_LIMIT = 16_384  # the most rows one Milvus query returns
RESCORE_FETCH = 3  # BM25 candidates taken from Milvus per one kept, to be rescored with corpus-wide statistics
DOCUMENT_FIELDS = ["doc", "title", "date", "source", "url", "author", "path", "ingested_at", "size"]
ROWS_KEPT = 20_000  # passages (text, offsets, sentence spans) a reader keeps, read once per version
VECTORS_KEPT = 50_000  # passage vectors a reader keeps (1.5 KB each at 384 dimensions: 75 MB)
DOCUMENTS_KEPT = 5_000  # documents whose chunk ids a reader keeps
TABLE_PART = 60_000  # base64 characters per row of the tables collection (a VARCHAR holds 65,535)
TABLE_PAGE = 200  # rows of the tables collection read per query (12 MB)


def _prefix(settings: "EngineSettings") -> str:
    return re.sub(r"\W", "_", settings.milvus_collection or "newsdesk")


def names(settings: "EngineSettings", version_id: str) -> dict[str, str]:
    p, v = _prefix(settings), re.sub(r"\W", "_", version_id)
    return {"passages": f"{p}_passages_{v}", "documents": f"{p}_documents_{v}", "terms": f"{p}_terms_{v}",
            "tables": f"{p}_tables_{v}"}


def alias(settings: "EngineSettings") -> str:
    return f"{_prefix(settings)}_current"


def _versions(settings: "EngineSettings") -> str:
    return f"{_prefix(settings)}_versions"


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _iterate(c, name: str, fields: list[str], where: str = "") -> Iterator[dict]:
    it = c.query_iterator(name, batch_size=INSERT_BATCH, filter=where, output_fields=fields)
    try:
        while batch := it.next():
            yield from batch
    finally:
        it.close()


# --- writing -------------------------------------------------------------------------------------
def _collection(c, name: str, fields: list[tuple], *, dim: int = 2, bm25: bool = False,
                indexed: tuple[str, ...] = ()) -> None:
    """A collection with `fields` (name, type, options) and a vector field `vector` (a 2-d placeholder
    where the rows have none: Milvus needs one to load a collection); the `indexed` scalar fields get an
    inverted index, so filters on them are look-ups, not scans."""
    from pymilvus import DataType, Function, FunctionType

    if c.has_collection(name):
        c.drop_collection(name)
    schema = c.create_schema(auto_id=False, enable_dynamic_field=False)
    for field, kind, options in fields:
        schema.add_field(field, getattr(DataType, kind), **options)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    index = c.prepare_index_params()
    index.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
    for field in indexed:
        index.add_index(field_name=field, index_type="INVERTED")
    if bm25:
        schema.add_field("lex", DataType.VARCHAR, max_length=65_535, enable_analyzer=True, analyzer_params=ANALYZER)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["lex"],
                                     output_field_names=["sparse"]))
        index.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                        params=BM25_PARAMS)
    c.create_collection(name, schema=schema, index_params=index)


def _text(max_length: int = 65_535) -> tuple[str, dict]:
    return "VARCHAR", {"max_length": max_length}


def _optional(max_length: int = 65_535) -> tuple[str, dict]:
    """A VARCHAR that may be null, as the Store's column: None stays None, "" stays ""."""
    return "VARCHAR", {"max_length": max_length, "nullable": True}


def _insert(c, name: str, rows: Iterable[dict]) -> None:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= INSERT_BATCH:
            c.insert(name, batch)
            batch = []
    if batch:
        c.insert(name, batch)


def _cut(text: str | None, limit: int = MAX_CHARS) -> str:
    return (text or "")[:limit]


def _cut_or_none(text: str | None) -> str | None:
    return None if text is None else text[:MAX_CHARS]


def publish(settings: "EngineSettings", version: Path, manifest: Manifest, vectors: VectorStore) -> str:
    """Copy the local version at `version` (its store and lexical statistics, `vectors` its vector store)
    into new collections, point the alias at them and drop versions older than the last KEEP_VERSIONS."""
    c = client(settings)
    vid, dim = manifest.version, int(manifest.dimension)
    coll = names(settings, vid)
    previous = _current_collection(c, settings)  # asked first: no versions collection yet, no alias to look up
    lexical = LexicalIndex.load(version / "bm25")
    store = Store(version / "store.sqlite", readonly=True)
    try:
        _collection(c, coll["passages"], [
            ("id", "INT64", {"is_primary": True}), ("day", "INT32", {}), ("source", *_text(1024)),
            ("doc", *_text(4096)), ("start", "INT64", {}), ("end", "INT64", {}), ("heading", *_optional()),
            ("sentences", *_text()), ("text", *_text()), ("title", *_optional()), ("date", *_text(16)),
            ("source_name", *_optional(1024)), ("url", *_optional(4096)), ("author", *_optional(1024))],
            dim=dim, bm25=True, indexed=("doc",))
        lengths: list[int] = []
        _insert(c, coll["passages"], _passage_rows(store, vectors, lexical.terms, lengths))
        _collection(c, coll["documents"], [
            ("key", "VARCHAR", {"max_length": 4200, "is_primary": True}), ("doc", *_text(4096)),
            ("part", "INT32", {}), ("parts", "INT32", {}),
            ("title", *_optional()), ("date", *_text(16)), ("source", *_optional(1024)), ("url", *_optional(4096)),
            ("author", *_optional(1024)), ("path", *_optional(4096)), ("ingested_at", *_text(40)),
            ("size", "INT64", {}),
            ("blob", *_text())], indexed=("doc",))
        _insert(c, coll["documents"], _document_rows(store))
        table = ChunkTable.load(version) or ChunkTable.from_rows(store.chunk_filters())
    finally:
        store.close()
    idf = {t: float(w) for t, w in lexical.idf_table().items() if len(t.encode()) < 1024}
    _collection(c, coll["terms"], [("term", "VARCHAR", {"max_length": 1024, "is_primary": True}),
                                   ("idf", "DOUBLE", {})])
    _insert(c, coll["terms"], ({"term": t, "idf": w, "vector": [0.0, 0.0]} for t, w in idf.items()))
    _collection(c, coll["tables"], [("part", "INT64", {"is_primary": True}), ("blob", *_text())])
    _insert(c, coll["tables"], ({"part": n, "blob": piece, "vector": [0.0, 0.0]}
                                for n, piece in enumerate(_table_parts(table, idf))))
    for name in coll.values():
        c.flush(name)
    versions = _versions(settings)
    if not c.has_collection(versions):
        _collection(c, versions, [("version", "VARCHAR", {"max_length": 64, "is_primary": True}),
                                  ("manifest", *_text())])
    stored = {**manifest.to_json(), "index_store": "milvus", "max_idf": lexical.max_idf,
              "milvus_lexical": LEXICAL_FORMAT,
              "bm25": {"k1": lexical.k1, "b": lexical.b, "avgdl": sum(lengths) / max(len(lengths), 1)}}
    c.upsert(versions, [{"version": vid, "manifest": json.dumps(stored), "vector": [0.0, 0.0]}])
    c.flush(versions)
    if previous:  # one call: readers see the old version or the new, never a mix
        c.alter_alias(coll["passages"], alias(settings))
        if previous != coll["passages"]:
            _retired(c, settings, previous[len(f"{_prefix(settings)}_passages_"):])
    else:
        c.create_alias(coll["passages"], alias(settings))
    _drop_old(c, settings, keep=vid)
    return vid


def _table_parts(table: ChunkTable, idf: dict[str, float]) -> list[str]:
    """The ChunkTable's arrays and the idf table as one compressed npz, base64 in TABLE_PART pieces."""
    def text(value) -> np.ndarray:
        return np.frombuffer(json.dumps(value, ensure_ascii=False).encode(), dtype=np.uint8)

    buf = io.BytesIO()
    np.savez_compressed(buf, days=table.days, source=table.source, doc=table.doc, documents=text(table.documents),
                        sources=text({"codes": sorted(table.source_codes, key=lambda s: table.source_codes[s]),
                                      "names": sorted(table.sources.items())}),
                        terms=text(list(idf)), idf=np.fromiter(idf.values(), dtype=np.float64, count=len(idf)))
    blob = base64.b64encode(buf.getvalue()).decode("ascii")
    return [blob[i:i + TABLE_PART] for i in range(0, len(blob), TABLE_PART)] or [""]


def _read_tables(c, name: str) -> tuple[ChunkTable, dict[str, float]] | None:
    """What `_table_parts` stored, or None for a version published before the tables collection."""
    if not c.has_collection(name):
        return None
    c.load_collection(name)
    count = int(c.query(name, filter="", output_fields=["count(*)"])[0]["count(*)"])
    pieces: list[str] = []
    for at in range(0, count, TABLE_PAGE):  # a page at a time: one reply stays well under gRPC's limits
        rows = c.query(name, filter=f"part >= {at} and part < {at + TABLE_PAGE}", output_fields=["part", "blob"])
        pieces += [r["blob"] for r in sorted(rows, key=lambda r: r["part"])]
    with np.load(io.BytesIO(base64.b64decode("".join(pieces)))) as z:
        def text(key: str):
            return json.loads(z[key].tobytes().decode())

        names = text("sources")
        table = ChunkTable(z["days"], z["source"], z["doc"], {n: code for code, n in enumerate(names["codes"])},
                           dict(names["names"]), text("documents"))
        idf = dict(zip(text("terms"), z["idf"].tolist()))
    return table, idf


def _passage_rows(store: Store, vectors, terms: Terms, lengths: list[int]) -> Iterator[dict]:
    """The passages collection's rows; each passage's number of terms is appended to `lengths`."""
    ids = store.chunk_ids()
    for at in range(0, len(ids), INSERT_BATCH):  # one read of the store, a batch at a time
        part = ids[at:at + INSERT_BATCH]
        vecs = vectors.reconstruct_many(part)
        rows = store.chunks(part)
        lex = dict(zip(part, terms([rows[cid].lexical_text for cid in part])))
        for cid, vec in zip(part, vecs):
            r = rows[cid]
            lengths.append(len(lex[cid]))
            day = r.date
            yield {"id": cid, "day": date.fromisoformat(day).toordinal() if day else -1,
                   "source": (r.source or "").casefold(), "doc": r.doc_id, "start": r.start, "end": r.end,
                   "heading": _cut_or_none(r.heading), "sentences": json.dumps(r.sentences), "text": _cut(r.text),
                   "title": _cut_or_none(r.title), "date": day or "", "source_name": r.source, "url": r.url,
                   "author": r.author, "lex": _cut(" ".join(lex[cid])),
                   "vector": np.asarray(vec, dtype=np.float32).tolist()}


def _document_rows(store: Store) -> Iterator[dict]:
    for meta in store.documents_in():
        doc = store.document(meta.id)
        assert doc is not None  # (listed by the same store)
        blob = json.dumps({"text": doc.text, "paragraphs": doc.paragraphs, "metadata": doc.metadata,
                           "content_hash": doc.content_hash, "pages": doc.pages}, ensure_ascii=False, default=str)
        parts = [blob[i:i + PART_CHARS] for i in range(0, len(blob), PART_CHARS)]
        for n, piece in enumerate(parts):
            yield {"key": f"{doc.id}#{n}", "doc": doc.id, "part": n, "parts": len(parts), "title": meta.title,
                   "date": meta.date or "", "source": meta.source, "url": meta.url,
                   "author": meta.author, "path": meta.path, "ingested_at": meta.ingested_at or "",
                   "size": int(meta.size or 0), "blob": piece, "vector": [0.0, 0.0]}


def _current_collection(c, settings: "EngineSettings") -> str | None:
    if not c.has_collection(_versions(settings)):  # nothing ever published (and no alias to ask about)
        return None
    from pymilvus.exceptions import MilvusException

    try:
        return c.describe_alias(alias(settings))["collection_name"]
    except MilvusException as exc:
        if _not_found(exc):  # no alias yet: nothing published
            return None
        # anything else (an auth failure, a lost connection) is said, not read as "nothing published"
        raise NewsdeskError(f"Milvus at {settings.milvus_uri}: cannot read the alias {alias(settings)} "
                            f"(code {exc.code}: {str(exc.message).splitlines()[0][:200]})") from exc


# Milvus' codes for a missing collection (milvus-lite's answer for a missing alias) and a missing alias (servers)
_NOT_FOUND_CODES = (100, 1600)


def _not_found(exc) -> bool:
    """Whether a MilvusException says the thing asked for does not exist."""
    return exc.code in _NOT_FOUND_CODES or "does not exist" in str(exc.message).casefold()


def _retired(c, settings: "EngineSettings", version_id: str) -> None:
    """Note in a version's manifest row when readers were switched away from it (`retired_at`, epoch seconds)."""
    c.load_collection(_versions(settings))  # released when milvus-lite was reopened by this process
    rows = c.query(_versions(settings), filter=f"version == {_quote(version_id)}", output_fields=["manifest"])
    if rows:
        manifest = {**json.loads(rows[0]["manifest"]), "retired_at": time.time()}
        c.upsert(_versions(settings), [{"version": version_id, "manifest": json.dumps(manifest), "vector": [0.0, 0.0]}])
        c.flush(_versions(settings))


def _drop_old(c, settings: "EngineSettings", keep: str) -> None:
    """Drop the versions older than the last KEEP_VERSIONS, unless replaced less than VERSION_GRACE_SECONDS ago."""
    c.load_collection(_versions(settings))  # released when milvus-lite was reopened by this process
    rows = list(_iterate(c, _versions(settings), ["version", "manifest"]))
    versions = sorted((r["version"] for r in rows), reverse=True)
    retired = {r["version"]: json.loads(r["manifest"]).get("retired_at") for r in rows}
    recent = {v for v, at in retired.items() if at is not None and time.time() - at < VERSION_GRACE_SECONDS}
    live = set(versions[:KEEP_VERSIONS]) | {keep} | recent
    for old in versions:
        if old in live:
            continue
        for name in names(settings, old).values():
            if c.has_collection(name):
                c.drop_collection(name)
        c.delete(_versions(settings), ids=[old])


def has_version(settings: "EngineSettings", version_id: str) -> bool:
    """Whether `version_id` is the version readers follow."""
    return _current_collection(client(settings), settings) == names(settings, version_id)["passages"]


# --- reading -------------------------------------------------------------------------------------
def current(settings: "EngineSettings") -> tuple[str, Manifest] | None:
    """(version id, manifest) of the version the alias names, or None when none was published."""
    c = client(settings)
    name = _current_collection(c, settings)
    if name is None:
        return None
    vid = name[len(f"{_prefix(settings)}_passages_"):]
    c.load_collection(_versions(settings))  # a restarted milvus-lite (a new reader process) has it released
    rows = c.query(_versions(settings), filter=f"version == {_quote(vid)}", output_fields=["manifest"])
    if not rows:
        raise NewsdeskError(f"Milvus at {settings.milvus_uri}: version {vid} has no manifest; run `newsdesk ingest`")
    return vid, Manifest.of(json.loads(rows[0]["manifest"]))


def _passage(r: dict) -> StoredPassage:
    return StoredPassage(id=r["id"], doc_id=r["doc"], start=r["start"], end=r["end"], heading=r["heading"],
                         sentences=tuple(tuple(x) for x in json.loads(r["sentences"] or "[]")), text=r["text"],
                         title=r["title"], date=r["date"] or None, source=r["source_name"], url=r["url"],
                         author=r["author"])


class _Reading:
    """A published version's per-reader memory, shared by its corpus, vectors and lexical index: the passages,
    vectors and chunk ids of documents already read (a search's hits bring theirs along)."""

    def __init__(self) -> None:
        self.rows: Kept[int, StoredPassage] = Kept(ROWS_KEPT)
        self.vectors: Kept[int, np.ndarray] = Kept(VECTORS_KEPT)
        self.chunk_ids: Kept[str, tuple[int, ...]] = Kept(DOCUMENTS_KEPT)

    def keep_hits(self, hits: list[dict]) -> None:
        """Keep the rows and vectors a search returned with its hits (`HIT_FIELDS`)."""
        entities = [{**h["entity"], "id": h["id"]} for h in hits if "text" in h["entity"]]
        self.rows.keep({e["id"]: _passage(e) for e in entities})
        self.vectors.keep({e["id"]: np.asarray(e["vector"], dtype=np.float32) for e in entities if "vector" in e})


HIT_FIELDS = [*PASSAGE_FIELDS, "vector"]  # what a search returns with each hit: no second read for the rows used


class MilvusCorpus:
    """The Store's read side over a published version's collections (rows are dicts with the Store's keys)."""

    def __init__(self, settings: "EngineSettings", version_id: str, reading: _Reading | None = None) -> None:
        self._c = client(settings)
        self.names = names(settings, version_id)
        self.reading = reading or _Reading()
        self.table: ChunkTable | None = None  # set by open_version when the version publishes one
        for kind in ("passages", "documents", "terms"):  # tables: read once by open_version, when published
            self._c.load_collection(self.names[kind])

    def chunk_filters(self) -> list[tuple[int, str | None, str, str]]:
        rows = _iterate(self._c, self.names["passages"], ["id", "date", "source_name", "doc"])
        return sorted((r["id"], r["date"] or None, r["source_name"], r["doc"]) for r in rows)

    def chunks(self, ids: list[int]) -> dict[int, StoredPassage]:
        held, missing = self.reading.rows.found([int(i) for i in ids])
        if missing:
            read = {r["id"]: _passage(r) for r in self._c.get(self.names["passages"], ids=missing,
                                                                 output_fields=PASSAGE_FIELDS)}
            self.reading.rows.keep(read)
            held.update(read)
        return held

    def document(self, doc_id: str) -> Document | None:
        """Read by primary key (`<doc>#<part>`: a look-up; a filter on `doc` scans in milvus-lite), the first
        part saying how many follow."""
        fields = ["part", "parts", "blob", *DOCUMENT_FIELDS]
        rows = self._c.get(self.names["documents"], ids=[f"{doc_id}#0"], output_fields=fields)
        if not rows:
            return None
        if rows[0]["parts"] > 1:
            rows += self._c.get(self.names["documents"], ids=[f"{doc_id}#{n}" for n in range(1, rows[0]["parts"])],
                                output_fields=fields)
        rows.sort(key=lambda r: r["part"])
        blob, meta = json.loads("".join(r["blob"] for r in rows)), rows[0]
        return Document(id=doc_id, title=meta["title"], text=blob["text"],
                        date=date.fromisoformat(meta["date"]) if meta["date"] else None, source=meta["source"],
                        url=meta["url"], author=meta["author"], path=meta["path"],
                        metadata=blob["metadata"], content_hash=blob["content_hash"],
                        paragraphs=tuple(Paragraph(*p) for p in blob["paragraphs"]),
                        pages=tuple(tuple(p) for p in blob.get("pages") or ()))

    def _documents(self, where: list[str]) -> list[DocumentRecord]:
        rows = _iterate(self._c, self.names["documents"], DOCUMENT_FIELDS, " and ".join(["part == 0", *where]))
        return [DocumentRecord(**{**{k: r[k] for k in DOCUMENT_FIELDS if k != "doc"}, "id": r["doc"],
                                  "date": r["date"] or None}) for r in rows]

    def documents(self, *, since: str | None = None) -> list[DocumentRecord]:
        rows = self._documents([f"ingested_at > {_quote(since)}"] if since else [])
        rows.sort(key=lambda r: r.id)
        rows.sort(key=lambda r: r.date or "", reverse=True)
        return rows

    def documents_in(self, *, ingested_after: str | None = None, ingested_until: str | None = None,
                     dated_since: str | None = None, dated_until: str | None = None) -> list[DocumentRecord]:
        where = [f"{field} {op} {_quote(value)}" for field, op, value in (
            ("ingested_at", ">", ingested_after), ("ingested_at", "<=", ingested_until),
            ("date", ">=", dated_since), ("date", "<=", dated_until)) if value]
        if dated_since or dated_until:
            where.append('date != ""')  # undated documents are outside any date bound
        return sorted(self._documents(where), key=lambda r: (r.date or "", r.id))

    def chunk_ids_by_document(self, doc_ids: list[str]) -> dict[str, list[int]]:
        """Each document's chunk ids in text order; read with their vectors, which the caller reads next
        (`index.search.docvectors`): one round trip for both."""
        held, missing = self.reading.chunk_ids.found(list(doc_ids))
        out: dict[str, list[int]] = {d: list(held.get(d, ())) for d in doc_ids}
        fields = ["id", "doc", "start", "vector"]
        if missing and self.table is not None:  # the chunk table names them: a primary-key read, not a filter
            codes = self.table.doc_codes
            ids = np.flatnonzero(np.isin(self.table.doc, [codes[d] for d in missing if d in codes])).tolist()
            rows = self._c.get(self.names["passages"], ids=ids, output_fields=fields) if ids else []
            self.reading.vectors.keep({int(r["id"]): np.asarray(r["vector"], dtype=np.float32) for r in rows})
            for r in sorted(rows, key=lambda r: (r["doc"], r["start"], r["id"])):
                out[r["doc"]].append(int(r["id"]))
            self.reading.chunk_ids.keep({d: tuple(out[d]) for d in missing})
            missing = []
        for i in range(0, len(missing), 200):
            part = missing[i:i + 200]
            where = f"doc in [{', '.join(_quote(d) for d in part)}]"
            # one query (an iterator costs extra round trips); the iterator only past Milvus' query limit
            rows = self._c.query(self.names["passages"], filter=where, output_fields=fields, limit=QUERY_LIMIT)
            if len(rows) >= QUERY_LIMIT:
                rows = list(_iterate(self._c, self.names["passages"], fields, where))
            self.reading.vectors.keep({int(r["id"]): np.asarray(r["vector"], dtype=np.float32) for r in rows})
            for r in sorted(rows, key=lambda r: (r["doc"], r["start"], r["id"])):
                out[r["doc"]].append(int(r["id"]))
            self.reading.chunk_ids.keep({d: tuple(out[d]) for d in part})
        return out

    def document_languages(self) -> dict[str, str]:
        """None known: a published version keeps each document's metadata in its blob, read only with its text, so
        its passages carry no language and answers read them as an older local version's (index.answer.chance)."""
        return {}

    def counts(self) -> tuple[int, int]:
        docs = self._c.query(self.names["documents"], filter="part == 0", output_fields=["count(*)"])
        chunks = self._c.query(self.names["passages"], filter="", output_fields=["count(*)"])
        return int(docs[0]["count(*)"]), int(chunks[0]["count(*)"])

    def close(self) -> None:
        pass


class MilvusLexical:
    """The LexicalIndex's read side: BM25 search by Milvus over the passages, idf from the terms collection."""

    def __init__(self, settings: "EngineSettings", version_id: str, manifest: Manifest,
                 idf: dict[str, float] | None = None, reading: _Reading | None = None) -> None:
        """`idf` as read from the tables collection; without it, read from the terms collection (a scan)."""
        self._c = client(settings)
        self.reading = reading or _Reading()
        self.names = names(settings, version_id)
        self.terms = Terms()
        self._idf = idf if idf is not None else {
            r["term"]: r["idf"] for r in _iterate(self._c, self.names["terms"], ["term", "idf"])}
        self._max_idf = float(manifest.max_idf or math.log(1 + (len(self._idf) + 0.5) / 0.5))
        self.ids = np.zeros(0, dtype=np.int64)  # not kept on a reader (the passages are in Milvus)
        self._terms_field = manifest.milvus_lexical == LEXICAL_FORMAT  # else: published as raw text
        stats = manifest.bm25  # absent in versions published before rescoring: Milvus' scores stand
        self._bm25 = BM25Parameters(float(stats["k1"]), float(stats["b"]), float(stats["avgdl"])) \
            if self._terms_field and stats else None

    def known(self, term: str) -> bool:
        return term in self._idf

    def idf(self, term: str) -> float:
        return self._idf.get(term, self._max_idf)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None,
               filters: "Filters | None" = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (chunk ids, BM25 scores) among the passages that pass `filters`, the question's framing
        words (what, who, recently ...) left out as the local index leaves them out.

        Milvus scores a passage with its own segment's statistics (passage count, mean length), so the same
        term weighs differently across segments: RESCORE_FETCH× as many candidates are taken and scored
        again from their terms with the corpus-wide idf and mean length, as the local index scores them.
        """
        stems = self.terms.question(query)
        if not any(self.known(t) for t in stems):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self._terms_field:
            text = " ".join(t for t in stems if self.known(t))
        else:  # a version published before the field held terms: Milvus' analyser stems the words
            text = " ".join(w for w in re.findall(r"\w+", query.casefold()) if w not in QUESTION_WORDS) or query
        limit = min(int(k) * RESCORE_FETCH, QUERY_LIMIT) if self._bm25 else int(k)
        res = self._c.search(self.names["passages"], data=[text], anns_field="sparse",
                             limit=limit, filter=filter_expression(filters),
                             output_fields=[*HIT_FIELDS, "lex"] if self._bm25 else HIT_FIELDS,
                             search_params={"metric_type": "BM25"})
        hits = res[0] if res else []
        self.reading.keep_hits(hits)
        if not self._bm25:
            return (np.array([h["id"] for h in hits], dtype=np.int64),
                    np.array([abs(h["distance"]) for h in hits], dtype=np.float32))
        asked = [t for t in stems if self.known(t)]
        scored = sorted(((bm25(asked, h["entity"]["lex"].split(), self.idf, self._bm25), h["id"]) for h in hits),
                        key=lambda si: (-si[0], si[1]))[:int(k)]
        return (np.array([i for _, i in scored], dtype=np.int64), np.array([s for s, _ in scored], dtype=np.float32))


def open_version(settings: "EngineSettings", version_id: str,
                 manifest: Manifest) -> tuple[MilvusCorpus, "PublishedVectors", MilvusLexical, ChunkTable | None]:
    """(store, vectors, lexical, chunk table) of a published version: what a Retriever is built from. The chunk
    table is None for a version published without the tables collection (the Retriever then scans the passages)."""
    reading = _Reading()
    corpus = MilvusCorpus(settings, version_id, reading)
    vectors = PublishedVectors(settings, corpus.names["passages"], int(manifest.dimension), reading)
    table, idf = _read_tables(corpus._c, corpus.names["tables"]) or (None, None)
    corpus.table = table
    return corpus, vectors, MilvusLexical(settings, version_id, manifest, idf, reading), table


class PublishedVectors(MilvusStore):
    """A published version's passages as a reader's vector store: read-only, so the vectors read once (with a
    search's hits, a document's chunk ids or on their own) are kept, and a search brings its hits' rows along."""

    def __init__(self, settings: "EngineSettings", name: str, dim: int, reading: _Reading) -> None:
        super().__init__(settings, name, dim)
        self.reading = reading

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None,
               filters: "Filters | None" = None) -> tuple[np.ndarray, np.ndarray]:
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        res = self._client.search(self.name, data=[np.asarray(query, dtype=np.float32).reshape(-1).tolist()],
                                  limit=int(k), filter=filter_expression(filters), output_fields=HIT_FIELDS,
                                  search_params={"metric_type": "IP"})
        hits = res[0] if res else []
        self.reading.keep_hits(hits)
        return (np.array([h["id"] for h in hits], dtype=np.int64),
                np.array([h["distance"] for h in hits], dtype=np.float32))

    def reconstruct_many(self, chunk_ids) -> np.ndarray:
        ids = [int(c) for c in chunk_ids]
        held, missing = self.reading.vectors.found(list(dict.fromkeys(ids)))
        if missing:
            read = {r["id"]: np.asarray(r["vector"], dtype=np.float32)
                    for r in self._client.get(self.name, ids=missing, output_fields=["vector"])}
            if len(read) < len(missing):
                raise KeyError(next(c for c in missing if c not in read))
            self.reading.vectors.keep(read)
            held.update(read)
        return np.asarray([held[c] for c in ids], dtype=np.float32).reshape(len(ids), self.dim)

    def reconstruct(self, chunk_id: int) -> np.ndarray:
        return self.reconstruct_many([chunk_id])[0]
