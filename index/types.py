"""The result type of each stage: Document → Chunk → Hit → Quote → Answer, and Digest; a search's Ranking and
Filters; the decision, a version's Manifest, and the Citation each result that names its document gives."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any, ClassVar, Final, Literal, NamedTuple

# The answer decision (index.answer.decide): the quotes answer the question, they are only the closest passages
# (shown under a hedge), or nothing relevant was found.
Decision = Literal["answer", "unsure", "not_found"]
ANSWER: Final = "answer"
UNSURE: Final = "unsure"
NOT_FOUND: Final = "not_found"
DECISIONS: Final[tuple[Decision, ...]] = (ANSWER, UNSURE, NOT_FOUND)


class Paragraph(NamedTuple):
    """A body paragraph of `Document.text`: its offsets and the sub-heading it sits under ("" when none)."""

    start: int
    end: int
    heading: str


class Block(NamedTuple):
    """A paragraph or sub-heading as a reader of a laid-out format (PDF, Word) finds it: its text (whitespace
    already collapsed), whether it is a heading, and where its pages begin in it as (offset, page number)."""

    text: str
    heading: bool = False
    pages: tuple[tuple[int, int], ...] = ()


@dataclass
class LaidOut:
    """What a laid-out file (PDF, Word) says of itself, and its paragraphs and sub-headings in reading order."""

    title: str = ""
    author: str = ""
    created: date | None = None
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    """A parsed, cleaned document. `text` is what every offset and quote refers to."""

    id: str
    title: str
    text: str
    date: date | None
    source: str = ""
    url: str = ""
    author: str = ""
    path: str = ""
    metadata: dict = field(default_factory=dict)
    content_hash: str = ""
    paragraphs: tuple[Paragraph, ...] = ()  # the body paragraphs of `text`
    # where each page of a paged source (PDF) begins in `text`: (offset, page number), in order; () when unpaged
    pages: tuple[tuple[int, int], ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page number of the text at `offset`, or None for a document without pages."""
        at = bisect_right(self.pages, offset, key=lambda mark: mark[0])
        return self.pages[at - 1][1] if at else None


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences within one paragraph group; offsets point into `Document.text`."""

    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str
    heading: str
    sentences: tuple[tuple[int, int], ...]  # absolute (start, end) of each sentence

    def embed_text(self, title: str) -> str:
        """What the encoder sees: the title and heading give a passage its context."""
        parts = [p for p in (title, self.heading) if p]
        return (" — ".join(parts) + "\n" + self.text) if parts else self.text


@dataclass(frozen=True)
class Ranking:
    """The retrieval knobs, with the values measured best (see the closing notes of the quality issue)."""

    fetch: int = 50  # candidates taken from each search before fusion
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.5
    per_doc: int = 2  # passages of one document among the results
    outside_preferred: float = 0.8  # score factor outside a preferred window ("recently", or an unsure named one)
    # when a question names a dated window ("this week", "in March"): added to a sentence's score for a passage dated at
    # the window's end, halved every `recency_half_life` days ("latest"/"now" move no score: `latest_within`); in the
    # fitted MiniLM model's score units, as `latest_within` is: another sentence model reads both in its own
    # (`index.answer.sentences.SentenceModel.unit`)
    recency_weight: float = 0.5
    recency_half_life: float = 30.0
    hard_windows: bool = True  # dates named in a question bound the search (False: only preferred)
    candidates: int = 20  # passages whose sentences compete for the quotes
    context_share: float = 0.3  # weight, in choosing the quote, of terms only a question's scene-setting sentences use
    previous_documents: float = 1.3  # fused score factor for the documents a follow-up's previous answer quoted
    # the sentences of this many best passages are encoded on their own (index.answer.sentences)
    sentence_passages: int = 4
    quotes_per_doc: int = 2  # sentences of one document among an answer's quotes
    quote_within: float = 0.25  # an answer quotes sentences scoring at most this share below its best one
    # sentence scores this close answer equally well: the newer report comes first (a rounding's width, left as it is
    # for every model)
    newer_within: float = 0.005
    # "latest", "now", "currently": sentence scores this close to the best answer about as well, the newest first (a
    # preference, never a boost: it decides no answer, docs/quality.md)
    latest_within: float = 0.2


@dataclass(frozen=True)
class Filters:
    """What may be searched: a date window, one source, documents left out or preferred."""

    since: date | None = None
    until: date | None = None
    source: str | None = None
    exclude_docs: frozenset[str] = frozenset()  # evaluation: ask as if these documents were absent
    prefer_docs: frozenset[str] = frozenset()  # ranked higher, not required (a follow-up's previous documents)
    only_docs: frozenset[str] = frozenset()  # when set, only these (a follow-up searching its conversation's first)

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.source or self.exclude_docs or self.only_docs)


@dataclass(frozen=True)
class Citation:
    """Where a passage is from, as it is shown with it: its document's title, date, source and url, and the page it
    starts on in a paged document (PDF). Each result type that names its document gives one (`cited`)."""

    title: str
    date: str | None
    source: str
    url: str
    page: int | None = None
    language: str | None = None  # its document's, detected once at ingest (index.text.language); None: unknown


@dataclass(frozen=True)
class StoredPassage:
    """A passage as an index version stores it, with its document's title, date, source, url and author."""

    id: int
    doc_id: str
    start: int
    end: int
    heading: str
    sentences: tuple[tuple[int, int], ...]  # absolute (start, end) of each sentence
    text: str
    title: str
    date: str | None
    source: str
    url: str
    author: str
    language: str | None = None  # its document's (index.text.language), None in a version that did not keep it

    @property
    def lexical_text(self) -> str:
        """What the lexical index reads for this passage: title, heading and text."""
        return lexical_text(self.title, self.heading, self.text)

    @property
    def cited(self) -> Citation:
        return Citation(self.title, self.date, self.source, self.url, language=self.language)


def lexical_text(title: str | None, heading: str | None, text: str) -> str:
    """Title, heading and text joined as the lexical index reads a passage."""
    return " ".join(x for x in (title, heading, text) if x)


@dataclass(frozen=True)
class DocumentRecord:
    """A document's metadata as an index version stores it (no text); `size` is its text's length when asked."""

    id: str
    title: str
    date: str | None
    source: str
    url: str
    author: str
    path: str
    ingested_at: str | None
    size: int = 0

    @property
    def cited(self) -> Citation:
        return Citation(self.title, self.date, self.source, self.url)


@dataclass
class Hit:
    """A retrieved passage with its document's metadata."""

    chunk_id: int
    doc_id: str
    score: float
    text: str
    start: int
    end: int
    title: str
    date: str | None
    source: str
    url: str
    heading: str = ""
    sentences: tuple[tuple[int, int], ...] = ()
    dense: float = 0.0  # cosine similarity to the question
    document: float = 0.0  # the same for its whole document (mean of its passage vectors), when asked for
    language: str | None = None  # its document's, stored at ingest (index.text.language); None: unknown

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("sentences")
        return d

    @property
    def cited(self) -> Citation:
        return Citation(self.title, self.date, self.source, self.url, language=self.language)


@dataclass
class Quote:
    """An exact sentence (or run of sentences) of a document that answers the question."""

    text: str
    doc_id: str
    title: str
    date: str | None
    source: str
    url: str
    attribution: str
    score: float
    chunk_id: int = -1
    start: int = 0
    end: int = 0
    page: int | None = None  # the page it starts on, in a paged document (PDF)
    marks: tuple[tuple[int, int], ...] = ()  # (start, end) in `text` of the words that answer the question
    language: str | None = None  # its document's, stored at ingest (index.text.language); None: unknown

    @property
    def cited(self) -> Citation:
        return Citation(self.title, self.date, self.source, self.url, self.page, self.language)

    def to_json(self) -> dict:
        out = {k: getattr(self, k) for k in ("text", "doc_id", "title", "date", "source", "url", "attribution",
                                             "score")}
        out["marks"] = [list(m) for m in self.marks]
        if self.page is not None:
            out["page"] = self.page
        return out


@dataclass(frozen=True)
class Turn:
    """One earlier question of a conversation, with the documents its answer quoted and its time window."""

    question: str
    documents: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    @classmethod
    def of(cls, answer: "Answer", question: str | None = None) -> "Turn":
        """The turn an answer makes: the question as asked, its quoted (or nearest) documents, its window."""
        shown = answer.shown
        return cls(question or answer.asked or answer.question, tuple(dict.fromkeys(q.doc_id for q in shown)),
                   date.fromisoformat(answer.since) if answer.since else None,
                   date.fromisoformat(answer.until) if answer.until else None)


@dataclass(frozen=True)
class Conversation:
    """The earlier turns of a conversation, oldest first: the context a follow-up question is read in."""

    turns: tuple[Turn, ...] = ()

    def then(self, turn: Turn) -> "Conversation":
        return Conversation((*self.turns, turn))


@dataclass(frozen=True)
class Claim:
    """A value one report states for a compared thing ("42" for "dead"), with where it was stated."""

    value: str  # as written, e.g. "30 people were killed" or "December 8"
    start: int  # where `value` is in its document's text
    end: int
    doc_id: str
    date: str | None
    source: str
    title: str
    attribution: str


@dataclass(frozen=True)
class Comparison:
    """What the answer's reports state for one thing: they differ (claims oldest first) or agree."""

    subject: str  # the noun the values count or the thing dated, e.g. "dead", "date"
    verdict: str  # "differ" | "agree"
    claims: tuple[Claim, ...]  # one per document, oldest first; the last is the newest report

    @property
    def newest(self) -> Claim | None:
        """The last claim when it is dated after the one before it (what a reader should weigh most)."""
        c = self.claims
        return c[-1] if len(c) > 1 and (c[-1].date or "") > (c[-2].date or "") else None

    def to_json(self) -> dict:
        return {"subject": self.subject, "verdict": self.verdict, "claims": [asdict(c) for c in self.claims]}


@dataclass(frozen=True)
class Answer:
    """The reply to one question: its decision and the passages it shows — the quotes that answer it ("answer"),
    the closest passages under a hedge ("unsure"), or none ("not_found"). Built once by the engine (a follow-up's
    reading and the comparisons are added with `dataclasses.replace`)."""

    question: str
    decision: Decision = NOT_FOUND
    shown: list[Quote] = field(default_factory=list)  # the quotes (decision "answer") or the closest passages
    since: str | None = None
    until: str | None = None
    documents: list[str] = field(default_factory=list)  # ranked ids of the documents considered
    passages: list[int] = field(default_factory=list)  # chunk ids of the best passages considered (up to 5), best first
    confidence: float = 0.0  # the decider's probability that the quotes answer the question
    signals: dict = field(default_factory=dict)  # what the decision was made from
    missing: list[str] = field(default_factory=list)  # question words the corpus never mentions (when not answered)
    asked: str | None = None  # the message as asked, when `question` is its follow-up reading (context filled in)
    reading: str | None = None  # a follow-up's kind (index.answer.followup): "points back", "new subject", ...
    within: bool = False  # a follow-up answered from its conversation's documents
    respelled: tuple[tuple[str, str], ...] = ()  # its misspelled names as typed → as the corpus writes them
    comparisons: list[Comparison] = field(default_factory=list)  # what the quoted reports differ or agree on
    language: str | None = None  # the desk language it was asked in ("en", "uk", "ru"; index.text.language)
    # the dates its time words named ("last week": since, until) when nothing dated within them answered and
    # the quotes shown are all from outside them
    outside: tuple[str, str] | None = None

    @property
    def answered(self) -> bool:
        """The quotes answer the question (the decision "answer")."""
        return self.decision == ANSWER

    @property
    def quotes(self) -> list[Quote]:
        """The quotes that answer the question; empty unless answered."""
        return self.shown if self.answered else []

    @property
    def nearest(self) -> list[Quote]:
        """The closest passages shown when not answered."""
        return [] if self.answered else self.shown

    def to_json(self) -> dict:
        out = {
            "question": self.question,
            "decision": self.decision,
            "answered": self.answered,
            "confidence": self.confidence,
            "quotes": [q.to_json() for q in self.quotes],
        }
        if not self.answered:
            out["nearest"] = [q.to_json() for q in self.nearest]
            out["missing"] = list(self.missing)
        if self.since or self.until:
            out["searched"] = {"since": self.since, "until": self.until}
        if self.outside:
            out["outside_asked_dates"] = {"since": self.outside[0], "until": self.outside[1]}
        if self.asked:
            out["asked"] = self.asked
        if self.respelled:
            out["respelled"] = [{"typed": typed, "read": read} for typed, read in self.respelled]
        if self.reading:
            out["read_as"] = {"kind": self.reading, "in_conversation_documents": self.within}
        if self.comparisons:
            out["comparisons"] = [c.to_json() for c in self.comparisons]
        return out


@dataclass(frozen=True)
class Manifest:
    """An index version's manifest.json: what built it (model, format), its counts, where its vectors are, how its
    passages were embedded, and (published to Milvus) the lexical statistics readers score with. `fields` keeps the
    object as written: entries only a backend's build reads (faiss_index ...), and what publishing copies."""

    model: str
    dimension: int
    documents: int
    chunks: int
    version: str = ""
    built_at: str = ""
    format_version: int | None = None
    vector_backend: str = "faiss"  # versions built before there was a choice: FAISS
    chance_similarity: float | None = None  # index.answer.chance, when the build measured it
    languages: dict[str, int] | None = None  # documents per detected language
    embedding: dict[str, str] | None = None  # {"backend", "file"}: how passages (and so questions) are encoded
    milvus_collection: str | None = None  # VECTOR_BACKEND=milvus: the collection holding the vectors
    max_idf: float | None = None  # INDEX_STORE=milvus: the lexical statistics a reader scores with
    milvus_lexical: str | None = None
    bm25: dict[str, float] | None = None
    fields: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    NEEDED: ClassVar[tuple[str, ...]] = ("model", "dimension", "documents", "chunks")

    @classmethod
    def of(cls, data: object) -> "Manifest":
        """The manifest a JSON object holds; ValueError when it is not one (not an object, or a needed field
        missing or not of its type)."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if missing := [k for k in cls.NEEDED if k not in data]:
            raise ValueError(f"no {', '.join(missing)}")
        if not isinstance(data["model"], str) or not all(
                isinstance(data[k], int) and not isinstance(data[k], bool) for k in cls.NEEDED[1:]):
            raise ValueError("model, dimension, documents or chunks of the wrong type")
        known = {f.name for f in fields(cls)} - {"fields"}
        return cls(**{k: v for k, v in data.items() if k in known}, fields=dict(data))

    def to_json(self) -> dict[str, Any]:
        return dict(self.fields)


@dataclass
class SkippedFile:
    path: str
    reason: str


@dataclass
class IngestReport:
    """What an ingest did; `--json` prints this."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    chunks_embedded: int = 0
    documents: int = 0
    chunks: int = 0
    index_dir: str = ""
    seconds: float = 0.0
    repaired: str | None = None  # the damage found in the previous version, which was rebuilt from the files
    languages: dict[str, int] = field(default_factory=dict)  # documents per detected language ("": none)
    language_note: str | None = None  # which documents are in a language the model does not read

    def to_json(self) -> dict:
        d = asdict(self)
        d["skipped_count"] = len(self.skipped)
        return d


@dataclass
class SourceInfo:
    name: str
    documents: int


@dataclass
class CorpusSummary:
    """What the index holds, for `newsdesk sources` and `/sources`."""

    documents: int
    chunks: int
    first_date: str | None
    last_date: str | None
    sources: list[SourceInfo]
    titles: list[tuple[str, str, str | None, str]]  # (doc_id, title, date, source), newest first
    model: str
    built_at: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class DigestArticle:
    """One article of a digest story."""

    doc_id: str
    title: str
    date: str | None
    source: str
    url: str

    @property
    def cited(self) -> Citation:
        return Citation(self.title, self.date, self.source, self.url)


@dataclass
class DigestEntry:
    """One story: near-duplicate articles (syndicated copies, rewrites) grouped, led by the earliest."""

    title: str
    date: str | None
    source: str
    url: str
    lead_quote: str  # the first substantive sentence of the leading article, verbatim
    attribution: str
    articles: list[DigestArticle] = field(default_factory=list)

    @property
    def coverage(self) -> int:
        return len(self.articles)

    @property
    def cited(self) -> Citation:
        return Citation(self.title, self.date, self.source, self.url)

    def to_json(self) -> dict:
        return {"title": self.title, "date": self.date, "source": self.source, "url": self.url,
                "lead_quote": self.lead_quote, "attribution": self.attribution, "coverage": self.coverage,
                "articles": [asdict(a) for a in self.articles]}


@dataclass
class Digest:
    """What entered the corpus in a period, as stories sorted by coverage, then date.

    `basis` says how the period was counted: "ingested" (when documents entered the corpus; `since` and
    `until` are UTC timestamps) or "dated" (by document date; `since` and `until` are YYYY-MM-DD).
    """

    since: str | None
    until: str | None
    basis: str
    entries: list[DigestEntry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.entries

    @property
    def articles(self) -> int:
        return sum(e.coverage for e in self.entries)

    def to_json(self) -> dict:
        return {"since": self.since, "until": self.until, "entries": [e.to_json() for e in self.entries]}
