"""Questions that arrive together, answered together: `Engine.ask_many`.

Each question is answered exactly as `Engine.ask` answers it alone, so what a batch may share is only what
cannot change an answer: the same question asked the same way (text, options, asking date and conversation)
by several members at once is answered once, and one failing question is that question's error, never the
batch's. Encoding the batch's questions in one ONNX call does not qualify: the int8 model quantises its
activations per call, so a question's vector moves with its batch-mates (cosine down to 0.989 over 32
realtimeqa questions, docs/load.md), and it saves little (610 → 519 ms for 32 questions on this machine).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Callable, Protocol, Sequence

from index.types import Answer, Conversation

if TYPE_CHECKING:
    from index.answer.question import Question


class Asks(Protocol):
    """What answers a batch: `Engine.ask`, or a wrapper of it."""

    def ask(self, question: str | Question, *, k: int | None = None, since: date | None = None,
            until: date | None = None, source: str | None = None, as_of: date | None = None, mode: str = "hybrid",
            exclude_docs: frozenset[str] = frozenset(), time_words: bool = True,
            context: Conversation | None = None) -> Answer: ...


@dataclass(frozen=True)
class Asking:
    """One question and the options `Engine.ask` takes for it."""

    question: str | Question  # a Question is already normalised (Engine.ask reads a text itself)
    k: int | None = None
    since: date | None = None
    until: date | None = None
    source: str | None = None
    as_of: date | None = None
    mode: str = "hybrid"
    exclude_docs: frozenset[str] = frozenset()
    time_words: bool = True
    context: Conversation | None = field(default=None)

    def key(self) -> tuple:
        """What two askings share when they must get the same answer (spacing aside, as `ask` reads it)."""
        return (" ".join(str(self.question).split()), self.k, self.since, self.until, self.source, self.as_of,
                self.mode, self.exclude_docs, self.time_words, self.context)

    def options(self) -> dict:
        return {"k": self.k, "since": self.since, "until": self.until, "source": self.source, "as_of": self.as_of,
                "mode": self.mode, "exclude_docs": self.exclude_docs, "time_words": self.time_words,
                "context": self.context}


Answered = Callable[[int, "Answer | Exception"], None]


def ask_many(engine: Asks, askings: Sequence[Asking], answered: Answered | None = None) -> list[Answer | Exception]:
    """One answer (or the error `ask` raised) per asking, in order; repeats of an asking are answered once and
    each gets its own copy. `answered(i, result)` is called as each is ready (the bot sends it then, not when
    the whole batch is done)."""
    done: dict[tuple, Answer | Exception] = {}
    out: list[Answer | Exception] = []
    for asking in askings:
        if answered is not None and out:
            answered(len(out) - 1, out[-1])
        try:
            key = asking.key()
            hash(key)
        except (TypeError, AttributeError):  # an option ask would refuse: let it say so
            key = None
        if key is None or key not in done:
            try:
                result: Answer | Exception = engine.ask(
                    asking.question, k=asking.k, since=asking.since, until=asking.until, source=asking.source,
                    as_of=asking.as_of, mode=asking.mode, exclude_docs=asking.exclude_docs,
                    time_words=asking.time_words, context=asking.context)
            except Exception as exc:
                result = exc
            if key is None:
                out.append(result)
                continue
            done[key] = result
            out.append(result)
        else:
            result = done[key]
            out.append(copy.deepcopy(result) if isinstance(result, Answer) else result)
    if answered is not None and out:
        answered(len(out) - 1, out[-1])
    return out
