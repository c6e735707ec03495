"""Property-based: whatever text comes in, parsers, time words, the question normaliser and the Discord renderers
raise nothing but newsdesk's own one-line errors (and render within Discord's limits)."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, given, settings, strategies as st

from bot import render
from bot.render_digest import digest_embeds
from bot.questions import is_question, strip_mentions
from index.engine import normalize_question
from index.errors import NewsdeskError
from index.limits import Limits
from index.ingest.parse import parse_date, parse_file
from index.answer.timewords import resolve
from index.types import Answer, CorpusSummary, Digest, DigestArticle, DigestEntry, Hit, Quote, SourceInfo

FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MONTHS = ["January", "Feb", "march", "Sept.", "December", "may"]
# Questions built from the time words resolve() looks for, with any numbers and any asking date.
time_questions = st.builds(
    lambda words, n, year, tail: f"{words.format(n=n, year=year)} {tail}",
    st.sampled_from(["what happened on {m} {n}?", "on {m} {n}, {year}", "in {m} {year}", "since {m} {n}",
                     "in {year}", "last friday", "{n} weeks ago", "{n} months ago", "yesterday", "this week",
                     "last month", "this year", "recently", "{m} {n}th"]).flatmap(
        lambda t: st.sampled_from(MONTHS).map(lambda m: t.replace("{m}", m))),
    st.integers(0, 99), st.integers(0, 9999).map(lambda y: f"{y:04d}"), st.text(max_size=20))


as_of_dates = st.sampled_from([date.min, date.max, date(1, 1, 7), date(9999, 12, 25)]) | st.dates()


@FEW
@given(time_questions, as_of_dates)
def test_time_words_give_a_window_inside_the_calendar_or_none(question, as_of):
    window = resolve(question, as_of)
    if window is not None:
        assert date.min <= window.since and window.until <= as_of


@FEW
@given(st.text(max_size=300), as_of_dates)
def test_time_words_take_any_text(question, as_of):
    resolve(question, as_of)


def test_the_reported_time_word_questions_resolve():
    assert resolve("what happened on December 30, 9999?", date(2024, 1, 1)).since == date(9999, 12, 30)
    assert resolve("what happened in January 0000?", date(2024, 1, 1)) is None
    assert resolve("what happened yesterday?", date.min).since == date.min
    assert resolve("what happened on December 8?", date.min) is None  # no December 8 on or before 1 Jan 1
    assert resolve("what happened on December 30, 9999?", date.max).until == date.max


@FEW
@given(st.text(max_size=2000))
def test_the_question_normaliser_returns_a_question_or_a_newsdesk_error(text):
    try:
        q = normalize_question(text)
    except NewsdeskError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert q and len(q) <= 500


@FEW
@given(st.one_of(st.text(max_size=40), st.integers(), st.none(), st.dates()))
def test_dates_parse_or_say_why(value):
    try:
        parse_date(value)
    except NewsdeskError:
        pass


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=20)
records = st.dictionaries(st.sampled_from(["id", "title", "date", "body", "text", "author", "authors", "source",
                                           "url", "extra"]), json_values, max_size=8)
SUFFIXES = [".txt", ".md", ".json", ".jsonl", ".html"]


def _parse_all(path, limits=Limits(max_json_depth=8)):
    out = []
    try:
        out = list(parse_file(path, path.name, limits))
    except NewsdeskError as exc:
        assert str(exc) and "\n" not in str(exc)
    for item in out:
        if isinstance(item, tuple):
            assert item[1] and "\n" not in item[1]
    return out


@FEW
@given(st.sampled_from(SUFFIXES), st.text(max_size=600))
def test_any_text_file_parses_or_is_skipped_with_a_reason(tmp_path_factory, suffix, text):
    path = tmp_path_factory.mktemp("p") / f"doc{suffix}"
    path.write_text(text, encoding="utf-8", errors="replace")
    _parse_all(path)


@FEW
@given(st.sampled_from(SUFFIXES), st.binary(max_size=400))
def test_any_bytes_parse_or_are_skipped_with_a_reason(tmp_path_factory, suffix, data):
    path = tmp_path_factory.mktemp("p") / f"doc{suffix}"
    path.write_bytes(data)
    _parse_all(path)


@FEW
@given(st.lists(records, max_size=5))
def test_any_json_records_parse_or_are_skipped_with_a_reason(tmp_path_factory, recs):
    folder = tmp_path_factory.mktemp("p")
    (folder / "a.jsonl").write_text("\n".join(json.dumps(r) for r in recs))
    (folder / "b.json").write_text(json.dumps(recs))
    _parse_all(folder / "a.jsonl")
    _parse_all(folder / "b.json")


@FEW
@given(records, st.text(max_size=200))
def test_any_front_matter_parses_or_is_skipped_with_a_reason(tmp_path_factory, meta, body):
    import yaml

    path = tmp_path_factory.mktemp("p") / "doc.md"
    path.write_text(f"---\n{yaml.safe_dump(meta)}---\n{body}")
    _parse_all(path)


# --- the Discord renderers: any corpus text fits Discord's limits --------------------------------------------
texts = st.text(max_size=3000)
short = st.text(max_size=300)
quotes = st.builds(Quote, text=texts, doc_id=short, title=short, date=st.none() | st.just("2024-12-09"),
                   source=short, url=short, attribution=short, score=st.floats(0, 1), chunk_id=st.integers(0, 10))
hits = st.builds(Hit, chunk_id=st.integers(0, 10), doc_id=short, score=st.floats(0, 1), text=texts, start=st.just(0),
                 end=st.just(0), title=short,
                 date=st.none() | st.just("2024-12-09"), source=short, url=short)


def _fits(embed) -> None:
    data = embed.to_dict()
    assert len(embed) <= 6000 and len(data.get("title", "")) <= 256 and len(data.get("description", "")) <= 4096
    for f in data.get("fields", []):
        assert 0 < len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024


@FEW
@given(short, st.lists(quotes, max_size=5), st.booleans())
def test_answers_render_within_discords_limits(question, qs, answered):
    answer = Answer(question=question or "?", decision="answer" if answered else "unsure", shown=qs)
    _fits(render.answer_embed(answer))


@FEW
@given(short, st.lists(hits, max_size=9), st.integers(1, 4))
def test_search_pages_render_within_discords_limits(query, hs, per_page):
    for page in range(max(1, -(-len(hs) // per_page))):
        _fits(render.search_embed(query, hs, page=page, per_page=per_page))


@FEW
@given(st.lists(st.builds(SourceInfo, short, st.integers(0, 10 ** 6)), max_size=30), short)
def test_sources_render_within_discords_limits(sources, model):
    summary = CorpusSummary(documents=len(sources), chunks=0, first_date=None, last_date=None, sources=sources,
                            titles=[], model=model, built_at="")
    _fits(render.sources_embed(summary))


@FEW
@given(st.lists(st.builds(DigestEntry, title=short, date=st.none() | st.just("2024-12-09"), source=short, url=short,
                          lead_quote=texts, attribution=short,
                          articles=st.lists(st.builds(DigestArticle, short, short, st.none(), short, short), max_size=3)),
                max_size=12))
def test_digests_render_within_discords_limits(entries):
    for embed in digest_embeds(Digest(since="2024-12-01", until="2024-12-09", basis="dated", entries=entries)):
        _fits(embed)


@FEW
@given(texts, st.integers(0, 2 ** 64))
def test_messages_and_thread_names_take_any_text(content, user_id):
    text = strip_mentions(content, user_id)
    is_question(text)
    assert 0 < len(render.thread_name(text or "?")) <= 100
    assert len(render.error_text(content)) <= 2000
