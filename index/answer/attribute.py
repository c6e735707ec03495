"""Attribution: who said or reported a sentence, read from the sentence and the text before it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.text.split import split_sentences
from index.text.words import CYRILLIC
from index.types import Document

_VERBS = (
    "said|says|say|noted|notes|added|adds|reported|reports|told|tells|stated|states|confirmed|confirms|"
    "announced|announces|claimed|claims|wrote|writes|warned|warns|explained|explains|argued|argues|"
    "insisted|insists|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|believes|believed|estimated|estimates|"
    "revealed|reveals|acknowledged|acknowledges|denied|denies|declared|declares|admitted|admits"
)
# A name's words are at most 40 characters: unbounded, a run such as "A.A.A.…" or "A-A-A-…" was read to its end from
# each of its capitals in turn (quadratic).
_NAME = r"(?:[A-Z][\w'’.&-]{0,40}|of|de|al|van|von|bin)(?:\s+(?:[A-Z][\w'’.&-]{0,40}|of|de|al|van|von|bin)){0,4}"
_ACCORDING = re.compile(r"\b[Aa]ccording to ((?:the )?[^,.;:]{2,80}?)(?=,|\.|;|:|$)")
_SUBJECT_VERB = re.compile(rf"(?<![\w'’])({_NAME}|the [a-z][a-z'’ -]{{2,40}}?|he|she|they|it|we),?\s+(?:{_VERBS})\b")
_VERB_NAME = re.compile(rf"(?:[,—–-]|[”\"])\s*(?:{_VERBS})\s+({_NAME})\s*[.!]?\s*$")
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "it", "we", "i", "you"}
_NOT_SPEAKERS = {"the", "this", "that", "these", "those", "there", "it", "in", "on", "at", "and", "but", "also",
                 "a", "an", "as", "if", "when", "while", "after", "before", "for", "so"}
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
# A paragraph that carries on the previous one's report: only then does an earlier paragraph's source apply.
_CONTINUES = re.compile(
    r"^\W*(in particular|in addition|additionally|also|moreover|furthermore|besides|at the same time|"
    r"according to (him|her|them|it|the (agency|ministry|report|statement))|(he|she|they|it) (also )?"
    rf"(?:{_VERBS})\b|зокрема|крім того|також|окрім того|водночас|в частности|кроме того|также|при этом|"
    r"(?:він|вона|вони|он|она|они) (?:також |также )?(?:додав|додала|зазначив|зазначила|добавил|добавила|отметил|"
    r"отметила)\b)", re.IGNORECASE)
# "Chanelle Helm, a Black Lives Matter organizer from Louisville, Kentucky, says": the subject leads.
_APPOSITIVE = re.compile(rf"^\W*({_NAME}), (?:a|an|the|who|whose|which|[a-z])[^.;]*?,\s+(?:{_VERBS})\b")


# Coreference: a pronoun or a generic description ("the agency", "the spokesman") stands for the nearest
# speaker named earlier in the section whose kind fits. Kinds are read from the words, not from a tagger.
_PERSON_PRONOUNS = {"he", "she", "him", "her", "i"}
_ORG_PRONOUNS = {"it"}
_PERSON_NOUNS = frozenset(
    "spokesman spokeswoman spokesperson secretary minister president premier chancellor governor mayor official "
    "officials officer chief head director ambassador envoy commander general senator lawmaker prosecutor diplomat "
    "leader chairman chairwoman adviser advisor analyst analysts expert experts economist lawyer attorney".split())
_ORG_NOUNS = frozenset(
    "agency ministry department office intelligence service services government kremlin police army military "
    "company firm bank committee council court union organisation organization commission administration newspaper "
    "outlet channel broadcaster institute authority authorities headquarters command forces party watchdog "
    "regulator parliament embassy".split())
_POSSESSIVE = re.compile(r"['’]s\b|s['’](?!\w)")


@dataclass(frozen=True)
class _Found:
    who: str
    pronoun: bool = False
    source: bool = False  # named as a source ("according to X"), which may be an outlet, a person or a body

    @property
    def descriptive(self) -> bool:
        return (not self.pronoun and any(w[:1].islower() for w in self.who.split()[1:] or [""])
                and not self.who.startswith("the "))

    @property
    def generic(self) -> bool:
        """A description that stands for a name given before: "the intelligence agency", not "the dockers’ union"."""
        words = self.who.split()
        return (words[0] == "the" and len(words) > 1 and self.who.islower() and not _POSSESSIVE.search(self.who)
                and _head(words) in _PERSON_NOUNS | _ORG_NOUNS)

    @property
    def anaphoric(self) -> bool:
        return self.pronoun or self.generic

    @property
    def kind(self) -> str:
        """ "person", "org" or "any" (could be either)."""
        if self.pronoun:
            return "person" if self.who in _PERSON_PRONOUNS else "org" if self.who in _ORG_PRONOUNS else "any"
        words = [w.strip(".,'’").lower() for w in self.who.split()]
        head = _head(self.who.split())
        if head in _PERSON_NOUNS or head in _ORG_NOUNS:
            return "person" if head in _PERSON_NOUNS else "org"
        if _PERSON_NOUNS.intersection(words):  # "Kremlin spokesman Dmitry Peskov"
            return "person"
        if _ORG_NOUNS.intersection(words) or any(_ACRONYM.match(w) for w in self.who.split()):
            return "org"
        return "any" if self.source else "person"

    def fits(self, other: _Found) -> bool:
        return "any" in (self.kind, other.kind) or self.kind == other.kind


def _head(words: list[str]) -> str:
    """The noun a description is about: "the head of the agency" → head; "the intelligence agency" → agency."""
    words = [w.strip(".,'’").lower() for w in words]
    return words[words.index("of", 1) - 1] if "of" in words[1:] else words[-1]


def _clean_name(name: str) -> str:
    words = name.strip(" ,.'\"“”").split()
    while words and words[0].lower() in _NOT_SPEAKERS:
        words = words[1:]
    return " ".join(words)


def _in_sentence(sentence: str, *, speaker_at_end_only: bool = False) -> list[_Found]:
    """Attributions inside one sentence: the speaker first, then an "according to" source."""
    if CYRILLIC.search(sentence):
        return _in_sentence_uk_ru(sentence, speaker_at_end_only=speaker_at_end_only)
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
        found.append(_Found(who.lower(), pronoun=True) if who.lower() in _PRONOUNS else _Found(who, source=True))
    return found


# Ukrainian and Russian: "…», - сказав Пєсков", "Пєсков заявив", "за даними ГУР", "повідомляє CNN Türk",
# "как заявил Песков", "по данным ГУР". Read only in sentences with Cyrillic letters.
_VERBS_UK_RU = (
    "сказав|сказала|сказали|заявив|заявила|заявили|додав|додала|зазначив|зазначила|повідомив|повідомила|"
    "повідомили|повідомляє|повідомляють|наголосив|наголосила|підкреслив|підкреслила|пише|написав|розповів|"
    "розповіла|визнав|заперечив|сказал|сказала|заявил|заявила|заявили|добавил|добавила|отметил|отметила|"
    "сообщил|сообщила|сообщили|сообщает|сообщают|подчеркнул|подчеркнула|пишет|написал|рассказал|рассказала|"
    "признал|опроверг|уточнил|уточнила"
)
_NAME_UK_RU = (r"(?:[A-ZА-ЯЁІЇЄҐ][\w'’.&-]{0,40})(?:\s+(?:[A-ZА-ЯЁІЇЄҐ][\w'’.&-]{0,40}|де|фон|ван|аль)){0,4}")
_VERB_NAME_UK_RU = re.compile(rf"(?:[,—–-]|[»\"”])\s*(?:як\s+|как\s+)?(?:{_VERBS_UK_RU})\s+({_NAME_UK_RU})")
_SUBJECT_VERB_UK_RU = re.compile(rf"(?<![\w'’])({_NAME_UK_RU}|він|вона|вони|воно|он|она|они|оно),?\s+"
                                 rf"(?:{_VERBS_UK_RU})\b")
_SOURCE_UK_RU = re.compile(rf"(?i:\b(?:за даними|за словами|за інформацією|як повідомляє|як повідомили в|"
                           rf"по данным|по словам|по информации|как сообщает|как сообщили в|повідомляє|сообщает|"
                           rf"як (?:{_VERBS_UK_RU})|как (?:{_VERBS_UK_RU})))"
                           rf"\s+({_NAME_UK_RU})")
_PRONOUNS_UK_RU = {"він": "he", "вона": "she", "вони": "they", "воно": "it", "он": "he", "она": "she",
                   "они": "they", "оно": "it"}
_NOT_SPEAKERS_UK_RU = {"Про", "Об", "Це", "Это", "Як", "Как", "За", "По", "У", "В", "І", "И", "А", "Але", "Но"}


def _in_sentence_uk_ru(sentence: str, *, speaker_at_end_only: bool = False) -> list[_Found]:
    """Attributions inside one Ukrainian or Russian sentence: the speaker first, then a source it cites."""
    found: list[_Found] = []
    m = _VERB_NAME_UK_RU.search(sentence)
    if m and m.group(1).split()[0] not in _NOT_SPEAKERS_UK_RU:
        found.append(_Found(m.group(1).rstrip(".")))
    if speaker_at_end_only:
        return found
    if not found:
        for m in _SUBJECT_VERB_UK_RU.finditer(sentence):
            who = m.group(1)
            if who.lower() in _PRONOUNS_UK_RU:
                found.append(_Found(_PRONOUNS_UK_RU[who.lower()], pronoun=True))
                break
            if who.split()[0] not in _NOT_SPEAKERS_UK_RU:
                found.append(_Found(who.rstrip(".")))
                break
    for m in _SOURCE_UK_RU.finditer(sentence):
        if not any(f.who == m.group(1).rstrip(".") for f in found):
            found.append(_Found(m.group(1).rstrip("."), source=True))
    return found


def _render(primary: _Found, same_sentence: list[_Found]) -> str:
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
    groups: list[list[_Found]] = [_in_sentence(text[start:end])]
    groups += [_in_sentence(text[s:e], speaker_at_end_only=True) for s, e in sentences if s >= end]
    groups += [_in_sentence(text[s:e]) for s, e in reversed(sentences) if e <= start]
    own = len(groups)  # groups that may name the speaker directly; the rest only resolve pronouns and descriptions
    first = text[sentences[0][0]:sentences[0][1]] if sentences else ""
    continues = _CONTINUES.match(first) or _CONTINUES.match(text[start:end])
    for j in range(pi - 1, max(pi - 1 - max(paragraphs_back, reach), -1), -1):
        earlier_start, earlier_end, earlier_heading = paras[j]
        if earlier_heading != heading:
            break
        groups += [_in_sentence(text[s:e]) for s, e in reversed(split_sentences(text, earlier_start, earlier_end))]
        if continues and pi - j <= paragraphs_back:
            own = len(groups)
    mentions = [(f, g) for g in groups for f in g]
    direct = sum(len(g) for g in groups[:own])
    if not direct:
        return doc.source or doc.author
    at = _resolve(mentions)
    if at is None:  # an anaphor with nothing fitting before it: a named source nearby, else the outlet
        at = next((i for i, (f, _) in enumerate(mentions[:direct]) if not f.anaphoric), None)
        if at is None:
            first_found = mentions[0][0]
            return first_found.who if first_found.generic else doc.source or doc.author
    primary, group = mentions[at]
    if _ACRONYM.match(primary.who):  # "GUR reports" after "According to Ukrainian intelligence"
        spelled = next((f for f, _ in mentions[at + 1:] if f.descriptive and f.fits(primary)), None)
        if spelled:
            return f"{spelled.who} ({primary.who})"
    return _render(primary, group)


def _resolve(mentions: list[tuple[_Found, list[_Found]]]) -> int | None:
    """Index of the named mention the first one stands for: itself, or the nearest fitting one before it.

    `mentions` run from the quoted sentence backwards through the section.
    """
    mention = mentions[0][0]
    if not mention.anaphoric:
        return 0
    return next((i for i in range(1, len(mentions))
                 if not mentions[i][0].anaphoric and mentions[i][0].fits(mention)), None)
