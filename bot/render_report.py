"""The question report as a Discord embed (pure). Questions are user text: escaped, and cut within limits."""

from __future__ import annotations

import discord

from index.types import ANSWER, NOT_FOUND, UNSURE

from .questionlog import QuestionReport
from .render import ANSWER_COLOUR, FIELD_VALUE_LIMIT, MISSING_COLOUR, TITLE_LIMIT, cut, escape
from .words import EN, Words

SHOWN = 5  # gaps and 👎'd answers listed in each field
QUESTION_LIMIT = 150  # characters of one question in a list


def _lines(items: list[str], words: Words = EN) -> str:
    """Lines that fit in one field; the ones left out are counted."""
    out: list[str] = []
    for i, line in enumerate(items):
        more = words.more_sources.format(count=len(items) - i)
        if sum(len(x) + 1 for x in out) + len(line) + len(more) + 1 > FIELD_VALUE_LIMIT:
            out.append(more)
            break
        out.append(line)
    return "\n".join(out)


def report_embed(report: QuestionReport, *, days: int | None, words: Words = EN) -> discord.Embed:
    """Questions asked, how they were decided, the most-asked unanswered ones and the 👎'd answers, in `words`."""
    period = words.report_last_days.format(days=days) if days else words.report_all_time
    title = cut(words.report_title.format(period=period), TITLE_LIMIT)
    if not report.asked and not report.disliked:
        return discord.Embed(title=title, description=words.report_nothing, colour=MISSING_COLOUR)
    embed = discord.Embed(
        title=title, colour=ANSWER_COLOUR,
        description=words.report_rates.format(asked=report.asked, answer=f"{report.rate(ANSWER):.0%}",
                                              unsure=f"{report.rate(UNSURE):.0%}",
                                              not_found=f"{report.rate(NOT_FOUND):.0%}"),
    )
    if report.gaps:
        gaps = [f"{g.asks}× {cut(escape(g.question), QUESTION_LIMIT)} "
                f"({words.decisions.get(g.decision, g.decision.replace('_', ' '))})" for g in report.gaps[:SHOWN]]
        embed.add_field(name=words.report_gaps, value=_lines(gaps, words), inline=False)
    if report.disliked:
        disliked = [f"👎 {d.down}" + (f" 👍 {d.up}" if d.up else "") + f" — {cut(escape(d.question), QUESTION_LIMIT)}"
                    for d in report.disliked[:SHOWN]]
        embed.add_field(name=words.report_disliked, value=_lines(disliked, words), inline=False)
    return embed
