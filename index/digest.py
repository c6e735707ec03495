"""Digests: what entered the corpus in a period, near-duplicate articles grouped into stories.

Two articles are one story when either
  - they share most of their text: containment of word 5-shingles |A∩B| / min(|A|, |B|) >= 0.5 —
    syndicated copies with another title, an added credit line or a cut ending; exact sets, so no
    false merges from hashing sketches; or
  - their document vectors (the mean of the article's chunk embeddings, read back from FAISS) have a
    cosine >= 0.80 and they are dated at most two days apart — rewrites of one wire story. Measured with
    all-MiniLM-L6-v2 on tests/data/digestcorpus: a rewrite scores 0.87–0.89, another story about the same
    port 0.43–0.55, unrelated stories below 0.45.
Shingles found in BOILERPLATE_DOCS or more articles of one source (its footer, its credit line) do not
count. Pairs come from an inverted shingle index and one matrix product of the document vectors; groups
are connected components.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Iterator

import numpy as np

from index.answer.attribute import attribute
from index.errors import DatesReversed
from index.text.split import split_sentences
from index.search.docvectors import document_vectors
from index.store.reading import Corpus
from index.types import Digest, DigestArticle, DigestEntry, Document
from index.store.vectorstore import VectorStore

SHINGLE = 5
CONTAINMENT = 0.5
REWRITE_SIMILARITY = 0.80
REWRITE_DAYS = 2
BOILERPLATE_DOCS = 3  # a shingle in this many articles of one source is that source's boilerplate
MAX_SHINGLE_DOCS = 200  # a shingle in more articles than this is skipped (bounds the pair count)
LEAD_MIN_WORDS = 6
_WORD = re.compile(r"\w+")


def utc_stamp(moment: datetime) -> str:
    """A timestamp as the store writes `ingested_at`: UTC, ISO 8601, seconds."""
    if moment.tzinfo is None:
        raise ValueError("digest times must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def build_digest(store: Corpus, vectors: VectorStore | None, *, ingested_after: datetime | None = None,
                 ingested_until: datetime | None = None, since: date | None = None, until: date | None = None,
                 days: int | None = None, as_of: date | None = None) -> Digest:
    """The digest of documents ingested in (`ingested_after`, `ingested_until`], or dated `since`..`until`,
    or dated within the last `days` days up to `as_of` (today by default): from `as_of - days` to `as_of`.
    A dated period never runs past `as_of` (today by default): a file dated in the future waits for its day.

    With no period at all, the last 24 hours of ingests. A dated period ending before it starts: DatesReversed.
    """
    if days is not None:
        as_of = as_of or date.today()
        since, until = as_of - timedelta(days=min(days, (as_of - date.min).days)), as_of  # never before year 1
    dated = since is not None or until is not None
    if not dated and ingested_after is None and ingested_until is None:
        ingested_until = datetime.now(timezone.utc)
        ingested_after = ingested_until - timedelta(days=1)
    if dated:
        as_of = as_of or date.today()
        until = as_of if until is None or until > as_of else until
    DatesReversed.check(since, until)
    rows = store.documents_in(
        ingested_after=utc_stamp(ingested_after) if ingested_after else None,
        ingested_until=utc_stamp(ingested_until) if ingested_until else None,
        dated_since=since.isoformat() if since else None, dated_until=until.isoformat() if until else None,
    )
    if dated:
        digest = Digest(since=since.isoformat() if since else None, until=until.isoformat() if until else None,
                        basis="dated")
    else:
        digest = Digest(since=utc_stamp(ingested_after) if ingested_after else None,
                        until=utc_stamp(ingested_until) if ingested_until else None, basis="ingested")
    if not rows:
        return digest
    docs = _one_copy_each([d for d in (store.document(r.id) for r in rows) if d is not None])
    chunk_ids = store.chunk_ids_by_document([d.id for d in docs])
    vecs = document_vectors(vectors, [d.id for d in docs], chunk_ids) if vectors is not None and docs else None
    groups = group_stories(docs, vecs)
    digest.entries = sorted((_entry(g, store, chunk_ids) for g in groups), key=_order)
    return digest


def _one_copy_each(docs: list[Document]) -> list[Document]:
    """The documents with byte-identical copies left out: one file saved twice under two names (same title, date,
    source, url, author and text: the same content hash) is one article, not a story covered twice."""
    seen: set[str] = set()
    kept = []
    for doc in docs:
        if not doc.content_hash or doc.content_hash not in seen:
            seen.add(doc.content_hash)
            kept.append(doc)
    return kept


def _order(entry: DigestEntry):
    newest_first = -date.fromisoformat(entry.date).toordinal() if entry.date else 0
    return (-entry.coverage, newest_first, entry.title.casefold())


def shingles(text: str, n: int = SHINGLE) -> set[int]:
    """Hashes of the word n-grams of `text` (lower-cased); a short text gives its whole word tuple."""
    words = _WORD.findall(text.casefold())
    if len(words) < n:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i:i + n])) for i in range(len(words) - n + 1)}


def group_stories(docs: list[Document], vecs: np.ndarray | None = None) -> list[list[Document]]:
    """Documents grouped into stories (connected components of the near-duplicate pairs)."""
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for i, j in near_duplicates(docs, vecs):
        union(i, j)
    groups: dict[int, list[Document]] = defaultdict(list)
    for i, doc in enumerate(docs):
        groups[find(i)].append(doc)
    return list(groups.values())


def near_duplicates(docs: list[Document], vecs: np.ndarray | None = None) -> set[tuple[int, int]]:
    """Index pairs (i < j) of documents that are copies or rewrites of one story."""
    sets = [shingles(d.text) for d in docs]
    per_source: dict[str, Counter] = defaultdict(Counter)
    for doc, found in zip(docs, sets):
        if doc.source:  # articles of unknown source are not one source
            per_source[doc.source.casefold()].update(found)
    boilerplate = {h for counts in per_source.values() for h, n in counts.items() if n >= BOILERPLATE_DOCS}
    if boilerplate:  # a source's footer or credit line is no sign that two of its articles are one story
        sets = [found - boilerplate for found in sets]
    holders: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in s:
            holders[h].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in holders.values():
        if 1 < len(members) <= MAX_SHINGLE_DOCS:
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    shared[(members[a], members[b])] += 1
    pairs = {(i, j) for (i, j), n in shared.items() if n / max(1, min(len(sets[i]), len(sets[j]))) >= CONTAINMENT}
    if vecs is not None and len(docs) > 1:
        for start in range(0, len(docs), 1024):  # blocks keep the similarity matrix small
            sims = vecs[start:start + 1024] @ vecs.T
            for a, j in zip(*np.nonzero(sims >= REWRITE_SIMILARITY)):
                i = start + int(a)
                if i < j and _close_in_time(docs[i], docs[int(j)]):
                    pairs.add((i, int(j)))
    return pairs


def _close_in_time(a: Document, b: Document) -> bool:
    return a.date is None or b.date is None or abs((a.date - b.date).days) <= REWRITE_DAYS


def lead_sentence(doc: Document, sentences: Iterable[tuple[int, int]] | None = None) -> tuple[int, int]:
    """(start, end) of the first substantive sentence: the first of at least LEAD_MIN_WORDS words that is
    not the title again; else the first sentence. `sentences` are the document's sentence spans in order
    (as its chunks store them); by default they are split here."""
    if sentences is None:
        sentences = (span for p_start, p_end, _ in doc.paragraphs for span in split_sentences(doc.text, p_start, p_end))
    first: tuple[int, int] | None = None
    title = " ".join(doc.title.split()).casefold()
    for s, e in sentences:
        first = first or (s, e)
        sentence = " ".join(doc.text[s:e].split())
        if len(sentence.split()) >= LEAD_MIN_WORDS and sentence.casefold() != title:
            return s, e
    return first or (0, len(doc.text))


def _stored_sentences(store: Corpus, chunk_ids: list[int]) -> Iterator[tuple[int, int]]:
    """Sentence spans of a document from its chunks, a few chunks at a time (splitting again is slow)."""
    for i in range(0, len(chunk_ids), 2):
        rows = store.chunks(chunk_ids[i:i + 2])
        for cid in chunk_ids[i:i + 2]:
            yield from rows[cid].sentences


def _entry(group: list[Document], store: Corpus, chunk_ids: dict[str, list[int]]) -> DigestEntry:
    """The story of a group, led by its earliest article (the shortest of same-day copies: the original
    rarely carries the credit lines and boilerplate its copies add)."""
    group = sorted(group, key=lambda d: (d.date or date.max, len(d.text), d.id))
    lead = group[0]
    ids = chunk_ids.get(lead.id)
    s, e = lead_sentence(lead, _stored_sentences(store, ids) if ids else None)
    return DigestEntry(
        title=lead.title, date=lead.date.isoformat() if lead.date else None, source=lead.source, url=lead.url,
        lead_quote=lead.text[s:e], attribution=attribute(lead, s, e),
        articles=[DigestArticle(d.id, d.title, d.date.isoformat() if d.date else None, d.source, d.url)
                  for d in group],
    )
