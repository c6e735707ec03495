"""The bot speaks the asker's language over the wire (issue 29): a slash command follows the member's Discord
locale, team channels and scheduled digests the LANGUAGE setting; command descriptions are synced in uk and ru."""

from __future__ import annotations

import dataclasses
import logging
import socket

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import make_engine, running_bot
from fakediscord.server import is_ephemeral
from index.engine import Engine
from sources.links import LinkLog
from test_bot_digest import digest_command
from test_bot_links import LIGHTHOUSE, own, pages  # noqa: F401 - fixtures

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


async def test_a_ukrainian_members_mistakes_are_told_in_ukrainian(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        date = await (await fake.slash("ask", question=PIER, since="вчора", locale="uk")).reply()
        empty = await (await fake.slash("ask", question="   ", locale="uk")).reply()
        source = await (await fake.slash("ask", question=PIER, source="Нічна газета", locale="uk")).reply()
        english = await (await fake.slash("ask", question=PIER, since="yesterday")).reply()

    assert is_ephemeral(date) and date["content"] == "Незрозуміла дата «вчора»: потрібен формат РРРР-ММ-ДД."
    assert empty["content"] == "Запитання порожнє: запитайте щось, напр. «які кораблі покинули Тартус?»"
    assert source["content"].startswith("Немає джерела «Нічна газета»; відомі: ") and "Port Authority" in source["content"]
    assert english["content"] == "unparseable date 'yesterday' (expected YYYY-MM-DD)"


async def test_a_date_not_on_the_calendar_is_told_as_such_in_each_language(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        said = {locale: (await (await fake.slash("ask", question=PIER, since="2025-02-29", locale=locale)).reply())
                for locale in ("en-US", "uk", "ru")}
        month = await (await fake.slash("ask", question=PIER, until="2025-13-01", locale="uk")).reply()

    assert said["en-US"]["content"] == "no such date '2025-02-29': 2025-02 has 28 days"
    assert said["uk"]["content"] == "Немає такої дати «2025-02-29»: у місяці 2025-02 днів: 28."
    assert said["ru"]["content"] == "Нет такой даты «2025-02-29»: в месяце 2025-02 дней: 28."
    assert month["content"] == "Немає такої дати «2025-13-01»: місяці — від 01 до 12."
    assert all(is_ephemeral(reply) for reply in [*said.values(), month])


async def test_a_5000_character_search_is_refused_in_the_words_ask_uses_naming_the_limit(fake, bot_settings, bot_engine):
    asked = "why " * 1249 + "pie?"  # one question, 5,000 characters long
    async with running_bot(fake, bot_settings, bot_engine):
        said = {(command, locale): (await (await fake.slash(command, locale=locale, **{option: asked})).reply())
                for command, option in (("search", "query"), ("ask", "question")) for locale in ("en-US", "uk")}

    assert said["search", "en-US"]["content"] == said["ask", "en-US"]["content"] == (
        "The question is 5,000 characters long: ask it in under 500 characters (of a longer text, only its last "
        "sentence ending in '?' is asked).")
    assert said["search", "uk"]["content"] == said["ask", "uk"]["content"] == (
        "Запитання завдовжки 5000 символів: поставте його коротше за 500 символів (з довшого тексту береться лише "
        "останнє речення зі знаком «?»).")
    assert all(is_ephemeral(reply) for reply in said.values())


async def test_a_ukrainian_admin_subscribes_a_channel_to_the_digest_in_ukrainian(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        bad = await (await digest_command(fake, "subscribe", user=fake.admin, time="9am", timezone="Europe/Kyiv",
                                          locale="uk")).reply()
        zone = await (await digest_command(fake, "subscribe", user=fake.admin, time="09:00", timezone="Kyiv",
                                           locale="uk")).reply()
        ok = await (await digest_command(fake, "subscribe", user=fake.admin, time="09:00", timezone="Europe/Kyiv",
                                         days="пн-пт", locale="uk")).reply()
        gone = await (await digest_command(fake, "unsubscribe", user=fake.admin, locale="uk")).reply()
        again = await (await digest_command(fake, "unsubscribe", user=fake.admin, locale="uk")).reply()
        listed = await (await digest_command(fake, "list", user=fake.admin, locale="uk")).reply()

    assert bad["content"] == "«9am» — не час: вкажіть 24-годинний ГГ:ХХ, напр. 09:00 або 17:30"
    assert zone["content"].startswith("«Kyiv» — не часовий пояс")
    assert is_ephemeral(ok) and ok["content"].startswith("Цей канал отримуватиме дайджест о 09:00 Europe/Kyiv (пн-пт); "
                                                         "наступний — <t:")
    assert gone["content"] == "Цей канал більше не отримує дайджест."
    assert again["content"] == "Цей канал не підписаний на дайджест."
    assert listed["content"] == "Жоден канал тут не отримує дайджест: скористайтеся /digest subscribe."


async def test_a_ukrainian_admin_reindexes_in_ukrainian(fake, bot_settings, bot_corpus, tmp_path):
    own_engine = make_engine(tmp_path / "own-index", bot_corpus)
    settings = dataclasses.replace(bot_settings, index_dir=own_engine.settings.index_dir)
    async with running_bot(fake, settings, own_engine):
        reindex = await fake.slash("reindex", user=fake.admin, locale="uk")
        ack = await reindex.reply()
        done = await reindex.followup(timeout=30)

    assert is_ephemeral(ack) and ack["content"].startswith("Переіндексація у фоні")
    assert done["content"].startswith("Переіндексацію завершено за ") and "документів — 5" in done["content"]


async def test_a_ukrainian_editor_adds_a_link_and_a_member_is_told_to_ask_an_editor_in_ukrainian(fake, own, pages):
    settings, engine = own
    url = pages.url("/article/gull-lighthouse.html")
    async with running_bot(fake, settings, engine):
        refused = await (await fake.slash("add", user=fake.alice, url=url, locale="uk")).reply()
        added = await (await fake.slash("add", user=fake.editor, url=url, locale="uk")).reply(timeout=30)
        twice = await (await fake.slash("add", user=fake.editor, url=url, locale="uk")).reply(timeout=30)

    assert is_ephemeral(refused) and refused["content"].startswith("Додавати посилання до корпусу можуть лише редактори")
    assert added["content"] == (f"📥 Додано **{LIGHTHOUSE.title}** · 2025-02-11 · Harbour Gazette: тепер її можна "
                                f"знайти. <{url}>")
    assert twice["content"] == (f"Не додано <{url}>: вже є в корпусі як «{LIGHTHOUSE.title}» (Harbour Gazette · "
                                f"2025-02-11), {added_id(settings)}")


def added_id(settings) -> str:
    """The document id of the one link added (the links log keeps it)."""
    [doc_id] = {e["doc_id"] for e in LinkLog(settings.links_db).entries() if e["outcome"] == "added"}
    return doc_id


async def test_a_ukrainian_editor_is_told_in_ukrainian_why_a_link_was_not_added(fake, own, pages):
    settings, engine = own
    pages.html["login"] = "<html><head><title>Sign in</title></head><body><p>Sign in to read on.</p></body></html>"
    asked = {"not a link": "ftp://harbour.example/notice.txt", "internal": pages.url("/go/metadata"),
             "missing": pages.url("/article/no-such-story.html"), "a feed": pages.url("/rss.xml"),
             "no text": pages.url("/html/login"), "no server": f"http://127.0.0.1:{closed_port()}/story.html"}
    async with running_bot(fake, settings, engine):
        said = {why: (await (await fake.slash("add", user=fake.editor, url=url, locale="uk")).reply(timeout=30))["content"]
                for why, url in asked.items()}

    assert said["not a link"] == "Не додано ftp://harbour.example/notice.txt: це не посилання http(s)"
    assert said["internal"] == (f"Не додано <{asked['internal']}>: адресу відхилено: 169.254.169.254 — внутрішня "
                                "адреса (169.254.169.254)")
    assert said["missing"] == (f"Не додано <{asked['missing']}>: не вдалося завантажити: сервер відповів помилкою "
                               "HTTP 404")  # not the server's English "Not Found"
    assert said["no server"] == f"Не додано <{asked['no server']}>: не вдалося завантажити: з'єднання з сервером не вдалося"
    assert said["a feed"] == (f"Не додано <{asked['a feed']}>: це не стаття: за посиланням application/rss+xml, а не "
                              "вебсторінка")
    assert said["no text"].startswith(f"Не додано <{asked['no text']}>: це не стаття: на сторінці немає основного "
                                      "тексту (слів: ")
    entries = LinkLog(settings.links_db).entries()
    assert len(entries) == 6 and all(e["outcome"] == "refused" for e in entries)
    assert {e["reason"] for e in entries} >= {"not an http(s) link", "could not fetch it: HTTP Error 404: Not Found"}
    assert any("ConnectionRefusedError" in e["reason"] for e in entries)  # the log keeps the system's English words


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_a_russian_editor_is_told_in_russian_that_a_link_is_held_or_cannot_be_fetched(fake, own, pages):
    settings, engine = own
    url = pages.url("/article/gull-lighthouse.html")
    async with running_bot(fake, settings, engine):
        await (await fake.slash("add", user=fake.editor, url=url)).reply(timeout=30)
        twice = await (await fake.slash("add", user=fake.editor, url=url, locale="ru")).reply(timeout=30)
        missing = await (await fake.slash("add", user=fake.editor, url=pages.url("/article/gone.html"),
                                          locale="ru")).reply(timeout=30)

    assert twice["content"] == (f"Не добавлено <{url}>: уже есть в корпусе как «{LIGHTHOUSE.title}» (Harbour Gazette · "
                                f"2025-02-11), {added_id(settings)}")
    assert missing["content"].endswith(": не удалось загрузить: сервер ответил ошибкой HTTP 404")


async def test_a_replica_refuses_a_ukrainian_editors_link_in_ukrainian(fake, own, pages, caplog):
    settings, engine = own
    caplog.set_level(logging.WARNING, logger="bot")
    async with running_bot(fake, dataclasses.replace(settings, role="replica"), engine):
        refused = await (await fake.slash("add", user=fake.editor, url=pages.url("/article/gull-lighthouse.html"),
                                          locale="uk")).reply()

    assert is_ephemeral(refused) and refused["content"].startswith("Цей процес бота лише відповідає на запитання "
                                                                   "(ROLE=replica): змінювати індекс")
    assert not pages.hits, "nothing fetched"
    assert any("ROLE=replica: this process answers" in r.getMessage() for r in caplog.records)  # the English line


@pytest.fixture
def no_index(bot_settings, tmp_path):
    """The bot on an index folder where nothing was ever ingested (an engine opened without requiring one)."""
    (tmp_path / "empty").mkdir()
    settings = dataclasses.replace(bot_settings, index_dir=tmp_path / "never-built", corpus_dir=tmp_path / "empty",
                                   corpus_watch_seconds=0)
    return settings, Engine.open(settings, require_index=False)


async def test_a_missing_index_is_told_in_the_members_language(fake, no_index):
    settings, engine = no_index
    async with running_bot(fake, settings, engine):
        uk = await (await fake.slash("ask", question=PIER, locale="uk")).reply()
        ru = await (await fake.slash("search", query="northern pier", locale="ru")).reply()
        en = await (await fake.slash("ask", question=PIER)).reply()

    assert is_ephemeral(uk) and uk["content"] == (f"Індексу ще немає ({settings.index_dir}): адміністратор має спершу "
                                                  "побудувати його командою `newsdesk ingest` (вона читає CORPUS_DIR).")
    assert ru["content"] == (f"Индекса ещё нет ({settings.index_dir}): администратор должен сначала построить его "
                             "командой `newsdesk ingest` (она читает CORPUS_DIR).")
    assert en["content"] == (f"No index at {settings.index_dir}: build one first with `newsdesk ingest` (it reads "
                             "CORPUS_DIR).")


async def test_a_ukrainian_member_is_refused_an_admin_command_in_ukrainian(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        uk = await (await fake.slash("reindex", locale="uk")).reply()
        en = await (await fake.slash("reindex")).reply()

    assert is_ephemeral(uk) and uk["content"] == ("Це можуть лише учасники з правом «Керувати сервером» (або зі списку "
                                                  "адміністраторів newsdesk).")
    assert en["content"] == "Only members with Manage Server (or on the newsdesk admin list) can do that."


def test_every_reason_a_link_is_refused_is_worded_in_each_language():
    from typing import get_args

    from bot.words import WORDS
    from sources.links import Added, Why

    facts = {"length": 3000, "limit": 10, "host": "h", "address": "10.0.0.1", "mb": 5, "status": 404,
             "detail": "d", "seconds": 20, "kind": "application/pdf", "page": "https://h/login", "words": 3,
             "title": "T", "held": "", "id": "links/x.md"}
    for code, said in WORDS.items():
        for why in get_args(Why):
            refused = Added("https://h/x", "refused", reason="(the English line)", why=why, facts=facts)
            assert said.refusal(refused) != "(the English line)", f"{code}: no words for {why}"
