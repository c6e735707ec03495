"""Ingest is incremental, skips bad files with reasons, and never leaves a half-built index behind."""

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

from index.engine import Engine
from index.ingest.build import ingest
from index.store.versions import current_version, read_manifest
from tests.conftest import REPO


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_first_ingest_builds_a_self_describing_index(settings, sample_corpus):
    report = ingest(settings, [sample_corpus])

    assert (report.added, report.chunks_embedded, report.documents) == (1, report.chunks, 1)
    manifest = read_manifest(current_version(settings.index_dir))
    assert manifest.model == "hash" and manifest.dimension == 256
    assert manifest.documents == 1 and manifest.chunks == report.chunks and manifest.format_version == 2


def test_second_ingest_of_an_unchanged_corpus_embeds_nothing(settings, sample_corpus):
    ingest(settings, [sample_corpus])
    before = current_version(settings.index_dir)

    report = ingest(settings, [sample_corpus])

    assert (report.unchanged, report.added, report.updated, report.chunks_embedded) == (1, 0, 0, 0)
    assert current_version(settings.index_dir) == before


def test_changed_documents_are_replaced_and_deleted_files_removed(settings, sample_corpus):
    a = write(sample_corpus / "a.txt", "date 2024-01-02 The dam held after the storm, engineers said.")
    write(sample_corpus / "b.txt", "date 2024-01-03 Schools reopened across the district on Monday.")
    ingest(settings, [sample_corpus])

    a.write_text("date 2024-01-02 The dam failed after the storm, engineers said.")
    (sample_corpus / "b.txt").unlink()
    report = ingest(settings, [sample_corpus])

    assert (report.updated, report.removed, report.unchanged, report.chunks_embedded) == (1, 1, 1, 1)
    engine = Engine.open(settings)
    titles = {t[0] for t in engine.summary().titles}
    assert titles == {"a.txt", "000_2b7db0b492e10144.txt"}
    hits = engine.search("dam storm engineers")
    assert "failed" in hits[0].text and all("held" not in h.text for h in hits)


def test_ingesting_one_file_does_not_remove_the_others(settings, sample_corpus, tmp_path):
    ingest(settings, [sample_corpus])
    extra = write(tmp_path / "inbox" / "late.txt", "date 2024-12-10 A late report arrived.")

    report = ingest(settings, [extra])

    assert (report.added, report.removed, report.documents) == (1, 0, 2)


def test_bad_files_are_skipped_with_reasons_and_the_rest_ingested(settings, sample_corpus):
    (sample_corpus / "blob.txt").write_bytes(b"\x00\xff\x00")
    (sample_corpus / "empty.md").write_text("")
    write(sample_corpus / "bad.md", "---\ndate: not-a-date\n---\nSome text.")
    write(sample_corpus / "notes.odt", "whatever")

    report = ingest(settings, [sample_corpus])

    assert report.added == 1
    reasons = {os.path.basename(s.path): s.reason for s in report.skipped}
    assert set(reasons) == {"blob.txt", "empty.md", "bad.md", "notes.odt"}
    assert "binary" in reasons["blob.txt"] and "empty" in reasons["empty.md"]
    assert "unparseable date" in reasons["bad.md"] and "unsupported" in reasons["notes.odt"]


def test_a_file_that_turns_bad_keeps_its_previous_version(settings, sample_corpus):
    good = write(sample_corpus / "good.txt", "date 2024-01-02 Harbour traffic resumed on Tuesday.")
    ingest(settings, [sample_corpus])
    good.write_bytes(b"\x00\x00corrupt")

    report = ingest(settings, [sample_corpus])

    assert report.removed == 0 and report.documents == 2 and len(report.skipped) == 1


def test_model_change_rebuilds_everything(settings, sample_corpus):
    ingest(settings, [sample_corpus])

    report = ingest(replace(settings, embedding_model="hash:128"), [sample_corpus])

    assert report.added == 1 and report.chunks_embedded == report.chunks
    assert read_manifest(current_version(settings.index_dir)).dimension == 128


def test_killing_an_ingest_midway_leaves_the_previous_index_usable(settings, sample_corpus, tmp_path):
    ingest(settings, [sample_corpus])
    before = current_version(settings.index_dir)
    big = tmp_path / "big.jsonl"
    words = "storm harbour council budget minister river bridge school election court".split()
    with big.open("w") as fh:
        for i in range(6000):
            body = " ".join(words[(i * 7 + j) % len(words)] + ("." if j % 12 == 11 else "") for j in range(400))
            fh.write(json.dumps({"id": f"n{i}", "date": "2024-01-01", "title": f"Story {i}", "body": body}) + "\n")
    env = {**os.environ, "EMBEDDING_MODEL": "hash", "INDEX_DIR": str(settings.index_dir)}
    newsdesk = os.path.join(os.path.dirname(sys.executable), "newsdesk")
    proc = subprocess.Popen([newsdesk, "ingest", str(sample_corpus), str(big)],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        builds = settings.index_dir / "versions"
        while not any(p.name.startswith(".build-") and (p / "store.sqlite").exists() for p in builds.iterdir()):
            assert proc.poll() is None and time.monotonic() < deadline, "ingest ended before it could be killed"
            time.sleep(0.05)
        time.sleep(0.5)
        assert proc.poll() is None, "ingest finished too fast to test a kill"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()

    assert current_version(settings.index_dir) == before
    answer = Engine.open(settings).ask("which ships left Tartus?")
    assert answer.answered and "Engineer Trubin" in answer.quotes[0].text

    report = ingest(settings, [sample_corpus])  # the next ingest clears the dead build
    assert report.unchanged == 1
    assert not [p for p in builds.iterdir() if p.name.startswith(".build-")]


def test_an_engine_keeps_answering_from_the_old_version_until_reload(settings, sample_corpus):
    ingest(settings, [sample_corpus])
    engine = Engine.open(settings)
    write(sample_corpus / "zoo.txt", "date 2024-06-01 The zoo welcomed twin pandas, the keeper said.")

    report = engine.reindex()

    assert report.added == 1
    assert engine.ask("Which animals did the zoo welcome?").answered


def test_a_second_process_picks_up_a_published_version_on_reload(settings, sample_corpus):
    ingest(settings, [sample_corpus])
    reader = Engine.open(settings)
    write(sample_corpus / "zoo.txt", "date 2024-06-01 The zoo welcomed twin pandas, the keeper said.")
    ingest(settings, [sample_corpus])  # as another process would

    assert not reader.ask("Which animals did the zoo welcome?").answered
    assert reader.reload() is True and reader.reload() is False
    assert reader.ask("Which animals did the zoo welcome?").answered


def test_the_engine_says_when_the_version_it_answers_from_was_built(settings, sample_corpus):
    assert Engine.open(settings, require_index=False).built_at is None  # nothing ingested yet

    ingest(settings, [sample_corpus])
    engine = Engine.open(settings)

    assert engine.built_at.isoformat() == engine.manifest.built_at == engine.summary().built_at
    engine.close()


def test_an_ingest_that_embeds_nothing_keeps_the_record_of_how_passages_were_embedded(settings, sample_corpus):
    from index.encode.embed import HashEncoder

    class Int8(HashEncoder):  # records itself as an int8 export, as the ONNX encoder does
        backend, file_name = "onnx-int8", "model_qint8_avx512_vnni.onnx"

    (sample_corpus / "extra.md").write_text("---\ntitle: Extra\ndate: 2024-12-10\n---\nThe pier closed on Monday.\n")
    ingest(settings, [sample_corpus], encoder=Int8())
    (sample_corpus / "extra.md").unlink()
    report = ingest(settings, [sample_corpus], encoder=Int8())
    assert report.chunks_embedded == 0
    embedding = read_manifest(current_version(settings.index_dir)).embedding
    assert embedding == {"backend": "onnx-int8", "file": "model_qint8_avx512_vnni.onnx"}
