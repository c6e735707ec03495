#!/usr/bin/env python3
"""Benchmark the newsdesk engine on a synthetic news corpus it generates itself (issue 2, "Done means").

    .venv/bin/python scripts/bench_engine.py [--ingest-chunks 2500] [--chunks 10000,100000] [--json-out FILE]

Part 1 - ingest throughput. A corpus of ~--ingest-chunks chunks is written as JSONL and ingested with
`index.ingest.build.ingest` and the real default encoder. The texts the ingest hands to the encoder (exactly the
`Chunk.embed_text(title)` strings) are recorded, and the raw encoder is timed on the very same list with
`encoder.encode(texts)` (same batch size as the ingest). A raw run comes before and after each ingest run; the
ingest's throughput is reported as a percentage of the mean raw throughput. Target: >= 90 %.

Part 2 - ask latency at each --chunks size. Embedding 100k chunks with the real model would take ~1.5 h on
2 cores, so the PASSAGE VECTORS ARE SYNTHETIC: the index is built by the real ingest (real parse, chunk,
SQLite, FAISS, BM25) with a stand-in encoder that gives each chunk a pseudo-random 384-d unit vector and
carries the real model's name, so the manifest matches and `Engine.open` accepts the real encoder.
Everything on the query path is real: `Engine.ask` with the real model encoding the question, a real FAISS
search over N 384-d vectors (the index type the settings pick for N: exact "flat" up to
FAISS_APPROX_THRESHOLD, 100k by default), real BM25, real quote selection and attribution. Because the passage
vectors do not live in the model's space, dense similarities are near zero and whether a question counts
as answered means nothing here (either way the same quotes are built: as answers or as "nearest"); the
cost of each stage does not depend on the vector values (exact search reads every vector whatever they
hold). Latency is warm (warm-up asks first) and end to end; a second, instrumented pass splits it into
stages. Target: p50 <= 50 ms at 100k chunks. With --also-threads N (default 1) the same asks are timed
once more with torch and FAISS held to N threads, to show what the thread setting costs.

The machine's 1-minute load average is recorded with each part: other work on a 2-core machine inflates
every figure (torch's threads especially), so compare runs made on a quiet machine.

Everything is written to a temporary folder that is removed at the end. With --keep DIR each size's index is
built in DIR/index-<chunks> and kept there; a later run with the same --keep DIR, size and seed opens it
instead of building it again (to re-time opens and asks without rebuilding a 1M-passage index).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator, Sequence

from _paths import ROOT  # noqa: E402,F401  (the repository importable, the model libraries offline)

import numpy as np  # noqa: E402

from index.ingest.chunk import chunk_document  # noqa: E402
from index.encode.embed import load_encoder  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.ingest.build import ingest  # noqa: E402
from index.ingest.parse import parse_file  # noqa: E402
from index.settings import DEFAULT_MODEL  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from index.stages import NO_STAGES, Stages  # noqa: E402
from index.store.documents import Store  # noqa: E402
from index.store.versions import current_version  # noqa: E402

MAX_WORDS = 120  # ingest's default chunk size; the generator uses it to predict the chunk count
DOCS_PER_FILE = 500

# --------------------------------------------------------------------------------------------------------
# Synthetic news corpus
# --------------------------------------------------------------------------------------------------------

FIRST = ["Anna", "Oleksandr", "Maria", "Dmitry", "Fatima", "Ahmed", "Elena", "Carlos", "Sofia", "Hassan", "Ingrid",
         "Kenji", "Amara", "Lucas", "Nadia", "Pavel", "Leila", "Tomás", "Yusuf", "Greta", "Rafael", "Zainab", "Jonas",
         "Mei", "Viktor", "Aisha", "Marco", "Olena", "Samuel", "Irina", "Omar", "Chloe", "Bogdan", "Layla", "Henrik",
         "Priya", "Stefan", "Noor", "Mateo", "Katarzyna"]
LAST = ["Kovalenko", "Petrov", "Haddad", "Schneider", "Okafor", "Nakamura", "Rossi", "Novak", "Yilmaz", "Andersen",
        "Morales", "Khalil", "Dubois", "Shevchenko", "Ivanova", "Mendes", "Larsen", "Aziz", "Fischer", "Kaya",
        "Moreau", "Tkachenko", "Suleiman", "Bauer", "Costa", "Hryhorenko", "Lindqvist", "Farouk", "Weber", "Santos",
        "Melnyk", "Popescu", "Nowak", "Demir", "Quinn", "Baptiste", "Varga", "Odhiambo", "Sato", "Horvat"]
ROLES = ["the defence minister", "a spokesman for the foreign ministry", "the mayor", "an analyst at the Institute "
         "for Strategic Studies", "the port director", "a senior navy officer", "the energy minister", "a UN envoy",
         "the head of the regional administration", "a professor of economics", "the company's chief executive",
         "a local fisherman", "the governor", "an aid worker", "the parliamentary speaker", "a grain trader"]
SPEAKERS = ["Peskov", "the Kremlin spokesman", "Zelensky", "Erdogan", "Guterres", "the prime minister", "the president"]
ORGS = ["Ukrainian intelligence", "GUR", "the Defence Ministry", "the UN refugee agency", "the central bank",
        "the International Energy Agency", "the European Commission", "NATO", "the Red Cross", "the coast guard",
        "the World Food Programme", "the interior ministry", "port authorities", "the IMF", "local officials",
        "the navy", "the election commission", "monitoring groups"]
OUTLETS = ["Reuters", "CNN Turk", "Kyiv Independent", "Al Jazeera", "BBC News", "Deutsche Welle", "Le Monde",
           "Anadolu", "The Guardian", "AP", "Euronews", "Interfax"]
PLACES = ["Tartus", "Latakia", "Odesa", "Sevastopol", "Novorossiysk", "Istanbul", "Geneva", "Brussels", "Kharkiv",
          "Mykolaiv", "Izmail", "Constanta", "Varna", "Damascus", "Aleppo", "Beirut", "Ankara", "Vienna", "Warsaw",
          "Chisinau", "Batumi", "Limassol", "Piraeus", "Alexandria", "Kherson", "Zaporizhzhia", "Dnipro", "Lviv"]
COUNTRIES = ["Ukraine", "Russia", "Turkey", "Syria", "Romania", "Moldova", "Georgia", "Greece", "Egypt", "Lebanon",
             "Poland", "Germany", "France", "Bulgaria", "Cyprus", "Israel", "Iran", "Austria"]
SHIPS = ["Admiral Hryhorovych", "Engineer Trubin", "Admiral Essen", "Ivan Khurs", "Sparta IV", "Ursa Major",
         "Moskva II", "Novocherkassk", "Yamal", "Vsevolod Bobrov", "Kerch Strait", "Black Sea Star", "Aegean Spirit",
         "Nordic Dawn", "Kapitan Dranitsyn", "Marshal Ustinov"]
SHIP_KINDS = ["frigate", "tanker", "landing ship", "cargo ship", "patrol boat", "bulk carrier", "corvette", "tug"]
TOPICS = ["grain exports", "the ceasefire talks", "fuel prices", "the naval base", "refugee returns",
          "the power grid", "shipping insurance", "sanctions", "the harvest", "reconstruction funds",
          "air defence", "the election", "inflation", "port security", "the prisoner exchange", "gas transit",
          "the military presence in Syria", "minefields in the Black Sea", "food aid", "the currency"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
HEADINGS = ["Reaction abroad", "What happens next", "The background", "Economic impact", "Security concerns",
            "Local residents", "Official response", "Timeline of events"]


class NewsGenerator:
    """Deterministic news-like documents: names, dates, places, numbers and attributed quotes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n = 0

    # ---- pieces -------------------------------------------------------------------------------------
    def person(self) -> str:
        r = self.rng
        return f"{r.choice(FIRST)} {r.choice(LAST)}"

    def day(self) -> str:
        r = self.rng
        return r.choice([f"on {r.choice(MONTHS)} {r.randint(1, 28)}", f"on {r.choice(WEEKDAYS)}", "last week",
                         f"in {r.choice(MONTHS)} {r.randint(2022, 2025)}", "earlier this month", "overnight"])

    def event(self) -> str:
        r = self.rng
        place, place2, country, country2 = r.choice(PLACES), r.choice(PLACES), r.choice(COUNTRIES), r.choice(COUNTRIES)
        ship, kind = r.choice(SHIPS), r.choice(SHIP_KINDS)
        n, pct = r.randint(2, 4000), round(r.uniform(0.5, 18.0), 1)
        return r.choice([
            f"the {kind} {ship} left the port of {place} and headed towards {place2}",
            f"the {kind}s {ship} and {r.choice(SHIPS)} left {place} with their crews",
            f"{n} tonnes of grain were loaded onto ships in {place}",
            f"{country} raised fuel prices by {pct} percent",
            f"talks between {country} and {country2} resumed in {place}",
            f"the central bank of {country} held its key rate at {pct} percent",
            f"flooding forced {n} families from their homes near {place}",
            f"a drone attack damaged a power station outside {place}",
            f"{n} people crossed the border from {country} into {country2}",
            f"the government of {country} approved a reconstruction plan for {place}",
            f"inspectors found {r.randint(2, 40)} sea mines in the approaches to {place}",
            f"the navy moved {r.randint(2, 12)} vessels from {place} to {place2}",
            f"exports through {place} fell by {pct} percent compared with last year",
            f"{country} and {country2} signed an agreement on {r.choice(TOPICS)}",
            f"a convoy of {r.randint(5, 90)} trucks carrying food aid reached {place}",
            f"electricity was restored to {n} households in {place}",
        ])

    def quote_text(self) -> str:
        r = self.rng
        topic, place = r.choice(TOPICS), r.choice(PLACES)
        return r.choice([
            f"We will not accept any deal that ignores {topic}",
            f"The situation in {place} remains extremely difficult",
            f"Our priority is to keep {topic} on track, whatever happens in {place}",
            f"Nobody expected {topic} to change so quickly",
            f"There is no decision yet about {topic}, and we are watching {place} closely",
            f"This is the most serious challenge to {topic} in a decade",
            f"We have enough reserves to get through the winter, but {topic} worries us",
            f"The people of {place} deserve clear answers about {topic}",
        ])

    def sentence(self) -> str:
        r = self.rng
        who, role = self.person(), r.choice(ROLES)
        org, outlet, speaker = r.choice(ORGS), r.choice(OUTLETS), r.choice(SPEAKERS)
        ev, q, day, topic = self.event(), self.quote_text(), self.day(), r.choice(TOPICS)
        s = r.choice([
            f"\u201c{q},\u201d said {who}, {role}.",
            f"\u201c{q},\u201d {who} told {outlet}.",
            f"According to {org}, {ev} {day}.",
            f"In particular, {day}, {ev}.",
            f"{who} noted that {ev}.",
            f"{ev[0].upper() + ev[1:]} {day}, {org} reports.",
            f"{org[0].upper() + org[1:]} announced {day} that {ev}.",
            f"According to {outlet}, {speaker} said that {topic} would be discussed {day}.",
            f"\u201c{q},\u201d - said {speaker}.",
            f"{speaker[0].upper() + speaker[1:]} stressed that {topic} was not up for negotiation.",
            f"Officials in {r.choice(PLACES)} said {ev} {day}.",
            f"{ev[0].upper() + ev[1:]}, according to {org}.",
            f"The move comes after {ev} {day}.",
            f"Analysts expect {topic} to dominate the agenda, {who} wrote in a note to clients.",
        ])
        return s

    # ---- documents ----------------------------------------------------------------------------------
    def paragraph(self) -> str:
        r = self.rng
        sentences: list[str] = []
        words = 0
        for _ in range(r.randint(1, 5)):
            s = self.sentence()
            w = len(s.split())
            if words + w > MAX_WORDS - 5:
                break
            sentences.append(s)
            words += w
        return " ".join(sentences) or self.sentence()

    def long_paragraph(self) -> str:
        """A paragraph of 61-120 words: two of them never share a chunk."""
        while True:
            sentences = [self.sentence()]
            while len(" ".join(sentences).split()) <= MAX_WORDS // 2:
                sentences.append(self.sentence())
            para = " ".join(sentences)
            if len(para.split()) <= MAX_WORDS:
                return para

    def document(self, chunks: int | None = None) -> tuple[dict, int]:
        """A JSONL record and the number of chunks the ingest will cut it into (exactly `chunks` if given)."""
        r = self.rng
        self.n += 1
        when = date(2022, 1, 1) + timedelta(days=r.randint(0, 4 * 365))
        body: list[str] = []
        if chunks:
            body = [self.long_paragraph() for _ in range(chunks)]
        else:
            has_heading = r.random() < 0.3
            for i in range(r.randint(3, 9)):
                if has_heading and i == 3:
                    body.append(r.choice(HEADINGS))
                body.append(self.paragraph())
        place, outlet = r.choice(PLACES), r.choice(OUTLETS)
        title = r.choice([f"Ships leave {place} as tensions rise", f"What we know about {r.choice(TOPICS)}",
                          f"{r.choice(COUNTRIES)} and {r.choice(COUNTRIES)} trade accusations over {place}",
                          f"Residents of {place} brace for a hard winter", f"Talks on {r.choice(TOPICS)} stall",
                          f"{self.person()} on {r.choice(TOPICS)}"])
        rec = {"id": f"syn-{self.n:07d}", "title": title, "date": when.isoformat(), "source": outlet,
               "url": f"https://news.example/{when.year}/{self.n}", "author": self.person(),
               "section": r.choice(["world", "economy", "security", "politics"]), "body": "\n\n".join(body)}
        return rec, predicted_chunks(body)


def predicted_chunks(body: list[str]) -> int:
    """How many chunks index.ingest.chunk.chunk_document makes of these paragraphs (each <= MAX_WORDS words).

    Mirrors its packing: a new chunk at each sub-heading, or when the next paragraph would overflow.
    """
    from index.ingest.clean import is_heading

    chunks, words, heading = 0, 0, None
    for i, para in enumerate(body):
        if is_heading(para, last=i == len(body) - 1):
            if words:
                chunks += 1
            words, heading = 0, para
            continue
        n = len(para.split())
        if words and words + n > MAX_WORDS:
            chunks, words = chunks + 1, 0
        words += n
    return chunks + (1 if words else 0)


def write_corpus(folder: Path, target_chunks: int, seed: int) -> dict:
    """JSONL files under `folder` holding exactly `target_chunks` chunks (the last document is cut to fit)."""
    folder.mkdir(parents=True, exist_ok=True)
    gen = NewsGenerator(seed)
    chunks = docs = words = 0
    fh = None
    while chunks < target_chunks:
        if docs % DOCS_PER_FILE == 0:
            if fh:
                fh.close()
            fh = open(folder / f"news-{docs // DOCS_PER_FILE:04d}.jsonl", "w", encoding="utf-8")
        rec, n = gen.document()
        if chunks + n > target_chunks:
            rec, n = gen.document(chunks=target_chunks - chunks)
            assert n == target_chunks - chunks, (n, target_chunks - chunks)
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        chunks, docs, words = chunks + n, docs + 1, words + len(rec["body"].split())
    if fh:
        fh.close()
    return {"documents": docs, "predicted_chunks": chunks, "words": words}


def questions(seed: int, count: int = 60) -> list[str]:
    r = random.Random(seed + 1)
    out = []
    for _ in range(count):
        place, topic, ship = r.choice(PLACES), r.choice(TOPICS), r.choice(SHIPS)
        who = f"{r.choice(FIRST)} {r.choice(LAST)}"
        out.append(r.choice([
            f"Which ships left {place}?", f"What did {who} say about {topic}?", f"When did the {ship} leave port?",
            f"What did {r.choice(SPEAKERS)} say about {topic}?", f"How much grain was loaded in {place}?",
            f"Why did {r.choice(COUNTRIES)} raise fuel prices?", f"What happened to the power station near {place}?",
            f"Who reported sea mines near {place}?", f"What did {r.choice(ORGS)} say about {topic}?",
            "Who won the 2018 World Cup?", f"Did talks between {r.choice(COUNTRIES)} and {r.choice(COUNTRIES)} resume?",
        ]))
    return out


# --------------------------------------------------------------------------------------------------------
# Measuring helpers
# --------------------------------------------------------------------------------------------------------

def pct(values: Sequence[float], q: float) -> float:
    """Percentile with linear interpolation (numpy's default)."""
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else float("nan")


def dist(values_s: Sequence[float]) -> dict:
    ms = [v * 1000 for v in values_s]
    return {"p50_ms": round(pct(ms, 50), 2), "p95_ms": round(pct(ms, 95), 2), "mean_ms": round(statistics.fmean(ms), 2),
            "max_ms": round(max(ms), 2)}


class RecordingEncoder:
    """Delegates to the real encoder; records every text it is given and the time spent encoding."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.dim, self.min_similarity = inner.name, inner.dim, inner.min_similarity
        self.texts: list[str] = []
        self.seconds = 0.0
        self.calls: list[tuple[int, int]] = []  # (texts, batch_size)

    def encode(self, texts, *, batch_size: int = 64):
        t = time.perf_counter()
        out = self.inner.encode(texts, batch_size=batch_size)
        self.seconds += time.perf_counter() - t
        self.texts.extend(texts)
        self.calls.append((len(texts), batch_size))
        return out


class SyntheticPassageEncoder:
    """SYNTHETIC passage vectors for the latency indexes: a pseudo-random unit vector per text (seeded by the
    text's CRC-32), carrying the real model's name and dimension so the index opens with the real encoder."""

    min_similarity = 0.0

    def __init__(self, name: str, dim: int) -> None:
        self.name, self.dim = name, dim

    def encode(self, texts, *, batch_size: int = 64):
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = np.random.default_rng(zlib.crc32(text.encode())).standard_normal(self.dim, dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


# --------------------------------------------------------------------------------------------------------
# Part 1: ingest throughput
# --------------------------------------------------------------------------------------------------------

def token_counts(encoder, texts: list[str]) -> tuple[int, int, int]:
    """(tokens the model processes after truncation, tokens before truncation, texts truncated)."""
    model = getattr(encoder, "sentence_transformer", None)
    if model is None or not hasattr(model, "tokenizer"):
        n = encoder.count_tokens(texts)
        return n, n, 0
    limit = int(getattr(model, "max_seq_length", 10 ** 9) or 10 ** 9)
    lengths = [len(ids) for ids in model.tokenizer(texts)["input_ids"]]
    return sum(min(n, limit) for n in lengths), sum(lengths), sum(n > limit for n in lengths)


def padded_tokens(encoder, texts: list[str], groups: list[int], batch_size: int) -> int | None:
    """Tokens the model runs on, padding included, when `texts` are encoded in calls of `groups` texts each.

    sentence-transformers sorts each call's texts by length and pads every batch to its longest text, so
    fewer, larger calls pad less: a load-independent measure of the work an ingest adds over one raw call.
    """
    model = getattr(encoder, "sentence_transformer", None)
    if model is None or not hasattr(model, "tokenizer"):
        return None
    limit = int(getattr(model, "max_seq_length", 10 ** 9) or 10 ** 9)
    lengths = [min(len(ids), limit) for ids in model.tokenizer(texts)["input_ids"]]
    total, at = 0, 0
    for n in groups:
        group = sorted(lengths[at:at + n], reverse=True)
        at += n
        total += sum(max(group[i:i + batch_size]) * len(group[i:i + batch_size]) for i in range(0, n, batch_size))
    return total


def expected_embed_texts(corpus: Path) -> list[str]:
    """The texts the ingest will embed, in its order: `Chunk.embed_text(title)` of every chunk of every file."""
    texts: list[str] = []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        for doc in parse_file(path, path.relative_to(corpus).as_posix()):
            if isinstance(doc, tuple):
                raise SystemExit(f"the synthetic corpus has a bad record: {doc}")
            texts += [c.embed_text(doc.title) for c in chunk_document(doc, max_words=MAX_WORDS)]
    return texts


def bench_ingest(real, settings_for: Callable[[str], Settings], work: Path, target: int, seed: int,
                 batch_size: int, rounds: int, log: Callable[[str], None]) -> dict:
    corpus = work / "ingest-corpus"
    t = time.perf_counter()
    info = write_corpus(corpus, target, seed)
    texts = expected_embed_texts(corpus)
    log(f"  corpus: {info['documents']} documents, {len(texts)} chunks ({time.perf_counter() - t:.1f} s to generate)")
    tokens, tokens_untrunc, truncated = token_counts(real, texts)
    load_before = os.getloadavg()[0]

    def raw_run() -> float:
        log(f"  raw encoder.encode(texts) on the same {len(texts)} texts ...")
        t0 = time.perf_counter()
        vecs = real.encode(texts, batch_size=batch_size)
        dt = time.perf_counter() - t0
        assert vecs.shape == (len(texts), real.dim)
        return dt

    def ingest_run(i: int) -> tuple[float, RecordingEncoder, object]:
        log(f"  index.ingest.build.ingest(...) with the real encoder into a fresh index ...")
        settings = settings_for(f"ingest-index-{i}")
        rec = RecordingEncoder(real)
        t0 = time.perf_counter()
        report = ingest(settings, [corpus], encoder=rec)
        dt = time.perf_counter() - t0
        if report.skipped:
            raise SystemExit(f"the synthetic corpus had skipped files: {report.skipped[:3]}")
        # the raw runs must see exactly what the ingest embedded
        if rec.texts != texts:
            raise SystemExit(f"the ingest embedded other texts than expected ({len(rec.texts)} vs {len(texts)})")
        shutil.rmtree(settings.index_dir, ignore_errors=True)
        return dt, rec, report

    # raw, then (ingest, raw) per round: a raw run on each side of every ingest, so drift of the machine
    # shows and averages out
    raw_runs = [raw_run()]
    ingest_runs, encode_in_ingest, reports, calls = [], [], [], []
    for i in range(rounds):
        dt, rec, report = ingest_run(i)
        ingest_runs.append(dt)
        encode_in_ingest.append(rec.seconds)
        reports.append(report)
        calls = [n for n, _ in rec.calls]
        raw_runs.append(raw_run())
    shutil.rmtree(corpus, ignore_errors=True)

    n = len(texts)
    ing_mean, raw_mean = statistics.fmean(ingest_runs), statistics.fmean(raw_runs)
    return {
        "documents": reports[0].documents, "chunks": n, "tokens": tokens, "tokens_before_truncation": tokens_untrunc,
        "texts_truncated": truncated, "mean_words_per_chunk": round(statistics.fmean(len(x.split()) for x in texts), 1),
        "encoder_batch_size": batch_size, "encode_calls_per_ingest": len(calls), "texts_per_encode_call": calls,
        "padded_tokens_raw": padded_tokens(real, texts, [n], batch_size),
        "padded_tokens_ingest": padded_tokens(real, texts, calls, batch_size),
        "ingest_seconds": [round(x, 2) for x in ingest_runs],
        "ingest_encode_seconds": [round(x, 2) for x in encode_in_ingest],
        "ingest_other_seconds": [round(a - b, 2) for a, b in zip(ingest_runs, encode_in_ingest)],
        "raw_seconds": [round(x, 2) for x in raw_runs],
        "ingest_chunks_per_s": round(n / ing_mean, 2), "ingest_tokens_per_s": round(tokens / ing_mean, 1),
        "raw_chunks_per_s": round(n / raw_mean, 2), "raw_tokens_per_s": round(tokens / raw_mean, 1),
        "ingest_vs_raw_pct": round(100 * raw_mean / ing_mean, 1),
        "target_pct": 90.0, "meets_target": 100 * raw_mean / ing_mean >= 90.0,
        "ingest_report_seconds": [r.seconds for r in reports],
        "loadavg_before": round(load_before, 2), "loadavg_after": round(os.getloadavg()[0], 2),
    }


# --------------------------------------------------------------------------------------------------------
# Part 2: ask latency
# --------------------------------------------------------------------------------------------------------

@contextmanager
def thread_counts(n: int | None) -> Iterator[str]:
    """Run with torch and FAISS (OpenMP) limited to `n` threads, or as configured when `n` is None."""
    import faiss
    import torch

    before = (torch.get_num_threads(), faiss.omp_get_max_threads())
    if n:
        torch.set_num_threads(n)
        faiss.omp_set_num_threads(n)
    try:
        yield f"torch {torch.get_num_threads()} / faiss {faiss.omp_get_max_threads()}"
    finally:
        torch.set_num_threads(before[0])
        faiss.omp_set_num_threads(before[1])


def measure_asks(engine: Engine, qs: list[str], asks: int, warmup: int, as_of: date | None = None) -> dict:
    for i in range(warmup):
        engine.ask(qs[i % len(qs)], as_of=as_of)
    load_before = os.getloadavg()[0]

    # pass 1: plain Engine.ask, nothing instrumented (the headline figures)
    total: list[float] = []
    answered = quotes = 0
    for i in range(asks):
        q = qs[i % len(qs)]
        t = time.perf_counter()
        ans = engine.ask(q, as_of=as_of)
        total.append(time.perf_counter() - t)
        answered += ans.answered
        quotes += len(ans.quotes or ans.nearest)

    # pass 2: the same asks with every stage timed (the engine's Stages recorder: encoder, FAISS, BM25, SQLite
    # reads, quote selection, sentence splitting and attribution inside Engine.ask)
    clock = Stages()
    stages: dict[str, list[float]] = {s: [] for s in ("encode", "dense", "bm25", "rest", "sqlite", "quote",
                                                         "split", "attribute", "other")}
    total2: list[float] = []
    engine.stages = clock
    try:
        for i in range(asks):
            t = time.perf_counter()
            engine.ask(qs[i % len(qs)], as_of=as_of)
            dt = time.perf_counter() - t
            total2.append(dt)
            c = clock.take()
            for s in ("encode", "dense", "bm25", "sqlite", "quote", "split", "attribute"):
                stages[s].append(c.get(s, 0.0))
            rest = dt - c.get("encode", 0.0) - c.get("dense", 0.0) - c.get("bm25", 0.0)
            stages["rest"].append(rest)
            stages["other"].append(rest - sum(c.get(s, 0.0) for s in ("sqlite", "quote", "split", "attribute")))
    finally:
        engine.stages = NO_STAGES
    return {
        "asks": asks, "warmup_asks": warmup, "as_of": as_of and as_of.isoformat(), "answered": answered,
        "quotes_returned": quotes,
        "ask": dist(total), "ask_instrumented": dist(total2), "stages": {s: dist(v) for s, v in stages.items()},
        "loadavg_before": round(load_before, 2), "loadavg_after": round(os.getloadavg()[0], 2),
    }


def build_index(real, settings: Settings, work: Path, size: int, seed: int, log: Callable[[str], None],
                kept: Path | None) -> tuple[int, int, float | None]:
    """The index of ~`size` synthetic chunks in settings.index_dir: (chunks, documents, build seconds or None).

    With `kept` (the --keep folder) an index already built there for this size and seed is reused.
    """
    marker = settings.index_dir / "bench-seed"
    if kept and current_version(settings.index_dir) and marker.is_file() and marker.read_text() == str(seed):
        store = Store(current_version(settings.index_dir) / "store.sqlite", readonly=True)
        docs, chunks = store.counts()
        store.close()
        log(f"  reusing the index kept in {settings.index_dir} ({chunks} chunks)")
        return chunks, docs, None
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    corpus = work / f"corpus-{size}"
    t = time.perf_counter()
    info = write_corpus(corpus, size, seed)
    gen_s = time.perf_counter() - t
    log(f"  corpus: {info['documents']} documents, ~{info['predicted_chunks']} chunks ({gen_s:.1f} s); "
        f"ingest with SYNTHETIC passage vectors ...")
    t = time.perf_counter()
    report = ingest(settings, [corpus], encoder=SyntheticPassageEncoder(real.name, real.dim))
    build_s = time.perf_counter() - t
    shutil.rmtree(corpus, ignore_errors=True)
    if kept:
        marker.write_text(str(seed))
    return report.chunks, report.documents, build_s


def bench_latency(real, settings_for: Callable[[str], Settings], work: Path, size: int, seed: int, asks: int,
                  warmup: int, also_threads: int, log: Callable[[str], None], kept: Path | None = None,
                  as_of: date | None = None) -> dict:
    settings = settings_for(f"index-{size}")
    chunks, documents, build_s = build_index(real, settings, work, size, seed, log, kept)

    t = time.perf_counter()
    engine = Engine.open(settings, encoder=real)
    open_s = time.perf_counter() - t
    qs = questions(seed)
    manifest = engine.manifest
    vector_index = manifest.fields.get("faiss_index") or manifest.vector_backend or "flat"
    built = f"indexed in {build_s:.1f} s" if build_s is not None else "kept from an earlier run"
    log(f"  {chunks} chunks {built} ({vector_index}); engine opened in {open_s:.2f} s")
    runs = []
    for n in [None] + ([also_threads] if also_threads else []):
        with thread_counts(n) as threads:
            log(f"  {warmup} warm-up + 2 x {asks} timed asks, threads: {threads}"
                + ("" if n else " (as configured)") + " ...")
            runs.append({"threads": threads, "configured": n is None, **measure_asks(engine, qs, asks, warmup, as_of)})
    engine.close()
    del engine
    if not kept:
        shutil.rmtree(settings.index_dir, ignore_errors=True)
    return {
        "chunks": chunks, "documents": documents, "build_seconds": round(build_s, 1) if build_s is not None else None,
        "vector_index": vector_index, "vector_backend": manifest.vector_backend,
        "open_seconds": round(open_s, 2), "distinct_questions": len(set(qs)), "target_p50_ms": 50.0,
        "ask": runs[0]["ask"], "runs": runs,
    }


# --------------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------------

def print_tables(result: dict) -> None:
    m = result["meta"]
    print()
    dirty = " + uncommitted index/ changes" if m["index_uncommitted_changes"] else ""
    print(f"newsdesk engine benchmark - {m['date']}  commit {m['commit']}{dirty}")
    print(f"  model {m['model']} ({m['embedding_backend']}); FAISS_INDEX={m['faiss_index_setting']} "
          f"(threshold {m['faiss_approx_threshold']})")
    print(f"  {m['cpus']} CPUs, torch {m['torch']} ({m['torch_threads']} threads), faiss {m['faiss']} "
          f"({m['faiss_threads']} threads), bm25s {m['bm25s']}, python {m['python']}; "
          f"load average at start {m['loadavg_start'][0]}")
    ing = result.get("ingest")
    if ing:
        print()
        print(f"1. Ingest throughput (real encoder; {ing['documents']} documents, {ing['chunks']} chunks, "
              f"{ing['tokens']:,} tokens, {ing['mean_words_per_chunk']} words/chunk, batch {ing['encoder_batch_size']})")
        print(f"   {'':32} {'seconds (runs)':>18} {'chunks/s':>10} {'tokens/s':>10}")
        print(f"   {'raw encoder.encode(texts)':32} {' / '.join(map(str, ing['raw_seconds'])):>18} "
              f"{ing['raw_chunks_per_s']:>10} {ing['raw_tokens_per_s']:>10}")
        print(f"   {'index.ingest.build.ingest(...)':32} {' / '.join(map(str, ing['ingest_seconds'])):>18} "
              f"{ing['ingest_chunks_per_s']:>10} {ing['ingest_tokens_per_s']:>10}")
        print(f"     of which encoder.encode        {' / '.join(map(str, ing['ingest_encode_seconds'])):>18}")
        print(f"     of which everything else       {' / '.join(map(str, ing['ingest_other_seconds'])):>18}")
        if ing.get("padded_tokens_raw") and ing.get("padded_tokens_ingest"):
            print(f"   tokens run through the model, padding included: raw {ing['padded_tokens_raw']:,} (one call), "
                  f"ingest {ing['padded_tokens_ingest']:,} ({ing['encode_calls_per_ingest']} calls) - the ingest's "
                  f"ceiling is {100 * ing['padded_tokens_raw'] / ing['padded_tokens_ingest']:.1f} % of raw")
        ok = "meets" if ing["meets_target"] else "MISSES"
        print(f"   ingest = {ing['ingest_vs_raw_pct']} % of the raw encoder's throughput "
              f"({ok} the >= {ing['target_pct']:.0f} % target); load average {ing['loadavg_before']} before, "
              f"{ing['loadavg_after']} after")
    lat = result.get("latency") or []
    if lat:
        print()
        print("2. Ask latency, warm, end to end Engine.ask (real query encoder, FAISS, BM25, quotes, attribution;")
        print("   passage vectors SYNTHETIC - pseudo-random unit vectors, not the model's)")
        print(f"   {'chunks':>8} {'docs':>7} {'index':>8}  {'threads':24} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} "
              f"{'max ms':>8} {'answered':>9}  {'load avg':>11}  p50 <= 50 ms")
        cols = []
        for r in lat:
            for run in r["runs"]:
                a = run["ask"]
                ok = "ok" if a["p50_ms"] <= r["target_p50_ms"] else "MISSED"
                label = run["threads"] + ("" if run["configured"] else " *")
                print(f"   {r['chunks']:>8} {r['documents']:>7} {r['vector_index']:>8}  {label:24} {a['p50_ms']:>8} {a['p95_ms']:>8} "
                      f"{a['mean_ms']:>8} {a['max_ms']:>8} {run['answered']:>4}/{run['asks']:<4}  "
                      f"{run['loadavg_before']:>4} - {run['loadavg_after']:<4}  {ok}")
                cols.append((f"{r['chunks']}" + ("" if run["configured"] else " *"), run))
        if any(not run["configured"] for r in lat for run in r["runs"]):
            print("   * threads limited by this script (torch.set_num_threads, faiss.omp_set_num_threads), "
                  "not the engine's configuration")
        print()
        print("   Stages (instrumented pass; p50 / p95 ms):")
        names = [("encode", "query encode (model)"), ("dense", "dense search (FAISS)"), ("bm25", "BM25 search"),
                 ("rest", "rest (fuse, fetch, quote, attr.)"), ("sqlite", "  - SQLite chunk/doc reads"),
                 ("quote", "  - quote selection"), ("split", "  - sentence split (quote context)"),
                 ("attribute", "  - attribution"), ("other", "  - other")]
        print(f"   {'stage (chunks)':34}" + "".join(f"{name:>19}" for name, _ in cols))
        for key, label in names:
            print(f"   {label:34}" + "".join(
                f"{run['stages'][key]['p50_ms']:>10.1f} /{run['stages'][key]['p95_ms']:>7.1f}" for _, run in cols))
        print(f"   {'total (instrumented)':34}" + "".join(
            f"{run['ask_instrumented']['p50_ms']:>10.1f} /{run['ask_instrumented']['p95_ms']:>7.1f}" for _, run in cols))
    print()
    print("Synthetic parts: the corpus (generated news-like text); in part 2, the passage vectors (pseudo-random")
    print("unit vectors under the real model's name, so the index opens with it). Real: parse, chunk, SQLite,")
    print("FAISS, BM25, the model in part 1 and for every question in part 2, quote selection and attribution.")


def _git(*cmd: str) -> str:
    try:
        return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        return "?"


def meta(args, settings: Settings) -> dict:
    import bm25s
    import faiss
    import torch

    return {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": _git("rev-parse", "--short",
            "HEAD") or "?", "index_uncommitted_changes": bool(_git("status", "--porcelain", "--", "index")),
            "model": args.model, "embedding_backend": settings.embedding_backend,
            "faiss_index_setting": getattr(settings, "faiss_index", "flat"),
            "faiss_approx_threshold": getattr(settings, "faiss_approx_threshold", None),
            "python": platform.python_version(), "torch": torch.__version__, "torch_threads": torch.get_num_threads(),
            "faiss": faiss.__version__, "faiss_threads": faiss.omp_get_max_threads(),
            "bm25s": getattr(bm25s, "__version__", "?"), "cpus": os.cpu_count(),
            "loadavg_start": [round(x, 2) for x in os.getloadavg()], "seed": args.seed,
            "command": " ".join([Path(sys.executable).name] + sys.argv)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunks", default="10000,100000",
                    help="index sizes (chunks) for the ask-latency part, comma-separated; '' skips it")
    ap.add_argument("--ingest-chunks", type=int, default=2500,
                    help="corpus size (chunks) for the ingest-throughput part; 0 skips it")
    ap.add_argument("--ingest-rounds", type=int, default=1,
                    help="ingest runs; each is followed by a raw-encoder run, and one raw run comes first (default 1)")
    ap.add_argument("--asks", type=int, default=100, help="timed asks per index size (default 100)")
    ap.add_argument("--warmup", type=int, default=5, help="warm-up asks per index size (default 5)")
    ap.add_argument("--also-threads", type=int, default=1,
                    help="also time the asks with torch and FAISS limited to this many threads (default 1; 0: skip)")
    ap.add_argument("--seed", type=int, default=2024, help="corpus and question seed (default 2024)")
    ap.add_argument("--model", default=DEFAULT_MODEL, help=f"embedding model (default {DEFAULT_MODEL})")
    ap.add_argument("--batch-size", type=int, default=Settings().embedding_batch_size,
                    help="encoder batch size for ingest and raw runs (default: the settings' default)")
    ap.add_argument("--json-out", type=Path, help="also write every figure as JSON to this file")
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="build each size's index in DIR/index-<chunks> and keep it; reuse it when already there")
    ap.add_argument("--as-of", type=lambda v: date.today() if v == "today" else date.fromisoformat(v),
                    help="ask as of this date ('today' or YYYY-MM-DD), as the bot does (default: no date)")
    ap.add_argument("--keep-temp", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.chunks.split(",") if s.strip()]

    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {msg}", file=sys.stderr, flush=True)

    # the environment's settings (FAISS_INDEX, EMBEDDING_BACKEND, ...) apply; folders are the script's own
    base = replace(Settings.from_env(dotenv=None), embedding_model=args.model, embedding_batch_size=args.batch_size)
    backend = base.embedding_backend
    log(f"loading {args.model} ({backend}) ...")
    real = load_encoder(args.model, backend, Path(tempfile.gettempdir()) / "newsdesk-bench-models")
    real.encode(["warm-up sentence for the encoder"] * 8, batch_size=args.batch_size)
    result: dict = {"meta": meta(args, base), "synthetic": {
        "corpus": "generated news-like JSONL (names, dates, places, attributed quotes), seed %d" % args.seed,
        "latency_passage_vectors": "pseudo-random %d-d unit vectors (seeded by each chunk's text) under the real "
                                   "model's name; questions are encoded by the real model" % real.dim,
    }}

    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    try:
        def settings_for(name: str) -> Settings:
            root = args.keep.resolve() if args.keep else work
            return replace(base, index_dir=root / name, data_dir=work, corpus_dir=work / "corpus")

        if args.ingest_chunks > 0:
            log(f"part 1: ingest throughput on ~{args.ingest_chunks} chunks")
            result["ingest"] = bench_ingest(real, settings_for, work, args.ingest_chunks, args.seed, args.batch_size,
                                            args.ingest_rounds, log)
        result["latency"] = []
        for size in sizes:
            log(f"part 2: ask latency at ~{size} chunks")
            result["latency"].append(bench_latency(real, settings_for, work, size, args.seed, args.asks,
                                                   args.warmup, args.also_threads, log, args.keep,
                                                   args.as_of))
    finally:
        if args.keep_temp:
            log(f"temp folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    result["meta"]["seconds"] = round(time.perf_counter() - started, 1)
    print_tables(result)
    print(f"\nTotal {result['meta']['seconds']} s.")
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"Figures written to {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
