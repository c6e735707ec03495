"""scripts/study_align.py's soft alignment (issue 24's study; not an engine signal — docs/quality.md says why), with
the real all-MiniLM-L6-v2 model: a paraphrased relation is matched, an unstated one is not."""

import importlib
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.fixture(scope="module")
def study():
    sys.path.insert(0, str(SCRIPTS))
    try:
        yield importlib.import_module("study_align")
    finally:
        sys.path.remove(str(SCRIPTS))


def test_the_asked_words_are_the_clause_s_content_words_without_its_names(study):
    assert study.asked_words("Who was the architect behind the North Stand design?", ["North Stand"]) == [
        "architect", "behind", "design"]
    assert study.asked_words("What did the club say about the 2023 recall?", ["2023"]) == ["club", "recall"]


def test_a_paraphrased_relation_aligns_and_an_unstated_one_does_not(study, real_encoder):
    aligner = study.Aligner(real_encoder, threshold=0.5)
    signed = "Eastvale Rovers have signed winger Rhys Calloway from Carrow Vale for a fee of £1.2 million."
    paid = aligner.align(study.asked_words("How much did Calloway cost the Rovers?", ["Calloway", "Rovers"]), signed)
    assert paid.matches[0][:2] == ("cost", "fee") and paid.share == 1.0

    semi = "Rovers beat Holloway Park 2-1 in the Crown Cup semi-final at Foundry Park on Saturday."
    refereed = aligner.align(study.asked_words("Who refereed the Crown Cup semi-final?", ["Crown Cup"]), semi)
    assert dict((w, s) for w, _, s in refereed.matches)["semi-final"] == 1.0  # the scene is stated
    assert refereed.weakest < 0.5 and refereed.share == 0.5  # the relation is not


def test_only_words_no_passage_holds_are_looked_for_in_other_words(study):
    passages = "The project is estimated to cost £38 million. Brennock Construction will build the stand."
    assert study.absent_words(["cost", "costs", "architect", "building"], passages) == ["architect"]


def test_a_word_s_vector_does_not_depend_on_what_was_encoded_before(study, real_encoder):
    asked, text = ["replacement", "nurses"], "The hospital hired stand-in nurses from an agency during the strike."
    fresh = study.Aligner(real_encoder).align(asked, text)
    warmed = study.Aligner(real_encoder)
    warmed.vectors(["agency", "strike", "unrelated", "words", "first"])
    assert warmed.align(asked, text) == fresh


def test_a_study_s_signals_are_fitted_with_its_own_added_beside_the_engine_s(study):
    # study_align.Studied (and study_ablate.Ablated) add signals to the engine's; the decision fits read them by name
    studied = study.Studied(dense=0.5, above_chance=0.3, sentence=0.4, coverage=1.0, names_missing=0.0,
                            type_nowhere=0.0, score=0.2, unbound=0.0, align_weakest=0.25)
    assert studied.as_dict()["align_weakest"] == 0.25 and studied.as_dict()["sentence"] == 0.4
