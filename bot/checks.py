"""Who may run admin commands (Manage Server, or the allowlists from settings), who may add links (editors and
admins), and how often anyone may ask."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import discord
from discord import app_commands

from newsdesk.settings import Settings

if TYPE_CHECKING:
    from .bot import NewsdeskBase


class NotAdmin(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("Only members with Manage Server (or on the newsdesk admin list) can do that.")


def is_admin(settings: Settings, user: discord.abc.User, permissions: discord.Permissions) -> bool:
    """Manage Server in this channel, or a user/role on the allowlist."""
    if user.id in settings.admin_user_ids:
        return True
    roles = getattr(user, "roles", ())  # a Member in a guild; a plain User in DMs
    if any(role.id in settings.admin_role_ids for role in roles):
        return True
    return permissions.manage_guild


def is_editor(settings: Settings, user: discord.abc.User, permissions: discord.Permissions) -> bool:
    """Who may add links to the corpus: a member with a role in EDITOR_ROLE_IDS, or an admin."""
    roles = getattr(user, "roles", ())
    return any(role.id in settings.editor_role_ids for role in roles) or is_admin(settings, user, permissions)


def _settings(interaction: discord.Interaction) -> Settings:
    return cast("NewsdeskBase", interaction.client).settings  # the client every command of this bot runs in


def admin_only():
    """An app command check; its failure becomes an ephemeral refusal (see `NewsdeskCog`)."""

    def predicate(interaction: discord.Interaction) -> bool:
        if not is_admin(_settings(interaction), interaction.user, interaction.permissions):
            raise NotAdmin()
        return True

    return app_commands.check(predicate)


def _per_user(interaction: discord.Interaction) -> app_commands.Cooldown | None:
    per_minute = _settings(interaction).rate_limit_per_minute
    return app_commands.Cooldown(per_minute, 60.0) if per_minute > 0 else None


def rate_limited():
    """At most RATE_LIMIT_PER_MINUTE uses of the command per member (discord.py's cooldown, keyed by user);
    beyond it the member gets a private reply saying how long to wait (see `bot.cogs.base.user_message`)."""
    return app_commands.checks.dynamic_cooldown(_per_user)
