"""Clean document bodies into paragraphs: drop share-button and video-widget debris, classify sub-headings; the
text of an HTML fragment (a feed item's content); a page that holds only a paywall notice told from an article."""

from __future__ import annotations

import re

from index.types import Paragraph

# Words that news pages leave dangling at paragraph ends or alone on a line.
_DEBRIS = ("Share", "Advertisement", "ADVERTISEMENT", "Read more", "Read More", "Share this article")
_END_PUNCT = tuple(".!?:;,\"'”’)»…")
# Whole paragraphs a page's widgets leave in its text: a video player's ad-feedback form and the cards of
# related videos ("Video Ad Feedback Dr. Fauci explains … 04:58 - Source: CNN").
_WIDGETS = re.compile(r"^(?:\d+\.\s*)?How relevant is this ad to you\?$|^Video player was slow to load content\b|"
                      r"^Video Ad Feedback\b")


# What a page saved behind a paywall shows instead of the article (en, uk, ru): sentences, matched whole.
_PAYWALL = re.compile(
    r"(?:please |to )?(?:subscribe|log ?in|sign ?in|register)(?: now| today| here)?"
    r"(?: (?:to|and) (?:continue|keep) reading| to read (?:on|more|the full (?:article|story)))?"
    r"|(?:to )?(?:continue|keep) reading,? (?:please )?(?:subscribe|log ?in|sign ?in|register)"
    r"(?: or (?:subscribe|log ?in|sign ?in|register))?"
    r"|already (?:a subscriber|have an account|registered)|not a subscriber"
    r"|(?:this|the) (?:article|content|story|page) is (?:only )?(?:available )?(?:for|to) (?:paying )?"
    r"(?:subscribers|members)(?: only)?|(?:for )?subscribers only|become a (?:subscriber|member)"
    r"|you(?:'ve| have) (?:reached|used) (?:your|all your) [\w ]{0,60}"
    r"|(?:цей |ця )?(?:матеріал|стаття) доступн(?:ий|а) (?:лише|тільки) (?:для )?(?:передплатник|підписник)\w*"
    r"|(?:передплатіть|підпишіться|оформіть передплату),? (?:щоб|аби) (?:читати|продовжити читання)(?: далі)?"
    r"|(?:уже|вже) (?:передплатник|підписник|подписан)\w*|увійдіть|войдите"
    r"|(?:этот |эта )?(?:материал|статья) доступ(?:ен|на) (?:только )?(?:для )?подписчик\w*"
    r"|(?:чтобы )?продолжить чтение,? оформите подписку|подпишитесь,? чтобы (?:читать|продолжить чтение)(?: дальше)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def paywall_only(lines: list[str], title: str) -> bool:
    """Whether a page's text is nothing but its headline and a paywall notice ("Subscribe to continue reading.
    Already a subscriber? Log in."): the article itself is not in the file."""
    headline = " ".join(title.split()).casefold()
    said = [s for line in lines if (text := " ".join(line.split()).casefold()) and text not in headline
            for s in _SENTENCE_END.split(text)]
    return bool(said) and all(_PAYWALL.fullmatch(s.rstrip(".!?… ")) for s in said)


# A dateline set apart above the lede ("New York CNN Business —"): it opens the first paragraph, as wire copy
# writes it ("WASHINGTON (AP) — …"), rather than standing as a sub-heading over the whole article.
_DATELINE = re.compile(r"^[^.!?]{0,60}\s[—–-]$")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def collapse(text: str) -> str:
    """`text` on one line: control characters and lone surrogates (which PDF and Word text can hold) dropped,
    runs of whitespace made one space."""
    return " ".join(_CONTROL.sub(" ", text).split())


def clean_paragraphs(body: str) -> list[str]:
    """Split a body into cleaned paragraphs (blank-line separated), debris removed, a dateline joined to the
    paragraph it opens."""
    body = body.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    paragraphs = []
    for raw in re.split(r"\n\s*\n", body):
        para = " ".join(line.strip() for line in raw.split("\n") if line.strip())
        para = re.sub(r"[ \t]+", " ", para).strip()
        para = _without_trailing_debris(para).strip()
        if para and para not in _DEBRIS and not _WIDGETS.match(para):
            paragraphs.append(para)
    if len(paragraphs) > 1 and _DATELINE.match(paragraphs[0]):
        paragraphs[:2] = [f"{paragraphs[0]} {paragraphs[1]}"]
    return paragraphs


def _without_trailing_debris(para: str) -> str:
    r"""`para` without the debris words it ends with, each after a space ("… said. Share Advertisement" →
    "… said."), as `(?:\s+(?:Share|…))+\s*$` removes them, but read backwards from the end word by word: that
    pattern was tried from every space before the end (quadratic on a paragraph of "Share Share …" that ends
    otherwise). No debris word ends another at a word boundary, so at most one fits at each step."""
    end = len(para)
    while True:
        stop = end
        while stop and para[stop - 1].isspace():
            stop -= 1
        word = next((d for d in _DEBRIS if stop - len(d) > 0 and para.startswith(d, stop - len(d))
                     and para[stop - len(d) - 1].isspace()), None)
        if word is None:
            return para[:end]
        end = stop - len(word)


def is_heading(paragraph: str, *, last: bool = False) -> bool:
    """A short line without closing punctuation, followed by more text, reads as a sub-heading."""
    words = paragraph.split()
    return (
        not last
        and 2 <= len(words) <= 16
        and len(paragraph) <= 120
        and not paragraph.endswith(_END_PUNCT)
        and paragraph[:1].isupper()
    )


def assemble(paragraphs: list[str], headings: set[int] | None = None) -> tuple[str, tuple[Paragraph, ...]]:
    """Join paragraphs into the document text; return it with (start, end, heading) per body paragraph.

    `headings` names paragraphs known to be headings (from Markdown); otherwise they are guessed.
    """
    text_parts: list[str] = []
    spans: list[Paragraph] = []
    pos = 0
    heading = ""
    for i, para in enumerate(paragraphs):
        if text_parts:
            pos += 2  # the "\n\n" separator
        start, end = pos, pos + len(para)
        text_parts.append(para)
        pos = end
        is_head = (i in headings) if headings is not None else is_heading(para, last=i == len(paragraphs) - 1)
        if is_head:
            heading = para
        else:
            spans.append(Paragraph(start, end, heading))
    return "\n\n".join(text_parts), tuple(spans)


def text_of_html(html: str) -> str:
    """The text of an HTML fragment (a feed item's summary or content): its <p> paragraphs, else all its text."""
    import lxml.html

    try:
        root = lxml.html.fromstring(f"<div>{html}</div>")
    except Exception:  # lxml raises several types on junk
        return ""
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = [" ".join(el.text_content().split()) for el in root.iter("p")]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else " ".join(root.text_content().split())
