"""A question typed without capitals has its names read back from how the corpus writes them (index.text.cased)."""

import json

from index.answer.question import Question
from index.text.cased import FILE, CasedWords, caseless, cased_words, restore, save

REPORTS = [
    "Dockers in Trieste walked out on Monday, and union leader Paolo Ferrante said the strike would last a week.",
    "Crews were helped by Fire Chief Luis Marchetti, who said the pier was safe.",
    "The port authority said PFAS levels at the Osei-Bright site were normal. Ferrante's union disagreed.",
    "Strike pay will run out soon, the union said. The port said it hoped the dispute would end.",
    "Ships queued outside the Port of Trieste.",
]


def test_a_word_the_corpus_capitalises_inside_sentences_and_never_writes_in_lower_case_is_a_name():
    names = cased_words(REPORTS)
    assert names.last["ferrante"] == "Ferrante" and names.last["trieste"] == "Trieste"
    assert names.last["pfas"] == "PFAS" and names.last["osei-bright"] == "Osei-Bright"
    assert names.parts["paolo"] == "Paolo" and names.parts["luis"] == "Luis"  # only ever before another name word
    assert "strike" not in names.last  # capitalised only where a sentence starts ("Strike pay…")
    assert not {"port", "union", "dockers"} & (names.last.keys() | names.parts.keys())  # also written in lower case
    assert names.common["port"] == "Port" and "union" not in names.common  # capitalised inside a sentence, or never


def test_a_name_after_a_title_s_or_a_saint_s_abbreviation_is_a_name_not_a_sentence_start():
    names = cased_words(["Nurses at St. Brigid's met Dr. Tomasz Adeyemi. It ended. Then came spring."])
    assert names.last["brigid"] == "Brigid" and names.parts["tomasz"] == "Tomasz"
    assert "then" not in names.last  # after a full stop: a sentence starts
    assert restore("how many beds does st. brigid's have?", names) == "how many beds does st. Brigid's have?"


def test_a_lower_case_question_has_its_names_written_as_the_corpus_writes_them():
    names = cased_words(REPORTS)
    assert restore("what did paolo ferrante's union say about pfas?", names) == \
        "what did Paolo Ferrante's union say about PFAS?"
    assert restore("what did luis marchetti say about the pier?", names) == \
        "what did Luis Marchetti say about the pier?"


def test_a_title_or_a_first_name_is_read_as_a_name_only_before_one():
    names = cased_words(REPORTS)  # "the fire chief" asks for a role: the corpus writes "Fire Chief Luis Marchetti"
    assert restore("what did the fire chief say about the pier?", names) == \
        "what did the fire chief say about the pier?"
    assert restore("did paolo say anything?", names) == "did paolo say anything?"


def test_a_question_with_capitals_of_its_own_is_read_as_written():
    names = cased_words(REPORTS)
    assert restore("What did the Union say about paolo?", names) == "What did the Union say about paolo?"
    assert restore("Why did trieste's dockers strike?", names) == "Why did trieste's dockers strike?"  # its first too


def test_the_names_a_question_is_decided_on_come_from_its_restored_text(tmp_path):
    save(tmp_path, REPORTS)
    assert json.loads((tmp_path / FILE).read_text())["last"]["ferrante"] == "Ferrante"
    asked = Question.of("what did paolo ferrante say about the trieste strike?", cased=CasedWords(tmp_path))
    assert asked.names == ["Paolo Ferrante", "Trieste"]
    assert asked.text == "what did paolo ferrante say about the trieste strike?"  # searched and shown as asked
    assert Question.of("what did paolo ferrante say?").names == []  # without the index's words: none


def test_a_question_in_capitals_or_with_every_word_capitalised_is_read_as_one_without_capitals(tmp_path):
    save(tmp_path, REPORTS)
    for typed in ("WHAT DID PAOLO FERRANTE SAY ABOUT THE TRIESTE STRIKE?",
                  "What Did Paolo Ferrante Say About The Trieste Strike?"):
        asked = Question.of(typed, cased=CasedWords(tmp_path))
        assert asked.text == "what did paolo ferrante say about the trieste strike?" and asked.message == typed
        assert asked.names == ["Paolo Ferrante", "Trieste"]  # not "WHAT DID PAOLO FERRANTE SAY ABOUT THE TRIESTE"
    assert caseless("ХТО ЗАМІНИВ РЕЙНГОЛЬТА?")


def test_a_question_with_some_capitals_or_too_short_to_tell_keeps_them():
    assert not caseless("What did NATO say about the Trieste strike?")
    assert not caseless("Paolo Ferrante?")  # under three words: a name alone is all capitalised
    assert not caseless("NATO summit?")
    assert Question.of("What did NATO say?").text == "What did NATO say?"


def test_a_version_written_before_its_names_were_kept_reads_them_from_its_passages(tmp_path):
    read = []

    def passages():
        read.append(1)
        return iter(REPORTS)

    names = CasedWords(tmp_path, passages)
    assert names.restore("Who is Ferrante?") == "Who is Ferrante?"  # capitals of its own: nothing read
    assert read == []
    assert names.restore("who is ferrante?") == "who is Ferrante?"
    assert names.restore("where is trieste?") == "where is Trieste?"
    assert read == [1]  # read once


def test_a_corrupt_file_of_names_is_read_again_from_the_passages(tmp_path):
    for corrupt in (b"\x00\xff not json", b'{"last": ["not", "a", "table"]}', b"[]"):
        (tmp_path / FILE).write_bytes(corrupt)
        assert CasedWords(tmp_path, lambda: REPORTS).restore("who is ferrante?") == "who is Ferrante?"


def test_an_index_reads_its_names_at_ingest_and_an_older_one_from_its_passages(settings, tmp_path):
    from index.engine import Engine
    from index.ingest.build import ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    for i, text in enumerate(REPORTS):
        (docs / f"{i}.txt").write_text(f"Report {i}\nDate: 2024-0{i + 1}-02\n\n{text}\n")
    ingest(settings, [docs])
    engine = Engine.open(settings)
    version = engine.version.path
    assert json.loads((version / FILE).read_text())["last"]["ferrante"] == "Ferrante"
    assert engine.version.cased.restore("what did paolo ferrante say?") == "what did Paolo Ferrante say?"

    (version / FILE).unlink()  # as a version written before names were kept
    older = Engine.open(settings)
    assert older.version.cased.restore("what did paolo ferrante say?") == "what did Paolo Ferrante say?"
