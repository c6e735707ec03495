"""Choosing the answering sentence: features every candidate has, what measuring a sentence on its own changes,
and time only when the question names it."""

from datetime import date

import pytest

from index.store.lexical import LexicalIndex
from index.answer.question import Question
from index.answer.sentences import HAND_SET, SentenceModel, best_of, candidates, refine, text_of, with_recency
from index.types import Hit, Ranking

LEDE = "Calloway Fasteners will close its plant on Depot Street in June, the company said."
REASON = "It is closing because the 71-year-old building would cost more to bring up to date than to replace."
PASSAGE = f"{LEDE} {REASON}"
MODEL = SentenceModel({"sentence": 1.0, "asked": 0.4, "answer_type": 0.25})


@pytest.fixture
def lexical(tmp_path):
    LexicalIndex.build([1, 2], [PASSAGE, "The library opens on Sundays again from February."]).save(tmp_path)
    return LexicalIndex.load(tmp_path)


def _hit(chunk_id=1, *, day="2023-01-18", dense=0.6, title="Calloway to close Depot Street plant") -> Hit:
    return Hit(chunk_id=chunk_id, doc_id=f"d{chunk_id}", score=1.0, text=PASSAGE, start=0, end=len(PASSAGE),
               title=title, date=day, source="Courier", url="", sentences=((0, len(LEDE)), (len(LEDE) + 1, len(PASSAGE))),
               dense=dense)


def _scored(lexical, question, hits):
    q = Question(question, lexical=lexical)
    return candidates(hits, q.terms, lexical, MODEL, q.answer_type, q.terms)


def test_every_sentence_is_a_candidate_with_its_passage_s_similarity_until_measured(lexical):
    [picks] = _scored(lexical, "Why is Calloway shutting the Depot Street plant?", [_hit()])
    assert [p.features["sentence"] for p in picks] == [0.6, 0.6]
    assert [p.features["answer_type"] for p in picks] == [0.0, 1.0]  # "because …": a cause for a "why"


def test_a_sentence_measured_on_its_own_can_overtake_the_lede(lexical):
    hits = [_hit()]
    scored = _scored(lexical, "Why is Calloway shutting the Depot Street plant?", hits)
    cosine = {(1, p.start): c for p, c in zip(scored[0], (0.35, 0.55))}
    refined = refine(scored, hits, [0], MODEL, sentence_cosine=cosine, headline_cosine={}, spoken={})
    [best] = best_of(refined)
    assert text_of(hits[0], best) == REASON


def test_the_hand_set_score_weighs_no_measured_feature():
    assert not {"sentence", "restates", "speaker"} & set(HAND_SET.weights)


def test_a_named_time_prefers_the_newer_passage_and_nothing_else_does(lexical):
    old, new = _hit(1, day="2023-01-18"), _hit(2, day="2024-12-01")
    scored = _scored(lexical, "What is closing on Depot Street?", [old, new])
    assert best_of(scored)[0].score == best_of(scored)[1].score  # equal whatever their dates
    dated = best_of(with_recency(scored, [old, new], date(2024, 12, 1), Ranking(recency_weight=0.5)))
    assert dated[1].score - dated[0].score == pytest.approx(0.5, abs=0.01)
