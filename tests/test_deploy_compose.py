"""compose.yaml and compose.replicas.yaml: valid Compose files (the compose-spec JSON schema), and the replicas layout
holds each Discord shard exactly once, with one writer, health checks and start order."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from newsdesk.settings import Settings
from newsdesk.cli import build_parser

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "tests" / "data" / "compose-spec.json").read_text())
VALIDATOR = jsonschema.Draft201909Validator(SCHEMA)  # the draft its "$schema" names (by a URL jsonschema does not know)
FILES = ("compose.yaml", "compose.replicas.yaml")


def load(name: str) -> dict:
    return yaml.safe_load((REPO / name).read_text())  # YAML merge keys (<<) resolved as compose does


def merged(base: dict, override: dict) -> dict:
    """`docker compose -f base -f override`: mappings merge key by key, anything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def interpolated(value: str) -> str:
    """${VAR:-default} as compose fills it with VAR unset."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)


def bots(project: dict) -> dict[str, dict]:
    """The services that run `newsdesk run`: the newsdesk image with its default command."""
    return {name: s for name, s in project["services"].items()
            if s.get("image", "").startswith("newsdesk") and s.get("command") in (None, ["run"])}


@pytest.mark.parametrize("name", FILES)
def test_each_file_is_a_valid_compose_file(name):
    VALIDATOR.validate(load(name))


def test_the_schema_check_can_fail():
    broken = load("compose.yaml")
    broken["services"]["newsdesk"]["healthcheck"]["retries"] = "three"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(broken)


def test_alone_one_bot_holds_every_shard_and_is_health_checked():
    project = load("compose.yaml")
    [(name, bot)] = bots(project).items()
    assert "SHARD_IDS" not in bot["environment"] and "SHARD_COUNT" not in bot["environment"]
    assert bot["healthcheck"]["test"] == ["CMD", "newsdesk", "health"]
    assert "./corpus:/corpus" in bot["volumes"] and "chown -R 10001:10001 corpus" in (REPO / "compose.yaml").read_text()


def test_with_replicas_each_shard_is_held_once_by_one_writer_and_its_replicas():
    project = merged(load("compose.yaml"), load("compose.replicas.yaml"))
    running = bots(project)
    settings = {name: Settings.from_env({k: interpolated(str(v)) for k, v in s["environment"].items()
                                         if k not in ("DATA_DIR", "CORPUS_DIR")}, dotenv=None)
                for name, s in running.items()}  # each one's settings as it starts (a bad SHARD_IDS is refused)

    assert len(running) >= 2
    counts = {s.shard_count for s in settings.values()}
    assert len(counts) == 1 and None not in counts, counts
    held = [i for s in settings.values() for i in s.shard_ids]
    assert sorted(held) == list(range(counts.pop())), held  # every shard, none twice
    assert [name for name, s in settings.items() if s.role == "writer"] == ["newsdesk"]
    assert all(s.index_store == "milvus" and s.database_url for s in settings.values())


def test_with_replicas_services_start_in_order_and_are_health_checked():
    project = merged(load("compose.yaml"), load("compose.replicas.yaml"))
    services = project["services"]
    commands = set(build_parser()._subparsers._group_actions[0].choices)

    for name, service in services.items():
        for needed, how in (service.get("depends_on") or {}).items():
            assert needed in services, (name, needed)
            if how.get("condition") == "service_healthy":
                assert services[needed].get("healthcheck"), f"{name} waits for {needed}'s health, which has no check"
    for name, bot in bots(project).items():
        assert {"milvus", "postgres"} <= set(bot["depends_on"]), name
        test = bot.get("healthcheck", {}).get("test")
        assert test and test[:2] == ["CMD", "newsdesk"] and test[2] in commands, name
    assert services["replica-1"]["depends_on"]["newsdesk"] == {"condition": "service_healthy"}
