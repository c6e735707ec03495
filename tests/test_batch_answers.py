"""Questions asked together (`Engine.ask_many`, the path the bot and `ask -` take) get the answers each gets alone."""

import json
from datetime import date
from pathlib import Path

import pytest

from index.batch import Asking
from index.errors import EmptyQuestion, UnknownSource
from index.types import Conversation, Turn

pytestmark = pytest.mark.model

QUESTIONS = [json.loads(line)["question"]
             for line in (Path(__file__).parent.parent / "eval/corpora/sample/questions.jsonl").read_text().splitlines()]


def shown(answer) -> tuple:
    """What a member sees and what the question log keeps: the decision and every quote, to the character."""
    quotes = tuple((q.doc_id, q.chunk_id, q.start, q.end, q.text, q.attribution, q.score)
                   for q in answer.quotes + answer.nearest)
    return answer.decision, answer.answered, answer.confidence, quotes, tuple(answer.missing), answer.reading


def askings() -> list[Asking]:
    """The sample corpus's 18 questions, then the same with options and in a conversation: 40 in all."""
    first = [Asking(q) for q in QUESTIONS]
    later = [Asking(q, k=1, as_of=date(2024, 12, 12)) for q in QUESTIONS[:13]]
    story = Conversation((Turn("Which vessels sailed out of Tartus?", ("000_2b7db0b492e10144.txt",)),))
    follow = [Asking(q, context=story) for q in ("And the air base?", "what did Ankara say?", "When?")]
    windows = [Asking("What happened in Tartus this week?", as_of=date(2024, 12, 10)),
               Asking("What did Peskov say on December 9?", as_of=date(2024, 12, 12)),
               Asking("Which fleet is the cargo ship from?", source="nosuch")]
    return first + later + follow + windows + [Asking("   "), Asking(QUESTIONS[1]), Asking(QUESTIONS[2].upper())]


def test_a_batch_gets_the_answers_each_question_gets_alone(real_engine):
    batch = askings()
    together = real_engine.ask_many(batch)
    alone = []
    for asking in batch:
        try:
            alone.append(real_engine.ask(asking.question, **asking.options()))
        except Exception as exc:
            alone.append(exc)

    assert len(together) == len(batch) == 40
    for asking, a, b in zip(batch, together, alone):
        if isinstance(b, Exception):
            assert type(a) is type(b) and str(a) == str(b), asking
        else:
            assert shown(a) == shown(b), asking
    decisions = {a.decision for a in together if not isinstance(a, Exception)}
    assert decisions == {"answer", "unsure", "not_found"}  # every kind of outcome compared
    assert isinstance(together[-4], UnknownSource) and isinstance(together[-3], EmptyQuestion)


def test_a_question_asked_twice_in_a_batch_is_answered_once_each_getting_its_own_copy(real_engine, monkeypatch):
    asked = []
    ask = real_engine.ask
    monkeypatch.setattr(real_engine, "ask", lambda q, **kw: asked.append(q) or ask(q, **kw))
    heard = []
    first, second, other = real_engine.ask_many([Asking(QUESTIONS[1]), Asking(f"  {QUESTIONS[1]} "),
                                                Asking(QUESTIONS[2])], lambda i, answer: heard.append((i, answer)))

    assert asked == [QUESTIONS[1], QUESTIONS[2]]
    assert heard == [(0, first), (1, second), (2, other)]  # each as it was ready
    assert shown(first) == shown(second) and first is not second and first.quotes[0] is not second.quotes[0]
    assert shown(other) != shown(first)


def test_what_a_version_keeps_between_questions_changes_no_answer(real_engine):
    """A version keeps what its passages give every question (speakers, terms, stored rows, document vectors,
    sentence vectors): an engine that has answered nothing yet, on the same index, answers each asking exactly as
    one that has answered them all before."""
    from index.engine import Engine

    warm = real_engine
    for asking in askings():  # every passage these askings reach, seen once
        try:
            warm.ask(asking.question, **asking.options())
        except Exception:
            pass
    cold = Engine.open(warm.settings, encoder=warm.encoder)
    for asking in askings():
        try:
            first = cold.ask(asking.question, **asking.options())
        except Exception as exc:
            with pytest.raises(type(exc)):
                warm.ask(asking.question, **asking.options())
            continue
        assert shown(first) == shown(warm.ask(asking.question, **asking.options())), asking
        assert first.comparisons == warm.ask(asking.question, **asking.options()).comparisons, asking
