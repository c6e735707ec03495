"""The CLI under hostile input: bad batch lines, calendar edges, out-of-range options, escape sequences, closed pipes."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import pytest

from index.engine import Engine
from index.ingest.build import ingest
from newsdesk.settings import Settings
from newsdesk.cli import main

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def env(settings, sample_corpus, monkeypatch):
    for key, value in (("EMBEDDING_MODEL", "hash"), ("INDEX_DIR", settings.index_dir), ("CORPUS_DIR", sample_corpus)):
        monkeypatch.setenv(key, str(value))
    return settings


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_batch_goes_on_past_every_bad_line_and_reports_each(env, sample_corpus, capsys, monkeypatch):
    ingest(env, [sample_corpus])
    real_ask = Engine.ask

    def ask(self, question, **kw):  # a bug in the engine for one question
        if question == "crash?":
            raise RuntimeError("boom")
        return real_ask(self, question, **kw)

    monkeypatch.setattr(Engine, "ask", ask)
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([
        '{"question": "which ships left Tartus?", "k": "abc"}',
        '{"question": ["not", "text"]}',
        '{"question": "which ships left Tartus?", "since": "yesterday"}',
        '{"question": "what happened on December 30, 9999?"}',
        '{"question": "what happened on December 8?", "as_of": "0001-01-01"}',
        '{"question": "what happened yesterday?", "as_of": "0001-01-01"}',
        '{"question": "in January 0000?"}',
        "{" * 5000,
        "crash?",
        "which ships left Tartus?",
    ]) + "\n"))
    code, out, err = run(capsys, "ask", "--json", "-")
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 10 and code == 1  # one internal error among them
    errors = [line.get("error") for line in lines]
    assert errors[0] == "k must be a whole number from 1 to 10, not 'abc'"
    assert errors[1] == "question must be text"
    assert errors[2].startswith("unparseable date 'yesterday'")
    assert errors[3:7] == [None] * 4  # calendar edges are questions like any other
    assert errors[7].startswith("not a JSON object")
    assert errors[8] == "internal error (RuntimeError)" and "line 9: RuntimeError: boom" in err
    assert lines[9]["answered"] is True


def test_a_batch_row_with_k_out_of_range_is_an_error_naming_k_like_the_k_option(env, sample_corpus, capsys, monkeypatch):
    ingest(env, [sample_corpus])
    rows = ['{"question": "which ships left Tartus?", "k": %s}' % k for k in ("1e20", "100000000000000000000", "-3", "0",
                                                                              "2.5", "true", "3", "null")]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(rows) + "\n"))
    code, out, err = run(capsys, "ask", "--json", "-")
    errors = [json.loads(line).get("error") for line in out.splitlines()]
    assert code == 0 and err == ""
    assert errors[:6] == [f"k must be a whole number from 1 to 10, not {shown!r}" for shown in
                          ("1e+20", "100000000000000000000", "-3", "0", "2.5", "true")]
    assert errors[6:] == [None, None]  # k 3, and no k (the command's --k, else ANSWER_K)


@pytest.mark.parametrize("text", ["grain exports " * 358, "why grain " * 500 + "?"])  # no "?", one long question
def test_search_refuses_a_5000_character_query_in_the_words_ask_uses_naming_the_limit(env, sample_corpus, capsys, text):
    ingest(env, [sample_corpus])
    searched, asked = run(capsys, "search", text), run(capsys, "ask", text)
    length = len(" ".join(text.split()))
    assert searched == asked == (2, "", f"newsdesk: The question is {length:,} characters long: ask it in under 500 "
                                        "characters (of a longer text, only its last sentence ending in '?' is asked).\n")


@pytest.mark.timeout(30)
def test_a_long_text_without_a_question_mark_is_refused_at_once(env, sample_corpus, capsys, monkeypatch):
    """Splitting a question into sentences takes one pass: 200,000 characters without a "?" took 80 s."""
    ingest(env, [sample_corpus])
    rambling = "the harbour quay opened on Monday " * 6_000  # 203,999 characters once its spaces are tidied, no "?"
    started = time.perf_counter()
    code, out, err = run(capsys, "ask", rambling)
    assert code == 2 and err.startswith("newsdesk: The question is 203,999 characters long: ask it in under 500")
    assert time.perf_counter() - started < 3

    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([rambling, rambling + ". which ships left Tartus?",
                                                              "x" * 200_000 + "?"]) + "\n"))
    started = time.perf_counter()
    code, out, err = run(capsys, "ask", "--json", "-")
    first, second, third = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and "only its last sentence ending in '?' is asked" in first["error"]
    assert second["question"] == "which ships left Tartus?" and second["answered"]
    assert "200,001 characters long: ask it in under 500" in third["error"]  # one question longer than the limit
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])  # stdin's in a UTF-8 locale, in C/C.UTF-8
def test_a_batch_line_that_is_not_unicode_is_one_error_line_and_the_batch_goes_on(env, sample_corpus, capsys,
                                                                                 monkeypatch, errors):
    ingest(env, [sample_corpus])
    lines = [b'{"question": "which ships \\ud800left Tartus?"}', b'{"question": "which ships left Tartus?", '
             b'"source": "Kyiv \\udc00Post"}', "which ships left Tartus? \xff\xfe".encode("latin-1"),
             "ships in Tartus \ud83d\ude22?".encode("utf-8", "surrogatepass"), b"which ships left Tartus?"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n".join(lines) + b"\n"), "utf-8", errors))
    code, out, err = run(capsys, "ask", "--json", "-")
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and err == "" and len(answers) == 5
    assert [a.get("error") for a in answers[:4]] == [
        "question is not Unicode text: a lone surrogate \\ud800 at character 13",
        "source is not Unicode text: a lone surrogate \\udc00 at character 6",
        "the line is not UTF-8 text: byte 26 is 0xff",
        "the line is not UTF-8 text: byte 17 is 0xed"]
    assert answers[2]["question"] == "which ships left Tartus? \ufffd\ufffd"  # shown as read, every line valid UTF-8
    assert answers[4]["answered"]


@pytest.mark.parametrize("argv", [
    ["ask", "what happened on December 8?", "--as-of", "0001-01-01"],
    ["ask", "what happened yesterday?", "--as-of", "0001-01-01"],
    ["ask", "what happened on December 30, 9999?"],
    ["ask", "what happened in January 0000?", "--as-of", "9999-12-31"],
    ["digest", "--days", "36500", "--as-of", "0005-01-01"],
])
def test_calendar_edges_are_answered(env, sample_corpus, capsys, argv):
    ingest(env, [sample_corpus])
    code, _, err = run(capsys, *argv)
    assert code == 0 and err == ""


@pytest.mark.parametrize("argv, message", [
    (["digest", "--days", "100000000"], "--days must be from 0 to 36,500, not 100,000,000"),
    (["ask", "x?", "--k", "0"], "--k must be from 1 to 10, not 0"),
    (["ask", "x?", "--k", "-1"], "--k must be from 1 to 10, not -1"),
    (["ask", "x?", "--k", "1000"], "--k must be from 1 to 10, not 1,000"),
    (["search", "x", "--k", "abc"], "--k must be a whole number, not 'abc'"),
    (["sources", "--limit", "-5"], "--limit must be from 0 to 1,000,000, not -5"),
    (["digest", "--limit", "-3"], "--limit must be from 0 to 1,000,000, not -3"),
])
def test_out_of_range_options_are_usage_errors(capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["ask", "x?", "--since", "2024-02-31"], "argument --since: no such date '2024-02-31': 2024-02 has 29 days"),
    (["ask", "x?", "--until", "2023-02-29"], "argument --until: no such date '2023-02-29': 2023-02 has 28 days"),
    (["ask", "x?", "--as-of", "2024-13-01"], "argument --as-of: no such date '2024-13-01': months run from 01 to 12"),
    (["ask", "x?", "--since", "0000-12-31"], "argument --since: no such date '0000-12-31': years run from 0001 to 9999"),
    (["digest", "--since", "99999-01-01"], "argument --since: no such date '99999-01-01': years run from 0001 to 9999"),
    (["ask", "x?", "--since", "31.02.2024"], "argument --since: unparseable date '31.02.2024' (expected YYYY-MM-DD)"),
])
def test_a_date_written_right_but_not_on_the_calendar_is_named_as_such(capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2 and message in capsys.readouterr().err


def test_the_command_a_missing_index_suggests_builds_it_from_corpus_dir(env, sample_corpus, capsys, monkeypatch,
                                                                         tmp_path):
    news = tmp_path / "elsewhere" / "news"
    shutil.copytree(sample_corpus, news)
    monkeypatch.setenv("CORPUS_DIR", str(news))
    monkeypatch.chdir(tmp_path / "elsewhere")  # no ./corpus here
    code, _, err = run(capsys, "ask", "which ships left Tartus?")
    [suggested] = re.findall(r"`newsdesk ([^`]+)`", err)
    assert code == 2 and err.startswith(f"newsdesk: No index at {env.index_dir}: build one first with")
    assert run(capsys, *shlex.split(suggested))[0] == 0
    code, out, _ = run(capsys, "ask", "which ships left Tartus?")
    assert code == 0 and "Tartus" in out


def test_an_unknown_source_pasted_at_length_is_named_in_one_short_line(env, sample_corpus, capsys):
    ingest(env, [sample_corpus])
    code, _, err = run(capsys, "ask", "which ships left Tartus?", "--source", "Kyiv Post " * 500)
    assert code == 2 and "No source named 'Kyiv Post Kyiv Post" in err and len(err) < 300


def test_an_empty_earlier_question_is_named_as_the_after_option(env, sample_corpus, capsys):
    ingest(env, [sample_corpus])
    code, out, err = run(capsys, "ask", "which ships left Tartus?", "--after", "who?", "--after", "  ")
    assert code == 2 and out == ""
    assert err.startswith("newsdesk: --after (the 2nd earlier question): The question is empty")


def test_a_date_range_that_ends_before_it_starts_is_named_not_searched(env, sample_corpus, capsys, monkeypatch):
    """Swapped --since/--until used to search an empty range and say "Not in the corpus"."""
    ingest(env, [sample_corpus])
    for command in ("ask", "search"):
        code, out, err = run(capsys, command, "which ships left Tartus?", "--since", "2025-01-01", "--until",
                             "2020-01-01")
        assert code == 2 and out == ""
        assert err == "newsdesk: since 2025-01-01 is after until 2020-01-01: no date is in that range (swap them?)\n"

    monkeypatch.setattr(sys, "stdin", io.StringIO(
        '{"question": "which ships left Tartus?", "since": "2024-12-31", "until": "2024-12-01"}\n'
        '{"question": "which ships left Tartus?", "since": "2024-12-09", "until": "2024-12-09"}\n'))
    code, out, _ = run(capsys, "ask", "--json", "-")
    swapped, one_day = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and swapped["error"].startswith("since 2024-12-31 is after until 2024-12-01")
    assert "error" not in one_day  # a one-day range is a range


def test_eval_files_that_are_missing_binary_or_malformed_are_one_line_each(env, sample_corpus, tmp_path, capsys,
                                                                           monkeypatch):
    """Each was a traceback; a bad question file now costs no ingest either."""
    monkeypatch.setenv("DATA_DIR", str(env.data_dir))
    (tmp_path / "binary.jsonl").write_bytes(b"\x00\xc4\xff" * 100)
    (tmp_path / "unclosed.toml").write_text("[suite\n")
    (tmp_path / "no_question.jsonl").write_text('{"id": 1}\n')
    corpus = ["--corpus", str(sample_corpus)]
    for argv, says in [
        (["eval", str(tmp_path / "missing.jsonl"), *corpus], "missing.jsonl: cannot be read (No such file or directory)"),
        (["eval", str(tmp_path / "binary.jsonl"), *corpus], "binary.jsonl: not UTF-8 text (byte 1 is 0xc4)"),
        (["eval", str(tmp_path / "no_question.jsonl"), *corpus], "no_question.jsonl: not in the expected form "
                                                                 "(KeyError: no 'question')"),
        (["eval", "--suite", str(tmp_path / "unclosed.toml")], "unclosed.toml: not in the expected form "
                                                                "(TOMLDecodeError: Expected ']'"),
        (["eval-followups", str(tmp_path / "missing.jsonl"), "--questions", str(tmp_path / "binary.jsonl"),
          "--cache", str(env.index_dir)], "missing.jsonl: cannot be read"),
    ]:
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == "" and len(err.splitlines()) == 1 and says in err, (argv, err)
    assert not (env.data_dir / "eval").exists()  # refused before any ingest


def test_file_names_and_corpus_text_never_reach_the_terminal_as_escapes(env, capsys):
    corpus = env.corpus_dir
    (corpus / "evil\x1b[31m\nname.docx").write_text("x")
    (corpus / "title.md").write_text("---\ntitle: \"Red \\e[31mtitle\\e[0m\\nforged line\"\nsource: \"Feed \\e]0;pwned\\a\"\n"
                                     "---\nThe quay \x1b[2Jopened on Monday,\nthe harbour master said.\n")
    code, out, err = run(capsys, "ingest")
    assert code == 0 and "\x1b" not in err and "evil\\x1b[31m\\nname.docx" in err
    code, out, _ = run(capsys, "sources")
    assert "\x1b" not in out and "\x07" not in out and "Red title forged line" in out
    code, out, _ = run(capsys, "search", "quay opened Monday")
    assert "\x1b" not in out and "The quay opened on Monday, the harbour master said." in out


def test_settings_never_show_the_token():
    settings = Settings.from_env({"DISCORD_TOKEN": "MTIz.secret-token"}, dotenv=None)
    assert settings.token == "MTIz.secret-token"
    assert "secret-token" not in repr(settings) and "secret-token" not in str(settings)


def test_a_closed_pipe_ends_quietly(env, tmp_path):
    corpus = env.corpus_dir
    for i in range(400):
        (corpus / f"doc{i:03}.txt").write_text(f"Story {i}: " + "the harbour quay opened on Monday. " * 5)
    ingest(env, [corpus])
    reader = subprocess.Popen([sys.executable, "-m", "newsdesk", "sources", "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env={**os.environ})
    assert reader.stdout.read(10)  # like `| head -c 10`
    reader.stdout.close()
    err = reader.stderr.read().decode()
    reader.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err


@pytest.mark.parametrize("argv", [["report"], ["report", "--forget", "5"], ["report", "--purge"]])
def test_a_damaged_votes_file_is_named_in_one_line(tmp_path, capsys, monkeypatch, argv):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    (tmp_path / "votes.sqlite").write_bytes(b"half a copy from a full disk " * 200)

    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"newsdesk: {tmp_path / 'votes.sqlite'} is not a readable SQLite database")
