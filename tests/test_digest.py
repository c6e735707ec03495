"""Digests: near-duplicates grouped into stories, sorted by coverage, lead quotes, periods, `newsdesk digest`."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.render_digest import digest_embeds
from index.digest import group_stories
from index.engine import Engine
from index.types import Digest, DigestArticle, DigestEntry
from newsdesk.cli import main

DATA = Path(__file__).parent / "data"
AS_OF = date(2024, 12, 31)


@pytest.fixture
def engine(settings) -> Engine:
    for folder in ("digestcorpus", "botcorpus"):
        for f in (DATA / folder).iterdir():
            shutil.copy(f, settings.corpus_dir / f.name)
    e = Engine.open(settings, require_index=False)
    e.reindex()
    return e


def test_two_syndicated_copies_are_one_story_with_coverage_two(engine):
    digest = engine.digest(days=30, as_of=AS_OF)
    first = digest.entries[0]
    assert first.coverage == 2
    assert {a.doc_id for a in first.articles} == {"wire-port-strike.md", "herald-port-strike.md"}
    # led by the original: same day, and the copy adds a credit line
    assert first.source == "Northwire" and first.date == "2024-12-11"
    assert first.title == "Dockworkers strike halts container traffic at Port Halden"
    assert first.lead_quote.startswith("Dockworkers at Port Halden walked off the job on Wednesday")
    assert first.lead_quote in (DATA / "digestcorpus" / "wire-port-strike.md").read_text()  # verbatim
    # another story about the same port stays apart; the rest is sorted by date, newest first
    assert all(e.coverage == 1 for e in digest.entries[1:])
    dates = [e.date for e in digest.entries[1:]]
    assert dates == sorted(dates, reverse=True)
    assert "halden-port-expansion.md" not in {a.doc_id for a in first.articles}


def test_dated_period_and_ingest_period(engine):
    december = engine.digest(since=date(2024, 12, 11), until=date(2024, 12, 11))
    assert december.basis == "dated" and (december.since, december.until) == ("2024-12-11", "2024-12-11")
    assert {a.date for e in december.entries for a in e.articles} == {"2024-12-11"}

    now = datetime.now(timezone.utc)
    recent = engine.digest(ingested_after=now - timedelta(hours=1), ingested_until=now + timedelta(minutes=1))
    assert recent.basis == "ingested" and recent.articles == 10
    assert engine.digest(ingested_after=now + timedelta(minutes=1)).empty


def test_an_empty_period_says_so(engine, capsys, monkeypatch):
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("INDEX_DIR", str(engine.settings.index_dir))
    assert main(["digest", "--days", "3", "--as-of", "2020-01-10"]) == 0
    assert capsys.readouterr().out.strip() == "Nothing new: no document was dated Tue 7 Jan 2020 – Fri 10 Jan 2020."
    [embed] = digest_embeds(Digest(since="2020-01-07", until="2020-01-10", basis="dated"))
    assert "Nothing new" in embed.description


def test_cli_digest_json(engine, capsys, monkeypatch):
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("INDEX_DIR", str(engine.settings.index_dir))
    assert main(["digest", "--since", "2024-12-10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"since", "until", "entries"} and out["since"] == "2024-12-10"
    top = out["entries"][0]
    assert set(top) == {"title", "date", "source", "url", "lead_quote", "attribution", "coverage", "articles"}
    assert top["coverage"] == 2 and len(top["articles"]) == 2 and top["url"].startswith("https://example.org/")
    assert all(e["date"] >= "2024-12-10" for e in out["entries"])

    assert main(["digest", "--days", "30", "--as-of", "2024-12-31"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Digest of documents dated Sun 1 Dec 2024 – Tue 31 Dec 2024: 8 stories from 9 articles")
    assert "1. Dockworkers strike halts container traffic at Port Halden (2 articles)" in text
    assert "also: Coastal Herald" in text

    with pytest.raises(SystemExit):
        main(["digest", "--since", "2024-12-10", "--days", "2"])


def test_rewrites_join_by_vector_similarity_within_days():
    """The vector rule alone: a rewrite (no shared text) joins when its vector is close and its date near."""
    import numpy as np

    from index.ingest.parse import build_document

    def doc(i, text, day):
        return build_document(doc_id=f"d{i}", body=text, path="", when=day)

    docs = [doc(0, "Ships left the port of Tartus on Sunday morning.", "2024-12-09"),
            doc(1, "On Sunday the vessels sailed out of Tartus harbour.", "2024-12-10"),
            doc(2, "On Sunday the vessels sailed out of Tartus harbour.", "2024-12-20")]
    vecs = np.array([[1, 0], [0.9, 0.436], [0.9, 0.436]], dtype=np.float32)
    groups = sorted(sorted(d.id for d in g) for g in group_stories(docs, vecs))
    assert groups == [["d0", "d1", "d2"]]  # d1 ~ d2 are copies; d0 ~ d1 rewrite within two days
    groups = sorted(sorted(d.id for d in g) for g in group_stories(docs[::2], vecs[::2]))
    assert groups == [["d0"], ["d2"]]  # eleven days apart: not one story


def test_long_digests_are_split_within_discord_limits():
    entries = [DigestEntry(title=f"Story {i} " + "x" * 300, date="2024-12-11", source="S" * 90, url=f"https://e.org/{i}",
                           lead_quote="@everyone " + "word " * 400, attribution="the **agency**",
                           articles=[DigestArticle(f"d{i}-{j}", "t", "2024-12-11", f"Source {j}", "") for j in range(3)])
               for i in range(30)]
    embeds = digest_embeds(Digest(since=None, until="2024-12-31", basis="dated", entries=entries))
    assert len(embeds) >= 2
    for e in embeds:
        assert len(e) <= 6000 and len(e.fields) <= 25
        assert all(len(f.value) <= 1024 and len(f.name) <= 256 for f in e.fields)
        assert all("@everyone" not in f.value for f in e.fields)
    assert sum(len(e.fields) for e in embeds) == 20 and "10 more stories" in embeds[-1].footer.text
    assert "· 3 articles" in embeds[0].fields[0].name and "Also: Source 1, Source 2" in embeds[0].fields[0].value


def test_digest_time_on_a_thousand_articles(settings):
    """A figure for the closing note: 1,000 articles, 250 of them syndicated copies."""
    corpus = settings.corpus_dir
    import random

    rng = random.Random(4)
    vocabulary = [f"w{n}" for n in range(5000)]
    lines = []
    for i in range(750):
        body = f"Story {i}: " + " ".join(rng.choices(vocabulary, k=120)) + "."
        lines.append({"id": f"s{i}", "title": f"Story {i}", "date": "2024-12-11", "source": "Wire", "body": body})
        if i < 250:
            lines.append({"id": f"c{i}", "title": f"Copy {i}", "date": "2024-12-11", "source": "Herald",
                          "body": body + " Distributed by Wire."})
    (corpus / "big.jsonl").write_text("\n".join(json.dumps(x) for x in lines))
    engine = Engine.open(settings, require_index=False)
    engine.reindex()
    started = time.perf_counter()
    digest = engine.digest(days=1, as_of=date(2024, 12, 11))
    seconds = time.perf_counter() - started
    print(f"\ndigest of {digest.articles} articles into {len(digest.entries)} stories in {seconds:.2f}s")
    assert digest.articles == 1000 and len(digest.entries) == 750
    assert sum(e.coverage == 2 for e in digest.entries) == 250
    assert seconds < 10


@pytest.mark.model
def test_with_the_real_model_a_rewrite_joins_its_story_and_another_story_on_the_same_port_does_not(
        settings, real_encoder):
    for folder in ("digestcorpus", "botcorpus"):
        for f in (DATA / folder).iterdir():
            shutil.copy(f, settings.corpus_dir / f.name)
    real = dataclasses.replace(settings, embedding_model=real_encoder.name)
    engine = Engine.open(real, encoder=real_encoder, require_index=False)
    engine.reindex()
    top, *rest = engine.digest(days=30, as_of=AS_OF).entries
    assert top.coverage == 3 and top.source == "Northwire"
    assert {a.doc_id for a in top.articles} == {"wire-port-strike.md", "herald-port-strike.md", "metro-port-strike.md"}
    assert all(e.coverage == 1 for e in rest) and "halden-port-expansion.md" in {e.articles[0].doc_id for e in rest}


def test_a_shared_footer_does_not_make_two_articles_of_one_source_one_story():
    from index.ingest.parse import build_document

    footer = ("Subscribe to the Coastal Herald for more local news, weather and sport from the islands, "
              "and follow us on every platform you like for updates around the clock.")
    stories = ["Ferry fares rise by six percent in January.", "The harbour pool reopens after repairs.",
               "A new bakery opened on the quay on Monday."]
    docs = [build_document(doc_id=f"h{i}", body=f"{s}\n\n{footer}", path="", source="Coastal Herald")
            for i, s in enumerate(stories)]
    copy = build_document(doc_id="copy", body=f"{stories[0]}\n\n{footer}", path="", source="Island Post")
    groups = sorted(sorted(d.id for d in g) for g in group_stories(docs + [copy]))
    assert groups == [["copy", "h0"], ["h1"], ["h2"]]


def test_one_article_saved_under_two_file_names_counts_once(engine):
    """A desk's corpus folder often holds the same download twice ("strike.md", "strike (1).md"): one article,
    not a story covered twice."""
    wire = engine.settings.corpus_dir / "wire-port-strike.md"
    shutil.copy(wire, wire.with_name("wire-port-strike (1).md"))
    engine.reindex()

    first = engine.digest(days=30, as_of=AS_OF).entries[0]
    assert first.coverage == 2  # the wire story and the Herald's syndicated copy, as before
    assert {a.source for a in first.articles} == {"Northwire", "Coastal Herald"}


def test_a_file_dated_in_the_future_waits_for_its_day_and_a_period_ending_before_it_starts_is_refused(
        engine, capsys, monkeypatch):
    (engine.settings.corpus_dir / "misdated.md").write_text(
        "---\ntitle: Budget to be published\ndate: 2999-05-01\nsource: Ministry\n---\n"
        "The ministry will publish its budget on Monday, a spokesman said.\n")
    engine.reindex()

    since_december = engine.digest(since=date(2024, 12, 10))  # up to today, as --days counts
    assert "Budget to be published" not in {e.title for e in since_december.entries}
    assert since_december.until == date.today().isoformat()
    assert "Budget to be published" in {e.title for e in engine.digest(since=date(2024, 12, 10),
                                                                       as_of=date(2999, 5, 1)).entries}

    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("INDEX_DIR", str(engine.settings.index_dir))
    assert main(["digest", "--since", "2024-12-10", "--as-of", "2024-12-01"]) == 2
    assert capsys.readouterr().err.strip() == (
        "newsdesk: since 2024-12-10 is after until 2024-12-01: no date is in that range (swap them?)")
