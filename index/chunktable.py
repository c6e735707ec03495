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

FOLDER = "chunks"
_ARRAYS = ("days", "source", "doc")


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
        arrays = [np.load(folder / f"{name}.npy") for name in _ARRAYS]
        codes = {name: code for code, name in enumerate(names["codes"])}
        return cls(*arrays, codes, dict(names["names"]), folder / "documents.json")

    def save(self, version: Path) -> None:
        folder = Path(version) / FOLDER
        folder.mkdir()
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", getattr(self, name))
        (folder / "documents.json").write_text(json.dumps(self.documents))
        (folder / "sources.json").write_text(json.dumps({  # written last: its presence says the table is whole
            "codes": sorted(self.source_codes, key=self.source_codes.get), "names": sorted(self.sources.items())}))

    @property
    def documents(self) -> list[str]:
        """Document ids by code."""
        if isinstance(self._documents, Path):
            self._documents = json.loads(self._documents.read_text())
        return self._documents

    @property
    def doc_codes(self) -> dict[str, int]:
        """Document id → its code."""
        if self._doc_codes is None:
            self._doc_codes = {d: i for i, d in enumerate(self.documents)}
        return self._doc_codes

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
