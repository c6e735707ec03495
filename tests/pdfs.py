"""Small PDF and Word files written by the tests: text set line by line, scanned pages, and hostile ones.

A PDF is written byte by byte (objects, cross-reference table, trailer), so a test can make any structure a
hostile file could have; Word files are made with python-docx.
"""

from __future__ import annotations

import zlib
from pathlib import Path

Line = tuple[float, float, float, str]  # x, y, font size, text (Helvetica, WinAnsi)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def content(lines: list[Line]) -> bytes:
    """A page's drawing: each line of text where it is set, in its size."""
    return "\n".join(f"BT /F1 {size:g} Tf {x:g} {y:g} Td ({_escape(text)}) Tj ET"
                     for x, y, size, text in lines).encode("cp1252")


def stream(data: bytes, *, compress: bool = False, extra: str = "") -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += " /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra.encode()) + data + b"\nendstream"


def assemble(objects: dict[int, bytes], *, root: int = 1, info: int | None = None) -> bytes:
    """A PDF file of numbered objects, with its cross-reference table and trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    size = max(objects) + 1
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    trailer = b"/Size %d /Root %d 0 R" % (size, root) + (b" /Info %d 0 R" % info if info else b"")
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf(pages: list[list[Line]], *, title: str = "", author: str = "", created: str = "",
        compress: bool = False) -> bytes:
    """A PDF whose pages hold `pages`' lines, with a document information dictionary when any is given
    (`created` as PDF writes dates: D:20241210093000Z)."""
    font, first = 3, 4
    kids = " ".join(f"{first + 2 * i} 0 R" for i in range(len(pages)))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        font: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    for i, lines in enumerate(pages):
        page, drawing = first + 2 * i, first + 2 * i + 1
        objects[page] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 {font} 0 R "
                         f">> >> /Contents {drawing} 0 R >>").encode()
        objects[drawing] = stream(content(lines), compress=compress)
    info = None
    if title or author or created:
        info = first + 2 * len(pages)
        fields = [f"/{k} ({_escape(v)})" for k, v in (("Title", title), ("Author", author), ("CreationDate", created)) if v]
        objects[info] = ("<< " + " ".join(fields) + " >>").encode("cp1252")
    return assemble(objects, info=info)


def scanned_pdf(pages: int = 2) -> bytes:
    """A PDF of pages that are only a picture each (a scan): no text layer."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               2: f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * i} 0 R' for i in range(pages))}] /Count {pages} >>".encode(),
               3: stream(b"\x80" * 64, extra=" /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
                                            "/BitsPerComponent 8")}
    for i in range(pages):
        objects[4 + 2 * i] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 3 0 R "
                              f">> >> /Contents {5 + 2 * i} 0 R >>").encode()
        objects[5 + 2 * i] = stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q")
    return assemble(objects)


PAGE = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents 4 0 R >>")
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def many_pages_pdf(count: int) -> bytes:
    """A small file that claims `count` pages: one page object listed `count` times in the page tree."""
    kids = b" ".join([b"5 0 R"] * count)
    return assemble({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
                     3: FONT, 4: stream(content([(72, 720, 11, "One page, many times.")])),
                     5: PAGE})


def deep_pages_pdf(depth: int) -> bytes:
    """A page tree nested `depth` levels deep (each /Pages node holding the next), one page at the bottom."""
    objects = {1: b"<< /Type /Catalog /Pages 10 0 R >>", 3: FONT,
               4: stream(content([(72, 720, 11, "The page at the bottom of the tree.")]))}
    for level in range(depth):
        number, child = 10 + level, 10 + level + 1
        objects[number] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % child
    objects[10 + depth] = PAGE.replace(b"/Parent 2 0 R", b"/Parent %d 0 R" % (10 + depth - 1))
    return assemble(objects)


def nested_array_pdf(depth: int) -> bytes:
    """One page whose resources hold an array nested `depth` levels deep."""
    nested = b"[" * depth + b"]" * depth
    page = PAGE.replace(b"/Resources <<", b"/Resources << /Deep " + nested)
    return assemble({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
                     3: FONT, 4: stream(content([(72, 720, 11, "A page with a very deep array.")])), 5: page})


def stream_bomb_pdf(megabytes: int) -> bytes:
    """One page whose drawing is a compressed stream that unpacks to `megabytes` MB (of spaces)."""
    data = content([(72, 720, 11, "Before the bomb.")]) + b" " * (megabytes * 1024 * 1024)
    return assemble({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
                     3: FONT, 4: stream(data, compress=True), 5: PAGE})


def operator_flood_pdf(operations: int) -> bytes:
    """One page drawing `operations` tiny pieces of text (a content stream of many operators)."""
    data = b"BT /F1 11 Tf 72 720 Td " + b"(a) Tj " * operations + b"ET"
    return assemble({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
                     3: FONT, 4: stream(data, compress=True), 5: PAGE})


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def docx(path: Path, blocks: list[tuple[str, str]], *, title: str = "", author: str = "",
         created=None, table: list[list[str]] | None = None) -> Path:
    """A Word file of (style, text) paragraphs ("Heading 1", "Title", "Normal"), optional table, and core
    properties."""
    import docx as python_docx

    document = python_docx.Document()
    for style, text in blocks:
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table):
            for cell, value in zip(row.cells, values):
                cell.text = value
    props = document.core_properties
    props.title, props.author = title, author
    if created is not None:
        props.created = created
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
