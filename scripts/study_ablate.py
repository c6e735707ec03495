"""Relation ablation (issue 24): does the best sentence answer the asked relation, or only match its scene? The asked
clause is encoded a second time with its relation removed — only its scene kept — and the best sentence's
similarity to the whole clause is compared with its similarity to the scene. Measured on every corpus of the
evaluation suite, judged leave-one-corpus-out.

    python scripts/study_align.py gather ASKS.pkl                 # every suite question asked once (shared)
    python scripts/study_ablate.py loco ASKS.pkl --scene absent [--full bag] [--features abl_drop] [--auc]

The scene (`--scene`): the asked clause's words less its framing and stop words (`QUESTION_WORDS`, the index's stop
words), then less
  absent   its content words (not names or years) that the best sentence's surroundings — the sentence, its
           neighbours, its headline — never hold, by stem (the relation the report does not state in its words);
  absent5  … that none of the five best sentences' surroundings holds;
  names    every content word that is not a name or year (the scene is the question's names and years);
  head     the first content word that is not a name or year ("refereed", "cost", "attendance").
The full side (`--full`): `asked` the asked clause as written, or `bag` its words less framing and stop words (so
that the two sides differ by the removed words alone), or `inplace` the clause as written against the clause as
written with only the removed words deleted ("Who refereed the Rovers' semi-final?" → "Who the Rovers'
semi-final?": the frame kept on both sides). Signals, per ask (cosines of vectors each encoded alone):
  abl_drop   cos(best sentence, full) − cos(best sentence, scene): the similarity the relation holds up;
  abl_share  abl_drop / cos(best sentence, full);
  abl_rel    abl_drop less the mean abl_drop of the five best sentences (the best against its peers);
  abl_max    the largest abl_drop among the five best sentences;
  abl_hinge  min(abl_drop, 0): only a sentence the relation pulls away from counts;
  abl_below  1.0 when abl_drop < −`--below` (the scene alone matches the sentence better than the question);
  (`--against around`: each sentence read with its neighbours after its headline instead of alone)
  abl_none   1.0 when no word was removed (the scene is the whole clause; the others are then 0);
  abl_only   the other way round: cos(best sentence, the relation alone — the removed words after the clause's
             first word, "Who refereed") less its mean over the five best sentences.
Each reads one question and a few sentences: it means the same on a five-article folder and on 82,556 passages.
`loco` fits the decision on all corpora but one exactly as `newsdesk eval --suite eval/suite.toml --loco` does and
scores the one left out, with and without the named signals (its "before" table reproduces that command's).
docs/quality.md ("Relation ablation: studied") has the tables.
"""

from __future__ import annotations

import argparse
import pickle
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

import _paths  # noqa: F401  (the repository importable, the model libraries offline)

from index.answer.decide import FEATURES  # noqa: E402
from index.answer.signals import Signals  # noqa: E402
from index.encode.embed import encode_queries, encoder_for  # noqa: E402
from index.eval.suite import suite_table  # noqa: E402
from index.text.words import word_pattern, words  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from index.answer.align import _stem, _stopwords  # noqa: E402
from study_align import auc_table, held_out_rows  # noqa: E402

SCENES = ("absent", "absent5", "names", "head")


@dataclass(frozen=True)
class Ablated(Signals):
    """An ask's signals with the ablation ones beside them (not signals the engine measures)."""

    abl_drop: float = 0.0
    abl_share: float = 0.0
    abl_rel: float = 0.0
    abl_max: float = 0.0
    abl_none: float = 0.0
    abl_only: float = 0.0
    abl_hinge: float = 0.0
    abl_below: float = 0.0


def _fold(word: str) -> str:
    return word.casefold().replace("’", "'").removesuffix("'s").strip("'-")


def clause_words(asked: str, names: list[str]) -> list[tuple[str, bool]]:
    """The asked clause's words as written, less framing and stop words, each with whether it belongs to a name or
    year of the question."""
    named = {_fold(w) for n in names for w in words(n)}
    stop = _stopwords()
    out = []
    for w in words(asked):
        f = _fold(w)
        if f in named:
            out.append((w, True))
        elif f and f not in stop and len(f) > 1:
            out.append((w, False))
    return out


def deleted(asked: str, removed: set[str]) -> str:
    """`asked` as written, less the words in `removed` (spaces closed up)."""
    out = word_pattern().sub(lambda m: "" if m.group(0) in removed else m.group(0), asked)
    return " ".join(out.split())


def held_stems(text: str) -> frozenset[str]:
    return frozenset(_stem(_fold(w)) for w in words(text))


def scene_of(kept: list[tuple[str, bool]], how: str, around: str, around5: str) -> list[str]:
    """The words of the clause the scene keeps (see the module's docstring)."""
    if how == "names":
        return [w for w, named in kept if named]
    if how == "head":
        first = next((i for i, (_, named) in enumerate(kept) if not named), None)
        return [w for i, (w, _) in enumerate(kept) if i != first]
    held = held_stems(around if how == "absent" else around5)
    return [w for w, named in kept if named or _stem(_fold(w)) in held]


class Vectors:
    """Texts encoded one at a time (int8 activations are quantised per batch: a vector must not depend on what was
    encoded with it), kept per process."""

    def __init__(self, encoder) -> None:
        self.encoder, self.kept = encoder, {}

    def query(self, text: str) -> np.ndarray:
        return self._get(("q", text), lambda: encode_queries(self.encoder, [text])[0])

    def passage(self, text: str) -> np.ndarray:
        return self._get(("p", text), lambda: self.encoder.encode([text])[0])

    def _get(self, key, make) -> np.ndarray:
        if key not in self.kept:
            self.kept[key] = np.asarray(make(), dtype=np.float32)
        return self.kept[key]


def ablate(vectors: Vectors, ctx: dict, how: str, full_side: str, below: float = 0.0,
           against: str = "sentence") -> dict[str, float]:
    """The ablation signals of one ask (`ctx`: study_align's gathered context); `below` is `abl_below`'s margin;
    `against` "around" compares the questions with each sentence's surroundings instead of the sentence alone."""
    kept = clause_words(ctx["asked"], ctx["names"])
    top = ctx["top"]
    scene = scene_of(kept, how, top[0]["around"], " ".join(t["around"] for t in top))
    whole = [w for w, _ in kept]
    if not scene or scene == whole:  # nothing removed, or nothing left: the clause has no relation to take away
        return {"abl_drop": 0.0, "abl_share": 0.0, "abl_rel": 0.0, "abl_max": 0.0, "abl_none": 1.0, "abl_only": 0.0,
                "abl_hinge": 0.0, "abl_below": 0.0}
    removed = [w for w in whole if w not in scene]
    full = vectors.query(" ".join(whole) if full_side == "bag" else ctx["asked"])
    part = vectors.query(deleted(ctx["asked"], set(removed)) if full_side == "inplace" else " ".join(scene))
    first = (words(ctx["asked"]) or [""])[0]
    only = vectors.query(" ".join([first] + [w for w in removed if w != first]))
    drops, fulls, onlys = [], [], []
    for t in top:
        s = vectors.passage(t["sentence"] if against == "sentence" else t["around"])
        fulls.append(float(s @ full))
        drops.append(float(s @ full) - float(s @ part))
        onlys.append(float(s @ only))
    return {"abl_drop": drops[0], "abl_share": drops[0] / max(fulls[0], 1e-3),
            "abl_rel": drops[0] - float(np.mean(drops)), "abl_max": max(drops), "abl_none": 0.0,
            "abl_only": onlys[0] - float(np.mean(onlys)), "abl_hinge": min(drops[0], 0.0),
            "abl_below": float(drops[0] < -below)}


def compact(rows: list) -> str:
    """answered / refused near (/ refused off-domain) per corpus, one line."""
    return " | ".join(f"{r.answered:.3f} / {r.refused_near:.3f}" + (f" / {r.refused_off_domain:.3f}"
                                                                    if r.answerable > 70 else "") for r in rows)


@lru_cache(maxsize=1)
def _encoder():
    return encoder_for(Settings.from_env())


def loco(args) -> None:
    data = pickle.loads(args.data.read_bytes())
    vectors = Vectors(_encoder())
    t0, n, missing = time.perf_counter(), 0, 0
    for d in data.values():
        for r in d["rows"]:
            if not r["signals"]:
                continue
            if not (ctx := r.get("context")):
                missing += 1
                r["signals"] = {**r["signals"], "abl_none": 1.0}
                continue
            n += 1
            r["signals"] = {**r["signals"], **ablate(vectors, ctx, args.scene, args.full, args.below, args.against)}
    print(f"ablated {n} asks in {time.perf_counter() - t0:.1f} s ({missing} without context); scene {args.scene}, "
          f"full side {args.full}")
    if args.show:
        for name, d in data.items():
            for r in d["rows"][: args.show]:
                if r.get("context"):
                    kept = clause_words(r["context"]["asked"], r["context"]["names"])
                    top = r["context"]["top"]
                    scene = scene_of(kept, args.scene, top[0]["around"], " ".join(t["around"] for t in top))
                    print(f"  {name} {r['kind']}: {r['question']!r} → {' '.join(scene)!r} "
                          f"drop {r['signals']['abl_drop']:+.3f}")
    names = [f for f in args.features.split(",") if f]
    if args.auc:
        auc_table(data, ["abl_drop", "abl_share", "abl_rel", "abl_max", "abl_none", "abl_only"])
        print("\nonly the asks with a word removed:")
        auc_table({k: {**d, "rows": [r for r in d["rows"] if r["signals"] and not r["signals"].get("abl_none")]}
                   for k, d in data.items()}, ["abl_drop", "abl_share", "abl_rel", "abl_max", "abl_only"])
    base = list(FEATURES)
    print(f"\ncorpora: {' | '.join(data)}")
    decided: dict = {}
    before = held_out_rows(data, base, decided, signals=Ablated)
    if args.auc:  # the near questions a signal must catch are those the held-out decision answers
        print("\nonly the asks the held-out decision (before) answers:")
        auc_table({k: {**d, "rows": [r for r in decided[k] if r["signals"] and r["decision"] == "answer"]}
                   for k, d in data.items()}, ["abl_drop", "abl_share", "abl_rel", "abl_max", "abl_only"])
    print(f"\nbefore: {compact(before)}")
    if args.table:
        print(suite_table(before))
    for extra in (names if args.each else [",".join(names)]):  # with --each, "a+b" adds a and b together
        after = held_out_rows(data, base + extra.replace("+", ",").split(","), signals=Ablated)
        print(f"+{extra}: {compact(after)}")
        if args.table:
            print(suite_table(after))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("loco")
    s.add_argument("data", type=Path, help="scripts/study_align.py gather's output")
    s.add_argument("--scene", choices=SCENES, default="absent")
    s.add_argument("--full", choices=("asked", "bag", "inplace"), default="asked")
    s.add_argument("--features", default="abl_drop")
    s.add_argument("--against", choices=("sentence", "around"), default="sentence",
                   help="around: the sentence with its neighbours after its headline")
    s.add_argument("--below", type=float, default=0.0, help="abl_below's margin")
    s.add_argument("--each", action="store_true", help="each named signal (or a+b) added on its own, in turn")
    s.add_argument("--auc", action="store_true")
    s.add_argument("--table", action="store_true", help="the whole held-out tables")
    s.add_argument("--show", type=int, default=0, help="print the scene of the first N asks of each corpus")
    args = ap.parse_args()
    {"loco": loco}[args.command](args)


if __name__ == "__main__":
    main()
