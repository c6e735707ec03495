"""Time matters only when a question asks for it: with the real model, a question without time words gets the same
decision and the same first quote asked the day after its article or two years later, with or without twenty
newer, unrelated articles beside it."""

from datetime import date
from pathlib import Path

import pytest
from engines import engine_over

from index.engine import Engine

pytestmark = pytest.mark.model

DATA = Path(__file__).parent / "data" / "invariance"
EVAL_PRESS = Path(__file__).parent.parent / "eval" / "corpora" / "press-releases" / "docs"
EVAL_SPORTS = Path(__file__).parent.parent / "eval" / "corpora" / "sports-desk" / "docs"
EVAL_COURTS = Path(__file__).parent.parent / "eval" / "corpora" / "courts-business" / "docs"
EVAL_FOREIGN = Path(__file__).parent.parent / "eval" / "corpora" / "foreign-desk" / "docs"
QUESTIONS = [  # (question, the article it is about), none naming a time
    ("How much is a single adult fare on the island boat?", "ferry-line"),
    ("What is the catamaran called?", "ferry-line"),
    ("Where will the primary school kids have lessons while the building is fixed?", "school-roof"),
    ("What turned up in the mud at the harbour?", "harbour-dredging"),
    ("Which councillor opposed turning the grain store into a library?", "library-vote"),
    ("How many households will the offshore turbines supply?", "wind-farm"),
    ("What started the blaze at the bakery?", "bakery-fire"),
    ("What did the fishermen's leader say about the turbines?", "wind-farm"),
    ("What did harbour master Elsa Varga say about the wreck?", "harbour-dredging"),  # nobody of that name: refused
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory, real_encoder):
    return engine_over(tmp_path_factory.mktemp("archive"), [DATA / "base"], real_encoder)


@pytest.fixture(scope="module")
def archive_with_newer_news(tmp_path_factory, real_encoder):
    return engine_over(tmp_path_factory.mktemp("grown"), [DATA / "base", DATA / "newer"], real_encoder)


def _asked(engine: Engine, as_of: date) -> list[tuple[str, str | None, str | None]]:
    out = []
    for question, _ in QUESTIONS:
        answer = engine.ask(question, as_of=as_of)
        first = (answer.quotes or answer.nearest or [None])[0]
        out.append((answer.decision, first and first.doc_id, first and first.text))
    return out


def test_no_decision_and_no_first_quote_moves_with_the_asking_date_or_newer_news(archive, archive_with_newer_news):
    day_after = _asked(archive, date(2024, 12, 4))
    two_years_later = _asked(archive, date(2026, 12, 4))
    grown_two_years_later = _asked(archive_with_newer_news, date(2026, 12, 4))

    assert two_years_later == day_after
    assert grown_two_years_later == day_after
    answered = [(doc, about) for (decision, doc, _), (_, about) in zip(day_after, QUESTIONS) if decision == "answer"]
    assert len(answered) >= 4 and all(doc == about for doc, about in answered)
    assert day_after[-1][0] != "answer"  # the harbour master quoted is Piet Lindqvist


def test_a_question_that_asks_for_the_latest_still_prefers_newer_reports(archive_with_newer_news):
    answer = archive_with_newer_news.ask("What is the latest news from Port Ardent?", as_of=date(2026, 12, 4))
    shown = answer.quotes or answer.nearest
    assert shown and shown[0].date == "2024-12-03"  # the bakery fire, the newest Port Ardent report


def test_asking_for_the_latest_orders_the_quotes_but_decides_nothing(archive_with_newer_news):
    """"now", "latest", "currently" put the newest of the sentences answering about as well first; they never turn an
    answer found only in an older report into a refusal (a two-year-old archive asked "now" still has its answer)."""
    asked = date(2026, 12, 4)
    for question, about in QUESTIONS[:6]:
        plain = archive_with_newer_news.ask(question, as_of=asked)
        for latest in (question.rstrip("?") + " now?", question.rstrip("?") + " currently?"):
            answer = archive_with_newer_news.ask(latest, as_of=asked)
            assert answer.decision == plain.decision, latest


@pytest.fixture(scope="module")
def press_office(tmp_path_factory, real_encoder):
    return engine_over(tmp_path_factory.mktemp("press"), [EVAL_PRESS], real_encoder)


def test_now_does_not_let_the_newest_boilerplate_outrank_the_answer(press_office):
    """A company's releases all end with the same "about us" paragraph: "now" once ranked the newest release's
    copy of it first (a recency boost), so "Who is Norvale's CEO now?" was refused as never naming the CEO."""
    asked = date(2026, 12, 6)
    plain = press_office.ask("Who is Norvale's CEO?", as_of=asked)
    now = press_office.ask("Who is Norvale's CEO now?", as_of=asked)
    assert plain.decision == now.decision == "answer"
    assert any("chief executive" in quote.text.lower() for quote in now.quotes)


def test_a_quarter_asked_as_q3_is_answered_as_the_third_quarter(press_office):
    """Business desks write "Q3 2023"; a trading update says "in the third quarter". Read as written, "Q3" was a name
    the corpus never mentions and the question was refused (index.text.periods)."""
    asked = date(2026, 12, 6)
    short = press_office.ask("Why did Norvale cut its forecast after Q3 2023?", as_of=asked)
    long = press_office.ask("Why did Norvale cut its forecast after the third quarter of 2023?", as_of=asked)
    assert short.decision == long.decision == "answer"
    assert [q.text for q in short.quotes] == [q.text for q in long.quotes]
    assert "German installers" in short.quotes[0].text
    assert short.asked == "Why did Norvale cut its forecast after Q3 2023?"  # titled and logged as asked


def test_the_current_holder_of_a_post_is_shown_first_among_reports_answering_as_well(tmp_path, real_encoder):
    """"Who is the current manager?" over a sports desk: the sacking of one manager and the appointment of the next
    answer about as well; "current" shows the newer report first, and decides nothing."""
    desk = engine_over(tmp_path, [EVAL_SPORTS], real_encoder)
    asked = date(2026, 12, 6)
    plain = desk.ask("Who is the Rovers manager?", as_of=asked)
    current = desk.ask("Who is the current Rovers manager?", as_of=asked)
    assert plain.decision == current.decision == "answer"
    assert "Brannigan" in plain.quotes[0].text and "Reinholt" in current.quotes[0].text


def test_a_year_named_by_the_time_words_is_named_by_a_report_dated_within_them(tmp_path, real_encoder):
    """Reports of June 2024 rarely write "2024": asked "… in June 2024?", the year was a name the quoted passages
    never state, and a verdict the court reporter covered that month was refused (not_found, 0.18)."""
    courts = engine_over(tmp_path, [EVAL_COURTS], real_encoder)
    answer = courts.ask("What was the verdict in the Telfer case in June 2024?", as_of=date(2026, 12, 6))
    assert answer.decision == "answer" and answer.signals["names_missing"] == 0.0
    assert answer.quotes[0].date == "2024-06-04" and "verdict" in answer.quotes[0].text  # the trial's last day
    other_year = courts.ask("What was the verdict in the Telfer case in June 2019?", as_of=date(2026, 12, 6))
    assert other_year.decision != "answer"


def test_a_part_of_a_year_bounds_the_search_and_names_its_year(tmp_path, real_encoder):
    """"In early 2025" was no time word: its year was a name the quoted passages never state, and who won a title
    reported that April was not found (0.06). Now it is the months it names (index.answer.timewords)."""
    desk = engine_over(tmp_path, [EVAL_SPORTS], real_encoder)
    answer = desk.ask("Who won the CWBL title in early 2025?", as_of=date(2026, 12, 6))
    assert (answer.decision, answer.since, answer.until) == ("answer", "2025-01-01", "2025-05-07")
    assert answer.signals["names_missing"] == 0.0 and answer.quotes[0].date.startswith("2025-04")
    assert "trophy" in answer.quotes[0].text
    assert desk.ask("Who won the CWBL title in early 2019?", as_of=date(2026, 12, 6)).decision != "answer"


def test_a_question_typed_in_lower_case_is_decided_as_its_capitalised_form(tmp_path, real_encoder):
    """Chat questions come in lower case, and names are read from capitals: "what did paolo ferrante say about the
    trieste dock strike?" was answered with quotes that never name him, while the capitalised question is refused.
    The corpus writes "Ferrante" (in another story) and "Trieste": their capitals are read back (index.text.cased)."""
    desk = engine_over(tmp_path, [EVAL_FOREIGN], real_encoder)
    asked = date(2026, 12, 6)
    for question in ("What did Paolo Ferrante say about the Trieste dock strike?",
                     "How much did war-risk cover cost for ships sailing in the Baltic?",
                     "What did Davide Kosuta say about the agreement that ended the walkout?"):
        cased = desk.ask(question, as_of=asked)
        typed = desk.ask(question.lower(), as_of=asked)
        assert (typed.decision, typed.signals) == (cased.decision, cased.signals), question
        assert [q.text for q in typed.shown] == [q.text for q in cased.shown], question
    assert cased.decision == "answer"  # Kosuta's words
    assert desk.ask("what did paolo ferrante say about the trieste dock strike?", as_of=asked).decision != "answer"


def test_a_misspelled_name_is_read_as_the_corpus_writes_it(tmp_path, real_encoder):
    """A name typed a letter off ("Kousta") was a name no quote states: "not in the corpus". It is read as the
    corpus's "Kosuta" (index.text.spelling), decided and quoted as the question spelt right, and the answer says so."""
    desk = engine_over(tmp_path, [EVAL_FOREIGN], real_encoder)
    asked = date(2026, 12, 6)
    right = desk.ask("What did Davide Kosuta say about the agreement that ended the walkout?", as_of=asked)
    for typed in ("What did Davide Kousta say about the agreement that ended the walkout?",
                  "what did davide kousta say about the agreement that ended the walkout?"):
        answer = desk.ask(typed, as_of=asked)
        assert (answer.decision, answer.signals) == (right.decision, right.signals), typed
        assert [q.text for q in answer.shown] == [q.text for q in right.shown], typed
        assert answer.asked == typed and answer.respelled == ((typed.split()[3], typed.split()[3].replace("ous", "osu")),)
    assert right.decision == "answer" and right.respelled == ()


def test_a_mistyped_word_is_read_as_the_word_it_is_a_slip_of(tmp_path, real_encoder):
    """A plain word two letters swapped ("agreemnet") was a word no passage writes: the lexical search missed it and
    the question's vector drifted. It is read as the dictionary's word (index.text.spelling.mistyped), decided and
    quoted as the question typed right, and the answer says so."""
    desk = engine_over(tmp_path, [EVAL_FOREIGN], real_encoder)
    asked = date(2026, 12, 6)
    right = desk.ask("What did Davide Kosuta say about the agreement that ended the walkout?", as_of=asked)
    typed = "What did Davide Kosuta say about the agreemnet that ended the walkout?"
    answer = desk.ask(typed, as_of=asked)
    assert (answer.decision, answer.signals) == (right.decision, right.signals)
    assert [q.text for q in answer.shown] == [q.text for q in right.shown]
    assert answer.asked == typed and answer.respelled == (("agreemnet", "agreement"),)


def test_a_question_in_capitals_is_decided_and_quoted_as_one_typed_without_them(tmp_path, real_encoder):
    """Caps lock on, or every word capitalised: read as written, every word was a name, and names no quote writes
    made the question "not in the corpus"."""
    desk = engine_over(tmp_path, [EVAL_FOREIGN], real_encoder)
    asked = date(2026, 12, 6)
    question = "What did Davide Kosuta say about the agreement that ended the walkout?"
    lower = desk.ask(question.lower(), as_of=asked)
    for typed in (question.upper(), " ".join(w[:1].upper() + w[1:] for w in question.split())):
        answer = desk.ask(typed, as_of=asked)
        assert (answer.decision, answer.signals) == (lower.decision, lower.signals), typed
        assert [q.text for q in answer.shown] == [q.text for q in lower.shown], typed
        assert answer.asked == typed
    assert lower.decision == "answer"


def test_a_name_the_corpus_lacks_typed_without_capitals_is_still_a_name_it_lacks(tmp_path, real_encoder):
    """Typed without capitals, a name the corpus never writes was no name: "what did riga deputy mayor arturs bērziņš
    say …" was answered with what the mayor said. A word the corpus never writes that no dictionary holds, nor is a
    slip of a word of, is read as a name (`Question.written`), and the question is refused as when typed with them."""
    desk = engine_over(tmp_path, [EVAL_FOREIGN], real_encoder)
    asked = date(2026, 12, 6)
    question = "What did Riga deputy mayor Arturs Bērziņš say about the new ferry to Gdańsk?"
    for typed in (question, question.lower(), question.upper()):
        answer = desk.ask(typed, as_of=asked)
        assert answer.decision != "answer", typed
        assert answer.signals["names_missing"] == 1.0, typed
    answerable = desk.ask("what did davide kosuta say about the agreement that ended the walkout?", as_of=asked)
    assert answerable.decision == "answer" and answerable.signals["names_missing"] == 0.0


def test_a_question_said_as_chat_is_decided_and_quoted_as_the_question_alone(tmp_path, real_encoder):
    """A greeting, an address or an asking frame before it, thanks or a nudge after it (index.text.chatter): read,
    they leaned the question's vector towards chat and counted as words the corpus never writes."""
    desk = engine_over(tmp_path, [EVAL_FOREIGN], real_encoder)
    asked = date(2026, 12, 6)
    question = "What did Davide Kosuta say about the agreement that ended the walkout?"
    alone = desk.ask(question, as_of=asked)
    asking = "what did Davide Kosuta say about the agreement that ended the walkout"
    for said in (f"hey all, {asking}? thanks!", f"quick question: {asking}?", f"does anyone know {asking}?",
                 f"@newsdesk {asking}?? 🙏", f"{question} anyone?", f"sorry to bother, {asking}? (for the 6pm bulletin)"):
        answer = desk.ask(said, as_of=asked)
        assert (answer.decision, answer.signals) == (alone.decision, alone.signals), said
        assert [q.text for q in answer.shown] == [q.text for q in alone.shown], said
        assert answer.asked == said
    assert alone.decision == "answer"


def test_with_the_multilingual_model_now_still_quotes_the_article_that_answers(tmp_path):
    """The ranking's margins and recency prior are read in the sentence model's own units (`SentenceModel.unit`):
    multilingual-e5-small's scores lie ten times closer together than MiniLM's, and "now" or a year read in MiniLM's
    units put the newest of nearly all candidate sentences first, whatever it said."""
    from index.encode.embed import load_encoder

    encoder = load_encoder("multilingual-e5-small")
    desk = engine_over(tmp_path, [DATA / "base", DATA / "newer"], encoder, embedding_model="multilingual-e5-small")
    asked = date(2026, 12, 4)
    kept = []
    for question, about in QUESTIONS[:6]:
        plain = (desk.ask(question, as_of=asked).shown or [None])[0]
        if plain is None or plain.doc_id != about:
            continue
        for asked_now in (question.rstrip("?") + " now?", question.rstrip("?") + f" in {plain.date[:4]}?"):
            first = desk.ask(asked_now, as_of=asked).shown[0]
            kept.append((asked_now, first.doc_id == about))
    assert len(kept) >= 6 and all(same for _, same in kept), kept


def test_a_question_that_asks_for_the_original_figure_shows_the_first_report_first(tmp_path, real_encoder):
    """"originally", "the initial estimate": the older of the sentences answering about as well comes first, as
    "latest" puts the newer first; it decides nothing."""
    town = engine_over(tmp_path, [Path(__file__).parent / "data" / "revised"], real_encoder)
    asked = date(2026, 12, 4)
    latest = town.ask("What is the latest estimate for the Elm Street bridge repairs?", as_of=asked)
    original = town.ask("What was the original estimate for the Elm Street bridge repairs?", as_of=asked)
    at_first = town.ask("How much did the town initially expect the Elm Street bridge repairs to cost?", as_of=asked)

    assert latest.shown[0].doc_id == "bridge-delayed"
    assert original.shown[0].doc_id == "bridge-closed" and "$2 million" in original.shown[0].text
    assert at_first.shown[0].doc_id == "bridge-closed"
    assert original.decision == town.ask("What was the estimate for the Elm Street bridge repairs?",
                                         as_of=asked).decision
