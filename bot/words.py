"""The bot's own words in English, Ukrainian and Russian: hedges, "not in the corpus", headings, footers, errors,
and the descriptions of its commands and options (Discord shows those in each member's client language).

A typed table rather than gettext catalogs: three languages, about 130 short messages and no translators'
tooling to feed, so a frozen dataclass per language checks at import that no message is missing in any of them
(a `.po`/`.mo` pair would find a missing one only when shown) and keeps the named placeholders next to their
English. Quotes are never translated: they stay as written, with their language named when it differs from the
question's.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from index.errors import (BadDate, BadRequest, BadText, DatesReversed, EmptyQuestion, IndexDamaged, IndexIncompatible,
                          IndexMissing, ModelUnavailable, NewsdeskError, QuestionTooLong, ReplicaRefuses, UnknownSource)
from newsdesk.lease import WriterLeaseHeld

from .schedule import ScheduleError

if TYPE_CHECKING:
    from sources.links import Added

LANGUAGES = ("en", "uk", "ru")
# Placeholders whose text is English (the system's or a parser's words, a server's HTTP reason): Ukrainian and Russian
# messages say what happened in their own words and leave them out (server_error alone shows one, labelled English);
# the log keeps the English.
ENGLISH_ONLY = frozenset({"detail"})


@dataclass(frozen=True)
class Words:
    """Every sentence the bot writes itself, in one language; `{name}` placeholders are filled by the renderers."""

    code: str
    # answers
    answered_footer: str
    closest: str  # the lead-in of the closest passages offered under a hedge
    closest_footer: str
    not_found: str
    never_mentions: str
    not_found_footer: str
    useful: str
    searched_between: str
    searched_since: str
    searched_until: str
    outside_dates: str  # the quotes are all from outside the dates the question named
    undated: str
    untitled: str
    page: str
    agree: str
    differ: str
    newest: str
    read_as: str
    read_new_subject_within: str
    read_new_subject_everywhere: str
    read_own_subject: str
    respelled: str  # {pairs}: its misspelled names and mistyped words, each `respelled_pair`, as read
    respelled_pair: str
    written_in: str  # after a quote in another language than the question's
    language_names: dict[str, str]
    thread_title: str  # a question thread's title when the question leaves none (only markdown, say)
    # search and sources
    search_title: str
    no_passages: str
    search_footer: str
    corpus_title: str
    corpus_description: str
    sources_heading: str
    more_sources: str
    newest_documents: str
    unknown: str
    corpus_footer: str
    no_summary: str
    previous: str  # the search pages' buttons
    next: str
    help_title: str
    help_text: str
    # digests
    digest_heading: str
    scheduled_heading: str  # a scheduled digest's: `when` its local time, `tz` the timezone
    continued: str
    nothing_new: str
    digest_description: str
    digest_more: str
    verbatim: str
    period_dated: str
    period_added: str
    period_added_until: str
    articles: str
    also: str
    # digest schedules (/digest subscribe, unsubscribe, list)
    subscribed: str  # `plan` the schedule (HH:MM Area/City (weekdays)), `next` a Discord timestamp
    weekday_names: str  # Monday to Sunday, as a schedule shows them (space-separated)
    every_day: str  # a schedule on every weekday
    unsubscribed: str
    not_subscribed: str
    no_subscriptions: str
    # /reindex
    reindex_running: str
    reindexing: str
    reindex_done: str
    reindex_failed: str  # `error` the engine's reason (a user error, in these words when it has them)
    reindex_failed_logged: str
    # /add and 📥
    link_added: str
    link_not_added: str  # `reason` one of the link_* reasons below
    unknown_source_name: str
    ask_an_editor: str
    # why a link was not added (sources/links.py's `Added.why`, with its `facts`)
    link_not_a_link: str
    link_too_long: str
    link_unresolved: str
    link_internal_address: str
    link_too_big: str
    link_http_status: str  # `status` the HTTP status, `detail` the server's reason (English: EN only)
    link_timed_out: str
    link_redirects: str
    link_fetch_failed: str  # `detail` the connection's error, as the system words it (English: EN only)
    link_not_a_page: str
    link_sign_in: str
    link_no_main_text: str
    link_not_an_article: str  # `detail` why the page could not be read (English, from the parser: EN only)
    link_held: str
    link_held_in_batch: str
    link_too_many: str
    # votes, waiting questions, digest schedules listed
    vote_recorded: str
    vote_too_old: str
    too_many_waiting: str
    schedule_line: str  # /digest list: `channel`, `plan`, `next` (a Discord timestamp)
    # /report
    report_title: str
    report_last_days: str
    report_all_time: str
    report_nothing: str
    report_rates: str
    report_gaps: str
    report_disliked: str
    decisions: dict[str, str]  # the engine's decision names, as the report lists them
    # errors
    sorry: str
    too_fast: str
    not_here: str
    empty_question: str
    question_too_long: str
    bad_date: str
    no_such_day: str  # a date in YYYY-MM-DD past its month's end: `value` as written, `month` YYYY-MM, `days`
    no_such_month: str
    no_such_year: str
    dates_reversed: str  # `since` after `until`
    unknown_source: str
    more_known: str
    none_known: str
    bad_time: str
    bad_timezone: str
    bad_weekdays: str
    no_weekdays: str
    not_admin: str
    not_in_dms: str
    bad_text: str  # `what` one of `texts`, `at` the character it breaks at (a lone surrogate)
    texts: dict[str, str]  # the names the commands give their text options ("the question"), as `bad_text` says them
    # errors of the server, not of the member's asking: told in the member's words, their English line logged
    index_missing: str
    index_damaged: str
    index_incompatible: str
    model_unavailable: str
    replica: str
    lease_held: str  # `what` was refused, `holder` who holds the writer lease, `seconds` its term
    server_error: str  # any other error the engine or a setting raised: `detail` its English line

    def language(self, code: str) -> str:
        """How this language names the language `code` is written in ("uk" in English: "Ukrainian")."""
        return self.language_names.get(code, code)

    def error(self, error: BaseException) -> str | None:
        """A user error the engine (or the schedule parser) raised, in these words; None for one they do not word
        (its own English message is shown)."""
        if isinstance(error, EmptyQuestion):
            return self.empty_question
        if isinstance(error, QuestionTooLong):
            return self.question_too_long.format(length=error.length, limit=error.limit)
        if isinstance(error, BadDate):
            said = {"day": self.no_such_day, "month": self.no_such_month, "year": self.no_such_year}.get(error.kind)
            return (said or self.bad_date).format(value=error.value, month=error.value[:7], days=error.days)
        if isinstance(error, DatesReversed):
            return self.dates_reversed.format(since=error.since, until=error.until)
        if isinstance(error, UnknownSource):
            known = ", ".join(error.known[:12]) + (self.more_known.format(count=len(error.known) - 12)
                                                   if len(error.known) > 12 else "")
            return self.unknown_source.format(source=error.source, known=known or self.none_known)
        if isinstance(error, ScheduleError):
            said = {"time": self.bad_time, "timezone": self.bad_timezone, "weekdays": self.bad_weekdays,
                    "no weekdays": self.no_weekdays}.get(error.kind)
            return said.format(value=error.value) if said else None
        if isinstance(error, BadText):
            what = self.texts.get(error.what)
            return self.bad_text.format(what=what, at=error.at) if what and error.at else None
        if isinstance(error, WriterLeaseHeld) and error.holder:
            holder = error.holder
            return self.lease_held.format(what=error.what, holder=f"{holder.host} (pid {holder.pid}, INDEX_DIR "
                                          f"{holder.index_dir})", seconds=f"{error.seconds:g}")
        if isinstance(error, IndexMissing):
            return self.index_missing.format(path=error.path)
        if isinstance(error, IndexIncompatible):
            return self.index_incompatible.format(built=error.built, model=error.model)
        for kind, said in ((IndexDamaged, self.index_damaged), (ModelUnavailable, self.model_unavailable),
                           (ReplicaRefuses, self.replica)):
            if isinstance(error, kind):
                return said
        return self.server_error.format(detail=error) if server_side(error) else None

    def refusal(self, added: Added) -> str:
        """Why a link was not added, in these words (the English `reason` when its kind is not known)."""
        said = getattr(self, f"link_{added.why}", None) if added.why else None
        return said.format(**added.facts) if said else added.reason


EN = Words(
    code="en",
    answered_footer="Quoted verbatim from the corpus{window} · was this useful?",
    closest="**Closest passages** — they may not answer this directly{window}.",
    closest_footer="Quoted verbatim from the corpus · try /search for more · was this useful?",
    not_found="**Not in the corpus.** Nothing in it answers this question{window}.",
    never_mentions="The corpus never mentions {words}.",
    not_found_footer="Try /search with other words, or a wider date range · was this useful?",
    useful="was this useful?",
    searched_between="searched {since} to {until}",
    searched_since="searched since {since}",
    searched_until="searched until {until}",
    outside_dates=("Nothing dated {since} to {until}, the dates asked about, answers this: "
                   "the passages below are from outside them."),
    undated="undated",
    untitled="untitled",
    page="p. {page}",
    agree="✅ {count} reports agree ({subject})",
    differ="⚠️ Sources differ ({subject}), oldest first",
    newest="(newest)",
    read_as="Read as: {question} (pointing back to the conversation)",
    read_new_subject_within="Read as a new subject, answered from this conversation's documents",
    read_new_subject_everywhere="Read as a new subject; not in this conversation's documents, so searched everywhere",
    read_own_subject="Read on its own (it names its own subject)",
    respelled="Read {pairs}",
    respelled_pair="“{typed}” as “{read}”",
    written_in="in {language}",
    language_names={"en": "English", "uk": "Ukrainian", "ru": "Russian"},
    thread_title="Question",
    search_title="Search: {query}",
    no_passages="No passages found.",
    search_footer="Page {page}/{pages} · {count} passages",
    corpus_title="What the corpus holds",
    corpus_description="**{documents}** documents, **{chunks}** passages, dated {first} to {last}.",
    sources_heading="Sources",
    more_sources="… and {count} more",
    newest_documents="Newest documents",
    unknown="unknown",
    corpus_footer="Model {model} · index built {built}",
    no_summary="The corpus summary is unavailable right now.",
    previous="Previous",
    next="Next",
    help_title="newsdesk help",
    help_text=(
        "I answer questions about the news corpus by quoting the exact sentences, each with its date, "
        "source, title and who said it.\n\n"
        "**/ask** `question` `[since]` `[until]` `[source]`: an answer in quotes. Dates are YYYY-MM-DD.\n"
        "**/search** `query`: the best-matching passages, page by page.\n"
        "**/sources**: what the corpus holds.\n"
        "**Team channels**: ask a question in a Q&A channel (or mention me anywhere) and I reply in a thread.\n"
        "Vote 👍/👎 on answers: votes, like the questions asked, are kept to improve the bot.\n"
        "**/digest show** `[days]`: what is new, stories grouped, the most covered first.\n"
        "**/digest subscribe** `time` `timezone` `[days]` (admins): post the digest here on a schedule; "
        "**/digest unsubscribe**, **/digest list**.\n"
        "**/add** `url` `[note]` (editors): add a web page to the corpus; or react 📥 to a message with links.\n"
        "**/reindex** (admins): rebuild the index from the corpus; answers continue meanwhile.\n"
        "**/report** `[days]` (admins): questions asked here, the answered rate, the unanswered ones and 👎'd answers."
    ),
    digest_heading="News digest",
    scheduled_heading="{heading} · {when:%a %d %b %Y, %H:%M} {tz}",
    continued="{heading} (continued)",
    nothing_new="Nothing new: no documents {period}.",
    digest_description="**{stories}** stories from **{articles}** articles {period}; the most covered first.",
    digest_more="Quoted verbatim from the corpus · {count} more stories not shown",
    verbatim="Quoted verbatim from the corpus",
    period_dated="dated {since} to {until}",
    period_added="added between {since} and {until}",
    period_added_until="added until {until}",
    articles=" · {count} articles",
    also="Also: {sources}",
    subscribed="This channel gets the digest at {plan}; the next one {next}.",
    weekday_names="mon tue wed thu fri sat sun",
    every_day="daily",
    unsubscribed="This channel no longer gets the digest.",
    not_subscribed="This channel has no digest subscription.",
    no_subscriptions="No channel here gets the digest: use /digest subscribe.",
    reindex_running="A reindex is already running.",
    reindexing="Reindexing in the background; answers come from the current index until the new one is ready.",
    reindex_done="Reindex done in {seconds:.1f}s: {documents} documents, {chunks} passages ({added} added, "
                 "{updated} updated, {removed} removed, {skipped} skipped).",
    reindex_failed="Reindex failed: {error}",
    reindex_failed_logged="Reindex failed; the error has been logged.",
    link_added="📥 Added **{title}** · {date} · {source}: now searchable. {link}",
    link_not_added="Not added {link}: {reason}",
    unknown_source_name="unknown source",
    ask_an_editor="Only editors can add links to the corpus: ask someone with an editor role (or an admin) to add it, "
                  "with /add or a 📥 reaction on the message.",
    link_not_a_link="not an http(s) link",
    link_too_long="too long: a link of {length:,} characters (at most {limit:,})",
    link_unresolved="refused address: {host} does not resolve",
    link_internal_address="refused address: {host} is an internal address ({address})",
    link_too_big="too big: the page is larger than {mb} MB",
    link_http_status="could not fetch it: HTTP Error {status}: {detail}",
    link_timed_out="could not fetch it: no complete answer within {seconds:g} s",
    link_redirects="could not fetch it: more than {limit} redirects",
    link_fetch_failed="could not fetch it: {detail}",
    link_not_a_page="not an article: it is {kind}, not a web page",
    link_sign_in="not an article: it leads to a sign-in page ({page})",
    link_no_main_text="not an article: no main text on the page ({words} words)",
    link_not_an_article="not an article: {detail}",
    link_held="already held as “{title}”{held}, {id}",
    link_held_in_batch="the same page as another link just added, {id}",
    link_too_many="more than {limit} links at once; add it on its own",
    vote_recorded="Thanks, your {emoji} is recorded.",
    vote_too_old="That answer is too old to vote on.",
    too_many_waiting="{count} of your questions are still waiting for their answers: ask this one again once they "
                     "are answered.",
    schedule_line="{channel}: {plan}, next {next}",
    report_title="Questions asked — {period}",
    report_last_days="last {days} days",
    report_all_time="all time",
    report_nothing="No questions were asked in this period.",
    report_rates="**{asked}** asked · answered **{answer}** · unsure {unsure} · not found {not_found}",
    report_gaps="Most-asked unanswered (the corpus's gaps)",
    report_disliked="Answers voted 👎",
    decisions={"answer": "answer", "unsure": "unsure", "not_found": "not found"},
    sorry="Something went wrong on my side; it has been logged.",
    too_fast="You're asking faster than {rate} a minute: please try again in {seconds} s.",
    not_here="You can't use this command here.",
    empty_question="The question is empty: ask something, e.g. \"which ships left Tartus?\"",
    question_too_long="The question is {length:,} characters long: ask it in under {limit} characters (of a longer "
                      "text, only its last sentence ending in '?' is asked).",
    bad_date="unparseable date {value!r} (expected YYYY-MM-DD)",
    no_such_day="no such date {value!r}: {month} has {days} days",
    no_such_month="no such date {value!r}: months run from 01 to 12",
    no_such_year="no such date {value!r}: years run from 0001 to 9999",
    dates_reversed="since {since} is after until {until}: no date is in that range (swap them?)",
    unknown_source="No source named {source!r}; known: {known}",
    more_known=" and {count} more (/sources)",
    none_known="none (the documents have no source)",
    bad_time="{value!r} is not a time: use 24-hour HH:MM, e.g. 09:00 or 17:30",
    bad_timezone="{value!r} is not a timezone: use Area/City, e.g. Europe/Paris or America/New_York",
    bad_weekdays="{value!r} is not a list of weekdays: use e.g. mon-fri, mon,wed,fri or daily",
    no_weekdays="no weekdays given: use e.g. mon-fri or daily",
    not_admin="Only members with Manage Server (or on the newsdesk admin list) can do that.",
    not_in_dms="This command cannot be used in private messages.",
    bad_text="{what} is not Unicode text: a lone surrogate at character {at}",
    texts={t: t for t in ("the question", "the source", "the query", "the link", "the note", "the message", "the time",
                          "the timezone", "the weekdays")},
    index_missing="No index at {path}: build one first with `newsdesk ingest` (it reads CORPUS_DIR).",
    index_damaged="The index is damaged, so I cannot answer now: an admin can rebuild it with `newsdesk ingest` "
                  "(`newsdesk check` lists what is wrong).",
    index_incompatible="The index was built with model {built!r} but EMBEDDING_MODEL is {model!r}: run `newsdesk "
                       "ingest` again to rebuild it.",
    model_unavailable="The search model is unavailable on the server right now; the details are in the bot's log.",
    replica="This bot process only answers questions (ROLE=replica): only the writer process can change the index "
            "(reindex, add links).",
    lease_held="{what} refused: the writer lease is held by {holder}; only that writer publishes. If it is gone, the "
               "lease is free {seconds} s after its last heartbeat (WRITER_LEASE_SECONDS)",
    server_error="{detail}",
)

UK = Words(
    code="uk",
    answered_footer="Дослівні цитати з корпусу{window} · чи це було корисно?",
    closest="**Найближчі уривки** — можливо, вони не відповідають на це прямо{window}.",
    closest_footer="Дослівні цитати з корпусу · більше — через /search · чи це було корисно?",
    not_found="**Немає в корпусі.** Ніщо в ньому не відповідає на це запитання{window}.",
    never_mentions="Корпус ніде не згадує {words}.",
    not_found_footer="Спробуйте /search з іншими словами або ширший проміжок дат · чи це було корисно?",
    useful="чи це було корисно?",
    searched_between="пошук з {since} по {until}",
    searched_since="пошук від {since}",
    searched_until="пошук до {until}",
    outside_dates=("Ніщо з датою від {since} до {until}, про які запитано, на це не відповідає: "
                   "уривки нижче — поза цими датами."),
    undated="без дати",
    untitled="без назви",
    page="с. {page}",
    agree="✅ Звіти збігаються ({subject}): {count}",
    differ="⚠️ Джерела розходяться ({subject}), спершу найдавніші",
    newest="(найновіше)",
    read_as="Прочитано як: {question} (посилання на попередню розмову)",
    read_new_subject_within="Прочитано як нову тему; відповідь з документів цієї розмови",
    read_new_subject_everywhere="Прочитано як нову тему; у документах цієї розмови її немає, тож пошук скрізь",
    read_own_subject="Прочитано окремо (запитання називає власну тему)",
    respelled="Прочитано {pairs}",
    respelled_pair="«{typed}» як «{read}»",
    written_in="{language}",
    language_names={"en": "англійською", "uk": "українською", "ru": "російською"},
    thread_title="Запитання",
    search_title="Пошук: {query}",
    no_passages="Уривків не знайдено.",
    search_footer="Сторінка {page}/{pages} · уривків: {count}",
    corpus_title="Що є в корпусі",
    corpus_description="Документів: **{documents}**, уривків: **{chunks}**, дати з {first} по {last}.",
    sources_heading="Джерела",
    more_sources="… і ще {count}",
    newest_documents="Найновіші документи",
    unknown="невідоме",
    corpus_footer="Модель {model} · індекс побудовано {built}",
    no_summary="Огляд корпусу зараз недоступний.",
    previous="Назад",
    next="Далі",
    help_title="Довідка newsdesk",
    help_text=(
        "Я відповідаю на запитання про корпус новин, цитуючи точні речення — кожне з датою, джерелом, "
        "назвою та тим, хто це сказав.\n\n"
        "**/ask** `question` `[since]` `[until]` `[source]`: відповідь цитатами. Дати у форматі РРРР-ММ-ДД.\n"
        "**/search** `query`: найвідповідніші уривки, сторінка за сторінкою.\n"
        "**/sources**: що є в корпусі.\n"
        "**Канали команди**: поставте запитання в каналі запитань (або згадайте мене будь-де), і я відповім у гілці.\n"
        "Голосуйте 👍/👎 за відповіді: голоси, як і запитання, зберігаються, щоб покращувати бота.\n"
        "**/digest show** `[days]`: що нового — сюжети згруповано, спершу ті, про які пишуть найбільше.\n"
        "**/digest subscribe** `time` `timezone` `[days]` (адміністратори): публікувати дайджест тут за розкладом; "
        "**/digest unsubscribe**, **/digest list**.\n"
        "**/add** `url` `[note]` (редактори): додати вебсторінку до корпусу; або поставте 📥 під повідомленням із "
        "посиланнями.\n"
        "**/reindex** (адміністратори): перебудувати індекс із корпусу; відповіді тим часом тривають.\n"
        "**/report** `[days]` (адміністратори): запитання, поставлені тут, частка відповідей, запитання без відповіді "
        "та відповіді з 👎."
    ),
    digest_heading="Дайджест новин",
    scheduled_heading="{heading} · {when:%d.%m.%Y, %H:%M} {tz}",
    continued="{heading} (продовження)",
    nothing_new="Нічого нового: немає документів, {period}.",
    digest_description="Сюжетів: **{stories}**, статей: **{articles}**, {period}; спершу ті, про які пишуть найбільше.",
    digest_more="Дослівні цитати з корпусу · ще не показано сюжетів: {count}",
    verbatim="Дослівні цитати з корпусу",
    period_dated="датованих з {since} по {until}",
    period_added="доданих між {since} і {until}",
    period_added_until="доданих до {until}",
    articles=" · статей: {count}",
    also="Також: {sources}",
    subscribed="Цей канал отримуватиме дайджест о {plan}; наступний — {next}.",
    weekday_names="пн вт ср чт пт сб нд",
    every_day="щодня",
    unsubscribed="Цей канал більше не отримує дайджест.",
    not_subscribed="Цей канал не підписаний на дайджест.",
    no_subscriptions="Жоден канал тут не отримує дайджест: скористайтеся /digest subscribe.",
    reindex_running="Переіндексація вже триває.",
    reindexing="Переіндексація у фоні; доки новий індекс не готовий, відповіді даються з поточного.",
    reindex_done="Переіндексацію завершено за {seconds:.1f} с: документів — {documents}, уривків — {chunks} "
                 "(додано {added}, оновлено {updated}, вилучено {removed}, пропущено {skipped}).",
    reindex_failed="Переіндексація не вдалася: {error}",
    reindex_failed_logged="Переіндексація не вдалася; помилку записано в журнал.",
    link_added="📥 Додано **{title}** · {date} · {source}: тепер її можна знайти. {link}",
    link_not_added="Не додано {link}: {reason}",
    unknown_source_name="джерело невідоме",
    ask_an_editor="Додавати посилання до корпусу можуть лише редактори: попросіть когось із роллю редактора (або "
                  "адміністратора) додати його через /add або реакцією 📥 на повідомлення.",
    link_not_a_link="це не посилання http(s)",
    link_too_long="задовге посилання: {length} символів (щонайбільше {limit})",
    link_unresolved="адресу відхилено: домен {host} не знайдено",
    link_internal_address="адресу відхилено: {host} — внутрішня адреса ({address})",
    link_too_big="завелика сторінка: понад {mb} МБ",
    link_http_status="не вдалося завантажити: сервер відповів помилкою HTTP {status}",
    link_timed_out="не вдалося завантажити: сервер не відповів за {seconds:g} с",
    link_redirects="не вдалося завантажити: понад {limit} переадресацій",
    link_fetch_failed="не вдалося завантажити: з'єднання з сервером не вдалося",
    link_not_a_page="це не стаття: за посиланням {kind}, а не вебсторінка",
    link_sign_in="це не стаття: посилання веде на сторінку входу ({page})",
    link_no_main_text="це не стаття: на сторінці немає основного тексту (слів: {words})",
    link_not_an_article="це не стаття: сторінку не вдалося прочитати як документ",
    link_held="вже є в корпусі як «{title}»{held}, {id}",
    link_held_in_batch="та сама сторінка, що й інше щойно додане посилання, {id}",
    link_too_many="понад {limit} посилань за раз; додайте це окремо",
    vote_recorded="Дякуємо, ваш голос {emoji} враховано.",
    vote_too_old="Ця відповідь надто давня, щоб за неї голосувати.",
    too_many_waiting="Ще {count} ваших запитань чекають на відповідь: поставте це знову, коли я на них відповім.",
    schedule_line="{channel}: {plan}, наступний {next}",
    report_title="Поставлені запитання — {period}",
    report_last_days="за останні {days} дн.",
    report_all_time="за весь час",
    report_nothing="За цей період запитань не було.",
    report_rates="Запитань: **{asked}** · з відповіддю **{answer}** · непевних {unsure} · не знайдено {not_found}",
    report_gaps="Найчастіші запитання без відповіді (прогалини корпусу)",
    report_disliked="Відповіді з 👎",
    decisions={"answer": "відповідь", "unsure": "непевно", "not_found": "не знайдено"},
    sorry="У мене щось пішло не так; це записано в журнал.",
    too_fast="Ви питаєте частіше, ніж {rate} на хвилину: спробуйте знову через {seconds} с.",
    not_here="Цю команду тут використовувати не можна.",
    empty_question="Запитання порожнє: запитайте щось, напр. «які кораблі покинули Тартус?»",
    question_too_long="Запитання завдовжки {length} символів: поставте його коротше за {limit} символів (з довшого "
                      "тексту береться лише останнє речення зі знаком «?»).",
    bad_date="Незрозуміла дата «{value}»: потрібен формат РРРР-ММ-ДД.",
    no_such_day="Немає такої дати «{value}»: у місяці {month} днів: {days}.",
    no_such_month="Немає такої дати «{value}»: місяці — від 01 до 12.",
    no_such_year="Немає такої дати «{value}»: роки — від 0001 до 9999.",
    dates_reversed="Дата «з» {since} пізніша за дату «по» {until}: у такому проміжку немає жодного дня "
                   "(поміняйте їх місцями?)",
    unknown_source="Немає джерела «{source}»; відомі: {known}",
    more_known=" і ще {count} (/sources)",
    none_known="жодного (документи не мають джерела)",
    bad_time="«{value}» — не час: вкажіть 24-годинний ГГ:ХХ, напр. 09:00 або 17:30",
    bad_timezone="«{value}» — не часовий пояс: вкажіть Регіон/Місто, напр. Europe/Kyiv або America/New_York",
    bad_weekdays="«{value}» — не перелік днів тижня: вкажіть, напр., пн-пт, пн,ср,пт або щодня",
    no_weekdays="Не вказано днів тижня: вкажіть, напр., пн-пт або щодня",
    not_admin="Це можуть лише учасники з правом «Керувати сервером» (або зі списку адміністраторів newsdesk).",
    not_in_dms="Цю команду не можна використовувати в особистих повідомленнях.",
    bad_text="{what} містить символ, що не є текстом Unicode (символ {at}): надішліть ще раз без нього.",
    texts={"the question": "Запитання", "the source": "Джерело", "the query": "Запит", "the link": "Посилання",
           "the note": "Примітка", "the message": "Повідомлення", "the time": "Час", "the timezone": "Часовий пояс",
           "the weekdays": "Дні тижня"},
    index_missing="Індексу ще немає ({path}): адміністратор має спершу побудувати його командою "
                  "`newsdesk ingest` (вона читає CORPUS_DIR).",
    index_damaged="Індекс пошкоджено, тож відповісти зараз не можу: адміністратор може перебудувати його командою "
                  "`newsdesk ingest` (`newsdesk check` покаже, що не так).",
    index_incompatible="Індекс побудовано моделлю {built!r}, а налаштована EMBEDDING_MODEL — {model!r}: "
                       "адміністратор має перебудувати його командою `newsdesk ingest`.",
    model_unavailable="Модель пошуку на сервері зараз недоступна; подробиці — в журналі бота.",
    replica="Цей процес бота лише відповідає на запитання (ROLE=replica): змінювати індекс (переіндексовувати, "
            "додавати посилання) може тільки основний процес (writer).",
    lease_held="{what}: зараз не можна — індекс змінює інший процес ({holder}). Спробуйте пізніше; якщо того процесу "
               "вже немає, індекс звільниться через {seconds} с після його останнього сигналу (WRITER_LEASE_SECONDS).",
    server_error="Помилка на боці сервера (подробиці англійською): {detail}",
)

RU = Words(
    code="ru",
    answered_footer="Дословные цитаты из корпуса{window} · это было полезно?",
    closest="**Ближайшие фрагменты** — возможно, они не отвечают на это напрямую{window}.",
    closest_footer="Дословные цитаты из корпуса · больше — через /search · это было полезно?",
    not_found="**Нет в корпусе.** Ничто в нём не отвечает на этот вопрос{window}.",
    never_mentions="Корпус нигде не упоминает {words}.",
    not_found_footer="Попробуйте /search с другими словами или более широкий диапазон дат · это было полезно?",
    useful="это было полезно?",
    searched_between="поиск с {since} по {until}",
    searched_since="поиск с {since}",
    searched_until="поиск до {until}",
    outside_dates=("Ничто с датой от {since} до {until}, о которых спрошено, на это не отвечает: "
                   "фрагменты ниже — вне этих дат."),
    undated="без даты",
    untitled="без названия",
    page="с. {page}",
    agree="✅ Сообщения совпадают ({subject}): {count}",
    differ="⚠️ Источники расходятся ({subject}), сначала самые ранние",
    newest="(самое новое)",
    read_as="Понято как: {question} (ссылка на предыдущий разговор)",
    read_new_subject_within="Понято как новая тема; ответ из документов этого разговора",
    read_new_subject_everywhere="Понято как новая тема; в документах этого разговора её нет, поэтому поиск везде",
    read_own_subject="Понято отдельно (вопрос называет свою тему)",
    respelled="Прочитано {pairs}",
    respelled_pair="«{typed}» как «{read}»",
    written_in="{language}",
    language_names={"en": "на английском", "uk": "на украинском", "ru": "на русском"},
    thread_title="Вопрос",
    search_title="Поиск: {query}",
    no_passages="Фрагменты не найдены.",
    search_footer="Страница {page}/{pages} · фрагментов: {count}",
    corpus_title="Что есть в корпусе",
    corpus_description="Документов: **{documents}**, фрагментов: **{chunks}**, даты с {first} по {last}.",
    sources_heading="Источники",
    more_sources="… и ещё {count}",
    newest_documents="Новейшие документы",
    unknown="неизвестный",
    corpus_footer="Модель {model} · индекс построен {built}",
    no_summary="Обзор корпуса сейчас недоступен.",
    previous="Назад",
    next="Далее",
    help_title="Справка newsdesk",
    help_text=(
        "Я отвечаю на вопросы о корпусе новостей, цитируя точные предложения — каждое с датой, источником, "
        "заголовком и тем, кто это сказал.\n\n"
        "**/ask** `question` `[since]` `[until]` `[source]`: ответ цитатами. Даты в формате ГГГГ-ММ-ДД.\n"
        "**/search** `query`: самые подходящие фрагменты, страница за страницей.\n"
        "**/sources**: что есть в корпусе.\n"
        "**Каналы команды**: задайте вопрос в канале вопросов (или упомяните меня где угодно), и я отвечу в ветке.\n"
        "Голосуйте 👍/👎 за ответы: голоса, как и вопросы, сохраняются, чтобы улучшать бота.\n"
        "**/digest show** `[days]`: что нового — сюжеты сгруппированы, сначала те, о которых пишут больше всего.\n"
        "**/digest subscribe** `time` `timezone` `[days]` (администраторы): публиковать дайджест здесь по расписанию; "
        "**/digest unsubscribe**, **/digest list**.\n"
        "**/add** `url` `[note]` (редакторы): добавить веб-страницу в корпус; или поставьте 📥 под сообщением со "
        "ссылками.\n"
        "**/reindex** (администраторы): перестроить индекс из корпуса; ответы тем временем продолжаются.\n"
        "**/report** `[days]` (администраторы): заданные здесь вопросы, доля ответов, вопросы без ответа "
        "и ответы с 👎."
    ),
    digest_heading="Дайджест новостей",
    scheduled_heading="{heading} · {when:%d.%m.%Y, %H:%M} {tz}",
    continued="{heading} (продолжение)",
    nothing_new="Ничего нового: нет документов, {period}.",
    digest_description="Сюжетов: **{stories}**, статей: **{articles}**, {period}; сначала те, о которых пишут больше "
                       "всего.",
    digest_more="Дословные цитаты из корпуса · ещё не показано сюжетов: {count}",
    verbatim="Дословные цитаты из корпуса",
    period_dated="датированных с {since} по {until}",
    period_added="добавленных между {since} и {until}",
    period_added_until="добавленных до {until}",
    articles=" · статей: {count}",
    also="Также: {sources}",
    subscribed="Этот канал будет получать дайджест в {plan}; следующий — {next}.",
    weekday_names="пн вт ср чт пт сб вс",
    every_day="ежедневно",
    unsubscribed="Этот канал больше не получает дайджест.",
    not_subscribed="Этот канал не подписан на дайджест.",
    no_subscriptions="Ни один канал здесь не получает дайджест: используйте /digest subscribe.",
    reindex_running="Переиндексация уже идёт.",
    reindexing="Переиндексация в фоне; пока новый индекс не готов, ответы даются из текущего.",
    reindex_done="Переиндексация завершена за {seconds:.1f} с: документов — {documents}, фрагментов — {chunks} "
                 "(добавлено {added}, обновлено {updated}, удалено {removed}, пропущено {skipped}).",
    reindex_failed="Переиндексация не удалась: {error}",
    reindex_failed_logged="Переиндексация не удалась; ошибка записана в журнал.",
    link_added="📥 Добавлено **{title}** · {date} · {source}: теперь её можно найти. {link}",
    link_not_added="Не добавлено {link}: {reason}",
    unknown_source_name="источник неизвестен",
    ask_an_editor="Добавлять ссылки в корпус могут только редакторы: попросите кого-то с ролью редактора (или "
                  "администратора) добавить её через /add или реакцией 📥 на сообщение.",
    link_not_a_link="это не ссылка http(s)",
    link_too_long="слишком длинная ссылка: {length} символов (не больше {limit})",
    link_unresolved="адрес отклонён: домен {host} не найден",
    link_internal_address="адрес отклонён: {host} — внутренний адрес ({address})",
    link_too_big="слишком большая страница: больше {mb} МБ",
    link_http_status="не удалось загрузить: сервер ответил ошибкой HTTP {status}",
    link_timed_out="не удалось загрузить: сервер не ответил за {seconds:g} с",
    link_redirects="не удалось загрузить: больше {limit} перенаправлений",
    link_fetch_failed="не удалось загрузить: соединение с сервером не удалось",
    link_not_a_page="это не статья: по ссылке {kind}, а не веб-страница",
    link_sign_in="это не статья: ссылка ведёт на страницу входа ({page})",
    link_no_main_text="это не статья: на странице нет основного текста (слов: {words})",
    link_not_an_article="это не статья: страницу не удалось прочитать как документ",
    link_held="уже есть в корпусе как «{title}»{held}, {id}",
    link_held_in_batch="та же страница, что и другая только что добавленная ссылка, {id}",
    link_too_many="больше {limit} ссылок за раз; добавьте эту отдельно",
    vote_recorded="Спасибо, ваш голос {emoji} учтён.",
    vote_too_old="Этот ответ слишком старый, чтобы за него голосовать.",
    too_many_waiting="Ещё {count} ваших вопросов ждут ответа: задайте этот снова, когда я на них отвечу.",
    schedule_line="{channel}: {plan}, следующий {next}",
    report_title="Заданные вопросы — {period}",
    report_last_days="за последние {days} дн.",
    report_all_time="за всё время",
    report_nothing="За этот период вопросов не было.",
    report_rates="Вопросов: **{asked}** · с ответом **{answer}** · неуверенных {unsure} · не найдено {not_found}",
    report_gaps="Самые частые вопросы без ответа (пробелы корпуса)",
    report_disliked="Ответы с 👎",
    decisions={"answer": "ответ", "unsure": "неуверенно", "not_found": "не найдено"},
    sorry="У меня что-то пошло не так; это записано в журнал.",
    too_fast="Вы спрашиваете чаще, чем {rate} в минуту: попробуйте снова через {seconds} с.",
    not_here="Эту команду здесь использовать нельзя.",
    empty_question="Вопрос пустой: спросите что-нибудь, напр. «какие корабли покинули Тартус?»",
    question_too_long="Вопрос длиной {length} символов: задайте его короче {limit} символов (из более длинного "
                      "текста берётся только последнее предложение со знаком «?»).",
    bad_date="Непонятная дата «{value}»: нужен формат ГГГГ-ММ-ДД.",
    no_such_day="Нет такой даты «{value}»: в месяце {month} дней: {days}.",
    no_such_month="Нет такой даты «{value}»: месяцы — от 01 до 12.",
    no_such_year="Нет такой даты «{value}»: годы — от 0001 до 9999.",
    dates_reversed="Дата «с» {since} позже даты «по» {until}: в таком промежутке нет ни одного дня "
                   "(поменяйте их местами?)",
    unknown_source="Нет источника «{source}»; известные: {known}",
    more_known=" и ещё {count} (/sources)",
    none_known="ни одного (у документов нет источника)",
    bad_time="«{value}» — не время: укажите 24-часовой ЧЧ:ММ, напр. 09:00 или 17:30",
    bad_timezone="«{value}» — не часовой пояс: укажите Регион/Город, напр. Europe/Moscow или America/New_York",
    bad_weekdays="«{value}» — не список дней недели: укажите, напр., пн-пт, пн,ср,пт или ежедневно",
    no_weekdays="Не указаны дни недели: укажите, напр., пн-пт или ежедневно",
    not_admin="Это могут только участники с правом «Управлять сервером» (или из списка администраторов newsdesk).",
    not_in_dms="Эту команду нельзя использовать в личных сообщениях.",
    bad_text="{what} содержит символ, который не является текстом Unicode (символ {at}): отправьте ещё раз без "
             "него.",
    texts={"the question": "Вопрос", "the source": "Источник", "the query": "Запрос", "the link": "Ссылка",
           "the note": "Заметка", "the message": "Сообщение", "the time": "Время", "the timezone": "Часовой пояс",
           "the weekdays": "Дни недели"},
    index_missing="Индекса ещё нет ({path}): администратор должен сначала построить его командой "
                  "`newsdesk ingest` (она читает CORPUS_DIR).",
    index_damaged="Индекс повреждён, поэтому ответить сейчас не могу: администратор может перестроить его командой "
                  "`newsdesk ingest` (`newsdesk check` покажет, что не так).",
    index_incompatible="Индекс построен моделью {built!r}, а настроенная EMBEDDING_MODEL — {model!r}: администратор "
                       "должен перестроить его командой `newsdesk ingest`.",
    model_unavailable="Модель поиска на сервере сейчас недоступна; подробности — в журнале бота.",
    replica="Этот процесс бота только отвечает на вопросы (ROLE=replica): менять индекс (переиндексировать, "
            "добавлять ссылки) может только основной процесс (writer).",
    lease_held="{what}: сейчас нельзя — индекс меняет другой процесс ({holder}). Попробуйте позже; если того процесса "
               "уже нет, индекс освободится через {seconds} с после его последнего сигнала (WRITER_LEASE_SECONDS).",
    server_error="Ошибка на стороне сервера (подробности на английском): {detail}",
)

WORDS = {"en": EN, "uk": UK, "ru": RU}
# The member's own mistakes; any other NewsdeskError is the server's (its English line goes to the bot's log too).
MISTAKES = (EmptyQuestion, QuestionTooLong, BadDate, UnknownSource, ScheduleError, BadText, BadRequest)


def server_side(error: BaseException) -> bool:
    """An error of the server's (no index, a damaged one, a replica asked to write…), not of the member's asking."""
    return isinstance(error, NewsdeskError) and not isinstance(error, MISTAKES)


def words(language: str | discord.Locale | None) -> Words:
    """The bot's words for a Discord locale ("uk", "ru", "en-US"…) or a LANGUAGE setting; English otherwise."""
    code = str(getattr(language, "value", language) or "").split("-")[0].lower()
    return WORDS.get(code, EN)


# Command and option descriptions, by their English text (what the cogs declare): Discord shows each member the
# one for their client's language. Command and option names stay as they are, in every language.
COMMANDS: dict[str, dict[str, str]] = {
    "Ask a question: the answer quotes the news, with dates and sources.": {
        "uk": "Поставте запитання: відповідь цитує новини з датами та джерелами.",
        "ru": "Задайте вопрос: ответ цитирует новости с датами и источниками."},
    "What you want to know, e.g. which ships left Tartus?": {
        "uk": "Що ви хочете дізнатися, напр. які кораблі покинули Тартус?",
        "ru": "Что вы хотите узнать, напр. какие корабли покинули Тартус?"},
    "Only news on or after this date (YYYY-MM-DD)": {
        "uk": "Лише новини від цієї дати (РРРР-ММ-ДД)",
        "ru": "Только новости с этой даты (ГГГГ-ММ-ДД)"},
    "Only news on or before this date (YYYY-MM-DD)": {
        "uk": "Лише новини до цієї дати включно (РРРР-ММ-ДД)",
        "ru": "Только новости по эту дату включительно (ГГГГ-ММ-ДД)"},
    "Only news from this source": {
        "uk": "Лише новини з цього джерела",
        "ru": "Только новости из этого источника"},
    "Search the corpus: the top passages, with buttons to page through them.": {
        "uk": "Пошук у корпусі: найкращі уривки з кнопками для гортання.",
        "ru": "Поиск по корпусу: лучшие фрагменты с кнопками для листания."},
    "Words or a question to look for in the corpus": {
        "uk": "Слова або запитання для пошуку в корпусі",
        "ru": "Слова или вопрос для поиска в корпусе"},
    "What the corpus holds: documents, date range and sources.": {
        "uk": "Що є в корпусі: документи, проміжок дат і джерела.",
        "ru": "Что есть в корпусе: документы, диапазон дат и источники."},
    "How to use newsdesk.": {
        "uk": "Як користуватися newsdesk.",
        "ru": "Как пользоваться newsdesk."},
    "Rebuild the index from the corpus (Manage Server or admin list).": {
        "uk": "Перебудувати індекс із корпусу (керування сервером або список адміністраторів).",
        "ru": "Перестроить индекс из корпуса (управление сервером или список администраторов)."},
    "What this server asked: answered rate, unanswered questions, 👎'd answers (Manage Server or admin list).": {
        "uk": "Що питали тут: частка відповідей, запитання без відповіді, відповіді з 👎 (адміністратори).",
        "ru": "Что спрашивали здесь: доля ответов, вопросы без ответа, ответы с 👎 (администраторы)."},
    "How many days back (default 7)": {
        "uk": "Скільки днів назад (типово 7)",
        "ru": "Сколько дней назад (по умолчанию 7)"},
    "What is new in the corpus, on demand or on a schedule": {
        "uk": "Що нового в корпусі — на вимогу або за розкладом",
        "ru": "Что нового в корпусе — по запросу или по расписанию"},
    "Show the digest: new stories, the most covered first.": {
        "uk": "Показати дайджест: нові сюжети, спершу ті, про які пишуть найбільше.",
        "ru": "Показать дайджест: новые сюжеты, сначала те, о которых пишут больше всего."},
    "Stories dated within the last N days (default: new since this channel's last digest)": {
        "uk": "Сюжети за останні N днів (типово: нове від останнього дайджесту цього каналу)",
        "ru": "Сюжеты за последние N дней (по умолчанию: новое с последнего дайджеста этого канала)"},
    "Post the digest in this channel every day (or on some weekdays) at a time (admins).": {
        "uk": "Публікувати дайджест у цьому каналі щодня (або в окремі дні тижня) о певній годині (адміністратори).",
        "ru": "Публиковать дайджест здесь каждый день (или в некоторые дни недели) в заданное время (админы)."},
    "Local time of day, 24-hour HH:MM (e.g. 09:00)": {
        "uk": "Місцевий час, 24-годинний формат ГГ:ХХ (напр. 09:00)",
        "ru": "Местное время, 24-часовой формат ЧЧ:ММ (напр. 09:00)"},
    "Area/City, e.g. Europe/Paris": {
        "uk": "Регіон/Місто, напр. Europe/Kyiv",
        "ru": "Регион/Город, напр. Europe/Moscow"},
    "Weekdays: mon-fri, mon,wed,fri, weekends or daily (default daily)": {
        "uk": "Дні тижня: пн-пт, пн,ср,пт, вихідні або щодня (типово щодня)",
        "ru": "Дни недели: пн-пт, пн,ср,пт, выходные или ежедневно (по умолчанию ежедневно)"},
    "Stop posting the digest in this channel (admins).": {
        "uk": "Припинити публікувати дайджест у цьому каналі (адміністратори).",
        "ru": "Прекратить публиковать дайджест в этом канале (администраторы)."},
    "The digest schedules of this server (admins).": {
        "uk": "Розклади дайджестів цього сервера (адміністратори).",
        "ru": "Расписания дайджестов этого сервера (администраторы)."},
    "Add a web page to the corpus so it can be quoted (editors).": {
        "uk": "Додати вебсторінку до корпусу, щоб її можна було цитувати (редактори).",
        "ru": "Добавить веб-страницу в корпус, чтобы её можно было цитировать (редакторы)."},
    "The link to a web page (an article)": {
        "uk": "Посилання на вебсторінку (статтю)",
        "ru": "Ссылка на веб-страницу (статью)"},
    "A note kept with the page and in the log": {
        "uk": "Примітка, що зберігається зі сторінкою та в журналі",
        "ru": "Заметка, сохраняемая со страницей и в журнале"},
}
_LOCALES = {discord.Locale.ukrainian: "uk", discord.Locale.russian: "ru"}
DESCRIPTION_LIMIT = 100  # Discord's, for a command's or an option's description in any language


def _as_sent(description: str) -> str:
    """A description as discord.py sends it: whitespace collapsed, cut to 100 characters with "…"."""
    return textwrap.shorten(description, DESCRIPTION_LIMIT, placeholder="…")


_BY_SENT = {_as_sent(english): translated for english, translated in COMMANDS.items()}


class Translator(app_commands.Translator):
    """discord.py's hook for localised command data: the Ukrainian and Russian descriptions of `COMMANDS`, sent
    with the commands when they are synced. Names (of commands, groups and options) are left as they are."""

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContext) -> str | None:
        code = _LOCALES.get(locale)
        if code is None or context.location in _NAMES:
            return None
        return (COMMANDS.get(string.message) or _BY_SENT.get(string.message) or {}).get(code)


_NAMES = frozenset({app_commands.TranslationContextLocation.command_name,
                    app_commands.TranslationContextLocation.group_name,
                    app_commands.TranslationContextLocation.parameter_name,
                    app_commands.TranslationContextLocation.choice_name})


def missing() -> list[str]:
    """Messages empty in some language (a test keeps this empty)."""
    return [f"{w.code}.{f.name}" for w in WORDS.values() for f in fields(Words) if not getattr(w, f.name)]
