"""How close a question about nothing in the corpus gets to its passages: the floor similarity is read above.

The best passage's similarity to a question grows with the corpus: among 80,000 news passages a question about
baking finds one at 0.4 or more, among thirty at 0.1. The answer decision reads a question's best similarity
above this corpus's chance level — the mean best similarity of a fixed set of everyday questions no news desk's
corpus is about — so that the same signal means the same on a five-article folder and on a large archive.
"""

from __future__ import annotations


from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from index.store.vectorstore import VectorStore
from index.text.words import CYRILLIC

if TYPE_CHECKING:
    from index.types import Filters

# Written for newsdesk: everyday questions far from any news desk's subject (none is an evaluation question).
PROBES = (
    "What is a good recipe for lemon drizzle cake?", "How do I patch a punctured bicycle inner tube?",
    "How many legs does a spider have?", "What does the len function return in Python?",
    "How do you say good morning in Japanese?", "At what temperature does water boil at sea level?",
    "Which planet is closest to the sun?", "How many hours a day do cats usually sleep?",
    "What is the difference between affect and effect?", "How do I get a red wine stain out of a carpet?",
    "What is 17 multiplied by 23?", "How many strings does a violin have?",
    "What is the easiest way to learn to juggle three balls?", "Why does the sky look blue?",
    "How do I sort an array of numbers in JavaScript?", "How does castling work in chess?",
    "How often should a cactus be watered?", "What is photosynthesis?",
    "How long should I knead bread dough?", "What rhymes with orange?",
)


# The same kind of questions in Ukrainian and Russian: a question in another language than the passages' sits lower
# against all of them (multilingual-e5-small: ~0.05), unrelated or not, so its chance level is measured in its own
# alphabet's languages — else every question asked across languages would read as below chance.
PROBES_CYRILLIC = (
    "Який рецепт лимонного кекса найкращий?", "Як заклеїти пробиту камеру велосипеда?",
    "Скільки ніг у павука?", "Що повертає функція len у Python?", "Як сказати «доброго ранку» японською?",
    "За якої температури кипить вода на рівні моря?", "Яка планета найближча до Сонця?",
    "Скільки годин на добу зазвичай сплять коти?", "Як вивести пляму від червоного вина з килима?",
    "Скільки струн у скрипки?",
    "Сколько нужно месить тесто для хлеба?", "Как часто поливать кактус?", "Что такое фотосинтез?",
    "Почему небо голубое?", "Как отсортировать массив чисел в JavaScript?", "Как делается рокировка в шахматах?",
    "Сколько будет 17 умножить на 23?", "Как научиться жонглировать тремя мячами?",
    "Чем отличается «одеть» от «надеть»?", "Сколько лап у паука?",
)


# The same twenty questions in Ukrainian and in Russian, in the same order (written for newsdesk): a question asked in
# one language of a passage written in another sits lower against it than an original would, related or not, and
# what that costs is measured with the same questions on both sides (`Scale`).
PROBES_UK = (
    "Який рецепт лимонного кекса найкращий?", "Як заклеїти пробиту камеру велосипеда?",
    "Скільки ніг у павука?", "Що повертає функція len у Python?",
    "Як сказати «доброго ранку» японською?", "За якої температури кипить вода на рівні моря?",
    "Яка планета найближча до Сонця?", "Скільки годин на добу зазвичай сплять коти?",
    "Чим відрізняються слова «ефект» і «афект»?", "Як вивести пляму від червоного вина з килима?",
    "Скільки буде 17 помножити на 23?", "Скільки струн у скрипки?",
    "Як найпростіше навчитися жонглювати трьома м'ячами?", "Чому небо блакитне?",
    "Як відсортувати масив чисел у JavaScript?", "Як робиться рокіровка в шахах?",
    "Як часто треба поливати кактус?", "Що таке фотосинтез?",
    "Скільки часу місити тісто для хліба?", "Що римується зі словом «помаранч»?",
)
PROBES_RU = (
    "Какой рецепт лимонного кекса самый лучший?", "Как заклеить пробитую камеру велосипеда?",
    "Сколько лап у паука?", "Что возвращает функция len в Python?",
    "Как сказать «доброе утро» по-японски?", "При какой температуре кипит вода на уровне моря?",
    "Какая планета ближе всего к Солнцу?", "Сколько часов в сутки обычно спят кошки?",
    "Чем отличается «одеть» от «надеть»?", "Как вывести пятно от красного вина с ковра?",
    "Сколько будет 17 умножить на 23?", "Сколько струн у скрипки?",
    "Как проще всего научиться жонглировать тремя мячами?", "Почему небо голубое?",
    "Как отсортировать массив чисел в JavaScript?", "Как делается рокировка в шахматах?",
    "Как часто поливать кактус?", "Что такое фотосинтез?",
    "Сколько нужно месить тесто для хлеба?", "Что рифмуется со словом «апельсин»?",
)
BY_LANGUAGE = {"en": PROBES, "uk": PROBES_UK, "ru": PROBES_RU}


def probes_for(question: str) -> tuple[str, tuple[str, ...]]:
    """The probe set a question's chance level is measured with, and its name ("" for the English one)."""
    return ("cyrillic", PROBES_CYRILLIC) if CYRILLIC.search(question) else ("", PROBES)


def chance_similarity(vectors: VectorStore, probe_vectors: np.ndarray, allowed: np.ndarray | None = None,
                      filters: Filters | None = None) -> float:
    """The mean best cosine similarity of the probe questions (encoded as `probe_vectors`) to any passage (of those
    `allowed`/`filters` pass, as `VectorStore.search` reads them)."""
    if not len(probe_vectors) or not vectors.size:
        return 0.0
    best = []
    for vec in probe_vectors:
        _, scores = vectors.search(vec, 1, allowed, filters)
        best.append(float(scores[0]) if len(scores) else 0.0)
    return float(np.mean(best))


def translated_similarity(queries: np.ndarray, passages: np.ndarray) -> float:
    """The mean cosine similarity of each probe question (`queries`, one language) to the same question written in
    another (`passages`, encoded as passages, same order): what a text and its translation score."""
    return float(np.mean(np.sum(queries * passages, axis=1))) if len(queries) else 0.0


@dataclass(frozen=True)
class Scale:
    """How a passage's cosine similarity to a question asked in another language reads on the scale of a question
    asked in the passage's own (multilingual encoders).

    A translation sits lower against everything than the original would, and not by a constant: for
    multilingual-e5-small unrelated text loses ~0.02-0.05 (`chance` against `same`), a text and its translation
    ~0.05-0.12 (`translated` against `original`). Both anchors are measured with the probe questions — the chance
    levels on this corpus's passages of that language, the translation levels on the probes themselves — and a
    similarity is read on the line through them: nothing is fitted on questions that have answers."""

    chance: float  # the probes in the question's language against this language's passages (index.answer.chance)
    same: float  # the probes in the passages' language against them
    translated: float  # a probe in the question's language against itself written in the passages' language
    original: float  # a probe against itself, both in the passages' language

    @property
    def slope(self) -> float:
        return (self.original - self.same) / max(self.translated - self.chance, 1e-6)

    def __call__(self, similarity: float) -> float:
        """`similarity` as a question in the passages' language would score it."""
        return self.same + (similarity - self.chance) * self.slope

    def above_chance(self, similarity: float) -> float:
        """`similarity` above chance, on the same scale (`self(similarity) - self.same`)."""
        return (similarity - self.chance) * self.slope
