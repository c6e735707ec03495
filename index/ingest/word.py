"""Read a Word file (.docx, python-docx) into paragraphs and sub-headings, with its title, author and date.

Paragraphs and tables come in the order the document has them (a table row is one paragraph, its cells
joined by " | "); paragraphs in a "Heading" or "Title" style are sub-headings. The title, author and creation
date come from the file's core properties (the first "Title"-styled paragraph when it names no title).

A .docx is a zip of XML parts, and python-docx reads every part into memory: before it opens the file, the
sizes the zip declares (which its reader never exceeds) are checked, so a zip bomb or a huge XML part is
refused unread. lxml, underneath, expands no entities and refuses nesting beyond 256 levels.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from index.errors import BadDocument
from index.ingest.clean import collapse
from index.limits import Budget, Limits
from index.types import Block, LaidOut

MAX_PARTS = 5_000  # files inside the zip (a long report with pictures has a few hundred)
XML_PER_TEXT = 16  # a Word file's XML is about ten times its text: XML beyond 16 x MAX_DOCUMENT_MB is refused


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse a zip whose parts would unpack to more than MAX_FILE_MB, whose XML exceeds XML_PER_TEXT times
    MAX_DOCUMENT_MB, or that holds more than MAX_PARTS files."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadDocument(f"not a Word file: {exc}") from None
    if len(parts) > MAX_PARTS:
        raise BadDocument(f"a zip of {len(parts):,} files, more than {MAX_PARTS:,}")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > limits.file_bytes:
        raise BadDocument(f"unpacks to {unpacked / 2**20:,.0f} MB, more than MAX_FILE_MB={limits.max_file_mb:g} MB")
    xml = sum(p.file_size for p in parts if p.filename.endswith((".xml", ".rels")))
    if xml > XML_PER_TEXT * limits.document_bytes:
        raise BadDocument(f"its XML unpacks to {xml / 2**20:,.0f} MB, more than {XML_PER_TEXT} x "
                          f"MAX_DOCUMENT_MB={limits.max_document_mb:g} MB")


def read_docx(path: Path, limits: Limits = Limits()) -> LaidOut:
    """The Word file's properties and paragraphs; BadDocument naming why it cannot be read."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    check_zip(path, limits)
    budget = Budget(limits)
    try:
        document = docx.Document(str(path))
        blocks, styled_title = _blocks(document, budget)
        props = document.core_properties
        title, author = collapse(props.title or ""), collapse(props.author or "")
        created = props.created or props.modified
    except BadDocument:
        raise
    except (PackageNotFoundError, LxmlError, KeyError, ValueError, TypeError, AttributeError, IndexError, OSError,
            zipfile.BadZipFile, RecursionError, MemoryError) as exc:
        # lxml refuses bad XML (nesting beyond 256 levels too); python-docx raises KeyError on a missing part
        why = (str(exc).splitlines() or [""])[0][:200]
        raise BadDocument(f"damaged Word file: {type(exc).__name__}: {why}") from None
    if not blocks:
        raise BadDocument("no text in the Word file")
    return LaidOut(title=title or styled_title, author=author, created=created.date() if created else None,
                    blocks=blocks)


def _blocks(document, budget: Budget) -> tuple[list[Block], str]:
    """The body's paragraphs and table rows in order, and the text of its first "Title"-styled paragraph."""
    from docx.table import Table

    blocks: list[Block] = []
    title = ""
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = list(dict.fromkeys(collapse(cell.text) for cell in row.cells))  # a merged cell repeats
                text = " | ".join(c for c in cells if c)
                budget.spend(len(text))
                blocks.append(Block(text))
            continue
        text = collapse(item.text)
        budget.spend(len(text))
        style = (item.style.name if item.style is not None else "") or ""
        if style == "Title" and not title:
            title = text
            continue
        blocks.append(Block(text, heading=style.startswith("Heading")))
    return blocks, title
