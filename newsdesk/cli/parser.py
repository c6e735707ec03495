"""The command line's parser: every command, its flags, help and examples."""

from __future__ import annotations

import argparse
from pathlib import Path

DESCRIPTION = """The `newsdesk` command line: answers questions about your news corpus with dated, attributed quotes.
  build the index:    ingest, check, sources
  ask it:             ask, search, digest
  keep it fresh:      feeds, add
  measure it:         eval, eval-followups, report
  the Discord bot:    doctor, run, health"""


def _date(value: str):
    from index.errors import BadDate
    from index.ingest.parse import parse_date

    try:
        return parse_date(value)
    except BadDate as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


HELP_TAIL = """\
settings: environment variables, over a .env file in the current folder (or --env-file PATH);
.env.example lists them all. `newsdesk doctor` shows what is in effect and checks each part.
"""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsdesk")
    except PackageNotFoundError:
        return "unknown"


def _bounded(name: str, low: int, high: int):
    """An argparse type: a whole number from `low` to `high`, else a usage error naming the option."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, not {value[:20]!r}") from None
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"{name} must be from {low} to {high:,}, not {n:,}")
        return n

    return parse


class _VersionAction(argparse.Action):
    """--version, read from the installed package's metadata only when asked (importlib.metadata costs every
    command ~25 ms otherwise)."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"newsdesk {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    from index.settings import MAX_ANSWER_K  # one bound for the option and the setting

    parser = argparse.ArgumentParser(
        prog="newsdesk", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="first steps:\n  newsdesk ingest corpus\n  newsdesk ask \"which ships left Tartus?\"\n\n" + HELP_TAIL,
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--env-file", type=Path, metavar="PATH", help="read settings from PATH instead of ./.env")
    parser.add_argument("--index", type=Path, help="index folder (default: INDEX_DIR from settings)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, *examples: str, more: str = "", parent=sub) -> argparse.ArgumentParser:
        """A subcommand whose --help has a description and examples."""
        return parent.add_parser(
            name, help=summary, description=summary + (f"\n\n{more}" if more else ""),
            epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    p = command("ingest", "Add, update and remove documents in the index (only what changed is embedded).",
                "newsdesk ingest                 # the CORPUS_DIR folder", "newsdesk ingest corpus more/file.md",
                more="Files: .txt .md .json .jsonl .html .pdf .docx. A document removed from a folder you ingest "
                     "leaves the index.")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: CORPUS_DIR)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    def filters(p: argparse.ArgumentParser) -> None:
        p.add_argument("--since", type=_date, help="only documents dated on or after YYYY-MM-DD")
        p.add_argument("--until", type=_date, help="only documents dated on or before YYYY-MM-DD")
        p.add_argument("--source", help="only documents from this source (newsdesk sources lists them)")

    p = command("ask", "Answer a question with dated, attributed quotes from the corpus.",
                'newsdesk ask "which ships left Tartus?"',
                'newsdesk ask "who closed the pier?" --since 2024-12-01 --k 5',
                "cat questions.txt | newsdesk ask - --json    # one question (or JSON object) per line",
                more="When unsure it shows the closest passages under a hedge; when the corpus has nothing, it says so "
                     "and names the question's words the corpus never mentions.")
    p.add_argument("question", nargs="+", help="the question; '-' reads one per line from stdin")
    p.add_argument("--k", type=_bounded("--k", 1, MAX_ANSWER_K), default=None,
                   help=f"at most K quotes, 1-{MAX_ANSWER_K} (default ANSWER_K, 3)")
    p.add_argument("--as-of", type=_date, dest="as_of", help="ask as of this date: nothing newer is quoted")
    p.add_argument("--after", action="append", default=[], metavar="PREVIOUS",
                   help="a question asked before this one in the conversation (repeat, oldest first): "
                        "the question is read as its follow-up")
    filters(p)
    p.add_argument("--json", action="store_true", help="print the answer as JSON")

    p = command("search", "List the passages that best match a query, best first (no answer decision).",
                'newsdesk search "Khmeimim air base"', 'newsdesk search grain exports --source "Kyiv Post" --k 5')
    p.add_argument("query", nargs="+", help="words or a question to look for (no need to quote them)")
    p.add_argument("--k", type=_bounded("--k", 1, 100), default=10, help="passages to list, 1-100 (default 10)")
    filters(p)
    p.add_argument("--json", action="store_true", help="print the passages as JSON, with their scores")

    p = command("check", "Verify the current index version end to end: manifest, store, vectors, BM25, chunk table, "
                "counts. Exits 1 when it is damaged (newsdesk ingest rebuilds it).", "newsdesk check",
                "newsdesk check --json")
    p.add_argument("--json", action="store_true", help="print each check and its outcome as JSON")

    p = command("sources", "Summarise the index: documents, passages, dates, and the newest titles.",
                "newsdesk sources", "newsdesk sources --limit 0     # every document")
    p.add_argument("--limit", type=_bounded("--limit", 0, 1_000_000), default=20,
                   help="list at most N documents (default 20; 0: all)")
    p.add_argument("--json", action="store_true", help="print the whole summary as JSON")

    p = command("digest", "What entered the corpus: stories grouped, by coverage then date.",
                "newsdesk digest                # ingested in the last 24 hours", "newsdesk digest --days 7",
                "newsdesk digest --since 2024-12-01 --limit 5")
    period = p.add_mutually_exclusive_group()
    period.add_argument("--since", type=_date, help="documents dated on or after YYYY-MM-DD")
    period.add_argument("--days", type=_bounded("--days", 0, 36_500), help="documents dated within the last N days "
                        "(default: what was ingested in the last 24 hours)")
    p.add_argument("--as-of", type=_date, dest="as_of", help="count days back from this date (default today)")
    p.add_argument("--limit", type=_bounded("--limit", 0, 1_000_000), default=10,
                   help="show at most N stories (default 10; 0: all)")
    p.add_argument("--json", action="store_true", help="print every story as JSON")

    p = command("feeds", "RSS/Atom feeds that keep the corpus fresh (the bot polls them; `poll` does it now).",
                "newsdesk feeds add https://example.org/rss.xml", "newsdesk feeds poll", "newsdesk feeds list")
    feeds = p.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    command("add", "Follow a feed; its new items go to CORPUS_DIR/feeds/.",
            "newsdesk feeds add https://example.org/rss.xml", parent=feeds).add_argument(
                "url", help="the feed's http(s) address (RSS or Atom)")
    command("remove", "Stop following a feed (its documents stay in the corpus).",
            "newsdesk feeds remove https://example.org/rss.xml", parent=feeds).add_argument(
                "url", help="the feed's address as `newsdesk feeds list` shows it")
    command("list", "The feeds followed, with their state.", "newsdesk feeds list",
            parent=feeds).add_argument("--json", action="store_true", help="print the feeds as JSON")
    fp = command("poll", "Fetch the feeds that are due, write new items to the corpus, ingest them.",
                 "newsdesk feeds poll", "newsdesk feeds poll --all", parent=feeds,
                 more="Exits 1 when every feed fetched failed.")
    fp.add_argument("--all", action="store_true", help="fetch every feed now, even those waiting for a retry")
    fp.add_argument("--json", action="store_true", help="print the poll's report as JSON")

    p = command("add", "Add web pages to the corpus: each is fetched (public addresses only), its article text kept "
                "under CORPUS_DIR/links/, then ingested.", "newsdesk add https://example.org/news/pier-closes",
                'newsdesk add URL1 URL2 --note "for the port story"',
                more="Each link gets one line: added (title, date, source), or why not (not an article, too big, a "
                     "refused address, a duplicate of a document already held). Exits 1 when any link was refused.")
    p.add_argument("urls", nargs="+", metavar="URL", help="the http(s) address of a web page (an article)")
    p.add_argument("--note", default="", help="a note kept with each page (its front matter) and in the log")
    p.add_argument("--json", action="store_true", help="print each link's outcome as JSON")

    p = command("eval", "Measure answers on the evaluation suite (one row per corpus), or on one question set.",
                "newsdesk eval --suite eval/suite.toml --loco",
                "newsdesk eval questions.jsonl --corpus docs/ --configs hybrid,full")
    p.add_argument("questions", type=Path, nargs="?",
                   help="JSONL: id, question, answers, evidence_doc_ids, question_date (with --corpus)")
    p.add_argument("--corpus", type=Path, help="the documents the questions are about")
    p.add_argument("--suite", type=Path, help="a suite file of corpora and their questions, e.g. eval/suite.toml")
    p.add_argument("--only", help="--suite: the corpora to run (comma-separated names)")
    p.add_argument("--loco", action="store_true",
                   help="--suite: also fit the answer decision on all corpora but one and score the one left out, "
                        "for each in turn, and print the decider fitted on all")
    p.add_argument("--lower-case", action="store_true",
                   help="--suite: ask every question as typed in a chat without capitals")
    p.add_argument("--misspelled", action="store_true",
                   help="--suite: ask every question with its longest name's middle letters swapped (Solberg: Soblerg)")
    p.add_argument("--plain-letters", action="store_true",
                   help="--suite: ask every question as typed on an English keyboard (Gdańsk: Gdansk)")
    p.add_argument("--chatty", action="store_true",
                   help="--suite: ask every question framed as a chat message (hey, …; … thanks!)")
    p.add_argument("--upper-case", action="store_true", help="--suite: ask every question in capitals")
    p.add_argument("--title-case", action="store_true", help="--suite: ask every question with every word capitalised")
    p.add_argument("--typos", action="store_true",
                   help="--suite: ask every question with its longest lower-case word's middle letters swapped")
    p.add_argument("--cache", type=Path, help="index folder for CORPUS (default: DATA_DIR/eval/<corpus>-<model>)")
    p.add_argument("--configs", default="dense,bm25,hybrid,full", help="comma-separated: dense,bm25,hybrid,full")
    p.add_argument("--negatives", type=Path, action="append", default=[],
                   help="JSONL of unanswerable questions (id, kind, question, question_date), "
                        "e.g. eval/negatives.jsonl")
    p.add_argument("--halves", action="store_true", help="also show each date-half of the questions")
    p.add_argument("--calibrate", action="store_true",
                   help="fit the answer decision on the last configuration's runs; print its curve and thresholds")
    p.add_argument("--refuse", default="off_domain=0.98,other_period=0.9,made_up=0.85",
                   help="--calibrate's refusal targets per kind of unanswerable question")
    p.add_argument("--json", action="store_true", help="print the results as JSON")

    p = command("report", "Questions asked in Discord: answered / unsure / not-found rates, the most-asked unanswered "
                "questions (the corpus's gaps) and answers voted 👎.", "newsdesk report",
                "newsdesk report --days 30 --json")
    p.add_argument("--days", type=int, default=7, help="the last N days (default 7)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    forget = p.add_mutually_exclusive_group()
    forget.add_argument("--purge", action="store_true", help="delete what was asked more than QUESTION_LOG_DAYS ago "
                        "(the running bot does so daily) and report nothing")
    forget.add_argument("--forget", type=int, metavar="USER_ID", help="delete one member's questions, the answers "
                        "they got and their votes (their Discord user id)")

    p = command("eval-followups", "Ask follow-up questions with and without their first question; answered rate and "
                "Hits@5 of each.",
                "newsdesk eval-followups eval/followups.jsonl --questions QUESTIONS.jsonl --cache DIR")
    p.add_argument("pairs", type=Path, help="JSONL: id (of a question in QUESTIONS), first, followup")
    p.add_argument("--questions", type=Path, required=True, help="the question set the pairs refer to (JSONL)")
    p.add_argument("--cache", type=Path, required=True, help="an index of the questions' corpus (used as it is)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")

    command("doctor", "Print the settings in effect (token hidden) and check each part: data folder, index, "
            "model, a search, and Discord when DISCORD_TOKEN is set. Exits 2 when something is wrong.",
            "newsdesk doctor", "newsdesk --env-file /etc/newsdesk.env doctor")

    command("health", "Is the bot running here healthy? Reads the heartbeat `newsdesk run` writes in DATA_DIR: exit 0 "
            "when it is connected to Discord with everything loaded, 1 otherwise (Docker's HEALTHCHECK uses it).",
            "newsdesk health", "docker inspect --format '{{.State.Health.Status}}' CONTAINER")

    command("run", "Start the Discord bot; stops cleanly on Ctrl-C or SIGTERM (answers in progress finish).",
            "newsdesk run", "newsdesk --env-file /etc/newsdesk.env run",
            more="Needs DISCORD_TOKEN and an index (newsdesk ingest). README: \"Run it on your server\".")
    for sp in sub.choices.values():  # accept --index and --env-file after the command too
        sp.add_argument("--index", type=Path, dest="index_after", help=argparse.SUPPRESS)
        sp.add_argument("--env-file", type=Path, dest="env_file_after", help=argparse.SUPPRESS)
    return parser
