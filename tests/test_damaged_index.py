"""A damaged index version: one line on every ask, `newsdesk check` names the damage, `newsdesk ingest` repairs it."""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import pytest

from index.engine import Engine
from index.errors import IndexDamaged
from index.ingest.build import ingest
from index.store.versions import current_version
from newsdesk.cli import main

QUESTION = "which ships left Tartus?"


def truncate(path):
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 3)])


def garbage(path):
    path.write_bytes(os.urandom(max(64, path.stat().st_size // 2)))


def bm25_file(version):
    return max((p for p in (version / "bm25").iterdir() if p.suffix == ".npy" and "chunk_ids" not in p.name),
               key=lambda p: p.stat().st_size)


DAMAGES = {
    "store-truncated": (lambda v: truncate(v / "store.sqlite"), "store.sqlite"),
    "store-garbage": (lambda v: garbage(v / "store.sqlite"), "store.sqlite"),
    "vectors-truncated": (lambda v: truncate(v / "vectors.faiss"), "vectors"),
    "vectors-garbage": (lambda v: garbage(v / "vectors.faiss"), "vectors"),
    "manifest-garbage": (lambda v: (v / "manifest.json").write_text("{not json"), "manifest.json"),
    "manifest-counts": (lambda v: (v / "manifest.json").write_text(json.dumps({"model": "hash", "dimension": 256,
                                                                                "documents": 5, "chunks": 99})),
                        "store.sqlite"),
    "bm25-ids-truncated": (lambda v: truncate(v / "bm25" / "chunk_ids.npy"), "bm25"),
    "bm25-garbage": (lambda v: garbage(bm25_file(v)), "bm25"),
    "bm25-gone": (lambda v: [p.unlink() for p in (v / "bm25").iterdir()], "bm25"),
    "chunks-documents-truncated": (lambda v: truncate(v / "chunks" / "documents.json"), "chunks"),
    "chunks-days-garbage": (lambda v: garbage(v / "chunks" / "days.npy"), "chunks"),
    "chunks-doc-short": (lambda v: np.save(v / "chunks" / "doc.npy", np.load(v / "chunks" / "doc.npy")[:2]), "chunks"),
    "chunks-sources-gone": (lambda v: (v / "chunks" / "sources.json").write_text("{}"), "chunks"),
}


@pytest.fixture
def env(settings, sample_corpus, monkeypatch):
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("CORPUS_DIR", str(sample_corpus))
    ingest(settings, [sample_corpus])
    return settings


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_version_is_one_line_then_named_by_check_then_rebuilt_by_ingest(env, capsys, damage):
    spoil, part = DAMAGES[damage]
    assert run(capsys, "check")[0] == 0
    spoil(current_version(env.index_dir))

    code, out, err = run(capsys, "ask", QUESTION)
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "is damaged" in err and "run `newsdesk ingest` to rebuild it" in err

    code, _, err = run(capsys, "check")
    assert code == 1 and f": {part}" in err.splitlines()[0] and "Traceback" not in err

    code, out, _ = run(capsys, "ingest", "--json")
    report = json.loads(out)
    assert code == 0 and report["repaired"].startswith("version ") and report["added"] == 1
    assert run(capsys, "check")[0] == 0
    code, out, _ = run(capsys, "ask", QUESTION, "--json")
    assert code == 0 and json.loads(out)["answered"]


def test_a_running_engine_keeps_answering_when_a_newer_version_is_damaged(env, caplog):
    engine = Engine.open(env)
    (env.corpus_dir / "extra.txt").write_text("The ferry timetable changes on Sunday, the operator said.")
    ingest(env, [env.corpus_dir])
    garbage(current_version(env.index_dir) / "store.sqlite")
    assert engine.reload() is False
    assert engine.ask(QUESTION).answered
    assert any("is damaged" in r.getMessage() for r in caplog.records)
    with pytest.raises(IndexDamaged):
        Engine.open(env)


def test_ingest_into_a_file_is_one_line(env, capsys, tmp_path):
    (tmp_path / "afile").write_text("x")
    code, _, err = run(capsys, "ingest", "--index", str(tmp_path / "afile"))
    assert code == 2 and "is a file, not an index folder" in err and len(err.strip().splitlines()) == 1


def test_document_ids_read_on_first_use_are_named_damaged_in_one_line_and_by_check(env, capsys):
    """The chunk table reads its document ids only when a filter needs them (a follow-up prefers the documents
    answered before): ids that cannot be read are one line there too, and `newsdesk check` reads them."""
    (current_version(env.index_dir) / "chunks" / "documents.json").write_text('["000_2b7db0b492e10144.txt", oops]')
    code, out, err = run(capsys, "ask", QUESTION)
    assert code == 0 and "Engineer Trubin" in out  # a plain ask reads no document id
    code, out, err = run(capsys, "ask", "when did they leave?", "--after", QUESTION)
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "is damaged (chunks/documents.json: JSONDecodeError" in err and "run `newsdesk ingest`" in err

    code, _, err = run(capsys, "check")
    assert code == 1 and ": chunks: documents.json: JSONDecodeError" in err.splitlines()[0]
    code, out, _ = run(capsys, "ingest", "--json")
    assert code == 0 and json.loads(out)["added"] == 1
    assert run(capsys, "check")[0] == 0 and run(capsys, "ask", "when did they leave?", "--after", QUESTION)[0] == 0


def test_a_bug_in_a_reader_is_a_traceback_not_damage(env, monkeypatch):
    """Only the errors that mean damage (a file gone, cut short, not what it should hold) name a version damaged:
    a bug in a reader propagates, and ingest does not take it for damage and rebuild (re-embed) everything."""
    from index.store.check import check_version
    from index.store.lexical import LexicalIndex

    version = current_version(env.index_dir)
    assert check_version(env, version).ok

    def buggy(cls, folder):
        raise TypeError("a bug in LexicalIndex.load")

    monkeypatch.setattr(LexicalIndex, "load", classmethod(buggy))
    with pytest.raises(TypeError, match="a bug in LexicalIndex.load"):
        check_version(env, version)
    with pytest.raises(TypeError, match="a bug in LexicalIndex.load"):
        ingest(env, [env.corpus_dir])
    assert current_version(env.index_dir) == version  # not rebuilt
    monkeypatch.undo()
    assert check_version(env, version).ok


def test_an_unreadable_served_manifest_is_logged_and_a_bug_propagates(env, caplog, monkeypatch):
    """Which encoder to load is read from the served version's manifest: one that cannot be read (damaged here;
    Milvus unreachable or refusing lands in the same place) is logged and the encoder for this CPU loaded, while
    opening the version says what is wrong; a bug is not swallowed."""
    import logging

    from index import engine as engine_module
    from index.engine import serving_manifest

    (current_version(env.index_dir) / "manifest.json").write_text("{not json")
    with caplog.at_level(logging.DEBUG, logger="index.engine"):
        assert serving_manifest(env) is None
    assert any("Cannot read the served version's manifest (Expecting property name" in r.getMessage()
               for r in caplog.records)

    def buggy(version):
        raise AttributeError("'PosixPath' object has no attribute 'read_json'")

    monkeypatch.setattr(engine_module, "read_manifest", buggy)
    with pytest.raises(AttributeError):
        serving_manifest(env)
