"""The bot's own words in English, Ukrainian and Russian (issue 29): chosen by the Discord locale or LANGUAGE,
around quotes that stay as written and name their language when it is not the question's."""

from __future__ import annotations

import re
import string
from datetime import date

import discord
import pytest
from discord import app_commands

from bot.render import answer_embed, help_embed, search_embed, thread_name
from bot.render_digest import digest_embeds
from bot.words import COMMANDS, EN, ENGLISH_ONLY, RU, UK, WORDS, Translator, missing, words
from index.errors import BadSetting, DatesReversed
from newsdesk.settings import Settings
from index.types import Answer, Digest, Hit, Quote
from sources.links import Added

SHIPS_EN = "In particular, on December 8, the frigate \"Admiral Hryhorovych\" and the frigate \"Admiral Essen\" left."
SHIPS_UK = "Зокрема, 8 грудня фрегат «Адмірал Григорович» покинув порт Тартус разом з іншими кораблями."


def quote(text: str, language: str | None = None) -> Quote:
    return Quote(text=text, doc_id="d", title="Ships leave Tartus", date="2024-12-09", source="Desk", url="",
                 attribution="", score=0.9, language=language)


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def test_every_message_is_written_in_every_language_with_the_same_placeholders() -> None:
    """...except the English-only ones (a connection error, a parser's reason), which a translation may leave out."""
    assert missing() == []
    for name, english in vars(EN).items():
        if isinstance(english, str):
            for other in (UK, RU):
                said = placeholders(getattr(other, name))
                assert said <= placeholders(english) and said | ENGLISH_ONLY >= placeholders(english), (other.code, name)


@pytest.mark.parametrize("why, facts", [
    ("http_status", {"status": 503, "detail": "Service Unavailable"}),
    ("fetch_failed", {"detail": "ConnectionResetError: [Errno 104] Connection reset by peer"}),
    ("not_an_article", {"detail": "its text is larger than MAX_DOCUMENT_MB=2 MB"}),
])
def test_why_a_link_was_not_added_is_told_without_english_words(why, facts) -> None:
    refused = Added("https://harbour.example/story", "refused", reason="in English", why=why, facts=facts)
    english = EN.refusal(refused)
    assert facts["detail"] in english
    for said in (UK.refusal(refused), RU.refusal(refused)):
        assert not re.search(r"[A-Za-z]{3,}", said.replace("HTTP", "")), said


def test_a_thread_is_titled_in_the_channels_language_when_the_question_gives_it_no_title() -> None:
    assert thread_name("  \n ", UK) == "Запитання" and thread_name("", RU) == "Вопрос" and thread_name(" ") == "Question"
    assert thread_name("  which ships\nleft Tartus? ", UK) == "which ships left Tartus?"


def test_words_follow_a_discord_locale_or_a_language_setting() -> None:
    assert words(discord.Locale.ukrainian) is UK and words("ru") is RU
    assert words(discord.Locale.american_english) is EN and words("en-GB") is EN
    assert words(discord.Locale.french) is EN and words(None) is EN  # a language the bot does not speak


def test_not_in_the_corpus_in_ukrainian_names_the_missing_words_as_asked() -> None:
    answer = Answer(question="Скільки коштує хліб?", decision="not_found", missing=["хліб"],
                    since="2024-12-01")

    embed = answer_embed(answer, UK)

    assert embed.description == ("**Немає в корпусі.** Ніщо в ньому не відповідає на це запитання (пошук від "
                                 "2024-12-01).\nКорпус ніде не згадує “хліб”.")
    assert embed.footer.text.startswith("Спробуйте /search")


def test_closest_passages_are_offered_under_a_russian_hedge() -> None:
    answer = Answer(question="Какие корабли покинули Тартус?", decision="unsure",
                    shown=[quote(SHIPS_EN, "en")], language="ru")

    embed = answer_embed(answer, RU)

    assert embed.description.startswith("**Ближайшие фрагменты** — возможно, они не отвечают")
    assert embed.fields[0].value.endswith("· на английском")  # the quote as written, its language named
    assert SHIPS_EN.split(",")[0] in embed.fields[0].value


def test_a_quote_names_its_language_only_when_it_is_not_the_questions() -> None:
    answer = Answer(question="Які кораблі покинули Тартус?", decision="answer",
                    shown=[quote(SHIPS_UK, "uk"), quote(SHIPS_EN, "en")], language="uk")

    first, second = answer_embed(answer, UK).fields

    assert "Григорович" in first.value and not first.value.endswith("англійською")
    assert second.value.endswith("· англійською")
    english = answer_embed(Answer(question="Which ships left Tartus?", decision="answer",
                                  shown=[quote(SHIPS_EN, "en"), quote(SHIPS_UK, "uk")], language="en"))
    assert not english.fields[0].value.endswith("English") and english.fields[1].value.endswith("· in Ukrainian")
    assert english.footer.text == "Quoted verbatim from the corpus · was this useful?"


def test_a_quotes_language_is_its_documents_as_stored_not_detected_when_rendered() -> None:
    # a Ukrainian document quoted where its sentence is an English name: the stored language is what is shown
    answer = Answer(question="Which ships left Tartus?", decision="answer", language="en",
                    shown=[quote("Admiral Hryhorovych and Admiral Essen.", "uk"), quote(SHIPS_EN)])

    first, second = answer_embed(answer).fields

    assert first.value.endswith("· in Ukrainian")
    assert not second.value.endswith("English") and "· in" not in second.value.splitlines()[-1]  # unknown: unnamed


def test_search_help_and_digest_headings_in_each_language() -> None:
    hits = [Hit(chunk_id=1, doc_id="d", score=1.0, text=SHIPS_EN, start=0, end=10, title="T", date=None, source="",
                url="", language="en")]
    page = search_embed("кораблі", hits, page=0, per_page=3, words=UK, asked_in="uk")
    assert page.footer.text == "Сторінка 1/1 · уривків: 1" and page.fields[0].value.endswith("· англійською")
    assert help_embed(RU).title == "Справка newsdesk"
    [empty] = digest_embeds(Digest(since="2024-12-01", until="2024-12-09", basis="dated"), words=UK)
    assert empty.title == "Дайджест новин"
    assert empty.description == "Нічого нового: немає документів, датованих з 2024-12-01 по 2024-12-09."


@pytest.mark.parametrize("locale, code", [(discord.Locale.ukrainian, "uk"), (discord.Locale.russian, "ru")])
async def test_command_descriptions_are_translated_and_names_kept(locale, code) -> None:
    translator = Translator()
    ask = app_commands.locale_str("Ask a question: the answer quotes the news, with dates and sources.")
    described = app_commands.TranslationContext(app_commands.TranslationContextLocation.command_description, None)
    named = app_commands.TranslationContext(app_commands.TranslationContextLocation.command_name, None)

    assert await translator.translate(ask, locale, described) == COMMANDS[ask.message][code]
    assert await translator.translate(app_commands.locale_str("ask"), locale, named) is None
    assert await translator.translate(ask, discord.Locale.german, described) is None


def test_language_setting_accepts_the_three_and_refuses_others_in_one_line() -> None:
    assert Settings.from_env({"LANGUAGE": "UK"}, dotenv=None).language == "uk"
    assert Settings.from_env({}, dotenv=None).language == "en"
    with pytest.raises(BadSetting) as refused:
        Settings.from_env({"LANGUAGE": "de"}, dotenv=None)
    assert str(refused.value).startswith("LANGUAGE='de': should be 'en', 'uk' or 'ru'") and "\n" not in str(refused.value)



def test_every_translated_description_fits_discords_100_characters() -> None:
    too_long = [t for translated in COMMANDS.values() for t in translated.values() if len(t) > 100]
    assert too_long == [] and all(set(t) == {"uk", "ru"} for t in COMMANDS.values())


async def test_languages_an_older_index_did_not_keep_are_detected_off_the_event_loop() -> None:
    import asyncio
    import threading

    from bot.answers import with_languages

    ran_in: list[threading.Thread] = []

    class Bot:  # the bot's worker pool, as NewsdeskBase.in_thread runs it
        async def in_thread(self, fn, *args):
            def run():
                ran_in.append(threading.current_thread())
                return fn(*args)
            return await asyncio.to_thread(run)

    older = Answer(question="Які кораблі покинули Тартус?", decision="answer", shown=[quote(SHIPS_EN)])

    filled = await with_languages(Bot(), older)

    assert filled.language == "uk" and filled.shown[0].language == "en"
    assert ran_in and threading.main_thread() not in ran_in
    ran_in.clear()
    assert await with_languages(Bot(), filled) is filled and ran_in == []  # all stored: no detection at all


def test_errors_of_the_server_are_told_in_ukrainian_and_russian_with_what_they_name() -> None:
    from index.errors import BadText, IndexDamaged, IndexIncompatible, ModelUnavailable, ReplicaRefuses
    from index.text.unicode import checked
    from newsdesk.lease import Holder, WriterLeaseHeld

    with pytest.raises(BadText) as surrogate:
        checked("які кораблі \ud800", "the question")
    incompatible = IndexIncompatible("all-MiniLM-L6-v2", "multilingual-e5-small")
    held = WriterLeaseHeld("/reindex refused: …", Holder("desk-2", 41, "/srv/index", 0.0, 3.0), 90.0, "/reindex")

    assert UK.error(surrogate.value) == ("Запитання містить символ, що не є текстом Unicode (символ 13): надішліть ще "
                                         "раз без нього.")
    assert RU.error(incompatible) == ("Индекс построен моделью 'all-MiniLM-L6-v2', а настроенная EMBEDDING_MODEL — "
                                      "'multilingual-e5-small': администратор должен перестроить его командой "
                                      "`newsdesk ingest`.")
    assert EN.error(incompatible) == str(incompatible)  # English as the CLI says it
    assert UK.error(held) == ("/reindex: зараз не можна — індекс змінює інший процес (desk-2 (pid 41, INDEX_DIR "
                              "/srv/index)). Спробуйте пізніше; якщо того процесу вже немає, індекс звільниться через "
                              "90 с після його останнього сигналу (WRITER_LEASE_SECONDS).")
    assert UK.error(IndexDamaged("The index version v7 is damaged (…)")).startswith("Індекс пошкоджено")
    assert RU.error(ModelUnavailable("cannot load embedding model")).startswith("Модель поиска на сервере")
    assert UK.error(ReplicaRefuses("ROLE=replica: …")).startswith("Цей процес бота лише відповідає")
    assert UK.error(BadSetting("INDEX_DIR='/srv/index' is not writable")) == (
        "Помилка на боці сервера (подробиці англійською): INDEX_DIR='/srv/index' is not writable")
    swapped = DatesReversed(date(2024, 12, 31), date(2024, 12, 1))
    assert EN.error(swapped) == str(swapped)
    assert RU.error(swapped).startswith("Дата «с» 2024-12-31 позже даты «по» 2024-12-01")
    assert UK.error(ValueError("a bug")) is None  # not an error meant for anyone: the apology, and a traceback logged


def test_the_question_report_is_in_the_admins_language() -> None:
    from bot.questionlog import Gap, QuestionReport
    from bot.render_report import report_embed

    report = QuestionReport(since=None, until="2024-12-11T00:00:00+00:00", asked=4,
                            decisions={"answer": 3, "not_found": 1},
                            gaps=[Gap("Скільки коштує хліб?", 1, "2024-12-10T00:00:00+00:00", "not_found")])

    embed = report_embed(report, days=7, words=UK)

    assert embed.title == "Поставлені запитання — за останні 7 дн."
    assert embed.description == "Запитань: **4** · з відповіддю **75%** · непевних 0% · не знайдено 25%"
    assert embed.fields[0].name == "Найчастіші запитання без відповіді (прогалини корпусу)"
    assert embed.fields[0].value == "1× Скільки коштує хліб? (не знайдено)"


def test_a_link_pasted_at_length_is_refused_in_each_language_with_its_length() -> None:
    refused = Added("https://example.org/aaa…", "refused", reason="too long", why="too_long",
                    facts={"length": 100_020, "limit": 2048})
    assert EN.refusal(refused) == "too long: a link of 100,020 characters (at most 2,048)"
    assert UK.refusal(refused) == "задовге посилання: 100020 символів (щонайбільше 2048)"
    assert RU.refusal(refused) == "слишком длинная ссылка: 100020 символов (не больше 2048)"
