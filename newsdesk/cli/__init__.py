"""The `newsdesk` command line: ingest, ask, search, sources, digest, feeds, run (the Discord bot).

parser.py builds the parser; a module per group of commands runs them (asking: ask, search; corpus: ingest,
check, sources, digest; freshness: feeds, add; evaluation: eval, eval-followups; operations: run, doctor, health,
report); terminal.py is all they print with, progress.py the ingest's bars; opening.py the settings and engine
every command starts from. Each handler takes (args, settings) and returns the exit code.
"""

from __future__ import annotations

import os
import sys
from typing import Sequence

from newsdesk.cli.asking import ask_command, search_command
from newsdesk.cli.corpus import check_command, digest_command, ingest_command, sources_command
from newsdesk.cli.evaluation import eval_command, eval_followups_command
from newsdesk.cli.freshness import add_command, feeds_command
from newsdesk.cli.opening import settings_of
from newsdesk.cli.operations import doctor_command, health_command, report_command, run_command
from newsdesk.cli.parser import build_parser
from newsdesk.cli.terminal import escaped, plain, print_answer

__all__ = ["COMMANDS", "build_parser", "main", "print_answer"]

# the names these had when the command line was one module (tests and scripts import them)
_name, _text, _print_answer = escaped, plain, print_answer

COMMANDS = {
    "ingest": ingest_command, "ask": ask_command, "search": search_command, "sources": sources_command,
    "check": check_command, "digest": digest_command, "feeds": feeds_command, "add": add_command,
    "eval": eval_command, "report": report_command, "eval-followups": eval_followups_command,
    "doctor": doctor_command, "health": health_command, "run": run_command,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from index.errors import NewsdeskError

    try:
        settings = settings_of(args)
        if args.command != "run":  # the bot sets up its own logging (discord.py's: colour only on a terminal)
            from index.logs import setup

            setup(settings.log_level)
        code = COMMANDS[args.command](args, settings)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except NewsdeskError as exc:
        print(f"newsdesk: {escaped(exc)}", file=sys.stderr)
        return 1 if args.command == "health" else 2  # Docker reserves a health check's 2
    except BrokenPipeError:  # `newsdesk sources | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("newsdesk: interrupted", file=sys.stderr)
        return 130
