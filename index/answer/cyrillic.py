"""What a Ukrainian or Russian question asks for ("скільки", "когда", "хто", "где", "чому", "яка сума"…), and
whether a Ukrainian or Russian sentence offers something of that kind ("8 грудня", "4000 гривень", "Дмитро
Пєсков", "у Тартусі", "через відсутність…").

`index.answer.quote.AnswerType` reads a question with these patterns instead of its English ones when the question
is written in Cyrillic, and asks `offers` about a sentence written in Cyrillic besides its English reading: English
questions and sentences read exactly as before.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from index.text.words import CYRILLIC

_I = re.IGNORECASE
_LATIN = re.compile(r"[a-z]", _I)


def written_in(text: str) -> bool:
    """Whether `text` is written in Cyrillic (more Cyrillic letters than Latin ones)."""
    return len(CYRILLIC.findall(text)) > len(_LATIN.findall(text))


class Asks(NamedTuple):
    """The patterns that say what a question asks for, one per kind (`AnswerType.of` reads them)."""

    year: re.Pattern
    number: re.Pattern
    date: re.Pattern
    place: re.Pattern
    reason: re.Pattern
    name: re.Pattern
    money: re.Pattern
    counts: re.Pattern  # "how many"
    counted: re.Pattern  # group 1: the thing counted
    person: re.Pattern
    percent: re.Pattern = re.compile(r"(?!)")  # "what share of…": a percentage (none: never)
    how_long: re.Pattern = re.compile(r"(?!)")  # "how long…": a time or a length (none: never)
    org: re.Pattern = re.compile(r"(?!)")  # "which firm…": an organisation named as one (none: never)
    sums: tuple[tuple[str, re.Pattern], ...] = ()  # (kind, asked): "how much was it fined" → "fine" (none)


def _words(*stems: str) -> str:
    return "(?:" + "|".join(stems) + r")\w*"


_W = r"(?<!\w)"  # a word starts here (a Cyrillic letter after a Latin one is a new word too, which \b also says)
# "який/яка/яке/які…" (uk), "какой/какая/какое/какие/каков…" (ru): which
_WHICH = (_W + r"(?:як(?:ий|а|е|і|ого|ої|ому|ій|им|ою|у|их)|как(?:ой|ая|ое|ие|ого|ую|ом|им|ова|ов|овы)|котр\w*|"
          r"чий|чия|чиє|чиї|чей|чья|чьё|чье|чьи)\b")
_HOW_MANY = _W + r"(?:скільки|сколько|як довго|как долго|як часто|как часто|на скільки|на сколько)\b"
_QUANTITY = _words("відсот", "процент", "частк", "част[ьи]", "дол[яією]", "кількіст", "количеств", "сум", "цін",
                   "цен", "вартіст", "стоимост", "розмір", "размер", "бюджет", "зарплат", "заробітн", "штраф",
                   "температур", "швидкіст", "скорост", "відстан", "расстоян", "висот", "высот", "обсяг", "объ[её]м",
                   "число", "числа", "чисельніст", "численност", "рівень", "уров", "показник", "показател",
                   "потужн", "мощност", "місткіст", "вместимост", "площ", "триваліст", "продолжительност")
_MONEY_WORDS = _words("кошт", "сто[иі]т", "стоил", "вартіст", "стоимост", "цін", "цен", "сум[аиуом]", "бюджет",
                      "зарплат",
                      "заробітн", "штраф", "гроше", "грош", "денег", "деньг", "плат", "заплат", "виплат", "выплат",
                      "компенсац", "інвест", "инвест", "витрат", "трат", "расход", "потрат", "фінанс", "финанс",
                      "допомог", "помощ", "дохід", "доход", "прибут", "прибыл", "збит", "убыт", "борг", "долг", "грант",
                      "гривн", "гривен", "рубл", "долар", "доллар", "євро", "евро")
_PLACES = _words("країн", "стран", "держав", "государств", "міст[оаіу]", "місто", "город", "регіон", "регион", "област",
                 "район", "порт", "острів", "остров", "столиц", "сел[оаі]", "селищ", "поселк", "провінц", "провинц")
_PEOPLE = _words("посадов", "чиновник", "міністр", "министр", "речни[кц]", "представни[кц]", "президент", "прем", "мер",
                 "губернатор", "керівни[кц]", "руководител", "голов[аиу]", "глав[аыу]", "директор", "депутат",
                 "генерал", "командир", "командувач", "командующ", "посол", "сенатор", "суддя", "судья", "лікар",
                 "врач",
                 "експерт", "эксперт", "аналітик", "аналитик", "журналіст", "журналист", "людин", "человек",
                 "чоловік", "мужчин", "жінк", "женщин", "особ[аиу]", "лідер", "лидер", "засновни[кц]", "основател",
                 "власни[кц]", "владел", "офіцер", "офицер", "спікер", "спикер", "очільни[кц]")

QUESTIONS = Asks(
    year=re.compile(_W + r"(?:(?:в|у) (?:якому|каком) році|якого року|какого года|в які роки|в какие годы|(?:в|у) "
                    r"(?:якому|каком) году)\b", _I),
    number=re.compile(_HOW_MANY + "|" + _WHICH + r"\s+(?:\w+\s+){0,2}?" + _QUANTITY + "|" + _W
                      + r"(?:яка|какова|каков|какой|який) (?:\w+ ){0,2}?" + _QUANTITY, _I),
    date=re.compile(_W + r"(?:коли|когда|доки|поки|до якого (?:числа|часу)|до какого (?:числа|времени)|"
                    r"якого (?:числа|дня)|"
                    r"какого (?:числа|дня)|(?:в|у) (?:який|какой) (?:день|момент|час)|(?:з|с) (?:якого|какого) "
                    r"(?:числа|дня|часу|времени)|як(?:ої|ого) дати|какой даты|яка дата|какая дата)\b", _I),
    place=re.compile(_W + r"(?:де|где|куди|куда|звідки|звідкіля|откуда)\b|" + _WHICH + r"\s+(?:\w+\s+){0,2}?" + _PLACES
                     + r"|" + _W + r"(?:в|у|на|до|з|із|из) " + _WHICH + r"\s+(?:\w+\s+){0,2}?" + _PLACES, _I),
    reason=re.compile(_W + r"(?:чому|почему|навіщо|нащо|зачем|з якої причини|по якій причині|по какой причине|"
                      r"из-за чего|через що|що спричинило|що призвело|що змусило|що стало причиною|что вызвало|"
                      r"что привело|что заставило|что стало причиной|в чому причина|в чем причина|яка причина|"
                      r"какова причина|какая причина|яка підстава|на якій підставі|на каком основании)\b", _I),
    name=re.compile(_WHICH + "|" + _W + r"(?:хто|кто|кого|кому|ким|кем)\b", _I),
    money=re.compile(_MONEY_WORDS, _I),
    counts=re.compile(_HOW_MANY, _I),
    counted=re.compile(_W + r"(?:скільки|сколько)\s+(?:(?:ще|всього|всего|ещё|еще|саме|именно)\s+)?(\w{3,})", _I),
    # "хто"/"кто" a person; "кого"/"кому" ask as often for a country or a body ("кого попросили допомогти": Turkey)
    person=re.compile(_W + r"(?:хто|кто)\b|" + _WHICH + r"\s+(?:[\w'’ʼ-]+\s+){0,2}?" + _PEOPLE, _I),
    percent=re.compile(_W + r"(?:який|яка|яку|якою|какой|какая|какую|какова|каков) (?:\w+ ){0,2}?"
                       r"(?:відсот\w*|частк[аиу]|процент\w*|дол[юяи])\b", _I),
)

# In a Ukrainian or Russian sentence: what offers each kind.
_MONTHS = _words("січ", "лют", "берез", "квіт", "трав", "черв", "лип", "серп", "верес", "жовт", "листопад", "груд",
                 "январ", "феврал", "март", "апрел", "ма[йяе]", "июн", "июл", "август", "сентябр", "октябр", "ноябр",
                 "декабр")
_DAYS = _words("понеділ", "вівтор", "серед[уаи]", "середа", "четвер", "п[’'ʼ]?ятниц", "субот", "неділ", "понедельник",
               "вторник", "сред[ауы]", "пятниц", "суббот", "воскресень")
DATE = re.compile(r"\b\d{1,2}(?:-?(?:го|е|а))?\s+" + _MONTHS + r"|" + _W + _MONTHS + r"(?=\s+(?:1[89]|20)\d\d)|" + _W
                  + _DAYS + r"|" + _W + r"(?:сьогодні|вчора|учора|завтра|сегодня|вчера|позавчора|позавчера|нині|"
                  r"ныне)\b|" + _W + r"(?:цього|минулого|наступного|этого|прошлого|следующего|на цьому|на этой|"
                  r"на прошлой|на минулому|на следующей|на наступному) (?:тижня|тижні|року|місяця|недел[еи]|года|"
                  r"месяца)\b|\b(?:1[89]|20)\d\d\b", _I)
REASON = re.compile(_W + r"(?:через|тому що|тому, що|бо|оскільки|адже|внаслідок|унаслідок|у зв[’'ʼ]язку|завдяки|"
                    r"причин\w*|спричин\w*|призвел\w*|призвів|призвело|змусил\w*|щоб|аби|після|на тлі|з огляду на|"
                    r"из-за|потому что|так как|поскольку|вследствие|в связи|благодаря|вызван\w*|привел\w*|привело|"
                    r"заставил\w*|чтобы|после|на фоне|ввиду|в результаті|в результате)\b", _I)
MONEY = re.compile(r"[$€£₴₽]\s?\d|\d[\d.,\s]{0,32}\s?(?:(?:млн|млрд|тис|тыс|трлн)\.?\s|(?:мільйон|мільярд|миллион|"
                   r"миллиард|тисяч|тысяч)\w*\s)?(?:гривень|гривні|гривн\w*|грн|доларів|долар\w*|доллар\w*|дол\.|євро|"
                   r"евро|рубл\w*|руб\.|фунт\w*|юан\w*)", _I)
_CAP = r"[А-ЯЁІЇЄҐ][а-яёіїєґ'’ʼ-]+"
PLACE = re.compile(_W + r"(?:в|у|на|із|з|до|біля|під|поблизу|поруч із|через|из|с|около|возле|под|вблизи|від|"
                   r"от)\s+(" + _CAP + ")")
PERSON = re.compile(r"(?<![\w’'])(?=(" + _CAP + r")\s+(" + _CAP + r")\b)|" + _W + r"(?:сказа\w*|заяви\w*|повідоми\w*|"
                    r"сообщи\w*|зазначи\w*|отмети\w*|каже|говорит|пише|пишет|підкреслив|подчеркнул|визнав|признал)\s+("
                    + _CAP + ")")
NAME = re.compile(r"(?<=[\s«“\"‘'(])[А-ЯЁІЇЄҐ][\w’'&.-]*")
# Capitalised Cyrillic words that name no one: the start of a clause, months (capitalised in dates), titles.
_NOT_PERSON = frozenset("у в на з із до за про як але і й та що це у цей ця він вона вони мы ми они он она "
                        "президент міністр министр прем'єр-міністр премьер-министр речник посол генерал".split())


def _stem(word: str) -> str:
    """A word's first letters, enough to match its inflected forms ("Тартус" and "Тартусі")."""
    return word.casefold()[:max(4, len(word) - 3)]


def offers(kind, sentence: str, question_words: frozenset[str]) -> bool:
    """Whether the Ukrainian or Russian `sentence` holds something of `kind` (an `AnswerType`) that the question
    (its words `question_words`, casefolded) does not already say."""
    asked = {_stem(w) for w in question_words}
    if kind.year:
        return any(y not in question_words for y in re.findall(r"\b(?:1[5-9]|20)\d\d\b", sentence))
    if kind.reason:
        return bool(REASON.search(sentence))
    if kind.date:
        return any(not {_stem(w) for w in m.group(0).split()} <= asked for m in DATE.finditer(sentence))
    if kind.money:
        return any(m.group(0).casefold().strip() not in question_words for m in MONEY.finditer(sentence))
    if kind.number:
        return any(t not in question_words for t in re.findall(r"\d[\d.,]*", sentence))
    if kind.place:
        return any(_stem(m.group(1)) not in asked for m in PLACE.finditer(sentence))
    if kind.person:
        return any(not any(w.casefold() in _NOT_PERSON or _stem(w) in asked for w in m.groups() if w)
                   for m in PERSON.finditer(sentence))
    if kind.name:
        return any(_stem(w.strip(".")) not in asked for w in (m.group(0) for m in NAME.finditer(sentence)))
    return False
