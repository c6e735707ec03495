"""Check the evaluation suite's corpora the way `newsdesk eval` will read them.

    python scripts/check_eval_corpus.py [--suite eval/suite.toml] [NAME ...]

Every document must parse (with a date unless meant to have none), every answerable question must name documents
that exist and an answering sentence found in one of them holding one of its short answers. Prints each corpus's
counts and problems; exits 1 on any problem.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import _paths  # noqa: F401  (the repository importable)

from index.eval.suite import check_corpus, load_suite  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="corpora to check (default: every one present)")
    ap.add_argument("--suite", type=Path, default=Path(__file__).resolve().parent.parent / "eval" / "suite.toml")
    args = ap.parse_args()
    bad = 0
    for corpus in load_suite(args.suite):
        if (args.names and corpus.name not in args.names) or not corpus.present:
            continue
        found = check_corpus(corpus)
        print(f"{corpus.name}: {found.documents} documents ({found.formats}), dated {found.first_date} .. "
              f"{found.last_date}, undated {found.undated or 'none'}; questions {found.kinds}")
        for problem in found.problems:
            print(f"  PROBLEM {problem}")
        bad += len(found.problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
