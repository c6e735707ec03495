"""What reading Ukrainian and Russian costs: lexical terms (pymorphy3 lemmas vs Snowball stems) per passage and per
question, and language detection per document (lingua).

    python scripts/bench_languages.py

Passages are the multilingual evaluation corpus's sentences joined into ~120-word passages (each word new to the
cache the first time: "cold"), then read again ("warm", the cache of words already read). Questions are its
question files'.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import _paths  # noqa: F401  (the repository importable)

from index.text.language import detect  # noqa: E402
from index.store.lexical import Terms  # noqa: E402
from index.ingest.parse import parse_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent / "eval" / "corpora" / "multilingual"


def passages(lang: str) -> list[str]:
    words = []
    for path in sorted((ROOT / "docs" / lang).iterdir()):
        for doc in parse_file(path, path.name):
            if not isinstance(doc, tuple):
                words += doc.text.split()
    return [" ".join(words[i:i + 120]) for i in range(0, len(words), 120)]


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    print("| language | passages | cold ms/passage | warm ms/passage | questions | ms/question (cold) |")
    print("|---|---|---|---|---|---|")
    for lang in ("en", "uk", "ru"):
        terms = Terms()
        terms(["прогрів словників: warm-up"])  # the dictionaries' load is counted apart below
        texts = passages(lang)
        cold = timed(lambda: [terms([t]) for t in texts])
        warm = timed(lambda: [terms([t]) for t in texts])
        questions = [json.loads(line)["question"] for line in (ROOT / "questions" / f"{lang}-all.jsonl").open()]
        fresh = Terms()
        fresh(["прогрів: warm-up"])
        asked = timed(lambda: [fresh.question(q) for q in questions])
        print(f"| {lang} | {len(texts)} | {1000 * cold / len(texts):.2f} | {1000 * warm / len(texts):.2f} | "
              f"{len(questions)} | {1000 * asked / len(questions):.2f} |")
    load = timed(lambda: Terms()(["кораблі"]))
    print(f"\nfirst Cyrillic word of a process (pymorphy3 import and both dictionaries): {1000 * load:.0f} ms")
    docs = [p.read_text() for lang in ("en", "uk", "ru") for p in sorted((ROOT / "docs" / lang).iterdir())]
    first = timed(detect, docs[0])
    rest = timed(lambda: [detect(d) for d in docs])
    print(f"language detection: first document {1000 * first:.0f} ms (lingua's models load), "
          f"then {1000 * rest / len(docs):.2f} ms a document")


if __name__ == "__main__":
    main()
