"""Is an index version whole? Every part of it (index/store/versions.py: manifest, store, vectors, BM25, chunk table)
opened, its own arrays checked against each other, and the counts compared.

`check_version` is what `newsdesk check` prints (thorough: SQLite's integrity check, every file read to its end,
and the chunk and document ids of all parts compared) and what opening a version and ingest ask first (quick:
each part opens and its sizes agree; of the document ids the chunk table reads on first use, two bytes; ingest
reads those ids in full), so a damaged version is refused in one line or rebuilt from the corpus rather than kept.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.errors import IndexDamaged
from index.settings import EngineSettings
from index.store.versions import current_version, read_manifest
from index.types import Manifest

if TYPE_CHECKING:
    from index.store.chunktable import ChunkTable
    from index.store.lexical import LexicalIndex
    from index.store.vectorstore import VectorStore


# The errors that mean a part of a version is damaged: a file gone or unreadable (OSError), cut short (EOFError:
# numpy), not what it should hold (ValueError: JSON and UTF-8 decoding, numpy's headers and shapes; KeyError only
# where a JSON file's fields are read), SQLite's own (DatabaseError), FAISS's reader (RuntimeError, for the vectors
# only) and a store's own verdict (IndexDamaged). Anything else is a bug: it propagates, a traceback in the log,
# and is never taken for damage (ingest would rebuild and re-embed everything).
DAMAGE: tuple[type[Exception], ...] = (OSError, EOFError, ValueError, IndexDamaged)
STORE_DAMAGE: tuple[type[Exception], ...] = (*DAMAGE, sqlite3.DatabaseError)
# faiss.read_index: RuntimeError for a truncated or foreign file
VECTORS_DAMAGE: tuple[type[Exception], ...] = (*DAMAGE, RuntimeError)
FIELDS_DAMAGE: tuple[type[Exception], ...] = (*DAMAGE, KeyError)  # a JSON file of the part without a field it needs


@dataclass
class OpenedVersion:
    """A whole version's parts as the check opened them, for a reader to answer from without opening them again."""

    manifest: Manifest
    vectors: VectorStore
    lexical: LexicalIndex
    table: ChunkTable | None  # None in versions built before it was saved


@dataclass
class CheckReport:
    """What `newsdesk check` found: the version, its counts, and every problem (none when whole)."""

    index_dir: str
    version: str | None = None
    documents: int | None = None
    chunks: int | None = None
    model: str | None = None
    problems: list[str] = field(default_factory=list)
    opened: OpenedVersion | None = field(default=None, repr=False)  # with keep_open, when whole

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"index_dir": self.index_dir, "version": self.version, "documents": self.documents,
                "chunks": self.chunks, "model": self.model, "ok": self.ok, "problems": self.problems}


def _why(exc: BaseException) -> str:
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def check_version(settings: EngineSettings, version: Path, *, thorough: bool = True, keep_open: bool = False,
                  read_ids: bool | None = None) -> CheckReport:
    """Every problem of the index version in `version` (an empty list when it is whole). With `keep_open`, a whole
    version's opened parts stay open in `report.opened` (a reader then opens nothing twice). `read_ids` (default:
    when thorough) reads the chunk table's document ids in full, which a reader defers to their first use."""
    read_ids = thorough if read_ids is None else read_ids
    report = CheckReport(index_dir=str(settings.index_dir), version=version.name)
    problems = report.problems
    try:
        manifest = read_manifest(version)  # ValueError when not a JSON object or a needed field is missing
    except DAMAGE as exc:
        problems.append(f"manifest.json: {_why(exc)}")
        return report
    report.model, want_docs, want_chunks = manifest.model, manifest.documents, manifest.chunks

    store_ids = store_docs = None
    try:
        with sqlite3.connect(f"file:{version / 'store.sqlite'}?mode=ro", uri=True) as db:
            if thorough:
                verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
                if verdict != "ok":
                    raise sqlite3.DatabaseError(verdict)
            report.documents = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            report.chunks = db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
            if thorough:
                store_ids = np.array([r[0] for r in db.execute("SELECT id FROM chunks ORDER BY id")], dtype=np.int64)
                store_docs = {r[0] for r in db.execute("SELECT DISTINCT doc_id FROM chunks")}
        if (report.documents, report.chunks) != (want_docs, want_chunks):
            problems.append(f"store.sqlite: {report.documents} documents, {report.chunks} passages; the manifest "
                            f"says {want_docs} and {want_chunks}")
    except STORE_DAMAGE as exc:
        problems.append(f"store.sqlite: {_why(exc)}")

    vectors, lexical, table = _open_parts(settings, version, manifest, problems, store_ids, store_docs, thorough,
                                          read_ids)
    if keep_open and not problems:
        report.opened = OpenedVersion(manifest, vectors, lexical, table)
    elif vectors is not None:
        vectors.close()
    return report


def _open_parts(settings: EngineSettings, version: Path, manifest: Manifest, problems: list[str], store_ids, store_docs,
                thorough: bool, read_ids: bool):
    """The version's vectors, lexical index and chunk table, opened and checked; a damaged part's problem is
    appended to `problems` (and the part is None)."""
    want_chunks = manifest.chunks
    vectors = lexical = table = None
    try:
        from index.store.vectorstore import open_version

        vectors = open_version(settings, version, manifest)
        if vectors.size != want_chunks or vectors.dim != manifest.dimension:
            problems.append(f"vectors: {vectors.size} of dimension {vectors.dim}; the manifest says {want_chunks} "
                            f"of dimension {manifest.dimension}")
        elif thorough and store_ids is not None and hasattr(vectors, "vectors"):
            ids, _ = vectors.vectors()
            if not np.array_equal(np.sort(ids), store_ids):
                problems.append("vectors: the chunk ids differ from the store's")
    except VECTORS_DAMAGE as exc:
        problems.append(f"vectors: {_why(exc)}")
    try:
        lexical, table = _open_lexical_and_table(version, problems, want_chunks, store_ids, store_docs, thorough,
                                                 read_ids)
    except BaseException:  # a bug in a reader: it propagates, and the vectors opened before it are closed
        if vectors is not None:
            vectors.close()
        raise
    return vectors, lexical, table


def _open_lexical_and_table(version: Path, problems: list[str], want_chunks: int, store_ids, store_docs,
                            thorough: bool, read_ids: bool):
    lexical = table = None
    try:
        from index.store.lexical import LexicalIndex

        lexical = LexicalIndex.load(version / "bm25")
        if len(lexical.ids) != want_chunks:
            problems.append(f"bm25: {len(lexical.ids)} passages; the manifest says {want_chunks}")
        elif why := lexical.problem(thorough=thorough):
            problems.append(f"bm25: {why}")
        elif thorough and store_ids is not None and not np.array_equal(np.sort(lexical.ids), store_ids):
            problems.append("bm25: the chunk ids differ from the store's")
    except FIELDS_DAMAGE as exc:
        problems.append(f"bm25: {_why(exc)}")

    try:
        from index.store.chunktable import ChunkTable

        table = ChunkTable.load(version)  # None in versions built before it was saved
        if table is not None and (why := _table_problem(table, want_chunks, read_ids, store_ids, store_docs)):
            problems.append(f"chunks: {why}")
    except FIELDS_DAMAGE as exc:
        problems.append(f"chunks: {_why(exc)}")
    return lexical, table


def _table_problem(table, want_chunks: int, read_ids: bool, store_ids, store_docs) -> str | None:
    """What is wrong with a version's chunk table, or None; compared with the store's chunk and document ids
    when the thorough check read them."""
    held = int(table.exists.sum())
    if held != want_chunks:
        return f"{held} passages; the manifest says {want_chunks}"
    if why := table.problem(read_ids=read_ids):
        return why
    if store_ids is not None and not np.array_equal(np.flatnonzero(table.exists), store_ids):
        return "the chunk ids differ from the store's"
    if store_docs is not None and set(table.documents) != store_docs:
        return "the document ids differ from the store's"
    return None


def check(settings: EngineSettings) -> CheckReport:
    """The current version of the index at INDEX_DIR, checked end to end."""
    index_dir = Path(settings.index_dir)
    version = current_version(index_dir)
    if version is None:
        return CheckReport(index_dir=str(index_dir), problems=[
            f"no index at {index_dir}: build one with `newsdesk ingest`"])
    return check_version(settings, version, thorough=True)
