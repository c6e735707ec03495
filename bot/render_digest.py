"""Digests as Discord embeds (pure): one field a story, split across messages within Discord's limits."""

from __future__ import annotations

from datetime import datetime

import discord

from index.types import Digest, DigestEntry

from .render import (ANSWER_COLOUR, EMBED_TOTAL_LIMIT, FIELD_COUNT_LIMIT, FIELD_NAME_LIMIT, FIELD_VALUE_LIMIT,
                     FOOTER_LIMIT, MISSING_COLOUR, TITLE_LIMIT, Shown, cut, escape, quote_field)

MAX_STORIES = 20  # per digest post; the rest are counted in the footer
FIELDS_PER_MESSAGE = 10  # a readable message; Discord allows 25 fields and 6,000 characters an embed
ROOM = EMBED_TOTAL_LIMIT - 200  # headroom for the footer


def period_text(digest: Digest) -> str:
    if digest.basis == "dated":
        return f"dated {digest.since or '…'} to {digest.until or '…'}"
    since = _when(digest.since)
    until = _when(digest.until)
    return f"added between {since} and {until}" if since else f"added until {until}"


def _when(stamp: str | None) -> str:
    if not stamp:
        return ""
    return f"<t:{int(datetime.fromisoformat(stamp).timestamp())}:f>"  # shown in each reader's own timezone


def story_field(index: int, entry: DigestEntry) -> tuple[str, str]:
    """(name, value) of one story: title and coverage; the lead quote, its citation, the other sources."""
    count = f" · {entry.coverage} articles" if entry.coverage > 1 else ""
    name = cut(f"{index}. {escape(entry.title or 'untitled')}", FIELD_NAME_LIMIT - len(count)) + count
    others = list(dict.fromkeys(a.source or a.title for a in entry.articles[1:]))
    also = cut("Also: " + ", ".join(escape(o) for o in others), 300) if others else ""
    lead = Shown(entry.lead_quote, entry.cited, attribution=entry.attribution)
    value = quote_field(lead, limit=FIELD_VALUE_LIMIT - (len(also) + 1 if also else 0))
    return name, value + (f"\n{also}" if also else "")


def digest_embeds(digest: Digest, *, heading: str = "News digest",
                  max_stories: int = MAX_STORIES) -> list[discord.Embed]:
    """The digest as embeds, one a message; an empty period gets one short embed saying so."""
    title = cut(escape(heading), TITLE_LIMIT)
    if digest.empty:
        return [discord.Embed(title=title, colour=MISSING_COLOUR,
                              description=f"Nothing new: no documents {period_text(digest)}.")]
    shown = digest.entries[:max_stories]
    description = (f"**{len(digest.entries)}** stories from **{digest.articles}** articles {period_text(digest)}; "
                   "the most covered first.")
    embeds = [discord.Embed(title=title, colour=ANSWER_COLOUR, description=description)]
    for i, entry in enumerate(shown, 1):
        name, value = story_field(i, entry)
        current = embeds[-1]
        if (len(current.fields) >= min(FIELDS_PER_MESSAGE, FIELD_COUNT_LIMIT)
                or len(current) + len(name) + len(value) > ROOM):
            current = discord.Embed(title=cut(f"{escape(heading)} (continued)", TITLE_LIMIT), colour=ANSWER_COLOUR)
            embeds.append(current)
        current.add_field(name=name, value=value, inline=False)
    hidden = len(digest.entries) - len(shown)
    footer = "Quoted verbatim from the corpus" + (f" · {hidden} more stories not shown" if hidden else "")
    embeds[-1].set_footer(text=cut(footer, FOOTER_LIMIT))
    return embeds
