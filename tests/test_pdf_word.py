"""PDF and Word files become Documents: metadata, whole paragraphs, sub-headings, and pages a quote can cite."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest

from index.engine import Engine
from index.ingest.build import ingest
from index.ingest.parse import parse_file
from index.store.documents import Store
from index.store.versions import current_version, read_manifest
from newsdesk.cli import main
from tests import pdfs

pytestmark = pytest.mark.timeout(120)

# A two-page ministry statement: a heading, a paragraph broken over the page, a running footer and a page number.
STATEMENT = [
    [(72, 740, 18, "Northern pier to close for repairs"),
     (72, 700, 11, "The Ministry of Transport said on Monday that the northern pier would"),
     (72, 686, 11, "close for repairs from 3 March, after divers found cracks in its piles."),
     (72, 660, 11, "Ferries to the islands will use the southern quay while the work goes on,"),
     (72, 646, 11, "the ministry said, and the harbour master will publish a new timetable for"),
     (72, 40, 9, "Ministry of Transport - Press office"), (300, 28, 9, "1")],
    [(72, 760, 9, "Ministry of Transport - Press office"),
     (72, 720, 11, "the crossings by the end of February."),
     (72, 694, 11, "Repairs are expected to cost 4.2 million euros and to take eleven weeks,"),
     (72, 680, 11, "the deputy minister, Ana Lima, told reporters in the capital."),
     (300, 28, 9, "2")],
]


@pytest.fixture
def statement(settings):
    return pdfs.write(settings.corpus_dir / "pier-statement.pdf", pdfs.pdf(
        STATEMENT, title="Statement on the northern pier", author="Ministry of Transport",
        created="D:20250210093000+01'00'", compress=True))


def one(path):
    [doc] = list(parse_file(path, path.name))
    return doc


def test_a_pdf_gives_its_metadata_whole_paragraphs_and_pages(statement):
    doc = one(statement)

    assert (doc.title, doc.author, str(doc.date)) == ("Statement on the northern pier", "Ministry of Transport",
                                                      "2025-02-10")
    paragraphs = [doc.text[s:e] for s, e, _ in doc.paragraphs]
    assert paragraphs == [
        "The Ministry of Transport said on Monday that the northern pier would close for repairs from 3 March, "
        "after divers found cracks in its piles.",
        "Ferries to the islands will use the southern quay while the work goes on, the ministry said, and the "
        "harbour master will publish a new timetable for the crossings by the end of February.",  # over the page
        "Repairs are expected to cost 4.2 million euros and to take eleven weeks, the deputy minister, Ana Lima, "
        "told reporters in the capital.",
    ]
    assert {h for _, _, h in doc.paragraphs} == {"Northern pier to close for repairs"}  # the larger type
    assert "Press office" not in doc.text and "\n\n1\n\n" not in doc.text  # footer and page numbers left out
    assert doc.page_at(doc.text.index("Ferries")) == 1
    assert doc.page_at(doc.text.index("the crossings")) == 2  # the same paragraph, on the next page
    assert doc.page_at(doc.text.index("Repairs are")) == 2


def test_a_pdf_without_metadata_takes_its_heading_for_a_title(tmp_path):
    path = pdfs.write(tmp_path / "bare.pdf", pdfs.pdf(STATEMENT))
    doc = one(path)
    assert doc.title == "Northern pier to close for repairs" and doc.date is None and doc.author == ""


def test_a_scanned_pdf_is_reported_not_ingested_empty(settings):
    pdfs.write(settings.corpus_dir / "scan.pdf", pdfs.scanned_pdf(3))
    pdfs.write(settings.corpus_dir / "statement.pdf", pdfs.pdf(STATEMENT))
    report = ingest(settings, [settings.corpus_dir])

    assert report.added == 1
    [skipped] = report.skipped
    assert skipped.path.endswith("scan.pdf")
    assert skipped.reason == "scanned PDF: 3 of its 3 pages are images with no text layer (run OCR on it first)"


def test_a_quote_from_a_pdf_shows_its_page(settings, statement, monkeypatch, capsys):
    ingest(settings, [statement.parent])
    answer = Engine.open(settings).ask("How much will the repairs of the northern pier cost?")
    quote = (answer.quotes or answer.nearest)[0]
    assert "4.2 million euros" in quote.text
    assert quote.page == 2 and quote.to_json()["page"] == 2

    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("INDEX_DIR", str(settings.index_dir))
    assert main(["ask", "How much will the repairs of the northern pier cost?"]) == 0
    assert "Statement on the northern pier · p. 2" in capsys.readouterr().out


def test_a_word_file_gives_its_properties_headings_and_tables(tmp_path):
    path = pdfs.docx(tmp_path / "desk-notes.docx", [
        ("Title", "Desk notes: the pier closure"),
        ("Heading 1", "What the ministry said"),
        ("Normal", "The northern pier closes on 3 March, the ministry said on Monday."),
        ("Heading 2", "Ferries"),
        ("Normal", "Ferries will use the southern quay   while the work goes on."),
    ], author="Ana Lima", created=datetime(2025, 2, 11, 16, 30), table=[["Ship", "Berth"], ["Island Star", "South 2"]])
    doc = one(path)

    assert (doc.title, doc.author, str(doc.date)) == ("Desk notes: the pier closure", "Ana Lima", "2025-02-11")
    assert [(doc.text[s:e], h) for s, e, h in doc.paragraphs] == [
        ("The northern pier closes on 3 March, the ministry said on Monday.", "What the ministry said"),
        ("Ferries will use the southern quay while the work goes on.", "Ferries"),
        ("Ship | Berth", "Ferries"), ("Island Star | South 2", "Ferries")]
    assert doc.pages == () and doc.page_at(0) is None


def test_the_core_properties_title_wins_and_an_empty_word_file_is_reported(settings):
    pdfs.docx(settings.corpus_dir / "titled.docx", [("Title", "Styled title"), ("Normal", "The quay reopened.")],
              title="Property title")
    pdfs.docx(settings.corpus_dir / "empty.docx", [])
    report = ingest(settings, [settings.corpus_dir])
    assert report.added == 1
    assert [(s.path.rsplit("/", 1)[-1], s.reason) for s in report.skipped] == [("empty.docx", "no text in the Word file")]
    store = Store(current_version(settings.index_dir) / "store.sqlite", readonly=True)
    assert store.document("titled.docx").title == "Property title"


def test_format_1_index_is_carried_over_without_embedding_again(settings, statement):
    """An index built before documents had pages is upgraded in place: its documents are not embedded again."""
    (settings.corpus_dir / "note.txt").write_text("date 2025-01-02\nThe quay reopened on Thursday.")
    statement.unlink()
    ingest(settings, [settings.corpus_dir])
    version = current_version(settings.index_dir)
    (version / "manifest.json").write_text(json.dumps({**read_manifest(version).to_json(), "format_version": 1}))
    with sqlite3.connect(version / "store.sqlite") as db:  # the format 1 layout: no pages column
        db.execute("ALTER TABLE documents DROP COLUMN pages")
    assert Store(version / "store.sqlite", readonly=True).document("note.txt").pages == ()

    pdfs.write(statement, pdfs.pdf(STATEMENT))
    report = ingest(settings, [settings.corpus_dir])
    assert (report.added, report.unchanged, report.chunks_embedded) == (1, 1, report.chunks - 1)  # the PDF's only
    version = current_version(settings.index_dir)
    doc = Store(version / "store.sqlite", readonly=True).document("pier-statement.pdf")
    assert doc.page_at(doc.text.index("Repairs")) == 2
    assert read_manifest(version).format_version == 2


def test_discord_shows_the_page_of_a_pdf_quote():
    from bot.render import citation
    from index.types import Quote

    quote = Quote(text="Repairs are expected to cost 4.2 million euros.", doc_id="pier.pdf", title="Pier statement",
                  date="2025-02-10", source="", url="", attribution="the deputy minister", score=1.0, page=4)
    assert citation(quote.cited, attribution=quote.attribution) == \
        "— *the deputy minister* · 2025-02-10 · Pier statement · p. 4"
    assert "p." not in citation(Quote(**{**quote.__dict__, "page": None}).cited)
