"""Incremental ingest: parse → chunk → embed only what changed → build a new version → swap it in."""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable


from index.ingest.chunk import chunk_document
from index.encode.embed import Encoder, encode_queries, encoder_for, model_languages
from index.text.language import KEY as LANGUAGE_KEY
from index.text.language import detect as detect_language
from index.text.language import unread, unread_note
from index.store.check import check_version
from index.errors import BadDate, BadDocument, NewsdeskError
from index.store.lexical import LexicalIndex
from index.text.cased import save as save_cased
from index.limits import Limits
from index.ingest.parse import SUPPORTED, file_kind, parse_file
from index.ingest.progress import QUIET, IngestProgress
from index.settings import EngineSettings
from index.store.documents import Store
from index.types import Chunk, Document, IngestReport, Manifest, SkippedFile
from index.store import milvus as milvus_index
from index.store.vectorstore import (Payload, VectorStore, backend_of, discard, new_store, open_for_build, open_version,
                                     sweep)
from index.answer.chance import PROBES, chance_similarity
from index.store.chunktable import ChunkTable
from index.store.versions import (STARTS_FROM, build_lock, current_version, new_build_dir, publish, read_manifest,
                                  write_manifest)

log = logging.getLogger(__name__)
EMBED_BATCH = 1024  # chunks handed to the encoder at once; it sorts each call by length, so bigger calls pad less
EMBED_FIRST = 256  # the first call: the encoder starts sooner instead of idling while parsing fills a batch


@dataclass
class _Work:
    doc: Document
    chunks: list[Chunk]
    status: str  # "added" | "updated"


@dataclass
class Walk:
    """The files under the paths given, what was skipped while walking, and folders that could not be read."""

    files: list[tuple[Path, str]] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    unreadable: list[Path] = field(default_factory=list)


def collect_files(paths: list[Path]) -> Walk:
    """(file, document id) for every file under `paths`; ids are paths relative to the given folder.

    Hidden files are left out. A symlink is followed only to a file inside the same folder (one pointing
    outside, dangling or looping is skipped with the reason); symlinked folders are not entered. A folder
    that cannot be read is reported, and its documents already in the index are kept."""
    walk = Walk()
    for root in paths:
        root = Path(root)
        if root.is_file():
            walk.files.append((root, root.name))
        elif root.is_dir():
            _walk_folder(root, walk)
        elif root.exists():
            raise BadDocument(f"{root}: {_not_a_file(root)}")
        else:
            raise BadDocument(f"{root}: no such file or folder")
    return walk


def _walk_folder(root: Path, walk: Walk) -> None:
    real_root = root.resolve()

    def unreadable(exc: OSError) -> None:
        folder = Path(exc.filename or root)
        walk.unreadable.append(folder.resolve())
        walk.skipped.append(SkippedFile(str(folder), f"folder not readable ({exc.strerror or exc}); "
                                                     "its documents already in the index are kept"))

    found = []
    for folder, dirs, names in os.walk(root, onerror=unreadable, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in dirs:
            if (here / d).is_symlink():
                walk.skipped.append(SkippedFile(str(here / d), "symlinked folder not followed"))
        for name in names:
            if name.startswith("."):
                continue
            path = here / name
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError) as exc:  # dangling, or a loop
                    reason = "symlink loop" if isinstance(exc, RuntimeError) or getattr(exc, "errno", 0) == 40 \
                        else "dangling symlink"
                    walk.skipped.append(SkippedFile(str(path), reason))
                    continue
                if real_root not in target.parents:
                    walk.skipped.append(SkippedFile(str(path), "symlink to a file outside the corpus folder"))
                    continue
                if not target.is_file():
                    continue
            elif not path.is_file():
                if path.exists():  # a named pipe or a device: reading one could block or never end
                    walk.skipped.append(SkippedFile(str(path), _not_a_file(path)))
                continue
            found.append((path, path.relative_to(root).as_posix()))
    walk.files += sorted(found)


def _not_a_file(path: Path) -> str:
    """Why `path`, which exists, is not read: it is no regular file or folder."""
    import stat

    mode = path.stat().st_mode
    kind = ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "no regular file")
    return f"not a file or folder ({kind}): not read"


def _in_scope(path: str, roots: list[Path]) -> bool:
    p = Path(path)
    return any(p == r or r in p.parents for r in roots)


def _kept(path: str, unreadable: list[Path]) -> bool:
    """Whether a document's file is under a folder this walk could not read (so it may well still exist)."""
    p = Path(path)
    return any(u == p or u in p.parents for u in unreadable)


class _Plan:
    """Walks the files on a producer thread, handing changed documents to the encoder loop."""

    def __init__(self, files: list[tuple[Path, str]], previous: dict[str, tuple[str, str]], report: IngestReport,
                 chunking: dict, on_file: Callable[[], None], limits: Limits = Limits()) -> None:
        self.files, self.previous, self.report = files, previous, report
        self.chunking, self.on_file, self.limits = chunking, on_file, limits
        self.seen: dict[str, str] = {}  # document id → the file it came from
        self.skipped_paths: set[str] = set()
        self.queue: queue.Queue[_Work | None] = queue.Queue(maxsize=4 * EMBED_BATCH)
        self.error: BaseException | None = None

    def _skip(self, where: str, reason: str, path: Path) -> None:
        self.report.skipped.append(SkippedFile(where, reason))
        self.skipped_paths.add(str(path.resolve()))

    def run(self) -> None:
        try:
            for path, doc_id in self.files:
                if file_kind(path) not in SUPPORTED:
                    self._skip(str(path), f"unsupported file type {path.suffix or '(none)'}", path)
                    self.on_file()
                    continue
                try:
                    for item in parse_file(path, doc_id, self.limits):
                        if isinstance(item, tuple):
                            self._skip(*item, path)
                        else:
                            self._document(item, path)
                except (BadDocument, BadDate) as exc:
                    self._skip(str(path), str(exc), path)
                except Exception as exc:  # any other failure of one file: that file is skipped, the rest go on
                    log.warning("Skipped %s", path, exc_info=True)
                    self._skip(str(path), f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}", path)
                self.on_file()
        except BaseException as exc:  # surfaced by the consumer
            self.error = exc
        finally:
            self.queue.put(None)

    def _document(self, doc: Document, path: Path) -> None:
        doc = Document(**{**doc.__dict__, "path": str(path.resolve())})
        if doc.id in self.seen:
            self.report.skipped.append(SkippedFile(str(path),
                                                   f"document id {doc.id!r} already used by {self.seen[doc.id]}"))
            return
        before = self.previous.get(doc.id)
        if before and before[1] != doc.path and Path(before[1]).is_file():
            # another file that still exists holds this id: it is not replaced behind its back
            self.report.skipped.append(SkippedFile(str(path), f"document id {doc.id!r} already used by {before[1]}"))
            return
        self.seen[doc.id] = str(path)
        if before and before[0] == doc.content_hash:
            self.report.unchanged += 1
            return
        doc = with_language(doc)  # once, before chunking: what the model reads is checked against it
        chunks = chunk_document(doc, **self.chunking)
        if len(chunks) > self.limits.max_chunks_per_document:
            self._skip(str(path), f"{len(chunks):,} passages, more than MAX_CHUNKS_PER_DOCUMENT="
                                  f"{self.limits.max_chunks_per_document:,}", path)
            return
        self.queue.put(_Work(doc, chunks, "updated" if before else "added"))


def ingest(settings: EngineSettings, paths: list[Path], *, encoder: Encoder | None = None,
           progress: IngestProgress = QUIET, max_words: int = 120, overlap: int = 0) -> IngestReport:
    """Bring the index at `settings.index_dir` in line with the files under `paths`, telling `progress` how it goes.

    `max_words` and `overlap` (sentences) shape the chunks of documents embedded in this run.
    """
    started = time.perf_counter()
    index_dir = Path(settings.index_dir)
    if index_dir.exists() and not index_dir.is_dir():
        raise NewsdeskError(f"{index_dir} is a file, not an index folder (see --index / INDEX_DIR)")
    report = IngestReport(index_dir=str(index_dir))
    roots = [Path(p).resolve() for p in paths]
    walk = collect_files([Path(p) for p in paths])
    report.skipped += walk.skipped
    model_name = encoder.name if encoder else settings.embedding_model

    with build_lock(index_dir):
        previous = _previous_version(settings, index_dir, model_name, report)
        build = _Build(settings, index_dir, previous, encoder, progress)
        try:
            hashes = build.start(len(walk.files))
            plan = _Plan(walk.files, hashes, report, {"max_words": max_words, "overlap": overlap},
                         progress.parsed, settings.limits)
            _embed_changes(plan, build, report)
            build.remove(_gone(hashes, plan, roots, walk.unreadable), report)
            if not (report.added or report.updated or report.removed or not previous.reuse):
                _keep_current(settings, build, previous)  # nothing to publish: the current version says all this
                _note_languages(report, previous.manifest.languages if previous.manifest else None, model_name)
                report.seconds = round(time.perf_counter() - started, 3)
                return report
            build.write(report, model_name, max_words, overlap)
            _note_languages(report, report.languages, model_name)
            settings.confirm_publish("publishing a new index version")  # the writer lease, in the app
            final = publish(index_dir, build.version_id, build.folder)
        except BaseException:
            build.discard()
            raise
        sweep(settings, index_dir)
        if settings.index_store == "milvus":  # a failure here leaves readers on the version before
            publish_to_milvus(settings, final)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


@dataclass
class _Previous:
    """The version answering now, and whether the new one starts as a copy of it (same model and format)."""

    path: Path | None
    manifest: Manifest | None = None
    reuse: bool = False


def _previous_version(settings: EngineSettings, index_dir: Path, model_name: str, report: IngestReport) -> _Previous:
    """The current version; a damaged one is rebuilt from the files rather than copied (and the report says so)."""
    path = current_version(index_dir)
    if path is None:
        return _Previous(None)
    damage = check_version(settings, path, thorough=False, read_ids=True).problems
    if damage:
        report.repaired = f"version {path.name}: {damage[0]}"
        log.warning("Index version %s is damaged (%s); rebuilding it from the corpus", path.name, "; ".join(damage))
        return _Previous(path)
    manifest = read_manifest(path)
    reuse = (manifest.model == model_name and manifest.format_version in STARTS_FROM
             and backend_of(manifest) == settings.vector_backend)
    return _Previous(path, manifest, reuse)


class _Build:
    """A new index version being built in its own folder: its store, its vectors and, once needed, the encoder.

    `discard()` leaves no trace of it; nothing is visible to readers until `publish`.
    """

    def __init__(self, settings: EngineSettings, index_dir: Path, previous: _Previous, encoder: Encoder | None,
                 progress: IngestProgress) -> None:
        self.settings, self.previous, self.given, self.progress = settings, previous, encoder, progress
        self.version_id, self.folder = new_build_dir(index_dir)
        self.store: Store | None = None
        self.vectors: VectorStore | None = None
        self.encoder: Encoder | None = None  # the one that embedded, when any did
        self.now = datetime.now(timezone.utc).isoformat(timespec="seconds")

    @property
    def db(self) -> Store:
        """The store, once `start` opened it."""
        assert self.store is not None, "start() opens the store"
        return self.store

    def start(self, files: int) -> dict[str, tuple[str, str]]:
        """Open the store (a copy of the previous version's when reused) and report `files` files to parse;
        the documents it holds, as id → (content hash, path)."""
        self.store = Store(self.folder / "store.sqlite")
        if self.previous.reuse:
            assert self.previous.path is not None and self.previous.manifest is not None  # reused: read
            self.db.copy_from(self.previous.path / "store.sqlite")
            self.vectors = open_for_build(self.settings, self.previous.path, self.previous.manifest, self.version_id)
        hashes = self.db.document_hashes()
        self.progress.started(files)
        return hashes

    def embedder(self) -> Encoder:
        """The encoder, loaded on first use: an ingest that embeds nothing new never loads the model."""
        if self.encoder is None:
            if self.given is None:
                self.progress.note(f"embed: loading the model {self.settings.embedding_model} "
                              f"({self.settings.embedding_backend})")
            # a reused index keeps its int8 preset
            self.encoder = self.given or encoder_for(self.settings, self.previous.manifest if self.previous.reuse
                                                     else None)
        return self.encoder

    def _vector_store(self) -> VectorStore:
        if self.vectors is None:
            self.vectors = new_store(self.settings, self.embedder().dim, self.version_id)
        return self.vectors

    def embed(self, batch: list[_Work], report: IngestReport) -> None:
        """Embed a batch of changed documents and store them with their vectors, replacing their older copies."""
        if not batch:
            return
        encoder = self.embedder()
        texts = [c.embed_text(w.doc.title) for w in batch for c in w.chunks]
        # One call per batch, however progress is shown: int8 quantises activations per encoder batch, so the calls'
        # sizes
        # decide the vectors, and a terminal must not.
        vecs = encoder.encode(texts, batch_size=self.settings.embedding_batch_size)
        self.progress.embedded(len(vecs))
        vectors = self._vector_store()
        row = 0
        for w in batch:
            if w.status == "updated":
                vectors.remove(self.db.delete_documents([w.doc.id]))
            ids = self.db.add_document(w.doc, w.chunks, self.now)
            vectors.add(ids, vecs[row:row + len(ids)], [Payload.of(w.doc)] * len(ids))
            row += len(ids)
            setattr(report, w.status, getattr(report, w.status) + 1)
        report.chunks_embedded += len(texts)

    def remove(self, gone: list[str], report: IngestReport) -> None:
        """Remove the documents whose files are gone, and count what the version holds."""
        if gone:
            removed_chunks = self.db.delete_documents(gone)
            if self.vectors is not None:
                self.vectors.remove(removed_chunks)
            report.removed = len(gone)
        self.db.commit()
        report.documents, report.chunks = self.db.counts()

    def write(self, report: IngestReport, model_name: str, max_words: int, overlap: int) -> None:
        """The vectors, the lexical index and the manifest, next to the store (which is closed)."""
        vectors = self._vector_store()
        self.progress.note(f"write: {report.documents} documents, {report.chunks} passages: vectors, lexical index, "
                      f"version {self.version_id}")
        ids, texts = zip(*self.db.iter_embed_texts()) if report.chunks else ((), ())
        stored = vectors.save(self.folder)
        (self.folder / "bm25").mkdir()
        LexicalIndex.build(list(ids), list(texts)).save(self.folder / "bm25")
        save_cased(self.folder, self.db.chunk_texts())
        ChunkTable.from_rows(self.db.chunk_filters()).save(self.folder)
        report.languages = self.db.languages()
        self.db.close()
        write_manifest(self.folder, {
            "version": self.version_id, "model": model_name, "dimension": vectors.dim,
            "documents": report.documents, "chunks": report.chunks,
            "chunk_max_words": max_words, "chunk_overlap": overlap,
            "built_at": self.now, **stored, **self._embedding_record(), **self._chance(vectors),
            "languages": report.languages,
        })

    def _chance(self, vectors: VectorStore) -> dict:
        """The version's chance similarity (index.answer.chance), when this build loaded the encoder (readers measure it
        on their first question otherwise)."""
        if self.encoder is None or not vectors.size:
            return {}
        return {"chance_similarity": round(chance_similarity(vectors, encode_queries(self.encoder, list(PROBES))), 6)}

    def _embedding_record(self) -> dict:
        """How the passages were embedded: by this build's encoder, else (nothing embedded) as the version it
        copied says — so questions keep being encoded with the preset the passages were."""
        carried = self.previous.manifest.embedding if self.previous.manifest and self.previous.reuse else None
        return _encoder_record(self.encoder) or ({"embedding": carried} if carried else {})

    def discard(self) -> None:
        """Drop the vectors (a Milvus collection too) and the build folder."""
        discard(self.settings, self.vectors)
        shutil.rmtree(self.folder, ignore_errors=True)


def _embed_changes(plan: _Plan, build: _Build, report: IngestReport) -> None:
    """Parse on a producer thread while the changed documents are embedded in batches of EMBED_BATCH chunks
    (EMBED_FIRST the first time)."""
    def parse_then_warm() -> None:
        plan.run()
        LexicalIndex.warm()  # write() needs it: imported while the encoder still works

    producer = threading.Thread(target=parse_then_warm, name="ingest-parse", daemon=True)
    producer.start()
    pending: list[_Work] = []
    size, limit = 0, EMBED_FIRST
    while (work := plan.queue.get()) is not None:
        build.progress.queued(len(work.chunks))
        pending.append(work)
        size += len(work.chunks)
        if size >= limit:
            build.embed(pending, report)
            pending, size, limit = [], 0, EMBED_BATCH
    build.embed(pending, report)
    producer.join()
    build.progress.finished()
    if plan.error:
        raise plan.error


def _gone(hashes: dict[str, tuple[str, str]], plan: _Plan, roots: list[Path], unreadable: list[Path]) -> list[str]:
    """Documents of the previous version whose files, under the paths given, no longer exist."""
    return [d for d, (_, path) in hashes.items()
            if d not in plan.seen and path not in plan.skipped_paths and _in_scope(path, roots)
            and not _kept(path, unreadable)]


def _keep_current(settings: EngineSettings, build: _Build, previous: _Previous) -> None:
    """Nothing changed: drop the build; with INDEX_STORE=milvus, publish the current version if Milvus lacks it
    (e.g. INDEX_STORE=milvus set since the last ingest)."""
    build.db.close()
    build.discard()
    assert previous.path is not None  # (it was reused: nothing changed)
    if settings.index_store == "milvus" and not milvus_index.has_version(settings, previous.path.name):
        publish_to_milvus(settings, previous.path)


def _encoder_record(encoder: Encoder | None) -> dict:
    """How this build's passages were embedded (backend, and the ONNX file: which int8 preset), for the manifest."""
    backend = getattr(encoder, "backend", None)
    if backend is None:
        return {}
    file = getattr(encoder, "file_name", None)
    return {"embedding": {"backend": backend, **({"file": file} if hasattr(encoder, "file_name") else {})}}


def with_language(doc: Document) -> Document:
    """`doc` with its detected language in its metadata (index.text.language), unless its file already names one."""
    if doc.metadata.get(LANGUAGE_KEY):
        return doc
    return replace(doc, metadata={**doc.metadata, LANGUAGE_KEY: detect_language(f"{doc.title}\n{doc.text}")})


def _note_languages(report: IngestReport, languages: dict | None, model: str) -> None:
    """The corpus's documents per language, and a note naming those in a language the model does not read."""
    report.languages = dict(languages or {})
    report.language_note = unread_note(unread(report.languages, model_languages(model)), model)


def publish_to_milvus(settings: EngineSettings, version: Path) -> None:
    """INDEX_STORE=milvus: copy a published local version into Milvus and point readers at it."""
    manifest = read_manifest(version)
    vectors = open_version(settings, version, manifest)
    try:
        milvus_index.publish(settings, version, manifest, vectors)
    finally:
        vectors.close()
