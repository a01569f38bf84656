"""SIGKILL the real bot mid fan-out, again and again: nobody is missed, nobody sent twice but
a message that was in flight at the instant of a kill (see the module doc of bot.sender)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.apiserver import DEFAULT_TOKEN, BotApiServer
from bot.wiring import Services, build_services
from storage.outbox import IN_FLIGHT_AT_CRASH
from tests.bot.conftest import bot_config
from tests.bot.test_fanout import add_joined_partners, create_round, settled

RATE = 40
PARTNERS = 300
KILL_AFTER = (25, 80, 140, 200, 250)  # sends seen by the server
CONCURRENCY = 4  # the sender's default: at most this many requests in flight
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    """The local Bot API server, refusing more than RATE sends a second."""
    server = BotApiServer(send_limit_per_second=RATE)
    server.add_bot(DEFAULT_TOKEN, username="partnerpulse_bot")
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def write_config(tmp_path: Path, server: BotApiServer) -> Path:
    config = bot_config(tmp_path, server)
    path = tmp_path / "bot.toml"
    path.write_text(
        f'[telegram]\ntoken = "{server.token}"\nbase_url = "{server.base_url}"\n'
        f'base_file_url = "{server.base_file_url}"\nbot_username = "partnerpulse_bot"\n'
        f'[database]\npath = "{config.database.path}"\n'
        f"[sending]\nmessages_per_second = {RATE}.0\nper_chat_interval = 1.0\n"
        "backoff_base = 0.05\n", encoding="utf-8")
    return path


async def start_bot(config: Path, log: Path) -> asyncio.subprocess.Process:
    """`partnerpulse run --config FILE` in a process of its own."""
    env = {**os.environ, "PARTNERPULSE_TOKEN": ""}
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            # `partnerpulse run` itself, without importing every other command (reports
            # bring pandas), so that a restart takes about a second.
            sys.executable, "-c", "from bot.commands.run import run; run()", "--config",
            str(config), "--log-level", "WARNING", cwd=ROOT, env=env, stdout=out, stderr=out)


async def in_flight(svc: Services, round_id: int) -> set[int]:
    """Chats whose invitation the dead process had claimed but not settled."""
    return {m.chat_id for m in await svc.outbox.messages(round_id=round_id)
            if m.state == "sending"}


async def test_sigkill_mid_fanout_misses_nobody_and_doubles_only_what_was_in_flight(
        server: BotApiServer, tmp_path: Path) -> None:
    config = write_config(tmp_path, server)
    log = tmp_path / "bot.log"
    svc = await build_services(bot_config(tmp_path, server))
    chats = await add_joined_partners(svc, server, PARTNERS)
    account, rng = server.bot(), random.Random(4)
    proc = await start_bot(config, log)
    round_id = await create_round(svc)
    ambiguous: list[set[int]] = []
    async def state() -> str:
        counts = await svc.outbox.counts(round_id, "invitation")
        return (f"sent {server.sent_count()}, outbox {counts}, bot exit {proc.returncode}, "
                f"log: {log.read_text()[-2000:]}")

    try:
        for i, after in enumerate(KILL_AFTER):
            try:
                await account.signal.until(lambda n=after: True if server.sent_count() >= n
                                           else None, 120)
            except TimeoutError:
                pytest.fail(f"no {after} sends within 120 s (a hang guard): {await state()}")
            if i % 2:  # every other kill lands a moment later, not right on an accepted send
                await asyncio.sleep(rng.uniform(0, 2 / RATE))
            proc.send_signal(signal.SIGKILL)
            assert await asyncio.wait_for(proc.wait(), 20) == -signal.SIGKILL
            ambiguous.append(await in_flight(svc, round_id))
            proc = await start_bot(config, log)
        try:
            counts = await settled(svc, round_id, timeout=120)
        except TimeoutError:
            pytest.fail(f"the fan-out did not finish within 120 s (a hang guard): "
                        f"{await state()}")
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 20)
    rows = {m.chat_id: m for m in await svc.outbox.messages(round_id=round_id)}
    await svc.db.close()

    per_chat = {chat: server.sent_count(chat) for chat in chats}
    doubled = {chat: n - 1 for chat, n in per_chat.items() if n > 1}
    everyone_in_flight = set().union(*ambiguous)
    print(f"\n{len(KILL_AFTER)} kills, {PARTNERS} partners: in flight at each kill "
          f"{[len(a) for a in ambiguous]}, delivered twice {sorted(doubled)}")
    assert counts == {"sent": PARTNERS}, log.read_text()[-3000:]
    assert min(per_chat.values()) == 1, "a partner was missed"
    # A second copy only where a request was in flight when the process died, once per kill.
    assert set(doubled) <= everyone_in_flight, (doubled, ambiguous)
    for chat, extra in doubled.items():
        assert extra <= sum(chat in a for a in ambiguous)
        assert rows[chat].last_error == IN_FLIGHT_AT_CRASH
    assert all(len(a) <= CONCURRENCY for a in ambiguous), ambiguous
    assert server.sent_count() == PARTNERS + sum(doubled.values())
