"""How long what members asked is kept: QUESTION_LOG_DAYS for the question log, the answers and votes beside it,
and the conversation turns follow-ups are read from; and forgetting one member. Blocking: call from a thread."""

from __future__ import annotations

import time


from newsdesk.database import open_database
from newsdesk.settings import Settings

from .conversations import ConversationStore, turns
from .questionlog import Purged, QuestionLog


def purge(settings: Settings, *, older_than_days: float | None = None, now: float | None = None) -> tuple[Purged, int]:
    """Delete what is older than `older_than_days` (default QUESTION_LOG_DAYS): (question log, conversation turns)."""
    days = settings.question_log_days if older_than_days is None else older_than_days
    now = time.time() if now is None else now
    log = QuestionLog(open_database(settings, settings.votes_db)).purge(older_than_days=days, now=now)
    conversations = ConversationStore.of(settings, durable=True).db
    if not conversations.exists():
        return log, 0
    conversations.create(turns)
    with conversations.begin() as db:
        gone = db.execute(turns.delete().where(turns.c.created_at < now - days * 86400)).rowcount
    return log, gone


def forget_member(settings: Settings, user_id: int) -> tuple[Purged, int]:
    """Delete one member's questions, the answers they were given, their votes and the conversation turns they asked:
    (question log, conversation turns). Turns kept before the asker was recorded go with QUESTION_LOG_DAYS."""
    log = QuestionLog(open_database(settings, settings.votes_db)).forget_member(user_id)
    return log, ConversationStore.of(settings, durable=True).forget_member(user_id)


__all__ = ["purge", "forget_member", "Purged"]
