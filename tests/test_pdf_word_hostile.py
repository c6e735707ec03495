"""Hostile PDF and Word files: each is refused with its reason, in bounded time and memory; the others go in."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from index.errors import BadDocument
from index.ingest.build import ingest
from index.limits import Limits
from index.ingest.pdf import read_pdf
from index.ingest.word import read_docx
from tests import pdfs

pytestmark = pytest.mark.timeout(60)
GOOD = [[(72, 720, 11, "The harbour master said on Tuesday that the ferry pier would open in March.")]]


def refused(read, path: Path, limits: Limits = Limits()) -> tuple[str, float, float]:
    """Why `read` refuses `path`, the seconds it took and its peak of Python memory in MB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(BadDocument) as caught:
            read(path, limits)
        return str(caught.value), time.perf_counter() - started, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name, data, reason", [
    ("deep-tree.pdf", pdfs.deep_pages_pdf(5_000), "beyond the limits for one PDF: Maximum page tree depth reached"),
    ("many-pages.pdf", pdfs.many_pages_pdf(50_000), "50,000 pages, more than MAX_PAGES=2,000"),
    ("stream-bomb.pdf", pdfs.stream_bomb_pdf(300), "beyond the limits for one PDF: Limit reached while decompressing"),
    ("operators.pdf", pdfs.operator_flood_pdf(1_000_000), "beyond the limits for one PDF: Reached maximum number"),
    ("garbage.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 1000, "damaged PDF: PdfStreamError"),
])
def test_a_hostile_pdf_is_refused_in_bounded_time_and_memory(tmp_path, name, data, reason):
    assert len(data) < 500_000  # each is small on disk
    why, seconds, peak_mb = refused(read_pdf, pdfs.write(tmp_path / name, data))
    assert why.startswith(reason)
    assert seconds < 10 and peak_mb < 150


def test_arrays_nested_beyond_what_pypdf_reads_cost_that_page_only(tmp_path):
    why, seconds, _ = refused(read_pdf, pdfs.write(tmp_path / "nested.pdf", pdfs.nested_array_pdf(100_000)))
    assert why == "no text in the PDF (1 page)" and seconds < 5


def test_a_pdf_that_takes_too_long_stops_at_the_deadline(tmp_path):
    pages = [[(72, 720 - 14 * i, 11, f"Line {i} of a long page of the report on the harbour.") for i in range(45)]] * 400
    path = pdfs.write(tmp_path / "long.pdf", pdfs.pdf(pages))
    why, seconds, _ = refused(read_pdf, path, Limits(parse_seconds=0.3))
    assert why == "reading it took more than 0.3 s (a damaged or hostile file)" and seconds < 3


def test_a_pdf_with_more_text_than_a_document_may_hold_is_refused(tmp_path):
    pages = [[(72, 720 - 14 * i, 11, "word " * 20) for i in range(40)]] * 30  # ~120,000 characters
    why, _, _ = refused(read_pdf, pdfs.write(tmp_path / "big.pdf", pdfs.pdf(pages)), Limits(max_document_mb=0.05))
    assert why == "its text is larger than MAX_DOCUMENT_MB=0.05 MB"


def _docx_with(path: Path, source: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, data if item.filename == name else src.read(item))
        if name not in src.namelist():
            dst.writestr(name, data)
    return path


def test_a_word_zip_bomb_and_huge_xml_are_refused_unread(tmp_path):
    good = pdfs.docx(tmp_path / "good.docx", [("Normal", "The quay reopened on Thursday.")])
    bomb = _docx_with(tmp_path / "bomb.docx", good, "word/media/image1.png", b"\0" * (300 * 2**20))
    assert bomb.stat().st_size < 1_000_000
    why, seconds, peak_mb = refused(read_docx, bomb)
    assert why == "unpacks to 301 MB, more than MAX_FILE_MB=256 MB" and seconds < 1 and peak_mb < 10

    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + \
        b"<w:p><w:r><w:t>word</w:t></w:r></w:p>" * 1_000_000 + b"</w:body></w:document>"
    huge = _docx_with(tmp_path / "huge.docx", good, "word/document.xml", body)
    why, seconds, peak_mb = refused(read_docx, huge)
    assert why == "its XML unpacks to 36 MB, more than 16 x MAX_DOCUMENT_MB=2 MB" and seconds < 2 and peak_mb < 10


def test_entities_and_deep_nesting_in_word_xml_are_refused(tmp_path):
    good = pdfs.docx(tmp_path / "good.docx", [("Normal", "The quay reopened on Thursday.")])
    laughs = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
              b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
              b"<w:t>&d;&d;&d;&d;</w:t></w:r></w:p></w:body></w:document>")
    started = time.perf_counter()
    try:
        doc = read_docx(_docx_with(tmp_path / "laughs.docx", good, "word/document.xml", laughs))
        assert "lol" not in " ".join(b.text for b in doc.blocks)  # entities are not expanded
    except BadDocument as exc:
        assert str(exc).startswith("damaged Word file")
    deep = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + b"<w:sdt><w:sdtContent>" * 5_000 + b"</w:sdtContent></w:sdt>" * 5_000 + b"</w:body></w:document>")
    why, _, _ = refused(read_docx, _docx_with(tmp_path / "deep.docx", good, "word/document.xml", deep))
    assert why.startswith("damaged Word file: XMLSyntaxError")
    assert time.perf_counter() - started < 5


def test_one_hostile_file_skips_that_file_only(settings):
    corpus = settings.corpus_dir
    pdfs.write(corpus / "bomb.pdf", pdfs.stream_bomb_pdf(100))
    pdfs.write(corpus / "good.pdf", pdfs.pdf(GOOD))
    pdfs.write(corpus / "not-a-pdf.pdf", b"<html>a page saved with the wrong name</html>")
    pdfs.write(corpus / "not-a-docx.docx", b"PK\x03\x04 broken")
    pdfs.docx(corpus / "good.docx", [("Normal", "The quay reopened on Thursday, the harbour master said.")])
    report = ingest(replace(settings), [corpus])
    assert report.added == 2
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"bomb.pdf", "not-a-pdf.pdf", "not-a-docx.docx"}
    assert reasons["not-a-docx.docx"].startswith("not a Word file")
    assert reasons["not-a-pdf.pdf"].startswith("damaged PDF")
