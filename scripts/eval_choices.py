"""Multiple-choice quiz questions read against what newsdesk shows, beside two naive peers in the same run.

    python scripts/eval_choices.py QUESTIONS.jsonl --cache INDEX_DIR --corpus CORPUS.jsonl.gz

For each question (`question`, `question_date`, `choices`, `answers`: the right choice), asked as of its date:
is the right choice's wording (two thirds of its content words, folded) in what the bot shows — the three quotes
of an answer, the three closest passages of an unsure — and no other choice's? The peers see only articles dated
up to the question's date: BM25 over 150-word windows (its three best windows), and the naive sentence picker
(the three sentences of BM25's five best windows sharing most of the question's words). Prints the shares and
the bot's decisions.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

import _paths  # noqa: F401  (the repository importable, the model libraries offline)

from index.engine import Engine  # noqa: E402
from index.text.fold import fold  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402

STOP = frozenset("the a an of to in on at for and or is are was were be by with as from that this which what who "
                 "how when where why it its his her their has have had did does do not".split())


def content(text: str) -> list[str]:
    return [w for w in fold(text).split() if w not in STOP]


def shows(texts: list[str], choice: str) -> bool:
    words = content(choice)
    shown = set(content(" ".join(texts)))
    return bool(words) and sum(w in shown for w in words) >= max(1, round(2 * len(words) / 3))


def right_only(texts: list[str], question: dict) -> bool:
    right = question["answers"][0]
    return shows(texts, right) and not any(shows(texts, c) for c in question["choices"] if fold(c) != fold(right))


def windows(corpus: Path, size: int = 150) -> tuple[list[str], list[str]]:
    texts, days = [], []
    with gzip.open(corpus, "rt") as fh:
        for line in fh:
            doc = json.loads(line)
            words = f"{doc.get('title', '')}. {doc.get('body', '')}".split()
            for i in range(0, max(len(words), 1), size):
                texts.append(" ".join(words[i:i + size]))
                days.append(doc.get("date") or "")
    return texts, days


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("questions", type=Path)
    ap.add_argument("--cache", type=Path, required=True, help="the corpus's index (newsdesk eval builds one)")
    ap.add_argument("--corpus", type=Path, required=True, help="the corpus as JSONL.gz, for the peers")
    args = ap.parse_args()
    import bm25s

    questions = [json.loads(line) for line in args.questions.read_text().splitlines() if line.strip()]
    engine = Engine.open(replace(Settings.from_env(), index_dir=args.cache))
    texts, days = windows(args.corpus)
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    day_array = np.array(days)
    bot, bm25, naive, decisions = [], [], [], Counter()
    for q in questions:
        asked = date.fromisoformat(q["question_date"])
        answer = engine.ask(q["question"], k=3, as_of=asked)
        decisions[answer.decision] += 1
        bot.append(right_only([x.text for x in (answer.quotes or answer.nearest)][:3], q))
        allowed = np.flatnonzero(day_array <= q["question_date"])
        scores = retriever.get_scores(_tokens(retriever, q["question"]))
        best = allowed[np.argsort(-scores[allowed])[:5]]
        bm25.append(right_only([texts[i] for i in best[:3]], q))
        asked_words = set(content(q["question"]))
        sentences = [s for i in best for s in re.split(r"(?<=[.!?])\s+", texts[i])]
        top = sorted(sentences, key=lambda s: -len(asked_words & set(content(s))))[:3]
        naive.append(right_only(top, q))
    n = len(questions)
    print(f"{n} questions; the right choice, and no other, in what is shown:")
    print(f"  newsdesk (3 quotes or 3 closest passages)      {sum(bot) / n:.3f}")
    print(f"  naive: 3 sentences of BM25's 5 best windows     {sum(naive) / n:.3f}")
    print(f"  BM25: 3 best windows of 150 words              {sum(bm25) / n:.3f}")
    print("decisions: " + ", ".join(f"{k} {v / n:.3f}" for k, v in sorted(decisions.items())))
    return 0


def _tokens(retriever, text: str) -> list[str]:
    """The question's words as the BM25 index knows them."""
    import bm25s

    tokenized = bm25s.tokenize([text], stopwords="en", show_progress=False, return_ids=False)
    return [w for w in tokenized[0] if w in retriever.vocab_dict]


if __name__ == "__main__":
    sys.exit(main())
