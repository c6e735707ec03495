"""Follow-ups over the suite's team corpora, per kind (points back / new subject / names its own subject).

    python scripts/eval_followup_kinds.py [--pairs eval/followups_team.jsonl] [--suite eval/suite.toml] [--before]

`--before` reads every follow-up as the bot did before new subjects were told apart (index.answer.followup before
issue 26): a message leaning on the conversation gets the earlier question's terms added and its documents
preferred, a self-standing one is asked alone. Same indexes, same run.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from index.answer import followup
from index.encode.embed import encoder_for
from index.eval.evaluate import load_questions
from index.eval.followups import ask_team_followups, load_team_pairs, team_followup_table
from newsdesk.settings import Settings
from index.eval.suite import load_suite, open_corpus

REPO = Path(__file__).resolve().parent.parent
_READ = followup.read  # the reading of today (Question.follow_up reads through `followup.read`)


def read_before(message, conversation):
    """The reading before issue 26: pointing back whenever the message depends on the conversation."""
    if not conversation or not conversation.turns or not followup.depends(message):
        return None
    real = followup.kind_of
    followup.kind_of = lambda *_: followup.POINTS_BACK
    try:
        return _READ(message, conversation)
    finally:
        followup.kind_of = real


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=REPO / "eval" / "followups_team.jsonl")
    ap.add_argument("--suite", type=Path, default=REPO / "eval" / "suite.toml")
    ap.add_argument("--before", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    settings = Settings.from_env()
    pairs = load_team_pairs(args.pairs)
    wanted = {p.corpus for p in pairs}
    encoder = encoder_for(settings)
    engines, questions = {}, {}
    for corpus in load_suite(args.suite):
        if corpus.name in wanted:
            engines[corpus.name], _ = open_corpus(settings, corpus, encoder)
            questions.update({q.id: q for path in corpus.questions for q in load_questions(path)})
    if args.before:
        followup.read = read_before
    rows = ask_team_followups(engines, questions, pairs)
    print(json.dumps(rows, indent=1) if args.json else team_followup_table(rows))


if __name__ == "__main__":
    main()
