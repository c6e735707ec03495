"""The `newsdesk` command line: ingest, ask, search, sources, digest, feeds, run (the Discord bot)."""

from __future__ import annotations

import argparse
import json
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
    p.add_argument("--k", type=int, default=None, help="at most K quotes (default 3)")
    p.add_argument("--as-of", type=_date, dest="as_of", help="ask as of this date: nothing newer is quoted")
    p.add_argument("--after", action="append", default=[], metavar="PREVIOUS",
                   help="a question asked before this one in the conversation (repeat, oldest first): "
                        "the question is read as its follow-up")
    filters(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="list ranked passages for a query")
    p.add_argument("query", nargs="+")
    p.add_argument("--k", type=int, default=10)
    filters(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("sources", help="list the indexed documents")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("digest", help="what entered the corpus: stories grouped, by coverage then date")
    period = p.add_mutually_exclusive_group()
    period.add_argument("--since", type=_date, help="documents dated on or after YYYY-MM-DD")
    period.add_argument("--days", type=int, help="documents dated within the last N days "
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

    p = sub.add_parser("eval-followups", help="follow-up questions asked with and without their first question")
    p.add_argument("pairs", type=Path, help="JSONL: id (of a question in QUESTIONS), first, followup")
    p.add_argument("--questions", type=Path, required=True, help="the question set the pairs refer to (JSONL)")
    p.add_argument("--cache", type=Path, required=True, help="an index of the questions' corpus (used as it is)")
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
    if answer.asked:
        print(f"(read as: {answer.question})")
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
        print(f"\n“{q.text}”")
        meta = " · ".join(x for x in (q.attribution and f"— {q.attribution}", q.date or "undated", q.title, q.source, q.url) if x)
        print(f"   {meta}")
    for c in answer.comparisons:
        head = f"{len(c.claims)} reports agree" if c.verdict == "agree" else "Sources differ, oldest first"
        print(f"\n{head} ({c.subject}):")
        for i, claim in enumerate(c.claims):
            newest = c.verdict == "differ" and i == len(c.claims) - 1 and (claim.date or "") > (c.claims[-2].date or "")
            print(f"  “{claim.value}” — " + " · ".join(x for x in (claim.date or "undated", claim.source, claim.attribution) if x)
                  + ("  (newest)" if newest else ""))


def _ask(args, settings) -> int:
    from index.engine import Engine
    from index.errors import NewsdeskError

    if args.question == ["-"]:
        engine = Engine.open(settings)
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                req = json.loads(line) if line.lstrip().startswith("{") else {"question": line.strip()}
                answer = engine.ask(
                    str(req.get("question", "")), k=req.get("k") or args.k,
                    since=_opt_date(req.get("since")) or args.since, until=_opt_date(req.get("until")) or args.until,
                    source=req.get("source") or args.source, as_of=_opt_date(req.get("as_of")) or args.as_of,
                )
                print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
            except (NewsdeskError, json.JSONDecodeError, AttributeError) as exc:
                print(json.dumps({"question": line.strip()[:200], "answered": False, "quotes": [], "error": str(exc)}), flush=True)
        return 0
    from index.engine import normalize_question

    from index.types import Conversation, Turn

    question = normalize_question(" ".join(args.question))  # fail fast, before the model loads
    earlier = [normalize_question(q) for q in args.after]
    engine = Engine.open(settings)
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
    from index.parse import parse_date

    return parse_date(value) if value else None


def _run(args, settings) -> int:
    command = args.command
    if command == "ingest":
        from index.ingest import ingest

        report = ingest(settings, args.paths or [settings.corpus_dir])
        if args.json:
            print(json.dumps(report.to_json(), indent=2))
        else:
            for s in report.skipped:
                print(f"skipped {s.path}: {s.reason}", file=sys.stderr)
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
                print(f"{i:>2}. [{h.score:.4f}] {h.date or 'undated'} · {h.title} · {h.source or h.doc_id}\n    {h.text[:300]}")
        return 0
    if command == "sources":
        summary = _summary(settings)  # reads the index only: no model is loaded
        if args.json:
            print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
        else:
            print(f"{summary.documents} documents, {summary.chunks} passages, "
                  f"{summary.first_date or '?'} – {summary.last_date or '?'} (model {summary.model})")
            for doc_id, title, day, source in summary.titles:
                print(f"  {day or 'undated':10}  {source or '-':20.20}  {title}  [{doc_id}]")
        return 0
    if command == "digest":
        return _digest(args, settings)
    if command == "feeds":
        return _feeds(args, settings)
    if command == "eval":
        return _eval(args, settings)
    if command == "eval-followups":
        return _eval_followups(args, settings)
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


def _eval_followups(args, settings) -> int:
    from dataclasses import asdict, replace

    from index.engine import Engine
    from index.evaluate import load_questions
    from index.followup_eval import evaluate_followups, followup_table, load_pairs

    pairs = load_pairs(args.pairs)
    questions = {q.id: q for q in load_questions(args.questions)}
    results = evaluate_followups(Engine.open(replace(settings, index_dir=args.cache)), pairs, questions)
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
    else:
        print(followup_table(results, pairs))
    return 0


def _digest(args, settings) -> int:
    if args.days is not None and args.days < 0:
        print("newsdesk: --days must be 0 or more", file=sys.stderr)
        return 2
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
        print(f"\n{i}. {e.title}{more}")
        print("   " + " · ".join(x for x in (e.date or "undated", e.source, e.url) if x))
        print(f"   “{e.lead_quote}”" + (f" — {e.attribution}" if e.attribution else ""))
        others = [a.source or a.doc_id for a in e.articles[1:]]
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
            print(f"{f.url}  {f.title or ''}  {f.items} items  {state}")
    else:
        report = refresh(settings, feeds, force=args.all)
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        else:
            for failure in report.failed:
                print(f"feed failed: {failure}", file=sys.stderr)
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
        return _run(args, _settings(args))
    except NewsdeskError as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newsdesk: interrupted", file=sys.stderr)
        return 130
