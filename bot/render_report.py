"""The question report as a Discord embed (pure). Questions are user text: escaped, and cut within limits."""

from __future__ import annotations

import discord

from index.types import ANSWER, NOT_FOUND, UNSURE

from .questionlog import QuestionReport
from .render import ANSWER_COLOUR, FIELD_VALUE_LIMIT, MISSING_COLOUR, TITLE_LIMIT, cut, escape

SHOWN = 5  # gaps and 👎'd answers listed in each field
QUESTION_LIMIT = 150  # characters of one question in a list


def _lines(items: list[str]) -> str:
    """Lines that fit in one field; the ones left out are counted."""
    out: list[str] = []
    for i, line in enumerate(items):
        more = f"… and {len(items) - i} more"
        if sum(len(x) + 1 for x in out) + len(line) + len(more) + 1 > FIELD_VALUE_LIMIT:
            out.append(more)
            break
        out.append(line)
    return "\n".join(out)


def report_embed(report: QuestionReport, *, days: int | None) -> discord.Embed:
    """Questions asked, how they were decided, the most-asked unanswered ones and the 👎'd answers."""
    period = f"last {days} days" if days else "all time"
    title = cut(f"Questions asked — {period}", TITLE_LIMIT)
    if not report.asked and not report.disliked:
        return discord.Embed(title=title, description="No questions were asked in this period.", colour=MISSING_COLOUR)
    embed = discord.Embed(
        title=title, colour=ANSWER_COLOUR,
        description=(f"**{report.asked}** asked · answered **{report.rate(ANSWER):.0%}** · "
                     f"unsure {report.rate(UNSURE):.0%} · not found {report.rate(NOT_FOUND):.0%}"),
    )
    if report.gaps:
        gaps = [f"{g.asks}× {cut(escape(g.question), QUESTION_LIMIT)} ({g.decision.replace('_', ' ')})"
                for g in report.gaps[:SHOWN]]
        embed.add_field(name="Most-asked unanswered (the corpus's gaps)", value=_lines(gaps), inline=False)
    if report.disliked:
        disliked = [f"👎 {d.down}" + (f" 👍 {d.up}" if d.up else "") + f" — {cut(escape(d.question), QUESTION_LIMIT)}"
                    for d in report.disliked[:SHOWN]]
        embed.add_field(name="Answers voted 👎", value=_lines(disliked), inline=False)
    return embed
