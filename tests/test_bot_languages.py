"""The bot speaks the asker's language over the wire (issue 29): a slash command follows the member's Discord
locale, team channels and scheduled digests the LANGUAGE setting; command descriptions are synced in uk and ru."""

from __future__ import annotations

import dataclasses

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import running_bot

pytestmark = pytest.mark.timeout(60)

PIER = "when will the northern pier close?"


async def test_commands_are_synced_with_ukrainian_and_russian_descriptions(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        pass

    [sync] = fake.sent("PUT", rf"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands")
    ask = next(c for c in sync.json if c["name"] == "ask")
    assert ask["description_localizations"] == {
        "uk": "Поставте запитання: відповідь цитує новини з датами та джерелами.",
        "ru": "Задайте вопрос: ответ цитирует новости с датами и источниками."}
    question = next(o for o in ask["options"] if o["name"] == "question")
    assert question["description_localizations"]["uk"].startswith("Що ви хочете дізнатися")
    assert not ask.get("name_localizations")  # /ask is /ask in every language
    plain = [c["name"] for c in sync.json if c.get("description_localizations", {}).keys() != {"uk", "ru"}]
    assert plain == []  # every command


async def test_a_ukrainian_member_is_told_in_ukrainian_that_the_corpus_has_nothing(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        reply = await (await fake.slash("ask", question="what is the recipe for banana bread?", locale="uk")).reply()

    [embed] = reply["embeds"]
    assert embed["description"].startswith("**Немає в корпусі.** Ніщо в ньому не відповідає на це запитання")
    assert "Корпус ніде не згадує “recipe”, “banana”, “bread”" in embed["description"]
    assert embed["footer"]["text"].startswith("Спробуйте /search")


async def test_a_russian_member_gets_the_answer_in_russian_words_around_english_quotes(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        reply = await (await fake.slash("ask", question=PIER, locale="ru")).reply()
        english = await (await fake.slash("ask", question=PIER)).reply()

    [embed], [same] = reply["embeds"], english["embeds"]
    assert embed["footer"]["text"].startswith("Дословные цитаты из корпуса · поиск до ")  # "when will": until today
    assert embed["footer"]["text"].endswith(" · это было полезно?")
    assert [f["value"] for f in embed["fields"]] == [f["value"] for f in same["fields"]]  # quotes as written
    assert same["footer"]["text"].startswith("Quoted verbatim from the corpus · searched until ")


async def test_help_follows_the_locale(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        russian = await (await fake.slash("help", locale="ru")).reply()
        english = await (await fake.slash("help", locale="en-GB")).reply()

    assert russian["embeds"][0]["title"] == "Справка newsdesk"
    assert english["embeds"][0]["title"] == "newsdesk help"


async def test_a_team_channel_answers_in_the_language_setting(fake, bot_settings, bot_engine):
    settings = dataclasses.replace(bot_settings, language="uk")
    async with running_bot(fake, settings, bot_engine):
        await fake.say(PIER, channel_id=fake.questions_id)
        [thread] = await fake.wait_for(lambda: list(fake.threads.values()), 10, "a thread")
        [answer] = await fake.wait_for(lambda: fake.posts_in(int(thread["id"])), 10, "the answer in the thread")

    footer = answer["embeds"][0]["footer"]["text"]
    assert footer.startswith("Дослівні цитати з корпусу · пошук до ") and footer.endswith(" · чи це було корисно?")
