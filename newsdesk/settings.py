"""The application's settings: the engine's (`index.settings.EngineSettings`) and everything around it — the
shared database, the Discord edge, the feeds and folder watch, the writer's role and lease, logging.

One `Settings` object is read once at start (`Settings.from_env`: the environment over an optional `.env`,
a bad value refused in one line naming the variable) and passed down; the engine is handed it as its
`EngineSettings` and reads only those. `.env.example` documents every variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, SecretStr
from pydantic.dataclasses import dataclass

from index.errors import ReplicaRefuses
from index.settings import DOTENV, MAX_ANSWER_K, EngineSettings, blank_is_none, lowered

__all__ = ["DOTENV", "MAX_ANSWER_K", "Settings", "unknown_name"]


def _ids(value: Any) -> Any:
    """'123, 456' → {123, 456}: Discord ids (snowflakes), separated by commas, semicolons or spaces."""
    if not isinstance(value, str):
        return value
    parts = value.replace(";", ",").replace(" ", ",").split(",")
    bad = [p for p in parts if p.strip() and not p.strip().isdigit()]
    if bad:
        what = "not a list of ids" if bad[0].strip() == value.strip() else f"{bad[0].strip()!r} is not an id"
        raise ValueError(f"{what}: ids are numbers, comma-separated "
                         "(Discord: Settings > Advanced > Developer Mode, then right-click > Copy ID)")
    return [int(p) for p in parts if p.strip()]


def _networks(value: Any) -> Any:
    """'10.0.0.0/8, 192.168.1.0/24' → ('10.0.0.0/8', '192.168.1.0/24'), each checked to be a network."""
    import ipaddress

    if not isinstance(value, str):
        return value
    nets = tuple(n.strip() for n in value.split(",") if n.strip())
    for n in nets:
        try:
            ipaddress.ip_network(n, strict=False)
        except ValueError:
            raise ValueError(f"{n!r} is not a network (write it like 10.0.0.0/8)") from None
    return nets


Ids = Annotated[frozenset[int], BeforeValidator(_ids)]
Seconds = Annotated[float, Field(ge=0)]


@dataclass(frozen=True, config=ConfigDict(str_strip_whitespace=True, arbitrary_types_allowed=True,
                                          allow_inf_nan=False))  # inf would lift a limit or a timeout
class Settings(EngineSettings):
    """Everything newsdesk can be configured with; see `.env.example`. State files live in `data_dir`."""

    # the bot's state and feeds in one shared database (e.g. PostgreSQL); default: SQLite files in data_dir
    database_url: Annotated[SecretStr | None, BeforeValidator(blank_is_none)] = None  # may hold a password
    # Discord edge
    discord_token: Annotated[SecretStr | None, BeforeValidator(blank_is_none)] = None  # never printed
    discord_api_base: Annotated[str | None, BeforeValidator(blank_is_none)] = None
    dev_guild_id: Annotated[int | None, BeforeValidator(blank_is_none)] = None
    qa_channel_ids: Ids = frozenset()
    admin_role_ids: Ids = frozenset()
    admin_user_ids: Ids = frozenset()
    editor_role_ids: Ids = frozenset()  # may add links with /add and 📥 (admins always may)
    shard_count: Annotated[Annotated[int, Field(gt=0)] | None, BeforeValidator(blank_is_none)] = None
    shard_ids: Annotated[tuple[int, ...] | None, BeforeValidator(_ids),
                         AfterValidator(lambda v: tuple(sorted(v)) if v else None)] = None
    # the language of the bot's own words in team channels and scheduled digests (en, uk, ru); slash commands
    # follow each member's Discord language
    language: Annotated[Literal["en", "uk", "ru"], BeforeValidator(lowered)] = "en"
    qa_cooldown_seconds: Seconds = 10.0
    rate_limit_per_minute: Annotated[int, Field(ge=0)] = 6  # /ask, /search, /digest show, /sources per member; 0: none
    # days a question asked in Discord stays in the question log (bot/questionlog.py); 0: kept until purged
    question_log_days: Annotated[int, Field(ge=0, le=36_500)] = 90
    # Freshness: feeds and the corpus folder watch
    feed_poll_minutes: Annotated[float, Field(gt=0)] = 15.0
    feed_timeout_seconds: Annotated[float, Field(gt=0)] = 20.0  # the whole fetch, redirects and body included
    feed_max_items: Annotated[int, Field(gt=0)] = 50  # new items taken from one feed per poll; the rest wait
    # internal networks feeds may be fetched from (e.g. 10.0.0.0/8); none by default
    feed_allow_networks: Annotated[tuple[str, ...], BeforeValidator(_networks)] = ()
    corpus_watch_seconds: Seconds = 60.0
    # "writer" polls feeds, watches the corpus and reindexes; a "replica" only follows the published index
    role: Annotated[Literal["writer", "replica"], BeforeValidator(lowered)] = "writer"
    # with DATABASE_URL: a writer that stops renewing its lease (dies) loses it this long after its last heartbeat
    writer_lease_seconds: Annotated[float, Field(ge=1, le=3600)] = 30.0
    # worker processes that answer the batched questions (ANSWER_BATCH > 1), each with its own engine on the index;
    # 0: threads of the bot's process (docs/load.md)
    engine_processes: Annotated[int, Field(ge=0, le=64)] = 0
    # Operations
    log_level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(
        lambda v: v.strip().upper() if isinstance(v, str) else v)] = "INFO"

    def __post_init__(self) -> None:
        if self.shard_ids is not None:  # what discord.py's AutoShardedClient would refuse only at connect time
            if self.shard_count is None:
                raise ValueError(f"SHARD_IDS={_listed(self.shard_ids)!r}: needs SHARD_COUNT, the number of shards "
                                 "all processes run together")
            outside = [i for i in self.shard_ids if i >= self.shard_count]
            if outside:
                raise ValueError(f"SHARD_IDS={_listed(self.shard_ids)!r}: shard {outside[0]} is outside SHARD_COUNT="
                                 f"{self.shard_count} (shard ids run from 0 to {self.shard_count - 1})")
        super().__post_init__()

    @property
    def votes_db(self) -> Path:
        """Answers shown, their 👍/👎 votes and the log of questions asked in Discord."""
        return self.data_dir / "votes.sqlite"

    @property
    def conversations_db(self) -> Path:
        return self.data_dir / "conversations.sqlite"

    @property
    def feeds_db(self) -> Path:
        return self.data_dir / "feeds.sqlite"

    @property
    def digests_db(self) -> Path:
        return self.data_dir / "digests.sqlite"

    @property
    def links_db(self) -> Path:
        """Every link someone asked to add: who, when, what became of it."""
        return self.data_dir / "links.sqlite"

    @property
    def heartbeat_file(self) -> Path:
        """What the running bot rewrites every few seconds and `newsdesk health` reads (one per shard set)."""
        shards = "-shards-" + "-".join(str(i) for i in self.shard_ids) if self.shard_ids else ""
        return self.data_dir / f"heartbeat{shards}.json"

    def require_writer(self, what: str) -> None:
        """Refuse `what` (a write to the index) under ROLE=replica: the writer alone publishes versions."""
        if self.role == "replica":
            raise ReplicaRefuses(f"ROLE=replica: this process answers from what the writer publishes; {what} on the "
                                 "writer (or unset ROLE if this machine is the writer)")

    def confirm_publish(self, what: str) -> None:
        """With DATABASE_URL, the writer lease is still this index folder's (newsdesk/lease.py), else
        `WriterLeaseHeld` and the ingest publishes nothing."""
        if self.database_url is not None:
            from newsdesk.lease import confirm_writer  # sqlalchemy: only where a shared database is named

            confirm_writer(self, what)

    @property
    def token(self) -> str | None:
        """The bot token itself, for the one place that logs in with it."""
        return self.discord_token.get_secret_value() if self.discord_token else None


def unknown_name(name: str, *, only_close: bool = False) -> str | None:
    """Why `name` is not one of the application's settings, naming the closest; None when it is one."""
    return Settings.unknown_name(name, only_close=only_close)


def _listed(ids: tuple[int, ...]) -> str:
    return ",".join(str(i) for i in ids)
