"""The newsdesk bot: a `commands.Bot` that receives settings and the engine, loads cogs, syncs commands."""

from __future__ import annotations

import asyncio
import functools
import logging
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable, Sequence, TypeVar

import discord
import yarl
from discord.ext import commands

from newsdesk.database import open_database
from newsdesk.lease import writer_lease
from newsdesk.settings import Settings
from index.batch import Asking, ask_many
from index.types import CorpusSummary

from .batcher import Batcher
from .engineprocesses import EngineProcesses
from .groupcommit import GroupCommit
from .questionlog import QuestionLog
from .conversations import ConversationStore
from .votes import VoteStore
from .words import Translator

if TYPE_CHECKING:
    from index.engine import Engine

log = logging.getLogger(__name__)
T = TypeVar("T")

EXTENSIONS = (
    "bot.cogs.ask",
    "bot.cogs.search",
    "bot.cogs.info",
    "bot.cogs.qa",
    "bot.cogs.feedback",
    "bot.cogs.admin",
    "bot.cogs.digest",
    "bot.cogs.freshness",
    "bot.cogs.links",
    "bot.cogs.heartbeat",
    "bot.cogs.retention",
)
ENGINE_THREADS = 6  # BATCH_WORKERS of them answer; the rest serve votes, summaries, conversation reads
BATCH_WORKERS = 4  # batches of questions in the engine at once: the GIL-free parts (ONNX, FAISS, SQLite reads) overlap
# discord.py's names for the tasks that handle a slash command, a message and a button click: the answers
# shutdown waits for (not the background loops nor the connection itself)
ANSWER_TASKS = ("CommandTree-invoker", "discord.py: on_message", "discord-ui-view-dispatch")
SHUTDOWN_GRACE = 30.0  # seconds answers in progress get on SIGTERM (systemd and compose wait a little longer)


def intents() -> discord.Intents:
    """Guilds and their messages, with content (a privileged intent: enable it in the developer portal)."""
    wanted = discord.Intents.default()
    wanted.message_content = True
    wanted.members = False
    wanted.presences = False
    return wanted


def permissions() -> discord.Permissions:
    """Exactly the channel permissions the bot uses: read, answer (embeds, threads, replies), react."""
    return discord.Permissions(
        view_channel=True,
        send_messages=True,  # team-channel answers, scheduled digests
        embed_links=True,  # every answer is an embed
        read_message_history=True,  # replying to a question message
        create_public_threads=True,  # a thread per team-channel question
        send_messages_in_threads=True,
        add_reactions=True,  # ⏳ when a member asks again too soon
    )


def invite_url(application_id: int) -> str:
    """The link that adds the bot to a server with its slash commands and `permissions()`."""
    return discord.utils.oauth_url(application_id, permissions=permissions(),
                                   scopes=("bot", "applications.commands"))


def use_api_base(api_base: str | None) -> None:
    """Send every REST call to `api_base` (a rate-limit proxy or a test API) instead of Discord.

    discord.py keeps the REST base in a class attribute, so this applies to the whole process.
    """
    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")


class NewsdeskBase(commands.Bot):
    """What both bot classes share: a `commands.Bot`, which the sharded class puts before `commands.AutoShardedBot`
    (`commands.Bot` adds nothing to their common base, so either connects as its second base says)."""

    def __init__(self, settings: Settings, engine: Engine, **options: Any) -> None:
        options.setdefault("intents", intents())
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),  # quoted corpus text must never ping
            **options,
        )
        self.settings = settings
        self.engine = engine
        votes = open_database(settings, settings.votes_db)
        self.votes = VoteStore(votes)
        self.questions = QuestionLog(votes)  # the same database: reports join questions and votes
        self.conversations = ConversationStore.of(settings)
        self.lease = writer_lease(settings, announce=True)  # None: no shared database, or a replica
        self.summary: CorpusSummary | None = None
        self.failed_extensions: dict[str, BaseException] = {}
        self._posting: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._answering: set[asyncio.Task] = set()  # tasks waiting on engine work: shutdown lets them finish
        self._engine_pool = ThreadPoolExecutor(max_workers=ENGINE_THREADS, thread_name_prefix="newsdesk-engine")
        # ANSWER_BATCH=1: each question asked, and its writes committed, on its own (the path before batching)
        self.batcher: Batcher | None = None
        self.answer_writes: GroupCommit | None = None
        self.turn_writes: GroupCommit | None = None
        # ENGINE_PROCESSES > 0: the batches are answered in that many worker processes (started in setup_hook)
        self.engine_processes: EngineProcesses | None = None
        self._process_pool: ThreadPoolExecutor | None = None
        if settings.answer_batch > 1:
            workers = settings.engine_processes or BATCH_WORKERS
            self.batcher = Batcher(self._ask_batch, most=settings.answer_batch, workers=workers)
            # committed by an engine thread: see groupcommit
            self.answer_writes = GroupCommit(votes, "votes", self._engine_pool)
            self.turn_writes = GroupCommit(self.conversations.db, "conversations")

    async def _ask_batch(self, askings: Sequence[Asking], answered: Callable[[int, object], None]) -> list:
        loop = asyncio.get_running_loop()
        if self.engine_processes is not None:  # a thread per worker process waits on its answers
            return await loop.run_in_executor(self._process_pool, self.engine_processes.ask_many, askings, answered)
        # each question through `engine.ask`, as on the one-at-a-time path (a wrapped engine's `ask` included)
        return await loop.run_in_executor(self._engine_pool, ask_many, self.engine, askings, answered)

    def track_answer(self) -> None:
        """Count the running task (a slash command, a message, a click) among the answers shutdown lets finish."""
        task = asyncio.current_task()
        if task is not None and task.get_name().startswith(ANSWER_TASKS) and task not in self._answering:
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)

    def posting(self, channel_id: int) -> asyncio.Lock:
        """Held while an answer is posted in a channel and its turn kept (`answers.remember`): a reply to it there,
        which can come the moment it is posted, waits for the turn before it looks the conversation up."""
        lock = self._posting.get(channel_id)
        if lock is None:
            lock = self._posting[channel_id] = asyncio.Lock()
        return lock

    async def in_thread(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run blocking engine work off the event loop, so the gateway heartbeat never stalls."""
        loop = asyncio.get_running_loop()
        self.track_answer()
        return await loop.run_in_executor(self._engine_pool, functools.partial(fn, *args, **kwargs))

    async def shutdown(self, grace: float = SHUTDOWN_GRACE) -> None:
        """Let the answers in progress finish (at most `grace` seconds), then close the connection."""
        busy = self._answering - {asyncio.current_task()}
        if busy:
            log.info("Finishing %d answer%s in progress before stopping", len(busy), "s" * (len(busy) != 1))
            _, late = await asyncio.wait(busy, timeout=grace)
            if late:
                log.warning("Stopping with %d answer%s unfinished after %.0fs", len(late), "s" * (len(late) != 1),
                            grace)
        await self.close()

    async def may_write(self, what: str) -> None:
        """Take (or keep) the writer lease before `what` writes the index; WriterLeaseHeld names the holder."""
        if self.lease is not None:
            await asyncio.to_thread(self.lease.require, what)
            self.lease.start_heartbeat()

    async def refresh_summary(self) -> CorpusSummary | None:
        try:
            self.summary = await self.in_thread(self.engine.summary)
        except Exception:
            log.exception("Could not read the corpus summary")
        return self.summary

    def _start_engine_processes(self) -> None:
        n = self.settings.engine_processes
        self._process_pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="newsdesk-engine-process")
        self.engine_processes = EngineProcesses(self.settings, n, lambda: self.engine.version.path)

    async def setup_hook(self) -> None:
        if self.batcher is not None and self.settings.engine_processes:
            await asyncio.to_thread(self._start_engine_processes)
        elif self.settings.engine_processes:  # a setting that does nothing is said once, not left to be wondered at
            log.warning("ENGINE_PROCESSES=%d is unused: with ANSWER_BATCH=1 every question is answered on its own in "
                        "this process's threads (worker processes answer batches)", self.settings.engine_processes)
        await asyncio.to_thread(self.questions.create)  # the answers and votes tables too
        await asyncio.to_thread(self.conversations.create)
        for extension in EXTENSIONS:
            try:
                await self.load_extension(extension)
            except Exception as exc:  # one broken cog must not stop the bot
                self.failed_extensions[extension] = exc
                log.exception("Failed to load extension %s", extension)
        await self.refresh_summary()
        await self.tree.set_translator(Translator())  # uk/ru command descriptions
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """To DEV_GUILD_ID when set (instant), else globally (slow to propagate; keep it deliberate)."""
        tree = self.tree
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
            log.info("Synced %d commands to guild %s", len(synced), guild.id)
        else:
            synced = await tree.sync()
            log.info("Synced %d commands globally", len(synced))

    async def connect(self, *, reconnect: bool = True) -> None:
        if self.settings.discord_api_base:
            # Like discord.py's AutoShardedClient, ask the API where its gateway is.
            _, url, _ = await self.http.get_bot_gateway()
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        await super().connect(reconnect=reconnect)

    async def on_ready(self) -> None:
        servers = len(self.guilds)
        invite = invite_url(self.application_id) if self.application_id is not None else "(no application id yet)"
        log.info("Ready as %s in %d server%s; invite it to another with %s", self.user, servers, "s" * (servers != 1),
                 invite)

    async def on_message(self, message: discord.Message) -> None:
        """Slash commands only: no prefix commands. Team-channel Q&A lives in the qa cog."""

    async def close(self) -> None:
        await super().close()
        self._engine_pool.shutdown(wait=False, cancel_futures=True)
        if self.engine_processes is not None:
            await asyncio.to_thread(self.engine_processes.close)
        if self._process_pool is not None:
            self._process_pool.shutdown(wait=False, cancel_futures=True)
        for writes in (self.answer_writes, self.turn_writes):
            if writes is not None:
                await asyncio.to_thread(writes.close)  # what is waiting is committed first
        if self.lease is not None:  # a clean exit frees the lease at once for the next writer
            await asyncio.to_thread(self.lease.release)


class NewsdeskBot(NewsdeskBase):
    """One gateway connection: enough below ~2,500 guilds."""


class ShardedNewsdeskBot(NewsdeskBase, commands.AutoShardedBot):
    """Several gateway connections (shards), as Discord requires for large bots."""


def build_bot(settings: Settings, engine: Engine, *, sharded: bool | None = None, **options: Any) -> NewsdeskBase:
    """The bot `newsdesk run` starts. Sharded when SHARD_COUNT is set (or `sharded=True`)."""
    use_api_base(settings.discord_api_base)
    if sharded is None:
        sharded = settings.shard_count is not None
    if sharded:
        return ShardedNewsdeskBot(settings, engine, shard_count=settings.shard_count,
                                  shard_ids=list(settings.shard_ids or []) or None, **options)
    return NewsdeskBot(settings, engine, **options)
