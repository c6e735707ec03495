"""The answer decision's pieces: names the quotes must mention, and thresholds with room on both sides."""

from index.answer.decide import balanced_threshold, pick_threshold
from index.answer.question import Question
from index.answer.signals import missing_names, unbound


def test_a_name_abbreviated_in_the_question_is_found_written_out_or_dotted():
    question = Question("NASA made history after its first launch from a commercial spaceport outside the US. "
                        "Where was it?")
    assert missing_names(question, "NASA launched a rocket from Australia, the first from a U.S. partner.") == []
    assert missing_names(question, "NASA, the United States space agency, launched from Australia.") == []
    assert missing_names(question, "NASA launched a rocket from Australia.") == ["US"]


def test_names_and_years_the_quotes_never_mention_are_missing():
    question = Question("Which high-profile Republican announced a 2024 White House bid?")
    assert missing_names(question, "Donald Trump said he will run for the White House in 2024.") == ["Republican"]
    assert missing_names(question, "The Republican Trump announced a White House bid.") == ["2024"]


def test_a_year_or_round_asked_about_must_be_where_the_best_sentence_is():
    question = Question.of("How many doses did the county order for its third vaccination campaign?").asked_clause
    assert unbound(question, "All 6,500 doses the county ordered were used by mid-December.") == ["third"]
    assert unbound(question, "For the third campaign the county ordered 4,000 doses.") == []
    season = Question.of("What does an adult season ticket cost for 2025-26?").asked_clause
    assert unbound(season, "Rovers have reduced the price of a season ticket to £430.", "2023-08-01") == ["2025-26"]
    assert unbound(season, "A season ticket for 2025/26 will cost £450.", "2025-05-01") == []
    assert unbound(season, "A season ticket will cost £450.", "2025-05-01") == []  # reported that year
    # only the asked clause counts, and "first" asks no round ("when it was first shut")
    scene = Question.of("The 2023 vote was close. When was the bridge first shut?").asked_clause
    assert unbound(scene, "It shut in March.") == []


def test_a_first_period_asked_about_must_be_where_the_best_sentence_is():
    month = Question.of("How many riders used Route 9 in its first month?").asked_clause
    assert unbound(month, "Route 9 has carried 41,000 riders since it opened.") == ["first month"]
    assert unbound(month, "In its first full month, Route 9 carried 9,800 riders.") == []
    assert unbound(month, "Route 9 carried 9,800 riders in the first month of service.") == []
    half = Question.of("What did Norvale earn in the first half?").asked_clause
    assert unbound(half, "Norvale's first-half profit rose to £40 million.") == []
    assert unbound(half, "Norvale's full-year profit rose to £90 million.") == ["first half"]


def test_the_answer_threshold_sits_midway_in_the_gap_it_may_move_through():
    confidences = [(0.2, "off_domain"), (0.4, "off_domain"), (0.45, "made_up"),
                   (0.5, "answerable"), (0.7, "answerable"), (0.9, "answerable")]
    # refusing every unanswerable question needs a threshold above 0.45; any up to 0.5 answers the same three
    assert pick_threshold(confidences, {"off_domain": 1.0, "made_up": 1.0}) == (0.45 + 0.5) / 2
    # a lower target is met from 0.4 on, but the same answerable questions are answered up to 0.5: the two
    # unanswerable ones inside that gap are refused too
    assert pick_threshold(confidences, {"off_domain": 0.5, "made_up": 0.0}) == (0.2 + 0.5) / 2


def test_a_target_no_threshold_meets_refuses_everything():
    assert pick_threshold([(0.9, "off_domain"), (0.5, "answerable")], {"off_domain": 1.0}) > 0.5


def test_a_balanced_threshold_answers_and_refuses_most_with_off_domain_refused_in_every_corpus():
    confidences = [(0.9, "answerable", 1.0, "a"), (0.6, "answerable", 1.0, "a"), (0.5, "near", 1.0, "a"),
                   (0.3, "off_domain", 1.0, "a"), (0.8, "answerable", 1.0, "b"), (0.55, "off_domain", 1.0, "b")]
    # 0.5 would answer more, but corpus b's off-domain question at 0.55 must be refused there too
    t = balanced_threshold(confidences, {"off_domain": 1.0})
    assert 0.55 < t <= 0.6
    # without the floor the near question at 0.5 is still refused: answering 0.6 costs nothing
    assert 0.5 < balanced_threshold(confidences, {}) <= 0.6


def test_a_translation_is_read_on_the_line_through_the_two_anchors_the_probes_measure():
    from index.answer.chance import Scale

    scale = Scale(chance=0.72, same=0.76, translated=0.88, original=0.95)  # en → uk, as e5 scores them

    assert abs(scale(0.72) - 0.76) < 1e-9 and abs(scale(0.88) - 0.95) < 1e-9  # chance to chance, itself to itself
    assert abs(scale.above_chance(0.80) - (scale(0.80) - 0.76)) < 1e-9
    assert scale(0.80) - 0.80 > scale(0.72) - 0.72  # the closer a text, the more its translation loses


def test_only_passages_in_another_language_are_read_on_their_languages_scale():
    from index.answer.chance import Scale
    from index.answer.sentences import Pick, SentenceModel
    from index.answer.signals import measure
    from index.types import Hit

    def hit(chunk_id, language, dense):
        return Hit(chunk_id=chunk_id, doc_id=f"d{chunk_id}", score=1.0, text="Russian ships left Tartus.", start=0,
                   end=26, title="Tartus", date="2024-12-09", source="S", url="", dense=dense, language=language)

    model = SentenceModel({"passage": 0.5, "sentence": 0.5})
    english, ukrainian = hit(1, "en", 0.82), hit(2, "uk", 0.80)
    pick = Pick(0, 26, 0.0, 0.81, {"passage": 0.80, "sentence": 0.82})
    scale = Scale(chance=0.72, same=0.76, translated=0.88, original=0.95)
    question = Question("Which ships left Tartus?")
    plain = measure(question, [(pick, ukrainian), (pick, english)], chance=0.77)

    read = measure(question, [(pick, ukrainian), (pick, english)], chance=0.77, model=model,
                   scale=lambda language: scale if language == "uk" else None)

    assert (plain.above_chance, plain.sentence, plain.score) == (0.82 - 0.77, 0.82, 0.81)  # as measured
    assert abs(read.above_chance - scale.above_chance(0.80)) < 1e-9  # the Ukrainian passage, above its chance
    assert abs(read.sentence - scale(0.82)) < 1e-9
    assert abs(read.score - (0.81 + 0.5 * (scale(0.80) - 0.80) + 0.5 * (scale(0.82) - 0.82))) < 1e-9
    same = measure(question, [(pick, english)], chance=0.77, model=model, scale=lambda language: None)
    assert same == measure(question, [(pick, english)], chance=0.77)  # the question's own language: untouched


def test_a_name_written_another_way_in_the_report_is_not_missing():
    # plural and singular of a model name
    assert missing_names(Question("Why were more H10s recalled?"), "Norvale recalled another 4,000 H10 heaters.") == []
    # a demonym and its country, both ways
    assert missing_names(Question("What pushed the Polish factory over budget?"), "The plant in Poland ran over.") == []
    assert missing_names(Question("When did the plant in Poland open?"), "The Polish plant opened in May.") == []
    # an abbreviation and the words it stands for; a chief officer's title without "officer"
    assert missing_names(Question("Who was the Finals MVP?"), "Achterberg was the Most Valuable Player of the finals.") == []
    assert missing_names(Question("Who will be the new CEO?"), "The board named Ashdown chief executive.") == []
    assert missing_names(Question("What did NASA say?"), "The National Aeronautics and Space Administration said.") == []


def test_a_name_the_report_does_not_write_is_still_missing():
    assert missing_names(Question("What did the French minister say?"), "The German minister said no.") == ["French"]
    assert missing_names(Question("Who will be the new CEO?"), "The city engineers chose Ashdown.") == ["CEO"]
    assert missing_names(Question("What did the FBI say?"), "The police said nothing.") == ["FBI"]


def test_an_abbreviation_or_an_initial_is_read_as_a_report_writes_it():
    assert missing_names(Question("Who won the U.S. Open?"), "Alcaraz won the US Open on Sunday.") == []
    assert missing_names(Question("How hot did Britain get?"), "The UK recorded 40C for the first time.") == []
    assert missing_names(Question("Who did J. K. Rowling argue with?"), "JK Rowling argued with a fellow author.") == []
    assert missing_names(Question("Which Nobel Peace Prize-winning leader died?"), "The Nobel Peace Prize winner died.") == []
    assert missing_names(Question("Which Rolls-Royce plant closed?"), "The Rolls plant closed.") == ["Rolls-Royce"]


def test_a_name_is_named_with_or_without_its_diacritics():
    assert missing_names(Question("How much oil was spilt off Klaipeda?"), "Oil washed up near Klaipėda.") == []
    assert missing_names(Question("What did Artūrs Bērziņš say?"), "Arturs Berzins said the ferry would run.") == []
    assert missing_names(Question("Who runs the plant in Lodz?"), "The Łódź plant is run by Olena Hrytsenko.") == []
    assert missing_names(Question("Who runs the plant in Gdynia?"), "The Gdańsk plant is run by her.") == ["Gdynia"]


def test_a_name_is_named_in_its_other_english_spelling():
    assert missing_names(Question("What hit the yacht by Grand Harbor?"), "The gregale struck in Grand Harbour.") == []
    assert missing_names(Question("What did the Defense Ministry say?"), "The Defence Ministry said no.") == []
    assert missing_names(Question("Who runs the Kennedy Centre?"), "The Kennedy Center is run by her.") == []
    assert missing_names(Question("Who won the Four Nations?"), "The For Nations cup.") == ["Four Nations"]


def test_a_title_before_a_name_and_a_plural_demonym_are_read_as_a_report_writes_them():
    assert missing_names(Question("What did President Biden announce?"), "Biden announced student loan relief.") == []
    assert missing_names(Question("Why are Americans moving?"), "People across the United States are moving.") == []
    assert missing_names(Question("What did President Macron say?"), "Biden announced student loan relief.") == [
        "President Macron"]


def test_a_year_the_time_words_name_is_named_by_a_report_dated_then_that_points_at_no_other():
    """"… during the summer of 2023?": a report of August 2023 need not write "2023" — unless it recalls "last
    summer" or writes "2022", when what it quotes may be of another year (index.answer.signals._unnamed)."""
    from datetime import date

    from index.answer.signals import _unnamed

    asked = Question("What microcystin levels were measured during the summer of 2023?", as_of=date(2026, 12, 6))
    missing = missing_names(asked, "Toxic algae blooms on Lake Wendover are starting earlier.")
    assert missing == ["2023"]
    assert _unnamed(asked, missing, [("2023-08-08", ["Samples showed microcystin at 12 micrograms."])]) == []
    assert _unnamed(asked, missing, [("2023-08-08", ["Last summer's largest bloom showed microcystin."])]) == ["2023"]
    assert _unnamed(asked, missing, [("2023-08-08", ["Samples from 2013 to 2022 showed microcystin."])]) == ["2023"]
    assert _unnamed(asked, missing, [("2024-08-08", ["Samples showed microcystin at 12 micrograms."])]) == ["2023"]
    # written just after that summer ended, "last summer" is that summer
    assert _unnamed(asked, missing, [("2023-09-05", ["Last summer's largest bloom showed microcystin."])]) == []


def _heard(doc_id: str, title: str, text: str, speaker: bool):
    """A passage of one sentence, and that sentence as a candidate (`speaker`: the asked speaker's words)."""
    from index.answer.sentences import Pick
    from index.types import Hit

    hit = Hit(chunk_id=hash(doc_id) % 1000, doc_id=doc_id, score=1.0, text=text, start=0, end=len(text), title=title,
              date="2024-03-12", source="S", url="", dense=0.6)
    return Pick(0, len(text), 0.5, 2.0, {"speaker": float(speaker)}), hit


def test_a_speaker_heard_only_on_something_else_leaves_what_they_were_asked_about_unheard():
    from index.answer.signals import measure, unheard_on

    doctor = _heard("pryce-injury", "Pryce out for eight weeks",
                    '"Callum has a grade-two tear," said club doctor Helen Marchetti.', speaker=True)
    goals = _heard("ferrante-goals", "Ferrante scores twice", "Ferrante's goals took his total to 19.", speaker=False)

    asked = Question("What did the club doctor say about Ferrante's hamstring?")
    assert unheard_on(asked, [doctor, goals]) == ["Ferrante"]  # named only where the doctor is not heard
    assert measure(asked, [doctor, goals], chance=0.2).unbound == 1.0
    assert unheard_on(Question("What did the club doctor say about Callum's injury?"), [doctor, goals]) == []
    assert unheard_on(Question("What did the club doctor say about the injury?"), [doctor, goals]) == []  # no name
    assert unheard_on(asked, [goals]) == []  # the doctor heard nowhere: nothing to bind (their role is read elsewhere)


def test_the_speakers_own_names_and_a_year_are_not_what_they_are_asked_about():
    from index.answer.signals import unheard_on

    analyst = _heard("recall-cost", "Recall cost", "Sunita Rao, an analyst at Halberd Securities, said the cost "
                     "would depend on installer visits.", speaker=True)

    assert unheard_on(Question("What did Sunita Rao of Halberd Securities say in 2023?"), [analyst]) == []
    assert unheard_on(Question("What did Sunita Rao of Halberd Securities say about the Tessaro Cells deal?"),
                      [analyst]) == ["Tessaro Cells"]
