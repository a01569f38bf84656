"""The outbox sender on a timer the test moves: Telegram's 429 pause, checked exactly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from telegram import Bot

from bot.apiserver import BotApiServer
from bot.sender import OutboxSender
from bot.timing import ManualTimer
from bot.wiring import Services, build_services
from storage.records import NewMessage, OutboxMessage
from surveys.clock import ManualClock
from tests.bot.conftest import bot_config
from tests.bot.test_fanout import add_joined_partners


@pytest.fixture
async def svc(telegram_server: BotApiServer, tmp_path: Path) -> AsyncIterator[Services]:
    built = await build_services(bot_config(tmp_path, telegram_server), ManualClock())
    try:
        yield built
    finally:
        await built.db.close()


async def queue(svc: Services, chat: int, text: str) -> None:
    now = svc.clock.now()
    await svc.outbox.enqueue([NewMessage(chat, "notice", {"text": text}, now, None, None,
                                         text)], now)


async def row(svc: Services, chat: int) -> OutboxMessage:
    return next(m for m in await svc.outbox.messages() if m.chat_id == chat)


async def test_a_429_pauses_every_chat_for_retry_after_then_sends_the_same_message(
        telegram_server: BotApiServer, svc: Services) -> None:
    assert isinstance(svc.clock, ManualClock)
    timer = ManualTimer(clock=svc.clock)   # pacing and due times move together, by hand
    asha, ben = await add_joined_partners(svc, telegram_server, 2)
    telegram_server.faults.add("sendMessage", "429", chat_id=asha, retry_after=3)
    async with Bot(telegram_server.token, base_url=telegram_server.base_url) as bot:
        sender = OutboxSender(bot, svc.outbox, svc.clock, timer=timer,
                              idle_poll=60.0)
        sender.start()
        try:
            async with asyncio.timeout(20):  # hang guards only: no time passes by itself
                await queue(svc, asha, "Round 1 is open")
                sender.wake.set()
                # The row in the database is what shows the 429 was taken in.
                while (first := await row(svc, asha)).last_error is None:  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
                assert first.state == "pending" and first.last_error.startswith("429")
                paused_from = first.not_before - timedelta(seconds=3)
                await queue(svc, ben, "Round 1 is open too")
                sender.wake.set()
                # Move time to whatever the sender waits for next, until both are sent.
                while {(await row(svc, c)).state for c in (asha, ben)} != {"sent"}:
                    await timer.until_waiting(0)
                    timer.advance(max(0.0, timer.deadlines[0] - timer.now))
        finally:
            await sender.stop()
    sent_asha, sent_ben = await row(svc, asha), await row(svc, ben)
    # Nothing went before retry_after was up: not the refused chat, not any other.
    for sent in (sent_asha, sent_ben):
        assert sent.sent_at is not None and sent.sent_at >= paused_from + timedelta(seconds=3)
    assert sent_asha.attempts == 1              # a 429 is Telegram's pause, not a failure
    assert telegram_server.too_many_requests_count == 1
    assert [e.text for e in telegram_server.transcript(asha)] == ["Round 1 is open"]
    assert telegram_server.sent_count(ben) == 1
