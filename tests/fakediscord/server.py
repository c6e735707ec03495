"""FakeDiscord: the REST routes and gateway websocket the bot uses, on 127.0.0.1, recording every request.

Tests drive it like Discord would: `slash(...)` and `click(...)` send INTERACTION_CREATE, `say(...)` sends
MESSAGE_CREATE; then they read what the bot sent back (`Interaction.reply()`, `requests`, `messages`).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import payloads as p

API = "/api/v10"
# Interaction callback types (https://discord.com/developers/docs/interactions/receiving-and-responding).
MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE = 4, 5, 6, 7, 8
EPHEMERAL = 1 << 6
# What the README's invite URL grants: View Channels, Send Messages, Embed Links, Read Message History, Create Public
# Threads, Send Messages in Threads, Add Reactions (309237730368).
BOT_PERMISSIONS = p.VIEW_CHANNEL | p.SEND_MESSAGES | p.EMBED_LINKS | p.READ_MESSAGE_HISTORY | p.CREATE_PUBLIC_THREADS \
    | p.SEND_MESSAGES_IN_THREADS | p.ADD_REACTIONS


@dataclass
class Request:
    """One REST call the bot made."""

    method: str
    path: str  # after /api/v10
    query: dict[str, str]
    json: Any
    at: float = field(default_factory=time.monotonic)
    created: dict | None = None  # the message this request created or changed, as Discord stores it

    def as_seen(self, body: dict | None = None) -> dict:
        """What the bot sent, with the id and channel Discord gave the message (to click its buttons)."""
        out = dict(self.json if body is None else body)
        if self.created:
            out.update(id=self.created["id"], channel_id=self.created["channel_id"])
        return out

    def __repr__(self) -> str:
        return f"<{self.method} {self.path}>"


RECORD = web.RequestKey("record", Request)


class Interaction:
    """An interaction the fake sent; collects what the bot answered to it."""

    def __init__(self, fake: FakeDiscord, payload: dict) -> None:
        self.fake = fake
        self.payload = payload
        self.id = int(payload["id"])
        self.token = payload["token"]

    @property
    def requests(self) -> list[Request]:
        return [r for r in self.fake.requests if f"/{self.token}" in r.path]

    @property
    def callback(self) -> dict | None:
        """The JSON body of the interaction response (`type` and `data`), once sent."""
        record = self._callback_record()
        return record.json if record else None

    def _callback_record(self) -> Request | None:
        return next((r for r in self.requests if r.path.endswith("/callback")), None)

    @property
    def followups(self) -> list[dict]:
        """Messages sent after the response: follow-ups and edits of the original response."""
        return [r.as_seen() for r in self.requests if r.method in ("POST", "PATCH") and r.path.startswith("/webhooks/")]

    @property
    def deferred(self) -> bool:
        return bool(self.callback and self.callback["type"] in (DEFERRED_MESSAGE, DEFERRED_UPDATE))

    async def reply(self, timeout: float = 15) -> dict:
        """The message the user sees: the response itself, or the first follow-up after a defer."""

        def seen() -> dict | None:
            cb = self.callback
            if cb is None:
                return None
            if cb["type"] in (DEFERRED_MESSAGE, DEFERRED_UPDATE):
                return self.followups[0] if self.followups else None
            return self._callback_record().as_seen(cb.get("data") or {})

        return await self.fake.wait_for(seen, timeout, f"a reply to interaction {self.id}")

    async def followup(self, n: int = 1, timeout: float = 15) -> dict:
        """The n-th follow-up message (1-based)."""
        return await self.fake.wait_for(
            lambda: self.followups[n - 1] if len(self.followups) >= n else None, timeout, f"follow-up #{n} of {self.id}"
        )


def is_ephemeral(body: dict) -> bool:
    return bool((body.get("flags") or 0) & EPHEMERAL)


class FakeDiscord:
    """A Discord API (REST + gateway) with one guild, a few members, a #general and a #questions channel."""

    token = "fake-bot-token"

    def __init__(self, *, heartbeat_interval: float = 41.25) -> None:
        self.heartbeat_interval = heartbeat_interval
        self.sharding_required = False  # close unsharded IDENTIFYs with 4011, as Discord does for big bots
        self.identifies: list[dict] = []
        self.forbid_threads = False  # answer thread creation with 403 Missing Permissions
        self.app_flags = p.GATEWAY_MESSAGE_CONTENT_LIMITED  # 0: the Message Content intent is off in the portal
        self.bot_in_guild = True  # False: the bot was never invited (or was kicked)
        self.requests: list[Request] = []
        self.heartbeats: list[float] = []  # monotonic times of op 1 from the bot
        self.identify: dict | None = None
        self.sent_events: list[tuple[str, dict]] = []
        self.messages: dict[int, dict] = {}  # every message the bot posted, by id
        self.commands: dict[str, dict] = {}  # synced application commands, by name
        self._sockets: list[web.WebSocketResponse] = []
        self._shards: dict[web.WebSocketResponse, tuple[int, int]] = {}  # each identified socket's (shard id, count)
        self._seq = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

        self.app_id = p.snowflake()
        self.bot_user = p.user(self.app_id, "newsdesk", bot=True)
        self.guild_id = p.snowflake()
        self.admin_role_id = p.snowflake()
        self.editor_role_id = p.snowflake()
        self.bot_role_id = p.snowflake()  # the role the invite URL's permissions made for the bot
        self.owner = p.user(p.snowflake(), "owner")
        self.alice = p.user(p.snowflake(), "alice")  # an ordinary member
        self.admin = p.user(p.snowflake(), "admin")  # has a role with Manage Server
        self.editor = p.user(p.snowflake(), "editor")  # has the Editor role (no special permission)
        self.other_bot = p.user(p.snowflake(), "otherbot", bot=True)
        self.general_id = p.snowflake()
        self.questions_id = p.snowflake()
        self.roles = {
            self.guild_id: p.role(self.guild_id, "@everyone", p.MEMBER, 0),
            self.admin_role_id: p.role(self.admin_role_id, "Admin", p.MEMBER | p.MANAGE_GUILD, 2),
            self.editor_role_id: p.role(self.editor_role_id, "Editor", p.MEMBER, 1),
            self.bot_role_id: p.role(self.bot_role_id, "newsdesk", BOT_PERMISSIONS, 3, bot_id=self.app_id),
        }
        self.member_roles = {int(self.admin["id"]): [self.admin_role_id], int(self.editor["id"]): [self.editor_role_id],
                             self.app_id: [self.bot_role_id]}
        self.said: dict[int, dict] = {}  # every message members posted, by id (GET .../messages/{id} reads them)
        self.channels = {
            self.general_id: p.text_channel(self.general_id, self.guild_id, "general", 0),
            self.questions_id: p.text_channel(self.questions_id, self.guild_id, "questions", 1),
        }
        self.threads: dict[int, dict] = {}
        self._interactions: dict[int, dict] = {}  # every interaction sent, by id
        self._originals: dict[str, dict] = {}  # the response message of each interaction, by token

    # ------------------------------------------------------------------ lifecycle
    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> "FakeDiscord":
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> "FakeDiscord":
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10, what: str = "condition") -> Any:
        """Wait until `predicate()` is truthy; return its value. Re-checked after every request and
        gateway frame, and every 50 ms for conditions outside the fake (a child process, the bot's cache)."""

        async def poll():
            async with self._changed:
                while not (value := predicate()):
                    try:
                        await asyncio.wait_for(self._changed.wait(), 0.05)
                    except asyncio.TimeoutError:
                        pass
                return value

        try:
            return await asyncio.wait_for(poll(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; requests: {self.requests}") from None

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ------------------------------------------------------------------ REST
    @web.middleware
    async def _record(self, request: web.Request, handler):
        if request.path.startswith(API):
            body: Any = None
            raw = await request.read()
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode(errors="replace")
            record = Request(request.method, request.path[len(API):], dict(request.query), body)
            request[RECORD] = record
            self.requests.append(record)
        try:
            return await handler(request)
        finally:
            await self._notify()

    @staticmethod
    def _json(data: Any, status: int = 200) -> web.Response:
        # Exactly "application/json": discord.py treats "...; charset=utf-8" as text.
        return web.Response(status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"})

    def _error(self, status: int, message: str) -> web.Response:
        return self._json({"message": f"{status}: {message}", "code": 0}, status)

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Authorization") not in (f"Bot {self.token}", None):
            return self._error(401, "Unauthorized")
        path = request.path[len(API):]
        for method, pattern, handler in self._routes:
            if method == request.method and (m := re.fullmatch(pattern, path)):
                return await handler(self, request, request[RECORD].json, **m.groupdict())
        return self._error(404, f"Not Found ({request.method} {path})")

    async def _users_me(self, request, body):
        if request.headers.get("Authorization") != f"Bot {self.token}":
            return self._error(401, "Unauthorized")
        return self._json(self.bot_user)

    async def _application(self, request, body):
        return self._json(p.application(self.app_id, self.bot_user, self.owner, flags=self.app_flags))

    def _missing_access(self) -> web.Response:
        return self._json({"message": "Missing Access", "code": 50001}, 403)

    async def _get_guild(self, request, body, guild):
        """GET /guilds/{id}: the guild with its roles, for a member; Missing Access for a bot not in it."""
        if int(guild) != self.guild_id or not self.bot_in_guild:
            return self._missing_access()
        data = self.guild_payload()
        return self._json({k: v for k, v in data.items() if k not in ("channels", "threads", "members", "voice_states",
                                                                      "presences", "joined_at", "large", "member_count")})

    async def _get_member(self, request, body, guild, user):
        if int(guild) != self.guild_id or not self.bot_in_guild:
            return self._missing_access()
        known = {int(u["id"]): u for u in (self.bot_user, self.owner, self.alice, self.admin, self.other_bot)}
        if int(user) not in known:
            return self._json({"message": "Unknown Member", "code": 10007}, 404)
        return self._json(p.member(known[int(user)], roles=self.member_roles.get(int(user), [])))

    async def _get_channel(self, request, body, channel):
        """GET /channels/{id}: Unknown Channel when there is none; Missing Access when the bot is not in its guild or
        may not view it (as Discord answers a bot)."""
        found = self.channels.get(int(channel)) or self.threads.get(int(channel))
        if found is None:
            return self._json({"message": "Unknown Channel", "code": 10003}, 404)
        if not self.bot_in_guild or not self.channel_permissions(self.bot_user, found) & p.VIEW_CHANNEL:
            return self._missing_access()
        return self._json(found)

    def channel_permissions(self, user: dict, channel: dict) -> int:
        """A member's permissions in a channel: roles, then the channel's overwrites (@everyone, roles, member)."""
        perms = self.permissions_of(user)
        if perms & p.ADMINISTRATOR:
            return p.ALL
        roles = {str(r) for r in self.member_roles.get(int(user["id"]), [])}
        overwrites = channel.get("permission_overwrites") or []
        for match in (lambda o: o["id"] == str(self.guild_id),
                      lambda o: o["type"] == 0 and o["id"] in roles,
                      lambda o: o["type"] == 1 and o["id"] == user["id"]):
            found = [o for o in overwrites if match(o)]
            deny = allow = 0
            for o in found:
                deny |= int(o["deny"])
                allow |= int(o["allow"])
            perms = (perms & ~deny) | allow
        return perms

    async def _gateway_bot(self, request, body):
        return self._json(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            }
        )

    async def _sync(self, request, body, app, guild=None):
        out = []
        for cmd in body or []:
            existing = self.commands.get(cmd["name"])
            cid = existing["id"] if existing else str(p.snowflake())
            synced = {
                "id": cid,
                "application_id": str(self.app_id),
                "version": str(p.snowflake()),
                "default_member_permissions": None,
                "type": 1,
                "options": [],
                **cmd,
            }
            if guild:
                synced["guild_id"] = guild
            self.commands[cmd["name"]] = synced
            out.append(synced)
        return self._json(out)

    def _bot_message(self, channel_id: int, body: dict, *, webhook: bool = False, flags: int = 0) -> dict:
        channel = self.channels.get(channel_id) or self.threads.get(channel_id)
        msg = p.message(
            id=p.snowflake(),
            channel_id=channel_id,
            author=self.bot_user,
            content=body.get("content") or "",
            guild_id=self.guild_id if channel else None,
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            flags=flags or body.get("flags") or 0,
            webhook_id=self.app_id if webhook else None,
            application_id=self.app_id if webhook else None,
        )
        self.messages[int(msg["id"])] = msg
        return msg

    async def _callback(self, request, body, interaction, token):
        interaction = self._interactions[int(interaction)]
        kind = body["type"]
        data = body.get("data") or {}
        channel_id = int(interaction["channel_id"])
        resource: dict[str, Any] = {"type": kind}
        message_id = None
        if kind in (MESSAGE, DEFERRED_MESSAGE):
            msg = self._bot_message(channel_id, data, webhook=True)
            resource["message"] = msg
            message_id = msg["id"]
            self._originals[token] = msg
        elif kind in (UPDATE_MESSAGE, DEFERRED_UPDATE) and "message" in interaction:
            msg = dict(interaction["message"])
            for key in ("content", "embeds", "components"):
                if key in data:
                    msg[key] = data[key]
            self.messages[int(msg["id"])] = msg
            resource["message"] = msg
            message_id = msg["id"]
        request[RECORD].created = resource.get("message")
        return self._json(
            {
                "interaction": {
                    "id": str(interaction["id"]),
                    "type": interaction["type"],
                    "response_message_id": message_id,
                    "response_message_loading": kind == DEFERRED_MESSAGE,
                    "response_message_ephemeral": bool(data.get("flags", 0) & EPHEMERAL),
                },
                "resource": resource,
            }
        )

    def _interaction_of(self, token: str) -> dict:
        return next(i for i in self._interactions.values() if i["token"] == token)

    async def _followup(self, request, body, app, token):
        interaction = self._interaction_of(token)
        msg = self._bot_message(int(interaction["channel_id"]), body or {}, webhook=True)
        request[RECORD].created = msg
        return self._json(msg)

    async def _edit_original(self, request, body, app, token, message):
        original = self._originals.get(token) if message == "@original" else self.messages.get(int(message))
        if original is None:
            return self._error(404, "Unknown Message")
        for key in ("content", "embeds", "components"):
            if key in (body or {}):
                original[key] = body[key]
        request[RECORD].created = original
        return self._json(original)

    async def _get_original(self, request, body, app, token, message):
        original = self._originals.get(token) if message == "@original" else self.messages.get(int(message))
        return self._json(original) if original else self._error(404, "Unknown Message")

    async def _channel_message(self, request, body, channel):
        channel = int(channel)
        if channel not in self.channels and channel not in self.threads:
            return self._error(404, "Unknown Channel")
        msg = self._bot_message(channel, body or {})
        request[RECORD].created = msg
        return self._json(msg)

    async def _start_thread(self, request, body, channel, message):
        if self.forbid_threads:
            return self._json({"message": "Missing Permissions", "code": 50013}, 403)
        thread = p.thread(p.snowflake(), self.guild_id, int(channel), body["name"], self.app_id,
                          body.get("auto_archive_duration") or 1440)
        self.threads[int(thread["id"])] = thread
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return self._json(thread)

    async def _get_message(self, request, body, channel, message):
        found = self.said.get(int(message)) or self.messages.get(int(message))
        return self._json(found) if found and found["channel_id"] == channel else self._error(404, "Unknown Message")

    async def _no_content(self, request, body, **_):
        return web.Response(status=204)

    _routes = [
        ("GET", r"/users/@me", _users_me),
        ("GET", r"/oauth2/applications/@me", _application),
        ("GET", r"/gateway/bot", _gateway_bot),
        ("GET", r"/guilds/(?P<guild>\d+)", _get_guild),
        ("GET", r"/guilds/(?P<guild>\d+)/members/(?P<user>\d+)", _get_member),
        ("GET", r"/channels/(?P<channel>\d+)", _get_channel),
        ("PUT", r"/applications/(?P<app>\d+)/commands", _sync),
        ("PUT", r"/applications/(?P<app>\d+)/guilds/(?P<guild>\d+)/commands", _sync),
        ("POST", r"/interactions/(?P<interaction>\d+)/(?P<token>[^/]+)/callback", _callback),
        ("POST", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)", _followup),
        ("PATCH", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>@original|\d+)", _edit_original),
        ("GET", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>@original|\d+)", _get_original),
        ("POST", r"/channels/(?P<channel>\d+)/messages", _channel_message),
        ("GET", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)", _get_message),
        ("POST", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)/threads", _start_thread),
        ("PUT", r"/channels/\d+/messages/\d+/reactions/[^/]+/@me", _no_content),
        ("DELETE", r"/channels/\d+/messages/\d+/reactions/[^/]+/@me", _no_content),
        ("POST", r"/channels/\d+/typing", _no_content),
    ]

    # ------------------------------------------------------------------ gateway
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}})
        try:
            async for frame in ws:
                if frame.type != WSMsgType.TEXT:
                    continue
                msg = json.loads(frame.data)
                op = msg["op"]
                if op == 1:  # heartbeat
                    self.heartbeats.append(time.monotonic())
                    await ws.send_json({"op": 11})
                    await self._notify()
                elif op == 2:  # identify
                    self.identify = msg["d"]
                    self.identifies.append(msg["d"])
                    if self.sharding_required and "shard" not in msg["d"]:
                        await ws.close(code=4011, message=b"Sharding required.")
                        break
                    await self._ready(ws, msg["d"])
                elif op == 6:  # resume: we keep no sessions, so ask for a fresh identify
                    await ws.send_json({"op": 9, "d": False})
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
            self._shards.pop(ws, None)
        return ws

    def guild_shard(self, shard_count: int) -> int:
        """The shard that holds the guild among `shard_count`, by Discord's rule: (guild id >> 22) % count."""
        return (self.guild_id >> 22) % shard_count

    def _holds_guild(self, ws: web.WebSocketResponse) -> bool:
        shard = self._shards.get(ws)
        return shard is not None and shard[0] == self.guild_shard(shard[1])

    async def _ready(self, ws: web.WebSocketResponse, identify: dict) -> None:
        shard = identify.get("shard") or [0, 1]
        self._shards[ws] = (int(shard[0]), int(shard[1]))
        held = self._holds_guild(ws)
        ready = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": str(self.guild_id), "unavailable": True}] if held else [],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": 1 << 19},
            "shard": shard,
            "private_channels": [],
            "relationships": [],
        }
        await self._send(ws, "READY", ready)
        if held:
            await self._send(ws, "GUILD_CREATE", self.guild_payload())

    def guild_payload(self) -> dict:
        members = [
            p.member(u, roles=self.member_roles.get(int(u["id"]), []))
            for u in (self.bot_user, self.owner, self.alice, self.admin, self.editor, self.other_bot)
        ]
        return p.guild(
            self.guild_id,
            "Newsroom",
            owner_id=int(self.owner["id"]),
            roles=list(self.roles.values()),
            channels=list(self.channels.values()),
            threads=list(self.threads.values()),
            members=members,
        )

    async def _send(self, ws: web.WebSocketResponse, event: str, data: dict) -> None:
        self._seq += 1
        self.sent_events.append((event, data))
        await ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})
        await self._notify()

    async def dispatch(self, event: str, data: dict) -> None:
        """Send a guild's gateway event to the connections holding the guild's shard, as Discord routes it (two
        processes that both identify as that shard both get it)."""
        for ws in list(self._sockets):
            if self._holds_guild(ws):
                await self._send(ws, event, data)

    # ------------------------------------------------------------------ what users do
    def permissions_of(self, user: dict) -> int:
        perms = 0
        for role_id in [self.guild_id, *self.member_roles.get(int(user["id"]), [])]:
            perms |= int(self.roles[role_id]["permissions"])
        return perms

    def _member(self, user: dict) -> dict:
        return p.member(user, roles=self.member_roles.get(int(user["id"]), []), permissions=self.permissions_of(user))

    def _interaction_payload(self, kind: int, data: dict, user: dict, channel_id: int, *, locale: str = "en-US",
                             made_ago: float = 0.0, **extra) -> dict:
        channel = self.channels.get(channel_id) or self.threads[channel_id]
        payload = {
            "id": str(p.snowflake(made_ago)),
            "application_id": str(self.app_id),
            "type": kind,
            "token": f"itoken-{p.snowflake()}",
            "version": 1,
            "guild_id": str(self.guild_id),
            "guild": {"id": str(self.guild_id), "locale": "en-US", "features": []},
            "channel_id": str(channel_id),
            "channel": channel,
            "member": self._member(user),
            "app_permissions": str(p.ALL),
            "locale": locale,  # the member's client language
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
            "data": data,
            **extra,
        }
        self._interactions[int(payload["id"])] = payload
        return payload

    async def slash(self, name: str, *, user: dict | None = None, channel_id: int | None = None, locale: str = "en-US",
                    made_ago: float = 0.0, **options: Any) -> Interaction:
        """A member runs `/name option=value ...` (string options), their Discord client in `locale` ("uk": Ukrainian);
        `made_ago`: Discord made the interaction that many seconds before the bot gets it (a late gateway)."""
        command = self.commands.get(name)
        if command is None:
            raise AssertionError(f"/{name} was never synced; synced: {sorted(self.commands)}")
        data = {
            "id": command["id"],
            "name": name,
            "type": 1,
            "guild_id": str(self.guild_id),
            "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()],
        }
        payload = self._interaction_payload(2, data, user or self.alice, channel_id or self.general_id, locale=locale,
                                            made_ago=made_ago)
        await self.dispatch("INTERACTION_CREATE", payload)
        return Interaction(self, payload)

    async def autocomplete(self, name: str, option: str, typed: str, *, user: dict | None = None, **options: Any) -> Interaction:
        """A member is typing `typed` into `option` of `/name`: Discord asks the bot for choices."""
        command = self.commands[name]
        data = {
            "id": command["id"],
            "name": name,
            "type": 1,
            "guild_id": str(self.guild_id),
            "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()]
            + [{"name": option, "type": 3, "value": typed, "focused": True}],
        }
        payload = self._interaction_payload(4, data, user or self.alice, self.general_id)
        await self.dispatch("INTERACTION_CREATE", payload)
        return Interaction(self, payload)

    async def click(self, message: dict, custom_id: str, *, user: dict | None = None) -> Interaction:
        """A member clicks the button `custom_id` on a message the bot sent."""
        message = self.messages[int(message["id"])]  # as Discord stores it: author, timestamp...
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._interaction_payload(3, data, user or self.alice, int(message["channel_id"]), message=message)
        await self.dispatch("INTERACTION_CREATE", payload)
        return Interaction(self, payload)

    async def say(self, content: str, *, user: dict | None = None, channel_id: int | None = None, mentions: list[dict] = (),
                  reply_to: dict | None = None) -> dict:
        """A member (or a bot) posts a message in a channel or thread; `reply_to` (a message) makes it a reply."""
        author = user or self.alice
        channel_id = channel_id or (int(reply_to["channel_id"]) if reply_to else self.general_id)
        msg = p.message(
            id=p.snowflake(),
            channel_id=channel_id,
            author=author,
            content=content,
            guild_id=self.guild_id,
            member=p.member(author, roles=self.member_roles.get(int(author["id"]), [])),
            mentions=list(mentions),
        )
        if reply_to is not None:  # as Discord sends a reply: the reference and the message it resolves to
            replied = self.messages.get(int(reply_to["id"]), reply_to)
            msg.update(type=19, message_reference={"message_id": str(replied["id"]), "channel_id": str(replied["channel_id"]),
                                                   "guild_id": str(self.guild_id)}, referenced_message=replied)
        self.said[int(msg["id"])] = msg
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def react(self, message: dict, emoji: str, *, user: dict | None = None) -> None:
        """A member adds the reaction `emoji` (a Unicode emoji) to a message."""
        reactor = user or self.alice
        await self.dispatch("MESSAGE_REACTION_ADD", {
            "user_id": reactor["id"], "channel_id": str(message["channel_id"]), "message_id": str(message["id"]),
            "guild_id": str(self.guild_id), "message_author_id": str(message["author"]["id"]),
            "member": p.member(reactor, roles=self.member_roles.get(int(reactor["id"]), [])),
            "emoji": {"id": None, "name": emoji}, "burst": False, "burst_colors": [], "type": 0})

    async def open_thread(self, parent_id: int, name: str, *, owner: dict | None = None) -> int:
        """A member opens a thread (Discord announces it with THREAD_CREATE)."""
        thread = p.thread(p.snowflake(), self.guild_id, parent_id, name, int((owner or self.alice)["id"]))
        self.threads[int(thread["id"])] = thread
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return int(thread["id"])

    # ------------------------------------------------------------------ what the bot sent
    def sent(self, method: str, pattern: str) -> list[Request]:
        """The bot's requests whose path fully matches the regex `pattern`."""
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    def posts_in(self, channel_id: int) -> list[dict]:
        """Messages the bot posted in a channel or thread (as sent, with their ids)."""
        return [r.as_seen() for r in self.sent("POST", rf"/channels/{channel_id}/messages")]
