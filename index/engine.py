"""The engine facade: open an index once, then ask, search, summarise, digest and reindex."""

from __future__ import annotations

import logging
import threading

import numpy as np
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Iterator, Sequence

from index.answer.attribute import attribute
from index.batch import Asking, ask_many
from index.answer.chance import BY_LANGUAGE, Scale, chance_similarity, translated_similarity
from index.store.check import OpenedVersion, check_version
from index.answer.decide import ANSWER, NOT_FOUND, UNSURE, decider_for
from index.answer.disagree import compare
from index.text.cased import CasedWords
from index.text.fold import fold
from index.text.language import KEY as LANGUAGE_KEY
from index.text.language import could_hold
from index.answer.followup import OWN_SUBJECT, POINTS_BACK
from index.encode.embed import Encoder, NoEncoder, encode_queries, encoder_for, encoder_name
from index.errors import (BadRequest, DatesReversed, IndexDamaged, IndexIncompatible, IndexMissing, NewsdeskError,
                          UnknownSource)
from index.ingest.parse import parse_date
from index.search.prefetch import prefetch
from index.text.split import split_sentences
from index.answer.mark import Marker
from index.answer.question import MAX_QUESTION_CHARS, Question, normalize_question
from index.answer.quote import after_dateline, widen
from index.answer.align import WordVectors, absent, aligned_share, asked_words
from index.answer.sentences import candidates, leading, model_for, refine, text_of, with_recency
from index.search.retrieve import Retriever
from index.answer.signals import measure
from index.stages import NO_STAGES, Stages
from index.settings import EngineSettings
from index.store.documents import Store
from index.store.kept import Kept
from index.answer.timewords import TimeWindow
from index.store.reading import Corpus
from index.types import (Answer, Comparison, Conversation, CorpusSummary, Digest, Document, Filters, Hit,
                         IngestReport, Manifest, Quote, Ranking, SourceInfo)
from index.store.versions import current_version, read_manifest

__all__ = ["Engine", "parse_date", "normalize_question", "serving_manifest", "MAX_QUESTION_CHARS"]

SENTENCES_KEPT = 4096  # passages whose sentence vectors a version keeps (~10 KB each)
DOCUMENTS_KEPT = 512  # documents a version keeps as read from its store (~12 KB each on the dev corpus)
SPLITS_KEPT = 16384  # paragraphs whose sentence spans a version keeps (~0.5 KB each)
ATTRIBUTIONS_KEPT = 16384  # sentences whose speaker a version keeps (~0.2 KB each)
log = logging.getLogger(__name__)


def by_date_among_ties(picks: list, tie: float, *, oldest_first: bool = False) -> list:
    """`picks` (pick, hit) best first, each run of scores within `tie` of its best put newest first: the newer
    report of the same event leads when two answer equally well, whatever the asking date. `oldest_first` (the
    question asks for the first report, "originally"): oldest first, an undated one last."""
    def dated(ph) -> str:
        return ph[1].date or ("9999" if oldest_first else "")
    out, i, n = [], 0, len(picks)
    while i < n:
        j = i + 1
        while j < n and picks[i][0].score - picks[j][0].score <= tie:
            j += 1
        out += sorted(picks[i:j], key=dated, reverse=not oldest_first)
        i = j
    return out


@dataclass
class _Version:
    path: Path
    manifest: Manifest
    store: Corpus
    retriever: Retriever

    def __post_init__(self) -> None:
        # A version never changes: a document read for a quote is read once for its attribution and claims, and for
        # the next questions that quote it (32 kept read the dev corpus's documents again for 2 of every 3 quotes).
        self._documents: Kept[str, Document | None] = Kept(DOCUMENTS_KEPT)
        self._split = lru_cache(maxsize=SPLITS_KEPT)(self._split_paragraph)
        self._attributed = lru_cache(maxsize=ATTRIBUTIONS_KEPT)(self._attribute)
        self._chance_lock = threading.Lock()
        # chance similarity per probe set (index.answer.chance.probes_for; "": the English one, measured at ingest)
        self._chances: dict[str, float] = {}
        if (measured := self.manifest.chance_similarity) is not None:
            self._chances[""] = measured
        self._scales: dict[tuple[str, str], Scale | None] = {}  # (asked in, written in) → index.answer.chance.Scale
        self._languages: dict[str, str] | None = None  # doc id → its language, read on first use
        self._sentences: Kept[int, tuple[np.ndarray, np.ndarray]] = Kept(SENTENCES_KEPT)  # chunk id → its
        # sentences' and title's vectors
        # the words its corpus writes as names (a version written before they were kept: read from its passages)
        self.cased = CasedWords(self.path, self._passage_texts)

    def _passage_texts(self, batch: int = 2000) -> Iterator[str]:
        """Every passage's text, read `batch` passages at a time (a large corpus is never held at once)."""
        ids = [row[0] for row in self.store.chunk_filters()]
        for at in range(0, len(ids), batch):
            yield from (p.text for p in self.store.chunks(ids[at:at + batch]).values())

    def document(self, doc_id: str) -> Document:
        """A document a passage of this version names (IndexDamaged when the store does not hold it)."""
        doc = self._documents.get(doc_id, lambda: self.store.document(doc_id))
        if doc is None:
            raise IndexDamaged(f"The index version {self.path.name} is damaged (no document {doc_id!r} for its "
                               "passages): run `newsdesk ingest` to rebuild it.")
        return doc

    def _split_paragraph(self, doc_id: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
        return tuple(split_sentences(self.document(doc_id).text, start, end))

    def sentences(self, doc_id: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The sentences of one paragraph of a document (`split_sentences`), split once and kept: the paragraphs
        around a quote are read again by every question that quotes near them."""
        return self._split(doc_id, start, end)

    def _attribute(self, doc_id: str, start: int, end: int) -> str:
        return attribute(self.document(doc_id), start, end)

    def attribution(self, doc_id: str, start: int, end: int) -> str:
        """Who said or reported a span of a document (`index.answer.attribute`), read once and kept: the sentences
        a question weighs and quotes are read again by the next that retrieves them."""
        return self._attributed(doc_id, start, end)

    def sentence_vectors(self, hit: Hit, encoder: Encoder) -> tuple[np.ndarray, np.ndarray]:
        """The vectors of a passage's sentences and of its headline, encoded together once (the same vectors
        whichever question asks: int8 activations are quantised per batch) and kept for the next ask."""
        def encode() -> tuple[np.ndarray, np.ndarray]:
            texts = [hit.text[s - hit.start:e - hit.start] for s, e in (hit.sentences or [(hit.start, hit.end)])]
            vectors = encoder.encode(texts + [hit.title or ""])
            return vectors[:-1], vectors[-1]

        return self._sentences.get(hit.chunk_id, encode)

    def chance(self, probe_vectors, name: str = "") -> float:
        """This version's chance similarity for probe set `name` (index.answer.chance.probes_for), measured on first
        use."""
        with self._chance_lock:
            if name not in self._chances:
                self._chances[name] = chance_similarity(self.retriever.vectors, probe_vectors())
            return self._chances[name]

    def scale(self, asked: str, written: str, probes, translated) -> Scale | None:
        """How this version's passages written in `written` read for a question asked in `asked`
        (index.answer.chance.Scale), measured on first use; None when no document is in `written`. `probes(lang)`
        are the probe questions' vectors in a language, `translated(a, b)` their similarity to themselves written
        in `b` when asked in `a`."""
        with self._chance_lock:
            if (asked, written) in self._scales:
                return self._scales[(asked, written)]
            if self._languages is None:
                self._languages = self.store.document_languages()
            docs = frozenset(d for d, lang in self._languages.items() if lang == written)
            scale = None
            if docs:
                among = Filters(only_docs=docs)
                allowed = self.retriever.mask(among)
                scale = Scale(chance=chance_similarity(self.retriever.vectors, probes(asked), allowed, among),
                              same=chance_similarity(self.retriever.vectors, probes(written), allowed, among),
                              translated=translated(asked, written), original=translated(written, written))
            self._scales[(asked, written)] = scale
            return scale


def _outside(answer: Answer, window: TimeWindow) -> Answer:
    """`answer` marked as from outside the dates its question named, when none of its quotes is dated within them
    (an undated quote is not): the reply says so rather than let a 2024 quote pass for "last week"."""
    since, until = window.since.isoformat(), window.until.isoformat()
    if not answer.shown or any(q.date and since <= q.date[:10] <= until for q in answer.shown):
        return answer
    return replace(answer, outside=(since, until))


def _published_manifest(settings: EngineSettings) -> Manifest | None:
    """INDEX_STORE=milvus: the manifest of the version readers follow (its int8 preset picks the encoder)."""
    from index.store import milvus as milvus_index

    found = milvus_index.current(settings)
    return found[1] if found else None


def serving_manifest(settings: EngineSettings) -> Manifest | None:
    """The manifest of the version a reader of `settings` serves (the folder's current one, or the one published
    to Milvus), for loading the encoder its passages were embedded with; None when there is none or it cannot
    be read (opening the version says why)."""
    try:
        if settings.index_store == "milvus":
            return _published_manifest(settings)
        current = current_version(Path(settings.index_dir))
        return read_manifest(current) if current else None
    except (OSError, ValueError, NewsdeskError) as exc:  # damaged, or Milvus unreachable or refusing
        # logged (not warned: opening the version then fails with the one line that says what to do)
        log.debug("Cannot read the served version's manifest (%s): loading the encoder for this CPU", exc)
        return None


class Engine:
    """One encoder and the current index version; every method is blocking and thread-safe.

    `ranking` holds the retrieval knobs; `stages` records the time each ask spends per stage (the default
    records nothing; a benchmark sets a `Stages` and asks from one thread).
    """

    def __init__(self, settings: EngineSettings, encoder: Encoder) -> None:
        self.settings = settings
        self.encoder = encoder
        self.ranking = Ranking()
        self.stages: Stages = NO_STAGES
        self.decider = decider_for(encoder.name, getattr(encoder, "min_similarity", 0.3))
        self.sentence_model = model_for(encoder.name)
        self._probes: dict[str, np.ndarray] = {}  # each probe set's vectors (index.answer.chance), encoded once
        self._words = WordVectors(encoder)  # single words' vectors (index.answer.align), kept across versions
        self._version: _Version | None = None
        self._swap = threading.Lock()
        self._build = threading.Lock()

    @classmethod
    def open(cls, settings: EngineSettings, encoder: Encoder | None = None, *, require_index: bool = True,
             load_model: bool = True) -> "Engine":
        """The engine on the current index; `load_model=False` reads stored text only (no questions)."""
        milvus = settings.index_store == "milvus"  # the index is in MILVUS_URI: no folder to look at
        current = None if milvus else current_version(Path(settings.index_dir))
        if require_index and current is None and not milvus:
            raise IndexMissing(settings.index_dir)  # before the slow model load
        if not load_model and encoder is None:
            try:
                model = read_manifest(current).model if current else settings.embedding_model
            except (OSError, ValueError):  # a damaged manifest: reload() says so
                model = settings.embedding_model
            encoder = NoEncoder(model)
        if encoder is None:
            served = serving_manifest(settings)
            if served is not None and served.model != encoder_name(settings.embedding_model):
                raise IndexIncompatible(served.model, settings.embedding_model)  # before loading (or exporting) it
            encoder = encoder_for(settings, served)
        engine = cls(settings, encoder)
        engine.reload()
        if load_model:
            split_sentences("Loaded. Ready.", 0, 14)  # the sentence splitter's library: not paid by the first quote
        if require_index and engine._version is None:
            raise IndexMissing(settings.index_dir)
        return engine

    # --- index versions -------------------------------------------------------------------
    def reload(self) -> bool:
        """Switch to the index's current version if it changed; True when it did. A version that cannot be
        opened raises IndexDamaged (one line) when there is nothing to answer from, else is logged and skipped."""
        if self.settings.index_store == "milvus":
            return self._open_milvus()
        path = current_version(Path(self.settings.index_dir))
        if path is None or (self._version and self._version.path == path):
            return False
        report = check_version(self.settings, path, thorough=False, keep_open=True)
        problems = report.problems
        if problems:
            damaged = IndexDamaged(f"The index version {path.name} is damaged ({problems[0]}): run `newsdesk ingest` "
                                   f"to rebuild it (`newsdesk check` lists what is wrong).")
            if self._version is None:
                raise damaged
            log.error("%s Still answering from %s.", damaged, self._version.path.name)
            return False
        assert report.opened is not None  # whole, and kept open
        return self._open(path, report.opened)

    def _open(self, path: Path, parts: OpenedVersion) -> bool:
        try:
            self._check_model(parts.manifest)
        except IndexIncompatible:
            parts.vectors.close()
            raise
        store = Store(path / "store.sqlite", readonly=True)
        if not isinstance(self.encoder, NoEncoder):  # it answers questions: have their files in memory first
            prefetch(path)
        retriever = Retriever(store, parts.vectors, parts.lexical, parts.table)
        with self._swap:
            self._version = _Version(path, parts.manifest, store, retriever)
        return True

    def _check_model(self, manifest: Manifest) -> None:
        if manifest.model != self.encoder.name:
            raise IndexIncompatible(manifest.model, self.encoder.name)

    def _open_milvus(self) -> bool:
        """INDEX_STORE=milvus: follow the alias to the current version (see index/store/milvus.py)."""
        from index.store import milvus as milvus_index

        found = milvus_index.current(self.settings)
        if found is None:
            return False
        version_id, manifest = found
        path = Path("milvus") / version_id
        if self._version and self._version.path == path:
            return False
        self._check_model(manifest)
        store, vectors, lexical, table = milvus_index.open_version(self.settings, version_id, manifest)
        retriever = Retriever(store, vectors, lexical, table)
        with self._swap:
            self._version = _Version(path, manifest, store, retriever)
        return True

    @property
    def version(self) -> _Version:
        v = self._version
        if v is None:
            raise IndexMissing(self.settings.index_dir)
        return v

    @property
    def manifest(self) -> Manifest:
        """The manifest of the version answering now (model, counts, vector index, built_at ...)."""
        return self.version.manifest

    @property
    def built_at(self) -> datetime | None:
        """When the version answering now was built; None before the first ingest or when its manifest says
        no valid time. Every document in it was ingested at or before then."""
        v = self._version
        try:
            return datetime.fromisoformat(v.manifest.built_at) if v else None
        except (TypeError, ValueError):
            return None

    def close(self) -> None:
        """Close the current version's store (for a process that is done asking)."""
        if self._version is not None:
            self._version.store.close()

    def reindex(self, paths: list[Path] | None = None) -> IngestReport:
        """Ingest `paths` (default: the corpus folder) into a new version and answer from it once built."""
        from index.ingest.build import ingest  # the parse/chunk/build stack: not paid by processes that only ask

        with self._build:
            report = ingest(self.settings, paths or [Path(self.settings.corpus_dir)], encoder=self.encoder)
            self.reload()
        return report

    # --- questions --------------------------------------------------------------------------
    def search(self, query: str, *, k: int = 10, since: date | None = None, until: date | None = None,
               source: str | None = None) -> list[Hit]:
        """Ranked passages for `query` (no answer decision), a business period's shorthand written out."""
        q = Question.of(query).text
        DatesReversed.check(since, until)  # an empty range is a mistake, not "not in the corpus"
        v = self.version
        _known_source(v, source)
        with self.stages("encode"):
            vec = encode_queries(self.encoder, [q])[0]
        return v.retriever.retrieve(q, vec, k=k, filters=Filters(since, until, source), ranking=self.ranking,
                                    stages=self.stages)

    def ask(self, question: str | Question, *, k: int | None = None, since: date | None = None,
            until: date | None = None,
            source: str | None = None, as_of: date | None = None, mode: str = "hybrid",
            exclude_docs: frozenset[str] = frozenset(), time_words: bool = True,
            context: Conversation | None = None) -> Answer:
        """Up to `k` quotes that answer `question` (decision "answer"), else the closest passages as `nearest`
        ("unsure") or nothing with the words the corpus never mentions ("not_found").

        `as_of` is the asking date: nothing newer is quoted, and time words in the question ("this week",
        "on December 8") become date bounds relative to it (today when not given); newer passages rank a
        little higher. When nothing in such a window answers surely, the whole corpus (up to `as_of`) is
        searched with the window preferred: its answer is taken if sure, else the window's nearest passages.

        `context` holds the conversation's earlier questions (see `index.answer.followup`): a message that points back
        ("what date was that?") is read with their terms filled in, their documents preferred and their time
        window kept (`Answer.asked` then keeps the message as asked); one that turns to a new subject ("and the
        air base?") or names its own is asked as it is, in the conversation's documents first. Quotes from
        different reports are compared (`Answer.comparisons`, see `index.answer.disagree`).

        `question` is read once (`index.answer.question.Question`): a text is normalised here, a `Question` (the
        bot's, normalised where it refused an empty or rambling one) is taken as it is.
        """
        if k is not None and (isinstance(k, bool) or not isinstance(k, int)):
            raise BadRequest(f"k must be a whole number from 1 to 10, not {str(k)[:20]!r}")
        k = max(1, min(k or self.settings.answer_k, 10))
        q = question if isinstance(question, Question) else Question.of(question)
        DatesReversed.check(since, until)  # an empty range is a mistake, not "not in the corpus"
        v = self.version
        _known_source(v, source)
        q, respelled = q.bound(as_of=as_of, context=context, lexical=v.retriever.lexical, cased=v.cased).respelled()
        answer = self._read(v, q, k=k, since=since, until=until, source=source, mode=mode, exclude_docs=exclude_docs,
                            time_words=time_words)
        return replace(answer, respelled=respelled) if respelled else answer

    def _read(self, v: _Version, q: Question, *, k: int, since: date | None, until: date | None, source: str | None,
              mode: str, exclude_docs: frozenset[str], time_words: bool) -> Answer:
        """`q` answered as it reads: on its own, or as the follow-up it is in its conversation."""
        asked = partial(self._asked, v, k=k, source=source, mode=mode, exclude_docs=exclude_docs,
                        time_words=time_words)
        follow = q.follow_up
        if follow is None:
            return self._compared(v, asked(q, since=since, until=until), q)
        if follow.kind == POINTS_BACK:
            if follow.since and since is None and until is None and not (time_words and q.window):
                since, until = follow.since, follow.until
            reading = q.reading()
            answer = asked(reading, since=since, until=until, prefer_docs=follow.documents)
            return self._compared(v, replace(answer, reading=follow.kind), reading)
        if follow.kind == OWN_SUBJECT:
            answer = asked(q, since=since, until=until)
            return self._compared(v, replace(answer, reading=follow.kind), q)
        vec = self._encoded(q.text)  # a new subject: the story's documents first, then everywhere (the story preferred)
        within = asked(q, vec, since=since, until=until, only_docs=follow.documents)
        if within.answered:
            return self._compared(v, replace(within, reading=follow.kind, within=True), q)
        answer = asked(q, vec, since=since, until=until, prefer_docs=follow.documents)
        if not answer.answered and within.decision == UNSURE:
            answer = replace(within, within=True)  # the story's closest passages are the better offer
        return self._compared(v, replace(answer, reading=follow.kind), q)

    def ask_many(self, askings: Sequence[Asking], answered=None) -> list[Answer | Exception]:
        """The answers to questions that arrived together, each as `ask` gives it alone (or the error it raised),
        in order; the same question asked the same way is answered once. `answered(i, result)` hears of each as
        it is ready (see `index.batch`)."""
        return ask_many(self, askings, answered)

    def _encoded(self, q: str):
        with self.stages("encode"):
            return encode_queries(self.encoder, [q])[0]

    def _asked(self, v: _Version, q: Question, vec=None, *, k: int, since: date | None, until: date | None,
               source: str | None, mode: str, exclude_docs: frozenset[str], time_words: bool,
               prefer_docs: frozenset[str] = frozenset(), only_docs: frozenset[str] = frozenset()) -> Answer:
        """One question read as it stands: its time words set a window, else the whole corpus up to its `as_of`."""
        explicit = since is not None or until is not None
        if q.as_of and (until is None or until > q.as_of):
            until = q.as_of
        window = q.window if time_words and not explicit else None
        if vec is None:
            vec = self._encoded(q.text)
        base = Filters(since, until, source, exclude_docs, prefer_docs, only_docs)
        soft = window is not None and (window.vague or not self.ranking.hard_windows)
        if window and not soft:
            narrowed = replace(base, since=max(filter(None, (since, window.since))),
                               until=min(filter(None, (until, window.until))))
            inside = self._answer(v, q, vec, k, narrowed, mode, window=window)
            if inside.answered:
                return inside
            # Nothing in the window is sure enough: an answer from anywhere (the window still preferred) beats
            # it, but when that is unsure too, the window's closest passages are the better offer.
            whole = self._answer(v, q, vec, k, base, mode, prefer=window, window=window)
            better = whole.answered or (whole.decision == UNSURE and inside.decision == NOT_FOUND)
            return _outside(whole, window) if better else inside
        return self._answer(v, q, vec, k, base, mode, prefer=window if soft else None, window=window)

    def _compared(self, v: _Version, answer: Answer, q: Question) -> Answer:
        """The answer to `q` with the message as asked (for a follow-up's reading) and what its reports differ or
        agree on.

        Each quote is compared with the passage it was picked from around it: the sentence that answers
        best is often the lead ("A ferry capsized..."), the figure the next one ("At least 30 were killed").
        """
        return replace(answer, asked=q.message if q.message != answer.question else None,
                       comparisons=self.compare(answer.shown, q, v), language=q.language)

    def compare(self, quotes: list[Quote], question: Question | str, v: _Version | None = None) -> list[Comparison]:
        """What `quotes` (from this index) state differently or alike about `question` (`index.answer.disagree`): each
        quote read within its passage, the passages' stored vectors telling whether two reports tell one story."""
        v = v or self.version
        question = question if isinstance(question, Question) else Question(question)
        ids = list(dict.fromkeys(q.chunk_id for q in quotes if q.chunk_id >= 0))
        if len({q.doc_id for q in quotes}) < 2:
            return []
        with self.stages("sqlite"):
            rows = v.retriever.passages(ids)
        passages = {cid: (row.start, row.text) for cid, row in rows.items()}
        with self.stages("dense"):
            vectors = dict(zip(ids, v.retriever.vectors.reconstruct_many(ids))) if ids else {}
        return [replace(c, claims=tuple(replace(claim, attribution=self._said_by(v, claim)) for claim in c.claims))
                for c in compare(quotes, question, passages, vectors)]

    def _said_by(self, v: _Version, claim) -> str:
        """Who said the sentence a claim was read from."""
        with self.stages("sqlite"):
            doc = v.document(claim.doc_id)
        with self.stages("split"):
            spans = [s for p0, p1, _ in doc.paragraphs if p0 <= claim.start < p1
                     for s in v.sentences(claim.doc_id, p0, p1)]
        start, end = next(((s, e) for s, e in spans if s <= claim.start < e), (claim.start, claim.end))
        with self.stages("attribute"):
            return v.attribution(claim.doc_id, start, end)

    def _answer(self, v: _Version, q: Question, vec, k: int, filters: Filters, mode: str, prefer=None,
                window: TimeWindow | None = None) -> Answer:
        """One search and its decision. Time matters only when the question names it (`window`): a dated window
        ranks its newer passages a little higher; "latest"/"now" shows the newest of the sentences scoring within
        `latest_within` of the best first, without changing any score (so no decision); otherwise the date of a
        passage only orders quotes that answer equally well (the newer report first)."""
        hits = v.retriever.retrieve(q.text, vec, k=self.ranking.candidates, filters=filters, mode=mode,
                                    ranking=self.ranking, prefer=(prefer.since, prefer.until) if prefer else None,
                                    stages=self.stages)
        since = filters.since.isoformat() if filters.since else None
        until = filters.until.isoformat() if filters.until else None
        if not hits:
            return Answer(q.text, NOT_FOUND, since=since, until=until, missing=self._missing(v, q))
        if self.sentence_model.weights.get("document"):
            v.retriever.score_documents(hits, vec)
        with self.stages("quote"):
            terms = q.terms
            scored = candidates(hits, terms, v.retriever.lexical, self.sentence_model, q.answer_type,
                                q.weights(self.ranking.context_share), asks_words=q.speaker is not None)
        scored = self._refined(v, q, self._asked_vector(q, vec), scored, hits)
        latest = window is not None and window.vague  # "latest", "now": the newest of those answering about as well
        if window is not None and not latest:  # a dated window: newer passages ranked towards its end
            scored = with_recency(scored, hits, window.until, self.ranking, self.sentence_model.unit)
        by_score = sorted(((p, h) for ps, h in zip(scored, hits) for p in ps), key=lambda ph: ph[0].score, reverse=True)
        # The decision reads the sentences by score alone; only the order they are shown in puts the newer of two
        # equally good reports first.
        earliest = q.earliest and not latest  # "originally": the oldest of those answering about as well
        tie = self.ranking.latest_within * self.sentence_model.unit if latest or earliest else self.ranking.newer_within
        ranked = by_date_among_ties(by_score, tie, oldest_first=earliest)
        best = by_score[0][0]
        signals = measure(q, by_score, v.chance(lambda: self._probe_vectors(q), q.probes[0]),
                          scale=self._scale(v, q), model=self.sentence_model)
        confidence = round(self.decider.confidence(signals), 4)
        decision = self.decider.decide(confidence)
        if decision == UNSURE and not any(v.retriever.lexical.known(t) for t in terms) \
                and not getattr(self.encoder, "multilingual", False):  # (its answer may be in another language's words)
            decision = NOT_FOUND  # closest passages are offered only when the corpus shares a word with it
        answer = Answer(q.text, decision, since=since, until=until,
                        documents=list(dict.fromkeys(h.doc_id for _, h in ranked)),  # each in its best sentence's place
                        passages=list(dict.fromkeys(h.chunk_id for _, h in ranked))[:5], confidence=confidence,
                        signals=signals.as_dict(), missing=self._missing(v, q) if decision != ANSWER else [])
        if decision == NOT_FOUND:
            return answer
        if answer.answered:  # an answer quotes only sentences close to its best
            ranked = [(p, h) for p, h in ranked if p.score >= best.score - self.ranking.quote_within * abs(best.score)]
        quotes = self._quotes(v, ranked, k, q.focus)
        with self.stages("quote"):
            mark = Marker.of(q)
            quotes = [replace(quote, marks=mark(quote.text)) for quote in quotes]
        return replace(answer, shown=quotes)

    def _quotes(self, v: _Version, ranked: list, k: int, focus: list[str]) -> list[Quote]:
        """Up to `k` quotes from `ranked` sentences, best first, whichever passages they are in (the answer is often
        the second sentence of the best passage, not the best of the next one): at most `quotes_per_doc` from one
        document, a sentence syndicated in two reports once, and no sentence in two quotes."""
        quotes: list[Quote] = []
        seen: set[str] = set()
        per_doc: dict[str, int] = {}
        for p, h in ranked:
            if len(quotes) == k:
                break
            if per_doc.get(h.doc_id, 0) >= self.ranking.quotes_per_doc or any(
                    x.doc_id == h.doc_id and x.start <= p.start and p.end <= x.end for x in quotes):
                continue  # enough of this report, or already inside a quote widened to it
            quote = self._quote(v, p, h, focus, shown=[(x.start, x.end) for x in quotes if x.doc_id == h.doc_id])
            if (key := fold(quote.text)) not in seen:
                seen.add(key)
                quotes.append(quote)
                per_doc[h.doc_id] = per_doc.get(h.doc_id, 0) + 1
        return quotes

    def _asked_vector(self, q: Question, vec):
        """The vector sentences are compared with: when the question sets a scene first, the asked sentence's with
        `context_share` of the whole question's."""
        asked = q.asked_clause
        if asked == q.text:
            return vec
        with self.stages("encode"):
            own = encode_queries(self.encoder, [asked])[0]
        mixed = own + self.ranking.context_share * vec.reshape(-1)  # the scene still says which story
        return mixed / max(float(np.linalg.norm(mixed)), 1e-12)

    def _probe_vectors(self, q: Question):
        """The vectors of the probe set a question's chance level is read with (stand-ins for questions)."""
        name, probes = q.probes
        if name not in self._probes:
            self._probes[name] = encode_queries(self.encoder, list(probes))
        return self._probes[name]

    @staticmethod
    def _missing(v: _Version, q: Question) -> list[str]:
        """The question's words the corpus never mentions, less its time words (a window said which dates were
        searched: "yesterday" is no word a report must use) and those it could not state as written: a word of
        another language than all its documents' (index.text.language.could_hold)."""
        held = v.manifest.languages
        unseen = [w for w in q.unseen if w.casefold() not in q.time_words]
        if not unseen or not held or held.get(""):
            return unseen
        return [w for w in unseen if could_hold(w, q.language, held)]

    def _scale(self, v: _Version, q: Question):
        """For a multilingual encoder and a question in a desk language: the language of a passage → how its
        similarities read for a question asked in that language (None for the question's own, or an unknown one).
        An English-only encoder's similarity across languages is no translation's: read as it is (None)."""
        asked = q.language
        if not getattr(self.encoder, "multilingual", False) or asked not in BY_LANGUAGE:
            return None

        def scale(written: str | None) -> Scale | None:
            if written == asked or written not in BY_LANGUAGE:
                return None
            return v.scale(asked, written, self._language_probes, self._translated)
        return scale

    def _language_probes(self, language: str):
        """The probe questions written in `language` (index.answer.chance.BY_LANGUAGE), encoded as questions once."""
        key = f"lang:{language}"
        if key not in self._probes:
            self._probes[key] = encode_queries(self.encoder, list(BY_LANGUAGE[language]))
        return self._probes[key]

    def _translated(self, asked: str, written: str) -> float:
        """How the probe questions asked in `asked` score against themselves written in `written` (as passages)."""
        key = f"passages:{written}"
        if key not in self._probes:
            self._probes[key] = self.encoder.encode(list(BY_LANGUAGE[written]))
        return translated_similarity(self._language_probes(asked), self._probes[key])

    def _refined(self, v: _Version, q: Question, vec, scored: list, hits: list[Hit]) -> list:
        """The sentences of the best few passages measured on their own (see `index.answer.sentences.refine`): encoded
        with their headlines, and read for the speaker the question asks about."""
        model, which, speaker = self.sentence_model, leading(scored, self.ranking.sentence_passages), q.speaker
        sentence_cos: dict = {}
        headline_cos: dict = {}
        if model.weights.get("sentence") or model.weights.get("restates"):
            for i in which:
                hit = hits[i]
                with self.stages("encode"):
                    vectors, title = v.sentence_vectors(hit, self.encoder)
                for p, row in zip(scored[i], vectors):
                    sentence_cos[(hit.chunk_id, p.start)] = float(row @ vec.reshape(-1))
                    headline_cos[(hit.chunk_id, p.start)] = float(row @ title)
        spoken: dict = {}
        if model.weights.get("speaker") and speaker:
            for i in which:
                with self.stages("sqlite"):
                    doc = v.document(hits[i].doc_id)
                aliases = speaker.aliases(doc.text)
                with self.stages("attribute"):
                    for p in scored[i]:
                        text = doc.text[p.start:p.end]
                        said_by = v.attribution(hits[i].doc_id, p.start, p.end)
                        spoken[(hits[i].chunk_id, p.start)] = speaker.says(text, said_by, aliases)
        aligned = self._aligned(q, scored, hits, which) if model.weights.get("aligned") else {}
        if not (sentence_cos or spoken or aligned):
            return scored
        return refine(scored, hits, which, model, sentence_cosine=sentence_cos, headline_cosine=headline_cos,
                      spoken=spoken, aligned=aligned)

    def _aligned(self, q: Question, scored: list, hits: list[Hit], which: Sequence[int]) -> dict:
        """(chunk id, sentence start) → the share of the asked words no sentence or headline of the best few passages
        holds that the sentence states in other words (index.answer.align). Off for a question in a Cyrillic desk
        language: the single-word vectors and the stemmer are English."""
        if q.language in ("uk", "ru"):
            return {}
        texts = {(hits[i].chunk_id, p.start): text_of(hits[i], p) for i in which for p in scored[i]}
        with self.stages("quote"):
            missing = absent(asked_words(q.asked_clause, q.names),
                             list(texts.values()) + [hits[i].title or "" for i in which])
        with self.stages("encode"):
            shares = aligned_share(missing, list(texts.values()), self._words)
        return dict(zip(texts, shares))

    def _quote(self, v: _Version, pick, hit: Hit, focus: list[str], shown: Sequence[tuple[int, int]] = ()) -> Quote:
        """The quote of a picked sentence, widened to a neighbour its words point to (`widen`) unless that overlaps
        a quote of the same report already `shown` (then the sentence alone)."""
        with self.stages("sqlite"):
            doc = v.document(hit.doc_id)
        near = [p for p in doc.paragraphs if p[1] >= pick.start - 2000 and p[0] <= pick.end + 2000]
        with self.stages("split"):
            spans = [s for p0, p1, _ in near for s in v.sentences(hit.doc_id, p0, p1)]
        with self.stages("quote"):
            start, end = _widened(doc, spans, pick, focus)
            if any(a < end and start < b for a, b in shown):
                start, end = _widened(doc, spans, pick, [])
        with self.stages("attribute"):
            said_by = v.attribution(hit.doc_id, pick.start, pick.end)
        return Quote(text=doc.text[start:end], doc_id=hit.doc_id, title=hit.title, date=hit.date,
                     source=hit.source, url=hit.url, attribution=said_by,
                     score=round(pick.score, 4), chunk_id=hit.chunk_id, start=start, end=end, page=doc.page_at(start),
                     language=doc.metadata.get(LANGUAGE_KEY) or hit.language)

    def digest(self, *, ingested_after: datetime | None = None, ingested_until: datetime | None = None,
               since: date | None = None, until: date | None = None, days: int | None = None,
               as_of: date | None = None) -> Digest:
        """What entered the corpus in a period, as stories (see `index.digest.build_digest`); no model needed."""
        from index.digest import build_digest

        v = self.version
        return build_digest(v.store, v.retriever.vectors, ingested_after=ingested_after,
                            ingested_until=ingested_until, since=since, until=until, days=days, as_of=as_of)

    def summary(self) -> CorpusSummary:
        v = self.version
        rows = v.store.documents()
        dates = sorted(r.date for r in rows if r.date)
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.source or "(unknown)"] = counts.get(r.source or "(unknown)", 0) + 1
        docs, chunks = v.store.counts()
        return CorpusSummary(
            documents=docs, chunks=chunks, first_date=dates[0] if dates else None,
            last_date=dates[-1] if dates else None,
            sources=[SourceInfo(n, c) for n, c in sorted(counts.items(), key=lambda x: (-x[1], x[0]))],
            titles=[(r.id, r.title, r.date, r.source) for r in rows],
            model=v.manifest.model, built_at=v.manifest.built_at,
        )


def _widened(doc: Document, spans: list[tuple[int, int]], pick, focus: list[str]) -> tuple[int, int]:
    """A picked sentence's span widened to a neighbour (`widen`), after the dateline when it starts the report."""
    start, end = widen(doc.text, spans, (pick.start, pick.end), focus)
    if doc.paragraphs and start == doc.paragraphs[0][0]:
        start += after_dateline(doc.text[start:end])
    return start, end


def _known_source(v: _Version, source: str | None) -> None:
    """A filter on a source the index has never seen is a typo, not an empty answer: name it."""
    if source and source.casefold() not in v.retriever.sources:
        raise UnknownSource(source, sorted(v.retriever.sources.values(), key=str.casefold))

