"""Keeping the corpus fresh: feeds polled and the corpus folder watched, then an incremental reindex.

One `tasks.loop` every CORPUS_WATCH_SECONDS (60 s when the watch is off) polls the feeds that are due
(each every FEED_POLL_MINUTES, a failing one later and later) and checks the folder for new or changed
files; when either found something, the engine reindexes in the background and answers continue.
Otherwise it switches to a version another process published (shards sharing one index). With
ROLE=replica the loop only does that: the writer alone polls, watches and publishes; so does a writer standing
by while another holds the writer lease (newsdesk/lease.py), until that lease expires.
"""

from __future__ import annotations

import asyncio
import logging

from discord.ext import tasks

from newsdesk.database import open_database
from newsdesk.lease import WriterLeaseHeld
from sources.feeds import FeedStore, PollReport, poll
from sources.watch import CorpusWatch

from .. import schedule
from .base import NewsdeskCog

log = logging.getLogger(__name__)
FEEDS_ONLY_TICK = 60.0  # seconds between feed checks when the folder watch is off


class Freshness(NewsdeskCog):
    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.feeds: FeedStore | None = None
        self.watch: CorpusWatch | None = None
        self.last_poll: PollReport | None = None

    async def cog_load(self) -> None:
        settings = self.bot.settings
        if settings.role == "writer":
            self.feeds = await asyncio.to_thread(FeedStore, open_database(settings, settings.feeds_db))
        if settings.role == "writer" and settings.corpus_watch_seconds > 0:
            self.watch = CorpusWatch(settings.corpus_dir, since=self._built_at())
        self.refresher.change_interval(seconds=settings.corpus_watch_seconds or FEEDS_ONLY_TICK)
        self.refresher.start()

    async def cog_unload(self) -> None:
        self.refresher.cancel()

    def _built_at(self) -> float | None:
        built = self.bot.engine.built_at  # None: no index yet
        return built.timestamp() if built else None

    @tasks.loop(seconds=60)
    async def refresher(self) -> None:
        try:
            await self.refresh()
        except Exception:  # the loop must outlive any one bad tick
            log.exception("Corpus refresh failed")

    @refresher.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def refresh(self) -> bool:
        """One round: poll due feeds, check the folder, reindex if anything is new. True when it reindexed.
        A replica (no feed store) only follows what the writer published."""
        if self.feeds is None or not await self._writer():
            await self._follow()
            return False
        self.last_poll = report = await asyncio.to_thread(poll, self.bot.settings, self.feeds, now=schedule.utc_now())
        for failure in report.failed:
            log.info("Feed will be retried later: %s", failure)
        changed = report.new_items > 0
        if self.watch is not None and await asyncio.to_thread(self.watch.changed):
            changed = True
        if not changed:
            await self._follow()
            return False
        # Not the engine pool: a long reindex must not hold a thread that answers questions.
        ingest = await asyncio.to_thread(self.bot.engine.reindex)
        if self.watch is not None:
            await asyncio.to_thread(self.watch.ingested)
        log.info("Corpus refreshed: %d new feed items; %d added, %d updated, %d removed", report.new_items,
                 ingest.added, ingest.updated, ingest.removed)
        await self.bot.refresh_summary()
        return True

    async def _writer(self) -> bool:
        """True when this process may write the index now: it holds the writer lease, or needs none. Otherwise
        it stands by, following what the holder publishes, and takes over once the holder's lease expires."""
        try:
            await self.bot.may_write("feed polling and the corpus watch")
        except WriterLeaseHeld:  # logged by the lease when the holder changes
            return False
        return True

    async def _follow(self) -> None:
        """Switch to a newer version another process (the writer, a `newsdesk ingest`) published."""
        if await asyncio.to_thread(self.bot.engine.reload):
            log.info("Switched to the index version another process published")
            await self.bot.refresh_summary()


async def setup(bot) -> None:
    await bot.add_cog(Freshness(bot))
