"""What every command starts from: the settings (--env-file, --index) and the engine on the index."""

from __future__ import annotations


def settings_of(args):
    """The settings in effect: the environment over --env-file (or ./.env), with --index over INDEX_DIR."""
    from dataclasses import replace

    from index.errors import BadSetting
    from index.settings import DOTENV
    from newsdesk.settings import Settings

    env_file = getattr(args, "env_file_after", None) or args.env_file
    if env_file and not env_file.is_file():
        raise BadSetting(f"--env-file {env_file}: no such file")
    settings = Settings.from_env(dotenv=env_file or DOTENV)
    index = getattr(args, "index_after", None) or args.index
    return replace(settings, index_dir=index) if index else settings


def engine_on(settings, *, load_model: bool = True):
    """The engine on the current index; `load_model=False` for reading the index only (sources, digests)."""
    from index.engine import Engine  # not at the top: `run` and `--help` start without the engine stack

    return Engine.open(settings, load_model=load_model)
