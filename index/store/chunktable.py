"""What filters need of every chunk (date, source, document) as numpy arrays indexed by chunk id.

Built from the store's rows (a Python loop: seconds at 1M passages), so ingest builds it once and saves it in
the version folder (`chunks/`); opening a version then loads it in milliseconds. A version without it (built
before it existed, or a Milvus one) is built from the store's rows at open, as before.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Iterable

import numpy as np

from index.errors import IndexDamaged

FOLDER = "chunks"
_ARRAYS = ("days", "source", "doc")


def read_documents(path: Path) -> list[str]:
    """The document ids saved in `path` (`chunks/documents.json`); ValueError when it is not a list of ids."""
    ids = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ValueError("not a list of document ids")
    return ids


def _ends_whole(path: Path, first: bytes, last: bytes) -> bool:
    """Whether the file starts with `first` and ends with `last`, which a write cut short loses: two bytes read."""
    with open(path, "rb") as fh:
        if fh.read(1) != first or fh.seek(0, 2) < 2:
            return False
        fh.seek(-1, 2)
        return fh.read(1) == last


class ChunkTable:
    """Per chunk id: `days` (date ordinal, -1 when unknown), `source` and `doc` codes (-1: no such chunk).

    `source_codes` maps a casefolded source name to its code, `sources` the casefolded name to the name as
    first written (sources with a name only), `doc_codes` a document id to its code. Document ids are read
    from a saved table on first use (only some filters need them).
    """

    def __init__(self, days: np.ndarray, source: np.ndarray, doc: np.ndarray, source_codes: dict[str, int],
                 sources: dict[str, str], documents: list[str] | Path) -> None:
        self.days, self.source, self.doc = days, source, doc
        self.exists = doc >= 0
        self.source_codes, self.sources = source_codes, sources
        self._documents = documents  # by code, or the file they are saved in
        self._doc_codes: dict[str, int] | None = None

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str | None, str, str]]) -> "ChunkTable":
        """From (chunk id, document date, source, document id) rows in chunk id order (`Store.chunk_filters`)."""
        rows = list(rows)
        size = (max((r[0] for r in rows), default=0)) + 1
        days = np.full(size, -1, dtype=np.int32)
        source = np.full(size, -1, dtype=np.int32)
        doc = np.full(size, -1, dtype=np.int32)
        names: dict[str, int] = {}
        sources: dict[str, str] = {}
        doc_codes: dict[str, int] = {}
        ordinals: dict[str, int] = {}
        for cid, day, src, doc_id in rows:
            doc[cid] = doc_codes.setdefault(doc_id, len(doc_codes))
            if day:
                days[cid] = ordinals.get(day) or ordinals.setdefault(day, date.fromisoformat(day).toordinal())
            source[cid] = names.setdefault((src or "").casefold(), len(names))
            if src:
                sources.setdefault(src.casefold(), src)
        table = cls(days, source, doc, names, sources, list(doc_codes))
        table._doc_codes = doc_codes
        return table

    @classmethod
    def load(cls, version: Path) -> "ChunkTable | None":
        """The table saved in a version folder, or None when the version has none."""
        folder = Path(version) / FOLDER
        if not (folder / "sources.json").is_file():
            return None
        names = json.loads((folder / "sources.json").read_text())
        days, source, doc = (np.load(folder / f"{name}.npy") for name in _ARRAYS)
        codes = {name: code for code, name in enumerate(names["codes"])}
        return cls(days, source, doc, codes, dict(names["names"]), folder / "documents.json")

    def save(self, version: Path) -> None:
        folder = Path(version) / FOLDER
        folder.mkdir()
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", getattr(self, name))
        (folder / "documents.json").write_text(json.dumps(self.documents))
        (folder / "sources.json").write_text(json.dumps({  # written last: its presence says the table is whole
            "codes": sorted(self.source_codes, key=self.source_codes.__getitem__),
            "names": sorted(self.sources.items())}))

    @property
    def documents(self) -> list[str]:
        """Document ids by code, read from the version folder on first use: IndexDamaged (one line saying how to
        repair it) when the file is gone, cut short or not a list of ids, as opening a damaged version says."""
        if isinstance(self._documents, Path):
            path = self._documents
            try:
                self._documents = read_documents(path)
            except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
                why = (str(exc).splitlines() or [""])[0][:200]
                raise IndexDamaged(f"The index version {path.parent.parent.name} is damaged ({FOLDER}/{path.name}: "
                                   f"{type(exc).__name__}: {why}): run `newsdesk ingest` to rebuild it "
                                   "(`newsdesk check` lists what is wrong).") from None
        return self._documents

    @property
    def doc_codes(self) -> dict[str, int]:
        """Document id → its code."""
        if self._doc_codes is None:
            self._doc_codes = {d: i for i, d in enumerate(self.documents)}
        return self._doc_codes

    def problem(self, *, read_ids: bool = False) -> str | None:
        """What is wrong inside the table, or None: the arrays agree in length, their codes and dates are in
        range, the saved document ids end whole (two bytes read); with `read_ids`, the ids read in full, one per
        document code the table uses."""
        if self.doc.ndim != 1 or len({a.shape for a in (self.days, self.source, self.doc)}) != 1:
            return "its arrays (days, source, doc) differ in length"
        held = self.doc[self.exists]
        if held.size and int(self.source[self.exists].max()) >= len(self.source_codes):
            return "a passage's source is not in sources.json"
        if self.days.size and not (int(self.days.min()) >= -1 and int(self.days.max()) <= date.max.toordinal()):
            return "a passage's date is not a date"
        saved = self._documents if isinstance(self._documents, Path) else None
        if saved is not None and not _ends_whole(saved, b"[", b"]"):
            return f"{saved.name} is cut short"
        if read_ids and saved is not None:
            try:
                self._documents = read_documents(saved)
            except (OSError, ValueError) as exc:
                return f"{saved.name}: {type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}"
        used = int(held.max()) + 1 if held.size else 0
        if read_ids and len(self.documents) != used:
            return f"{len(self.documents)} document ids for {used} documents"
        return None

    @property
    def newest(self) -> date | None:
        """The latest document date held."""
        newest = int(self.days.max(initial=-1))
        return date.fromordinal(newest) if newest > 0 else None

    @cached_property
    def all_dated(self) -> tuple[int, int] | None:
        """(oldest, newest) date ordinals when there are chunks and every one has a date, else None."""
        held = self.days[self.exists]
        return (int(held.min()), int(held.max())) if held.size and held.min() >= 0 else None
