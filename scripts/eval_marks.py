"""How well the answer marks (index/answer/mark.py) point at the answer, on every corpus of the evaluation suite.

    python scripts/eval_marks.py [--suite eval/suite.toml] [--only a,b] [--misses]

Each answerable question is asked as the evaluation asks it (as of its date, time words on). Of the answered ones
whose quotes hold a gold answer, the first such quote is read:
  covers   every word of the gold answer is marked (stop words, and the question's own words, which are never
           marked, aside), for one of its gold answers
  touches  a mark overlaps the gold answer
Of the answered questions' quotes that hold no gold answer: the share with a mark (`marked w/o gold`); they often
hold another answer of the asked kind (a second report's date, a second figure). `on question` counts marks, over
every quote shown, holding a word of the question (written as in the question, stop words aside): it must be 0.

A corpus is opened on its cached index (`DATA_DIR/eval/…`, as `newsdesk eval --suite` builds it); an optional
corpus (the RealTimeQA dev set) is skipped when its cache is not there rather than built (that takes long).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

import _paths  # noqa: F401  (the repository importable, the model libraries offline)

from index.eval.evaluate import ANSWERABLE, CONFIGS, load_questions  # noqa: E402
from index.text.fold import fold  # noqa: E402
from index.store.lexical import Terms  # noqa: E402
from index.answer.mark import Marker  # noqa: E402
from index.answer.question import Question  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from index.eval.suite import cache_slug, load_suite, open_corpus  # noqa: E402

WORD = re.compile(r"[^\W_]+")


def occurrences(text: str, answer: str) -> list[re.Match]:
    """Where `answer` is written in `text`, case, punctuation and spacing aside (as `contains_answer` compares)."""
    words = WORD.findall(fold(answer))
    if not words:
        return []
    return list(re.finditer(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)", text, re.IGNORECASE))


def judge(text: str, marks, answers, marker: Marker, stopwords) -> tuple[bool, bool, bool]:
    """(holds a gold answer, a mark covers one, a mark touches one)."""
    held = covered = touched = False
    for answer in answers:
        for m in occurrences(text, answer):
            held = True
            touched |= any(a < m.end() and m.start() < b for a, b in marks)
            need = [(m.start() + w.start(), m.start() + w.end()) for w in WORD.finditer(m.group(0))
                    if w.group(0).casefold() not in stopwords and not marker.is_question_word(w.group(0))]
            covered |= bool(need) and all(any(a <= s and e <= b for a, b in marks) for s, e in need)
    return held, covered, touched


def on_question(text: str, marks, question: str, stopwords) -> int:
    own = {w for w in WORD.findall(question.casefold())} - stopwords
    return sum(bool(set(WORD.findall(text[a:b].casefold())) & own) for a, b in marks)


class Tally:
    def __init__(self) -> None:
        self.answered = self.held = self.covers = self.touches = self.bare = self.bare_marked = self.on_q = 0

    def row(self, name: str) -> str:
        def share(n: int, d: int) -> str:
            return f"{n / d:.2f}" if d else "–"
        return (f"| {name} | {self.answered} | {self.held} | {share(self.covers, self.held)} | "
                f"{share(self.touches, self.held)} | {self.bare} | {share(self.bare_marked, self.bare)} | {self.on_q} |")


HEADER = ("| {} | answered | holding gold | covers | touches | quotes w/o gold | marked w/o gold | on question |\n"
          "|---|---|---|---|---|---|---|---|")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", type=Path, default=Path(__file__).resolve().parent.parent / "eval" / "suite.toml")
    ap.add_argument("--only", help="comma-separated corpus names")
    ap.add_argument("--misses", action="store_true", help="also print each question whose mark misses its answer")
    args = ap.parse_args()
    settings = Settings.from_env()
    corpora = [c for c in load_suite(args.suite) if c.present and (not args.only or c.name in args.only.split(","))]
    by_corpus: dict[str, Tally] = defaultdict(Tally)
    by_type: dict[str, Tally] = defaultdict(Tally)
    by_kind: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    encoder = None
    for corpus in corpora:
        cache = settings.data_dir / "eval" / cache_slug(corpus.docs, settings.embedding_model)
        if corpus.optional and not cache.is_dir():
            print(f"({corpus.name}: skipped, no cached index at {cache})")
            continue
        engine, _ = open_corpus(settings, corpus, encoder)
        encoder = engine.encoder
        terms: Terms = engine.version.retriever.lexical.terms
        labels = {}
        for path in corpus.questions:
            for line in path.read_text().splitlines():
                if line.strip():
                    r = json.loads(line)
                    labels[str(r["id"])] = r.get("type") or "(unlabelled)"
        for q in (q for path in corpus.questions for q in load_questions(path) if q.kind == ANSWERABLE):
            answer = engine.ask(q.question, k=3, as_of=q.question_date, **CONFIGS["full"])
            marker = Marker.of(Question(answer.question, lexical=engine.version.retriever.lexical))
            tallies = [total, by_corpus[corpus.name], by_type[labels.get(q.id, "(unlabelled)")],
                       by_kind[marker.kind or "(none)"]]
            shown = answer.quotes or answer.nearest
            wrong = sum(on_question(x.text, x.marks, answer.question, terms.stopwords) for x in shown)
            for t in tallies:
                t.on_q += wrong
            if answer.decision != "answer":
                continue
            first = None
            for x in answer.quotes:
                held, covered, touched = judge(x.text, x.marks, q.answers, marker, terms.stopwords)
                if held and first is None:
                    first = (covered, touched)
                    if args.misses and not covered:
                        print(f"miss [{labels.get(q.id)}/{marker.kind or '-'}] {q.question} | {list(q.answers)}\n    "
                              + "".join(f"[[{x.text[a:b]}]]" if i % 2 else x.text[a:b] for i, (a, b) in
                                        enumerate(_cuts(x.text, x.marks))))
                for t in tallies:
                    t.bare += not held
                    t.bare_marked += not held and bool(x.marks)
            for t in tallies:
                t.answered += 1
                if first:
                    t.held += 1
                    t.covers += first[0]
                    t.touches += first[1]
    for title, table in (("corpus", by_corpus), ("type", by_type), ("marked as", by_kind)):
        print("\n" + HEADER.format(title))
        for name in sorted(table) if title != "corpus" else table:
            print(table[name].row(name))
        print(total.row("**all**"))


def _cuts(text: str, marks) -> list[tuple[int, int]]:
    """`text` cut into alternating unmarked and marked spans (for --misses)."""
    out, pos = [], 0
    for a, b in marks:
        out += [(pos, a), (a, b)]
        pos = b
    return out + [(pos, len(text))]


if __name__ == "__main__":
    main()
