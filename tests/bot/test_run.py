"""`partnerpulse run`: a clear message without a token, and a real run against the server."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from telegram.error import InvalidToken

from bot.apiserver import BotApiServer
from bot.cli import cli
from bot.commands.run import serve
from bot.config import TelegramConfig
from bot.wiring import build_services
from tests.bot.conftest import ROSTER_ROWS, bot_config


def test_run_without_a_token_explains(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "x.db"}"\n')
    result = CliRunner(env={"PARTNERPULSE_TOKEN": ""}).invoke(cli, ["run", "--config",
                                                                    str(config)])
    assert result.exit_code == 1 and "No bot token" in result.output


async def test_a_rejected_token_stops_with_invalid_token(telegram_server: BotApiServer,
                                                         tmp_path: Path) -> None:
    config = bot_config(tmp_path, telegram_server)
    wrong = replace(config, telegram=replace(config.telegram, token="123:wrong"))
    with pytest.raises(InvalidToken):
        await serve(wrong, asyncio.Event())


async def test_serve_polls_registers_commands_and_stops(telegram_server: BotApiServer,
                                                        tmp_path: Path) -> None:
    config = bot_config(tmp_path, telegram_server)
    svc = await build_services(config)
    await svc.partners.import_rows(ROSTER_ROWS, svc.clock.now())
    token = await svc.invitations.issue((await svc.partners.all())[0].id)
    await svc.db.close()
    stop = asyncio.Event()
    task = asyncio.create_task(serve(config, stop))
    await telegram_server.wait_for_poll(timeout=10)
    asha = telegram_server.user(501, "Asha")
    await asha.send_command("/start", token)
    welcome = await telegram_server.wait_for(asha.chat_id, lambda e: e.kind == "message")
    assert "Welcome, Asha Patel" in (welcome.text or "")
    stop.set()
    await asyncio.wait_for(task, 10)
    assert telegram_server.requests["setMyCommands"] >= 1
    assert isinstance(config.telegram, TelegramConfig)
