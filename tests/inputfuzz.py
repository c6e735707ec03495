"""Hostile input for the question path, the batch reader and the document parsers, and the properties they are held to
(tests/test_inputs_fuzz.py in CI, scripts/fuzz_inputs.py for longer runs).

The properties: whatever text, bytes or file comes in, newsdesk gives its result or one of its own one-line errors
(index/errors.py), never another exception; what it gives back is Unicode text every encoder, database and terminal
takes (no lone surrogate); a batch answers every line it was given and exits 0 when none was a bug.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import strategies as st

from index.engine import MAX_QUESTION_CHARS, Engine, normalize_question
from index.errors import NewsdeskError
from index.ingest.build import ingest
from index.limits import Limits
from index.ingest.parse import parse_file
from newsdesk.settings import Settings
from index.types import Document
from newsdesk.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "000_2b7db0b492e10144.txt"
QUESTION = "which ships left Tartus?"

# --- hostile text -----------------------------------------------------------------------------------------------
PIECES = ["\ud800", "\udfff", "\udcff", "\x00", "\x1b[31m", "\x1b]0;x\x07", "\u2028", "\ufeff", "\u202e", "\r", "\n",
          "\t", "\u00a0", "?", ".", "!", "…", "“", "’s", "$1.5", "1,000", "30%", "December 8", "last week",
          "yesterday", "in 2024", "what did ", "how many ", "when was ", "who ", "according to ", "Peskov said",
          "Tartus", "U.S.", "<@123>", "@everyone", "**", "[a](b)", "#", "A.", "{", "}", '"', "\\", "🚢", "e\u0301", "ß",
          "İ", "ﬁ"]
UNITS = ["a", ".", "?", "A. ", "1.", "what did ", "Share ", "<", "[", "\ud800", " "]

pieces = st.sampled_from(PIECES) | st.text(max_size=12)
texts = st.one_of(
    st.lists(pieces, max_size=12).map("".join),
    st.builds(lambda unit, n: unit * n, st.sampled_from(UNITS), st.integers(1, 4000)),  # long runs of one thing
    st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=["Cs", "Cc", "Zs", "L", "P", "S", "M"]),
            max_size=60),
)
questions = st.one_of(texts, st.builds(lambda a, b: f"{a} {QUESTION} {b}", pieces, pieces))
dates = st.none() | st.sampled_from([date.min, date.max, date(2024, 12, 8)]) | st.dates()
ask_options = st.fixed_dictionaries({}, optional={
    "k": st.none() | st.integers(-3, 30) | st.booleans() | st.sampled_from(["3", "abc", 2.5]),
    "since": dates, "until": dates, "as_of": dates, "source": st.none() | texts,
    "mode": st.sampled_from(["hybrid", "dense", "lexical"]), "time_words": st.booleans()})


def _json_line(value) -> bytes:
    return json.dumps(value).encode()  # ensure_ascii: a lone surrogate becomes a "\ud800" escape


json_fields = st.dictionaries(st.sampled_from(["question", "k", "since", "until", "source", "as_of", "extra"]),
                              st.none() | texts | st.integers() | st.sampled_from(["2024-12-08", "0001-01-01", "x"])
                              | st.lists(st.integers(), max_size=3), max_size=5)
batch_lines = st.one_of(
    questions.map(lambda q: q.encode("utf-8", "surrogatepass")),  # a surrogate as bytes: not UTF-8
    json_fields.map(_json_line),
    st.binary(max_size=80),
    st.sampled_from([b"", b"   ", b"\xff\xfe", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"{" * 3000,
                     b"\xe3\x80\x80", QUESTION.encode()]),
)
batch_bodies = st.lists(batch_lines, min_size=1, max_size=6).flatmap(
    lambda lines: st.sampled_from([b"\n", b"\r\n"]).map(lambda eol: eol.join(lines) + eol))

# --- hostile files ----------------------------------------------------------------------------------------------
SUFFIXES = [".txt", ".md", ".json", ".jsonl", ".html"]
ENTITIES = ["&#xD800;", "&#55296;", "&#0;", "&#x110000;", "&#xFFFFFFFF;", "&bogus;", "&amp;", "<script>x</script>",
            "<p>" * 200, "<"]


@st.composite
def files(draw) -> tuple[str, bytes]:
    """(suffix, bytes): a well-formed file of that kind with hostile text in it, as UTF-8 or not, or (one in four)
    any bytes."""
    suffix = draw(st.sampled_from(SUFFIXES))
    if draw(st.integers(0, 3)) == 0:
        return suffix, draw(st.binary(max_size=400))
    text, title = draw(texts), draw(texts | st.sampled_from(["\ud800", "Port \udfff reopens", "\udcff\udcfe"]))
    record = {"id": draw(st.none() | texts), "title": title, "date": draw(st.none() | texts | st.just("2024-12-08")),
              "body": f"{text} The quay opened on Monday, the harbour master said.", "source": draw(texts),
              "extra": draw(st.none() | texts | st.lists(texts, max_size=2))}
    if suffix == ".json":
        body = json.dumps(draw(st.sampled_from([record, [record, record], [record, "x", 1]])))
    elif suffix == ".jsonl":
        body = "\n".join([json.dumps(record), draw(texts), json.dumps({**record, "body": text})])
    elif suffix == ".md":
        quoted = json.dumps(title)  # a YAML double-quoted scalar: "\ud800" escapes and all
        body = f'---\ntitle: {quoted}\ndate: {draw(texts)}\n---\n# {text}\n\n{record["body"]}\n'
    elif suffix == ".html":
        entity = draw(st.sampled_from(ENTITIES))
        body = (f"<html><head><title>{title}{entity}</title></head><body><article><h1>{title}</h1>"
                f"<p>{text}{entity}</p><p>{record['body']}</p></article></body></html>")
    else:
        body = f"date: {draw(texts)}\n{text}\n\n{record['body']}"
    data = draw(st.sampled_from([
        body.encode("utf-8", "surrogatepass"), body.encode("utf-8", "replace"), body.encode("utf-16", "replace")]))
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=16)) + data[cut:]
    return suffix, data


# --- the properties ---------------------------------------------------------------------------------------------
def _one_line(exc: NewsdeskError) -> str:
    message = str(exc)
    assert message and "\n" not in message, f"not one line: {message!r}"
    return message


def _unicode(value) -> None:
    """Raises UnicodeEncodeError when any text in `value` (a JSON-like value) holds a lone surrogate."""
    json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")


def check_question(text: str) -> str | None:
    """normalize_question gives a question of at most MAX_QUESTION_CHARS Unicode characters, or a one-line error."""
    try:
        q = normalize_question(text)
    except NewsdeskError as exc:
        _one_line(exc)
        return None
    assert q and q == q.strip() and len(q) <= MAX_QUESTION_CHARS
    q.encode("utf-8")
    return q


class Site:
    """An index of the sample article (model-free hash encoder) in a throwaway folder, its engine open, and an env
    file for the CLI; `close()` removes it."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="newsdesk-inputfuzz-"))
        corpus = self.root / "corpus"
        corpus.mkdir()
        shutil.copy(SAMPLE, corpus / SAMPLE.name)
        self.settings = Settings(index_dir=self.root / "index", data_dir=self.root / "data", corpus_dir=corpus,
                                 embedding_model="hash")
        ingest(self.settings, [corpus])
        self.engine = Engine.open(self.settings)
        self.env = self.root / "fuzz.env"
        self.env.write_text(f"EMBEDDING_MODEL=hash\nINDEX_DIR={self.settings.index_dir}\n"
                            f"DATA_DIR={self.root / 'data'}\n"
                            f"CORPUS_DIR={corpus}\nLOG_LEVEL=ERROR\n")

    def close(self) -> None:
        self.engine.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def ask(self, question: str, options: dict):
        """Engine.ask gives an answer of Unicode text, or a one-line error."""
        try:
            answer = self.engine.ask(question, **options)
        except NewsdeskError as exc:
            _one_line(exc)
            return None
        _unicode(answer.to_json())
        return answer

    def batch(self, body: bytes) -> list[dict]:
        """`newsdesk ask --json -` answers each line that is not blank with one JSON line, exits 0 (no bug), and
        writes nothing else."""
        stdin, out, err = sys.stdin, io.StringIO(), io.StringIO()
        sys.stdin = io.TextIOWrapper(io.BytesIO(body), "utf-8", "surrogateescape")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["--env-file", str(self.env), "ask", "--json", "-"])
        finally:
            sys.stdin = stdin
        expected = [line for line in body.split(b"\n") if line.decode("utf-8", "replace").strip()]
        answers = [json.loads(line) for line in out.getvalue().splitlines()]
        assert code == 0 and err.getvalue() == "", (code, err.getvalue())
        assert len(answers) == len(expected), (len(answers), len(expected))
        out.getvalue().encode("utf-8")
        for answer in answers:
            assert "error" not in answer or "\n" not in answer["error"]
        return answers


def warm_up(site: Site, folder: Path) -> None:
    """One ask and one file of each kind before timing: the first ones import what they need (trafilatura: ~2 s)."""
    site.ask(QUESTION, {})
    for suffix in SUFFIXES:
        check_parse(folder, suffix, b"The quay opened on Monday, the harbour master said.")


def check_parse(folder: Path, suffix: str, data: bytes) -> list:
    """parse_file gives documents of Unicode text, and a one-line reason for each part it skips, or a one-line error."""
    path = folder / f"doc{suffix}"
    path.write_bytes(data)
    try:
        items = list(parse_file(path, path.name, Limits(max_json_depth=8)))
    except NewsdeskError as exc:
        _one_line(exc)
        return []
    for item in items:
        if isinstance(item, Document):
            assert item.text.strip() and item.paragraphs
            _unicode([item.id, item.title, item.text, item.source, item.url, item.author, item.metadata])
        else:
            where, reason = item
            assert reason and "\n" not in reason, reason
    return items
