"""The `newsdesk` command line: ingest, ask, search, sources, digest, feeds, run (the Discord bot)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Sequence


def _date(value: str):
    from index.errors import BadDate
    from index.parse import parse_date

    try:
        return parse_date(value)
    except BadDate as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _name(text: object) -> str:
    """A file name, URL or reason for the terminal: control characters shown escaped (\\n, \\x1b), never obeyed."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))


def _text(text: object) -> str:
    """Corpus text for the terminal: escape sequences dropped, line breaks and other controls made spaces."""
    return " ".join(_CONTROL.sub(" ", _ANSI.sub("", str(text))).split())


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__)
    parser.add_argument("--index", type=Path, help="index folder (default: INDEX_DIR from settings)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="add, update and remove documents in the index")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: CORPUS_DIR)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    def filters(p: argparse.ArgumentParser) -> None:
        p.add_argument("--since", type=_date, help="only documents dated on or after YYYY-MM-DD")
        p.add_argument("--until", type=_date, help="only documents dated on or before YYYY-MM-DD")
        p.add_argument("--source", help="only documents from this source")

    p = sub.add_parser("ask", help="answer a question with quotes (QUESTION '-' reads one per line from stdin)")
    p.add_argument("question", nargs="+")
    p.add_argument("--k", type=_bounded("--k", 1, 10), default=None, help="at most K quotes, 1-10 (default 3)")
    p.add_argument("--as-of", type=_date, dest="as_of", help="ask as of this date: nothing newer is quoted")
    filters(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="list ranked passages for a query")
    p.add_argument("query", nargs="+")
    p.add_argument("--k", type=_bounded("--k", 1, 100), default=10, help="passages to list, 1-100 (default 10)")
    filters(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help="verify the current index version end to end (exit 1 when damaged)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("sources", help="list the indexed documents")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("digest", help="what entered the corpus: stories grouped, by coverage then date")
    period = p.add_mutually_exclusive_group()
    period.add_argument("--since", type=_date, help="documents dated on or after YYYY-MM-DD")
    period.add_argument("--days", type=_bounded("--days", 0, 36_500), help="documents dated within the last N days "
                        "(default: what was ingested in the last 24 hours)")
    p.add_argument("--as-of", type=_date, dest="as_of", help="count days back from this date (default today)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("feeds", help="RSS/Atom feeds that keep the corpus fresh")
    feeds = p.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    feeds.add_parser("add", help="follow a feed").add_argument("url")
    feeds.add_parser("remove", help="stop following a feed").add_argument("url")
    feeds.add_parser("list", help="the feeds followed, with their state").add_argument("--json", action="store_true")
    fp = feeds.add_parser("poll", help="fetch the feeds that are due, write new items to the corpus, ingest")
    fp.add_argument("--all", action="store_true", help="fetch every feed now, even those waiting for a retry")
    fp.add_argument("--json", action="store_true")

    p = sub.add_parser("eval", help="measure retrieval and quoting on a question set (JSONL)")
    p.add_argument("questions", type=Path, help="JSONL: id, question, answers, evidence_doc_ids, question_date")
    p.add_argument("--corpus", type=Path, required=True, help="the documents the questions are about")
    p.add_argument("--cache", type=Path, help="index folder for CORPUS (default: DATA_DIR/eval/<corpus>-<model>)")
    p.add_argument("--configs", default="dense,bm25,hybrid,full", help="comma-separated: dense,bm25,hybrid,full")
    p.add_argument("--no-abstention", action="store_true", help="skip the gold-removed runs (twice as fast)")
    p.add_argument("--calibrate", action="store_true",
                   help="fit the not-in-the-corpus decision on the last configuration's runs and print it")
    p.add_argument("--json", action="store_true")

    sub.add_parser("run", help="start the Discord bot (settings from .env)")
    for name in ("--index",):  # accept --index after the command too
        for sp in sub.choices.values():
            sp.add_argument(name, type=Path, dest="index_after", help=argparse.SUPPRESS)
    return parser


def _settings(args):
    from dataclasses import replace

    from index.settings import Settings

    settings = Settings.from_env()
    index = getattr(args, "index_after", None) or args.index
    return replace(settings, index_dir=index) if index else settings


def _print_answer(answer) -> None:
    if answer.since or answer.until:
        print(f"(searched {answer.since or '…'} – {answer.until or '…'})")
    if not answer.answered:
        print("Not in the corpus: no passage answers this question.")
        if answer.nearest:
            print("\nNearest passages:")
        quotes = answer.nearest
    else:
        quotes = answer.quotes
    for q in quotes:
        print(f"\n“{_text(q.text)}”")
        meta = " · ".join(_text(x) for x in (q.attribution and f"— {q.attribution}", q.date or "undated", q.title, q.source,
                                             q.url) if x)
        print(f"   {meta}")


def _ask(args, settings) -> int:
    from index.engine import Engine
    from index.errors import NewsdeskError

    if args.question == ["-"]:
        engine = Engine.open(settings)
        failed = 0
        for n, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:  # each line on its own: a bad one is reported on its output line and the batch goes on
                answer = engine.ask(**_batch_request(line, args))
                print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
            except Exception as exc:
                if not isinstance(exc, NewsdeskError):
                    failed += 1
                    print(f"newsdesk: line {n}: {type(exc).__name__}: {exc}", file=sys.stderr)
                error = str(exc) if isinstance(exc, NewsdeskError) else f"internal error ({type(exc).__name__})"
                print(json.dumps({"question": line.strip()[:200], "answered": False, "quotes": [], "error": error}),
                      flush=True)
        return 1 if failed else 0
    from index.engine import normalize_question

    question = normalize_question(" ".join(args.question))  # fail fast, before the model loads
    engine = Engine.open(settings)
    answer = engine.ask(question, k=args.k, since=args.since, until=args.until, source=args.source, as_of=args.as_of)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_answer(answer)
    return 0


def _opt_date(value):
    from index.parse import parse_date

    return parse_date(value) if value else None


def _batch_request(line: str, args) -> dict:
    """The ask() arguments of one `ask -` line: a plain question, or a JSON object (question, k, since, until,
    source, as_of) whose fields override the command's options. Raises BadRequest naming what is wrong."""
    from index.errors import BadRequest

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
    return {"question": req.get("question") or "", "k": req.get("k") or args.k,
            "since": _opt_date(req.get("since")) or args.since, "until": _opt_date(req.get("until")) or args.until,
            "source": req.get("source") or args.source, "as_of": _opt_date(req.get("as_of")) or args.as_of}


def _run(args, settings) -> int:
    command = args.command
    if command == "ingest":
        from index.ingest import ingest

        report = ingest(settings, args.paths or [settings.corpus_dir])
        if args.json:
            print(json.dumps(report.to_json(), indent=2))
        else:
            if report.repaired:
                print(f"the index was damaged ({_name(report.repaired)}): rebuilt from the corpus", file=sys.stderr)
            for s in report.skipped:
                print(f"skipped {_name(s.path)}: {_name(s.reason)}", file=sys.stderr)
            print(f"ingested into {report.index_dir}: {report.added} added, {report.updated} updated, "
                  f"{report.removed} removed, {report.unchanged} unchanged, {len(report.skipped)} skipped; "
                  f"{report.chunks_embedded} chunks embedded; {report.documents} documents, {report.chunks} chunks "
                  f"in {report.seconds:.1f}s")
        return 0
    if command == "ask":
        return _ask(args, settings)
    if command == "search":
        from index.engine import Engine, normalize_question

        query = normalize_question(" ".join(args.query))
        hits = Engine.open(settings).search(query, k=args.k, since=args.since, until=args.until, source=args.source)
        if args.json:
            print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=2))
        for i, h in enumerate(hits, 1):
            if not args.json:
                print(f"{i:>2}. [{h.score:.4f}] {h.date or 'undated'} · {_text(h.title)} · "
                      f"{_text(h.source) or _name(h.doc_id)}\n    {_text(h.text[:300])}")
        return 0
    if command == "sources":
        summary = _summary(settings)  # reads the index only: no model is loaded
        if args.json:
            print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
        else:
            print(f"{summary.documents} documents, {summary.chunks} passages, "
                  f"{summary.first_date or '?'} – {summary.last_date or '?'} (model {summary.model})")
            for doc_id, title, day, source in summary.titles:
                print(f"  {day or 'undated':10}  {_text(source) or '-':20.20}  {_text(title)}  [{_name(doc_id)}]")
        return 0
    if command == "check":
        return _check(args, settings)
    if command == "digest":
        return _digest(args, settings)
    if command == "feeds":
        return _feeds(args, settings)
    if command == "eval":
        return _eval(args, settings)
    if command == "run":
        from bot.runner import run

        return run(settings)
    raise AssertionError(command)


def _eval(args, settings) -> int:
    import re
    from dataclasses import replace

    from index.engine import Engine
    from index.evaluate import CONFIGS, evaluate, load_questions, table, to_json
    from index.ingest import ingest

    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        print(f"newsdesk: unknown configuration {', '.join(unknown)} (choose from {', '.join(CONFIGS)})", file=sys.stderr)
        return 2
    slug = re.sub(r"[^\w.-]+", "-", f"{args.corpus.resolve().parent.name}-{args.corpus.name.split('.')[0]}-"
                                     f"{Path(settings.embedding_model).name}")
    cache = args.cache or settings.data_dir / "eval" / slug
    eval_settings = replace(settings, index_dir=cache)
    report = ingest(eval_settings, [args.corpus])
    print(f"index {cache}: {report.documents} documents, {report.chunks} passages "
          f"({report.chunks_embedded} embedded now)", file=sys.stderr)
    questions = load_questions(args.questions)
    results = evaluate(Engine.open(eval_settings), questions, configs, abstention=not args.no_abstention)
    if args.json:
        print(json.dumps(to_json(results), indent=2))
    else:
        print(f"{len(questions)} questions, asked as of each question's date\n")
        print(table(results))
    if args.calibrate:
        from index.decide import cross_validate, fit
        from index.evaluate import calibration_samples

        samples = calibration_samples(results[-1])
        decider = fit(samples)
        print(f"\ncalibrated on {len(samples)} asks ({results[-1].name}): {decider}; "
              f"5-fold accuracy {cross_validate(samples):.3f}", file=sys.stderr)
    return 0


def _check(args, settings) -> int:
    from index.check import check

    report = check(settings)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    elif report.ok:
        print(f"ok: {report.index_dir} version {report.version}: {report.documents} documents, {report.chunks} "
              f"passages (model {report.model}); store, vectors and BM25 agree")
    else:
        for problem in report.problems:
            print(f"newsdesk: {report.version or report.index_dir}: {_name(problem)}", file=sys.stderr)
        print("Run `newsdesk ingest` to rebuild the index from the corpus.", file=sys.stderr)
    return 0 if report.ok else 1


def _digest(args, settings) -> int:
    period = {"days": args.days} if args.days is not None else {"since": args.since} if args.since else {}
    digest = _engine_without_model(settings).digest(**period, as_of=args.as_of)
    if args.json:
        print(json.dumps(digest.to_json(), ensure_ascii=False, indent=2))
        return 0
    window = f"{digest.since or '…'} – {digest.until or '…'}"
    if digest.empty:
        what = "was dated" if digest.basis == "dated" else "entered the corpus"
        print(f"Nothing new: no document {what} {window}.")
        return 0
    basis = "dated" if digest.basis == "dated" else "ingested"
    print(f"Digest of documents {basis} {window}: {len(digest.entries)} stories from {digest.articles} articles")
    for i, e in enumerate(digest.entries, 1):
        more = f" ({e.coverage} articles)" if e.coverage > 1 else ""
        print(f"\n{i}. {_text(e.title)}{more}")
        print("   " + " · ".join(_text(x) for x in (e.date or "undated", e.source, e.url) if x))
        print(f"   “{_text(e.lead_quote)}”" + (f" — {_text(e.attribution)}" if e.attribution else ""))
        others = [_text(a.source) or _name(a.doc_id) for a in e.articles[1:]]
        if others:
            print("   also: " + ", ".join(others))
    return 0


def _feeds(args, settings) -> int:
    from index.feeds import FeedStore, refresh

    feeds = FeedStore(settings.feeds_db)
    action = args.feeds_command
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
        report = refresh(settings, feeds, force=args.all)
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        else:
            for failure in report.failed:
                print(f"feed failed: {_name(failure)}", file=sys.stderr)
            print(f"{report.polled} feeds fetched, {report.new_items} new items written, {len(report.failed)} failed"
                  + (f"; ingested: {report.ingest.added} added, {report.ingest.updated} updated" if report.ingest else ""))
    return 0


def _engine_without_model(settings):
    """The engine for reading the index only (sources, digests): no embedding model is loaded."""
    from index.engine import Engine

    return Engine.open(settings, load_model=False)


def _summary(settings):
    return _engine_without_model(settings).summary()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from index.errors import NewsdeskError

    try:
        code = _run(args, _settings(args))
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except NewsdeskError as exc:
        print(f"newsdesk: {_name(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `newsdesk sources | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("newsdesk: interrupted", file=sys.stderr)
        return 130
