"""Opening a version reads its searched files ahead; a missing or unreadable file is never an error."""

from index.ingest.build import ingest
from index.search.prefetch import prefetch, read_through, searched_files
from index.store.versions import current_version


def test_prefetch_reads_a_version_and_skips_what_it_cannot_read(settings, sample_corpus, tmp_path):
    ingest(settings, [sample_corpus])
    version = current_version(settings.index_dir)
    assert [p.relative_to(version).as_posix() for p in searched_files(version)] == [
        "vectors.faiss", "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy", "bm25/chunk_ids.npy"]
    prefetch(version)
    read_through([tmp_path / "gone.npy", tmp_path])  # neither raises
    prefetch(tmp_path)


def test_only_an_engine_that_answers_questions_prefetches(settings, sample_corpus, monkeypatch):
    import index.engine
    from index.engine import Engine

    ingest(settings, [sample_corpus])
    fetched = []
    monkeypatch.setattr(index.engine, "prefetch", fetched.append)
    Engine.open(settings, load_model=False)
    assert fetched == []
    Engine.open(settings)
    assert fetched == [current_version(settings.index_dir)]
