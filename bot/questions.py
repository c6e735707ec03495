"""Is a chat message a question for the bot? Pure text rules, used by team-channel Q&A."""

from __future__ import annotations

import re

from index.text.chatter import unframed

_ASKING = frozenset(
    # Openers that are rarely anything but a question; "do", "have", "will" often start requests.
    "who whom whose what when where which why how is are was were did does can could would should has".split()
)
_WORD = re.compile(r"[\w']+")
# Discord's markup: mentions of members, roles and channels, custom emoji, timestamps, slash-command links
_MARKUP = re.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|t:-?\d+(?::\w)?|/[\w -]+:\d+)>")


def strip_mentions(content: str, user_id: int) -> str:
    """The message text without mentions of `user_id` (`<@id>` or `<@!id>`)."""
    return " ".join(re.sub(rf"<@!?{user_id}>", " ", content).split())


def is_question(text: str) -> bool:
    """A question mark at the end, or a sentence opening like a question ("which ships left…"), once the chat around
    it is set aside ("hey all, who approved the budget", "Tartus ships? thanks!": index.text.chatter);
    mentions and custom emoji are no words ("<@colleague> thoughts?" or an emoji with a "?" in the bot's thread asks
    nothing)."""
    asked = unframed(_MARKUP.sub(" ", text).strip())
    words = _WORD.findall(asked.lower())
    if len(words) < 2:
        return False
    return asked.endswith("?") or words[0] in _ASKING
