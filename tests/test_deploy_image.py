"""The Docker image as built and started, replayed from the Dockerfile itself (scripts/replay_dockerfile.py): no
container runtime starts here, so its steps are carried out in a clean folder and the image runs as its user
10001, against the fake Discord. A Dockerfile missing a COPY or a chown fails the replay."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = (REPO / "Dockerfile").read_text()

pytestmark = [pytest.mark.timeout(300), pytest.mark.model,
              pytest.mark.skipif(os.geteuid() != 0, reason="the image's user 10001 can be taken by root only")]


@pytest.fixture(scope="module")
def work():
    """One replay folder and one layer cache for the module: replays after the first reuse its pip and model
    layers, as `docker build` does, when the steps before them are the same. Not under pytest's temporary
    folders, which are root's alone: the image's user must reach its files."""
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="newsdesk-image-"))
    root.chmod(0o755)
    yield root / "work", root / "cache"
    shutil.rmtree(root)


async def replay(work: tuple[Path, Path], dockerfile: Path, *extra: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(REPO / "scripts" / "replay_dockerfile.py"), "--dockerfile", str(dockerfile),
        "--work", str(work[0]), "--cache", str(work[1]), *extra,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), 280)
    return proc.returncode, out.decode()


def mutated(tmp_path: Path, old: str, new: str = "") -> Path:
    assert old in DOCKERFILE
    path = tmp_path / "Dockerfile"
    path.write_text(DOCKERFILE.replace(old, new))
    return path


async def test_the_image_builds_ingests_answers_and_turns_healthy_as_its_user(work, fake):
    code, out = await replay(work, REPO / "Dockerfile", "--discord-api-base", fake.api_base,
                             "--discord-token", fake.token)

    assert code == 0, out
    assert "step 28: COPY sources ./sources" in out
    assert "as uid 10001: newsdesk ingest" in out and "as uid 10001: newsdesk feeds list" in out
    assert "HEALTHCHECK: ok: connected as newsdesk" in out
    assert out.rstrip().endswith("every step and check passed")
    assert fake.identifies  # the image's bot really connected


async def test_a_missing_copy_fails_the_replay(work, tmp_path):
    code, out = await replay(work, mutated(tmp_path, "COPY sources ./sources\n"))

    assert code == 1
    assert "replay failed: packages pyproject.toml declares are missing from the image: sources" in out


async def test_a_missing_chown_of_the_data_folder_fails_the_replay(work, tmp_path):
    code, out = await replay(work, mutated(tmp_path, " \\\n    && chown newsdesk:newsdesk /data /corpus"))

    assert code == 1
    assert "as uid 10001: newsdesk ingest" in out and "is not writable" in out.split("replay failed:")[1]
