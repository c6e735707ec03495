"""Attribution: who said or reported a sentence, read from the sentence and the text before it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chunk import split_sentences
from .types import Document

_VERBS = (
    "said|says|say|noted|notes|added|adds|reported|reports|told|tells|stated|states|confirmed|confirms|"
    "announced|announces|claimed|claims|wrote|writes|warned|warns|explained|explains|argued|argues|"
    "insisted|insists|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|believes|believed|estimated|estimates|"
    "revealed|reveals|acknowledged|acknowledges|denied|denies|declared|declares|admitted|admits"
)
_NAME = r"(?:[A-Z][\w'’.&-]*|of|de|al|van|von|bin)(?:\s+(?:[A-Z][\w'’.&-]*|of|de|al|van|von|bin)){0,4}"
_ACCORDING = re.compile(r"\b[Aa]ccording to ((?:the )?[^,.;:]{2,80}?)(?=,|\.|;|:|$)")
_SUBJECT_VERB = re.compile(rf"(?<![\w'’])({_NAME}|the [a-z][a-z'’ -]{{2,40}}?),?\s+(?:{_VERBS})\b")
_VERB_NAME = re.compile(rf"(?:[,—–-]|[”\"])\s*(?:{_VERBS})\s+({_NAME})\s*[.!]?\s*$")
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "it", "we", "i", "you"}
_NOT_SPEAKERS = {"the", "this", "that", "these", "those", "there", "it", "in", "on", "at", "and", "but", "also",
                 "a", "an", "as", "if", "when", "while", "after", "before", "for", "so"}
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
# A paragraph that carries on the previous one's report: only then does an earlier paragraph's source apply.
_CONTINUES = re.compile(
    r"^\W*(in particular|in addition|additionally|also|moreover|furthermore|besides|at the same time|"
    r"according to (him|her|them|it|the (agency|ministry|report|statement))|(he|she|they|it) (also )?"
    rf"(?:{_VERBS})\b)", re.IGNORECASE)
# "Chanelle Helm, a Black Lives Matter organizer from Louisville, Kentucky, says": the subject leads.
_APPOSITIVE = re.compile(rf"^\W*({_NAME}), (?:a|an|the|who|whose|which|[a-z])[^.;]*?,\s+(?:{_VERBS})\b")


@dataclass(frozen=True)
class _Found:
    who: str
    pronoun: bool = False

    @property
    def descriptive(self) -> bool:
        return not self.pronoun and any(w[:1].islower() for w in self.who.split()[1:] or [""]) and not self.who.startswith("the ")


def _clean_name(name: str) -> str:
    words = name.strip(" ,.'\"“”").split()
    while words and words[0].lower() in _NOT_SPEAKERS:
        words = words[1:]
    return " ".join(words)


def _in_sentence(sentence: str, *, speaker_at_end_only: bool = False) -> list[_Found]:
    """Attributions inside one sentence: the speaker first, then an "according to" source."""
    found: list[_Found] = []
    m = _VERB_NAME.search(sentence)
    if m and _clean_name(m.group(1)) and _clean_name(m.group(1)).lower() not in _PRONOUNS:
        found.append(_Found(_clean_name(m.group(1))))
    if speaker_at_end_only:
        return found
    m = _APPOSITIVE.match(sentence)
    if m and _clean_name(m.group(1)) and m.group(1).lower() not in _PRONOUNS:
        found.append(_Found(_clean_name(m.group(1))))
    for m in [] if found else _SUBJECT_VERB.finditer(sentence):
        raw = m.group(1)
        if raw.lower() in _PRONOUNS:
            found.append(_Found(raw.lower(), pronoun=True))
            break
        name = raw if raw.startswith("the ") else _clean_name(raw)
        if name and name.split()[-1].lower() in _PRONOUNS:  # "When I told", "the reasons she said"
            found.append(_Found(name.split()[-1].lower(), pronoun=True))
            break
        if name and name.lower() not in _NOT_SPEAKERS:
            found.append(_Found(name))
            break
    for m in _ACCORDING.finditer(sentence):
        who = m.group(1).strip()
        found.append(_Found(who.lower(), pronoun=True) if who.lower() in _PRONOUNS else _Found(who))
    return found


def _render(primary: _Found, same_sentence: list[_Found]) -> str:
    others = [f for f in same_sentence if f is not primary and not f.pronoun and f.who != primary.who]
    return f"{primary.who}, according to {others[0].who}" if others else primary.who


def attribute(doc: Document, start: int, end: int, *, paragraphs_back: int = 2) -> str:
    """Who said or reported doc.text[start:end]; the document's author or source when the text never says.

    Looks in the sentence, then for a speaker closing its paragraph ("…, - said Peskov"), then in earlier
    sentences of the paragraph and up to `paragraphs_back` earlier paragraphs of the same section.
    """
    text = doc.text
    paras = list(doc.paragraphs)
    pi = next((i for i, (s, e, _) in enumerate(paras) if s <= start < e), None)
    if pi is None:
        return doc.source or doc.author
    p_start, p_end, heading = paras[pi]
    sentences = split_sentences(text, p_start, p_end)
    groups: list[list[_Found]] = [_in_sentence(text[start:end])]
    groups += [_in_sentence(text[s:e], speaker_at_end_only=True) for s, e in sentences if s >= end]
    groups += [_in_sentence(text[s:e]) for s, e in reversed(sentences) if e <= start]
    first = text[sentences[0][0]:sentences[0][1]] if sentences else ""
    continues = _CONTINUES.match(first) or _CONTINUES.match(text[start:end])
    for j in range(pi - 1, max(pi - 1 - paragraphs_back, -1), -1) if continues else ():
        s0, e0, h0 = paras[j]
        if h0 != heading:
            break
        groups += [_in_sentence(text[s:e]) for s, e in reversed(split_sentences(text, s0, e0))]
    flat = [(f, g) for g in groups for f in g if not f.pronoun]
    if not flat:
        return doc.source or doc.author
    at = 0
    if flat[0][0].who.startswith("the "):  # "the intelligence agency adds": the named one said before
        at = next((i for i, (f, _) in enumerate(flat) if not f.who.startswith("the ")), 0)
    primary, group = flat[at]
    if _ACRONYM.match(primary.who):  # "GUR reports" near "According to Ukrainian intelligence"
        desc = next((f for f, _ in flat[at + 1:] if f.descriptive), None)
        if desc:
            return f"{desc.who} ({primary.who})"
    return _render(primary, group)
