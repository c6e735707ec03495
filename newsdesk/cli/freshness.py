"""What keeps the corpus fresh: `feeds` (add, remove, list, poll) and `add` (web pages)."""

from __future__ import annotations

import json
import sys

from newsdesk.cli.terminal import counted, escaped, plain


def feeds_command(args, settings) -> int:
    from index.settings import require_writable
    from newsdesk.database import open_database
    from newsdesk.lease import holding
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
            print(f"{escaped(f.url)}  {plain(f.title or '')}  {f.items} items  {escaped(state)}")
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
                print(f"{counted(fetched, 'feed')} fetched, {counted(report.new_items, 'new item')} written, "
                      f"{len(report.failed)} failed"
                      + (f"; ingested: {report.ingest.added} added, {report.ingest.updated} updated"
                         if report.ingest else ""))
            if report.polled and not fetched:
                return 1  # every feed failed: a cron job or a human should notice
    return 0


def add_command(args, settings) -> int:
    from index.settings import require_writable
    from newsdesk.lease import holding
    from sources.links import add_links, command_line_user, summary

    settings.require_writer("add links")
    if settings.database_url is None:  # the links log's SQLite file
        require_writable("DATA_DIR", settings.data_dir, settings.links_db.name)
    require_writable("CORPUS_DIR", settings.corpus_dir)
    require_writable("INDEX_DIR", settings.index_dir, ".lock")
    with holding(settings, "add"):
        results = add_links(settings, args.urls, who=command_line_user(), note=plain(args.note))
    if args.json:
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            print(plain(r.line()), file=sys.stdout if r.outcome == "added" else sys.stderr)
        print(summary(results))
    return 1 if any(r.outcome == "refused" for r in results) else 0
