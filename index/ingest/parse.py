"""Parse files (.txt, .md, .json, .jsonl, .html, .pdf, .docx) into Documents."""

from __future__ import annotations

import calendar
import codecs
import gzip
import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Iterator, Sequence

from index.text.split import split_sentences
from index.ingest.clean import assemble, clean_paragraphs, paywall_only, text_of_html
from index.errors import BadDate, BadDocument
from index.limits import Limits, depth
from index.types import Block, Document
from index.text.unicode import problem

SUPPORTED = {".txt", ".md", ".markdown", ".json", ".jsonl", ".jsonl.gz", ".html", ".htm", ".pdf", ".docx"}
_KNOWN = {"id", "title", "date", "source", "url", "author", "authors", "body", "text", "content", "published", "outlet",
          "content_text", "content_html", "date_published"}  # the last three: a JSON Feed item's (jsonfeed.org)
_TXT_DATE = re.compile(r"^\s*date[:\s]\s*(\S+)\s*", re.IGNORECASE)
_MD_HEADING = re.compile(r"#{1,6}\s+")  # then the title, without the closing #s (`_heading`)


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
            raise _not_a_date(text[:40]) from None


_YMD = re.compile(r"(\d+)-(\d\d)-(\d\d)(?:[T ].*)?", re.DOTALL)


def _not_a_date(text: str) -> BadDate:
    """Why `text` is not a date: not YYYY-MM-DD at all, or a year, month or day that is not on the calendar."""
    if not (m := _YMD.fullmatch(text)):
        return BadDate(text)
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= year <= 9999:
        return BadDate(text, "year")
    if len(m[1]) != 4:
        return BadDate(text)
    if not 1 <= month <= 12:
        return BadDate(text, "month")
    days = calendar.monthrange(year, month)[1]
    return BadDate(text, "day", days) if not 1 <= day <= days else BadDate(text)


def file_kind(path: Path) -> str:
    """The format suffix: ".jsonl.gz" for gzip-compressed JSONL, else the lower-cased last suffix."""
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


_MANY = {".json", ".jsonl", ".jsonl.gz"}  # may hold many documents: the file limit, not the document one


def _mb(n: float) -> str:
    return f"{n / (1024 * 1024):,.1f} MB".replace(".0 MB", " MB")


def _read_text(path: Path, limits: Limits) -> str:
    kind = file_kind(path)
    cap = limits.file_bytes if kind in _MANY else limits.document_bytes
    what = "MAX_FILE_MB" if kind in _MANY else "MAX_DOCUMENT_MB"
    size = path.stat().st_size
    if size > cap:
        raise BadDocument(f"{_mb(size)}, larger than {what}={_mb(cap)}")
    if kind == ".jsonl.gz":
        try:
            with gzip.open(path, "rb") as fh:
                data = fh.read(cap + 1)  # a decompression bomb stops here
        except (OSError, EOFError) as exc:
            raise BadDocument(f"corrupt gzip: {exc}") from None
        if len(data) > cap:
            raise BadDocument(f"decompresses to more than {what}={_mb(cap)}")
    else:
        data = path.read_bytes()
    if not data.strip():
        raise BadDocument("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Windows' "Unicode" text
        raise BadDocument("UTF-16 text, not UTF-8: save it as UTF-8")
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
    first = ""
    if paragraphs:  # the first sentence ("St. Brigid's …" is one)
        a, b = split_sentences(paragraphs[0], 0, len(paragraphs[0]))[0]
        first = paragraphs[0][a:b]
    if len(first) > 90:
        first = first[:90].rsplit(" ", 1)[0] + "…"
    return first


def _heading(para: str) -> str | None:
    r"""The title of a Markdown heading ("## Title ##" → "Title"), or None when `para` is not one heading line. What
    `^#{1,6}\s+(.*?)\s*#*\s*$` reads, without its lazy title that tried the closing #s from every character
    (quadratic on "# " and a long run of "#")."""
    m = _MD_HEADING.match(para)
    if m is None:
        return None
    title = para[m.end():].rstrip().rstrip("#").rstrip()
    return None if "\n" in title else title


def build_document(
    *, doc_id: str, body: str = "", path: str, title: str = "", when: object = None, source: str = "",
    url: str = "", author: str = "", metadata: dict | None = None, headings_md: bool = False,
    blocks: Sequence[Block] | None = None,
) -> Document:
    """Clean `body` (or take the `blocks` a PDF or Word reader found, as they are) and assemble a Document;
    raises BadDocument/BadDate with a reason."""
    pages: tuple[tuple[int, int], ...] = ()
    if blocks is not None:
        paragraphs, heads, pages = _from_blocks(blocks)
        text, spans = assemble(paragraphs, heads)
    elif headings_md:
        lines: list[str] = []
        heads = set()
        for para in re.split(r"\n\s*\n", body):
            heading = _heading(para.strip())
            if heading is not None:
                heads.add(len(lines))
                lines.append(heading)
            else:
                lines.extend(clean_paragraphs(para))
        paragraphs = [p for p in lines if p]
        heads = {i for i in heads if i < len(paragraphs)}
        text, spans = assemble(paragraphs, heads)
    else:
        paragraphs = clean_paragraphs(body)
        text, spans = assemble(paragraphs)
    if not spans and (title or "").strip():  # a headline alone (a feed item, a page of nothing but a video) is news
        paragraphs = [" ".join(title.split())]
        text, spans = assemble(paragraphs, set())
    if not spans:
        raise BadDocument("no text")
    _check_unicode(id=doc_id, title=title, body=text, source=source, url=url, author=author,
                   metadata=json.dumps(metadata, ensure_ascii=False, default=str) if metadata else "")
    day = parse_date(when) if when not in (None, "") else None
    title = (title or "").strip() or derive_title(paragraphs, text, spans)
    hashed = [title, str(day), source, url, author, text] + ([pages] if pages else [])  # unpaged: as before
    digest = hashlib.sha256(json.dumps(hashed, ensure_ascii=False).encode()).hexdigest()
    return Document(
        id=doc_id, title=title, text=text, date=day, source=(source or "").strip(), url=(url or "").strip(),
        author=(author or "").strip(), path=path, metadata=metadata or {}, content_hash=digest, paragraphs=spans,
        pages=pages,
    )


def _from_blocks(blocks: Sequence[Block]) -> tuple[list[str], set[int], tuple[tuple[int, int], ...]]:
    """The paragraphs of `blocks` (empty ones dropped), which are headings, and where each page begins in the
    text they make once joined by blank lines (as `assemble` joins them)."""
    paragraphs: list[str] = []
    heads: set[int] = set()
    marks: list[tuple[int, int]] = []
    pos = 0
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        lead = len(block.text) - len(block.text.lstrip())
        if paragraphs:
            pos += 2
        if block.heading:
            heads.add(len(paragraphs))
        for offset, page in block.pages:
            if not marks or marks[-1][1] != page:
                marks.append((pos + min(max(offset - lead, 0), len(text)), page))
        paragraphs.append(text)
        pos += len(text)
    if heads and len(heads) == len(paragraphs):  # nothing but headings: they are the text
        heads = set()
    return paragraphs, heads, tuple(marks)


def _check_unicode(**fields: str) -> None:
    """The file's bytes were strict UTF-8, but a JSON or YAML escape ("\\ud800") can still make a lone surrogate,
    which no encoder or database takes: such a document is skipped naming the field."""
    for name, value in fields.items():
        if why := problem(value or ""):
            where = why if name != "metadata" else why.split(" at ")[0]  # a place in its JSON says nothing
            raise BadDocument(f"its {name} is not Unicode text: {where}")


def _loads(text: str, limits: Limits) -> object:
    """JSON, refused when nested deeper than MAX_JSON_DEPTH (or than the parser itself can go)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadDocument(f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise BadDocument(f"JSON nested deeper than MAX_JSON_DEPTH={limits.max_json_depth}") from None
    except ValueError:  # Python refuses to convert an integer of more than 4,300 digits (sys.int_info)
        raise BadDocument("invalid JSON: a number with more digits than Python reads (4,300)") from None
    if depth(data) > limits.max_json_depth:
        raise BadDocument(f"JSON nested deeper than MAX_JSON_DEPTH={limits.max_json_depth}")
    return data


def _from_record(rec: object, *, doc_id: str, path: str, limits: Limits = Limits(), source: str = "") -> Document:
    """A record's Document; `source` when the record names none (a JSON Feed's title)."""
    if not isinstance(rec, dict):
        raise BadDocument("record is not a JSON object")
    body = rec.get("body") or rec.get("text") or rec.get("content") or rec.get("content_text")
    html = None if body else rec.get("content_html")  # a JSON Feed item's HTML, read when it has no text
    raw = body or html
    if isinstance(raw, str) and len(raw) > limits.document_bytes:
        raise BadDocument(f"record body larger than MAX_DOCUMENT_MB={_mb(limits.document_bytes)}")
    if isinstance(html, str):
        body = text_of_html(html)
    if not isinstance(body, str) or not body.strip():
        raise BadDocument("record has no body")
    author = rec.get("author") or rec.get("authors") or ""
    if not isinstance(author, list):
        author = [author]
    author = ", ".join(str(a.get("name") or "") if isinstance(a, dict) else str(a) for a in author)  # JSON Feed: {name}
    return build_document(
        doc_id=str(rec.get("id") or doc_id), body=body, path=path, title=str(rec.get("title") or ""),
        when=rec.get("date") or rec.get("published") or rec.get("date_published"),
        source=str(rec.get("source") or rec.get("outlet") or source),
        url=str(rec.get("url") or ""), author=str(author),
        metadata={k: v for k, v in rec.items() if k not in _KNOWN},
    )


def _parse_txt(path: Path, doc_id: str, limits: Limits) -> Iterator[Document]:
    text = _read_text(path, limits)
    meta: dict[str, str] = {}
    m = _TXT_DATE.match(text)
    if m:
        meta["date"] = m.group(1)
        text = text[m.end():]
    yield build_document(doc_id=doc_id, body=text, path=str(path), when=meta.get("date"))


def _front_matter_handler(limits: Limits = Limits()):
    """python-frontmatter's YAML handler on a safe loader that refuses aliases (no "billion laughs") and nesting
    deeper than MAX_JSON_DEPTH as it reads it: PyYAML's scanner pays for every open level on each token, so
    2,000 "[" took 1.6 s before its recursion stopped it; refused at the first level too deep, they take none."""
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    class NoAliases(yaml.SafeLoader):  # the pure-Python composer: the C one cannot be hooked
        level = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise BadDocument("front matter uses a YAML alias (*name); write the value out")
            if self.level > limits.max_json_depth:  # a value inside more containers than allowed
                raise BadDocument(f"front matter nested deeper than MAX_JSON_DEPTH={limits.max_json_depth}")
            self.level += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.level -= 1

    class Handler(YAMLHandler):
        def load(self, fm: str, **kwargs: object):
            return yaml.load(fm, Loader=NoAliases)

    return Handler()


def _parse_md(path: Path, doc_id: str, limits: Limits) -> Iterator[Document]:
    import frontmatter

    try:
        post = frontmatter.loads(_read_text(path, limits), handler=_front_matter_handler(limits))
    except BadDocument:
        raise
    except Exception as exc:  # yaml errors come in many types
        raise BadDocument(f"bad front matter: {(str(exc).splitlines() or [type(exc).__name__])[0]}") from None
    if not isinstance(post.metadata, dict):
        raise BadDocument("bad front matter: not a mapping of names to values")
    if depth(post.metadata) > limits.max_json_depth:
        raise BadDocument(f"front matter nested deeper than MAX_JSON_DEPTH={limits.max_json_depth}")
    meta = dict(post.metadata)
    author = meta.get("author") or meta.get("authors") or ""
    if isinstance(author, list):
        author = ", ".join(map(str, author))
    yield build_document(
        doc_id=str(meta.get("id") or doc_id), body=post.content, path=str(path), title=str(meta.get("title") or ""),
        when=meta.get("date"), source=str(meta.get("source") or ""), url=str(meta.get("url") or ""),
        author=str(author), metadata={k: str(v) for k, v in meta.items() if k not in _KNOWN}, headings_md=True,
    )


def _parse_json(path: Path, doc_id: str, limits: Limits) -> Iterator[Document | tuple[str, str]]:
    data = _loads(_read_text(path, limits), limits)
    source = ""
    if isinstance(data, dict) and isinstance(data.get("items"), list) and "jsonfeed.org/version/" in str(
            data.get("version", "")):  # a JSON Feed: its items are the records, its title their source
        source, data = str(data.get("title") or ""), data["items"]
    if not isinstance(data, list):
        yield _from_record(data, doc_id=doc_id, path=str(path), limits=limits)
        return
    for i, rec in enumerate(data):  # each record on its own: one bad record loses nothing else
        try:
            yield _from_record(rec, doc_id=f"{doc_id}#{i}" if len(data) > 1 else doc_id, path=str(path), limits=limits,
                               source=source)
        except Exception as exc:
            yield (f"{path}#{i}", _reason(exc))


def _reason(exc: Exception) -> str:
    """The one-line reason a file or record was skipped."""
    if isinstance(exc, (BadDocument, BadDate)):
        return str(exc)
    return f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}"


def _parse_html(path: Path, doc_id: str, limits: Limits) -> Iterator[Document]:
    import trafilatura

    html = _read_text(path, limits)
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    doc = extracted if extracted is None or isinstance(extracted, dict) else extracted.as_dict()
    if not doc or not (doc.get("text") or "").strip():
        raise BadDocument("no main text found in HTML")
    if paywall_only(doc["text"].splitlines(), doc.get("title") or ""):
        raise BadDocument("only a paywall notice, not the article: save the article's text instead")
    # trafilatura gives one paragraph per line; blank lines make them paragraphs here.
    body = "\n\n".join(line for line in doc["text"].splitlines() if line.strip())
    yield build_document(
        doc_id=doc_id, body=body, path=str(path), title=doc.get("title") or "", when=doc.get("date"),
        source=doc.get("sitename") or doc.get("hostname") or "", url=doc.get("url") or "",
        author=doc.get("author") or "",
    )


def _check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise BadDocument(f"{_mb(size)}, larger than MAX_FILE_MB={_mb(limits.file_bytes)}")
    if not size:
        raise BadDocument("empty file")


def _parse_pdf(path: Path, doc_id: str, limits: Limits) -> Iterator[Document]:
    from index.ingest.pdf import read_pdf

    _check_size(path, limits)
    pdf = read_pdf(path, limits)
    yield build_document(doc_id=doc_id, path=str(path), title=pdf.title, when=pdf.created, author=pdf.author,
                         blocks=pdf.blocks)


def _parse_docx(path: Path, doc_id: str, limits: Limits) -> Iterator[Document]:
    from index.ingest.word import read_docx

    _check_size(path, limits)
    word = read_docx(path, limits)
    yield build_document(doc_id=doc_id, path=str(path), title=word.title, when=word.created, author=word.author,
                         blocks=word.blocks)


def iter_jsonl(path: Path, doc_id: str, limits: Limits = Limits()) -> Iterator[Document | tuple[str, str]]:
    """Each good line as a Document; each bad line as (where, reason) so one bad line loses nothing else."""
    text = _read_text(path, limits)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            if len(line) > limits.document_bytes:
                raise BadDocument(f"line longer than MAX_DOCUMENT_MB={_mb(limits.document_bytes)}")
            yield _from_record(_loads(line, limits), doc_id=f"{doc_id}#{n}", path=str(path), limits=limits)
        except Exception as exc:
            yield (where, _reason(exc).removesuffix(" at line 1"))


_PARSERS = {".txt": _parse_txt, ".md": _parse_md, ".markdown": _parse_md, ".json": _parse_json,
            ".html": _parse_html, ".htm": _parse_html, ".pdf": _parse_pdf, ".docx": _parse_docx}


def parse_file(path: Path, doc_id: str, limits: Limits = Limits()) -> Iterator[Document | tuple[str, str]]:
    """Documents in `path`, or (where, reason) for what could not be read. Raises BadDocument/BadDate."""
    suffix = file_kind(path)
    if suffix in (".jsonl", ".jsonl.gz"):
        yield from iter_jsonl(path, doc_id, limits)
    elif suffix in _PARSERS:
        yield from _PARSERS[suffix](path, doc_id, limits)
    else:
        raise BadDocument(f"unsupported file type {suffix or '(none)'}")
