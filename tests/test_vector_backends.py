"""One retrieval suite, run on every vector backend: FAISS (embedded) and Milvus (through milvus-lite).

Each test writes a small corpus of its own, ingests it with the model-free hashing encoder and asks through
the real Engine, so the backends are held to the same results, filters and incremental ingest.
"""

from __future__ import annotations

import importlib.util
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from index.engine import Engine
from index.ingest.build import ingest
from index.search.retrieve import Retriever
from index.types import Filters
from newsdesk.settings import Settings
from index.store.versions import current_version, read_manifest

MILVUS_MISSING = next((m for m in ("pymilvus", "milvus_lite") if importlib.util.find_spec(m) is None), None)

DOCS = {
    "harbour.md": ("Frigates leave the harbour", "2024-12-09", "Harbour Gazette",
                   "The frigate Admiral Kasatonov and two cargo ships left the harbour of Tartus on Monday. "
                   "Port officials said the warships sailed north with their crews."),
    "grain.md": ("Grain exports rise", "2024-11-02", "Farm Wire",
                 "Grain exports through Odesa rose by twelve percent in October. "
                 "Traders said wheat and barley shipments reached Egypt and Turkey."),
    "election.md": ("Voters head to the polls", "2024-10-20", "Capital Times",
                    "Voters in Chisinau queued for hours to cast ballots in the presidential election. "
                    "The election commission expects turnout above sixty percent."),
    "grid.md": ("Power restored after storm", "2024-12-01", "harbour gazette",
                "Electricity was restored to forty thousand households after the storm damaged the power grid. "
                "Engineers repaired three substations overnight."),
    "undated.md": ("Fishermen return to the harbour", None, "Coast Notes",
                   "Fishermen returned to the old harbour with a record catch of anchovies. "
                   "The harbour master praised the crews for their patience."),
}


def write_doc(folder: Path, name: str, title: str, day: str | None, source: str, body: str) -> None:
    front = [f"title: {title}", f"source: {source}"] + ([f"date: {day}"] if day else [])
    (folder / name).write_text("---\n" + "\n".join(front) + "\n---\n\n" + body + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def milvus_uri(tmp_path_factory) -> str:
    """One milvus-lite database for the session (starting it takes seconds); each test has its own prefix."""
    return str(tmp_path_factory.mktemp("milvus") / "milvus.db")


@pytest.fixture(params=["faiss", "milvus"])
def backend(request, settings: Settings) -> Settings:
    """The `settings` fixture (hashing encoder, temp folders) with the vector backend under test."""
    if request.param == "milvus":
        if MILVUS_MISSING:
            pytest.skip(f"{MILVUS_MISSING} is not installed (pip install 'newsdesk[milvus]')")
        uri = request.getfixturevalue("milvus_uri")
        return replace(settings, vector_backend="milvus", milvus_uri=uri,
                       milvus_collection=f"t{uuid.uuid4().hex[:12]}")
    return replace(settings, vector_backend="faiss")


@pytest.fixture
def corpus(backend: Settings) -> Path:
    for name, (title, day, source, body) in DOCS.items():
        write_doc(backend.corpus_dir, name, title, day, source, body)
    return backend.corpus_dir


def open_engine(s: Settings, corpus: Path) -> Engine:
    report = ingest(s, [corpus])
    assert report.added == len(list(corpus.iterdir()))
    return Engine.open(s)


def top_doc(engine: Engine, question: str, **filters) -> str | None:
    hits = engine.search(question, k=5, **filters)
    return hits[0].doc_id if hits else None


def dense_docs(engine: Engine, question: str, filters: Filters = Filters()) -> list[str]:
    hits = engine.version.retriever.retrieve(question, engine.encoder.encode([question])[0], k=10,
                                             filters=filters, mode="dense")
    return [h.doc_id for h in hits]


# --- the same retrieval on every backend -----------------------------------------------------------

def test_manifest_names_the_backend(backend: Settings, corpus: Path) -> None:
    open_engine(backend, corpus)
    manifest = read_manifest(current_version(backend.index_dir))
    assert manifest.vector_backend == backend.vector_backend
    if backend.vector_backend == "faiss":
        assert manifest.fields["faiss_index"] == "flat"
        assert (current_version(backend.index_dir) / "vectors.faiss").is_file()
    else:
        assert manifest.milvus_collection.startswith(backend.milvus_collection + "_")


def test_dense_search_finds_the_passage(backend: Settings, corpus: Path) -> None:
    engine = open_engine(backend, corpus)
    assert dense_docs(engine, "which frigate left Tartus harbour?")[0] == "harbour.md"
    assert dense_docs(engine, "grain exports through Odesa")[0] == "grain.md"
    answer = engine.ask("Which frigate left the harbour of Tartus?", time_words=False)
    assert answer.answered and answer.quotes[0].doc_id == "harbour.md"
    assert "Admiral Kasatonov" in answer.quotes[0].text


def test_date_filters(backend: Settings, corpus: Path) -> None:
    engine = open_engine(backend, corpus)
    q = "harbour crews"
    assert set(dense_docs(engine, q, Filters(since=date(2024, 12, 1)))) <= {"harbour.md", "grid.md"}
    until = dense_docs(engine, q, Filters(until=date(2024, 11, 30)))
    assert until and set(until) <= {"grain.md", "election.md"}  # the undated document passes no date bound
    assert dense_docs(engine, q, Filters(since=date(2024, 12, 5), until=date(2024, 12, 31))) == ["harbour.md"]
    assert dense_docs(engine, q, Filters(since=date(2030, 1, 1))) == []


def test_source_filter_is_case_insensitive(backend: Settings, corpus: Path) -> None:
    engine = open_engine(backend, corpus)
    docs = dense_docs(engine, "harbour storm crews", Filters(source="HARBOUR gazette"))
    assert sorted(set(docs)) == ["grid.md", "harbour.md"]
    assert dense_docs(engine, "harbour", Filters(source="No Such Paper")) == []
    assert top_doc(engine, "fishermen anchovies", source="Coast Notes") == "undated.md"


def test_excluded_documents_are_absent(backend: Settings, corpus: Path) -> None:
    engine = open_engine(backend, corpus)
    docs = dense_docs(engine, "harbour crews", Filters(exclude_docs=frozenset({"harbour.md", "undated.md"})))
    assert docs and not {"harbour.md", "undated.md"} & set(docs)
    answer = engine.ask("Which frigate left the harbour of Tartus?", time_words=False,
                        exclude_docs=frozenset({"harbour.md"}))
    assert "harbour.md" not in [q.doc_id for q in answer.quotes + answer.nearest]


def test_incremental_ingest(backend: Settings, corpus: Path) -> None:
    engine = open_engine(backend, corpus)
    first = current_version(backend.index_dir)

    again = ingest(backend, [corpus])  # nothing changed: nothing embedded or published
    assert (again.added, again.updated, again.removed, again.chunks_embedded) == (0, 0, 0, 0)
    assert current_version(backend.index_dir) == first

    write_doc(corpus, "ferry.md", "Ferry service resumes", "2024-12-10", "Harbour Gazette",
              "The ferry between Varna and Batumi resumed service after a two year pause.")
    write_doc(corpus, "grain.md", "Grain exports fall", "2024-11-02", "Farm Wire",
              "Barley shipments from Mykolaiv collapsed after the port was shelled.")
    (corpus / "election.md").unlink()
    report = ingest(backend, [corpus])
    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    assert report.chunks_embedded == 2  # the new and the changed document only
    assert engine.reload()
    assert dense_docs(engine, "ferry between Varna and Batumi")[0] == "ferry.md"
    assert dense_docs(engine, "barley shipments Mykolaiv shelled")[0] == "grain.md"
    assert "election.md" not in dense_docs(engine, "voters election commission turnout ballots")
    hits = engine.search("wheat and barley shipments reached Egypt", k=5)
    assert all("Egypt" not in h.text for h in hits)  # the old text of grain.md is gone
    assert engine.version.retriever.vectors.size == engine.version.store.counts()[1]


def test_reconstruct_returns_the_stored_vector(backend: Settings, corpus: Path) -> None:
    engine = open_engine(backend, corpus)
    retriever: Retriever = engine.version.retriever
    vec = engine.encoder.encode(["grain exports through Odesa"])[0]
    ids, scores = retriever.vectors.search(vec, 3)
    assert len(ids) == 3 and list(scores) == sorted(scores, reverse=True)
    assert float(retriever.vectors.reconstruct(int(ids[0])) @ vec) == pytest.approx(float(scores[0]), abs=1e-4)
    rows = retriever.vectors.reconstruct_many([int(i) for i in ids[::-1]])
    assert rows.shape == (3, retriever.vectors.dim)
    assert (rows @ vec).tolist() == pytest.approx(scores[::-1].tolist(), abs=1e-4)


# --- both backends give the same results ----------------------------------------------------------------

def test_backends_agree(settings: Settings, milvus_uri: str) -> None:
    if MILVUS_MISSING:
        pytest.skip(f"{MILVUS_MISSING} is not installed (pip install 'newsdesk[milvus]')")
    rng = np.random.default_rng(7)
    words = ("harbour frigate grain barley election voters storm grid ferry crews port wheat ballots power "
             "minister talks ceasefire convoy aid border refugees prices inflation bank rate").split()
    for i in range(40):
        body = " ".join(rng.choice(words, size=30)) + "."
        write_doc(settings.corpus_dir, f"d{i:02d}.md", f"Report {i}", f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}",
                  ["Alpha", "Beta", "Gamma"][i % 3], body.capitalize())
    engines = {}
    for name in ("faiss", "milvus"):
        s = replace(settings, index_dir=settings.index_dir.with_name(f"index-{name}"), vector_backend=name,
                    milvus_uri=milvus_uri, milvus_collection=f"t{uuid.uuid4().hex[:12]}")
        ingest(s, [settings.corpus_dir])
        engines[name] = Engine.open(s)
    filters = [Filters(), Filters(since=date(2024, 6, 1)), Filters(until=date(2024, 3, 31), source="beta"),
               Filters(exclude_docs=frozenset({"d01.md", "d02.md", "d03.md"}))]
    for q in ("harbour frigate crews", "grain barley wheat prices", "ceasefire talks minister", "bank rate"):
        vec = engines["faiss"].encoder.encode([q])[0]
        for f in filters:
            results = {}
            for name, engine in engines.items():
                r = engine.version.retriever
                ids, scores = r.vectors.search(vec, 10, r.mask(f), f)
                results[name] = dict(zip(ids.tolist(), np.round(scores, 4).tolist()))
            # identical scores for the ids both return; ids may differ only among ties at the cut-off
            common = results["faiss"].keys() & results["milvus"].keys()
            assert len(common) >= len(results["faiss"]) - 2, (q, f)
            assert all(abs(results["faiss"][c] - results["milvus"][c]) < 1e-3 for c in common)
            assert sorted(results["faiss"].values()) == pytest.approx(sorted(results["milvus"].values()), abs=1e-3)


def test_milvus_keeps_only_live_versions(settings: Settings, milvus_uri: str) -> None:
    if MILVUS_MISSING:
        pytest.skip(f"{MILVUS_MISSING} is not installed (pip install 'newsdesk[milvus]')")
    from index.store.vectorstore.milvus_store import client

    s = replace(settings, vector_backend="milvus", milvus_uri=milvus_uri, milvus_collection=f"t{uuid.uuid4().hex[:12]}")
    for i in range(4):
        write_doc(s.corpus_dir, f"n{i}.md", f"Note {i}", "2024-05-01", "Desk", f"Note number {i} about ferries.")
        ingest(s, [s.corpus_dir])
    live = sorted(p.name for p in (s.index_dir / "versions").iterdir() if not p.name.startswith("."))
    ours = sorted(c for c in client(s).list_collections() if c.startswith(s.milvus_collection + "_"))
    assert len(live) == 2 and ours == [f"{s.milvus_collection}_{v}" for v in live]


# --- FAISS: the index type follows the corpus size ------------------------------------------------------

def test_faiss_switches_to_ivf_above_the_threshold(settings: Settings) -> None:
    s = replace(settings, faiss_approx_threshold=6)
    for name, (title, day, source, body) in DOCS.items():
        write_doc(s.corpus_dir, name, title, day, source, body)
    ingest(s, [s.corpus_dir])
    assert read_manifest(current_version(s.index_dir)).fields["faiss_index"] == "flat"  # 5 chunks
    for i in range(4):
        write_doc(s.corpus_dir, f"extra{i}.md", f"Extra {i}", "2024-01-0%d" % (i + 1), "Desk",
                  f"A short note number {i} about ferries and convoys.")
    ingest(s, [s.corpus_dir])
    manifest = read_manifest(current_version(s.index_dir))
    assert manifest.fields["faiss_index"] == "ivf-sq8" and manifest.fields["faiss_nlist"] >= 1
    engine = Engine.open(s)
    assert dense_docs(engine, "which frigate left Tartus harbour?")[0] == "harbour.md"
    # a narrow filter still finds its best passage (more lists are searched when few chunks pass)
    assert dense_docs(engine, "harbour", Filters(source="Coast Notes")) == ["undated.md"]
    (s.corpus_dir / "grain.md").unlink()  # removal works on the approximate index too
    ingest(s, [s.corpus_dir])
    engine.reload()
    assert "grain.md" not in dense_docs(engine, "grain exports through Odesa")


def test_faiss_index_setting_overrides_the_size_rule(settings: Settings) -> None:
    s = replace(settings, faiss_index="ivf-sq8")
    for name, (title, day, source, body) in DOCS.items():
        write_doc(s.corpus_dir, name, title, day, source, body)
    ingest(s, [s.corpus_dir])
    assert read_manifest(current_version(s.index_dir)).fields["faiss_index"] == "ivf-sq8"
    assert dense_docs(Engine.open(s), "grain exports through Odesa")[0] == "grain.md"
    with pytest.raises(ValidationError, match="faiss_index"):  # an unknown type is refused before any work
        replace(s, faiss_index="hnsw")
