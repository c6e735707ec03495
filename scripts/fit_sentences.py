"""Fit the answering-sentence model (index/answer/sentences.py) on the evaluation suite, each corpus scored by a model
fitted on the others.

    python scripts/fit_sentences.py [--suite eval/suite.toml] [--only a,b] [--features f1,f2,...] [--dump FILE]

For every answerable question the candidate sentences of its best passages are measured as the engine measures them
(every feature, the sentences encoded on their own) and labelled: an answering sentence of the question (team
corpora), or for the RealTimeQA dev set a sentence of a gold article holding a gold answer. A pairwise logistic
regression learns which of two sentences of the same question answers it; each question and each corpus weigh
the same. Printed: per corpus, the answering sentence among the first one and two quotes (the best sentences of
the measured passages) under the hand-set score, under the model fitted without that corpus, and under the
model fitted on all; then the weights to ship.
"""

from __future__ import annotations

import argparse
import json
import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np

import _paths  # noqa: F401  (the repository importable, the model libraries offline)

from index import engine as engine_module  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.eval.evaluate import contains_answer, holds_sentence, load_questions  # noqa: E402
from index.answer.sentences import FEATURES, HAND_SET, SentenceModel  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from index.eval.suite import load_suite, open_corpus  # noqa: E402

PASSAGES = 8  # the best passages whose sentences are measured in full (the engine's sentence_passages or more)


def gather(engine: Engine, questions) -> list[dict]:
    """For each answerable question: its refined candidate sentences as (chunk id, features, label, text, title,
    chunk id, start), read where the engine ranks them (every sentence with its passage, by score)."""
    captured = {}
    real_order = engine_module.by_date_among_ties

    def spy(by_score, tie, **how):
        captured["ranked"] = by_score
        return real_order(by_score, tie, **how)

    engine_module.by_date_among_ties = spy
    try:
        out = []
        for q in questions:
            if q.kind != "answerable":
                continue
            engine.ask(q.question, k=3, as_of=q.question_date)
            rows = []
            for p, hit in captured["ranked"]:
                if "restates" not in p.features:  # not among the refined passages
                    continue
                text = hit.text[p.start - hit.start:p.end - hit.start]
                label = holds_sentence(text, q.sentences) if q.sentences else (
                    hit.doc_id in q.gold and contains_answer([text], q.answers))
                rows.append((hit.chunk_id, dict(p.features), bool(label), text, hit.title, hit.chunk_id, p.start))
            out.append({"id": q.id, "question": q.question, "rows": rows})
        return out
    finally:
        engine_module.by_date_among_ties = real_order


def quoted_at(model: SentenceModel, question: dict, n: int) -> bool:
    """Whether an answering sentence is among the `n` best sentences under `model` (the engine quotes the best
    sentences whichever passages hold them)."""
    ranked = sorted(question["rows"], key=lambda r: model.score(r[1]), reverse=True)
    return any(r[2] for r in ranked[:n])


def fit(questions: list[dict], corpus_of: dict[str, str], features: list[str], c: float = 1.0) -> SentenceModel:
    from sklearn.linear_model import LogisticRegression

    X, y, w = [], [], []
    per_corpus: dict[str, int] = {}
    usable = [q for q in questions if any(r[2] for r in q["rows"]) and not all(r[2] for r in q["rows"])]
    for q in usable:
        per_corpus[corpus_of[q["id"]]] = per_corpus.get(corpus_of[q["id"]], 0) + 1
    for q in usable:
        pos = [np.array([f.get(k, 0.0) for k in features]) for _, f, lab, *_ in q["rows"] if lab]
        neg = [np.array([f.get(k, 0.0) for k in features]) for _, f, lab, *_ in q["rows"] if not lab]
        weight = 1.0 / (len(pos) * len(neg) * per_corpus[corpus_of[q["id"]]])
        for a in pos:
            for b in neg:
                X += [a - b, b - a]
                y += [1, 0]
                w += [weight, weight]
    lr = LogisticRegression(C=c, fit_intercept=False, max_iter=2000).fit(np.array(X), np.array(y), sample_weight=np.array(w) * len(w))
    coef = lr.coef_[0]
    scale = (abs(coef[features.index("passage")]) + abs(coef[features.index("sentence")])) if \
        {"passage", "sentence"} <= set(features) else 1.0
    return SentenceModel({k: round(float(v / scale), 4) for k, v in zip(features, coef)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", type=Path, default=Path(__file__).resolve().parent.parent / "eval" / "suite.toml")
    ap.add_argument("--only")
    ap.add_argument("--features", default=",".join(FEATURES))
    ap.add_argument("--dump", type=Path, help="keep the measured candidates here (pickle) ...")
    ap.add_argument("--load", type=Path, help="... and fit from such a file instead of asking again")
    ap.add_argument("-C", type=float, default=1.0, help="the inverse regularisation strength")
    args = ap.parse_args()
    features = args.features.split(",")
    if args.load:
        data = pickle.loads(args.load.read_bytes())
    else:
        settings = Settings.from_env()
        corpora = [c for c in load_suite(args.suite) if c.present]
        if args.only:
            corpora = [c for c in corpora if c.name in set(args.only.split(","))]

        data, encoder = {}, None
        for c in corpora:
            engine, _ = open_corpus(settings, c, encoder)
            encoder = engine.encoder
            engine.ranking = replace(engine.ranking, sentence_passages=PASSAGES)
            # every refined feature measured, whatever the model in use weighs
            measured = ("sentence", "restates", "speaker", "aligned")
            engine.sentence_model = SentenceModel({**engine.sentence_model.weights, **{
                k: engine.sentence_model.weights.get(k) or 1e-9 for k in measured}})
            data[c.name] = gather(engine, [q for p in c.questions for q in load_questions(p)])
            print(f"{c.name}: {len(data[c.name])} answerable questions measured")
        if args.dump:
            args.dump.write_bytes(pickle.dumps(data))
    corpus_of = {q["id"]: name for name, qs in data.items() for q in qs}
    everything = [q for qs in data.values() for q in qs]
    fitted_all = fit(everything, corpus_of, features, args.C)
    print("\n| corpus | questions | answering sentence reachable | hand-set @1 | @2 | held-out fit @1 | @2 | fit on all @1 | @2 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, qs in data.items():
        held = fit([q for q in everything if corpus_of[q["id"]] != name], corpus_of, features, args.C)
        reach = [q for q in qs if any(r[2] for r in q["rows"])]
        cells = [name, str(len(qs)), str(len(reach))]
        for model in (HAND_SET, held, fitted_all):
            for n in (1, 2):
                cells.append(f"{sum(quoted_at(model, q, n) for q in reach) / max(len(reach), 1):.3f}")
        print("| " + " | ".join(cells) + " |")
    print(f"\nfitted on all: {json.dumps(dict(fitted_all.weights))}")


if __name__ == "__main__":
    main()
