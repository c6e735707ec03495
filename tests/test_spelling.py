"""A question's misspelled names are read as its corpus writes them (index.text.spelling)."""

from index.text.cased import cased_words
from index.text.spelling import MOST_WORDS, respell

REPORTS = [
    "Dockers in Trieste walked out on Monday, and union leader Paolo Ferrante said the strike would last a week.",
    "Crews were helped by Fire Chief Luis Marchetti, who said the pier was safe.",
    "The board met Renata Solberg, Ines Halden and Carl Holden on Friday. Ferrante's union disagreed.",
    "The talks began in March. The ferry to Gdańsk and Győr's plant were named.",
    "Trucks crossed the Old Mill Bridge again; the bridge had been shut for a year.",
]
NAMES = cased_words(REPORTS)
WRITTEN = {w.casefold() for r in REPORTS for w in r.replace(".", " ").replace(",", " ").split()}


def read(question: str):
    return respell(question, lambda: NAMES, lambda word: word.casefold() not in WRITTEN)


def test_a_name_a_letter_off_is_read_as_the_corpus_writes_it():
    assert read("What did Paolo Ferarnte's union say?").text == "What did Paolo Ferrante's union say?"
    assert read("What did Paolo Ferarnte's union say?").words == (("Ferarnte", "Ferrante"),)
    assert read("Was Luis Marcheti at the pier?").text == "Was Luis Marchetti at the pier?"  # a letter left out
    assert read("What did Renata Solbreg say?").text == "What did Renata Solberg say?"  # two letters swapped


def test_a_name_typed_without_its_diacritics_is_read_as_the_corpus_writes_it():
    assert read("When does the ferry to Gdansk sail?").words == (("Gdansk", "Gdańsk"),)
    assert read("How big is the plant in Gyor?").text == "How big is the plant in Győr?"  # four letters: still read


def test_a_plain_word_of_a_name_is_read_as_the_corpus_writes_it_in_the_name():
    assert read("When did the Old Mill Brdige reopen?").text == "When did the Old Mill Bridge reopen?"
    assert read("when did the old mill brdige reopen?").words == ()  # typed without capitals: names only


def test_a_question_typed_without_capitals_gets_the_name_in_lower_case():
    assert read("what did paolo ferarnte say?").text == "what did paolo ferrante say?"  # cased.restore capitalises


def test_what_the_corpus_writes_short_words_and_close_calls_stay_as_typed():
    assert read("What did the Dockers say about Trieste?").words == ()  # written in the corpus
    assert read("Did Luiz say so?").words == ()  # under five letters: too many names are one letter off
    assert read("Was Ferrante3 there?").words == ()  # a word with figures is no misspelled name
    assert read("What did Hilden say?").words == ()  # one edit from Halden and from Holden alike
    assert read("What did Gareth Lindqvist say?").words == ()  # no name is that close: left for "not in the corpus"
    assert read("what was the score of the team's last match?").words == ()  # a word, not a misspelled "March"
    assert read("what was the score of the team's last mrach?").text == "what was the score of the team's last march?"


def test_a_rambling_question_reads_a_bounded_number_of_words():
    asked = " ".join(f"Ferarnte{i:c}x" for i in range(ord("a"), ord("a") + 200)) + "?"
    tried = []

    def unknown(word: str) -> bool:
        tried.append(word)
        return True

    respell(asked, lambda: NAMES, unknown)
    assert len(tried) == MOST_WORDS
