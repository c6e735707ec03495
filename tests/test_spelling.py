"""A question's misspelled names are read as its corpus writes them (index.text.spelling)."""

from index.text.cased import cased_words
from index.text.spelling import MOST_WORDS, respell, strange

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


# --- a plain word mistyped ---------------------------------------------------------------------------------------------
FUNCTION_WORDS = {"what", "when", "how", "many", "the", "was", "who", "did", "which"}


def typed(question: str):
    """Read with the corpus's words known: what it writes, and function words."""
    return respell(question, lambda: NAMES, lambda word: word.casefold() not in WRITTEN | FUNCTION_WORDS,
                   lambda word: word in WRITTEN | FUNCTION_WORDS)


def test_a_plain_word_mistyped_is_read_as_the_word_it_is_a_slip_of():
    assert typed("How long was the bridge shut for rpeairs?").words == (("rpeairs", "repairs"),)  # two letters swapped
    assert typed("Waht did the union say?").text == "What did the union say?"  # a question word: its capital kept
    assert typed("Who said the peir was safe?").text == "Who said the pier was safe?"  # not per, pear, peer or pair
    assert typed("Whose union disagred?").words == (("disagred", "disagreed"),)  # a letter left out: a word written
    assert typed("Who said the strike was ilegal?").words == ()  # but "illegal" is never written here
    assert typed("Who said the strike woudl last?").words == (("woudl", "would"),)


def test_a_slip_into_a_word_the_corpus_never_writes_is_still_read():
    # "architect" is never written: read so, the question stays one about what the corpus never states
    assert typed("Which arcihtect designed the pier?").words == (("arcihtect", "architect"),)


def test_words_of_a_language_and_short_or_doubtful_slips_stay_as_typed():
    assert typed("How did the dockers prise the gates open?").words == ()  # British: "prize" in American
    assert typed("What colour was the ferry?").words == ()
    assert typed("What is a tuple?").words == ()  # five letters, one letter from "tulle": only a swap is read
    assert typed("what did greg lemond say?").words == ()  # without capitals a name may be the word: swaps only


def test_a_word_no_dictionary_holds_nor_is_a_slip_of_one_is_strange():
    assert strange("kowalczyk") and strange("fallowmere")  # names, whatever their case
    assert not strange("payvane")  # a name, but one letter from "pavane": it may be a slip, and is not read as a name
    assert not strange("abroad") and not strange("colour")  # words, in either spelling
    assert not strange("aborad")  # a slip of "abroad" or "aboard"
    assert not strange("stand-in")  # its parts are words


def test_a_word_in_its_other_english_spelling_is_read_as_the_corpus_spells_it():
    american = WRITTEN | FUNCTION_WORDS | {"center", "prize"}
    read = respell("Where did the county open its help centre?", lambda: NAMES,
                   lambda word: word.casefold() not in american, american.__contains__)
    assert read.words == (("centre", "center"),)
    prised = respell("How did the dockers prise the gates open?", lambda: NAMES,
                     lambda word: word.casefold() not in american, american.__contains__)
    assert prised.words == ()  # five letters: "prise" is no "prize"
