"""Quote selection reads what kind of answer a question asks for."""

import pytest

from index.store.lexical import LexicalIndex
from index.text.places import places_in, venues_in
from index.answer.question import Question, asked_clause, focus_words
from index.answer.quote import AnswerType, after_dateline


@pytest.fixture
def lexical(tmp_path):
    texts = ["Aaron Judge hit his 62nd home run of the season this week.",
             "Barry Bonds holds the major league record of 73 home runs.",
             "Roger Maris hit 61 home runs in 1961, a record for 61 years."]
    LexicalIndex.build([1, 2, 3], texts).save(tmp_path)
    return LexicalIndex.load(tmp_path)


@pytest.mark.parametrize("question, sentence, offered", [
    ("Approximately how many customers were without power due to Hurricane Ian?",
     "About 2.5 million customers lost power.", True),
    ("Approximately how many customers were without power due to Hurricane Ian?",
     "Hurricane Ian left customers without power across Florida.", False),
    ("What percentage of plastic is recycled, according to the EPA?", "Only 9% is recycled, the EPA said.", True),
    ("Liz Truss became the new prime minister of which country this week?",
     "Truss is the new leader of the United Kingdom.", True),
    ("Liz Truss became the new prime minister of which country this week?",
     "Liz Truss became prime minister on Tuesday.", False),  # a weekday is not a name
    ("Who won the vote in Moldova?", "The result surprised everyone.", False),
])
def test_a_sentence_offers_the_kind_of_answer_asked_for(question, sentence, offered):
    assert AnswerType.of(question).offered_by(sentence) is offered


def test_questions_without_an_answer_type_expect_nothing():
    expects = AnswerType.of("Tell me about the port of Tartus.")
    assert not expects.number and not expects.name and not expects.offered_by("Tartus is in Syria, 2024.")


def test_focus_words_stop_at_the_verb_or_a_name():
    assert focus_words("which ships left Tartus?") == ["ships"]
    assert focus_words("Which wildly popular show was green lit?") == ["wildly", "popular", "show"]


def test_which_amount_asks_for_a_number():
    expects = AnswerType.of("A new California fast-food law could raise the minimum wage to which hourly amount?")
    assert expects.number
    assert expects.offered_by("The council could raise the minimum wage for fast food workers to up to $22 an hour.")
    assert not expects.offered_by("Governor Gavin Newsom signed the bill creating a Fast Food Council.")


def test_the_asked_sentence_weighs_more_than_the_scene_set_before_it(lexical):
    question = "Aaron Judge hit a record-breaking 62nd home run this week. Who holds the record with 73 home runs?"
    q = Question(question, lexical=lexical)
    terms, weights = q.terms, q.weights(context_share=0.3)
    judge, seventy_three = lexical.terms(["Judge"])[0][0], lexical.terms(["73"])[0][0]
    assert weights[seventy_three] == terms[seventy_three]
    assert weights[judge] == terms[judge] * 0.3
    one = Question("Who holds the record with 73 home runs?", lexical=lexical)
    assert one.weights(0.3) == one.terms  # one sentence


@pytest.mark.parametrize("kind, question, sentence, offered", [
    ("place", "Which state announced it is legalizing jaywalking?",
     "According to the release, jaywalking is arbitrarily enforced in California.", True),
    ("place", "Which state announced it is legalizing jaywalking?",
     "In the release, Assemblyman Phil Ting referenced the targeting of Black pedestrians.", False),
    ("place", "NASA launched a rocket outside the US. Where did the launch occur?",
     "NASA launched a rocket from Australia’s remote Northern Territory.", True),
    ("place", "Where are many Americans moving from New York City?", "Rents in New York City keep rising.", False),
    ("place", "Where did the protest over ticket prices set off from?",
     "About 400 fans marched from Market Square to the ground.", True),
    ("place", "Where was the hearing held?", "The hearing drew a packed crowd to the Millbrook High School auditorium.",
     True),
    ("place", "Where was the semi against Holloway Park played?", "Rovers beat Holloway Park on penalties.", False),
    ("date", "The White House said a new vaccine is coming. When will it be available?",
     "The shots could be available next month, officials said.", True),
    ("date", "NASA has set a date for another try. How soon could the attempt occur?",
     "NASA requested launch windows for Wednesday, November 16.", True),
    ("date", "NASA has set a date for another try. How soon could the attempt occur?",
     "NASA rolled the rocket back.", False),
    ("date", "What did the mayor announce on Monday, and when will it open?", "The bridge opens on Monday.", False),
])
def test_where_and_when_ask_for_a_place_or_a_date_the_question_does_not_name(kind, question, sentence, offered):
    expects = AnswerType.of(question)
    assert getattr(expects, kind) and expects.offered_by(sentence) is offered


def test_places_are_read_whole_and_not_from_a_sentence_start():
    assert places_in("Expats moved to Mexico City and New York City this year.") == ["Mexico City", "New York City"]
    assert places_in("Nice work, said the coach.") == []


def test_a_local_place_is_known_by_what_it_is():
    assert venues_in("The bus finished at Harbour City Hall, and jabs were given on Orchard Street.") == [
        "Harbour City Hall", "Orchard Street"]
    assert venues_in("Street parties were held. The White House and the Hall family said nothing.") == []
    # a kind of place said after "at" or "in", named or not: where a "where" question's answer often is
    assert venues_in("The county opened cooling centers at nine public libraries on Monday.") == [
        "nine public libraries"]
    assert venues_in("He was treated in hospital and said the game was in hand.") == ["hospital"]


@pytest.mark.parametrize("lede, quoted", [
    ("New York CNN Business — Prices at the pump continue to sink.", "Prices at the pump continue to sink."),
    ("WASHINGTON (AP) — Testimony began Monday.", "Testimony began Monday."),
    ("Russia — which invaded in February — keeps its bases.", "Russia — which invaded in February — keeps its bases."),
])
def test_a_quote_of_the_lede_starts_after_its_dateline(lede, quoted):
    assert lede[after_dateline(lede):] == quoted


def test_a_one_sentence_question_with_a_decimal_or_an_abbreviation_is_not_split(lexical):
    for question in ("Did Judge hit 8.5 home runs a week?", "Did the U.S. record stand for 73 home runs?"):
        q = Question(question, lexical=lexical)
        assert q.weights(context_share=0.3) == q.terms


@pytest.mark.parametrize("question, sentence, offered", [
    ("What year did the Old Mill Bridge go up?", "The bridge, built in 1938, carries 11,400 cars a day.", True),
    ("What year did the Old Mill Bridge go up?", "Inspectors found section loss of up to 40 percent.", False),
    ("How much did the wind farm cost to build?", "The farm will supply 300,000 homes from 2028.", False),
    ("How much did the wind farm cost to build?", "The farm cost 1.2 billion euros to build.", True),
    ("How many sirens did the county put up?", "The sirens sound for three minutes on May 17.", True),
    ("Why did the east wing get more expensive?", "Steel prices account for most of the increase.", True),
    ("Why did the east wing get more expensive?", "The east wing will have five floors.", False),
    # "what … cost / worth" asks for a sum; "the cost" or "supply costs" named in a question asks for none
    ("What was the North Stand originally expected to cost?", "It would lift the capacity to 19,500.", False),
    ("What was the North Stand originally expected to cost?", "The project is estimated to cost £38 million.", True),
    ("What did the walkout cost Kestrel?", "The walkout cost Kestrel about £4 million in lost output.", True),
    ("What was the improved deal worth in total?", "Vantera raised its offer to 345p a share, or £612m.", True),
    ("What was the last day crews picked up flood junk?", "Collection will end on Friday, May 17.", True),
    ("What was the last day crews picked up flood junk?", "Crews hauled 4,300 tons of debris.", False),
    # "what share / percentage" asks for a percentage, not any figure
    ("In 2022, what share of revenue came from heat pumps?", "Revenue will be £680 million to £720 million.", False),
    ("In 2022, what share of revenue came from heat pumps?", "Heat pumps accounted for 61% of revenue.", True),
    ("What share of nurses backed a strike?", "Some 94 percent of those voting said yes.", True),
    ("How much a share did the Dutch group first offer?", "Vantera offered 310p a share in cash.", True),  # a price
    # an estimate, a tally or a toll is a figure; the cheapest ticket a price
    ("What was the coast guard's initial estimate of the oil lost?", "The coast guard said the spill was under control.", False),
    ("What was the coast guard's initial estimate of the oil lost?", "About 120 tonnes had escaped.", True),
    ("What's the cheapest ticket on the Riga–Gdańsk ferry?", "The ferry sails three times a week.", False),
    ("What's the cheapest ticket on the Riga–Gdańsk ferry?", "Fares start at €59 for a seat.", True),
    # "how long" asks for a time: a number before its unit, "for a year", an end date; not any figure
    ("How long was the captain expected to be sidelined?", "A scan showed a grade-two tear of the hamstring.", False),
    ("How long was the captain expected to be sidelined?", "We expect him to be out for around eight weeks.", True),
    ("How long did the extension tie him to the club?", "It will keep him at Foundry Park until June 2027.", True),
    ("How long was the driver banned?", "He was banned for a year and fined £500.", True),
    ("How long will the dockers walk out?", "The union called a 72-hour strike.", True),
    ("How long is the new tunnel?", "The tunnel runs 3.2 kilometres under the bay.", True),  # or a length
    # "how much was it fined" asks for a fine: a sum the sentence calls one, not any sum
    ("How much was the landlord fined?", "The landlord has been fined £18,000 over the locked exit.", True),
    ("How much was Norvale fined over the recall?", "The recall could cost it between £8 million and £12 million.",
     False),
    # "how much is X paid" asks for pay: a salary or a rate, not a fee paid for them
    ("How much is Tomas Reinholt paid by the Rovers?", "Rovers paid Dunmore £400,000 to release Reinholt.", False),
    ("How much is Tomas Reinholt paid by the Rovers?", "Reinholt will earn about £350,000 a year.", True),
    # "which firm / insurer / club" asks for an organisation named as one, not any capitalised name
    ("Which firm is putting up the new North Stand?", "The stand would replace the uncovered North Terrace.", False),
    ("Which firm is putting up the new North Stand?", "Brennock Construction, the main contractor, will build it.",
     True),
    ("Which insurer cut its Red Sea rates?", "Corvina Marine Underwriters said it had cut its rates.", True),
    ("Which group paid for the Sunday hours?", "The Friends of the Library, a volunteer group, donated $48,000.", True),
])
def test_years_sums_of_money_and_causes_are_kinds_of_answer(question, sentence, offered):
    assert AnswerType.of(question).offered_by(sentence) is offered


def test_a_how_many_question_prefers_the_number_next_to_what_it_counts():
    expects = AnswerType.of("How many flood sirens did the county put up along the river?")
    assert expects.counts("Eight new outdoor warning sirens along the Ashby River are now in service.")
    assert not expects.counts("The sirens cost $585,000 and sound for three minutes.")


def test_the_asked_clause_is_the_question_after_its_scene():
    assert asked_clause("Aaron Judge hit his 62nd home run this week. Who holds the record with 73?") == \
        "Who holds the record with 73?"
    assert asked_clause("Which ships left Tartus?") == "Which ships left Tartus?"


@pytest.mark.parametrize("question", ["What did the mayor say about the cost of the bridge?",
                                      "What was Henrik Soll's margin forecast once supply costs started easing?",
                                      "What was the first thing the new mayor did?"])
def test_a_cost_or_a_first_named_in_passing_asks_for_no_sum_or_date(question):
    expects = AnswerType.of(question)
    assert not (expects.money or expects.date)
