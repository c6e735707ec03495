"""Soft alignment of the asked relation (issue 24): does the best sentence say what the question asks, not only the
scene? Measured on every corpus of the evaluation suite, judged leave-one-corpus-out.

    python scripts/study_align.py gather ASKS.pkl [--suite eval/suite.toml] [--only a,b]
    python scripts/study_align.py loco ASKS.pkl [--features align_weakest,align_share] [--tau 0.5] [--auc]
                                  [--alone] [--absent] [--common 5.5]
    python scripts/fit_sentences.py --dump CANDIDATES.pkl
    python scripts/study_align.py sentences CANDIDATES.pkl [--features s_align_share] [--absent] [--tau 0.5]
                                  [--near 3 --features s_by_relation]

`gather` asks every question once as `newsdesk eval --suite` does (shipped decider and sentence model) and keeps,
per ask, its row and the five best sentences it was decided on (each with its passage, neighbours and headline).
`loco` measures, for each content word of the question's asked clause (`Aligner` below), its best match among
the words around the best sentence with the engine's own encoder on single words, adds the alignment signals to
each ask's signals, fits the decision on all corpora but one (as `newsdesk eval --suite --loco` does) and scores
the one left out — with and without the new signals, on the same asks. A decision changed by a held-out decider
is read from the main search's signals (a question with a time window may have searched twice: the row's are
the ones its answer was decided on). `sentences` adds each candidate sentence's alignment to the features the
answering-sentence model is fitted on and prints scripts/fit_sentences.py's held-out table with and without it.
Options: `--alone` the best sentence without its neighbours and headline; `--absent` only the asked words no
passage holds (the relation the corpus states in other words, or never); `--common Z` leaves out asked words as
common as Zipf Z (needs the `wordfreq` package, not a dependency of newsdesk). docs/quality.md has the tables.
"""

from __future__ import annotations

import argparse
import pickle
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import _paths  # noqa: F401  (the repository importable, the model libraries offline)

from index import engine as engine_module  # noqa: E402
from index.answer.align import _stem, absent, content_words  # noqa: E402
from index.answer.align import asked_words as align_words  # noqa: E402
from index.answer.decide import FEATURES  # noqa: E402
from index.answer.question import normalize_question  # noqa: E402
from index.answer.signals import Signals, around  # noqa: E402
from index.answer.sentences import text_of  # noqa: E402
from index.eval.evaluate import load_questions  # noqa: E402
from index.answer.decide import fit_thresholded  # noqa: E402
from index.eval.suite import (REFUSAL_TARGETS, _fit_kind, ask_corpus, corpus_row, load_suite, open_corpus,  # noqa: E402
                              suite_table)
from index.text.words import word_pattern  # noqa: E402
from index.types import NOT_FOUND, UNSURE  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402

TOP = 5  # the best sentences kept per ask
WORDS_KEPT = 50_000  # word vectors a process keeps (~1.5 KB each)


# --- the alignment ----------------------------------------------------------------------------------------------
# Each content word of the asked clause (not its names, years or framing words) is matched with its closest word of
# a text: the same word or stem counts 1.0, another word its cosine similarity under the engine's encoder, each word
# encoded on its own (int8 activations are quantised per batch: a word's vector must not depend on what else was
# encoded with it) and kept per process.


def asked_words(asked: str, names: list[str], common: float = 9.0) -> list[str]:
    """The words of a question's asked clause that name what it asks (index.answer.align.asked_words), less words
    as common in English as `common` (their Zipf frequency, wordfreq: "get", "after", "make" are about 6)."""
    out = align_words(asked, names)
    if common < 9.0:
        from wordfreq import zipf_frequency

        out = [w for w in out if zipf_frequency(w, "en") < common]
    return out


@dataclass(frozen=True)
class Alignment:
    """Each asked word's best match around a sentence (word, matched word, similarity), in the question's order."""

    matches: tuple[tuple[str, str, float], ...]
    threshold: float

    @property
    def weakest(self) -> float:
        return min((s for *_, s in self.matches), default=1.0)

    @property
    def share(self) -> float:
        return sum(s >= self.threshold for *_, s in self.matches) / len(self.matches) if self.matches else 1.0

    @property
    def mean(self) -> float:
        return float(np.mean([s for *_, s in self.matches])) if self.matches else 1.0

    def signals(self) -> dict[str, float]:
        return {"align_weakest": self.weakest, "align_share": self.share, "align_mean": self.mean}


@dataclass
class Aligner:
    """Matches a question's asked words with the words of a text by the encoder's single-word vectors."""

    encoder: object
    threshold: float = 0.5
    _vectors: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def vectors(self, ws: list[str]) -> np.ndarray:
        """The words' vectors, each encoded alone (int8 activations are quantised per batch) and kept."""
        with self._lock:
            new = [w for w in dict.fromkeys(ws) if w not in self._vectors]
        found = {w: self.encoder.encode([w])[0] for w in new}
        with self._lock:
            if len(self._vectors) + len(found) > WORDS_KEPT:
                self._vectors.clear()
            self._vectors.update(found)
            return np.vstack([self._vectors.get(w, found.get(w)) for w in ws]) if ws else np.zeros((0, 1))

    def align(self, asked: list[str], text: str) -> Alignment:
        """Each asked word's closest word of `text`."""
        there = content_words(text)
        if not asked:
            return Alignment((), self.threshold)
        if not there:
            return Alignment(tuple((w, "", 0.0) for w in asked), self.threshold)
        stems = {_stem(w): w for w in there}
        out: list[tuple[str, str, float] | None] = [None] * len(asked)
        rest = []
        for i, w in enumerate(asked):
            if (s := _stem(w)) in stems:
                out[i] = (w, stems[s], 1.0)
            else:
                rest.append(i)
        if rest:
            q = self.vectors([asked[i] for i in rest])
            t = self.vectors(there)
            sims = q @ t.T
            for row, i in enumerate(rest):
                j = int(np.argmax(sims[row]))
                out[i] = (asked[i], there[j], round(float(sims[row, j]), 4))
        return Alignment(tuple(m for m in out if m is not None), self.threshold)


def gather(args) -> None:
    settings = Settings.from_env()
    corpora = [c for c in load_suite(args.suite) if c.present]
    if args.only:
        corpora = [c for c in corpora if c.name in set(args.only.split(","))]
    contexts: dict[tuple[str, tuple], dict] = {}
    real = engine_module.measure

    def spy(question, ranked, chance, *a, **k):
        signals = real(question, ranked, chance, *a, **k)
        contexts[(question.text, tuple(sorted(signals.as_dict().items())))] = {
            "asked": question.asked_clause, "names": list(question.names), "asks_words": question.speaker is not None,
            "top": [{"sentence": text_of(h, p), "around": around(p, h), "title": h.title, "date": h.date,
                     "chunk": h.chunk_id, "score": p.score, "speaker": p.features.get("speaker", 0.0)}
                    for p, h in ranked[:TOP]]}
        return signals

    engine_module.measure = spy
    data, encoder = {}, None
    try:
        for c in corpora:
            engine, documents = open_corpus(settings, c, encoder)
            encoder = engine.encoder
            questions = [q for p in c.questions for q in load_questions(p)]
            text = {q.id: normalize_question(q.question) for q in questions}
            t0 = time.perf_counter()
            rows = ask_corpus(engine, questions)
            for r in rows:
                key = (text[r["id"]], tuple(sorted((r["signals"] or {}).items())))
                r["context"] = contexts.get(key)
                r["question"] = text[r["id"]]
            data[c.name] = {"documents": documents, "rows": rows}
            print(f"{c.name}: {len(rows)} asks in {time.perf_counter() - t0:.0f} s, "
                  f"{sum(r['context'] is None and bool(r['signals']) for r in rows)} without context", flush=True)
    finally:
        engine_module.measure = real
    args.out.write_bytes(pickle.dumps(data))


def absent_words(asked: list[str], text: str) -> list[str]:
    return absent(asked, [text])


@dataclass(frozen=True)
class Studied(Signals):
    """An ask's signals with the alignment ones beside them (not signals the engine measures)."""

    align_weakest: float = 1.0  # the asked word least matched around the best sentence: its best similarity
    align_share: float = 1.0  # the share of asked words matched (at `--tau` or above)
    align_mean: float = 1.0  # their mean best similarity


def held_out_rows(data: dict, features: list[str], keep: dict | None = None, signals: type | None = None) -> list:
    """Each corpus's rows decided by a decider fitted on the others, as `index.eval.suite.leave_one_out` fits it
    (offline: on the row's own signals, read as `signals`, default Studied — a study passes its own Signals
    subclass); `keep`, when given, receives each corpus's decided asks."""
    signals = signals or Studied
    out = []
    for held in data:
        train = []
        for name, d in data.items():
            if name == held:
                continue
            asks = [r for r in d["rows"] if r["signals"]]
            pos = [r for r in asks if r["kind"] == "answerable"]
            for group in (pos, [r for r in asks if r["kind"] != "answerable"]):
                train += [(_fit_kind(r["kind"]), signals(**r["signals"]), 1.0 / len(group), name) for r in group]
        decider = fit_thresholded(train, REFUSAL_TARGETS, features=features, balanced=True)
        decided = []
        for r in data[held]["rows"]:
            if not r["signals"]:
                decided.append(r)
                continue
            c = decider.confidence(signals(**r["signals"]))
            decision = decider.decide(c)
            if r["decision"] == NOT_FOUND and decision == UNSURE:
                decision = NOT_FOUND  # (the corpus shares no word with it)
            decided.append({**r, "decision": decision, "confidence": c})
        if keep is not None:
            keep[held] = decided
        out.append(corpus_row(held, decided, data[held]["documents"], decider="fitted without this corpus"))
    return out


def loco(args) -> None:
    data = pickle.loads(args.data.read_bytes())
    settings = Settings.from_env()
    from index.encode.embed import encoder_for

    aligner = Aligner(encoder_for(settings), threshold=args.tau)
    t0, n = time.perf_counter(), 0
    for d in data.values():
        for r in d["rows"]:
            ctx = r.get("context")
            if not r["signals"] or not ctx:
                continue
            n += 1
            best = ctx["top"][0]
            asked = asked_words(ctx["asked"], ctx["names"], args.common)
            if args.absent:  # only the asked words none of the five best sentences' surroundings holds
                asked = absent_words(asked, " ".join(t["around"] for t in ctx["top"]))
            found = aligner.align(asked, best["sentence"] if args.alone else best["around"])
            r["signals"] = {**r["signals"], **found.signals()}
            r["alignment"] = found
    print(f"aligned {n} asks in {time.perf_counter() - t0:.1f} s")
    base = list(FEATURES)
    extra = [f for f in args.features.split(",") if f]
    table = {}
    for label, feats in (("before", base), ("after", base + extra)):
        table[label] = held_out_rows(data, feats)
        print(f"\n## {label}: {', '.join(feats)}\n")
        print(suite_table(table[label]))
    if args.auc:
        auc_table(data, extra)


def auc_table(data: dict, names: list[str]) -> None:
    """Per corpus: AUC of each signal, answerable against near (higher on answerable questions = above 0.5)."""
    print("\n| corpus | " + " | ".join(f"AUC {n}" for n in names) + " | answerable mean | near mean |")
    print("|---|" + "---|" * (len(names) + 2))
    for name, d in data.items():
        pos = [r["signals"] for r in d["rows"] if r["signals"] and r["kind"] == "answerable"]
        neg = [r["signals"] for r in d["rows"] if r["signals"] and r["kind"] in ("near", "made_up", "other_period")]
        cells = []
        for n in names:
            a = np.array([s[n] for s in pos])
            b = np.array([s[n] for s in neg])
            cells.append(f"{(np.mean(a[:, None] > b[None, :]) + 0.5 * np.mean(a[:, None] == b[None, :])):.2f}"
                         if len(a) and len(b) else "–")
        first = names[0] if names else None
        cells += [f"{np.mean([s[first] for s in pos]):.2f}" if first and pos else "–",
                  f"{np.mean([s[first] for s in neg]):.2f}" if first and neg else "–"]
        print(f"| {name} | " + " | ".join(cells) + " |")


def answer_spans(expects, sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` offers the kind of answer asked for (index.answer.quote's readings), as character spans."""
    from index.answer import quote
    from index.text.places import places_in

    qw = expects.question_words
    if expects.year:
        return [m.span() for m in quote._YEAR.finditer(sentence) if m.group(0) not in qw]
    if expects.reason:
        return [m.span() for m in quote._REASON.finditer(sentence)]
    if expects.date:
        return [m.span() for m in quote._DATE.finditer(sentence)
                if not set(m.group(0).casefold().rstrip(".").split()) <= qw]
    if expects.money:
        return [m.span() for m in quote._MONEY.finditer(sentence) if m.group(0).casefold() not in qw]
    if expects.number:
        return [m.span() for m in quote._number_tokens(sentence) if m.group(0).casefold() not in qw]
    if expects.place:
        out = []
        for p in places_in(sentence):
            if not set(p.casefold().split()) <= qw and (i := sentence.find(p)) >= 0:
                out.append((i, i + len(p)))
        return out
    if expects.person:
        return [(m.start(), m.start() + len(m.group(1)) + 1 + len(m.group(2))) for m in quote._PERSON.finditer(sentence)
                if not any(w.casefold() in quote._NOT_PERSON or w.casefold() in qw for w in m.groups())]
    if expects.name:
        return [m.span() for m in quote._NAME.finditer(sentence)
                if m.group(0).casefold().strip(".") not in qw | quote._NOT_NAMES]
    return []


def answer_by_relation(aligner: "Aligner", asked: list[str], expects, sentence: str, within: int) -> float:
    """1.0 when an answer of the kind asked for sits within `within` words of a word aligned with an asked word (the
    relation the question asks about, stated next to its answer), else 0.0."""
    spans = answer_spans(expects, sentence)
    if not spans or not asked:
        return 0.0
    tokens = [(m.start(), m.end(), m.group(0)) for m in word_pattern().finditer(sentence)]
    aligned = set()
    for i, (_, _, w) in enumerate(tokens):
        found = aligner.align(asked, w)
        if any(score >= aligner.threshold for *_, score in found.matches):
            aligned.add(i)
    answers = {i for i, (a, b, _) in enumerate(tokens) if any(a < e and s0 < b for s0, e in spans)}
    return float(any(abs(i - j) <= within and i not in answers for i in aligned for j in answers))


def sentences(args) -> None:
    """The answering-sentence model refitted with each candidate's alignment features, each corpus held out
    (scripts/fit_sentences.py's table, on its --dump of the candidates)."""
    from fit_sentences import fit as fit_sentences, quoted_at

    from index.answer.question import Question
    from index.answer.sentences import FEATURES as SENTENCE_FEATURES
    from index.encode.embed import encoder_for

    data = pickle.loads(args.data.read_bytes())
    aligner = Aligner(encoder_for(Settings.from_env()), threshold=args.tau)
    if args.vectors and args.vectors.exists():
        aligner._vectors.update(pickle.loads(args.vectors.read_bytes()))
    t0 = time.perf_counter()
    for qs in data.values():
        for q in qs:
            question = Question.of(q["question"])
            asked = asked_words(question.asked_clause, question.names, args.common)
            if args.absent:
                asked = absent_words(asked, " ".join(f"{r[4]}. {r[3]}" for r in q["rows"]))
            relation = asked_words(question.asked_clause, question.names, args.common)
            rows = []
            for r in q["rows"]:
                found = aligner.align(asked, f"{r[4]}. {r[3]}" if args.title else r[3])
                extra = {f"s_{k}": v for k, v in found.signals().items()}
                if args.near:
                    extra["s_by_relation"] = answer_by_relation(aligner, relation, question.answer_type, r[3],
                                                                args.near)
                rows.append((r[0], {**r[1], **extra}, *r[2:]))
            by_chunk: dict = {}
            for r in rows:
                by_chunk.setdefault(r[0], []).append(r[1]["s_align_mean"])
            for r in rows:  # against the mean of its passage's sentences (as `restates` is)
                r[1]["s_align_rel"] = r[1]["s_align_mean"] - float(np.mean(by_chunk[r[0]]))
            q["rows"] = rows
    print(f"aligned the candidates in {time.perf_counter() - t0:.0f} s ({len(aligner._vectors)} words)")
    if args.vectors:
        args.vectors.write_bytes(pickle.dumps(dict(aligner._vectors)))
    corpus_of = {q["id"]: name for name, qs in data.items() for q in qs}
    everything = [q for qs in data.values() for q in qs]
    extra = [f for f in args.features.split(",") if f]
    print("\n| corpus | reachable | held out @1 / @2 before | after |")
    print("|---|---|---|---|")
    for name, qs in data.items():
        reach = [q for q in qs if any(r[2] for r in q["rows"])]
        cells = []
        for feats in (list(SENTENCE_FEATURES), list(SENTENCE_FEATURES) + extra):
            held = fit_sentences([q for q in everything if corpus_of[q["id"]] != name], corpus_of, feats)
            cells.append(" / ".join(f"{sum(quoted_at(held, q, n) for q in reach) / max(len(reach), 1):.3f}"
                                    for n in (1, 2)))
        print(f"| {name} | {len(reach)} | {cells[0]} | {cells[1]} |")
    print(f"\nfitted on all: {dict(fit_sentences(everything, corpus_of, list(SENTENCE_FEATURES) + extra).weights)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("gather")
    g.add_argument("out", type=Path)
    g.add_argument("--suite", type=Path, default=Path(__file__).resolve().parent.parent / "eval" / "suite.toml")
    g.add_argument("--only")
    s = sub.add_parser("loco")
    s.add_argument("data", type=Path)
    s.add_argument("--tau", type=float, default=0.5)
    s.add_argument("--features", default="align_weakest,align_share")
    s.add_argument("--auc", action="store_true")
    s.add_argument("--common", type=float, default=9.0, help="leave out asked words this common (Zipf)")
    s.add_argument("--absent", action="store_true", help="only asked words absent from the five best (stems)")
    s.add_argument("--alone", action="store_true", help="the best sentence alone, not its neighbours and headline")
    t = sub.add_parser("sentences")
    t.add_argument("data", type=Path, help="scripts/fit_sentences.py --dump output")
    t.add_argument("--tau", type=float, default=0.5)
    t.add_argument("--features", default="s_align_mean")
    t.add_argument("--common", type=float, default=9.0)
    t.add_argument("--absent", action="store_true", help="only asked words no candidate (or headline) holds")
    t.add_argument("--near", type=int, default=0, help="measure s_by_relation: an answer within this many words "
                   "of an asked word's match")
    t.add_argument("--title", action="store_true", help="the headline's words count for every sentence")
    t.add_argument("--vectors", type=Path, help="word vectors kept between runs (pickle)")
    args = ap.parse_args()
    {"gather": gather, "loco": loco, "sentences": sentences}[args.command](args)


if __name__ == "__main__":
    main()
