"""The `newsdesk` command line: ingest, ask, search, sources, digest, feeds, run (the Discord bot)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import textwrap
from pathlib import Path
from typing import Sequence


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


_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _name(text: object) -> str:
    """A file name, URL or reason for the terminal: control characters shown escaped (\\n, \\x1b), never obeyed."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))


def _text(text: object) -> str:
    """Corpus text for the terminal: escape sequences dropped, line breaks and other controls made spaces."""
    return " ".join(_CONTROL.sub(" ", _ANSI.sub("", str(text))).split())


def _marked(text: str, marks, emphasis: tuple[str, str]) -> str:
    """A quote for the terminal as `_text` shows it, the words that answer the question between `emphasis`."""
    from index.answer.mark import pieces

    on, off = emphasis
    return "".join(f"{on}{shown}{off}" if is_mark else shown
                   for shown, is_mark in ((_CONTROL.sub(" ", _ANSI.sub("", p)), m)
                                          for p, m in pieces(str(text), marks)))


def _emphasis() -> tuple[str, str]:
    """Bold and underlined on a terminal that takes colour; plain "**" markers when piped or NO_COLOR is set."""
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return "\x1b[1;4m", "\x1b[0m"
    return "**", "**"


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
        prog="newsdesk", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
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
    p.add_argument("query", nargs="+")
    p.add_argument("--k", type=_bounded("--k", 1, 100), default=10, help="passages to list, 1-100 (default 10)")
    filters(p)
    p.add_argument("--json", action="store_true", help="print the passages as JSON, with their scores")

    p = command("check", "Verify the current index version end to end: manifest, store, vectors, BM25, chunk table, "
                "counts. Exits 1 when it is damaged (newsdesk ingest rebuilds it).", "newsdesk check",
                "newsdesk check --json")
    p.add_argument("--json", action="store_true")

    p = command("sources", "Summarise the index: documents, passages, dates, and the newest titles.",
                "newsdesk sources", "newsdesk sources --limit 0     # every document")
    p.add_argument("--limit", type=int, default=20, help="list at most N documents (default 20; 0: all)")
    p.add_argument("--json", action="store_true", help="print the whole summary as JSON")

    p = command("digest", "What entered the corpus: stories grouped, by coverage then date.",
                "newsdesk digest                # ingested in the last 24 hours", "newsdesk digest --days 7",
                "newsdesk digest --since 2024-12-01 --limit 5")
    period = p.add_mutually_exclusive_group()
    period.add_argument("--since", type=_date, help="documents dated on or after YYYY-MM-DD")
    period.add_argument("--days", type=_bounded("--days", 0, 36_500), help="documents dated within the last N days "
                        "(default: what was ingested in the last 24 hours)")
    p.add_argument("--as-of", type=_date, dest="as_of", help="count days back from this date (default today)")
    p.add_argument("--limit", type=int, default=10, help="show at most N stories (default 10; 0: all)")
    p.add_argument("--json", action="store_true", help="print every story as JSON")

    p = command("feeds", "RSS/Atom feeds that keep the corpus fresh (the bot polls them; `poll` does it now).",
                "newsdesk feeds add https://example.org/rss.xml", "newsdesk feeds poll", "newsdesk feeds list")
    feeds = p.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    command("add", "Follow a feed; its new items go to CORPUS_DIR/feeds/.",
            "newsdesk feeds add https://example.org/rss.xml", parent=feeds).add_argument("url")
    command("remove", "Stop following a feed (its documents stay in the corpus).",
            "newsdesk feeds remove https://example.org/rss.xml", parent=feeds).add_argument("url")
    command("list", "The feeds followed, with their state.", "newsdesk feeds list",
            parent=feeds).add_argument("--json", action="store_true")
    fp = command("poll", "Fetch the feeds that are due, write new items to the corpus, ingest them.",
                 "newsdesk feeds poll", "newsdesk feeds poll --all", parent=feeds,
                 more="Exits 1 when every feed fetched failed.")
    fp.add_argument("--all", action="store_true", help="fetch every feed now, even those waiting for a retry")
    fp.add_argument("--json", action="store_true")

    p = command("add", "Add web pages to the corpus: each is fetched (public addresses only), its article text kept "
                "under CORPUS_DIR/links/, then ingested.", "newsdesk add https://example.org/news/pier-closes",
                'newsdesk add URL1 URL2 --note "for the port story"',
                more="Each link gets one line: added (title, date, source), or why not (not an article, too big, a "
                     "refused address, a duplicate of a document already held). Exits 1 when any link was refused.")
    p.add_argument("urls", nargs="+", metavar="URL")
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
    p.add_argument("--json", action="store_true")

    p = command("report", "Questions asked in Discord: answered / unsure / not-found rates, the most-asked unanswered "
                "questions (the corpus's gaps) and answers voted 👎.", "newsdesk report",
                "newsdesk report --days 30 --json")
    p.add_argument("--days", type=int, default=7, help="the last N days (default 7)")
    p.add_argument("--json", action="store_true")
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
    p.add_argument("--json", action="store_true")

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


def _settings(args):
    from dataclasses import replace

    from index.errors import BadSetting
    from index.settings import DOTENV, Settings

    env_file = getattr(args, "env_file_after", None) or args.env_file
    if env_file and not env_file.is_file():
        raise BadSetting(f"--env-file {env_file}: no such file")
    settings = Settings.from_env(dotenv=env_file or DOTENV)
    index = getattr(args, "index_after", None) or args.index
    return replace(settings, index_dir=index) if index else settings


def _print_answer(answer) -> None:
    from index.answer.followup import reading_note
    from index.types import NOT_FOUND, UNSURE

    if note := reading_note(answer):
        print(f"({note})")
    if answer.since or answer.until:
        print(f"(searched {answer.since or '…'} – {answer.until or '…'})")
    quotes = answer.quotes
    if answer.decision == UNSURE:
        print("Closest passages — they may not answer this directly:")
        quotes = answer.nearest
    elif answer.decision == NOT_FOUND:
        print("Not in the corpus: nothing in it answers this question.")
        if answer.missing:
            print("The corpus never mentions: " + ", ".join(_text(w) for w in answer.missing) + ".")
        print("Try `newsdesk search` with other words, or a wider date range.")
    emphasis = _emphasis()
    for q in quotes:
        print(f"\n“{_marked(q.text, q.marks, emphasis)}”")
        meta = " · ".join(_text(x) for x in (q.attribution and f"— {q.attribution}", q.date or "undated", q.title,
                                             q.source, q.page and f"p. {q.page}", q.url) if x)
        print(f"   {meta}")
    for c in answer.comparisons:
        head = f"{len(c.claims)} reports agree" if c.verdict == "agree" else "Sources differ, oldest first"
        print(f"\n{head} ({_text(c.subject)}):")
        for claim in c.claims:
            where = dict.fromkeys((claim.date or "undated", claim.source, claim.attribution))  # each named once
            print(f"  “{_text(claim.value)}” — " + " · ".join(_text(x) for x in where if x)
                  + ("  (newest)" if claim is c.newest else ""))


def _ask(args, settings) -> int:
    from index.errors import NewsdeskError

    if args.question == ["-"]:
        from index.text.unicode import shown

        from index.batch import Asking
        from index.types import Answer

        engine = _engine(settings)
        failed = 0
        for lines in _waiting_lines(settings.answer_batch):  # the lines already typed or piped, asked together
            results: dict[int, Answer | Exception] = {}
            askings: list[tuple[int, Asking]] = []
            for n, raw in lines:
                try:  # each line on its own: a bad one is reported on its output line and the batch goes on
                    askings.append((n, Asking(**_batch_request(raw, args))))
                except Exception as exc:
                    results[n] = exc
            results.update(zip([n for n, _ in askings], engine.ask_many([a for _, a in askings])))
            for n, raw in lines:
                result = results[n]
                if not isinstance(result, Exception):
                    print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
                    continue
                if not isinstance(result, NewsdeskError):
                    failed += 1
                    print(f"newsdesk: line {n}: {type(result).__name__}: {result}", file=sys.stderr)
                line = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")  # as echoed on an error
                error = (str(result) if isinstance(result, NewsdeskError)
                         else f"internal error ({type(result).__name__})")
                print(json.dumps({"question": shown(line.strip()[:200]), "answered": False, "quotes": [],
                                  "error": error}), flush=True)
        return 1 if failed else 0
    from index.engine import normalize_question

    from index.types import Conversation, Turn

    question = normalize_question(" ".join(args.question))  # fail fast, before the model loads
    earlier = [normalize_question(q) for q in args.after]
    engine = _engine(settings)
    options = dict(k=args.k, since=args.since, until=args.until, source=args.source, as_of=args.as_of)
    context = Conversation()
    for previous in earlier:  # each earlier question asked in turn: its answer's documents are the context
        context = context.then(Turn.of(engine.ask(previous, context=context, **options), previous))
    answer = engine.ask(question, context=context, **options)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_answer(answer)
    return 0


def _opt_date(value):
    from index.ingest.parse import parse_date

    return parse_date(value) if value else None


def _stdin_lines():
    """The lines of standard input as bytes, each decoded on its own (`_batch_request`): one line that is not
    UTF-8 is refused on its own output line, where a text-mode stdin would end the batch (strict locales) or let
    its bytes through as lone surrogates (C.UTF-8's `surrogateescape`). Text when stdin has no bytes under it."""
    buffer = getattr(sys.stdin, "buffer", None)
    return iter(buffer.readline, b"") if buffer is not None else sys.stdin


def _waiting_lines(most: int):
    """Batches of (line number, line) from standard input, blank lines left out: the first line to come, with
    whatever lines have already arrived behind it (at most `most`). A piped file goes `most` lines at a time;
    a question typed alone is answered at once."""
    import queue
    import threading

    lines: queue.Queue = queue.Queue(maxsize=4 * most)  # reading stays a little ahead of answering, no more
    end = object()

    def read() -> None:
        try:
            for n, raw in enumerate(_stdin_lines(), 1):
                text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
                if text.strip():
                    lines.put((n, raw))
        finally:
            lines.put(end)

    threading.Thread(target=read, name="newsdesk-stdin", daemon=True).start()
    done = False
    while not done:
        first = lines.get()
        if first is end:
            return
        batch = [first]
        while len(batch) < most:
            try:
                item = lines.get_nowait()
            except queue.Empty:
                break
            if item is end:
                done = True
                break
            batch.append(item)
        yield batch


def _batch_request(line: str | bytes, args) -> dict:
    """The ask() arguments of one `ask -` line: a plain question, or a JSON object (question, k, since, until,
    source, as_of) whose fields override the command's options. Raises BadRequest naming what is wrong, BadText
    when the line is not UTF-8 or a text field is not Unicode (a JSON "\\ud800" escape)."""
    from index.errors import BadRequest
    from index.text.unicode import checked, decoded

    if isinstance(line, bytes):
        line = decoded(line, "the line")
    checked(line, "the line")
    if not line.lstrip().startswith("{"):
        return {"question": line.strip(), "k": args.k, "since": args.since, "until": args.until,
                "source": args.source, "as_of": args.as_of}
    try:
        req = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise BadRequest(f"not a JSON object: {getattr(exc, 'msg', 'nested too deeply')}") from None
    if not isinstance(req, dict):
        raise BadRequest("not a JSON object")
    for key in ("question", "source"):
        if req.get(key) is not None and not isinstance(req[key], str):
            raise BadRequest(f"{key} must be text")
        if req.get(key):
            checked(req[key], key)
    return {"question": req.get("question") or "", "k": req.get("k") or args.k,
            "since": _opt_date(req.get("since")) or args.since, "until": _opt_date(req.get("until")) or args.until,
            "source": req.get("source") or args.source, "as_of": _opt_date(req.get("as_of")) or args.as_of}


def _ingest(args, settings) -> int:
    from index.ingest.build import ingest
    from index.store.lease import holding
    from index.settings import require_writable

    settings.require_writer("ingest")
    require_writable("INDEX_DIR", settings.index_dir, ".lock")
    with holding(settings, "ingest"):
        report = ingest(settings, args.paths or [settings.corpus_dir])
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        if report.repaired:
            print(f"the index was damaged ({_name(report.repaired)}): rebuilt from the corpus", file=sys.stderr)
        for s in report.skipped:
            print(f"skipped {_name(s.path)}: {_name(s.reason)}", file=sys.stderr)
        if report.language_note:
            print(f"note: {report.language_note}", file=sys.stderr)
        print(f"ingested into {report.index_dir}: {report.added} added, {report.updated} updated, "
              f"{report.removed} removed, {report.unchanged} unchanged, {len(report.skipped)} skipped; "
              f"{_count(report.chunks_embedded, 'chunk')} embedded; {_count(report.documents, 'document')}, "
              f"{_count(report.chunks, 'chunk')} in {report.seconds:.1f}s")
    return 0


def _search(args, settings) -> int:
    from index.engine import normalize_question

    query = normalize_question(" ".join(args.query))
    hits = _engine(settings).search(query, k=args.k, since=args.since, until=args.until, source=args.source)
    if args.json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("No passage matches.")
    for i, h in enumerate(hits, 1):
        print(f"{i:>2}. {_day(h.date)} · {_text(h.source) or _name(h.doc_id)} · {_text(h.title)}")
        print(textwrap.indent(textwrap.fill(textwrap.shorten(_text(h.text), 320, placeholder=" …"), 100), "    "))
        if h.url:
            print(f"    {_name(h.url)}")
    return 0


def _sources(args, settings) -> int:
    summary = _engine(settings, load_model=False).summary()  # reads the index only: no model is loaded
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"{_count(summary.documents, 'document')}, {_count(summary.chunks, 'passage')}, "
              f"{_day(summary.first_date)} – {_day(summary.last_date)} (model {summary.model})")
        shown = summary.titles[:args.limit] if args.limit > 0 else summary.titles
        for doc_id, title, day, source in shown:
            print(f"  {day or 'undated':10}  {_text(source) or '-':20.20}  {_text(title)}  [{_name(doc_id)}]")
        if len(shown) < len(summary.titles):
            print(f"  … and {len(summary.titles) - len(shown)} more (--limit 0 lists them all)")
    return 0


def _doctor(args, settings) -> int:
    from .doctor import doctor

    return doctor(settings)


def _health(args, settings) -> int:
    from .health import health

    found = health(settings)
    print(("ok: " if found.ok else "unhealthy: ") + _name(found.detail), file=sys.stdout if found.ok else sys.stderr)
    return found.code


def _bot(args, settings) -> int:
    from bot.runner import run

    return run(settings)


def _eval(args, settings) -> int:
    from dataclasses import replace

    from index.eval.evaluate import CONFIGS, evaluate, halves, load_questions, table, to_json
    from index.ingest.build import ingest
    from index.eval.suite import cache_slug
    from index.settings import require_writable

    if args.cache:  # where the corpus's index is built
        require_writable("--cache", args.cache)
    else:
        require_writable("DATA_DIR", settings.data_dir)
    if args.suite:
        return _eval_suite(args, settings)
    if not (args.questions and args.corpus):
        print("newsdesk: eval needs --suite SUITE, or QUESTIONS and --corpus CORPUS", file=sys.stderr)
        return 2
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        print(f"newsdesk: unknown configuration {', '.join(unknown)} (choose from {', '.join(CONFIGS)})",
              file=sys.stderr)
        return 2
    cache = args.cache or settings.data_dir / "eval" / cache_slug(args.corpus, settings.embedding_model)
    eval_settings = replace(settings, index_dir=cache)
    report = ingest(eval_settings, [args.corpus])
    print(f"index {cache}: {report.documents} documents, {report.chunks} passages "
          f"({report.chunks_embedded} embedded now)", file=sys.stderr)
    questions = load_questions(args.questions) + [q for path in args.negatives for q in load_questions(path)]
    results = evaluate(_engine(eval_settings), questions, configs)
    shown = [r for res in results for r in ([res, *halves(res)] if args.halves else [res])]
    if args.json:
        print(json.dumps(to_json(shown), indent=2))
    else:
        print(f"{len(questions)} questions, asked as of each question's date\n")
        print(table(shown))
    if args.calibrate:
        from index.answer.decide import calibrate, curve, format_curve
        from index.eval.evaluate import calibration_rows

        targets = {k: float(v) for k, v in (kv.split("=") for kv in args.refuse.split(",") if kv)}
        rows = calibration_rows(results[-1])
        cal = calibrate(rows, targets)
        print(f"\nheld-out check: fitted on odd rows, curve of the even ones ({cal.held_out_decider}):",
              file=sys.stderr)
        print(format_curve(cal.held_out, cal.held_out_decider), file=sys.stderr)
        print(f"\nall rows ({len(rows)} asks of {results[-1].name}), refusal targets {targets}:", file=sys.stderr)
        print(format_curve(curve([(cal.decider.confidence(s), kind) for _, kind, s in rows]), cal.decider),
              file=sys.stderr)
        print(f"\ncalibrated: {cal.decider}", file=sys.stderr)
    return 0


def _eval_suite(args, settings) -> int:
    from dataclasses import asdict

    from index.eval.suite import load_suite, open_corpus, run_suite, suite_table

    corpora = load_suite(args.suite)
    if args.only:
        wanted = {n.strip() for n in args.only.split(",") if n.strip()}
        unknown = wanted - {c.name for c in corpora}
        if unknown:
            print(f"newsdesk: no corpus {', '.join(sorted(unknown))} in {args.suite}", file=sys.stderr)
            return 2
        corpora = [c for c in corpora if c.name in wanted]
    for c in [c for c in corpora if not c.present]:
        if not c.optional:
            print(f"newsdesk: corpus {c.name}: {c.docs} or its questions are missing", file=sys.stderr)
            return 2
        print(f"corpus {c.name} skipped: its files are not here ({c.docs})", file=sys.stderr)
    corpora = [c for c in corpora if c.present]
    encoder = None

    def open_engine(c):
        nonlocal encoder
        engine, documents = open_corpus(settings, c, encoder)
        encoder = engine.encoder
        return engine, documents

    shipped, held_out, fitted = run_suite(corpora, open_engine, loco=args.loco,
                                          progress=lambda line: print(line, file=sys.stderr))
    if args.json:
        print(json.dumps({"shipped": [asdict(r) for r in shipped], "held_out": [asdict(r) for r in held_out],
                          "fitted_on_all": asdict(fitted) if fitted else None}, indent=2, default=str))
        return 0
    print("With the shipped decider:\n")
    print(suite_table(shipped))
    if held_out:
        print("\nLeave one corpus out (the decision fitted on the other corpora, scored on this one):\n")
        print(suite_table(held_out))
        print(f"\nfitted on all corpora: {fitted}")
    return 0


def _eval_followups(args, settings) -> int:
    from dataclasses import asdict, replace

    from index.eval.evaluate import load_questions
    from index.eval.followups import evaluate_followups, followup_table, load_pairs

    pairs = load_pairs(args.pairs)
    questions = {q.id: q for q in load_questions(args.questions)}
    results = evaluate_followups(_engine(replace(settings, index_dir=args.cache)), pairs, questions)
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
    else:
        print(followup_table(results, pairs))
    return 0


def _check(args, settings) -> int:
    from index.store.check import check

    report = check(settings)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    elif report.ok:
        print(f"ok: {report.index_dir} version {report.version}: {report.documents} documents, {report.chunks} "
              f"passages (model {report.model}); store, vectors, BM25 and chunk table agree")
    else:
        for problem in report.problems:
            print(f"newsdesk: {report.version or report.index_dir}: {_name(problem)}", file=sys.stderr)
        print("Run `newsdesk ingest` to rebuild the index from the corpus.", file=sys.stderr)
    return 0 if report.ok else 1


def _digest(args, settings) -> int:
    period = {"days": args.days} if args.days is not None else {"since": args.since} if args.since else {}
    digest = _engine(settings, load_model=False).digest(**period, as_of=args.as_of)
    if args.json:
        print(json.dumps(digest.to_json(), ensure_ascii=False, indent=2))
        return 0
    window = f"{_day(digest.since, '…')} – {_day(digest.until, '…')}"
    if digest.empty:
        what = "was dated" if digest.basis == "dated" else "entered the corpus"
        print(f"Nothing new: no document {what} {window}.")
        return 0
    basis = "dated" if digest.basis == "dated" else "ingested"
    print(f"Digest of documents {basis} {window}: {_count(len(digest.entries), 'story', 'stories')} "
          f"from {_count(digest.articles, 'article')}")
    shown = digest.entries[:args.limit] if args.limit > 0 else digest.entries
    for i, e in enumerate(shown, 1):
        more = f" ({e.coverage} articles)" if e.coverage > 1 else ""
        print(f"\n{i}. {_text(e.title)}{more}")
        print("   " + " · ".join(_text(x) for x in (_day(e.date), e.source, e.url) if x))
        print(f"   “{_text(e.lead_quote)}”" + (f" — {_text(e.attribution)}" if e.attribution else ""))
        others = [_text(a.source) or _name(a.doc_id) for a in e.articles[1:]]
        if others:
            print("   also: " + ", ".join(others))
    if len(shown) < len(digest.entries):
        print(f"\n… and {_count(len(digest.entries) - len(shown), 'more story', 'more stories')} (--limit 0 shows all)")
    return 0


def _report(args, settings) -> int:
    from bot.questionlog import QuestionLog
    from index.store.database import open_database
    from index.types import ANSWER, NOT_FOUND, UNSURE

    if args.days < 1:
        print("newsdesk: --days must be 1 or more", file=sys.stderr)
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
        print(f"deleted member {args.forget}'s entries: {retention.forget_member(settings, args.forget)}")
        return 0
    if settings.question_log_days == 0:
        print("newsdesk: QUESTION_LOG_DAYS=0 keeps the question log until purged: set it to the days to keep",
              file=sys.stderr)
        return 2
    log, turns = retention.purge(settings)
    print(f"deleted what was asked over {settings.question_log_days} days ago: {log}, {turns} conversation turn(s)")
    return 0


def _feeds(args, settings) -> int:
    from index.store.database import open_database
    from index.store.lease import holding
    from index.settings import require_writable
    from sources.feeds import FeedStore, refresh

    action = args.feeds_command
    if action == "poll":
        settings.require_writer("poll feeds")
    if action != "list" and settings.database_url is None:  # the feeds' SQLite file
        require_writable("DATA_DIR", settings.data_dir, settings.feeds_db.name)
    if action == "poll":  # new items go to the corpus, then into the index
        require_writable("CORPUS_DIR", settings.corpus_dir)
        require_writable("INDEX_DIR", settings.index_dir, ".lock")
    feeds = FeedStore(open_database(settings, settings.feeds_db))
    if action == "add":
        feed = feeds.add(args.url)
        print(f"following {feed.url}; new items go to {settings.corpus_dir / 'feeds'} (newsdesk feeds poll)")
    elif action == "remove":
        feeds.remove(args.url)
        print(f"stopped following {args.url} (its documents stay in the corpus)")
    elif action == "list":
        rows = feeds.feeds()
        if args.json:
            print(json.dumps([f.to_json() for f in rows], ensure_ascii=False, indent=2))
        elif not rows:
            print("No feeds: add one with `newsdesk feeds add URL`.")
        for f in rows:
            state = f"failing ({f.failures}×, retry after {f.next_poll_at}): {f.last_error}" if f.failures else \
                f"ok, last fetched {f.last_ok_at or 'never'}"
            print(f"{_name(f.url)}  {_text(f.title or '')}  {f.items} items  {_name(state)}")
    else:
        with holding(settings, "feeds poll"):
            report = refresh(settings, feeds, force=args.all)
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        else:
            fetched = report.polled - len(report.failed)
            if not report.polled:
                print("No feed is due (newsdesk feeds poll --all fetches them anyway)." if feeds.feeds() else
                      "No feeds: add one with `newsdesk feeds add URL`.")
            else:
                print(f"{_count(fetched, 'feed')} fetched, {_count(report.new_items, 'new item')} written, "
                      f"{len(report.failed)} failed"
                      + (f"; ingested: {report.ingest.added} added, {report.ingest.updated} updated"
                         if report.ingest else ""))
            if report.polled and not fetched:
                return 1  # every feed failed: a cron job or a human should notice
    return 0


def _add(args, settings) -> int:
    from index.store.lease import holding
    from index.settings import require_writable
    from sources.links import add_links, command_line_user, summary

    settings.require_writer("add links")
    if settings.database_url is None:  # the links log's SQLite file
        require_writable("DATA_DIR", settings.data_dir, settings.links_db.name)
    require_writable("CORPUS_DIR", settings.corpus_dir)
    require_writable("INDEX_DIR", settings.index_dir, ".lock")
    with holding(settings, "add"):
        results = add_links(settings, args.urls, who=command_line_user(), note=_text(args.note))
    if args.json:
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            print(_text(r.line()), file=sys.stdout if r.outcome == "added" else sys.stderr)
        print(summary(results))
    return 1 if any(r.outcome == "refused" for r in results) else 0


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _day(value, missing: str = "undated") -> str:
    """'2024-12-09' (or an ISO timestamp) as 'Mon 9 Dec 2024'; timestamps keep their time of day."""
    from datetime import date, datetime

    if not value:
        return missing
    try:
        if len(str(value)) > 10:
            t = datetime.fromisoformat(str(value))
            utc = t.utcoffset() is not None and not t.utcoffset()
            return f"{t:%a} {t.day} {t:%b %Y %H:%M}" + (" UTC" if utc else "")
        d = value if isinstance(value, date) else date.fromisoformat(str(value))
        return f"{d:%a} {d.day} {d:%b %Y}"
    except ValueError:
        return str(value)


def _engine(settings, *, load_model: bool = True):
    """The engine on the current index; `load_model=False` for reading the index only (sources, digests)."""
    from index.engine import Engine  # not at the top: `run` and `--help` start without the engine stack

    return Engine.open(settings, load_model=load_model)


COMMANDS = {
    "ingest": _ingest, "ask": _ask, "search": _search, "sources": _sources, "check": _check, "digest": _digest,
    "feeds": _feeds, "add": _add, "eval": _eval, "report": _report, "eval-followups": _eval_followups,
    "doctor": _doctor, "health": _health, "run": _bot,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from index.errors import NewsdeskError

    try:
        settings = _settings(args)
        if args.command != "run":  # the bot sets up its own logging (discord.py's: colour only on a terminal)
            from index.logs import setup

            setup(settings.log_level)
        code = COMMANDS[args.command](args, settings)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except NewsdeskError as exc:
        print(f"newsdesk: {_name(exc)}", file=sys.stderr)
        return 1 if args.command == "health" else 2  # Docker reserves a health check's 2
    except BrokenPipeError:  # `newsdesk sources | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("newsdesk: interrupted", file=sys.stderr)
        return 130
