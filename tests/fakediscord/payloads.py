"""Discord JSON payloads (API v10), as the real API sends them, built from a few fields."""

from __future__ import annotations

import itertools
import time
from datetime import datetime, timezone

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count(1)

# Permission bits used here.
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
READ_MESSAGE_HISTORY = 1 << 16
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
ADD_REACTIONS = 1 << 6
EMBED_LINKS = 1 << 14
MEMBER = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | SEND_MESSAGES_IN_THREADS | CREATE_PUBLIC_THREADS | ADD_REACTIONS
ALL = (1 << 50) - 1

TEXT_CHANNEL, PUBLIC_THREAD = 0, 11


def snowflake(ago: float = 0.0) -> int:
    """A fresh, realistic 18–19 digit id, its time `ago` seconds back (an event Discord made that long ago)."""
    return ((int((time.time() - ago) * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_counter) & 0x3FFFFF)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def user(id: int, name: str, *, bot: bool = False) -> dict:
    return {
        "id": str(id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def member(u: dict, *, roles: list[int] = (), permissions: int | None = None) -> dict:
    out = {
        "user": u,
        "nick": None,
        "roles": [str(r) for r in roles],
        "joined_at": now_iso(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "avatar": None,
    }
    if permissions is not None:
        out["permissions"] = str(permissions)
    return out


def role(id: int, name: str, permissions: int, position: int, *, bot_id: int | None = None) -> dict:
    """A role; `bot_id`: the role Discord makes for a bot invited with permissions (managed, tagged with the bot)."""
    out = {
        "id": str(id),
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    if bot_id is not None:
        out.update(managed=True, tags={"bot_id": str(bot_id)})
    return out


def text_channel(id: int, guild_id: int, name: str, position: int = 0) -> dict:
    return {
        "id": str(id),
        "type": TEXT_CHANNEL,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "parent_id": None,
        "topic": None,
        "nsfw": False,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
    }


def thread(id: int, guild_id: int, parent_id: int, name: str, owner_id: int, archive_minutes: int = 1440) -> dict:
    return {
        "id": str(id),
        "type": PUBLIC_THREAD,
        "guild_id": str(guild_id),
        "parent_id": str(parent_id),
        "name": name,
        "owner_id": str(owner_id),
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": archive_minutes,
            "archive_timestamp": now_iso(),
            "locked": False,
        },
    }


def message(
    *,
    id: int,
    channel_id: int,
    author: dict,
    content: str = "",
    guild_id: int | None = None,
    member: dict | None = None,
    mentions: list[dict] = (),
    embeds: list = (),
    components: list = (),
    flags: int = 0,
    webhook_id: int | None = None,
    application_id: int | None = None,
) -> dict:
    out = {
        "id": str(id),
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": list(mentions),
        "mention_roles": [],
        "attachments": [],
        "embeds": list(embeds),
        "components": list(components),
        "pinned": False,
        "type": 0,
        "flags": flags,
    }
    if guild_id is not None:
        out["guild_id"] = str(guild_id)
    if member is not None:
        out["member"] = {k: v for k, v in member.items() if k != "user"}
    if webhook_id is not None:
        out["webhook_id"] = str(webhook_id)
    if application_id is not None:
        out["application_id"] = str(application_id)
    return out


def guild(id: int, name: str, *, owner_id: int, roles: list[dict], channels: list[dict], members: list[dict], threads: list[dict] = ()) -> dict:
    return {
        "id": str(id),
        "name": name,
        "owner_id": str(owner_id),
        "icon": None,
        "features": [],
        "roles": roles,
        "emojis": [],
        "stickers": [],
        "channels": channels,
        "threads": list(threads),
        "members": members,
        "member_count": len(members),
        "large": False,
        "unavailable": False,
        "joined_at": now_iso(),
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "system_channel_flags": 0,
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


# Application flags (https://discord.com/developers/docs/resources/application#application-object-application-flags):
# the Message Content intent switched on in the developer portal, for a verified bot and for one in < 100 servers.
GATEWAY_MESSAGE_CONTENT = 1 << 18
GATEWAY_MESSAGE_CONTENT_LIMITED = 1 << 19


def overwrite(id: int, *, role: bool, allow: int = 0, deny: int = 0) -> dict:
    """A channel permission overwrite for a role (type 0) or a member (type 1)."""
    return {"id": str(id), "type": 0 if role else 1, "allow": str(allow), "deny": str(deny)}


def application(id: int, bot_user: dict, owner: dict, *, flags: int = GATEWAY_MESSAGE_CONTENT_LIMITED) -> dict:
    return {
        "id": str(id),
        "name": bot_user["username"],
        "icon": None,
        "description": "newsdesk (test)",
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": owner,
        "verify_key": "0" * 64,
        "flags": flags,
        "team": None,
        "bot": bot_user,
        "summary": "",
        "interactions_endpoint_url": None,
    }
