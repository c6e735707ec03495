"""The per-chunk table ingest saves filters exactly as the one built from the store's rows; older versions open."""

import json
import shutil
from datetime import date

import numpy as np
import pytest

from index.store.check import check_version
from index.store.chunktable import FOLDER, ChunkTable
from index.engine import Engine
from index.ingest.build import ingest
from index.search.retrieve import Retriever
from index.types import Filters
from index.store.versions import current_version

DOCS = [("a", "2024-01-02", "Reuters", "The dam held after the storm, engineers said on Tuesday."),
        ("b", "2024-01-05", "reuters", "Schools reopened across the district after the storm."),
        ("c", "2024-02-10", "BBC News", "The storm damaged the port; ships waited offshore for days."),
        ("d", None, "", "Engineers inspected the dam and the port after the storm passed."),
        ("e", "2023-12-30", "AP", "Grain exports through the port rose before the storm.\n\n" * 30)]


def _corpus(folder, docs=DOCS):
    with open(folder / "news.jsonl", "w") as fh:
        for doc_id, day, source, body in docs:
            rec = {"id": doc_id, "title": f"Report {doc_id}", "source": source, "body": body}
            if day:
                rec["date"] = day
            fh.write(json.dumps(rec) + "\n")
    return folder


def _same(saved: ChunkTable, built: ChunkTable) -> None:
    for name in ("days", "source", "doc", "exists"):
        assert np.array_equal(getattr(saved, name), getattr(built, name)), name
    assert saved.source_codes == built.source_codes and saved.sources == built.sources
    assert saved.doc_codes == built.doc_codes and saved.newest == built.newest


FILTERS = [Filters(), Filters(since=date(2024, 1, 3)), Filters(until=date(2024, 1, 4)),
           Filters(date(2024, 1, 1), date(2024, 1, 31)), Filters(source="REUTERS"), Filters(source="nobody"),
           Filters(exclude_docs=frozenset({"a", "zz"})), Filters(date(2023, 1, 1), None, "ap", frozenset({"c"}))]


def test_the_saved_table_filters_like_the_store_rows(settings):
    ingest(settings, [_corpus(settings.corpus_dir)])
    engine = Engine.open(settings)
    v = engine.version
    assert (v.path / FOLDER).is_dir()
    saved = v.retriever.table
    built = Retriever(v.store, v.retriever.vectors, v.retriever.lexical)  # the old path: from the store's rows
    _same(saved, built.table)
    assert saved.newest == date(2024, 2, 10) and built.sources == {"reuters": "Reuters", "bbc news": "BBC News",
                                                                   "ap": "AP"}
    for f in FILTERS:
        a, b = v.retriever.mask(f), built.mask(f)
        assert (a is None and b is None) or np.array_equal(a, b), f
    vec = engine.encoder.encode(["storm port"])[0]
    for f in FILTERS:
        kw = dict(k=5, filters=f, prefer=(date(2024, 1, 1), date(2024, 1, 10)))
        assert v.retriever.retrieve("storm port", vec, **kw) == built.retrieve("storm port", vec, **kw)


def test_the_table_follows_an_incremental_ingest(settings):
    corpus = _corpus(settings.corpus_dir)
    ingest(settings, [corpus])
    _corpus(corpus, DOCS[1:3] + [("f", "2024-03-01", "DW", "A new report on the storm.")])
    ingest(settings, [corpus])
    v = Engine.open(settings).version
    _same(v.retriever.table, ChunkTable.from_rows(v.store.chunk_filters()))
    assert set(v.retriever.table.doc_codes) == {"b", "c", "f"}


def test_a_version_without_the_table_still_opens_and_answers_the_same(settings):
    ingest(settings, [_corpus(settings.corpus_dir)])
    with_table = Engine.open(settings)
    expected = [with_table.search("storm port", source=s) for s in (None, "reuters")]
    shutil.rmtree(current_version(settings.index_dir) / FOLDER)  # as a version built before the table was saved

    assert check_version(settings, current_version(settings.index_dir)).ok
    engine = Engine.open(settings)
    assert [engine.search("storm port", source=s) for s in (None, "reuters")] == expected
    assert engine.ask("What did the engineers say about the dam?").question


def test_a_damaged_table_is_reported(settings):
    ingest(settings, [_corpus(settings.corpus_dir)])
    version = current_version(settings.index_dir)
    (version / FOLDER / "days.npy").write_bytes(b"not numpy")
    assert any(p.startswith("chunks:") for p in check_version(settings, version, thorough=False).problems)


@pytest.mark.parametrize("rows", [[], [(3, None, "", "x")]])
def test_an_empty_or_sparse_table(tmp_path, rows):
    table = ChunkTable.from_rows(rows)
    table.save(tmp_path)
    _same(ChunkTable.load(tmp_path), table)
    assert ChunkTable.load(tmp_path / "nothing") is None


def test_a_window_holding_every_chunk_builds_no_mask_and_finds_the_same(settings):
    docs = [d for d in DOCS if d[1]]  # every chunk dated
    ingest(settings, [_corpus(settings.corpus_dir, docs)])
    engine = Engine.open(settings)
    r = engine.version.retriever
    vec = engine.encoder.encode(["storm port"])[0]
    for f in (Filters(until=date(2024, 2, 10)), Filters(since=date(2023, 12, 30)), Filters(date(2020, 1, 1), date.today())):
        assert r.mask(f) is None
        forced = r._build_mask(f)
        assert forced[r.table.exists].all()
        assert np.array_equal(r.vectors.search(vec, 10, forced)[0], r.vectors.search(vec, 10, None)[0])
        assert np.array_equal(r.lexical.search("storm port", 10, forced)[0], r.lexical.search("storm port", 10)[0])
    assert r.mask(Filters(until=date(2024, 2, 9))) is not None  # the newest passage is outside
    a, b = (engine.ask("What happened to the port?", as_of=d) for d in (date.today(), date(2030, 1, 1)))
    assert (a.decision, a.quotes, a.nearest) == (b.decision, b.quotes, b.nearest) and (a.quotes or a.nearest)


def test_masks_are_kept_read_only_and_an_undated_chunk_keeps_the_until_mask(settings):
    ingest(settings, [_corpus(settings.corpus_dir)])
    r = Engine.open(settings).version.retriever
    f = Filters(until=date.today())
    m = r.mask(f)
    assert m is not None and not m[r.table.doc == r.table.doc_codes["d"]].any()  # "d" has no date
    assert r.mask(Filters(until=date.today())) is m and not m.flags.writeable
    with pytest.raises(ValueError):
        m[0] = True
