"""SQLite store of documents and chunks (text, offsets, metadata) for one index version."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from index.types import Chunk, Document, DocumentRecord, Paragraph, StoredPassage, lexical_text

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, title TEXT, date TEXT, source TEXT, url TEXT, author TEXT, path TEXT,
    metadata TEXT, content_hash TEXT, text TEXT, paragraphs TEXT, ingested_at TEXT, pages TEXT
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER, start INTEGER, "end" INTEGER, heading TEXT, sentences TEXT, text TEXT
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
"""

# a document's language as ingest keeps it in its metadata (index.text.language.KEY)
_LANGUAGE = "CASE WHEN json_valid(metadata) THEN json_extract(metadata, '$.language') END"


class Store:
    """One SQLite file; safe to share between threads (a lock serialises access)."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        uri = f"file:{self.path}?mode=ro" if readonly else f"file:{self.path}"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        if not readonly:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def _rows(self, sql: str, args: Iterable = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, tuple(args)).fetchall()

    # --- writing (ingest) -------------------------------------------------------------
    def copy_from(self, other: Path) -> None:
        """Start from another version's contents (SQLite's online backup)."""
        with sqlite3.connect(f"file:{other}?mode=ro", uri=True) as src, self._lock:
            src.backup(self._db)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._upgrade()

    def _upgrade(self) -> None:
        """Bring a store copied from an older format up to this one (format 1 had no `pages` column)."""
        with self._lock:
            columns = {r[1] for r in self._db.execute("PRAGMA table_info(documents)")}
            if "pages" not in columns:
                self._db.execute("ALTER TABLE documents ADD COLUMN pages TEXT")

    def languages(self) -> dict[str, int]:
        """How many documents are in each detected language (index.text.language); "" counts those with none."""
        rows = self._rows("SELECT json_extract(metadata, '$.language') AS lang, count(*) AS n FROM documents "
                          "WHERE json_valid(metadata) GROUP BY lang")
        return {r["lang"] or "": int(r["n"]) for r in rows}

    def document_languages(self) -> dict[str, str]:
        """doc id → its detected language (index.text.language), for the documents that have one."""
        rows = self._rows(f"SELECT id, {_LANGUAGE} AS lang FROM documents")
        return {r["id"]: r["lang"] for r in rows if r["lang"]}

    def commit(self) -> None:
        with self._lock:
            self._db.commit()

    def document_hashes(self) -> dict[str, tuple[str, str]]:
        """doc id → (content hash, path)."""
        rows = self._rows("SELECT id, content_hash, path FROM documents")
        return {r["id"]: (r["content_hash"], r["path"]) for r in rows}

    def delete_documents(self, doc_ids: Iterable[str]) -> list[int]:
        """Remove documents and their chunks; return the removed chunk ids."""
        removed: list[int] = []
        with self._lock:
            for doc_id in doc_ids:
                removed += [r[0] for r in self._db.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]
                self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
                self._db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return removed

    def add_document(self, doc: Document, chunks: list[Chunk], ingested_at: str) -> list[int]:
        """Insert a document and its chunks; return the new chunk ids."""
        with self._lock:
            self._db.execute(
                "INSERT INTO documents (id, title, date, source, url, author, path, metadata, content_hash, text, "
                "paragraphs, ingested_at, pages) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.title, doc.date.isoformat() if doc.date else None, doc.source, doc.url, doc.author,
                 doc.path, json.dumps(doc.metadata, ensure_ascii=False, default=str), doc.content_hash, doc.text,
                 json.dumps(doc.paragraphs), ingested_at, json.dumps(doc.pages) if doc.pages else None),
            )
            ids = []
            for c in chunks:
                cur = self._db.execute(
                    'INSERT INTO chunks (doc_id, ordinal, start, "end", heading, sentences, text) '
                    'VALUES (?,?,?,?,?,?,?)',
                    (c.doc_id, c.ordinal, c.start, c.end, c.heading, json.dumps(c.sentences), c.text),
                )
                assert cur.lastrowid is not None  # an INSERT's row
                ids.append(cur.lastrowid)
            return ids

    # --- reading -----------------------------------------------------------------------
    def iter_embed_texts(self) -> Iterator[tuple[int, str]]:
        """(chunk id, title + heading + text) for every chunk, in id order (what BM25 indexes)."""
        rows = self._rows(
            "SELECT c.id, d.title, c.heading, c.text FROM chunks c JOIN documents d ON d.id = c.doc_id ORDER BY c.id"
        )
        for r in rows:
            yield r[0], lexical_text(r[1], r[2], r[3])

    def chunk_texts(self) -> Iterator[str]:
        """Every chunk's own text (no title or heading), in id order."""
        for r in self._rows("SELECT text FROM chunks ORDER BY id"):
            yield r[0]

    def chunk_ids(self) -> list[int]:
        """Every chunk id, in order."""
        return [r[0] for r in self._rows("SELECT id FROM chunks ORDER BY id")]

    def chunk_filters(self) -> list[tuple[int, str | None, str, str]]:
        """Per chunk: (id, document date, source, document id), what filters need."""
        return [tuple(r) for r in self._rows(
            "SELECT c.id, d.date, d.source, d.id FROM chunks c JOIN documents d ON d.id = c.doc_id ORDER BY c.id"
        )]

    def chunks(self, ids: list[int]) -> dict[int, StoredPassage]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._rows(
            f'SELECT c.id, c.doc_id, c.start, c."end", c.heading, c.sentences, c.text, d.title, d.date, d.source, '
            f"d.url, d.author, {_LANGUAGE.replace('metadata', 'd.metadata')} AS language "
            f"FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({marks})",
            ids,
        )
        return {r["id"]: StoredPassage(
            id=r["id"], doc_id=r["doc_id"], start=r["start"], end=r["end"], heading=r["heading"],
            sentences=tuple(tuple(x) for x in json.loads(r["sentences"] or "[]")), text=r["text"], title=r["title"],
            date=r["date"], source=r["source"], url=r["url"], author=r["author"], language=r["language"] or None)
            for r in rows}

    def document(self, doc_id: str) -> Document | None:
        rows = self._rows("SELECT * FROM documents WHERE id = ?", (doc_id,))
        if not rows:
            return None
        r = rows[0]
        return Document(
            id=r["id"], title=r["title"], text=r["text"], date=date.fromisoformat(r["date"]) if r["date"] else None,
            source=r["source"], url=r["url"], author=r["author"], path=r["path"],
            metadata=json.loads(r["metadata"] or "{}"), content_hash=r["content_hash"],
            paragraphs=tuple(Paragraph(*p) for p in json.loads(r["paragraphs"] or "[]")),
            pages=_pages(r["pages"] if "pages" in r.keys() else None),  # a format 1 version has no such column
        )

    def documents(self, *, since: str | None = None) -> list[DocumentRecord]:
        """Document metadata (no text), newest first; `since` filters by ingest time."""
        sql = "SELECT id, title, date, source, url, author, path, ingested_at FROM documents"
        args: tuple = ()
        if since:
            sql += " WHERE ingested_at > ?"
            args = (since,)
        return [DocumentRecord(**dict(r)) for r in self._rows(sql + " ORDER BY date DESC, id", args)]

    def documents_in(self, *, ingested_after: str | None = None, ingested_until: str | None = None,
                     dated_since: str | None = None, dated_until: str | None = None) -> list[DocumentRecord]:
        """Document metadata (no text) in a period: by ingest time (UTC ISO, after < t <= until) and/or by
        document date (YYYY-MM-DD, inclusive; undated documents are outside any date bound)."""
        where, args = [], []
        for clause, value in (("ingested_at > ?", ingested_after), ("ingested_at <= ?", ingested_until),
                              ("date >= ?", dated_since), ("date <= ?", dated_until)):
            if value:
                where.append(clause)
                args.append(value)
        sql = "SELECT id, title, date, source, url, author, path, ingested_at, length(text) AS size FROM documents"
        rows = self._rows(sql + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY date, id", args)
        return [DocumentRecord(**{**dict(r), "size": r["size"] or 0}) for r in rows]

    def holding(self, *, urls: Iterable[str] = (), text: str | None = None) -> DocumentRecord | None:
        """A document whose url is one of `urls`, else one whose text is exactly `text` (what an added page would
        duplicate), or None."""
        sql = "SELECT id, title, date, source, url, author, path, ingested_at FROM documents WHERE "
        urls = [u for u in dict.fromkeys(urls) if u]
        if urls and (rows := self._rows(sql + f"url IN ({','.join('?' * len(urls))}) LIMIT 1", urls)):
            return DocumentRecord(**dict(rows[0]))
        if text and (rows := self._rows(sql + "length(text) = ? AND text = ? LIMIT 1", (len(text), text))):
            return DocumentRecord(**dict(rows[0]))
        return None

    def chunk_ids_by_document(self, doc_ids: list[str]) -> dict[str, list[int]]:
        """doc id → its chunk ids, in order."""
        out: dict[str, list[int]] = {d: [] for d in doc_ids}
        for i in range(0, len(doc_ids), 500):
            part = doc_ids[i:i + 500]
            rows = self._rows(f"SELECT doc_id, id FROM chunks WHERE doc_id IN ({','.join('?' * len(part))}) "
                              "ORDER BY doc_id, ordinal", part)
            for doc_id, cid in rows:
                out[doc_id].append(int(cid))
        return out

    def counts(self) -> tuple[int, int]:
        r = self._rows("SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM chunks)")[0]
        return int(r[0]), int(r[1])


def _pages(stored: str | None) -> tuple[tuple[int, int], ...]:
    return tuple((int(at), int(page)) for at, page in json.loads(stored)) if stored else ()
