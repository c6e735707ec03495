"""Digests as Discord embeds (pure): one field a story, split across messages within Discord's limits."""

from __future__ import annotations

from datetime import datetime

import discord

from index.types import Digest, DigestEntry

from .render import (ANSWER_COLOUR, EMBED_TOTAL_LIMIT, FIELD_COUNT_LIMIT, FIELD_NAME_LIMIT, FIELD_VALUE_LIMIT,
                     FOOTER_LIMIT, MISSING_COLOUR, TITLE_LIMIT, Shown, cut, escape, quote_field)
from .words import EN, Words

MAX_STORIES = 20  # per digest post; the rest are counted in the footer
FIELDS_PER_MESSAGE = 10  # a readable message; Discord allows 25 fields and 6,000 characters an embed
ROOM = EMBED_TOTAL_LIMIT - 200  # headroom for the footer


def period_text(digest: Digest, words: Words = EN) -> str:
    if digest.basis == "dated":
        return words.period_dated.format(since=digest.since or "…", until=digest.until or "…")
    since = _when(digest.since)
    until = _when(digest.until)
    return (words.period_added.format(since=since, until=until) if since else
            words.period_added_until.format(until=until))


def _when(stamp: str | None) -> str:
    if not stamp:
        return ""
    return f"<t:{int(datetime.fromisoformat(stamp).timestamp())}:f>"  # shown in each reader's own timezone


def story_field(index: int, entry: DigestEntry, words: Words = EN) -> tuple[str, str]:
    """(name, value) of one story: title and coverage; the lead quote, its citation, the other sources."""
    count = words.articles.format(count=entry.coverage) if entry.coverage > 1 else ""
    name = cut(f"{index}. {escape(entry.title or words.untitled)}", FIELD_NAME_LIMIT - len(count)) + count
    others = list(dict.fromkeys(a.source or a.title for a in entry.articles[1:]))
    also = cut(words.also.format(sources=", ".join(escape(o) for o in others)), 300) if others else ""
    lead = Shown(entry.lead_quote, entry.cited, attribution=entry.attribution)
    value = quote_field(lead, limit=FIELD_VALUE_LIMIT - (len(also) + 1 if also else 0), words=words)
    return name, value + (f"\n{also}" if also else "")


def digest_embeds(digest: Digest, *, heading: str | None = None, max_stories: int = MAX_STORIES,
                  words: Words = EN) -> list[discord.Embed]:
    """The digest as embeds, one a message, in `words` (the heading too, unless given); an empty period gets one
    short embed saying so."""
    heading = heading or words.digest_heading
    title = cut(escape(heading), TITLE_LIMIT)
    if digest.empty:
        return [discord.Embed(title=title, colour=MISSING_COLOUR,
                              description=words.nothing_new.format(period=period_text(digest, words)))]
    shown = digest.entries[:max_stories]
    description = words.digest_description.format(stories=len(digest.entries), articles=digest.articles,
                                                  period=period_text(digest, words))
    embeds = [discord.Embed(title=title, colour=ANSWER_COLOUR, description=description)]
    for i, entry in enumerate(shown, 1):
        name, value = story_field(i, entry, words)
        current = embeds[-1]
        if (len(current.fields) >= min(FIELDS_PER_MESSAGE, FIELD_COUNT_LIMIT)
                or len(current) + len(name) + len(value) > ROOM):
            current = discord.Embed(title=cut(words.continued.format(heading=escape(heading)), TITLE_LIMIT),
                                    colour=ANSWER_COLOUR)
            embeds.append(current)
        current.add_field(name=name, value=value, inline=False)
    hidden = len(digest.entries) - len(shown)
    footer = words.digest_more.format(count=hidden) if hidden else words.verbatim
    embeds[-1].set_footer(text=cut(footer, FOOTER_LIMIT))
    return embeds
