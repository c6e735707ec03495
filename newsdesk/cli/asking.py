"""`ask` (one question, or one per line of stdin answered in batches) and `search`."""

from __future__ import annotations

import json
import sys
import textwrap

from newsdesk.cli.opening import engine_on
from newsdesk.cli.terminal import escaped, plain, print_answer, shown_day


def ask_command(args, settings) -> int:
    from index.errors import NewsdeskError

    if args.question == ["-"]:
        from index.batch import Asking
        from index.types import Answer
        from index.text.unicode import shown

        engine = engine_on(settings)
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
    from index.answer.question import Question
    from index.types import Conversation, Turn

    question = Question.of(" ".join(args.question))  # normalised once, failing fast before the model loads
    earlier = [_previous(n, q) for n, q in enumerate(args.after, 1)]
    engine = engine_on(settings)
    options = dict(k=args.k, since=args.since, until=args.until, source=args.source, as_of=args.as_of)
    context = Conversation()
    for previous in earlier:  # each earlier question asked in turn: its answer's documents are the context
        context = context.then(Turn.of(engine.ask(previous, context=context, **options), previous.text))
    answer = engine.ask(question, context=context, **options)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print_answer(answer)
    return 0


def _previous(n: int, text: str):
    """An `--after` question, its mistake named as that option's (not the question's)."""
    from index.answer.question import Question
    from index.errors import NewsdeskError

    try:
        return Question.of(text)
    except NewsdeskError as error:
        raise NewsdeskError(f"--after (the {_ordinal(n)} earlier question): {error}") from None


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


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
    source, as_of) whose fields override the command's options. Raises BadRequest naming what is wrong (a k out of
    1..MAX_ANSWER_K included: the --k option refuses it, where Engine.ask would quietly clamp it), BadText
    when the line is not UTF-8 or a text field is not Unicode (a JSON "\\ud800" escape)."""
    from index.errors import BadRequest, named
    from index.settings import MAX_ANSWER_K
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
    k = req.get("k")
    if k is not None and (type(k) is not int or not 1 <= k <= MAX_ANSWER_K):  # as --k: out of range is a mistake
        raise BadRequest(f"k must be a whole number from 1 to {MAX_ANSWER_K}, "
                         f"not {named(k if isinstance(k, str) else json.dumps(k), 30)!r}")
    return {"question": req.get("question") or "", "k": args.k if k is None else k,
            "since": _opt_date(req.get("since")) or args.since, "until": _opt_date(req.get("until")) or args.until,
            "source": req.get("source") or args.source, "as_of": _opt_date(req.get("as_of")) or args.as_of}


def search_command(args, settings) -> int:
    from index.engine import normalize_question

    query = normalize_question(" ".join(args.query))
    hits = engine_on(settings).search(query, k=args.k, since=args.since, until=args.until, source=args.source)
    if args.json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("No passage matches.")
    for i, h in enumerate(hits, 1):
        print(f"{i:>2}. {shown_day(h.date)} · {plain(h.source) or escaped(h.doc_id)} · {plain(h.title)}")
        print(textwrap.indent(textwrap.fill(textwrap.shorten(plain(h.text), 320, placeholder=" …"), 100), "    "))
        if h.url:
            print(f"    {escaped(h.url)}")
    return 0
