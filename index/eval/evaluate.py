"""Evaluation on a question set: document Hits@k, MRR@10, answer-in-quote@k, abstention, latency."""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.engine import Engine
from index.text.fold import fold
from index.types import ANSWER, NOT_FOUND, UNSURE

if TYPE_CHECKING:
    from index.answer.signals import Signals

ANSWERABLE = "answerable"
CONFIGS: dict[str, dict[str, Any]] = {  # name → Engine.ask options
    "dense": {"mode": "dense", "time_words": False},
    "bm25": {"mode": "lexical", "time_words": False},
    "hybrid": {"mode": "hybrid", "time_words": False},
    "full": {"mode": "hybrid", "time_words": True},
}


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answers: tuple[str, ...]
    gold: frozenset[str]
    question_date: date | None
    kind: str = ANSWERABLE  # or the kind of unanswerable question: near, off_domain, other_period, made_up
    sentences: tuple[str, ...] = ()  # the sentence(s) that answer it, verbatim (team corpora; the dev set has none)


@dataclass
class ConfigResult:
    """One configuration's figures. Ranking columns count every question's first quotes, shown or not; the
    `shown_` ones count only what a user sees as the answer (decision "answer")."""

    name: str
    questions: int = 0
    hits: dict[int, float] = field(default_factory=dict)
    mrr10: float = 0.0
    answer_in_quote: dict[int, float] = field(default_factory=dict)  # quotes or closest passages
    shown_hits5: float = 0.0  # answered, with the gold article among the first 5 documents
    shown_answer_in_quote3: float = 0.0  # answered, with a gold answer in the first 3 quotes
    answered_rate: float = 0.0  # answerable questions answered: should be high
    unsure_rate: float = 0.0
    not_found_rate: float = 0.0
    wrong_answers: float = 0.0  # of the answers given, the share whose quotes miss the gold article(s)
    refused: dict[str, float] = field(default_factory=dict)  # per kind of unanswerable question: not answered
    latency_ms_p50: float = 0.0
    latency_ms_p95: float = 0.0
    per_question: list[dict] = field(default_factory=list)


def load_questions(path: Path) -> list[EvalQuestion]:
    out = []
    for line in Path(path).read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            out.append(EvalQuestion(
                id=str(r["id"]), question=r["question"], answers=tuple(r.get("answers") or ()),
                gold=frozenset(r.get("evidence_doc_ids") or ()),
                question_date=date.fromisoformat(r["question_date"]) if r.get("question_date") else None,
                kind=r.get("kind") or ANSWERABLE, sentences=tuple(r.get("answer_sentences") or ()),
            ))
    return out


def contains_answer(texts: list[str], answers: tuple[str, ...]) -> bool:
    folded = " | ".join(fold(t) for t in texts)
    return any(a and re.search(rf"(?<!\w){re.escape(fold(a))}(?!\w)", folded) for a in answers)


def holds_sentence(text: str, sentences: tuple[str, ...]) -> bool:
    """Whether `text` (a quote or a passage) holds one of the answering `sentences`, case, punctuation and spacing
    aside; a quote that is most of such a sentence counts too (a lede quoted after its dateline)."""
    t = fold(text)
    for s in map(fold, sentences):
        if s and (s in t or (len(t) >= 0.6 * len(s) and t in s)):
            return True
    return False


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def evaluate(engine: Engine, questions: list[EvalQuestion], configs: list[str], *, k: int = 3) -> list[ConfigResult]:
    """Ask every question under every configuration, as of its question date."""
    results = []
    for name in configs:
        res = ConfigResult(name)
        for q in questions:
            t0 = time.perf_counter()
            ans = engine.ask(q.question, k=k, as_of=q.question_date, **CONFIGS[name])
            ms = (time.perf_counter() - t0) * 1000
            quotes = [x.text for x in ans.shown]
            rank = next((i + 1 for i, d in enumerate(ans.documents[:10]) if d in q.gold), None)
            row = {}
            if q.sentences:
                rows = engine.version.store.chunks(ans.passages)
                row = {"sentence@1": any(holds_sentence(x, q.sentences) for x in quotes[:1]),
                       "sentence@2": any(holds_sentence(x, q.sentences) for x in quotes[:2]),
                       "sentence_in_top5": any(holds_sentence(rows[c].text, q.sentences) for c in ans.passages
                                               if c in rows)}
            res.per_question.append({**row,
                "id": q.id, "kind": q.kind, "question": q.question,
                "question_date": q.question_date and q.question_date.isoformat(),
                "decision": ans.decision, "confidence": ans.confidence, "signals": ans.signals, "rank": rank,
                "answer_in_quote@1": contains_answer(quotes[:1], q.answers),
                "answer_in_quote@3": contains_answer(quotes[:3], q.answers),
                "quoted_gold": bool(q.gold & {x.doc_id for x in ans.quotes}), "ms": round(ms, 1),
                "shown": [x.text[:300] for x in (ans.quotes or ans.nearest)[:2]],
            })
        summarise(res)
        results.append(res)
    return results


def summarise(res: ConfigResult) -> ConfigResult:
    """Fill the figures of `res` from its per-question rows."""
    rows = [r for r in res.per_question if r["kind"] == ANSWERABLE]
    res.questions = len(rows)
    share = lambda flags: round(sum(flags) / len(flags), 3) if flags else float("nan")  # noqa: E731
    ranks = [r["rank"] for r in rows]
    res.hits = {c: share([bool(r and r <= c) for r in ranks]) for c in (1, 3, 5, 10)}
    res.mrr10 = round(sum(1 / r for r in ranks if r) / max(len(rows), 1), 3)
    res.answer_in_quote = {c: share([r[f"answer_in_quote@{c}"] for r in rows]) for c in (1, 3)}
    answered = [r for r in rows if r["decision"] == ANSWER]
    res.shown_hits5 = share([r in answered and bool(r["rank"] and r["rank"] <= 5) for r in rows])
    res.shown_answer_in_quote3 = share([r in answered and r["answer_in_quote@3"] for r in rows])
    res.answered_rate = share([r["decision"] == ANSWER for r in rows])
    res.unsure_rate = share([r["decision"] == UNSURE for r in rows])
    res.not_found_rate = share([r["decision"] == NOT_FOUND for r in rows])
    res.wrong_answers = share([not r["quoted_gold"] for r in answered])
    kinds = sorted({r["kind"] for r in res.per_question} - {ANSWERABLE})
    res.refused = {kind: share([r["decision"] != ANSWER for r in res.per_question if r["kind"] == kind])
                   for kind in kinds}
    latencies = [r["ms"] for r in res.per_question]
    res.latency_ms_p50 = round(statistics.median(latencies), 1) if latencies else 0.0
    res.latency_ms_p95 = round(_pct(latencies, 0.95), 1)
    return res


def halves(res: ConfigResult) -> list[ConfigResult]:
    """The same run split by question date into an earlier and a later half of the answerable questions
    (unanswerable ones split the same way), each summarised on its own."""
    dated = sorted((r for r in res.per_question if r["kind"] == ANSWERABLE),
                   key=lambda r: (r["question_date"] or "", r["id"]))
    cut = dated[len(dated) // 2]["question_date"] if dated else ""
    early = [r for r in res.per_question if (r["question_date"] or "") < cut]
    late = [r for r in res.per_question if (r["question_date"] or "") >= cut]
    return [summarise(ConfigResult(f"{res.name} (before {cut})", per_question=early)),
            summarise(ConfigResult(f"{res.name} (from {cut})", per_question=late))]


def table(results: list[ConfigResult]) -> str:
    """A Markdown table of the results, one configuration a row."""
    kinds = sorted({k for r in results for k in r.refused})
    head = ["config", "n", "Hits@1", "Hits@5", "MRR@10", "aiq@1", "aiq@3", "answered", "unsure", "not found",
            "shown Hits@5", "shown aiq@3", "wrong answers", *(f"refused {k}" for k in kinds), "p50 ms", "p95 ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cells = [r.name, str(r.questions), *(f"{x:.3f}" for x in (
            r.hits[1], r.hits[5], r.mrr10, r.answer_in_quote[1], r.answer_in_quote[3], r.answered_rate, r.unsure_rate,
            r.not_found_rate, r.shown_hits5, r.shown_answer_in_quote3, r.wrong_answers,
            *(r.refused.get(k, float("nan")) for k in kinds))), f"{r.latency_ms_p50:.1f}", f"{r.latency_ms_p95:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def to_json(results: list[ConfigResult]) -> list[dict]:
    return [asdict(r) for r in results]


def calibration_rows(result: ConfigResult) -> list[tuple[str, str, "Signals"]]:
    """(id, kind, signals) of every ask of a run that retrieved something."""
    from index.answer.signals import Signals

    return [(r["id"], r["kind"], Signals(**r["signals"])) for r in result.per_question if r["signals"]]
