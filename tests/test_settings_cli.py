"""Settings as an operator meets them: a bad value stops the real CLI with one line naming the variable."""

from __future__ import annotations

import dataclasses
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from index.ingest.build import ingest
from newsdesk.settings import Settings
from newsdesk.cli import main
from newsdesk.cli.progress import Bars
from tests.conftest import SAMPLE


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A fresh folder to run newsdesk from, with no newsdesk variable inherited from the environment."""
    for var in Settings.variables():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("variable, value, says", [
    ("FEED_POLL_MINUTES", "15m", "FEED_POLL_MINUTES='15m': not a number"),
    ("EMBEDDING_BATCH_SIZE", "lots", "EMBEDDING_BATCH_SIZE='lots': not a whole number"),
    ("QA_CHANNEL_IDS", "123,#general", "QA_CHANNEL_IDS='123,#general': '#general' is not an id"),
    ("VECTOR_BACKEND", "qdrant", "VECTOR_BACKEND='qdrant': should be 'faiss' or 'milvus'"),
    ("QA_CHANNEL_IDS", "#general", "QA_CHANNEL_IDS='#general': not a list of ids"),
    ("DATA_DIR", "{file}/data", "DATA_DIR='{file}/data' cannot be made: {file} is a file, not a folder"),
])
def test_a_bad_setting_is_one_line_naming_the_variable_and_value(here, capsys, monkeypatch, variable, value, says):
    (here / "notes.txt").write_text("a file where a folder was meant to go")
    file = str(here / "notes.txt")
    (here / ".env").write_text(f"{variable}={value.format(file=file)}\n")

    code, out, err = run(capsys, "sources")

    lines = err.splitlines()
    assert code == 2 and out == "" and len(lines) == 1, err
    assert lines[0].startswith(f"newsdesk: {says.format(file=file)}"), lines[0]


def test_the_environment_wins_over_dotenv_and_env_file_replaces_it(here, capsys, monkeypatch, settings, sample_corpus):
    ingest(settings, [sample_corpus])
    (here / ".env").write_text("VECTOR_BACKEND=qdrant\n")  # ignored below: --env-file names another file
    (here / "prod.env").write_text(f"INDEX_DIR={settings.index_dir}\nEMBEDDING_MODEL=nonsense\n")
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")

    code, out, _ = run(capsys, "--env-file", "prod.env", "sources")
    assert code == 0 and "1 document," in out

    code, _, err = run(capsys, "sources", "--env-file", "missing.env")
    assert code == 2 and err == "newsdesk: --env-file missing.env: no such file\n"


def test_paths_follow_data_dir_unless_set(here):
    s = Settings.from_env({"DATA_DIR": str(here / "srv")})
    assert (s.index_dir, s.milvus_uri) == (here / "srv" / "index", str(here / "srv" / "milvus.db"))
    assert Settings.from_env({"DATA_DIR": "d", "INDEX_DIR": "/elsewhere/ix"}).index_dir.as_posix() == "/elsewhere/ix"


def test_the_token_never_prints(here, capsys, monkeypatch):
    s = Settings.from_env({"DISCORD_TOKEN": "MTIz.sekrit-token"})
    assert "sekrit" not in repr(s) and "sekrit" not in str(s) and s.token == "MTIz.sekrit-token"
    assert "sekrit" not in repr(dataclasses.replace(s, answer_k=5))
    assert dict(s.effective())["DISCORD_TOKEN"] == "set (hidden)"


def test_version_and_help_with_examples(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.startswith("newsdesk ")
    for command in ("ingest", "ask", "search", "sources", "digest", "doctor", "run"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "examples:\n  newsdesk " in out, command


def test_ingest_shows_its_stages(settings, sample_corpus, capsys):
    ingest(settings, [sample_corpus], progress=Bars())  # what `newsdesk ingest` draws on a terminal
    err = capsys.readouterr().err
    assert "parse: 100%" in err and "1/1" in err
    assert "embed: 100%" in err and "chunks/s" in err
    assert "write: 1 documents" in err


def test_an_unknown_choice_is_refused_before_any_work(settings):
    with pytest.raises(Exception, match="vector_backend"):
        dataclasses.replace(settings, vector_backend="qdrant")



def test_feeds_poll_exits_nonzero_when_every_feed_failed(here, capsys, monkeypatch):
    monkeypatch.setenv("FEED_TIMEOUT_SECONDS", "2")
    run(capsys, "feeds", "add", "http://127.0.0.1:9/rss.xml")  # nothing listens on port 9

    code, out, err = run(capsys, "feeds", "poll")

    assert code == 1 and out == "0 feeds fetched, 0 new items written, 1 failed\n"
    assert "Feed http://127.0.0.1:9/rss.xml failed" in err


NOBODY = 65534


@pytest.fixture
def shared(monkeypatch):
    """A folder any user may read and run newsdesk from (pytest's temp folders are their owner's alone), with no
    newsdesk variable inherited; removed afterwards."""
    for var in Settings.variables():
        monkeypatch.delenv(var, raising=False)
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-shared-"))
    folder.chmod(0o755)
    monkeypatch.chdir(folder)
    yield folder
    for path in (folder, *folder.rglob("*")):
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    shutil.rmtree(folder)


@contextmanager
def read_only(folder: Path):
    """`folder` read-only for the code in the block, as a read-only mount or another owner makes it: its modes
    lose their write bits, and as root, whom modes do not bind, the block runs as the user nobody (the effective
    user id, which file access is checked against; the real one stays root, which is why newsdesk asks by
    writing rather than with `os.access`)."""
    for path in (folder, *folder.rglob("*")):
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    as_root = os.geteuid() == 0
    if as_root:
        os.setegid(NOBODY)
        os.seteuid(NOBODY)
    try:
        yield
    finally:
        if as_root:
            os.seteuid(0)
            os.setegid(0)


@pytest.mark.timeout(120)
def test_a_read_only_data_dir_refuses_writes_in_one_line_and_still_answers(shared, capsys, monkeypatch):
    corpus = shared / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE, corpus / SAMPLE.name)
    data = shared / "data"
    for key, value in (("EMBEDDING_MODEL", "hash"), ("DATA_DIR", data), ("CORPUS_DIR", corpus)):
        monkeypatch.setenv(key, str(value))
    assert run(capsys, "ingest")[0] == 0 and run(capsys, "feeds", "list")[0] == 0  # the index and the feeds file

    with read_only(data):
        for argv, variable in ((["ingest"], "INDEX_DIR"), (["feeds", "add", "https://example.org/rss.xml"], "DATA_DIR"),
                               (["feeds", "poll"], "DATA_DIR")):
            code, out, err = run(capsys, *argv)
            folder = data / "index" if variable == "INDEX_DIR" else data
            assert code == 2 and len(err.splitlines()) == 1, (argv, err)
            assert err.startswith(f"newsdesk: {variable}='{folder}' is not writable: "), err
        for argv in (["ask", "which ships left Tartus?"], ["search", "Tartus"], ["check"], ["sources"],
                     ["feeds", "list"], ["digest", "--days", "7"]):
            code, out, err = run(capsys, *argv)
            assert code == 0 and out and "Traceback" not in err, (argv, err)
