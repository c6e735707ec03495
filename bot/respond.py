"""A slash command answered in one REST call when the reply is ready soon; else deferred in time, then followed up.

Discord drops an interaction not responded to within 3 s. Deferring at once and following up costs two REST calls
an answer; most answers are ready well within the deadline, so the reply goes as the interaction's own response,
and the deferral (Discord shows "thinking…") is sent only when `ANSWER_WITHIN` passes first.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord

log = logging.getLogger(__name__)

ANSWER_WITHIN = 1.5  # seconds from Discord making the interaction: half its 3 s, so a busy loop still defers in time


class Responder:
    """Answers `interaction` with `send(...)`: as its response if called within `within` seconds of Discord making
    the interaction, else as a follow-up of the deferral sent (`defer(thinking=True)`) the moment `within` passed.
    Time the interaction spent reaching the command (a late gateway, a queue) counts: Discord's 3 s run from its
    creation. On leaving (an error included), a deferral under way is waited for, so an error reply sees whether the
    interaction was answered."""

    def __init__(self, interaction: discord.Interaction, within: float | None = None) -> None:
        self.interaction = interaction
        self.within = ANSWER_WITHIN if within is None else within
        self._timer: asyncio.TimerHandle | None = None
        self._deferring: asyncio.Task[Any] | None = None

    async def __aenter__(self) -> Responder:
        self._timer = asyncio.get_running_loop().call_later(self.left(), self._defer)
        return self

    def left(self) -> float:
        """Seconds left of the budget: `within` less the interaction's age (its id's time), never more than `within`
        (a clock behind Discord's) nor below 0."""
        age = (discord.utils.utcnow() - self.interaction.created_at).total_seconds()
        return min(self.within, max(0.0, self.within - age))

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: Any) -> None:
        self._stop_timer()
        if self._deferring is not None and not self._deferring.done():
            try:
                await self._deferring
            except Exception:
                if kind is None:
                    raise
                log.warning("Could not defer interaction %s", self.interaction.id, exc_info=True)

    @property
    def deferred(self) -> bool:
        """Whether the budget passed and the deferral went (or is going) out."""
        return self._deferring is not None

    def _defer(self) -> None:
        self._deferring = asyncio.ensure_future(self.interaction.response.defer(thinking=True))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    async def send(self, **message: Any) -> discord.Message:
        """Send the reply (`embed=`, `view=`…: `InteractionResponse.send_message`'s arguments); the message sent."""
        self._stop_timer()
        if self._deferring is not None:
            await self._deferring
            return await self.interaction.followup.send(wait=True, **message)
        callback = await self.interaction.response.send_message(**message)
        sent = callback.resource  # the message, from the callback's `with_response` body: no extra GET
        assert isinstance(sent, discord.InteractionMessage), sent
        return sent
