"""How close a question about nothing in the corpus gets to its passages: the floor similarity is read above.

The best passage's similarity to a question grows with the corpus: among 80,000 news passages a question about
baking finds one at 0.4 or more, among thirty at 0.1. The answer decision reads a question's best similarity
above this corpus's chance level — the mean best similarity of a fixed set of everyday questions no news desk's
corpus is about — so that the same signal means the same on a five-article folder and on a large archive.
"""

from __future__ import annotations


import numpy as np

from index.store.vectorstore import VectorStore
from index.text.words import CYRILLIC

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


def probes_for(question: str) -> tuple[str, tuple[str, ...]]:
    """The probe set a question's chance level is measured with, and its name ("" for the English one)."""
    return ("cyrillic", PROBES_CYRILLIC) if CYRILLIC.search(question) else ("", PROBES)


def chance_similarity(vectors: VectorStore, probe_vectors: np.ndarray) -> float:
    """The mean best cosine similarity of the probe questions (encoded as `probe_vectors`) to any passage."""
    if not len(probe_vectors) or not vectors.size:
        return 0.0
    best = []
    for vec in probe_vectors:
        _, scores = vectors.search(vec, 1)
        best.append(float(scores[0]) if len(scores) else 0.0)
    return float(np.mean(best))
