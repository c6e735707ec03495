"""Incremental ingest: parse → chunk → embed only what changed → build a new version → swap it in."""

from __future__ import annotations

import queue
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from .chunk import chunk_document
from .embed import Encoder, encoder_for
from .errors import BadDate, BadDocument
from .lexical import LexicalIndex
from .parse import SUPPORTED, file_kind, parse_file
from .settings import Settings
from .store import Store
from .types import Chunk, Document, IngestReport, SkippedFile
from .vectorstore import Payload, VectorStore, backend_of, discard, new_store, open_for_build, sweep
from .versions import FORMAT_VERSION, build_lock, current_version, new_build_dir, publish, read_manifest, write_manifest

EMBED_BATCH = 1024  # chunks handed to the encoder at once; it sorts each call by length, so bigger calls pad less


@dataclass
class _Work:
    doc: Document
    chunks: list[Chunk]
    status: str  # "added" | "updated"


def collect_files(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """(file, document id) for every file under `paths`; ids are paths relative to the given folder."""
    for root in paths:
        root = Path(root)
        if root.is_file():
            yield root, root.name
        elif root.is_dir():
            for p in sorted(root.rglob("*")):
                rel = p.relative_to(root)
                if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield p, rel.as_posix()
        else:
            raise BadDocument(f"{root}: no such file or folder")


def _in_scope(path: str, roots: list[Path]) -> bool:
    p = Path(path)
    return any(p == r or r in p.parents for r in roots)


class _Plan:
    """Walks the files on a producer thread, handing changed documents to the encoder loop."""

    def __init__(self, files: list[tuple[Path, str]], previous: dict[str, tuple[str, str]], report: IngestReport,
                 chunking: dict, on_file: Callable[[], None]) -> None:
        self.files, self.previous, self.report = files, previous, report
        self.chunking, self.on_file = chunking, on_file
        self.seen: set[str] = set()
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
                    continue
                try:
                    for item in parse_file(path, doc_id):
                        if isinstance(item, tuple):
                            self._skip(*item, path)
                        else:
                            self._document(item, path)
                except (BadDocument, BadDate) as exc:
                    self._skip(str(path), str(exc), path)
                except (OSError, ValueError) as exc:
                    self._skip(str(path), f"{type(exc).__name__}: {exc}", path)
                self.on_file()
        except BaseException as exc:  # surfaced by the consumer
            self.error = exc
        finally:
            self.queue.put(None)

    def _document(self, doc: Document, path: Path) -> None:
        doc = Document(**{**doc.__dict__, "path": str(path.resolve())})
        if doc.id in self.seen:
            self.report.skipped.append(SkippedFile(str(path), f"duplicate document id {doc.id!r}"))
            return
        self.seen.add(doc.id)
        before = self.previous.get(doc.id)
        if before and before[0] == doc.content_hash:
            self.report.unchanged += 1
            return
        self.queue.put(_Work(doc, chunk_document(doc, **self.chunking), "updated" if before else "added"))


def ingest(settings: Settings, paths: list[Path], *, encoder: Encoder | None = None,
           progress: bool | None = None, max_words: int = 120, overlap: int = 0) -> IngestReport:
    """Bring the index at `settings.index_dir` in line with the files under `paths`.

    `max_words` and `overlap` (sentences) shape the chunks of documents embedded in this run.
    """
    started = time.perf_counter()
    index_dir = Path(settings.index_dir)
    report = IngestReport(index_dir=str(index_dir))
    roots = [Path(p).resolve() for p in paths]
    files = list(collect_files([Path(p) for p in paths]))
    model_name = encoder.name if encoder else settings.embedding_model
    lazy: dict[str, Encoder] = {}

    def get_encoder() -> Encoder:
        if "e" not in lazy:
            lazy["e"] = encoder or encoder_for(settings, manifest if reuse else None)  # the index's int8 preset
        return lazy["e"]

    with build_lock(index_dir):
        prev = current_version(index_dir)
        reuse, manifest = False, None
        if prev:
            manifest = read_manifest(prev)
            reuse = (manifest.get("model") == model_name and manifest.get("format_version") == FORMAT_VERSION
                     and backend_of(manifest) == settings.vector_backend)
        version_id, build = new_build_dir(index_dir)
        vectors: VectorStore | None = None
        try:
            store = Store(build / "store.sqlite")
            if reuse:
                store.copy_from(prev / "store.sqlite")
                vectors = open_for_build(settings, prev, manifest, version_id)
            previous = store.document_hashes()
            bar = _progress(len(files), progress)
            chunking = {"max_words": max_words, "overlap": overlap}
            plan = _Plan(files, previous, report, chunking, bar.update if bar else (lambda: None))
            producer = threading.Thread(target=plan.run, name="ingest-parse", daemon=True)
            producer.start()

            pending: list[_Work] = []
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")

            def flush() -> None:
                nonlocal vectors
                if not pending:
                    return
                enc = get_encoder()
                texts = [c.embed_text(w.doc.title) for w in pending for c in w.chunks]
                vecs = enc.encode(texts, batch_size=settings.embedding_batch_size)
                if vectors is None:
                    vectors = new_store(settings, enc.dim, version_id)
                row = 0
                for w in pending:
                    if w.status == "updated":
                        vectors.remove(store.delete_documents([w.doc.id]))
                    ids = store.add_document(w.doc, w.chunks, now)
                    vectors.add(ids, vecs[row:row + len(ids)], [Payload.of(w.doc)] * len(ids))
                    row += len(ids)
                    setattr(report, w.status, getattr(report, w.status) + 1)
                report.chunks_embedded += len(texts)
                pending.clear()

            while (work := plan.queue.get()) is not None:
                pending.append(work)
                if sum(len(w.chunks) for w in pending) >= EMBED_BATCH:
                    flush()
            flush()
            producer.join()
            if bar:
                bar.close()
            if plan.error:
                raise plan.error

            gone = [d for d, (_, path) in previous.items()
                    if d not in plan.seen and path not in plan.skipped_paths and _in_scope(path, roots)]
            if gone:
                removed_chunks = store.delete_documents(gone)
                if vectors is not None:
                    vectors.remove(removed_chunks)
                report.removed = len(gone)
            store.commit()
            report.documents, report.chunks = store.counts()

            changed = report.added or report.updated or report.removed or not reuse
            if not changed:  # nothing to publish: the current version already says all this
                store.close()
                discard(settings, vectors)
                shutil.rmtree(build, ignore_errors=True)
                report.seconds = round(time.perf_counter() - started, 3)
                return report
            if vectors is None:
                vectors = new_store(settings, get_encoder().dim, version_id)
            ids, texts = zip(*store.iter_embed_texts()) if report.chunks else ((), ())
            stored = vectors.save(build)
            (build / "bm25").mkdir()
            LexicalIndex.build(list(ids), list(texts)).save(build / "bm25")
            store.close()
            write_manifest(build, {
                "version": version_id, "model": model_name, "dimension": vectors.dim,
                "documents": report.documents, "chunks": report.chunks,
                "chunk_max_words": max_words, "chunk_overlap": overlap,
                "built_at": now, **stored, **_encoder_record(lazy.get("e")),
            })
            publish(index_dir, version_id, build)
        except BaseException:
            discard(settings, vectors)
            shutil.rmtree(build, ignore_errors=True)
            raise
        sweep(settings, index_dir)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _encoder_record(encoder: Encoder | None) -> dict:
    """How this build's passages were embedded (backend, and the ONNX file: which int8 preset), for the manifest."""
    backend = getattr(encoder, "backend", None)
    if backend is None:
        return {}
    return {"embedding": {"backend": backend, **({"file": encoder.file_name} if hasattr(encoder, "file_name") else {})}}


def _progress(total: int, enabled: bool | None):
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="ingest", file=sys.stderr)
