"""One bot per database: a second `partnerpulse run` on it is refused, naming the first; the
lock goes with the process, even when it is killed."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

from bot.apiserver import BotApiServer

PARTNERPULSE = str(Path(sys.executable).parent / "partnerpulse")


def write_config(tmp_path: Path, server: BotApiServer) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f"[telegram]\ntoken = {json.dumps(server.token)}\n"
        f"base_url = {json.dumps(server.base_url)}\n"
        f"base_file_url = {json.dumps(server.base_file_url)}\n"
        f'bot_username = "partnerpulse_bot"\n\n'
        f"[database]\npath = {json.dumps(str(tmp_path / 'pp.db'))}\n", encoding="utf-8")
    return path


async def start_bot(config: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        PARTNERPULSE, "run", "--config", str(config), "--log-level", "WARNING",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def until_started(server: BotApiServer, commands_before: int) -> None:
    """A bot has started once it has registered its commands (after taking the lock)."""
    account = server.bot()
    await account.signal.until(
        lambda: True if server.requests["setMyCommands"] > commands_before else None, 60)


async def test_a_second_bot_on_the_same_database_is_refused(telegram_server: BotApiServer,
                                                            tmp_path: Path) -> None:
    config = write_config(tmp_path, telegram_server)
    first = await start_bot(config)
    running = [first]
    try:
        await until_started(telegram_server, 0)
        second = await start_bot(config)
        _, err = await asyncio.wait_for(second.communicate(), 60)
        message = err.decode()
        assert second.returncode == 1, message
        assert f"Another PartnerPulse bot (pid {first.pid}) is already running" in message
        assert str(tmp_path / "pp.db") in message and "Traceback" not in message

        # Killed outright, the first bot leaves no lock behind: the next one starts.
        first.kill()
        await first.wait()
        started = telegram_server.requests["setMyCommands"]
        third = await start_bot(config)
        running.append(third)
        await until_started(telegram_server, started)
        assert third.returncode is None
        third.send_signal(signal.SIGTERM)
        await asyncio.wait_for(third.wait(), 60)
        assert third.returncode == 0
    finally:
        for process in running:
            if process.returncode is None:
                process.kill()
                await process.wait()
