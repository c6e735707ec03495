"""`eval` (a question set, or the suite of corpora) and `eval-followups`."""

from __future__ import annotations

import json
import sys

from newsdesk.cli.opening import engine_on


def _read(load, path, what: str):
    """`load(path)` for a file named on the command line; one missing, unreadable, not UTF-8 or not in the expected
    form is one line naming it (BadRequest), not a traceback."""
    from index.errors import BadRequest
    from index.text.unicode import not_utf8

    try:
        return load(path)
    except UnicodeDecodeError as exc:
        raise BadRequest(f"{what} {path}: {not_utf8(exc)}") from None
    except OSError as exc:
        raise BadRequest(f"{what} {path}: cannot be read ({exc.strerror or exc})") from None
    except (ValueError, KeyError, TypeError) as exc:  # bad JSON or TOML, a record lacking a field or of a wrong kind
        detail = f"no {exc}" if isinstance(exc, KeyError) else str(exc)
        raise BadRequest(f"{what} {path}: not in the expected form ({type(exc).__name__}: {detail[:200]})") from None


def eval_command(args, settings) -> int:
    from dataclasses import replace

    from index.eval.evaluate import CONFIGS, evaluate, halves, load_questions, table, to_json
    from index.eval.suite import cache_slug
    from index.ingest.build import ingest
    from index.settings import require_writable
    from newsdesk.cli.progress import on_terminal

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
    questions = [q for path, what in [(args.questions, "QUESTIONS"), *((n, "--negatives") for n in args.negatives)]
                 for q in _read(load_questions, path, what)]  # before the ingest: a bad file costs nothing
    cache = args.cache or settings.data_dir / "eval" / cache_slug(args.corpus, settings.embedding_model)
    eval_settings = replace(settings, index_dir=cache)
    report = ingest(eval_settings, [args.corpus], progress=on_terminal())
    print(f"index {cache}: {report.documents} documents, {report.chunks} passages "
          f"({report.chunks_embedded} embedded now)", file=sys.stderr)
    results = evaluate(engine_on(eval_settings), questions, configs)
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

    from index.eval.suite import load_suite, open_corpus, run_suite, suite_table, Typing

    corpora = _read(load_suite, args.suite, "--suite")
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

    typed = Typing(lower_case=args.lower_case, misspelled=args.misspelled, plain_letters=args.plain_letters,
                   chatty=args.chatty, typos=args.typos, upper_case=args.upper_case, title_case=args.title_case)
    shipped, held_out, fitted = run_suite(corpora, open_engine, loco=args.loco, typed=typed,
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


def eval_followups_command(args, settings) -> int:
    from dataclasses import asdict, replace

    from index.eval.evaluate import load_questions
    from index.eval.followups import evaluate_followups, followup_table, load_pairs

    pairs = _read(load_pairs, args.pairs, "PAIRS")
    questions = {q.id: q for q in _read(load_questions, args.questions, "--questions")}
    results = evaluate_followups(engine_on(replace(settings, index_dir=args.cache)), pairs, questions)
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
    else:
        print(followup_table(results, pairs))
    return 0
