"""Pure functions that turn engine results into Discord embeds, within Discord's limits.

Everything quoted here is corpus text: it is escaped (markdown and mentions) so a document
cannot forge formatting, links or pings, and cut at a sentence boundary, never mid-word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import discord
from discord.utils import escape_mentions

from index.answer.followup import NEW_SUBJECT, OWN_SUBJECT, POINTS_BACK
from index.answer.mark import pieces
from index.types import ANSWER, UNSURE, Answer, Citation, Comparison, CorpusSummary, Hit, Quote

from .words import EN, Words

if TYPE_CHECKING:
    from sources.links import Added

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
FIELD_COUNT_LIMIT = 25
THREAD_NAME_LIMIT = 100

ELLIPSIS = "…"
ANSWER_COLOUR = discord.Colour.blue()
UNSURE_COLOUR = discord.Colour.gold()
MISSING_COLOUR = discord.Colour.light_grey()

# `<@123>`, `<@!123>`, `<@&123>`, `<#123>`, `</cmd:123>`, `<t:123>`, `<:emoji:123>`: Discord tokens.
_DISCORD_TOKEN = re.compile(r"<(?=@[!&]?\d|#\d|/[\w -]+:\d|t:-?\d|a?:\w+:\d)")
# What escape_markdown leaves alone (it escapes only complete pairs like **x** or [x](y)); a cut or a
# wrapper of ours could complete such a half later, so these are escaped one by one, outside URLs.
_LONE_MARK = re.compile(r"(?<!\\)([*_~`|\[\]])")
_URL_IN_TEXT = re.compile(r"(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s)")
_URL = re.compile(r"^https?://[^\s<>()]+$")
# discord.utils.escape_markdown's pattern (links left alone, markdown escaped) in linear time: its spans `<[^: >]+:…>`
# and `^\s*-` bounded, and its `\[.+\]\(.+\)` left out (each was read from every "<", "[" or line start to the end:
# 20,000 "<" in a title took 0.6 s, 2 MB of them hours, on the event loop). A link's brackets are escaped one by
# one instead (`_LONE_MARK`), which shows the same text.
_MARKDOWN = re.compile(r"(?P<url><[^: >]{1,256}:/[^ >]{1,512}>|(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s])"
                       r"|(?P<markdown>[_\\~|*`]|^>(?:>>)?\s|^#{1,3}|^\s{0,256}-)", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Markdown escaped with a backslash, links left as they are (`discord.utils.escape_markdown`, but linear)."""
    return _MARKDOWN.sub(lambda m: m.group("url") or "\\" + m.group("markdown"), text)


@functools.lru_cache(maxsize=4096)
def escape(text: str) -> str:
    """Corpus text made inert: markdown escaped, @everyone/@here and Discord tokens neutralised. Kept for the texts
    seen last (when a story breaks, the same passages are quoted in answer after answer)."""
    text = escape_markdown(text)
    text = _escape_lone_marks(text)
    text = escape_mentions(text)  # @everyone, @here, <@id> with a real snowflake
    return _DISCORD_TOKEN.sub(r"\\<", text)


def _escape_lone_marks(text: str) -> str:
    out, pos = [], 0
    for url in _URL_IN_TEXT.finditer(text):  # a backslash inside a URL would break the link
        out.append(_LONE_MARK.sub(r"\\\1", text[pos : url.start()]))
        out.append(url.group())
        pos = url.end()
    out.append(_LONE_MARK.sub(r"\\\1", text[pos:]))
    return "".join(out)


def cut(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else cut at the last sentence (or word) that fits, plus "…"."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    room = limit - len(ELLIPSIS) - 1  # the space before "…"
    head = text[: room + 1]  # one more char: tells whether the cut falls on a boundary
    ends = [m.end() for m in _SENTENCE_END.finditer(head) if m.end() <= room]
    if ends and ends[-1] >= room // 3:  # a sentence that keeps a useful part of the text
        return text[: ends[-1]] + " " + ELLIPSIS
    space = head.rfind(" ", 0, room + 1)
    while space > 0 and text[space - 1] == "\\":  # never leave a dangling escape
        space = head.rfind(" ", 0, space)
    if space > 0:
        return text[:space].rstrip() + " " + ELLIPSIS
    # One word longer than the room: there is no boundary to cut at; keep the escape intact.
    body = text[:room].rstrip("\\")
    return body + ELLIPSIS


def marked(text: str, marks: Sequence[tuple[int, int]], limit: int) -> str:
    """Corpus text as shown (spacing collapsed), escaped and cut to `limit` characters, the words that answer the
    question (`marks`, offsets into `text`) in bold.

    Each piece between marks is escaped on its own and the bold markers go between the pieces; when that escapes
    anything differently from the whole text (a mark right after "@" or inside "<@123>" would undo the
    neutralising of a mention, or split a link), the text is shown unmarked. A mark the cut leaves incomplete is
    dropped, never left open."""
    parts = pieces(text, marks)
    plain = "".join(p for p, _ in parts)
    escaped = [escape(p) for p, _ in parts]
    whole = "".join(escaped)
    spans, pos = [], 0
    for e, (_, is_mark) in zip(escaped, parts):
        if is_mark:
            spans.append((pos, pos + len(e)))
        pos += len(e)
    if not spans or whole != escape(plain):
        return cut(escape(plain), limit)
    kept = cut(whole, max(limit - 4 * len(spans), 1))  # room for the "**" pairs
    body = kept if kept == whole else kept.removesuffix(ELLIPSIS).rstrip(" ")
    if not whole.startswith(body):
        return cut(escape(plain), limit)
    out, pos = [], 0
    for a, b in spans:
        if b > len(body):
            break
        out += [body[pos:a], "**", body[a:b], "**"]
        pos = b
    return "".join(out) + body[pos:] + kept[len(body):]


def block_quote(text: str) -> str:
    """Each line of `text` as a Discord block quote line."""
    return "\n".join("> " + line for line in text.splitlines() or [""])


def safe_url(url: str | None) -> str | None:
    url = (url or "").strip()
    return url if _URL.match(url) and len(url) <= 512 else None


def _title_link(title: str, url: str | None, limit: int = 200, words: Words = EN) -> str:
    label = cut(escape(title or words.untitled), limit).replace("[", "\\[").replace("]", "\\]")
    link = safe_url(url)
    return f"[{label}]({link})" if link else label


def citation(cited: Citation, *, attribution: str = "", words: Words = EN, language: str = "") -> str:
    """One line: — attribution · date · source · title (linked when there is a url) · page (of a PDF) · the
    language it is written in (`language`, given when it differs from the question's)."""
    parts = []
    if attribution:
        parts.append(f"*{cut(escape(attribution), 200)}*")
    parts.append(cited.date or words.undated)
    if cited.source:
        parts.append(cut(escape(cited.source), 100))
    parts.append(_title_link(cited.title, cited.url, words=words))
    if cited.page:
        parts.append(words.page.format(page=cited.page))
    if language:
        parts.append(words.written_in.format(language=words.language(language)))
    return "— " + " · ".join(parts)


class Shown(NamedTuple):
    """A passage as an embed shows it: its text (the words in `marks` bold), its citation and who said it."""

    text: str
    cited: Citation
    marks: Sequence[tuple[int, int]] = ()
    attribution: str = ""

    @classmethod
    def quote(cls, quote: Quote) -> "Shown":
        return cls(quote.text, quote.cited, quote.marks, quote.attribution)

    @classmethod
    def hit(cls, hit: Hit) -> "Shown":
        return cls(hit.text, hit.cited)


def quote_field(shown: Shown, *, limit: int = FIELD_VALUE_LIMIT, words: Words = EN, language: str = "") -> str:
    """A passage as a block quote followed by its citation line, in at most `limit` characters."""
    cite = citation(shown.cited, attribution=shown.attribution, words=words, language=language)
    if len(cite) > limit // 2:
        cite = cut(cite, limit // 2)
    room = limit - len(cite) - 1
    # Each line of the quote costs two characters of "> " prefix.
    body = block_quote(marked(shown.text, shown.marks, max(room - 2, 1)))
    return f"{body}\n{cite}"


def _field_name(index: int, title: str, words: Words = EN) -> str:
    return cut(f"{index}. {escape(title or words.untitled)}", FIELD_NAME_LIMIT)



def _fit(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields until the embed fits Discord's total of 6,000 characters."""
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def _quote_fields(embed: discord.Embed, passages: Sequence[Shown], *, start: int = 1, words: Words = EN,
                  asked_in: str | None = None) -> None:
    """A field per passage; each names its language when it is not `asked_in`, the question's (None: never)."""
    passages = list(passages)[:FIELD_COUNT_LIMIT]
    if not passages:
        return
    used = len(embed)
    names = [_field_name(start + i, p.cited.title, words) for i, p in enumerate(passages)]
    share = (EMBED_TOTAL_LIMIT - used - sum(map(len, names)) - 10) // len(passages)
    limit = max(80, min(FIELD_VALUE_LIMIT, share))
    for name, shown in zip(names, passages):
        language = shown.cited.language if asked_in else None
        other = language if language and language != asked_in else ""
        embed.add_field(name=name, value=quote_field(shown, limit=limit, words=words, language=other), inline=False)


def comparison_field(comparison: Comparison, words: Words = EN) -> tuple[str, str]:
    """(name, value) of a field showing what the reports state for one thing: oldest first, the newest marked."""
    claims = comparison.claims
    subject = escape(comparison.subject)
    if comparison.verdict == "agree":
        name = words.agree.format(count=len(claims), subject=subject)
    else:
        name = words.differ.format(subject=subject)
    newest = comparison.newest
    room = max(60, (FIELD_VALUE_LIMIT - 20) // max(len(claims), 1))
    lines = []
    for c in claims:
        parts = [c.date or words.undated] + [cut(escape(x), 100) for x in dict.fromkeys((c.source, c.attribution)) if x]
        mark = f" **{words.newest}**" if c is newest else ""
        lines.append(cut(f"• “{escape(c.value)}” — {' · '.join(parts)}{mark}", room))
    return cut(name, FIELD_NAME_LIMIT), cut("\n".join(lines), FIELD_VALUE_LIMIT)


def _comparison_fields(embed: discord.Embed, answer: Answer, words: Words = EN) -> None:
    for comparison in answer.comparisons[:3]:
        name, value = comparison_field(comparison, words)
        embed.add_field(name=name, value=value, inline=False)


def answer_embed(answer: Answer, words: Words = EN) -> discord.Embed:
    """The reply to a question, by decision: quotes as the answer (blue); the closest passages under a hedge
    (gold); or "not in the corpus" naming the words it never mentions (grey). Quotes carry attribution,
    date, source and title, and their language when it is not the question's. Where the quoted reports state
    different values for the same thing (or the same one), that comes first. A follow-up is titled as asked, with
    how it was read in the description. The bot's own words are `words` (the asker's language); quotes stay as
    written.
    """
    asked = answer.asked or answer.question
    title = cut(escape(asked), TITLE_LIMIT)
    window = searched(answer, words)
    read_as = f"*{cut(escape(note), 300)}*\n" if (note := reading_note(answer, words)) else ""
    if answer.respelled:
        read_as += f"*{cut(escape(respelling_note(answer, words)), 300)}*\n"
    if answer.outside:
        read_as += f"*{words.outside_dates.format(since=answer.outside[0], until=answer.outside[1])}*\n"
    asked_in = answer.language
    if answer.decision == ANSWER:
        embed = discord.Embed(title=title, colour=ANSWER_COLOUR, description=read_as.strip() or None)
        _comparison_fields(embed, answer, words)
        _quote_fields(embed, [Shown.quote(q) for q in answer.quotes], words=words, asked_in=asked_in)
        footer = words.answered_footer.format(window=f" · {window}" if window else "")
    elif answer.decision == UNSURE and answer.nearest:
        embed = discord.Embed(title=title, colour=UNSURE_COLOUR,
                              description=read_as + words.closest.format(window=f" ({window})" if window else ""))
        _comparison_fields(embed, answer, words)
        _quote_fields(embed, [Shown.quote(q) for q in answer.nearest], words=words, asked_in=asked_in)
        footer = words.closest_footer
    else:
        never = ", ".join(f"“{escape(w)}”" for w in answer.missing[:8])
        embed = discord.Embed(
            title=title, colour=MISSING_COLOUR,
            description=read_as + words.not_found.format(window=f" ({window})" if window else "")
            + ("\n" + words.never_mentions.format(words=never) if never else ""),
        )
        footer = words.not_found_footer
    embed.set_footer(text=cut(footer, FOOTER_LIMIT))
    return _fit(embed)


def reading_note(answer: Answer, words: Words = EN) -> str | None:
    """How a follow-up was read, in a line for people ("Read as: …"); None for a question asked outside one."""
    if answer.reading == POINTS_BACK:
        return words.read_as.format(question=answer.question)
    if answer.reading == NEW_SUBJECT:
        return words.read_new_subject_within if answer.within else words.read_new_subject_everywhere
    if answer.reading == OWN_SUBJECT:
        return words.read_own_subject
    return None


def respelling_note(answer: Answer, words: Words = EN) -> str:
    """The question's misspelled names and mistyped words and how they were read ("Read “Solbreg” as “Solberg”",
    "Read “petiton” as “petition”")."""
    return words.respelled.format(pairs=", ".join(words.respelled_pair.format(typed=typed, read=read)
                                                  for typed, read in answer.respelled))


def searched(answer: Answer, words: Words = EN) -> str:
    if answer.since and answer.until:
        return words.searched_between.format(since=answer.since, until=answer.until)
    if answer.since:
        return words.searched_since.format(since=answer.since)
    if answer.until:
        return words.searched_until.format(until=answer.until)
    return ""


def search_embed(query: str, hits: Sequence[Hit], *, page: int, per_page: int, words: Words = EN,
                 asked_in: str | None = None) -> discord.Embed:
    """One page of search results; each names its language when it is not `asked_in`, the query's."""
    pages = max(1, -(-len(hits) // per_page))
    page = min(max(page, 0), pages - 1)
    shown = list(hits)[page * per_page : (page + 1) * per_page]
    embed = discord.Embed(title=cut(words.search_title.format(query=escape(query)), TITLE_LIMIT), colour=ANSWER_COLOUR)
    if not shown:
        embed.description = words.no_passages
    _quote_fields(embed, [Shown.hit(h) for h in shown], start=page * per_page + 1, words=words, asked_in=asked_in)
    embed.set_footer(text=words.search_footer.format(page=page + 1, pages=pages, count=len(hits)))
    return _fit(embed)


def sources_embed(summary: CorpusSummary, *, max_sources: int = 20, words: Words = EN) -> discord.Embed:
    """What the corpus holds: documents, date range, sources."""
    embed = discord.Embed(
        title=words.corpus_title,
        colour=ANSWER_COLOUR,
        description=words.corpus_description.format(documents=summary.documents, chunks=summary.chunks,
                                                    first=summary.first_date or "?", last=summary.last_date or "?"),
    )
    lines = [f"{escape(s.name or words.unknown)}: {s.documents}" for s in summary.sources[:max_sources]]
    if len(summary.sources) > max_sources:
        lines.append(words.more_sources.format(count=len(summary.sources) - max_sources))
    if lines:
        embed.add_field(name=words.sources_heading, value=cut("\n".join(lines), FIELD_VALUE_LIMIT), inline=False)
    recent = [f"{d or words.undated} · {escape(t)}" for _, t, d, _ in summary.titles[:5]]
    if recent:
        embed.add_field(name=words.newest_documents, value=cut("\n".join(recent), FIELD_VALUE_LIMIT), inline=False)
    embed.set_footer(text=cut(words.corpus_footer.format(model=summary.model, built=summary.built_at), FOOTER_LIMIT))
    return _fit(embed)


def added_text(results: Sequence[Added], words: Words = EN) -> str:
    """The reply to /add or 📥: a line per link, what was added (title, date, source: now searchable) or why not
    (in `words`, from the reason's kind and what it names)."""
    lines = []
    for r in results:
        link = f"<{r.url}>" if safe_url(r.url) else escape(r.url)
        if r.added:
            lines.append(words.link_added.format(title=cut(escape(r.title or words.untitled), 200),
                                                 date=r.date or words.undated, link=link,
                                                 source=cut(escape(r.source or words.unknown_source_name), 100)))
        else:
            lines.append(words.link_not_added.format(link=link, reason=cut(escape(words.refusal(r)), 400)))
    return cut("\n".join(lines), CONTENT_LIMIT)


HELP_TEXT = EN.help_text


def help_embed(words: Words = EN) -> discord.Embed:
    return discord.Embed(title=words.help_title, description=words.help_text, colour=ANSWER_COLOUR)


def thread_name(question: str, words: Words = EN) -> str:
    """A thread title from a question (no markdown, within Discord's 100 characters); `words.thread_title` when
    nothing of it is left."""
    return cut(" ".join(question.split()), THREAD_NAME_LIMIT) or words.thread_title


def error_text(message: str) -> str:
    """A one-line error reply within the 2,000-character content limit."""
    return cut(message, CONTENT_LIMIT)
