"""A question as posted in a team channel, without the chat around it: a greeting or an address before it ("hey,",
"hi all,", "newsdesk,"), a frame asking someone to answer ("quick question:", "does anyone know", "can you tell me"),
thanks, a nudge or an aside after it ("thanks!", "anyone?", "🙏", "(for the 6pm bulletin)"), and "??" for "?". None
of it says what is asked, but all of it was read: the question's vector leaned towards chat, a word the corpus never
writes ("hey") counted as missing, and "does anyone know, who …" hid the question word from the readers of its start.

Only the very start and end are read, in at most `_ROUNDS` passes, so "hey, quick question: does anyone know who …"
loses all three frames; "and", "so" and "but" stay (they mark a follow-up). English, Ukrainian and Russian.
"""

from __future__ import annotations

import re
import unicodedata

_ROUNDS = 4
_PUNCT = r"\s*[,:;!.—–-]+\s*"  # what ends a greeting or an address: punctuation ("newsdesk, who …")

# A greeting, an address or an announced question ("hey", "hi all", "newsdesk", "quick one", "sorry to bother"): taken
# off before punctuation, or before a space when a question word follows ("btw who …"); a plain greeting also before a
# word in lower case ("hey who …", not "Okay Computer" or "Wait times").
_CHAT = re.compile(
    r"^(?:(?P<greeting>hey(?:\s+hey)?|hi|hello|hiya|yo|please|pls|good\s+(?:morning|afternoon|evening)|ok|okay|um+|hm+"
    r"|привіт|привет|вітаю|добрий\s+день|добрый\s+день|здравствуйте)"
    r"|sorry(?:\s+to\s+(?:bother|ask)(?:\s+(?:you|again))?)?|btw|fyi|wait|real\s+quick|quick\s+(?:one|check)"
    r"|one\s+more|another\s+one|(?:dumb|silly|random|noob|stupid)\s+(?:question|q)|just\s+checking|for\s+the\s+record"
    r"|help(?:\s+(?:pls|please))?|wondering|curious|urgent|fact[\s-]?check|newsdesk|bot|morning|evening|all|everyone|team|folks|guys"
    r"|(?:(?:a\s+)?quick\s+)?(?:question|q)(?:\s+for\s+(?:you|the\s+bot|newsdesk))?)"
    r"(?:\s*,?\s+(?:all|everyone|everybody|team|folks|guys|there|again|y'all|newsdesk|bot|всім|усім|всем))?"
    rf"(?P<sep>{_PUNCT}|\s+)",
    re.IGNORECASE,
)
# Asking someone to answer ("does anyone know", "can you tell me", "any idea", "I was wondering", "підкажіть"): taken
# off before punctuation or a space; "@handle" too.
_FRAME = re.compile(
    r"^(?:sorry\s+if\s+(?:this|it)\s+(?:was|has\s+been|is)\s+(?:already\s+)?(?:asked|answered)"
    r"(?:\s+(?:before|already))?(?:\s*,?\s*but)?"
    r"|(?:does|do|did)\s+(?:any\s?one|any\s?body|someone|somebody|you|u|we|y'all)(?:\s+here)?\s+"
    r"(?:know|remember|recall|have\s+any\s+idea)"
    r"|(?:can|could|would|will)\s+(?:you|u|someone|somebody|any\s?one|any\s?body)(?:\s+(?:please|pls))?\s+"
    r"(?:tell\s+(?:me|us)|remind\s+(?:me|us)|find\s+out|look\s+up|check|confirm|find)"
    r"|(?:please\s+|pls\s+)?(?:tell\s+(?:me|us)|remind\s+(?:me|us)|find\s+out)"
    r"|any\s?(?:one|body)\s+(?:know|remember)s?|any\s+idea|(?:is\s+there\s+)?any\s+chance\s+(?:you|u|any\s?one)\s+knows?"
    r"|(?:i\s+)?need\s+(?:this|to\s+know|help)(?:\s+for\s+(?:a|my|the|our)\s+(?:story|piece|bulletin|show|segment))?"
    r"|(?:i|we)(?:\s+(?:was|were|am|are)|'m|'re)?\s+(?:just\s+)?wondering|just\s+(?:wondering|curious)"
    r"|not\s+sure\s+if\s+(?:you|any\s?one)\s+(?:can|could|would)\s+(?:answer|help\s+with|know)\s+(?:this|that)"
    r"(?:\s*,?\s*but)?"
    r"|(?:i'd|i\s+would|we'd|i\s+want|i\s+wanted)\s+(?:like\s+|love\s+)?to\s+know"
    r"|(?:підкажіть|підкажи|скажіть|скажи|подскажите|подскажи|скажите)(?:\s+(?:мені|мне|нам))?"
    r"(?:\s*,?\s*(?:будь\s+ласка|пожалуйста))?"
    r"|будь\s+ласка|пожалуйста"
    r"|(?:хтось|хто-небудь|кто-нибудь|кто-то)\s+(?:знає|пам'ятає|пам’ятає|знает|помнит)"
    rf")(?:{_PUNCT}|\s+)"
    r"|^@\S+\s+",
    re.IGNORECASE,
)
# After a question mark, or a comma or dash: "… ? thanks!", "…, anyone?" (never "did police charge anyone?")
_ENDINGS = re.compile(
    r"(?:(?<=[?!.])\s*|\s*[,;—–-]+\s*)"
    r"(?:thanks|thank\s+you|thx|ty|ta|tia|cheers|pls|please|any\s?one|any\s?body|any\s?one\s+know|lol|haha"
    r"|дякую|спасибо|заранее\s+спасибо|наперед\s+дякую)"
    r"(?:\s+(?:so\s+much|a\s+lot|all|everyone|in\s+advance|всім|всем))?[\s!.?]*$",
    re.IGNORECASE,
)
# Words that start a question: after a greeting and a space, one of these is asked ("btw who …").
_ASKING = frozenset(
    "who whom whose what which when where why how is are was were did does do has have had can could will would "
    "should хто кого що чого де коли чому як скільки який яка яке які чи кто что где когда почему как сколько какой "
    "какая какое какие ли".split())
# After the question mark, an aside on what it is for: "… ? (for the 6pm bulletin)", "… ? asking for a piece I'm
# writing", "… ? need it for the 5pm"
_FOR = (r"(?:(?:i|we|i'm|we're)\s+)?(?:asking|need(?:ed)?\s+(?:it|this)|it's|its|writing|working)\b[^?()]{0,60}"
        r"|for\s+(?:a|an|my|the|our|tonight's|today's)(?:\s+[\w'-]+){1,2}")
_ASIDE = re.compile(rf"(?<=[?!])\s*(?:\(\s*(?:{_FOR})\s*\)|(?:{_FOR}))\s*$", re.IGNORECASE)
_MARKS = re.compile(r"([?!])[?!]+")  # "??", "?!": one "?"
_EMOTICON = re.compile(r"\s*(?::-?[)(DP]|;-?\)|\^\^)\s*$")


def unframed(question: str) -> str:
    """`question` without the chat around it (see the module); as it is when nothing frames it, or when nothing
    would be left."""
    text = _MARKS.sub(lambda m: "?" if "?" in m.group(0) else m.group(1), question.strip())
    for _ in range(_ROUNDS):
        before = text
        text = _strip_symbols(_ASIDE.sub("", _EMOTICON.sub("", text)))
        ending = _ENDINGS.search(text)
        if ending:
            text = text[:ending.start()].rstrip(" ,;—–-")
            if "?" in ending.group(0) and not text.endswith(("?", "!", ".")):
                text += "?"  # "who won, anyone?" still asks
        text = _without_opening(text)
        if text == before:
            break
    return text if any(c.isalnum() for c in text) else question


def _without_opening(text: str) -> str:
    """`text` without its first greeting, address or asking frame (see `_CHAT`, `_FRAME`)."""
    m = _FRAME.match(text)
    if m is None:
        m = _CHAT.match(text)
        if m is None:
            return text
        if m.group("sep").isspace():
            following = (text[m.end():].split(maxsplit=1) or [""])[0]
            asked = following.casefold().strip(",?") in _ASKING
            if not (asked or m.group("greeting") and not following[:1].isupper()):
                return text
    return text[m.end():].lstrip(" ,;:—–-")


def _strip_symbols(text: str) -> str:
    """Emoji and other pictographs at either end ("🙏", "👀"), with their joiners and variation selectors."""
    def symbol(c: str) -> bool:
        return unicodedata.category(c) in ("So", "Sk") or c in "\ufe0f\u200d"

    start, end = 0, len(text)
    while start < end and (symbol(text[start]) or text[start].isspace()):
        start += 1
    while end > start and (symbol(text[end - 1]) or text[end - 1].isspace()):
        end -= 1
    return text[start:end]
