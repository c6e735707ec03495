"""Opening a version reads its search files ahead; a missing or unreadable file is never an error."""

from index.ingest import ingest
from index.prefetch import prefetch, read_ahead, search_files
from index.versions import current_version


def test_a_version_names_its_search_files_and_reading_them_ahead_is_harmless(settings, sample_corpus, tmp_path):
    ingest(settings, [sample_corpus])
    version = current_version(settings.index_dir)
    files = search_files(version)
    assert [f.relative_to(version).as_posix() for f in files] == [
        "vectors.faiss", "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy", "bm25/chunk_ids.npy"]
    prefetch(version).join(timeout=30)
    read_ahead([tmp_path / "gone.npy", tmp_path])  # neither raises
    assert search_files(tmp_path) == []
