"""Hostile corpus folders: each bad file is skipped with its reason, the good ones are kept, nothing outside gets in."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from dataclasses import replace

import pytest

from index.engine import Engine
from index.ingest.build import ingest
from newsdesk.cli import main
from tests.conftest import SAMPLE

pytestmark = pytest.mark.timeout(120)
GOOD = "The harbour master said on Tuesday that the new pier for ferries would open in March next year."
SECRET = "Outside secret text: the root password is swordfish, the administrator said."
ALIAS_BOMB = "\n".join(["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] +
                       [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
                        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]
                       + ["title: Boom", "---", "Body text of the bomb."])


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def skipped(report) -> dict[str, str]:
    return {os.path.basename(s.path): s.reason for s in report.skipped}


def test_deeply_nested_json_skips_that_file_or_line_only(settings):
    corpus = settings.corpus_dir
    write(corpus / "good.txt", GOOD)
    write(corpus / "deep.json", "[" * 100_000 + "]" * 100_000)
    lines = [{"id": "a", "body": "First good line about the quay opening on Monday."},
             {"id": "b", "body": "x", "meta": json.loads("[" * 40 + "]" * 40)}]
    (corpus / "mixed.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n" + "[" * 50_000 + "]" * 50_000
                                        + "\n" + json.dumps({"id": "c", "body": "Last good line on the ferry."}) + "\n")
    report = ingest(settings, [corpus])
    assert report.added == 3  # good.txt, mixed.jsonl lines a and c
    reasons = skipped(report)
    assert reasons["deep.json"] == "JSON nested deeper than MAX_JSON_DEPTH=32"
    assert reasons["mixed.jsonl:2"] == reasons["mixed.jsonl:3"] == "JSON nested deeper than MAX_JSON_DEPTH=32"


def test_a_yaml_alias_bomb_in_front_matter_is_refused_at_once(settings):
    write(settings.corpus_dir / "bomb.md", ALIAS_BOMB)
    write(settings.corpus_dir / "good.md", f"---\ntitle: Pier\ndate: 2024-12-10\n---\n{GOOD}")
    assert len(ALIAS_BOMB) < 600  # 9^9 strings once expanded
    report = ingest(settings, [settings.corpus_dir])
    assert report.added == 1
    assert skipped(report)["bomb.md"] == "front matter uses a YAML alias (*name); write the value out"


def test_a_gzip_bomb_and_oversized_files_and_documents_are_skipped(settings):
    settings = replace(settings, max_file_mb=1, max_document_mb=0.1, max_chunks_per_document=20)
    corpus = settings.corpus_dir
    with gzip.open(corpus / "bomb.jsonl.gz", "wb") as fh:
        fh.write(b"\n" * (8 * 1024 * 1024))  # 8 MB of nothing, a few KB compressed
    assert (corpus / "bomb.jsonl.gz").stat().st_size < 20_000
    write(corpus / "huge.txt", (GOOD + "\n\n") * 2000)  # 190 KB > 0.1 MB
    write(corpus / "long.txt", "\n\n".join(f"Paragraph {i}: " + "word " * 118 for i in range(40)))  # 40 passages
    (corpus / "long.jsonl").write_text(json.dumps({"body": "word " * 30_000}) + "\n"
                                       + json.dumps({"body": GOOD}) + "\n")
    write(corpus / "good.txt", GOOD)
    report = ingest(settings, [corpus])
    reasons = skipped(report)
    assert reasons["bomb.jsonl.gz"] == "decompresses to more than MAX_FILE_MB=1 MB"
    assert reasons["huge.txt"] == "0.2 MB, larger than MAX_DOCUMENT_MB=0.1 MB"
    assert reasons["long.txt"] == "40 passages, more than MAX_CHUNKS_PER_DOCUMENT=20"
    assert reasons["long.jsonl:1"] == "line longer than MAX_DOCUMENT_MB=0.1 MB"
    assert report.added == 2  # good.txt and the second line of long.jsonl


def test_symlinks_stay_inside_the_corpus_and_bad_ones_are_reported(settings, tmp_path):
    corpus = settings.corpus_dir
    outside = write(tmp_path / "outside" / "secret.txt", SECRET)
    write(corpus / "good.txt", GOOD)
    (corpus / "secret.txt").symlink_to(outside)
    (corpus / "outside-folder").symlink_to(outside.parent, target_is_directory=True)
    (corpus / "loop-a.txt").symlink_to(corpus / "loop-b.txt")
    (corpus / "loop-b.txt").symlink_to(corpus / "loop-a.txt")
    (corpus / "dangling.txt").symlink_to(corpus / "nowhere.txt")
    (corpus / "alias.txt").symlink_to(corpus / "good.txt")  # inside the corpus: fine
    report = ingest(settings, [corpus])
    assert skipped(report) == {"secret.txt": "symlink to a file outside the corpus folder",
                               "outside-folder": "symlinked folder not followed",
                               "loop-a.txt": "symlink loop", "loop-b.txt": "symlink loop",
                               "dangling.txt": "dangling symlink"}
    engine = Engine.open(settings)
    assert sorted(t[0] for t in engine.summary().titles) == ["alias.txt", "good.txt"]
    assert all("swordfish" not in h.text for h in engine.search("root password swordfish", k=10))

    (corpus / "alias.txt").unlink()  # the link goes: so does its document
    assert ingest(settings, [corpus]).removed == 1


@pytest.mark.timeout(30)
def test_a_named_pipe_or_device_is_reported_and_never_read(settings, tmp_path, capsys, monkeypatch):
    """Opening a pipe nobody writes to blocks for ever; /dev/zero never ends. Neither is read."""
    corpus = settings.corpus_dir
    write(corpus / "good.txt", GOOD)
    os.mkfifo(corpus / "pipe.txt")
    report = ingest(settings, [corpus])
    assert skipped(report) == {"pipe.txt": "not a file or folder (a named pipe): not read"}
    assert report.documents == 1

    os.mkfifo(tmp_path / "feed.jsonl")
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("INDEX_DIR", str(settings.index_dir))
    for path, kind in ((tmp_path / "feed.jsonl", "a named pipe"), ("/dev/zero", "a device")):
        assert main(["ingest", str(path)]) == 2
        assert capsys.readouterr().err == f"newsdesk: {path}: not a file or folder ({kind}): not read\n"


def test_an_unreadable_folder_is_reported_and_its_documents_are_kept(settings, monkeypatch):
    corpus = settings.corpus_dir
    write(corpus / "desk" / "pier.txt", GOOD)
    write(corpus / "top.txt", "The ferry timetable changes on Sunday, the operator said.")
    assert ingest(settings, [corpus]).added == 2

    real = os.scandir

    def scandir(path="."):  # as for a folder whose permissions changed (tests may run as root)
        if not isinstance(path, int) and os.path.basename(os.fspath(path)) == "desk":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = ingest(settings, [corpus])
    assert report.removed == 0 and report.documents == 2
    [problem] = report.skipped
    assert problem.path.endswith("desk") and problem.reason.startswith("folder not readable (Permission denied)")


def test_a_document_id_used_by_another_file_is_reported_not_replaced(settings):
    corpus = settings.corpus_dir
    write(corpus / "a.md", f"---\nid: story-1\ntitle: Pier\n---\n{GOOD}")
    ingest(settings, [corpus])
    write(corpus / "b.json", json.dumps({"id": "story-1", "body": "An imposter text that takes the id over."}))
    report = ingest(settings, [corpus / "b.json"])  # even when the other file is not part of this ingest
    assert report.added == report.updated == 0
    assert skipped(report) == {"b.json": f"document id 'story-1' already used by {(corpus / 'a.md').resolve()}"}
    assert Engine.open(settings).version.store.document("story-1").title == "Pier"


def test_a_folder_of_every_bad_input_ingests_the_good_files_and_names_each_bad_one(settings, tmp_path, monkeypatch,
                                                                                   capsys):
    """Done means: the ingest finishes, names every bad file with its reason, answers from the good ones, and
    nothing from outside the corpus folder gets in."""
    corpus = settings.corpus_dir
    shutil.copy(SAMPLE, corpus / SAMPLE.name)
    write(corpus / "good.md", f"---\ntitle: Pier\ndate: 2024-12-10\n---\n{GOOD}")
    write(corpus / "deep.json", "{\"a\":" * 50_000 + "1" + "}" * 50_000)
    write(corpus / "bomb.md", ALIAS_BOMB)
    with gzip.open(corpus / "zip.jsonl.gz", "wb") as fh:
        fh.write(b" " * (3 * 1024 * 1024))
    write(corpus / "huge.txt", "word " * 300_000)
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (corpus / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (corpus / "notepad.txt").write_bytes(GOOD.encode("utf-16"))  # Windows' "Unicode" text
    write(corpus / "bignumber.json", '{"body": "Text", "views": ' + "9" * 5000 + "}")  # past Python's int digits
    write(corpus / "bad.jsonl", json.dumps({"body": GOOD.replace("pier", "quay"), "date": "2024-12-11"}) + "\n{oops\n"
          + json.dumps({"body": "Text", "date": "not a date"}) + "\n")
    write(corpus / "front.md", "---\ntitle: [unclosed\n---\nBody.")
    write(corpus / "empty.txt", "")
    write(corpus / "notes.odt", "not a supported type")
    (corpus / "outside.txt").symlink_to(write(tmp_path / "elsewhere" / "secret.txt", SECRET))
    (corpus / "dangling.txt").symlink_to(corpus / "gone.txt")
    for key, value in (("EMBEDDING_MODEL", "hash"), ("INDEX_DIR", settings.index_dir), ("MAX_FILE_MB", "2"),
                       ("MAX_DOCUMENT_MB", "1")):
        monkeypatch.setenv(key, str(value))

    assert main(["ingest", str(corpus), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    reasons = {os.path.basename(s["path"]): s["reason"] for s in report["skipped"]}
    assert reasons == {
        "deep.json": "JSON nested deeper than MAX_JSON_DEPTH=32",
        "bomb.md": "front matter uses a YAML alias (*name); write the value out",
        "zip.jsonl.gz": "decompresses to more than MAX_FILE_MB=2 MB",
        "huge.txt": "1.4 MB, larger than MAX_DOCUMENT_MB=1 MB",
        "binary.txt": "binary file (contains NUL bytes)",
        "latin1.txt": "not UTF-8 text (byte 3)",
        "notepad.txt": "UTF-16 text, not UTF-8: save it as UTF-8",
        "bignumber.json": "invalid JSON: a number with more digits than Python reads (4,300)",
        "bad.jsonl:2": "invalid JSON: Expecting property name enclosed in double quotes",
        "bad.jsonl:3": "unparseable date 'not a date' (expected YYYY-MM-DD)",
        "front.md": reasons["front.md"],
        "empty.txt": "empty file",
        "notes.odt": "unsupported file type .odt",
        "outside.txt": "symlink to a file outside the corpus folder",
        "dangling.txt": "dangling symlink",
    }
    assert reasons["front.md"].startswith("bad front matter:")
    assert report["added"] == 3 and report["documents"] == 3  # the sample, good.md, bad.jsonl line 1

    assert main(["ask", "which ships left Tartus?", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["answered"] and "Admiral Hryhorovych" in " ".join(q["text"] for q in answer["quotes"])
    assert main(["search", "root password swordfish administrator", "--json"]) == 0
    assert "swordfish" not in capsys.readouterr().out
    assert main(["sources", "--json"]) == 0
    assert sorted(t[0] for t in json.loads(capsys.readouterr().out)["titles"]) == [
        SAMPLE.name, "bad.jsonl#1", "good.md"]


def test_a_folder_where_every_file_is_bad_gives_an_empty_index_not_a_crash(settings):
    write(settings.corpus_dir / "bomb.md", ALIAS_BOMB)
    report = ingest(settings, [settings.corpus_dir])
    assert (report.documents, len(report.skipped)) == (0, 1)
    answer = Engine.open(settings).ask("what opened at the harbour?")
    assert not answer.answered and answer.nearest == []
