"""A round goes out: every reachable partner once, at Telegram's limits, through faults."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.apiserver import BotApiServer
from bot.app import build_application, shutdown, startup
from bot.cli import cli
from bot.config import Config, SendingConfig
from bot.sender import OutboxSender
from bot.wiring import Services, build_services
from storage.db import to_db
from storage.records import NewMessage, PartnerRow
from surveys.templates import resolve_template
from tests.bot.conftest import StartPolling, bot_config

RATE = 30  # Telegram's default, kept by the sender and enforced by the server
FIRST_CHAT = 700_000


@dataclass
class Fanout:
    """The real bot in this process, with `n` partners who joined (chat = FIRST_CHAT + i)."""

    server: BotApiServer
    svc: Services
    config: Config
    sender: OutboxSender
    chats: list[int]


async def add_joined_partners(svc: Services, server: BotApiServer, n: int) -> list[int]:
    """Import `n` partners and bind each to a chat, as if each had tapped their invite."""
    rows = [PartnerRow(f"Partner {i:03d}", f"Org {i:03d}", ("Council", "Police", "NHS")[i % 3],
                       f"Partnership {i % 4}", "Member") for i in range(n)]
    await svc.partners.import_rows(rows, svc.clock.now())
    people = sorted(await svc.partners.all(), key=lambda p: p.name)
    chats = []
    async with svc.db.write() as conn:
        for i, person in enumerate(people):
            chat = FIRST_CHAT + i
            await conn.execute(
                "UPDATE partners SET chat_id = ?, telegram_user_id = ?, joined_at = ?"
                " WHERE id = ?", (chat, chat, to_db(svc.clock.now()), person.id))
            server.user(chat, f"Partner{i}")
            chats.append(chat)
    return chats


@pytest.fixture
async def fanout(telegram_server: BotApiServer, tmp_path: Path,
                 start_polling: StartPolling) -> AsyncIterator[Fanout]:
    """PartnerPulse polling the local server, 150 joined partners, fast backoff."""
    config = replace(bot_config(tmp_path, telegram_server),
                     sending=SendingConfig(messages_per_second=RATE, per_chat_interval=1.0,
                                           max_attempts=8, backoff_base=0.05))
    svc = await build_services(config)
    chats = await add_joined_partners(svc, telegram_server, 150)
    app = build_application(svc, sender_idle_poll=0.2)
    await start_polling(app)
    await startup(app)
    try:
        yield Fanout(telegram_server, svc, config, app.bot_data.sender, chats)
    finally:
        await shutdown(app)
        await svc.db.close()


async def create_round(svc: Services) -> int:
    return await svc.rounds.create(resolve_template("swot"),
                                   deadline=svc.clock.now() + timedelta(days=14))


async def settled(svc: Services, round_id: int, timeout: float = 60.0) -> dict[str, int]:  # noqa: ASYNC109
    """Wait until no invitation of the round is pending or being sent; the counts by state."""
    async with asyncio.timeout(timeout):
        while True:
            counts = await svc.outbox.counts(round_id, "invitation")
            if not counts.get("pending") and not counts.get("sending"):
                return counts
            await asyncio.sleep(0.1)


async def sends_reach(server: BotApiServer, n: int, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    await server.bot().signal.until(lambda: True if server.sent_count() >= n else None, timeout)


def busiest_second(server: BotApiServer, chats: list[int]) -> int:
    """The most sends the server accepted within any one second."""
    times = sorted(e.at for c in chats for e in server.transcript(c) if e.kind == "message")
    most, lo = 0, 0
    for hi, t in enumerate(times):
        while times[lo] <= t - 1.0:
            lo += 1
        most = max(most, hi - lo + 1)
    return most


async def test_a_round_reaches_everyone_once_through_429s_403s_500s_and_timeouts(
        fanout: Fanout) -> None:
    server, svc, chats = fanout.server, fanout.svc, fanout.chats
    blocked = chats[10:13]
    refused = chats[40:42]  # 403 from a fault rather than a block
    for chat in blocked:
        await server.user(chat).block()
    for chat in refused:
        server.faults.add("sendMessage", "403", chat_id=chat, count=None)
    for chat in chats[60:65]:
        server.faults.add("sendMessage", "500", chat_id=chat, count=2)
    for chat in chats[70:73]:
        server.faults.add("sendMessage", "timeout", chat_id=chat, count=1, delay=0.3)  # a 504
    # The client gives up first (PTB's read timeout is 5 s): a real TimedOut.
    server.faults.add("sendMessage", "timeout", chat_id=chats[80], count=1, delay=6.0)
    round_id = await create_round(svc)

    await sends_reach(server, 30)
    storm = 5
    server.faults.add("sendMessage", "429", count=storm, retry_after=1)
    counts = await settled(svc, round_id)

    unreachable = set(blocked) | set(refused)
    for chat in chats:
        assert server.sent_count(chat) == (0 if chat in unreachable else 1), chat
    assert counts == {"sent": len(chats) - len(unreachable), "failed": len(unreachable)}
    status = await svc.rounds.status(round_id)
    assert status.unreachable == len(unreachable)
    assert status.sent == len(chats) - len(unreachable) and status.to_send == 0
    people = {p.chat_id: p for p in await svc.partners.all()}
    assert {c for c, p in people.items() if not p.reachable} == unreachable
    failed = [m for m in await svc.outbox.messages(round_id=round_id) if m.state == "failed"]
    assert all((m.last_error or "").startswith("403") for m in failed)
    # The sender keeps to the rate: the server's own limiter never had to refuse a send.
    assert server.too_many_requests_count == storm
    assert busiest_second(server, chats) <= RATE
    # A 429 is Telegram's pause, not a failure: it never counts towards the backoff, so the
    # only rows tried more than once are those whose faults say so (speed is in bench/).
    tries = {m.chat_id: m.attempts for m in await svc.outbox.messages(round_id=round_id)}
    faulted = ({c: 3 for c in chats[60:65]}                      # two 500s, then sent
               | {c: 2 for c in [*chats[70:73], chats[80]]})     # a timeout, then sent
    assert {c: n for c, n in tries.items() if c not in unreachable} == {
        c: faulted.get(c, 1) for c in chats if c not in unreachable}


async def test_messages_to_one_chat_keep_a_second_apart_without_busy_polling(
        fanout: Fanout) -> None:
    server, svc, chat = fanout.server, fanout.svc, fanout.chats[0]
    claims = 0
    claim_next = svc.outbox.claim_next

    async def counted(*args: object, **kwargs: object) -> object:
        nonlocal claims
        claims += 1
        return await claim_next(*args, **kwargs)  # type: ignore[arg-type]

    svc.outbox.claim_next = counted  # type: ignore[method-assign]
    now = svc.clock.now()
    await svc.outbox.enqueue([NewMessage(chat, "notice", {"text": f"note {i}"}, now, None, None,
                                         f"note:{i}") for i in range(3)], now)
    svc.outbox_changed.set()
    await sends_reach(server, 3, timeout=60)
    times = [e.at for e in server.transcript(chat) if e.kind == "message"]
    assert [e.text for e in server.transcript(chat)] == ["note 0", "note 1", "note 2"]
    assert all(b - a >= 0.9 for a, b in pairwise(times)), times
    # Waiting for the chat's interval, not spinning on the queue: a few looks a second.
    assert claims < 25, claims


async def test_a_round_created_with_the_cli_goes_out_while_the_bot_runs(
        fanout: Fanout, tmp_path: Path) -> None:
    config_file = tmp_path / "cli.toml"
    # No quiet hours: the test runs at any hour of the system clock.
    config_file.write_text(f'[database]\npath = "{fanout.config.database.path}"\n\n'
                           '[schedule]\nquiet_hours = ""\n', encoding="utf-8")
    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["rounds", "create", "--template", "rag-feedback",
                                  "--deadline", "2099-12-31", "--audience",
                                  "partnership:Partnership 1", "--config", str(config_file)])
    assert result.exit_code == 0, result.output
    asked = fanout.chats[1::4]  # Partnership 1
    await sends_reach(fanout.server, len(asked), timeout=60)  # a hang guard, not a budget
    assert busiest_second(fanout.server, asked) <= RATE
    assert all(fanout.server.sent_count(c) == 1 for c in asked)
    assert fanout.server.sent_count() == len(asked)
