"""The engine's timing hook: a Stages recorder sees each stage of an ask, and changes no answer."""

from index.engine import Engine
from index.ingest.build import ingest
from index.stages import NO_STAGES, Stages


def test_an_ask_reports_the_time_of_each_stage_to_the_recorder(settings, sample_corpus):
    ingest(settings, [sample_corpus])
    engine = Engine.open(settings)
    question = "Who does the Kremlin want to protect its military bases in Syria?"
    untimed = engine.ask(question)

    engine.stages = clock = Stages()
    timed = engine.ask(question)

    seconds = clock.take()
    assert timed.answered and timed.quotes
    assert seconds.keys() == {"encode", "dense", "bm25", "sqlite", "quote", "split", "attribute"}
    assert all(s >= 0 for s in seconds.values())
    assert clock.take() == {}  # taken: the next ask starts from nothing
    assert timed == untimed


def test_the_default_recorder_keeps_nothing(settings, sample_corpus):
    ingest(settings, [sample_corpus])
    engine = Engine.open(settings)

    engine.search("northern pier")

    assert engine.stages is NO_STAGES and NO_STAGES.take() == {}
