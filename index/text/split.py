"""Sentences of a paragraph: blingfire's split, joined again after abbreviations and inside «quotes»."""

from __future__ import annotations

import re


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Absolute (start, end) of each sentence of text[start:end] (one paragraph)."""
    import blingfire

    para = text[start:end]
    if not para.strip():
        return []
    _, offsets = blingfire.text_to_sentences_and_offsets(para)
    spans: list[tuple[int, int]] = []
    open_quotes = 0  # «…» opened and not yet closed in the last span (Ukrainian and Russian quotes)
    for a, b in offsets:
        if not para[a:b].strip():
            continue
        inside = open_quotes > 0 and b - (spans[-1][0] - start if spans else 0) <= MAX_QUOTE_CHARS
        if spans and (_after_abbreviation(para, a) or para[a:b].lstrip()[:1].islower() or inside):
            spans[-1] = (spans[-1][0], start + b)  # "Roe v. | Wade", "St. | Brigid's", "«Ми вийшли. | Ми…»"
            open_quotes += para.count("«", a, b) - para.count("»", a, b)
        else:
            spans.append((start + a, start + b))
            open_quotes = para.count("«", a, b) - para.count("»", a, b)
    return spans or [(start, end)]


MAX_QUOTE_CHARS = 1000  # a «quote» holds its sentences together up to this long (an unclosed « is not a sentence)


# Abbreviations that do not end a sentence, though a capitalised word follows them.
_ABBREVIATIONS = ("v vs St Ste Mt Ft Dr Mr Mrs Ms Prof Gov Sen Rep Lt Col Gen Sgt Capt Cmdr Adm Rev Hon Jr Sr No Nos "
                  "Inc Co Corp Ltd Bros Ave Blvd Rd approx est Jan Feb Aug Sept Oct Nov Dec").split()
# Ukrainian and Russian ones (titles, streets, towns, months), lower case and capitalised
_CYRILLIC = ("ген генерал-лейт проф акад доц ім им св вул ул просп пл пров м с смт обл р-н див т.зв т.е т.д т.п "
             "січ лют бер квіт трав черв лип серп вер верес жовт лист груд "
             "янв февр мар апр авг сент окт нояб дек").split()
_ABBREVIATIONS += _CYRILLIC + [w[:1].upper() + w[1:] for w in _CYRILLIC]
_ABBREVIATION = re.compile(r"(?:^|[\s(“\"«])(?:%s)\.$" % "|".join(map(re.escape, _ABBREVIATIONS)))
_ABBREVIATION_SPAN = max(map(len, _ABBREVIATIONS)) + 2  # the character before it and its full stop


def _after_abbreviation(para: str, at: int) -> bool:
    """Whether the text before `at`, its spaces dropped, ends with an abbreviation ("Roe v.", "St."). Only its last
    few characters are read: searching all the text before each sentence took quadratic time in a paragraph of
    many sentences (200,000 characters of "A. ")."""
    end = at
    while end and para[end - 1].isspace():
        end -= 1
    return _ABBREVIATION.search(para, max(0, end - _ABBREVIATION_SPAN), end) is not None
