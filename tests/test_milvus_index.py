"""INDEX_STORE=milvus: ingest publishes every version into Milvus; a reader with only MILVUS_URI answers from it.

The reader's settings point at an empty data folder: no index folder, no SQLite store, no BM25 files. The
writer keeps its folder (incremental ingest) and is also opened in folder mode, so both read paths are held
to the same answers on the same corpus (milvus-lite, the hashing encoder).
"""

from __future__ import annotations

import importlib.util
import shutil
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from index.store import milvus as milvus_index
from index.engine import Engine
from index.ingest.build import ingest
from newsdesk.settings import Settings
from index.store.vectorstore.milvus_store import client
from test_vector_backends import DOCS, write_doc

pytestmark = pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("pymilvus", "milvus_lite")),
                                reason="pymilvus and milvus-lite are not installed (pip install 'newsdesk[milvus]')")
DATA = Path(__file__).parent / "data"
QUESTIONS = ["Which frigate left the harbour of Tartus?", "How much did grain exports rise?",
             "When will rail workers strike?", "Why did dockworkers walk off the job at Port Halden?",
             "What did the council decide about the budget?", "Who won the chess olympiad?"]


@pytest.fixture(scope="module")
def milvus_uri(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("milvus") / "milvus.db")


@pytest.fixture
def writer(settings: Settings, milvus_uri: str) -> Settings:
    """The ingesting machine: its index folder, and INDEX_STORE=milvus to publish each version."""
    for name, (title, day, source, body) in DOCS.items():
        write_doc(settings.corpus_dir, name, title, day, source, body)
    for folder in ("botcorpus", "digestcorpus"):
        for f in (DATA / folder).iterdir():
            shutil.copy(f, settings.corpus_dir / f.name)
    return replace(settings, index_store="milvus", milvus_uri=milvus_uri, milvus_collection=f"t{uuid.uuid4().hex[:10]}")


def reader_of(writer: Settings, tmp_path: Path) -> Settings:
    """A replica: the same MILVUS_URI and model, and a data folder with nothing in it."""
    return Settings(data_dir=tmp_path / "replica", embedding_model=writer.embedding_model, index_store="milvus",
                    milvus_uri=writer.milvus_uri, milvus_collection=writer.milvus_collection)


def test_a_reader_with_only_milvus_uri_answers_as_the_folder_does(writer, tmp_path):
    ingest(writer, [writer.corpus_dir])
    reader = Engine.open(reader_of(writer, tmp_path))
    folder = Engine.open(replace(writer, index_store="folder"))

    assert not (tmp_path / "replica").exists(), "the reader reads nothing from disk"
    assert reader.version.manifest.version == folder.version.path.name
    for question in QUESTIONS:
        got, want = reader.ask(question, time_words=False), folder.ask(question, time_words=False)
        assert got.decision == want.decision, question
        assert [(q.doc_id, q.text, q.attribution) for q in got.quotes + got.nearest] == \
               [(q.doc_id, q.text, q.attribution) for q in want.quotes + want.nearest], question
        assert got.confidence == pytest.approx(want.confidence, abs=0.05), question
    assert reader.ask("Which frigate left the harbour of Tartus?", time_words=False).quotes[0].doc_id == "harbour.md"
    # the filters run inside Milvus, on both searches
    hits = reader.search("harbour", k=10, source="HARBOUR GAZETTE", since=date(2024, 12, 1))
    assert hits and {h.doc_id for h in hits} <= {"harbour.md", "grid.md"}
    assert not reader.search("harbour", k=10, until=date(2024, 11, 30), source="Harbour Gazette")
    summary, expected = reader.summary(), folder.summary()
    assert (summary.documents, summary.chunks, summary.sources) == (expected.documents, expected.chunks, expected.sources)
    assert sorted(summary.titles) == sorted(expected.titles)


def test_a_reader_opens_from_the_published_tables_and_reads_by_key(writer, tmp_path, monkeypatch):
    """Opening reads the chunk table and idf from the tables collection (no scan of the passages or terms), and an
    ask reads documents and a document's passages by primary key, never by a filter on `doc` (a scan)."""
    ingest(writer, [writer.corpus_dir])
    folder = Engine.open(replace(writer, index_store="folder")).version
    scans = []
    monkeypatch.setattr(milvus_index, "_iterate", lambda *a, **k: scans.append(a[1]) or iter(()))
    reader = Engine.open(reader_of(writer, tmp_path))
    got, want = reader.version.retriever, folder.retriever
    assert not scans, "nothing iterated at open"
    for name in ("days", "source", "doc"):
        assert getattr(got.table, name).tolist() == getattr(want.table, name).tolist()
    assert got.table.documents == want.table.documents and got.table.sources == want.table.sources
    assert got.lexical._idf == pytest.approx(want.lexical.idf_table())

    c = client(writer)
    filtered = []
    query = c.query
    monkeypatch.setattr(c, "query", lambda name, **k: filtered.append(k.get("filter")) or query(name, **k))
    docs = sorted(want.table.documents)
    assert got.store.chunk_ids_by_document(docs) == want.store.chunk_ids_by_document(docs)
    assert reader.version.document(docs[0]) == folder.document(docs[0])
    reader.ask("Which frigate left the harbour of Tartus?", time_words=False)
    assert not [f for f in filtered if f and "doc" in f], "documents and their passages read by key"


def test_the_digest_from_milvus(writer, tmp_path):
    ingest(writer, [writer.corpus_dir])
    reader = Engine.open(reader_of(writer, tmp_path))
    folder = Engine.open(replace(writer, index_store="folder"))
    got, want = reader.digest(since=date(2024, 1, 1), until=date(2025, 1, 1)), \
        folder.digest(since=date(2024, 1, 1), until=date(2025, 1, 1))
    assert got.entries and got.to_json() == want.to_json()
    assert [e.coverage for e in got.entries][0] >= 2  # syndicated copies grouped, as from the folder


def test_incremental_ingest_switches_readers_to_the_new_version(writer, tmp_path, monkeypatch):
    monkeypatch.setattr(milvus_index, "VERSION_GRACE_SECONDS", 0.0)  # replaced versions dropped at once
    first = ingest(writer, [writer.corpus_dir])
    reader = Engine.open(reader_of(writer, tmp_path))
    before = reader.version.manifest.version
    assert not reader.reload(), "nothing new published"

    write_doc(writer.corpus_dir, "ferry.md", "Ferry sinks off Kerch", "2024-12-10", "Coast Notes",
              "A ferry carrying thirty passengers sank off Kerch on Tuesday; all were rescued by fishermen.")
    second = ingest(writer, [writer.corpus_dir])

    assert first.chunks_embedded > 0 and second.added == 1
    assert second.chunks_embedded == 1, "only the new document is embedded"
    assert reader.reload() and reader.version.manifest.version != before
    assert reader.search("ferry sank off Kerch", k=1)[0].doc_id == "ferry.md"
    # an ingest that finds nothing new publishes nothing
    assert ingest(writer, [writer.corpus_dir]).chunks_embedded == 0 and not reader.reload()

    (writer.corpus_dir / "ferry.md").unlink()
    ingest(writer, [writer.corpus_dir])
    assert reader.reload() and all(h.doc_id != "ferry.md" for h in reader.search("ferry sank off Kerch", k=10))
    kept = [n for n in client(writer).list_collections() if n.startswith(f"{writer.milvus_collection}_passages_")]
    assert len(kept) == milvus_index.KEEP_VERSIONS, "older versions are dropped"


def test_a_reader_two_publishes_behind_answers_within_the_grace(writer, tmp_path, monkeypatch):
    """Two publishes within one refresh tick of a replica: the version it still answers from was replaced less than
    VERSION_GRACE_SECONDS ago, so it is kept past KEEP_VERSIONS; once the grace is over the next publish drops it."""
    ingest(writer, [writer.corpus_dir])
    reader = Engine.open(reader_of(writer, tmp_path))
    on = reader.version.manifest.version
    for n in (1, 2):
        write_doc(writer.corpus_dir, f"late{n}.md", f"Late story {n}", "2024-12-11", "Coast Notes",
                  f"Late story number {n} about the harbour of Tartus and its cranes.")
        ingest(writer, [writer.corpus_dir])
    published = [n for n in client(writer).list_collections() if n.startswith(f"{writer.milvus_collection}_passages_")]
    assert len(published) == 3 and milvus_index.names(writer, on)["passages"] in published
    assert reader.ask("Which frigate left the harbour of Tartus?", time_words=False).quotes, "the old version answers"

    monkeypatch.setattr(milvus_index, "VERSION_GRACE_SECONDS", 0.0)
    write_doc(writer.corpus_dir, "late3.md", "Late story 3", "2024-12-12", "Coast Notes", "Cranes idle in Tartus.")
    ingest(writer, [writer.corpus_dir])
    published = [n for n in client(writer).list_collections() if n.startswith(f"{writer.milvus_collection}_passages_")]
    assert len(published) == milvus_index.KEEP_VERSIONS and milvus_index.names(writer, on)["passages"] not in published
    assert reader.reload() and reader.version.manifest.version != on


def test_no_version_published_is_index_missing(writer, tmp_path):
    from index.errors import IndexMissing

    with pytest.raises(IndexMissing):
        Engine.open(reader_of(writer, tmp_path))


def test_the_lexical_candidates_from_milvus_are_the_local_index_s(writer, tmp_path):
    """Milvus' BM25 runs over the local index's terms (bm25s tokens, stop words, Snowball stems), with its k1 and b,
    and its candidates are rescored as the local index scores them."""
    ingest(writer, [writer.corpus_dir])
    reader = Engine.open(reader_of(writer, tmp_path)).version.retriever.lexical
    local = Engine.open(replace(writer, index_store="folder")).version.retriever.lexical
    for question in QUESTIONS + ["harbours closed by the strikes", "Grain EXPORTS, rising?"]:
        got, want = reader.search(question, 10), local.search(question, 10)
        assert got[0].tolist() == want[0].tolist(), question
        # Milvus' candidates rescored with the corpus-wide statistics: the local index's very scores
        assert got[1] == pytest.approx(want[1], rel=1e-4), question


def test_milvus_uri_may_be_a_local_file_in_the_environment(tmp_path):
    """pymilvus reads MILVUS_URI itself when imported and refuses a path; milvus-lite takes one."""
    import os
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_doc(corpus, "harbour.md", *DOCS["harbour.md"])
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "EMBEDDING_MODEL": "hash", "INDEX_STORE": "milvus",
           "MILVUS_URI": str(tmp_path / "lite.db")}
    run = subprocess.run([sys.executable, "-m", "newsdesk", "ingest", str(corpus)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    write_doc(corpus, "grid.md", *DOCS["grid.md"])  # a second version, published by a new process
    run = subprocess.run([sys.executable, "-m", "newsdesk", "ingest", str(corpus)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    ask = subprocess.run([sys.executable, "-m", "newsdesk", "ask", "Which frigate left the harbour of Tartus?"],
                         env={**env, "DATA_DIR": str(tmp_path / "replica")}, capture_output=True, text=True,
                         timeout=120)
    assert ask.returncode == 0 and "Tartus" in ask.stdout, ask.stderr[-2000:]


def test_a_reader_encodes_questions_as_the_published_passages_were(writer, tmp_path, monkeypatch):
    """The int8 preset comes from the manifest: a reader with no folder takes the published one."""
    import index.engine as engine_module
    from index.store.versions import current_version, read_manifest

    ingest(writer, [writer.corpus_dir])
    seen = []
    real = engine_module.encoder_for
    monkeypatch.setattr(engine_module, "encoder_for", lambda settings, manifest=None: seen.append(manifest) or
                        real(settings, manifest))
    Engine.open(reader_of(writer, tmp_path))
    local = read_manifest(current_version(writer.index_dir))
    assert seen and seen[0] is not None and seen[0].version == local.version
    assert seen[0].embedding == local.embedding


def test_milvus_vectors_and_milvus_index_store_together_keep_each_other_s_collections(writer, tmp_path):
    both = replace(writer, vector_backend="milvus")  # the writer's vectors in Milvus too, same URI and prefix
    ingest(both, [both.corpus_dir])
    before = Engine.open(reader_of(writer, tmp_path))  # a replica serving the first version
    write_doc(both.corpus_dir, "late.md", "Ferry resumes", "2024-12-12", "Harbour Gazette",
              "The ferry to Tartus resumed service on Thursday, the port said.")
    ingest(both, [both.corpus_dir])  # publishes a second version, then sweeps old collections
    # the replica that has not switched yet still answers from the version it serves
    assert before.ask("Which frigate left the harbour of Tartus?", time_words=False).quotes[0].doc_id == "harbour.md"
    after = Engine.open(reader_of(writer, tmp_path / "later"))
    assert after.version.manifest.version == Engine.open(both).version.path.name != before.version.manifest.version
    assert after.ask("When did the ferry to Tartus resume?", time_words=False).quotes[0].doc_id == "late.md"


class _Refusing:
    """The real milvus-lite client, except that reading the alias is refused as a server with auth refuses it."""

    def __init__(self, real, code: int, message: str) -> None:
        self._real, self._code, self._message = real, code, message

    def __getattr__(self, name):
        return getattr(self._real, name)

    def describe_alias(self, alias: str):
        from pymilvus.exceptions import MilvusException

        raise MilvusException(code=self._code, message=self._message)


def test_nothing_published_is_none_but_an_auth_failure_is_said(writer, tmp_path):
    from index.errors import NewsdeskError

    reader = reader_of(writer, tmp_path)
    assert milvus_index.current(reader) is None  # no versions collection yet
    ingest(writer, [writer.corpus_dir])
    c = client(reader)
    c.drop_alias(milvus_index.alias(reader))  # published once, then the alias gone: milvus-lite's own "does not exist"
    assert milvus_index._current_collection(c, reader) is None
    refused = _Refusing(c, 1400, "not authenticated: invalid credentials")
    with pytest.raises(NewsdeskError, match="cannot read the alias .*code 1400: not authenticated"):
        milvus_index._current_collection(refused, reader)
