"""The index's commands: `ingest`, `check`, `sources`, `digest`."""

from __future__ import annotations

import json
import sys

from newsdesk.cli.opening import engine_on
from newsdesk.cli.terminal import counted, escaped, plain, shown_day, shown_period


def ingest_command(args, settings) -> int:
    from index.ingest.build import ingest
    from index.settings import require_writable
    from newsdesk.cli.progress import on_terminal
    from newsdesk.lease import holding

    settings.require_writer("ingest")
    require_writable("INDEX_DIR", settings.index_dir, ".lock")
    with holding(settings, "ingest"):
        report = ingest(settings, args.paths or [settings.corpus_dir], progress=on_terminal())
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        if report.repaired:
            print(f"the index was damaged ({escaped(report.repaired)}): rebuilt from the corpus", file=sys.stderr)
        for s in report.skipped:
            print(f"skipped {escaped(s.path)}: {escaped(s.reason)}", file=sys.stderr)
        if report.language_note:
            print(f"note: {report.language_note}", file=sys.stderr)
        print(f"ingested into {report.index_dir}: {report.added} added, {report.updated} updated, "
              f"{report.removed} removed, {report.unchanged} unchanged, {len(report.skipped)} skipped; "
              f"{counted(report.chunks_embedded, 'chunk')} embedded; {counted(report.documents or 0, 'document')}, "
              f"{counted(report.chunks, 'chunk')} in {report.seconds:.1f}s")
    return 0


def check_command(args, settings) -> int:
    from index.store.check import check

    report = check(settings)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    elif report.ok:
        counts = f"{counted(report.documents or 0, 'document')}, {counted(report.chunks or 0, 'passage')}"
        print(f"ok: {report.index_dir} version {report.version}: {counts} (model {report.model}); store, vectors, "
              "BM25 and chunk table agree")
    else:
        for problem in report.problems:
            print(f"newsdesk: {report.version or report.index_dir}: {escaped(problem)}", file=sys.stderr)
        print("Run `newsdesk ingest` to rebuild the index from the corpus.", file=sys.stderr)
    return 0 if report.ok else 1


def sources_command(args, settings) -> int:
    summary = engine_on(settings, load_model=False).summary()  # reads the index only: no model is loaded
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"{counted(summary.documents, 'document')}, {counted(summary.chunks, 'passage')}, "
              f"{shown_period(summary.first_date, summary.last_date, 'undated')} (model {summary.model})")
        shown = summary.titles[:args.limit] if args.limit > 0 else summary.titles
        for doc_id, title, day, source in shown:
            print(f"  {day or 'undated':10}  {plain(source) or '-':20.20}  {plain(title)}  [{escaped(doc_id)}]")
        if len(shown) < len(summary.titles):
            print(f"  … and {len(summary.titles) - len(shown)} more (--limit 0 lists them all)")
    return 0


def digest_command(args, settings) -> int:
    period = {"days": args.days} if args.days is not None else {"since": args.since} if args.since else {}
    digest = engine_on(settings, load_model=False).digest(**period, as_of=args.as_of)
    if args.json:
        print(json.dumps(digest.to_json(), ensure_ascii=False, indent=2))
        return 0
    window = shown_period(digest.since, digest.until)
    if digest.empty:
        what = "was dated" if digest.basis == "dated" else "entered the corpus"
        print(f"Nothing new: no document {what} {window}.")
        return 0
    basis = "dated" if digest.basis == "dated" else "ingested"
    print(f"Digest of documents {basis} {window}: {counted(len(digest.entries), 'story', 'stories')} "
          f"from {counted(digest.articles, 'article')}")
    shown = digest.entries[:args.limit] if args.limit > 0 else digest.entries
    for i, e in enumerate(shown, 1):
        more = f" ({e.coverage} articles)" if e.coverage > 1 else ""
        print(f"\n{i}. {plain(e.title)}{more}")
        print("   " + " · ".join(plain(x) for x in (shown_day(e.date), e.source, e.url) if x))
        print(f"   “{plain(e.lead_quote)}”" + (f" — {plain(e.attribution)}" if e.attribution else ""))
        others = [plain(a.source) or escaped(a.doc_id) for a in e.articles[1:]]
        if others:
            print("   also: " + ", ".join(others))
    if len(shown) < len(digest.entries):
        more = counted(len(digest.entries) - len(shown), 'more story', 'more stories')
        print(f"\n… and {more} (--limit 0 shows all)")
    return 0
