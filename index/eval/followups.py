"""Follow-up evaluation: each pair's follow-up asked with and without its first question as context.

The pairs (eval/followups.jsonl: id, first, followup) reference dev questions by id; the gold documents,
answers and asking date come from the question set, so none of its text is copied into the pairs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from index.engine import Engine
from index.eval.evaluate import EvalQuestion, contains_answer
from index.answer.followup import depends
from index.types import ANSWER, Conversation, Turn


@dataclass(frozen=True)
class FollowUpPair:
    id: str
    first: str
    followup: str


@dataclass
class FollowUpResult:
    name: str  # "first question", "follow-up alone", "follow-up in context"
    pairs: int = 0
    answered: float = 0.0
    hits5: float = 0.0
    answer_in_quote3: float = 0.0
    per_pair: list[dict] = field(default_factory=list)


def load_pairs(path: Path) -> list[FollowUpPair]:
    return [FollowUpPair(**json.loads(line)) for line in Path(path).read_text().splitlines() if line.strip()]


def evaluate_followups(engine: Engine, pairs: list[FollowUpPair], questions: dict[str, EvalQuestion],
                       *, k: int = 3) -> list[FollowUpResult]:
    """Answer rate, document Hits@5 and answer-in-quote@3 of the first questions and of the follow-ups."""
    results = {n: FollowUpResult(n) for n in ("first question", "follow-up alone", "follow-up in context")}
    for pair in pairs:
        q = questions.get(pair.id)
        if q is None:
            raise KeyError(f"follow-up pair {pair.id!r} names no question of the question set")
        first = engine.ask(pair.first, k=k, as_of=q.question_date)
        context = Conversation((Turn.of(first, pair.first),))
        asks = {"first question": first,
                "follow-up alone": engine.ask(pair.followup, k=k, as_of=q.question_date),
                "follow-up in context": engine.ask(pair.followup, k=k, as_of=q.question_date, context=context)}
        for name, ans in asks.items():
            quotes = ans.quotes if ans.answered else ans.nearest
            row = {"id": pair.id, "question": ans.question, "answered": ans.answered,
                   "hit5": bool(q.gold & set(ans.documents[:5])),
                   "answer_in_quote3": contains_answer([x.text for x in quotes[:3]], q.answers)}
            results[name].per_pair.append(row)
    for r in results.values():
        n = max(len(r.per_pair), 1)
        r.pairs = len(r.per_pair)
        r.answered = round(sum(x["answered"] for x in r.per_pair) / n, 3)
        r.hits5 = round(sum(x["hit5"] for x in r.per_pair) / n, 3)
        r.answer_in_quote3 = round(sum(x["answer_in_quote3"] for x in r.per_pair) / n, 3)
    return list(results.values())


def followup_table(results: list[FollowUpResult], pairs: list[FollowUpPair]) -> str:
    read = sum(depends(p.followup) for p in pairs)
    lines = [f"{len(pairs)} pairs; {read} follow-ups read as depending on their first question\n",
             "| asked | answered | Hits@5 | answer-in-quote@3 |", "|---|---|---|---|"]
    lines += [f"| {r.name} | {r.answered:.3f} | {r.hits5:.3f} | {r.answer_in_quote3:.3f} |" for r in results]
    return "\n".join(lines)


# --------------------------------------------------------------------------- follow-ups over the suite's corpora
@dataclass(frozen=True)
class TeamFollowUp:
    """A follow-up over a suite corpus: asked after question `first`, answered by the sentences of question `as_`
    (both of that corpus's question set), of the kind its writer meant (points back / new subject / names its own
    subject)."""

    corpus: str
    first: str
    followup: str
    kind: str
    as_: str


def load_team_pairs(path: Path) -> list[TeamFollowUp]:
    out = []
    for line in Path(path).read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            out.append(TeamFollowUp(r["corpus"], r["first"], r["followup"], r["kind"], r["as"]))
    return out


def ask_team_followups(engines: dict[str, Engine], questions: dict[str, EvalQuestion],
                       pairs: list[TeamFollowUp], *, k: int = 3) -> list[dict]:
    """Each follow-up asked after its first question (as of the answering question's date): how it was read, its
    decision, and whether an answering sentence is in its first two quotes (shown or nearest)."""
    from index.eval.evaluate import holds_sentence

    rows = []
    for p in pairs:
        first, gold = questions[p.first], questions[p.as_]
        engine = engines[p.corpus]
        start = engine.ask(first.question, k=k, as_of=gold.question_date)
        ans = engine.ask(p.followup, k=k, as_of=gold.question_date,
                         context=Conversation((Turn.of(start, first.question),)))
        shown = ans.quotes or ans.nearest
        rows.append({"corpus": p.corpus, "followup": p.followup, "kind": p.kind, "read_as": ans.reading,
                     "within": ans.within, "decision": ans.decision,
                     "sentence_in_2": any(holds_sentence(q.text, gold.sentences) for q in shown[:2])})
    return rows


def team_followup_table(rows: list[dict]) -> str:
    """Per kind: pairs, read as their kind, answered, answering sentence in quotes 1-2 (answered or not), and the
    same among answered ones."""
    lines = ["| kind | pairs | read as its kind | answered | sentence in quotes 1-2 | of answered: sentence in 1-2 |",
             "|---|---|---|---|---|---|"]
    for kind in dict.fromkeys(r["kind"] for r in rows):
        rs = [r for r in rows if r["kind"] == kind]
        answered = [r for r in rs if r["decision"] == ANSWER]
        share = lambda xs, f: f"{sum(map(f, xs)) / len(xs):.3f}" if xs else "–"  # noqa: E731
        lines.append(f"| {kind} | {len(rs)} | {share(rs, lambda r: r['read_as'] == r['kind'])} | "
                     f"{share(rs, lambda r: r['decision'] == ANSWER)} | {share(rs, lambda r: r['sentence_in_2'])} | "
                     f"{share(answered, lambda r: r['sentence_in_2'])} |")
    return "\n".join(lines)
