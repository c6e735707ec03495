"""Who one sentence names as its speaker or source: "…," said head coach Denise Halvorsen; The company, which makes
bolts, said; according to X; "…», - сказав Пєсков". The paragraph around it is index.answer.attribute's job."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.text.words import CYRILLIC


SPEECH_VERBS = (
    "said|says|say|noted|notes|added|adds|reported|reports|told|tells|stated|states|confirmed|confirms|"
    "announced|announces|claimed|claims|wrote|writes|warned|warns|explained|explains|argued|argues|"
    "insisted|insists|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|believes|believed|estimated|estimates|"
    "revealed|reveals|acknowledged|acknowledges|denied|denies|declared|declares|admitted|admits|recalled|recalls|"
    "remembers|remembered|concluded|concludes|found that|finds that"
)
# After a subject, a verb that is also a plural noun ("member states voted", "reports of") speaks only before what
# a statement's verb is followed by; none speaks in "believed to be", "said to have".
_NOUN_LIKE = ("states", "reports", "notes", "claims", "estimates")
_VERB_AFTER_SUBJECT = (
    rf"(?:(?:{'|'.join(v for v in SPEECH_VERBS.split('|') if v not in _NOUN_LIKE)})\b|(?:{'|'.join(_NOUN_LIKE)})"
    r"(?=[,.;:\"“”]|\s*$|\s+(?:that|the|a|an|it|he|she|they|its|his|her|their|this)\b))(?!\s+to\s+(?:be|have)\b)")
# A name's words are at most 40 characters: unbounded, a run such as "A.A.A.…" or "A-A-A-…" was read to its end from
# each of its capitals in turn (quadratic).
_NAME = r"(?:[A-Z][\w'’.&-]{0,40}|of|de|al|van|von|bin)(?:\s+(?:[A-Z][\w'’.&-]{0,40}|of|de|al|van|von|bin)){0,4}"
_ACCORDING = re.compile(r"\b[Aa]ccording to ((?:the )?[^,;:]{2,120}?)(?=[,;:]|$|(?<!\b[A-Z])\.(?=\s|$))")  # "U.S."
# Where and when a source spoke, cut from it: "figures presented by the club at a supporters' briefing on Friday".
_SOURCE_TAIL = re.compile(r"\s+(?:at|on|in|during|last|this|who|which|that)\s.*$")  # … "who was not authorized"
_AUTHOR = re.compile(r"\bby ((?:the |a |an )?[A-Z].*|the [a-z].*)$")
_GROUPS = ("officials|forecasters|police|analysts|experts|authorities|investigators|prosecutors|researchers|"
           "scientists|witnesses|residents|economists|doctors|engineers")
_SUBJECT_VERB = re.compile(rf"(?<![\w'’])({_NAME}|(?:the|a|an) [a-z][a-z'’ -]{{2,40}}?|(?:[a-z]+\s)?(?:{_GROUPS})|"
                           rf"he|she|they|it|we)(?:,\s(?:\d{{1,3}}|(?:a|an|the)\s[^,;\"“”]{{1,60}}),)?,?\s+"
                           rf"(?:(?:has|have|had)\s+(?:also\s+)?)?{_VERB_AFTER_SUBJECT}")
# "Council member Frank Dusek cast the lone no vote, saying …": the clause's subject said it.
_SAYING = re.compile(r",\s+(?:saying|arguing|adding|warning|noting|insisting|claiming|explaining|stressing)\b")
_ROLE_NOUNS = frozenset(
    "member members executive officer director coach doctor chair chairman chairwoman manager captain president "
    "secretary minister spokesman spokeswoman spokesperson engineer official chief head commissioner councillor "
    "councilor superintendent".split())
# A speaker's role in lower case before the name ("said head coach Denise Halvorsen"); not a phrase of time or place
# ("said on Tuesday", "said in Washington").
_ROLE = (r"(?:(?!(?:in|on|at|during|after|before|from|to|for|with|by|that|as|while|when|about|over|than|and|or|but|"
         r"if|because|since|until|it|he|she|they|we|there|this|last|next|earlier|later|also|today|yesterday)\b)"
         r"[a-z][\w'’-]*,?\s+){0,6}?")
# "…," said Doreen Pitcavage, a retired bookkeeper.  "…," said club doctor Helen Marchetti.
_SAID_NAME = rf"(?:[,—–-]|[”\"])\s*(?:{SPEECH_VERBS})\s+{_ROLE}({_NAME})"
_VERB_NAME = re.compile(_SAID_NAME + r"(?=\s*(?:[,.!;]|$))")
# A speaker closing the paragraph ("…, - said Peskov."): only a name that ends its sentence speaks for those before.
_VERB_NAME_END = re.compile(_SAID_NAME + r"\s*[.!]?\s*$")
_DATE_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december today yesterday tonight".split())
# Words between a subject and its verb that are not the subject: "The health department on Tuesday confirmed".
_BETWEEN = (r"(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
            r"(?:\s+(?:night|morning|afternoon|evening))?|today|yesterday|tonight|last\s+(?:week|month|year|night)|"
            r"this\s+(?:week|month|year|morning)|"
            r"also|later|earlier|previously|again|repeatedly|recently|publicly|separately|then)")
# A clause's subject, an aside between commas, the verb: "The company, which makes bolts for the construction trade,
# said"; "Council member Theo Brannigan, who represents Ward 3, said"; "Ashdown, 67, told".
_CLAUSE_SUBJECT = re.compile(
    rf"^[\s,“”\"'‘’]*(?P<subject>[^,;:“”\"()]{{2,80}}?)(?:,\s(?P<aside>[^;:“”\"()]{{1,160}}?),)?"
    rf"\s+(?:{_BETWEEN}\s+){{0,2}}(?:(?:has|have|had|will|would|could|may|might)\s+(?:also\s+)?)?{_VERB_AFTER_SUBJECT}"
    r"(?!\s+(?:have|has|had|are|were|will|would|can|could|may|might|of|and|or)\b)")  # "member states have": a noun
# A dateline before the story's first words: "MILLBROOK — ", "SHEFFIELD, England — ".
_DATELINE = re.compile(r"^(?:[A-Z][A-Z .'’-]{1,40}(?:,\s+[A-Z][\w .'’-]{1,30})?\s+[—–-]+\s+|\([A-Z][\w .&]{1,30}\)\s*"
                       r"(?:[—–-]+\s*)?)")  # "MILLBROOK — ", "SHEFFIELD, England — ", "(CNN) "
# A clause's first word that is not its subject but a phrase set before it ("According to …", "Outside court, …").
_FRONTED = frozenset(
    "according in on at after before when while if as since under outside inside for with despite following during "
    "by from once although though because unlike without until asked speaking citing".split())
# A subject holds no verb of its own: "The last case was reported", "The outbreak has cost … an estimated".
_NOT_SUBJECT = frozenset("who which that whose but".split())  # a clause inside: "A man who admitted", "… but"
_OPEN_ENDS = frozenset("a an the and or".split())  # "an estimated": an adjective, not a verb
_VERB_WORDS = frozenset(
    "is are was were be been being has have had will would can could shall should may might must do does did".split())
_CAPITALISED = re.compile(r"[A-Z][\w'’.&-]*|of|de|al|van|von|bin|\d+")
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "it", "we", "i", "you"}
_NOT_SPEAKERS = {"the", "this", "that", "these", "those", "there", "it", "in", "on", "at", "and", "but", "also",
                 "a", "an", "as", "if", "when", "while", "after", "before", "for", "so"}
ACRONYM = re.compile(r"^[A-Z]{2,6}$")
# "Chanelle Helm, a Black Lives Matter organizer from Louisville, Kentucky, says": the subject leads.
_APPOSITIVE = re.compile(rf"^\W*({_NAME}), (?:a|an|the|who|whose|which|[a-z])[^.;]*?,\s+{_VERB_AFTER_SUBJECT}")


# For coreference (index.answer.attribute): a pronoun or a generic description ("the agency", "the spokesman") stands
# for the nearest speaker named earlier in the section whose kind fits. Kinds are read from the words, not a tagger.
_PERSON_PRONOUNS = {"he", "she", "him", "her", "i"}
_ORG_PRONOUNS = {"it"}
PERSON_NOUNS = frozenset(
    "spokesman spokeswoman spokesperson secretary minister president premier chancellor governor mayor official "
    "officials officer chief head director ambassador envoy commander general senator lawmaker prosecutor diplomat "
    "leader chairman chairwoman adviser advisor analyst analysts expert experts economist lawyer attorney".split())
ORG_NOUNS = frozenset(
    "agency ministry department office intelligence service services government kremlin police army military "
    "company firm bank committee council court union organisation organization commission administration newspaper "
    "outlet channel broadcaster institute authority authorities headquarters command forces party watchdog "
    "regulator parliament embassy".split())
_POSSESSIVE = re.compile(r"['’]s\b|s['’](?!\w)")


@dataclass(frozen=True)
class Mention:
    """A speaker or source one sentence names, or a pronoun or description standing for one named before."""

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
                and head_noun(words) in PERSON_NOUNS | ORG_NOUNS)

    @property
    def anaphoric(self) -> bool:
        return self.pronoun or self.generic

    @property
    def kind(self) -> str:
        """ "person", "org" or "any" (could be either)."""
        if self.pronoun:
            return "person" if self.who in _PERSON_PRONOUNS else "org" if self.who in _ORG_PRONOUNS else "any"
        words = [w.strip(".,'’").lower() for w in self.who.split()]
        head = head_noun(self.who.split())
        if head in PERSON_NOUNS or head in ORG_NOUNS:
            return "person" if head in PERSON_NOUNS else "org"
        if PERSON_NOUNS.intersection(words):  # "Kremlin spokesman Dmitry Peskov"
            return "person"
        if ORG_NOUNS.intersection(words) or any(ACRONYM.match(w) for w in self.who.split()):
            return "org"
        return "any" if self.source else "person"

    def fits(self, other: Mention) -> bool:
        return "any" in (self.kind, other.kind) or self.kind == other.kind


def head_noun(words: list[str]) -> str:
    """The noun a description is about: "the head of the agency" → head; "the intelligence agency" → agency."""
    words = [w.strip(".,'’").lower() for w in words]
    return words[words.index("of", 1) - 1] if "of" in words[1:] else words[-1]


def _clean_name(name: str) -> str:
    words = name.strip(" ,.'\"“”").split()
    while words and words[0].lower() in _NOT_SPEAKERS:
        words = words[1:]
    return " ".join(words)


def mentions_in(sentence: str, *, speaker_at_end_only: bool = False) -> list[Mention]:
    """Attributions inside one sentence: the speaker first, then an "according to" source."""
    if CYRILLIC.search(sentence):
        return _mentions_uk_ru(sentence, speaker_at_end_only=speaker_at_end_only)
    found: list[Mention] = []
    m = (_VERB_NAME_END if speaker_at_end_only else _VERB_NAME).search(sentence)
    name = _clean_name(m.group(1)) if m else ""
    if name and name.lower() not in _PRONOUNS and name.split()[0].lower() not in _DATE_WORDS:
        found.append(Mention(name))
    if speaker_at_end_only:
        return found
    m = _APPOSITIVE.match(sentence)
    if m and _clean_name(m.group(1)) and m.group(1).lower() not in _PRONOUNS:
        found.append(Mention(_clean_name(m.group(1))))
    if not found and (subject := _clause_subject(sentence) or _saying_subject(sentence)):
        found.append(subject)
    for m in [] if found else _SUBJECT_VERB.finditer(sentence):
        raw = m.group(1)
        if raw.lower() in _PRONOUNS:
            found.append(Mention(raw.lower(), pronoun=True))
            break
        name = raw if raw.startswith(("the ", "a ", "an ")) else _clean_name(raw)
        if name.split()[-1:] and name.split()[-1].lower() in _OPEN_ENDS | {"but"} \
                or (_NOT_SUBJECT | _VERB_WORDS).intersection(name.lower().split()) \
                or any(w in ("the", "a", "an") and v != "of" for v, w in zip(name.split(), name.split()[1:])):
            continue  # "an estimated", "a man who", "a policy the club": not one speaker
        if name and name.split()[-1].lower() in _PRONOUNS:  # "When I told", "the reasons she said"
            found.append(Mention(name.split()[-1].lower(), pronoun=True))
            break
        if name and name.lower() not in _NOT_SPEAKERS and name.split()[0].lower() not in _DATE_WORDS:
            found.append(Mention(name))
            break
    for m in _ACCORDING.finditer(sentence):
        who = m.group(1).strip()
        if len(cut := _SOURCE_TAIL.sub("", who).split()) >= 2:
            who = " ".join(cut)
        if by := _AUTHOR.search(who):  # "a statement released by the U.S. Capitol Police": its author
            who = by.group(1)
        found.append(Mention(who.lower(), pronoun=True) if who.lower() in _PRONOUNS else Mention(who, source=True))
    return found


def _clause_subject(sentence: str) -> Mention | None:
    """The speaker a clause opens with, when an aside or a time stands between it and the verb: read after the
    dateline, after a phrase set before the clause ("Outside court, his solicitor, …, said") and after a quotation
    that opens the sentence ("…," Ashdown, 67, told supporters)."""
    text = _DATELINE.sub("", sentence)
    clauses = [] if text.lstrip()[:1] in ('"', "“", "‘", "'") else [text]  # not a subject inside the quotation
    if (first := text.split(maxsplit=1)[:1]) and first[0].lower() in _FRONTED and "," in text:
        clauses.append(text[text.index(",") + 1:])
    closing = max(text.rfind("”"), text.rfind('"'))
    if closing > 0:
        clauses.append(text[closing + 1:])
    for clause in clauses:
        m = _CLAUSE_SUBJECT.match(clause)
        if not m:
            continue
        subject = m.group("subject").strip()
        words = subject.split()
        if not words or len(words) > 8 or _VERB_WORDS.intersection(w.lower() for w in words) \
                or _NOT_SUBJECT.intersection(w.lower() for w in words) or words[-1].lower() in _OPEN_ENDS:
            continue  # "The last case was reported": nobody is named as saying it
        if words[0].lower() in _PRONOUNS:
            if len(words) == 1:
                return Mention(words[0].lower(), pronoun=True)
            continue
        if not (words[0][:1].isupper() or words[0] in ("the", "a", "an", "his", "her", "their", "its")) \
                or words[0].lower() in _FRONTED:
            continue  # a fragment ("paid for with federal money"), or a phrase before the clause ("According to")
        aside = (m.group("aside") or "").strip()
        if aside and _is_name(aside) and (not _is_name(subject) or words[0] in ("The", "A", "An")
                                          or _POSSESSIVE.search(subject)):
            return Mention(_clean_name(aside))  # "Calverton's managing director, Stuart Fairlie, said"
        run = _name_start(words, len(words))
        while run < len(words) and not words[run][:1].isupper():  # a name starts with a capital, not "of"
            run += 1
        name = " ".join(words[run:])
        if name and (run == 0 or words[run - 1].lower() not in {"the", "a", "an", "for", "of", "at", "from", "with"}):
            who = _clean_name(name)  # "Council member Theo Brannigan" → Theo Brannigan
        else:  # "a spokesperson for the Department of Health", "The company": the whole description
            who = subject[0].lower() + subject[1:] if words[0] in ("The", "A", "An", "His", "Her", "Their", "Its") \
                else subject
        if who and who.lower() not in _NOT_SPEAKERS and who.split()[0].lower() not in _DATE_WORDS:
            return Mention(who)
    return None


def _saying_subject(sentence: str) -> Mention | None:
    """The subject of a clause that goes on ", saying …": its leading name, a role before it dropped."""
    if not _SAYING.search(sentence):
        return None
    words = _DATELINE.sub("", sentence).split()
    end = 0
    while end < len(words) and (words[end][:1].isupper() or words[end].lower() in _ROLE_NOUNS | {"of"}):
        end += 1
    name = _clean_name(" ".join(words[_name_start(words, end):end]))
    return Mention(name) if name and name.split()[0].lower() not in _DATE_WORDS | _PRONOUNS else None


def _name_start(words: list[str], end: int) -> int:
    """Where the run of capitalised words ending before `end` begins ("Council member Theo Brannigan" → Theo)."""
    start = end
    while start and _CAPITALISED.fullmatch(words[start - 1].strip(",.'’")):
        start -= 1
    return start


def _is_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 5 and all(_CAPITALISED.fullmatch(w.strip(",.'’")) for w in words) and \
        words[0][:1].isupper()


# Ukrainian and Russian: "…», - сказав Пєсков", "Пєсков заявив", "за даними ГУР", "повідомляє CNN Türk",
# "как заявил Песков", "по данным ГУР". Read only in sentences with Cyrillic letters.
_VERBS_UK_RU = (
    "сказав|сказала|сказали|заявив|заявила|заявили|додав|додала|зазначив|зазначила|повідомив|повідомила|"
    "повідомили|повідомляє|повідомляють|наголосив|наголосила|підкреслив|підкреслила|пише|написав|розповів|"
    "розповіла|визнав|заперечив|сказал|сказала|заявил|заявила|заявили|добавил|добавила|отметил|отметила|"
    "сообщил|сообщила|сообщили|сообщает|сообщают|подчеркнул|подчеркнула|пишет|написал|рассказал|рассказала|"
    "признал|опроверг|уточнил|уточнила|додає|додають|каже|кажуть|зазначає|заявляє|розповідає|уточнює|добавляет|"
    "добавляют|говорит|говорят|отмечает|заявляет|рассказывает|уточняет"
)
_NAME_UK_RU = (r"(?:[A-ZА-ЯЁІЇЄҐ][\w'’.&-]{0,40})(?:\s+(?:[A-ZА-ЯЁІЇЄҐ][\w'’.&-]{0,40}|де|фон|ван|аль)){0,4}")
# "…, повідомив директор метрополітену Андрій Зубенко"; "— сказал главный тренер «Металлурга» Виктор Ляшко"
_ROLE_UK_RU = r"(?:(?:[а-яёіїєґ][\w'’-]*|«[^»]{1,40}»)\s+){0,5}?"
_VERB_NAME_UK_RU = re.compile(rf"(?:[,—–-]|[»\"”])\s*(?:як\s+|как\s+)?(?:{_VERBS_UK_RU})\s+{_ROLE_UK_RU}"
                              rf"({_NAME_UK_RU})")
# "…, сообщает городская управа."; "…, додає розвідка.": a body named in lower case, closing the sentence
_VERB_BODY_UK_RU = re.compile(rf"(?:[,—–-]|[»\"”])\s*(?:{_VERBS_UK_RU})\s+([а-яёіїєґ][а-яёіїєґ'’ -]{{2,60}}?)"
                              r"\s*[.!]?\s*$")
_SUBJECT_VERB_UK_RU = re.compile(rf"(?<![\w'’])({_NAME_UK_RU}|він|вона|вони|воно|он|она|они|оно),?\s+"
                                 rf"(?:{_VERBS_UK_RU})\b")
_SOURCE_UK_RU = re.compile(rf"(?i:\b(?:за даними|за словами|за інформацією|як повідомляє|як повідомили в|"
                           rf"по данным|по словам|по информации|как сообщает|как сообщили в|повідомляє|сообщает|"
                           rf"як (?:{_VERBS_UK_RU})|как (?:{_VERBS_UK_RU})))"
                           rf"\s+({_NAME_UK_RU}|[а-яёіїєґ][а-яёіїєґ'’ -]{{2,60}}?(?=[,.;:]|$))")  # "по данным разведки"
_PRONOUNS_UK_RU = {"він": "he", "вона": "she", "вони": "they", "воно": "it", "он": "he", "она": "she",
                   "они": "they", "оно": "it"}
_NOT_SPEAKERS_UK_RU = {"Про", "Об", "Це", "Это", "Як", "Как", "За", "По", "У", "В", "І", "И", "А", "Але", "Но"}


def _mentions_uk_ru(sentence: str, *, speaker_at_end_only: bool = False) -> list[Mention]:
    """Attributions inside one Ukrainian or Russian sentence: the speaker first, then a source it cites."""
    found: list[Mention] = []
    m = _VERB_NAME_UK_RU.search(sentence)
    if m and m.group(1).split()[0] not in _NOT_SPEAKERS_UK_RU:
        found.append(Mention(m.group(1).rstrip(".")))
    elif m := _VERB_BODY_UK_RU.search(sentence):
        found.append(Mention(m.group(1).strip()))
    if speaker_at_end_only:
        return found
    if not found:
        for m in _SUBJECT_VERB_UK_RU.finditer(sentence):
            who = m.group(1)
            if who.lower() in _PRONOUNS_UK_RU:
                found.append(Mention(_PRONOUNS_UK_RU[who.lower()], pronoun=True))
                break
            if who.split()[0] not in _NOT_SPEAKERS_UK_RU:
                found.append(Mention(who.rstrip(".")))
                break
    for m in _SOURCE_UK_RU.finditer(sentence):
        if not any(f.who == m.group(1).rstrip(".") for f in found):
            found.append(Mention(m.group(1).rstrip("."), source=True))
    return found
