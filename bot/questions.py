"""Is a chat message a question for the bot? Pure text rules, used by team-channel Q&A."""

from __future__ import annotations

import re

_ASKING = frozenset(
    # Openers that are rarely anything but a question; "do", "have", "will" often start requests.
    "who whom whose what when where which why how is are was were did does can could would should has".split()
)
_WORD = re.compile(r"[\w']+")


def strip_mentions(content: str, user_id: int) -> str:
    """The message text without mentions of `user_id` (`<@id>` or `<@!id>`)."""
    return " ".join(re.sub(rf"<@!?{user_id}>", " ", content).split())


def is_question(text: str) -> bool:
    """A question mark at the end, or a sentence opening like a question ("which ships left…")."""
    words = _WORD.findall(text.lower())
    if len(words) < 2:
        return False
    return text.rstrip().endswith("?") or words[0] in _ASKING
