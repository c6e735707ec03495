"""Evaluation on a question set: document Hits@k, MRR@10, answer-in-quote@k, abstention, latency."""

from __future__ import annotations

import json
import re
import statistics
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from .engine import Engine

CONFIGS = {  # name → Engine.ask options
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


@dataclass
class ConfigResult:
    name: str
    questions: int = 0
    hits: dict[int, float] = field(default_factory=dict)
    mrr10: float = 0.0
    answer_in_quote: dict[int, float] = field(default_factory=dict)
    answered_rate: float = 0.0  # on questions whose gold article is present: should be high
    abstain_when_removed: float = 0.0  # gold article(s) removed: should be high
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
            ))
    return out


def fold(text: str) -> str:
    """Case- and punctuation-folded text for answer matching."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(text.split())


def contains_answer(texts: list[str], answers: tuple[str, ...]) -> bool:
    folded = " | ".join(fold(t) for t in texts)
    return any(a and re.search(rf"(?<!\w){re.escape(fold(a))}(?!\w)", folded) for a in answers)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def evaluate(engine: Engine, questions: list[EvalQuestion], configs: list[str], *, k: int = 3,
             abstention: bool = True) -> list[ConfigResult]:
    """Ask every question under every configuration, as of its question date."""
    results = []
    for name in configs:
        opts = CONFIGS[name]
        res = ConfigResult(name, questions=len(questions))
        ranks, in_quote, latencies, answered, abstained = [], {1: 0, 3: 0}, [], 0, 0
        for q in questions:
            t0 = time.perf_counter()
            ans = engine.ask(q.question, k=k, as_of=q.question_date, **opts)
            latencies.append((time.perf_counter() - t0) * 1000)
            docs = ans.documents[:10]
            rank = next((i + 1 for i, d in enumerate(docs) if d in q.gold), None)
            ranks.append(rank)
            quotes = ans.quotes if ans.answered else ans.nearest
            for n in in_quote:
                in_quote[n] += contains_answer([x.text for x in quotes[:n]], q.answers)
            answered += ans.answered
            row = {"id": q.id, "rank": rank, "answered": ans.answered, "signals": ans.signals,
                   "answer_in_quote@3": contains_answer([x.text for x in quotes[:3]], q.answers)}
            if abstention and q.gold:
                removed = engine.ask(q.question, k=k, as_of=q.question_date, exclude_docs=q.gold, **opts)
                abstained += not removed.answered
                row["answered_without_gold"] = removed.answered
                row["signals_without_gold"] = removed.signals
            res.per_question.append(row)
        n = max(len(questions), 1)
        res.hits = {c: round(sum(1 for r in ranks if r and r <= c) / n, 3) for c in (1, 3, 5, 10)}
        res.mrr10 = round(sum(1 / r for r in ranks if r) / n, 3)
        res.answer_in_quote = {c: round(v / n, 3) for c, v in in_quote.items()}
        res.answered_rate = round(answered / n, 3)
        with_gold = sum(1 for q in questions if q.gold)
        res.abstain_when_removed = round(abstained / max(with_gold, 1), 3) if abstention else float("nan")
        res.latency_ms_p50 = round(statistics.median(latencies), 1)
        res.latency_ms_p95 = round(_pct(latencies, 0.95), 1)
        results.append(res)
    return results


def table(results: list[ConfigResult]) -> str:
    """A Markdown table of the results, one configuration a row."""
    head = ("| config | Hits@1 | Hits@3 | Hits@5 | Hits@10 | MRR@10 | answer-in-quote@1 | answer-in-quote@3 "
            "| answered (gold present) | abstained (gold removed) | ask p50 ms | ask p95 ms |")
    lines = [head, "|" + "---|" * 12]
    for r in results:
        lines.append(
            f"| {r.name} | {r.hits[1]:.3f} | {r.hits[3]:.3f} | {r.hits[5]:.3f} | {r.hits[10]:.3f} | {r.mrr10:.3f} "
            f"| {r.answer_in_quote[1]:.3f} | {r.answer_in_quote[3]:.3f} | {r.answered_rate:.3f} "
            f"| {r.abstain_when_removed:.3f} | {r.latency_ms_p50:.1f} | {r.latency_ms_p95:.1f} |"
        )
    return "\n".join(lines)


def to_json(results: list[ConfigResult]) -> list[dict]:
    return [asdict(r) for r in results]


def calibration_samples(result: ConfigResult) -> list[tuple[float, float, bool]]:
    """(dense, coverage, should-answer) from a run with abstention: gold present → True, removed → False."""
    out = []
    for row in result.per_question:
        if row.get("signals"):
            out.append((row["signals"]["dense"], row["signals"]["coverage"], True))
        if row.get("signals_without_gold"):
            out.append((row["signals_without_gold"]["dense"], row["signals_without_gold"]["coverage"], False))
    return out
