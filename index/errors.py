"""Errors meant for the person using newsdesk: each says what went wrong and what to do.

Each is typed and keeps what it names (the date as written, the question's length…) so that a front end speaking
another language says the same in its own words (bot/words.py); the message is the English one (the CLI's)."""


NAMED_CHARS = 80  # the most of a text an error echoes: a pasted page is named by its start, not echoed whole


def named(text: str, limit: int = NAMED_CHARS) -> str:
    """`text` as an error names it: whole when short, else its first `limit` - 1 characters and "…"."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


class NewsdeskError(Exception):
    """Base class of errors shown to users as one line (CLI) or an ephemeral reply (Discord)."""


class EmptyQuestion(NewsdeskError):
    def __init__(self) -> None:
        super().__init__("The question is empty: ask something, e.g. \"which ships left Tartus?\"")


class QuestionTooLong(NewsdeskError):
    def __init__(self, length: int, limit: int) -> None:
        self.length, self.limit = length, limit
        super().__init__(f"The question is {length:,} characters long: ask it in under {limit} characters "
                         "(of a longer text, only its last sentence ending in '?' is asked).")


class IndexMissing(NewsdeskError):
    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"No index at {path}: build one first with `newsdesk ingest` (it reads CORPUS_DIR).")


class IndexIncompatible(NewsdeskError):
    """An index built with another embedding model (`built`) than the one configured (`model`)."""

    def __init__(self, built: str, model: str) -> None:
        self.built, self.model = built, model
        super().__init__(f"The index was built with model {built!r} but EMBEDDING_MODEL is {model!r}: "
                         "run `newsdesk ingest` again to rebuild it.")


class BadDate(NewsdeskError):
    """A date not in YYYY-MM-DD form (`kind` "form"), or in it but not on the calendar: a day past the month's
    `days` ("day"), a month out of 01-12 ("month"), a year out of 0001-9999 ("year")."""

    def __init__(self, value: str, kind: str = "form", days: int = 0) -> None:
        self.value, self.kind, self.days = value, kind, days  # value as written (at most 40 characters)
        super().__init__({"day": f"no such date {value!r}: {value[:7]} has {days} days",
                          "month": f"no such date {value!r}: months run from 01 to 12",
                          "year": f"no such date {value!r}: years run from 0001 to 9999"}.get(
                              kind, f"unparseable date {value!r} (expected YYYY-MM-DD)"))


class BadDocument(NewsdeskError):
    """A file that cannot be ingested; the message is the reason."""


class ModelUnavailable(NewsdeskError):
    pass


class BadSetting(NewsdeskError):
    """A setting (environment variable or .env line) with a value newsdesk cannot use; names the variable."""


class UnknownSource(NewsdeskError):
    def __init__(self, source: str, known: list[str]) -> None:
        self.source, self.known = source, known
        shown = ", ".join(known[:12]) + (f" and {len(known) - 12} more (newsdesk sources)" if len(known) > 12 else "")
        super().__init__(f"No source named {named(source)!r}; known: {shown or 'none (the documents have no source)'}")


class BadRequest(NewsdeskError):
    """A request with an option out of range or of the wrong kind (e.g. k="abc"); the message names it."""


class DatesReversed(BadRequest):
    """A date range whose start (`since`) is after its end (`until`): no date is in it."""

    def __init__(self, since: object, until: object) -> None:
        self.since, self.until = since, until
        super().__init__(f"since {since} is after until {until}: no date is in that range (swap them?)")

    @classmethod
    def check(cls, since, until) -> None:
        """Raise when both are given and `since` comes after `until`."""
        if since and until and since > until:
            raise cls(since, until)


class IndexDamaged(NewsdeskError):
    """An index version that cannot be opened or read; the message says what and how to repair it."""


class StateDamaged(NewsdeskError):
    """A SQLite file of the bot's state (votes and question log, conversations, digests, feeds, links) that SQLite
    cannot read: not a database, or its pages damaged (a copy cut short, a full disk)."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        super().__init__(f"{path} is not a readable SQLite database ({reason}): move it aside and a new, empty one "
                         "is made, or restore it from a backup")


class ReplicaRefuses(NewsdeskError):
    """A process with ROLE=replica was asked to write the index: the writer alone publishes versions."""


class BadText(NewsdeskError):
    """Text that is not Unicode (bytes that are not UTF-8, a lone surrogate); the message says what and where:
    `what` the text's name as the caller gave it ("the question"), `at` the 1-based character (or byte) it breaks at."""

    def __init__(self, message: str, what: str = "", at: int | None = None) -> None:
        super().__init__(message)
        self.what, self.at = what, at
