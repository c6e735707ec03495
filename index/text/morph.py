"""Ukrainian and Russian words to the terms lexical search indexes: their dictionary forms, by pymorphy3.

Snowball has a Russian stemmer but no Ukrainian one; pymorphy3 lemmatises both from its dictionaries (and guesses
the dictionary form of words it does not know, names included: "Пєскова" → "пєсков"). A word is read as Ukrainian
or Russian by its letters (і ї є ґ are Ukrainian only; ы э ъ ё Russian only), else by which dictionary knows it;
a form both know ("кораблем", "порту") gives both lemmas, so that it meets every other form of either word.
Measured on this machine: ~36 µs a word in each dictionary before the cache, ~0.1 s to load both.
"""

from __future__ import annotations

from functools import cache, lru_cache

_UK_ONLY = frozenset("іїєґ")
_RU_ONLY = frozenset("ыэъё")
# Words that frame a question rather than name what it is about (index.store.lexical's QUESTION_WORDS), as lemmas
QUESTION_LEMMAS = frozenset("який какой котрий который тиждень неделя місяць месяц рік год новина новость останній "
                            "последний нещодавно недавно сказати сказать заявити заявить".split())
WORDS_KEPT = 200_000  # the cache of words already read: bounded, ~40 MB at most


@cache
def stopwords() -> frozenset[str]:
    """Ukrainian and Russian stop words (the `stop-words` package's lists)."""
    from stop_words import get_stop_words

    return frozenset(w for lang in ("uk", "ru") for w in get_stop_words(lang) if " " not in w)


class CyrillicTerms:
    """word (lower case, Cyrillic) → its terms: one dictionary form, or two when it is both languages' word."""

    def __init__(self) -> None:
        import logging

        import pymorphy3

        logging.getLogger("pymorphy3").setLevel(logging.WARNING)  # "Loading dictionaries from …" on every load
        self._uk = pymorphy3.MorphAnalyzer(lang="uk")
        self._ru = pymorphy3.MorphAnalyzer(lang="ru")
        self.terms = lru_cache(maxsize=WORDS_KEPT)(self._terms)

    def known(self, word: str) -> bool:
        """Whether `word` (lower case) is a Ukrainian or Russian dictionary's word, in any of its forms."""
        return self._uk.word_is_known(word) or self._ru.word_is_known(word)

    def _terms(self, word: str) -> tuple[str, ...]:
        letters = set(word)
        uk, ru = bool(letters & _UK_ONLY), bool(letters & _RU_ONLY)
        if uk == ru:  # neither (or, oddly, both): ask the dictionaries
            uk, ru = self._uk.word_is_known(word), self._ru.word_is_known(word)
            if uk == ru:
                uk = ru = True
        try:
            lemmas = ([self._uk.parse(word)[0].normal_form] if uk else []) + \
                     ([self._ru.parse(word)[0].normal_form] if ru else [])
        except ValueError:  # pymorphy3 asks unicodedata for every letter's name; some have none ("𗀀Є")
            return (word.replace("ё", "е"),)
        return tuple(dict.fromkeys(lemma.replace("ё", "е") for lemma in lemmas))


@cache
def cyrillic_terms() -> CyrillicTerms:
    """The process's one reader of Ukrainian and Russian words (its dictionaries are loaded once)."""
    return CyrillicTerms()
