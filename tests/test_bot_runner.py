"""`newsdesk run` (bot.runner): a missing or rejected DISCORD_TOKEN is one line, not a traceback."""

from __future__ import annotations

import dataclasses

import pytest

from bot import runner
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from index.settings import Settings

pytestmark = pytest.mark.timeout(60)


def test_a_missing_token_explains_how_to_set_it(capsys):
    code = runner.run(Settings.from_env({}))

    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and "DISCORD_TOKEN" in err and ".env" in err
    assert "Traceback" not in err


async def test_a_token_discord_rejects_is_one_line_and_a_failure(fake, bot_settings, capsys):
    settings = dataclasses.replace(bot_settings, discord_token="not-the-bot-token")

    code = await runner.serve(settings)

    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and "rejected DISCORD_TOKEN" in err and "Traceback" not in err
    assert [r.path for r in fake.requests] == ["/users/@me"]  # nothing else was tried


async def test_a_missing_index_is_one_line_too(fake, bot_settings, tmp_path, capsys):
    settings = dataclasses.replace(bot_settings, index_dir=tmp_path / "nowhere")

    code = await runner.serve(settings)

    err = capsys.readouterr().err
    assert code != 0 and err.count("\n") == 1 and "newsdesk ingest" in err
