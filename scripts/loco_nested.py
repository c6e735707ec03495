"""Leave one corpus out for everything that is fitted: the answering-sentence model and the answer decision.

    python scripts/fit_sentences.py --dump CANDIDATES.pkl     # the sentence candidates, measured once
    python scripts/loco_nested.py CANDIDATES.pkl [--suite eval/suite.toml] [--json FILE]

For each corpus in turn: the sentence model is fitted on the other corpora's answering sentences, every corpus is
asked with it, the decision is fitted on the other corpora's asks (as `newsdesk eval --suite --loco` fits it),
and the corpus left out is asked with both. Its row is what a team whose corpus newsdesk never saw would get.
(`newsdesk eval --suite --loco` holds out the decision only, asking with the shipped sentence model, which was
fitted on every corpus.)
"""

from __future__ import annotations

import argparse
import json
import pickle
from dataclasses import asdict
from pathlib import Path

import _paths  # noqa: F401  (the repository importable, the model libraries offline)

from fit_sentences import fit as fit_sentences  # noqa: E402
from index.answer.decide import fit_thresholded  # noqa: E402
from index.eval.evaluate import load_questions  # noqa: E402
from index.answer.sentences import FEATURES  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from index.eval.suite import (REFUSAL_TARGETS, ask_corpus, corpus_row, load_suite, open_corpus, samples,  # noqa: E402
                         suite_table)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("candidates", type=Path, help="fit_sentences.py --dump output")
    ap.add_argument("--suite", type=Path, default=Path(__file__).resolve().parent.parent / "eval" / "suite.toml")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args()
    data = pickle.loads(args.candidates.read_bytes())
    corpus_of = {q["id"]: name for name, qs in data.items() for q in qs}
    settings = Settings.from_env()
    corpora = [c for c in load_suite(args.suite) if c.present and c.name in data]
    engines, questions, encoder = {}, {}, None
    for c in corpora:
        engines[c.name] = open_corpus(settings, c, encoder)
        encoder = engines[c.name][0].encoder
        questions[c.name] = [q for p in c.questions for q in load_questions(p)]
    rows = []
    for held in engines:
        model = fit_sentences([q for n, qs in data.items() if n != held for q in qs], corpus_of, list(FEATURES))
        for engine, _ in engines.values():
            engine.sentence_model = model
        asked = {name: ask_corpus(engine, questions[name]) for name, (engine, _) in engines.items() if name != held}
        train = samples(asked, list(asked))
        decider = fit_thresholded([(kind, s, w, corpus) for corpus, kind, s, w in train], REFUSAL_TARGETS,
                                  balanced=True)
        engine, documents = engines[held]
        rows.append(corpus_row(held, ask_corpus(engine, questions[held], decider), documents,
                               decider="sentence model and decision fitted without this corpus"))
        print(f"{held}: held out ({decider})", flush=True)
    print(suite_table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1, default=str))


if __name__ == "__main__":
    main()
