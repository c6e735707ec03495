"""What the commands print: corpus text and names made safe for a terminal, dates, counts, an answer."""

from __future__ import annotations

import os
import re
import sys

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escaped(text: object) -> str:
    """A file name, URL or reason for the terminal: control characters shown escaped (\\n, \\x1b), never obeyed."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))


def plain(text: object) -> str:
    """Corpus text for the terminal: escape sequences dropped, line breaks and other controls made spaces."""
    return " ".join(_CONTROL.sub(" ", _ANSI.sub("", str(text))).split())


def marked(text: str, marks, emphasis: tuple[str, str]) -> str:
    """A quote for the terminal as `plain` shows it, the words that answer the question between `emphasis`."""
    from index.answer.mark import pieces

    on, off = emphasis
    return "".join(f"{on}{shown}{off}" if is_mark else shown
                   for shown, is_mark in ((_CONTROL.sub(" ", _ANSI.sub("", p)), m)
                                          for p, m in pieces(str(text), marks)))


def terminal_emphasis() -> tuple[str, str]:
    """Bold and underlined on a terminal that takes colour; plain "**" markers when piped or NO_COLOR is set."""
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return "\x1b[1;4m", "\x1b[0m"
    return "**", "**"


def counted(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def shown_period(first, last, missing: str = "…") -> str:
    """'Mon 9 Dec 2024 – Fri 20 Dec 2024', or the one day when both are the same ('Mon 9 Dec 2024')."""
    if first and first == last:
        return shown_day(first, missing)
    return f"{shown_day(first, missing)} – {shown_day(last, missing)}"


def shown_day(value, missing: str = "undated") -> str:
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


def print_answer(answer) -> None:
    from index.answer.followup import reading_note
    from index.types import NOT_FOUND, UNSURE

    if note := reading_note(answer):
        print(f"({note})")
    if answer.respelled:
        print("(read " + ", ".join(f"“{plain(typed)}” as “{plain(read)}”" for typed, read in answer.respelled) + ")")
    if answer.since or answer.until:
        print(f"(searched {answer.since or '…'} – {answer.until or '…'})")
    if answer.outside:
        print(f"(nothing dated {answer.outside[0]} – {answer.outside[1]}, the dates asked about, answers this: "
              "the passages below are from outside them)")
    quotes = answer.quotes
    if answer.decision == UNSURE:
        print("Closest passages — they may not answer this directly:")
        quotes = answer.nearest
    elif answer.decision == NOT_FOUND:
        print("Not in the corpus: nothing in it answers this question.")
        if answer.missing:
            print("The corpus never mentions: " + ", ".join(plain(w) for w in answer.missing) + ".")
        print("Try `newsdesk search` with other words, or a wider date range.")
    emphasis = terminal_emphasis()
    for q in quotes:
        print(f"\n“{marked(q.text, q.marks, emphasis)}”")
        meta = " · ".join(plain(x) for x in (q.attribution and f"— {q.attribution}", q.date or "undated", q.title,
                                             q.source, q.page and f"p. {q.page}", q.url) if x)
        print(f"   {meta}")
    for c in answer.comparisons:
        head = f"{len(c.claims)} reports agree" if c.verdict == "agree" else "Sources differ, oldest first"
        print(f"\n{head} ({plain(c.subject)}):")
        for claim in c.claims:
            where = dict.fromkeys((claim.date or "undated", claim.source, claim.attribution))  # each named once
            print(f"  “{plain(claim.value)}” — " + " · ".join(plain(x) for x in where if x)
                  + ("  (newest)" if claim is c.newest else ""))
