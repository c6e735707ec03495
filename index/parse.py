"""Parse files (.txt, .md, .json, .jsonl, .html) into Documents."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from .clean import assemble, clean_paragraphs
from .errors import BadDate, BadDocument
from .types import Document

SUPPORTED = {".txt", ".md", ".markdown", ".json", ".jsonl", ".jsonl.gz", ".html", ".htm"}
_KNOWN = {"id", "title", "date", "source", "url", "author", "authors", "body", "text", "content", "published", "outlet"}
_TXT_DATE = re.compile(r"^\s*date[:\s]\s*(\S+)\s*", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def parse_date(value: object) -> date:
    """A calendar date from YYYY-MM-DD (a full ISO timestamp is accepted too)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            raise BadDate(f"unparseable date {text[:40]!r} (expected YYYY-MM-DD)") from None


def file_kind(path: Path) -> str:
    """The format suffix: ".jsonl.gz" for gzip-compressed JSONL, else the lower-cased last suffix."""
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if file_kind(path) == ".jsonl.gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise BadDocument(f"corrupt gzip: {exc}") from None
    if not data.strip():
        raise BadDocument("empty file")
    if b"\x00" in data[:8192]:
        raise BadDocument("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadDocument(f"not UTF-8 text (byte {exc.start})") from None


def derive_title(paragraphs: list[str], text: str, spans) -> str:
    """The first sub-heading near the top, else the first sentence cut at a word boundary."""
    body_starts = {s for s, _, _ in spans}
    pos = 0
    for i, para in enumerate(paragraphs[:4]):
        if pos not in body_starts and i > 0:
            return para
        pos += len(para) + 2
    first = re.split(r"(?<=[.!?])\s", paragraphs[0], maxsplit=1)[0] if paragraphs else ""
    if len(first) > 90:
        first = first[:90].rsplit(" ", 1)[0] + "…"
    return first


def build_document(
    *, doc_id: str, body: str, path: str, title: str = "", when: object = None, source: str = "",
    url: str = "", author: str = "", metadata: dict | None = None, headings_md: bool = False,
) -> Document:
    """Clean `body` and assemble a Document; raises BadDocument/BadDate with a reason."""
    if headings_md:
        lines, heads = [], set()
        for para in re.split(r"\n\s*\n", body):
            m = _MD_HEADING.match(para.strip())
            if m:
                heads.add(len(lines))
                lines.append(m.group(1))
            else:
                lines.extend(clean_paragraphs(para))
        paragraphs = [p for p in lines if p]
        heads = {i for i in heads if i < len(paragraphs)}
        text, spans = assemble(paragraphs, heads)
    else:
        paragraphs = clean_paragraphs(body)
        text, spans = assemble(paragraphs)
    if not spans:
        raise BadDocument("no text")
    day = parse_date(when) if when not in (None, "") else None
    title = (title or "").strip() or derive_title(paragraphs, text, spans)
    digest = hashlib.sha256(
        json.dumps([title, str(day), source, url, author, text], ensure_ascii=False).encode()
    ).hexdigest()
    return Document(
        id=doc_id, title=title, text=text, date=day, source=(source or "").strip(), url=(url or "").strip(),
        author=(author or "").strip(), path=path, metadata=metadata or {}, content_hash=digest, paragraphs=spans,
    )


def _from_record(rec: dict, *, doc_id: str, path: str) -> Document:
    if not isinstance(rec, dict):
        raise BadDocument("record is not a JSON object")
    body = rec.get("body") or rec.get("text") or rec.get("content")
    if not isinstance(body, str) or not body.strip():
        raise BadDocument("record has no body")
    author = rec.get("author") or rec.get("authors") or ""
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author)
    return build_document(
        doc_id=str(rec.get("id") or doc_id), body=body, path=path, title=str(rec.get("title") or ""),
        when=rec.get("date") or rec.get("published"), source=str(rec.get("source") or rec.get("outlet") or ""),
        url=str(rec.get("url") or ""), author=str(author),
        metadata={k: v for k, v in rec.items() if k not in _KNOWN},
    )


def _parse_txt(path: Path, doc_id: str) -> Iterator[Document]:
    text = _read_text(path)
    meta: dict[str, str] = {}
    m = _TXT_DATE.match(text)
    if m:
        meta["date"] = m.group(1)
        text = text[m.end():]
    yield build_document(doc_id=doc_id, body=text, path=str(path), when=meta.get("date"))


def _parse_md(path: Path, doc_id: str) -> Iterator[Document]:
    import frontmatter

    try:
        post = frontmatter.loads(_read_text(path))
    except BadDocument:
        raise
    except Exception as exc:  # yaml errors come in many types
        raise BadDocument(f"bad front matter: {str(exc).splitlines()[0]}") from None
    meta = dict(post.metadata)
    author = meta.get("author") or meta.get("authors") or ""
    if isinstance(author, list):
        author = ", ".join(map(str, author))
    yield build_document(
        doc_id=str(meta.get("id") or doc_id), body=post.content, path=str(path), title=str(meta.get("title") or ""),
        when=meta.get("date"), source=str(meta.get("source") or ""), url=str(meta.get("url") or ""),
        author=str(author), metadata={k: str(v) for k, v in meta.items() if k not in _KNOWN}, headings_md=True,
    )


def _parse_json(path: Path, doc_id: str) -> Iterator[Document]:
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise BadDocument(f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    records = data if isinstance(data, list) else [data]
    for i, rec in enumerate(records):
        yield _from_record(rec, doc_id=f"{doc_id}#{i}" if len(records) > 1 else doc_id, path=str(path))


def _parse_html(path: Path, doc_id: str) -> Iterator[Document]:
    import trafilatura

    html = _read_text(path)
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    doc = extracted.as_dict() if extracted is not None else None
    if not doc or not (doc.get("text") or "").strip():
        raise BadDocument("no main text found in HTML")
    # trafilatura gives one paragraph per line; blank lines make them paragraphs here.
    body = "\n\n".join(line for line in doc["text"].splitlines() if line.strip())
    yield build_document(
        doc_id=doc_id, body=body, path=str(path), title=doc.get("title") or "", when=doc.get("date"),
        source=doc.get("sitename") or doc.get("hostname") or "", url=doc.get("url") or "",
        author=doc.get("author") or "",
    )


def iter_jsonl(path: Path, doc_id: str) -> Iterator[Document | tuple[str, str]]:
    """Each good line as a Document; each bad line as (where, reason) so one bad line loses nothing else."""
    text = _read_text(path)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            yield _from_record(json.loads(line), doc_id=f"{doc_id}#{n}", path=str(path))
        except json.JSONDecodeError as exc:
            yield (where, f"invalid JSON: {exc.msg}")
        except (BadDocument, BadDate) as exc:
            yield (where, str(exc))


_PARSERS = {".txt": _parse_txt, ".md": _parse_md, ".markdown": _parse_md, ".json": _parse_json,
            ".html": _parse_html, ".htm": _parse_html}


def parse_file(path: Path, doc_id: str) -> Iterator[Document | tuple[str, str]]:
    """Documents in `path`, or (where, reason) for what could not be read. Raises BadDocument/BadDate."""
    suffix = file_kind(path)
    if suffix in (".jsonl", ".jsonl.gz"):
        yield from iter_jsonl(path, doc_id)
    elif suffix in _PARSERS:
        yield from _PARSERS[suffix](path, doc_id)
    else:
        raise BadDocument(f"unsupported file type {suffix or '(none)'}")
