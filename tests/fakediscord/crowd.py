"""Many members asking at once over the fake Discord (tests/test_bot_load.py, tests/test_engine_processes.py)."""

from __future__ import annotations

import asyncio

from fakediscord import payloads as p

# questions about the harbour corpus the bot tests serve (tests/data)
QUESTIONS = ["when will the northern pier close?", "who is fixing the pier?", "what did the council decide?",
             "how much will the repairs cost?", "which ferry routes change?", "what happened on the seafront?"]


def members(n: int) -> list[dict]:
    return [p.user(p.snowflake(), f"member{i}") for i in range(n)]


def answer_of(reply: dict) -> dict:
    """What the member reads, the vote buttons (which carry the answer's id) left out."""
    return {"content": reply.get("content"), "embeds": reply["embeds"]}


async def ask_together(fake, asked: list[tuple[dict, str]], timeout: float = 30) -> list[dict]:
    """Each (member, question) sent as `/ask` at once; their replies, in the same order."""
    asks = await asyncio.gather(*(fake.slash("ask", question=q, user=m) for m, q in asked))
    return await asyncio.gather(*(a.reply(timeout=timeout) for a in asks))
