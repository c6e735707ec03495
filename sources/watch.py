"""A folder watch by polling: notices files added, changed or removed under the corpus folder."""

from __future__ import annotations

from pathlib import Path

from index.ingest.parse import SUPPORTED, file_kind

Snapshot = dict[str, tuple[int, int]]  # path → (mtime in ns, size)


def snapshot(folder: Path) -> Snapshot:
    """The documents under `folder` (hidden files and folders skipped, as ingest skips them)."""
    out: Snapshot = {}
    folder = Path(folder)
    if not folder.is_dir():
        return out
    for p in folder.rglob("*"):
        rel = p.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or file_kind(p) not in SUPPORTED:
            continue
        try:
            st = p.stat()
        except OSError:  # removed while walking
            continue
        if p.is_file():
            out[rel.as_posix()] = (st.st_mtime_ns, st.st_size)
    return out


class CorpusWatch:
    """`changed()` is True once the folder differs from what was last ingested and has stayed the same for
    one more poll, so a file still being copied is not ingested half-written.

    `since` (epoch seconds, e.g. when the index was built) makes files changed while nobody watched count
    as changes on the first poll.
    """

    def __init__(self, folder: Path, *, since: float | None = None) -> None:
        self.folder = Path(folder)
        self.since_ns = int(since * 1e9) if since is not None else None
        self._ingested: Snapshot | None = None
        self._candidate: Snapshot | None = None

    def changed(self) -> bool:
        now = snapshot(self.folder)
        if self._ingested is None:  # first poll: what the index holds is taken to be what is there...
            self._ingested = now
            if self.since_ns is None or not any(m > self.since_ns for m, _ in now.values()):
                return False
            self._ingested = {}  # ...unless files changed after the index was built
        if now == self._ingested:
            self._candidate = None
            return False
        if now != self._candidate:  # still changing: look again next poll
            self._candidate = now
            return False
        return True

    def ingested(self) -> None:
        """Call after ingesting: the current contents become the baseline."""
        self._ingested = self._candidate if self._candidate is not None else snapshot(self.folder)
        self._candidate = None
