"""Running the team's bot: `run`, `doctor`, `health`, and `report` on the questions asked in Discord."""

from __future__ import annotations

import json
import sys

from newsdesk.cli.terminal import escaped

MAX_REPORT_DAYS = 3_650  # as Discord's /report [days]


def report_command(args, settings) -> int:
    from bot.questionlog import QuestionLog
    from newsdesk.database import open_database
    from index.types import ANSWER, NOT_FOUND, UNSURE

    if args.days < 1:
        print("newsdesk: --days must be 1 or more", file=sys.stderr)
        return 2
    if args.days > MAX_REPORT_DAYS:  # further back than the calendar goes; /report stops here too
        print(f"newsdesk: --days must be at most {MAX_REPORT_DAYS:,}, not {args.days:,}", file=sys.stderr)
        return 2
    if args.purge or args.forget is not None:
        return _forget(args, settings)
    votes = open_database(settings, settings.votes_db)
    report = QuestionLog(votes).report(days=args.days)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"Questions asked in Discord, last {args.days} days ({votes.describe()}):")
    if not report.asked and not report.disliked:
        print("  none.")
        return 0
    print(f"  {report.asked} asked: answered {report.rate(ANSWER):.0%}, unsure {report.rate(UNSURE):.0%}, "
          f"not found {report.rate(NOT_FOUND):.0%}")
    if report.gaps:
        print("\nMost-asked unanswered (the corpus's gaps):")
        for g in report.gaps:
            print(f"  {g.asks}×  {g.question}  ({g.decision}, last {g.last_asked})")
    if report.disliked:
        print("\nAnswers voted 👎:")
        for d in report.disliked:
            print(f"  👎 {d.down} 👍 {d.up}  {d.question}" + (f"  [top document {d.top_doc}]" if d.top_doc else ""))
    return 0


def _forget(args, settings) -> int:
    from bot import retention
    from index.settings import require_writable

    if settings.database_url is None:
        require_writable("DATA_DIR", settings.data_dir, settings.votes_db.name, settings.conversations_db.name)
    if args.forget is not None:
        log, turns = retention.forget_member(settings, args.forget)
        print(f"deleted member {args.forget}'s entries: {log}, {turns} conversation turn(s)")
        return 0
    if settings.question_log_days == 0:
        print("newsdesk: QUESTION_LOG_DAYS=0 keeps the question log until purged: set it to the days to keep",
              file=sys.stderr)
        return 2
    log, turns = retention.purge(settings)
    print(f"deleted what was asked over {settings.question_log_days} days ago: {log}, {turns} conversation turn(s)")
    return 0


def doctor_command(args, settings) -> int:
    from newsdesk.doctor import doctor

    return doctor(settings)


def health_command(args, settings) -> int:
    from newsdesk.health import health

    found = health(settings)
    print(("ok: " if found.ok else "unhealthy: ") + escaped(found.detail), file=sys.stdout if found.ok else sys.stderr)
    return found.code


def run_command(args, settings) -> int:
    from bot.runner import run

    return run(settings)
