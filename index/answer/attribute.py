"""Attribution: who said or reported a sentence, read from the sentence and the text before it."""

from __future__ import annotations

import re

from index.answer.said import ACRONYM, ORG_NOUNS, SPEECH_VERBS, Mention, head_noun, mentions_in
from index.text.split import split_sentences
from index.types import Document

# A paragraph that carries on the previous one's report: only then does an earlier paragraph's source apply.
_CONTINUES = re.compile(
    r"^\W*(in particular|in addition|additionally|also|moreover|furthermore|besides|at the same time|for this|"
    r"to this end|для цього|з цією метою|для этого|с этой целью|"
    r"according to (him|her|them|it|the (agency|ministry|report|statement))|(he|she|they|it) (also )?"
    rf"(?:{SPEECH_VERBS})\b|зокрема|крім того|також|окрім того|водночас|в частности|кроме того|также|при этом|"
    r"(?:він|вона|вони|он|она|они) (?:також |также )?(?:додав|додала|зазначив|зазначила|добавил|добавила|отметил|"
    r"отметила)\b)", re.IGNORECASE)


# Words someone speaks: a quotation, or the first person. Only then does an earlier sentence's speaker say this one
# too; a plain sentence after "X said …" is the report's own ("Mega Millions tickets can be bought in 44 states").
_SPOKEN = re.compile(r"[“”\"«»]|\bI\b|\b(?:we|We|our|Our|us|my|My|me|я|Я|ми|Ми|мы|Мы|наш\w*|Наш\w*)\b")


def _quoting(before: str) -> bool:
    """Whether a quotation opened in `before` (the paragraph up to a sentence) is still open: the sentence is in it."""
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1 or before.count("«") > before.count("»")


def _render(primary: Mention, same_sentence: list[Mention]) -> str:
    others = [f for f in same_sentence if f is not primary and not f.pronoun and f.who != primary.who]
    return f"{primary.who}, according to {others[0].who}" if others else primary.who


def attribute(doc: Document, start: int, end: int, *, paragraphs_back: int = 2, reach: int = 3) -> str:
    """Who said or reported doc.text[start:end]; the document's author or source when the text never says.

    Looks in the sentence, then for a speaker closing its paragraph ("…, - said Peskov"), then in earlier
    sentences of the paragraph and, when the paragraph carries on an earlier one ("In particular, …"), up to
    `paragraphs_back` earlier paragraphs of the same section. A pronoun or a generic speaker ("she added",
    "the intelligence agency adds") is resolved to the nearest fitting speaker named up to `reach` paragraphs
    back in the section.
    """
    text = doc.text
    paras = list(doc.paragraphs)
    pi = next((i for i, (s, e, _) in enumerate(paras) if s <= start < e), None)
    if pi is None:
        return doc.source or doc.author
    para_start, para_end, heading = paras[pi]
    sentences = split_sentences(text, para_start, para_end)
    groups: list[list[Mention]] = [mentions_in(text[start:end])]
    groups += [mentions_in(text[s:e], speaker_at_end_only=True) for s, e in sentences if s >= end]
    first = text[sentences[0][0]:sentences[0][1]] if sentences else ""
    continues = _CONTINUES.match(first) or _CONTINUES.match(text[start:end])
    own = len(groups)  # groups that may name the speaker directly; the rest only resolve pronouns and descriptions
    earlier = [mentions_in(text[s:e]) for s, e in reversed(sentences) if e <= start]
    groups += earlier
    if continues or _SPOKEN.search(text[start:end]) or _quoting(text[para_start:start]) \
            or any(m.source for g in earlier for m in g):  # the speaker speaks on; "according to X" reports on
        own = len(groups)
    for j in range(pi - 1, max(pi - 1 - max(paragraphs_back, reach), -1), -1):
        earlier_start, earlier_end, earlier_heading = paras[j]
        if earlier_heading != heading:
            break
        groups += [mentions_in(text[s:e]) for s, e in reversed(split_sentences(text, earlier_start, earlier_end))]
        if continues and pi - j <= paragraphs_back:
            own = len(groups)
    mentions = [(f, g) for g in groups for f in g]
    direct = sum(len(g) for g in groups[:own])
    if not direct:
        return doc.source or doc.author
    at = _resolve(mentions)
    if at is None:  # an anaphor with nothing fitting before it: a description stands as it is ("the director"); a
        if mentions[0][0].generic:  # pronoun takes a named source nearby, else the outlet
            return mentions[0][0].who
        at = next((i for i, (f, _) in enumerate(mentions[:direct]) if not f.anaphoric), None)
        if at is None:
            return doc.source or doc.author
    primary, group = mentions[at]
    if ACRONYM.match(primary.who):  # "GUR reports" after "According to Ukrainian intelligence"
        spelled = next((f for f, _ in mentions[at + 1:] if f.descriptive and f.fits(primary)), None)
        if spelled:
            return f"{spelled.who} ({primary.who})"
    return _render(primary, group)


def _resolve(mentions: list[tuple[Mention, list[Mention]]]) -> int | None:
    """Index of the named mention the first one stands for: itself, or the nearest fitting one before it.

    `mentions` run from the quoted sentence backwards through the section.
    """
    mention = mentions[0][0]
    if not mention.anaphoric:
        return 0
    return next((i for i in range(1, len(mentions))
                 if not mentions[i][0].anaphoric and mentions[i][0].fits(mention)
                 and _may_stand_for(mention, mentions[i][0])), None)


_TITLES = frozenset("mayor minister president premier chancellor governor senator ambassador commander general "
                    "secretary chairman chairwoman prosecutor judge director manager coach executive".split())


def _may_stand_for(description: Mention, name: Mention) -> bool:
    """A bare description ("the agency") stands for any fitting name; a fuller one only for a name sharing a word
    with it ("the intelligence agency" for Ukrainian intelligence, not "the meteorological office" for harbour
    control)."""
    words = description.who.split()
    if description.pronoun or ACRONYM.match(name.who):  # "GUR": its words are not spelled out to compare
        return True
    if len(words) <= 2:  # "the mayor" is a mayor named before, "the union" a union; "the spokesman" anyone's
        head = head_noun(words)
        return head not in _TITLES | ORG_NOUNS or head in {w.strip(".,'’()").lower() for w in name.who.split()}
    named = {w.strip(".,'’()").lower()[:5] for w in name.who.split()}
    return any(w.strip(".,'’").lower()[:5] in named for w in words[1:-1])
