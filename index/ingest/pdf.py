"""Read a PDF's text layer (pypdf) into paragraphs and sub-headings that know their pages, within bounds.

pypdf hands over each piece of text with its position and font size, in the order the page draws it. Lines
are grouped into paragraphs by their spacing: a gap wider than the page's usual line spacing, a change of
font size or an indented first line starts a new one; a paragraph cut by a page break (it does not end a
sentence) goes on over the next page, so it stays whole. Lines in a larger font than the body are
sub-headings. Lines repeated at the top or bottom of most pages (running headers, page numbers) are left out.

A hostile file costs bounded time and memory: pypdf's own limits (page tree size and depth, decompressed
stream sizes, parsing work per content stream) are set from `Limits`, the text read stops at
MAX_DOCUMENT_MB, more than `Limits.max_pages` pages are refused, and reading stops at `Limits.parse_seconds`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from index.ingest.clean import collapse
from index.errors import BadDocument
from index.limits import Budget, Limits
from index.types import Block, LaidOut

_SENTENCE_END = tuple(".!?…:;\"'”’)»")
_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?|[-–]\s*\d{1,4}\s*[-–]", re.IGNORECASE)
_NOT_A_TITLE = re.compile(r"^(?:microsoft \w+ - |untitled\b)|\.(?:docx?|pdf|odt|rtf|indd|qxd)$", re.IGNORECASE)
PARAGRAPH_GAP = 1.4  # a gap this many times the page's usual line spacing ends a paragraph
HEADING_SIZE = 1.15  # a line in a font this much larger than the body's is a sub-heading


@dataclass
class _Line:
    text: str
    x: float
    y: float
    size: float
    page: int


def _configuration(limits: Limits):
    """pypdf's limits for hostile files (its defaults allow 75 MB streams), tightened to one document's worth."""
    import pypdf

    stream = max(4 * limits.document_bytes, 8 * 1024 * 1024)  # one decompressed stream: a page's drawing, a font
    return pypdf.apply_configuration(
        page_tree_maximum_entries=2 * limits.max_pages + 16, page_tree_maximum_depth=32,
        page_tree_maximum_page_entries=8 * limits.max_pages + 64,
        zlib_maximum_output_length=stream, lzw_maximum_output_length=stream,
        run_length_maximum_output_length=stream, array_based_stream_maximum_output_length=stream,
        brotli_maximum_output_length=stream, maximum_declared_stream_length=stream,
        stream_decoding_work_maximum_length=4 * stream, stream_parsing_work_maximum_count=200_000,
        xform_maximum_invocations_per_extraction=500, image_maximum_buffer_size=stream,
    )


def read_pdf(path: Path, limits: Limits = Limits()) -> LaidOut:
    """The PDF's metadata and paragraphs; BadDocument naming why it cannot be read (encrypted, scanned without a
    text layer, too many pages, too much text, too slow, or damaged)."""
    import pypdf
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PyPdfError

    budget = Budget(limits)
    with _configuration(limits):
        try:
            reader = pypdf.PdfReader(path, strict=False)
            if reader.is_encrypted and not _decrypted(reader):
                raise BadDocument("encrypted PDF: it cannot be read without its password")
            declared = _declared_pages(reader)
            if declared > limits.max_pages:
                raise BadDocument(f"{declared:,} pages, more than MAX_PAGES={limits.max_pages:,}")
            count = len(reader.pages)
            if count > limits.max_pages:
                raise BadDocument(f"{count:,} pages, more than MAX_PAGES={limits.max_pages:,}")
            lines: list[_Line] = []
            pictures = 0
            for number, page in enumerate(reader.pages, 1):
                page_lines = _page_lines(page, number, budget)
                lines += page_lines
                pictures += not page_lines and _has_images(page)
                budget.spend(0)
            info = _metadata(reader)
        except BadDocument:
            raise
        except FileNotDecryptedError:
            raise BadDocument("encrypted PDF: it cannot be read without its password") from None
        except LimitReachedError as exc:
            raise BadDocument(f"beyond the limits for one PDF: {_first_line(exc)}") from None
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
                RecursionError, MemoryError, UnicodeError, ZeroDivisionError) as exc:
            # pypdf's errors on a damaged file are of many types (its parser indexes and converts as it goes)
            raise BadDocument(f"damaged PDF: {type(exc).__name__}: {_first_line(exc)}") from None
    if not lines:
        if pictures:
            raise BadDocument(f"scanned PDF: {pictures} of its {count} pages are images with no text layer "
                              "(run OCR on it first)")
        raise BadDocument(f"no text in the PDF ({count} page{'s' * (count != 1)})")
    kept = _without_running_lines(lines, count)
    if not kept:
        raise BadDocument(f"no text in the PDF but page numbers ({count} page{'s' * (count != 1)})")
    info.blocks = _paragraphs(kept)
    return info


def _declared_pages(reader) -> int:
    """The page count the file declares (its page tree's /Count): asked before the tree is walked."""
    try:
        return int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except Exception:  # no count, or a damaged catalog: the walk itself is bounded
        return 0


def _decrypted(reader) -> bool:
    """Whether an encrypted PDF opens with the empty password (many are encrypted only to restrict printing)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # a missing AES backend (cryptography) or a damaged encryption dictionary
        return False


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:200]


def _metadata(reader) -> LaidOut:
    """Title, author and creation date from the document information dictionary; unusable values dropped."""
    meta = reader.metadata
    if meta is None:
        return LaidOut()
    title = collapse(str(meta.title or ""))
    try:
        created = meta.creation_date
    except Exception:  # a malformed date string
        created = None
    return LaidOut(title="" if _NOT_A_TITLE.search(title) else title, author=collapse(str(meta.author or "")),
                   created=created.date() if created else None)


def _has_images(page) -> bool:
    try:
        xobjects = page["/Resources"]["/XObject"]
        return any(xobjects[name].get("/Subtype") == "/Image" for name in xobjects)
    except Exception:  # no resources, or a damaged dictionary: no image known
        return False


def _page_lines(page, number: int, budget: Budget) -> list[_Line]:
    """The page's text lines, as pypdf draws them, with where each starts and its font size."""
    lines: list[_Line] = []
    parts: list[str] = []
    where: list[float] | None = None  # x, y, size of the line being read

    def finish() -> None:
        nonlocal parts, where
        text = collapse("".join(parts))
        if text and where is not None:
            lines.append(_Line(text, where[0], where[1], where[2], number))
        parts, where = [], None

    def visit(text: str, cm, tm, font, size) -> None:
        nonlocal where
        budget.spend(len(text))
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                finish()
            if piece.strip() and where is None:
                where = _position(cm, tm, size)
            parts.append(piece)

    def _position(cm, tm, size) -> list[float]:
        # the text matrix in user space (tm × cm): where the text starts and how tall its font is drawn
        a, b, c, d, e, f = tm
        x = e * cm[0] + f * cm[2] + cm[4]
        y = e * cm[1] + f * cm[3] + cm[5]
        scale = math.hypot(c * cm[0] + d * cm[2], c * cm[1] + d * cm[3])
        return [x, y, abs(float(size) * scale) or float(size)]

    page.extract_text(visitor_text=visit)
    finish()
    return lines


def _without_running_lines(lines: list[_Line], pages: int) -> list[_Line]:
    """`lines` without page numbers, the headers and footers repeated at the top or bottom of most pages (digits
    aside), and a page's first or last line when it stands apart in a smaller font than the body's."""
    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.casefold())

    lines = [line for line in lines if not _PAGE_NUMBER.fullmatch(line.text)]
    if not lines:
        return lines
    body, gaps = _body_size(lines), _usual_gaps(lines)
    by_page: dict[int, list[_Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    edges: Counter[str] = Counter()
    apart: set[int] = set()
    for number, page_lines in by_page.items():
        ordered = sorted(page_lines, key=lambda line: -line.y)  # top to bottom
        edges.update({key(line) for line in ordered[:2] + ordered[-2:]})
        usual = gaps.get(number, body * 1.2)
        for edge, neighbour in ((ordered[0], ordered[1:2]), (ordered[-1], ordered[-2:-1])):
            if (neighbour and edge.size < 0.95 * body and len(edge.text.split()) <= 12
                    and abs(edge.y - neighbour[0].y) > PARAGRAPH_GAP * usual):
                apart.add(id(edge))
    repeated = {k for k, n in edges.items() if pages >= 3 and n >= max(3, pages // 2)}
    return [line for line in lines if key(line) not in repeated and id(line) not in apart]


def _paragraphs(lines: list[_Line]) -> list[Block]:
    """Lines grouped into paragraphs and sub-headings, a paragraph cut by a page break joined across it."""
    body = _body_size(lines)
    gaps = _usual_gaps(lines)
    groups: list[list[_Line]] = []
    for prev, line in zip([None, *lines], lines):
        if prev is None or _breaks(prev, line, gaps.get(prev.page, prev.size * 1.2), body):
            groups.append([line])
        else:
            groups[-1].append(line)
    blocks: list[Block] = []
    for group in groups:
        heading = group[0].size >= body * HEADING_SIZE and len(" ".join(line.text for line in group).split()) <= 16
        text, pages = _join(group)
        if (blocks and not heading and not blocks[-1].heading and group[0].page != _last_page(blocks[-1])
                and not blocks[-1].text.endswith(_SENTENCE_END)):
            cut = blocks.pop()  # a paragraph that a page break cut: one paragraph again
            joined, at = _glue(cut.text, text)
            text, pages = joined, cut.pages + tuple((at + o, p) for o, p in pages)
        blocks.append(Block(text, heading, pages))
    return blocks


def _last_page(block: Block) -> int:
    return block.pages[-1][1] if block.pages else 0


def _body_size(lines: list[_Line]) -> float:
    """The font size most of the text is set in."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] or 1.0


def _usual_gaps(lines: list[_Line]) -> dict[int, float]:
    """Per page, the usual distance from one line down to the next of a paragraph: the lower quartile of the
    downward gaps between lines of one size (paragraph gaps are the wider ones); pages with none take the
    document's."""
    found: dict[int, list[float]] = {}
    for prev, line in zip(lines, lines[1:]):
        gap = prev.y - line.y
        if line.page == prev.page and 0.8 * prev.size <= gap < 4 * prev.size and abs(line.size - prev.size) < 0.5:
            found.setdefault(line.page, []).append(gap)
    every = sorted(g for gaps in found.values() for g in gaps)
    usual = {page: sorted(gaps)[len(gaps) // 4] for page, gaps in found.items()}
    if every:
        for line in lines:
            usual.setdefault(line.page, every[len(every) // 4])
    return usual


def _breaks(prev: _Line, line: _Line, usual: float, body: float) -> bool:
    """Whether `line` starts a new paragraph after `prev`."""
    if line.page != prev.page:
        return True  # joined again in `_paragraphs` when the paragraph did not end
    gap = prev.y - line.y
    if gap <= 0 or gap > PARAGRAPH_GAP * max(usual, 1.0):  # a wider gap, or back up the page (the next column)
        return True
    if abs(line.size - prev.size) > 0.15 * max(prev.size, 1.0):  # a heading starts or ends
        return True
    indent = line.x - prev.x
    return indent > 0.8 * body and prev.text.endswith(_SENTENCE_END)  # an indented first line


def _join(group: list[_Line]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The lines of one paragraph as one text (words split at a line end joined again), with its page."""
    text = ""
    for line in group:
        text = _glue(text, line.text)[0] if text else line.text
    return text, ((0, group[0].page),)


def _glue(before: str, after: str) -> tuple[str, int]:
    """`before` and `after` joined as one run of text, and where `after` starts in it. A word hyphenated at a line
    end ("harbour mas-" + "ter said") is joined without its hyphen."""
    if len(before) > 1 and before.endswith("-") and before[-2].isalpha() and after[:1].islower():
        return before[:-1] + after, len(before) - 1
    return f"{before} {after}", len(before) + 1
