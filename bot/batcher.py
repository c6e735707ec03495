"""Questions that arrive while the engine is busy, handed to it together, each member in turn.

A question that finds a worker free goes to the engine at once (alone it waits for nothing); the ones that
arrive meanwhile wait, and the next free worker takes up to `most` of them in one `Engine.ask_many` call,
each answer sent on as soon as it is ready.
A batch holds at most one question per member, members taken in turn, each member's oldest first: a member
who sends ten questions at once gets one into each batch, and everyone else's question goes into the next
batch there is, not behind the ten.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Awaitable, Callable, Hashable, Sequence

from index.batch import Asking
from index.types import Answer

# askings and a callback (i, result) for each as it is ready → an Answer or an Exception each
RunBatch = Callable[[Sequence[Asking], Callable[[int, object], None]], Awaitable[list]]


@dataclass
class _Waiting:
    asking: Asking
    answered: asyncio.Future


class Batcher:
    """At most `workers` batches of at most `most` questions in the engine at a time (`run` runs one batch in a
    worker thread)."""

    def __init__(self, run: RunBatch, *, most: int, workers: int) -> None:
        self.run, self.most, self.workers = run, most, workers
        self._waiting: OrderedDict[Hashable, deque[_Waiting]] = OrderedDict()  # member → questions, in turn order
        self._busy = 0
        self._tasks: set[asyncio.Task] = set()
        self.batches: list[int] = []  # the size of each batch taken (the last 1,000), oldest first

    async def ask(self, member: Hashable, asking: Asking) -> Answer:
        """The engine's answer to `asking` (or the error it raised) when `member`'s turn comes."""
        answered = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(member, deque()).append(_Waiting(asking, answered))
        self._start()
        return await answered

    @property
    def waiting(self) -> int:
        return sum(len(q) for q in self._waiting.values())

    def _take(self) -> list[_Waiting]:
        """Up to `most` waiting questions, at most one per member, members in turn (one who had a question taken
        and has more goes to the back)."""
        taken: list[_Waiting] = []
        for member in list(self._waiting)[:self.most]:
            queue = self._waiting[member]
            item = queue.popleft()
            if queue:
                self._waiting.move_to_end(member)
            else:
                del self._waiting[member]
            if not item.answered.done():  # the asker gave up (its task was cancelled)
                taken.append(item)
        return taken

    def _start(self) -> None:
        while self._busy < self.workers and self._waiting:
            batch = self._take()
            if not batch:
                continue
            self._busy += 1
            self.batches = self.batches[-999:] + [len(batch)]
            task = asyncio.get_running_loop().create_task(self._answer(batch), name="newsdesk-batch")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _answer(self, batch: list[_Waiting]) -> None:
        loop = asyncio.get_running_loop()

        def settle(i: int, result: object) -> None:  # on the event loop
            waiting = batch[i].answered
            if waiting.done():
                return
            if isinstance(result, BaseException):
                waiting.set_exception(result)
            else:
                waiting.set_result(result)

        def ready(i: int, result: object) -> None:  # in the worker thread, as each answer is ready
            loop.call_soon_threadsafe(settle, i, result)

        try:
            try:
                results = await self.run([w.asking for w in batch], ready)
            except Exception as exc:  # the batch as a whole failed (e.g. the pool is shut down)
                results = [exc] * len(batch)
            for i, result in enumerate(results):
                settle(i, result)
        finally:
            self._busy -= 1
            self._start()
