"""The index directory: immutable versions, a `current` symlink swapped atomically, and a build lock.

INDEX_DIR/
  current -> versions/<id>      the version readers open
  versions/<id>/manifest.json   model, dimension, format version, counts
  versions/<id>/store.sqlite    documents and chunks
  versions/<id>/vectors.faiss   embeddings keyed by chunk id
  versions/<id>/bm25/           lexical index
  versions/<id>/chunks/         each chunk's date, source and document as arrays (index/store/chunktable.py)
  versions/.build-<id>/         a version being built (removed if a build died)
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from index.types import Manifest

FORMAT_VERSION = 2  # 2: a document's pages (where each page of a PDF begins in its text, store.sqlite `pages`)
STARTS_FROM = (1, 2)  # formats a new version may be built on; a format 1 store gains the `pages` column
KEEP_VERSIONS = 2  # current and the one before it (readers may still hold it)


def current_version(index_dir: Path) -> Path | None:
    """The folder of the current version, or None if no index was ever built."""
    link = Path(index_dir) / "current"
    if not link.is_symlink() and not link.is_dir():
        return None
    target = link.resolve()
    return target if (target / "manifest.json").is_file() else None


def read_manifest(version: Path) -> Manifest:
    """The version's manifest: OSError when it cannot be read, ValueError when it is not JSON or not a manifest."""
    return Manifest.of(json.loads((version / "manifest.json").read_text()))


def write_manifest(version: Path, manifest: dict) -> None:
    (version / "manifest.json").write_text(json.dumps({"format_version": FORMAT_VERSION, **manifest}, indent=2))


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Only one ingest builds at a time; a second one waits."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def new_build_dir(index_dir: Path) -> tuple[str, Path]:
    """A fresh folder to build the next version in; leftovers of dead builds are removed first."""
    versions = index_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    for stale in versions.glob(".build-*"):
        shutil.rmtree(stale, ignore_errors=True)
    version_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = versions / f".build-{version_id}"
    path.mkdir()
    return version_id, path


def _fsync_tree(folder: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            with open(p, "rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(index_dir: Path, version_id: str, build_dir: Path) -> Path:
    """Make a finished build the current version: fsync, rename, swap the symlink, prune old versions."""
    _fsync_tree(build_dir)
    final = index_dir / "versions" / version_id
    os.rename(build_dir, final)
    tmp_link = index_dir / f".current-{version_id}"
    os.symlink(Path("versions") / version_id, tmp_link)
    os.replace(tmp_link, index_dir / "current")  # atomic: readers see the old or the new, never neither
    dir_fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    _prune(index_dir, keep=final)
    return final


def _prune(index_dir: Path, keep: Path) -> None:
    versions = sorted((p for p in (index_dir / "versions").iterdir() if not p.name.startswith(".")), reverse=True)
    for old in versions[KEEP_VERSIONS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
