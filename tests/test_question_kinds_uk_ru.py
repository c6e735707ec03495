"""What a Ukrainian or Russian question asks for, and whether a sentence in any of the desk's languages offers it
(issue 29): "скільки"/"сколько" a number, "коли"/"когда" a date, "хто"/"кто" a person, "де"/"где" a place,
"чому"/"почему" a cause, "яка сума"/"какая сумма" a sum of money."""

from __future__ import annotations

import pytest

from index.answer.quote import AnswerType


@pytest.mark.parametrize("question, kind", [
    ("Скільки жителів Нарви залишилися без опалення?", "count"),
    ("Сколько жителей Нарвы остались без отопления?", "count"),
    ("Коли кораблі покинули Тартус?", "date"),
    ("Когда корабли покинули Тартус?", "date"),
    ("Хто заявив про відведення кораблів?", "person"),
    ("Кто заявил об отводе кораблей?", "person"),
    ("Який міністр це сказав?", "person"),
    ("Де стояли російські кораблі?", "place"),
    ("Где стояли российские корабли?", "place"),
    ("В якій країні розташована база?", "place"),
    ("Чому кораблі покинули порт?", "reason"),
    ("Почему корабли покинули порт?", "reason"),
    ("Яка сума компенсації?", "money"),
    ("Какая сумма выделена на ремонт?", "money"),
    ("Скільки коштує ремонт мосту?", "money"),
    ("В якому році збудовано порт?", "year"),
    ("Какого года постройки мост?", "year"),
    ("Які кораблі покинули Тартус?", "name"),
])
def test_a_ukrainian_or_russian_question_asks_for_its_kind(question, kind) -> None:
    asked = AnswerType.of(question)

    kinds = {k for k in ("count", "date", "person", "place", "reason", "money", "year", "name") if getattr(asked, k)}
    assert kind in kinds, kinds
    assert not kinds & {"date", "place", "reason"} - {kind}  # one kind of answer, not several


def test_the_counted_thing_matches_its_inflected_forms() -> None:
    asked = AnswerType.of("Скільки кораблів покинули Тартус?")

    assert asked.counted == "кораблів"
    assert asked.counts("Тартус покинули 2 кораблі.") and asked.counts("За добу з порту вийшли 3 великі кораблі.")
    assert not asked.counts("2 грудня Тартус покинули фрегати.")


@pytest.mark.parametrize("question, offering, not_offering", [
    ("Коли кораблі покинули Тартус?", "8 грудня фрегат вийшов з порту.", "Фрегат вийшов з порту."),
    ("Коли кораблі покинули Тартус?", "On December 8 the frigate left.", "The frigate left the port."),
    ("Когда корабли покинули Тартус?", "Это произошло в понедельник.", "Это произошло внезапно."),
    ("Хто заявив про відведення кораблів?", "Про це заявив Дмитро Пєсков.", "Про це заявили в Кремлі."),
    ("Кто заявил об отводе кораблей?", "Об этом сказал Песков.", "Об этом сообщили журналисты."),
    ("Де стояли російські кораблі?", "Кораблі стояли у Тартусі.", "Кораблі стояли довго."),
    ("Чому кораблі покинули порт?", "Кораблі пішли через загрозу ударів.", "Кораблі пішли вночі."),
    ("Почему корабли покинули порт?", "Корабли ушли из-за угрозы.", "Корабли ушли ночью."),
    ("Яка сума компенсації?", "Мешканцям виплатять 4000 гривень.", "Мешканцям виплатять компенсацію."),
    ("Какая сумма выделена на ремонт?", "На ремонт выделили 2 млн рублей.", "На ремонт выделили деньги."),
    ("Скільки жителів залишилися без опалення?", "Без опалення залишилися 4000 жителів.",
     "Без опалення залишилися жителі."),
])
def test_a_sentence_offers_the_kind_asked_in_ukrainian_or_russian(question, offering, not_offering) -> None:
    asked = AnswerType.of(question)

    assert asked.offered_by(offering)
    assert not asked.offered_by(not_offering)


def test_what_the_question_already_says_is_not_offered() -> None:
    asked = AnswerType.of("Що сталося в Тартусі 8 грудня? Коли саме?")

    assert not asked.offered_by("8 грудня кораблі покинули порт.")  # its date is the question's own
    assert asked.offered_by("10 грудня кораблі повернулися.")


def test_english_questions_read_as_before() -> None:
    asked = AnswerType.of("How many ships did Russia withdraw from Tartus on December 8?")

    assert asked.count and asked.counted == "ship"
    assert AnswerType.of("When did the ships leave?").date and AnswerType.of("Who said it?").person


def test_whom_asks_for_a_name_and_capacity_for_a_number() -> None:
    whom = AnswerType.of("Кого Москва попросила допомогти вивести війська із Сирії?")
    assert whom.name and not whom.person  # the answer is Turkey
    assert AnswerType.of("Яка потужність нового зернового термінала?").number
    assert AnswerType.of("Какова мощность нового терминала?").number
