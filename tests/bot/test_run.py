"""`partnerpulse run`: a clear message without a token, and a real run against the server."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from telegram.error import InvalidToken

from bot.apiserver import BotApiServer
from bot.app import PARTNER_COMMANDS
from bot.cli import cli
from bot.commands.run import serve
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
    await telegram_server.wait_for_poll(timeout=60)
    asha = telegram_server.user(501, "Asha")
    await asha.send_command("/start", token)
    welcome = await telegram_server.wait_for(asha.chat_id, lambda e: e.kind == "message")
    assert "Welcome, Asha Patel" in (welcome.text or "")
    stop.set()
    await asyncio.wait_for(task, 60)                    # a hang guard: serve returns by itself
    # The partner's commands went to Telegram (the menu a partner sees) ...
    account = telegram_server.bot()
    default_menu = account.commands[json.dumps([{"type": "default"}, ""], sort_keys=True)]
    assert [c["command"] for c in default_menu] == [c.command for c in PARTNER_COMMANDS]
    # ... and it stopped cleanly: the /start was acknowledged (not redelivered to the next
    # run) and the database closed (SQLite removes the WAL file with the last connection).
    assert account.pending_update_count == 0
    wal = Path(f"{config.database.path}-wal")
    assert not await asyncio.to_thread(wal.exists)
