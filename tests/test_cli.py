"""The `newsdesk` command as people type it: real entry point, one-line errors, JSON and batch output."""

import argparse
import json
import os
import subprocess
import sys

import pytest

from newsdesk.cli import build_parser, main


@pytest.fixture
def env(settings, monkeypatch):
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("INDEX_DIR", str(settings.index_dir))
    monkeypatch.chdir(settings.data_dir.parent)
    return settings


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_json_report_then_ask_json(env, sample_corpus, capsys):
    code, out, _ = run(capsys, "ingest", str(sample_corpus), "--json")
    report = json.loads(out)
    assert code == 0 and report["added"] == 1 and report["chunks_embedded"] > 0 and report["skipped"] == []

    code, out, _ = run(capsys, "ask", "which ships left Tartus?", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["answered"] is True
    quote = answer["quotes"][0]
    assert set(quote) == {"text", "doc_id", "title", "date", "source", "url", "attribution", "score", "marks"}
    assert "Engineer Trubin" in quote["text"] and quote["date"] == "2024-12-09"


def test_ask_json_gives_the_answers_words_as_offsets_into_the_quote(env, sample_corpus, capsys):
    run(capsys, "ingest", str(sample_corpus))
    _, out, _ = run(capsys, "ask", "which ships left Tartus?", "--json")
    quote = json.loads(out)["quotes"][0]
    assert [quote["text"][a:b] for a, b in quote["marks"]] == ["Admiral Hryhorovych", "Engineer Trubin"]

    _, out, _ = run(capsys, "ask", "which ships left Tartus?")  # piped: plain markers around the same words
    assert '"**Admiral Hryhorovych**"' in out and '"**Engineer Trubin**"' in out and "\x1b" not in out


def test_plain_ask_prints_the_quote_and_its_attribution(env, sample_corpus, capsys):
    run(capsys, "ingest", str(sample_corpus))
    code, out, _ = run(capsys, "ask", "which", "ships", "left", "Tartus?")
    assert code == 0 and "Admiral Hryhorovych" in out and "Ukrainian intelligence (GUR)" in out


def test_a_quote_from_outside_the_week_asked_about_is_printed_under_a_line_saying_so(env, sample_corpus, capsys):
    run(capsys, "ingest", str(sample_corpus))
    code, out, _ = run(capsys, "ask", "Which ships left Tartus last week?", "--as-of", "2026-12-07")
    assert code == 0 and "\n(nothing dated 2026-11-23 – 2026-12-07, the dates asked about, answers this" in out
    assert "Admiral Hryhorovych" in out and "2024-12-09" in out


def test_filters_narrow_what_is_quoted(env, sample_corpus, capsys):
    run(capsys, "ingest", str(sample_corpus))
    _, out, _ = run(capsys, "ask", "which ships left Tartus?", "--until", "2024-12-01", "--json")
    assert json.loads(out)["answered"] is False and json.loads(out)["quotes"] == []
    code, _, err = run(capsys, "ask", "which ships left Tartus?", "--source", "Nowhere Times", "--json")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "No source named 'Nowhere Times'; known:" in err
    _, out, _ = run(capsys, "ask", "which ships left Tartus?", "--as-of", "2024-12-08", "--json")
    assert json.loads(out)["answered"] is False


def test_batch_questions_from_stdin_give_one_json_line_each(env, sample_corpus, capsys, monkeypatch):
    run(capsys, "ingest", str(sample_corpus))
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(
        "which ships left Tartus?\n"
        '{"question": "which ships left Tartus?", "until": "2024-01-01"}\n'
        "   \n"
        '{"question": ""}\n'
    ))
    code, out, _ = run(capsys, "ask", "--json", "-")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [a["answered"] for a in lines] == [True, False, False]
    assert "empty" in lines[2]["error"]


def test_a_batch_from_stdin_answers_each_line_as_it_is_answered_alone(env, sample_corpus, capsys, monkeypatch):
    run(capsys, "ingest", str(sample_corpus))
    import io

    questions = ["which ships left Tartus?", "Who asked Turkey for help?", "which ships left Tartus?",
                 '{"question": "What is Russia moving from Khmeimim?", "k": 1}', '{"source": 3}',
                 "How long should I rest a steak?"] * 4  # 24 lines: two batches of ANSWER_BATCH=16
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(questions) + "\n"))
    code, out, _ = run(capsys, "ask", "--json", "-")
    together = out.splitlines()
    alone = []
    for question in questions:
        monkeypatch.setattr(sys, "stdin", io.StringIO(question + "\n"))
        alone += run(capsys, "ask", "--json", "-")[1].splitlines()

    assert code == 0 and len(together) == 24 and together == alone
    assert "source must be text" in json.loads(together[4])["error"]


def test_search_and_sources(env, sample_corpus, capsys):
    run(capsys, "ingest", str(sample_corpus))
    code, out, _ = run(capsys, "search", "Khmeimim air base", "--json")
    hits = json.loads(out)
    assert code == 0 and "Khmeimim" in hits[0]["text"]
    code, out, _ = run(capsys, "sources", "--json")
    summary = json.loads(out)
    assert summary["documents"] == 1 and summary["first_date"] == "2024-12-09"


@pytest.mark.parametrize("argv, message", [
    (["ask", "   "], "question is empty"),
    (["ask", "x" * 5000], "5,000 characters"),
    (["ask", "which ships left Tartus?"], "No index at"),
    (["sources"], "No index at"),
])
def test_bad_input_gets_one_line_and_a_nonzero_exit(env, capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_long_question_is_answered_from_its_question(env, sample_corpus, capsys):
    run(capsys, "ingest", str(sample_corpus))
    rambling = "Some context about my day. " * 180 + "Anyway, which ships left Tartus?"
    code, out, _ = run(capsys, "ask", rambling, "--json")
    answer = json.loads(out)
    assert code == 0 and answer["question"] == "Anyway, which ships left Tartus?" and answer["answered"]


def test_bad_date_option_is_a_usage_error(env, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["ask", "x?", "--since", "last tuesday"])
    assert exc.value.code == 2 and "unparseable date" in capsys.readouterr().err


def test_help_answers_without_loading_the_model():
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "newsdesk", "--help"],
                         capture_output=True, text=True, timeout=60, env={**os.environ})
    assert out.returncode == 0 and "ingest" in out.stdout
    assert "sentence_transformers" not in out.stderr and "torch" not in out.stderr


def test_every_command_and_each_of_its_arguments_says_what_it_is_in_help(capsys):
    """`newsdesk --help` names every command, and each command's --help says what each argument is for."""
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    listed = parser.description
    assert [name for name in commands if name not in listed] == []

    def unexplained(p, path):
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    yield from unexplained(child, f"{path} {name}")
            elif not action.help:
                yield f"{path} {'/'.join(action.option_strings) or action.dest}"

    assert list(unexplained(parser, "newsdesk")) == []


def test_python_m_newsdesk_ignores_a_folder_named_like_its_packages(tmp_path):
    (tmp_path / "index" / "versions").mkdir(parents=True)  # e.g. INDEX_DIR=index in the working folder
    out = subprocess.run([sys.executable, "-m", "newsdesk", "sources", "--index", str(tmp_path / "index")],
                         capture_output=True, text=True, timeout=60, cwd=tmp_path,
                         env={**os.environ, "DATA_DIR": str(tmp_path / "data")})
    assert "Traceback" not in out.stderr and "no index" in (out.stdout + out.stderr).lower(), out.stderr


def test_report_shows_what_discord_asked_as_text_and_json(env, capsys, monkeypatch):
    from bot.questionlog import Asked, QuestionLog
    from bot.votes import VoteStore
    from index.types import Answer

    monkeypatch.setenv("DATA_DIR", str(env.data_dir))
    code, out, _ = run(capsys, "report")
    assert code == 0 and "none." in out  # nothing logged yet

    log, votes = QuestionLog(env.votes_db), VoteStore(env.votes_db)
    log.create()
    here = Asked("ask", guild_id=1, channel_id=2, user_id=3)
    answer_id = votes.record_answer("Which ships left Tartus?", [4])
    log.log(here, Answer("Which ships left Tartus?", decision="answer", confidence=0.9), answer_id=answer_id)
    log.log(here, Answer("Who won the 2018 World Cup?", decision="not_found"))
    votes.vote(answer_id, user_id=5, vote=-1)

    code, out, _ = run(capsys, "report", "--days", "3")
    assert code == 0
    assert "2 asked: answered 50%, unsure 0%, not found 50%" in out
    assert "1×  Who won the 2018 World Cup?  (not_found" in out and "👎 1 👍 0  Which ships left Tartus?" in out

    code, out, _ = run(capsys, "report", "--json")
    report = json.loads(out)
    assert (report["asked"], report["answered_rate"], report["not_found_rate"]) == (2, 0.5, 0.5)
    assert report["gaps"][0]["question"] == "Who won the 2018 World Cup?"
    assert report["disliked"][0]["question"] == "Which ships left Tartus?"

    code, _, err = run(capsys, "report", "--days", "0")
    assert code == 2 and err.strip() == "newsdesk: --days must be 1 or more"
    code, _, err = run(capsys, "report", "--days", "99999999")  # was a traceback: a date before year 1
    assert code == 2 and err.strip() == "newsdesk: --days must be at most 3,650, not 99,999,999"
    code, _, _ = run(capsys, "report", "--days", "3650")
    assert code == 0


def test_search_sources_and_digest_read_as_text(env, capsys):
    import shutil
    from pathlib import Path

    corpus = env.corpus_dir
    for f in (Path(__file__).parent / "data" / "botcorpus").iterdir():
        shutil.copy(f, corpus / f.name)
    run(capsys, "ingest", str(corpus))

    code, out, _ = run(capsys, "search", "northern pier", "--k", "2")
    first = out.splitlines()[:2]
    assert code == 0 and first[0] == " 1. Tue 10 Dec 2024 · Port Authority Bulletin · Harbour notice for the *northern* pier"
    assert "https://example.org/harbour-notice" in out and "0." not in first[0][3:]  # a URL, no score
    assert "withdrew warships from the …" in out  # a long passage is cut between words

    code, out, _ = run(capsys, "sources", "--limit", "2")
    assert code == 0 and out.splitlines()[-1] == "  … and 3 more (--limit 0 lists them all)"

    code, out, _ = run(capsys, "digest", "--days", "30", "--as-of", "2024-12-20", "--limit", "1")
    assert code == 0 and out.startswith("Digest of documents dated Wed 20 Nov 2024 – Fri 20 Dec 2024: 5 stories")
    assert "Tue 10 Dec 2024 · Port Authority Bulletin" in out and out.rstrip().endswith("… and 4 more stories (--limit 0 shows all)")


@pytest.mark.parametrize("argv", [["ingest"], ["feeds", "poll"]])
def test_a_replica_refuses_to_write_the_index(env, sample_corpus, capsys, monkeypatch, argv):
    monkeypatch.setenv("ROLE", "replica")
    code, out, err = run(capsys, *argv)
    assert code == 2 and "ROLE=replica" in err and len(err.strip().splitlines()) == 1
    assert not env.index_dir.exists() or not any(env.index_dir.iterdir()), "nothing was written"


def test_one_document_and_one_day_read_as_one(env, capsys):
    (env.corpus_dir / "pier.md").write_text("---\ntitle: Pier closes\ndate: 2024-12-10\nsource: Port Bulletin\n---\n"
                                            "The northern pier will close on Friday, the port authority said.\n")
    run(capsys, "ingest", str(env.corpus_dir))

    code, out, _ = run(capsys, "check")
    assert code == 0 and ": 1 document, 1 passage (model hash)" in out
    code, out, _ = run(capsys, "sources")
    assert code == 0 and out.startswith("1 document, 1 passage, Tue 10 Dec 2024 (model hash)\n")
    code, out, _ = run(capsys, "digest", "--days", "0", "--as-of", "2024-12-09")
    assert code == 0 and out == "Nothing new: no document was dated Mon 9 Dec 2024.\n"


def test_ask_reads_a_misspelled_name_as_the_corpus_writes_it_and_says_so(env, sample_corpus, capsys):
    assert main(["ingest", str(sample_corpus)]) == 0
    capsys.readouterr()

    code, out, _ = run(capsys, "ask", "Which ships left Tatrus?")
    assert code == 0 and out.startswith("(read “Tatrus” as “Tartus”)\n")
    code, out, _ = run(capsys, "ask", "Which ships left Tatrus?", "--json")
    answer = json.loads(out)
    assert (answer["question"], answer["asked"]) == ("Which ships left Tartus?", "Which ships left Tatrus?")
    assert answer["respelled"] == [{"typed": "Tatrus", "read": "Tartus"}]
