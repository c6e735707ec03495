"""Fuzzing what comes in (tests/inputfuzz.py): any question, batch line or file gives an answer, a document or one of
newsdesk's own one-line errors, in Unicode text, within a deadline. scripts/fuzz_inputs.py runs the same longer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings

from inputfuzz import Site, ask_options, batch_bodies, check_parse, check_question, files, questions, warm_up

pytestmark = pytest.mark.timeout(300)
CI = settings(max_examples=200, deadline=5000, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site()
    warm_up(site, tmp_path_factory.mktemp("warm"))
    yield site
    site.close()


@CI
@given(questions)
@example("which ships left \ud800Tartus?")
@example("the harbour quay opened on Monday " * 6_000)
def test_any_text_is_a_question_or_a_one_line_refusal(text):
    check_question(text)


@CI
@given(questions, ask_options)
@example("which ships left \ud800Tartus?", {})
@example("which ships left Tartus?", {"source": "Kyiv \udc00Post"})
def test_any_question_and_options_get_an_answer_or_a_one_line_error(site, text, options):
    site.ask(text, options)


@CI
@given(batch_bodies)
@example(b'{"question": "which ships \\ud800left Tartus?"}\n\xff\xfe which ships?\nwhich ships left Tartus?\n')
def test_any_batch_answers_every_line_and_exits_0(site, body):
    site.batch(body)


@CI
@given(files())
@example((".json", b'{"title": "T", "body": "The quay \\ud800 opened on Monday, the harbour master said."}'))
@example((".md", b'---\ntitle: "Bad \\ud800 title"\n---\nThe pier opened on Tuesday, the mayor said.\n'))
@example((".html", b"<html><head><title>&#xD800;</title></head><body><article><p>The quay opened on Monday, "
                   b"the harbour master said, &#55296; and more.</p></article></body></html>"))
def test_any_file_parses_to_unicode_documents_or_says_why_not(site, tmp_path_factory, file):
    suffix, data = file
    check_parse(tmp_path_factory.mktemp("f"), suffix, data)
