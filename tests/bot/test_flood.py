"""One chat flooding the bot does not stall the others, and gets a bounded number of replies.

The processor's clock is injected and never moves, so the per-chat rate lets exactly a burst
through: what is measured is counts and order, never time. The local server holds the
flooding partner's first replies, so her chat's turn stays taken for seconds, and another
partner's tap must be answered before they have gone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.apiserver import BotApiServer
from bot.app import build_application, shutdown, startup
from bot.updates import SLOW_DOWN, PerChatUpdateProcessor
from bot.wiring import build_services
from surveys.rounds import Audience
from surveys.templates import builtin_template
from tests.bot.conftest import ROSTER_ROWS, RunningBot, StartPolling, bot_config
from tests.bot.phone import Phone

BURST, BACKLOG, FLOOD = 20, 30, 1000


class Ticks:
    """A monotonic clock that moves only when told (here: never)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def flood_bot(telegram_server: BotApiServer, tmp_path: Path,
                    start_polling: StartPolling) -> AsyncIterator[tuple[RunningBot,
                                                                        PerChatUpdateProcessor]]:
    config = bot_config(tmp_path, telegram_server)
    svc = await build_services(config)
    await svc.partners.import_rows(ROSTER_ROWS, svc.clock.now())
    updates = PerChatUpdateProcessor(16, backlog=BACKLOG, rate=1.0, burst=BURST, clock=Ticks())
    app = build_application(svc, sender_idle_poll=0.05, updates=updates)
    await start_polling(app)
    await startup(app)
    try:
        yield RunningBot(telegram_server, app, svc, config), updates
    finally:
        await shutdown(app)
        await svc.db.close()


async def open_round(bot: RunningBot) -> int:
    rid = await bot.svc.rounds.create(builtin_template("framework-review"),
                                      deadline=bot.svc.clock.now() + timedelta(days=7),
                                      anonymity="named",
                                      audience=Audience(partnership=("Fareham Partnership",)))
    bot.svc.outbox_changed.set()
    return rid


async def test_a_flood_neither_stalls_another_partner_nor_gets_a_reply_each(
        flood_bot: tuple[RunningBot, PerChatUpdateProcessor]) -> None:
    bot, updates = flood_bot
    await open_round(bot)
    asha, ben = await bot.join("Asha Patel", 501), await bot.join("Ben Okafor", 502)
    ben_phone = Phone(bot.server, ben)
    await ben_phone.invitation()
    await Phone(bot.server, asha).invitation()
    before = bot.server.sent_count(asha.chat_id)
    # The server holds the first six messages to Asha for 2 s each (under the client's
    # timeout): her "please slow down" and the replies to her first five messages, so her
    # chat's turn (and its one processing slot) stays taken for some 10 s, the rest of her
    # flood queued behind it.
    bot.server.faults.add("sendMessage", "slow", chat_id=asha.chat_id, count=6, delay=2)

    for n in range(FLOOD):
        await asha.send_text(f"spam {n}")
    message_id, start = ben_phone.find("Start")
    await ben.press(start, message_id)
    first = await bot.server.wait_for(  # his first question (not the chat going quiet)
        ben.chat_id, lambda e: e.kind == "message" and "Question 1 of 19" in (e.text or ""))
    assert (first.text or "").startswith("Area 1 of 4 · Question 1 of 19")
    replies_then = bot.server.sent_count(asha.chat_id) - before
    await bot.server.wait_idle(timeout=60, quiet=0.5)
    replies = bot.server.sent_count(asha.chat_id) - before
    bot.server.faults.clear()

    # Ben was answered while Asha's first replies were still held, long before hers drained.
    assert replies_then <= 3, replies_then
    # Asha got one reply per update let through by her rate, and one "please slow down".
    texts = [e.text for e in bot.server.transcript(asha.chat_id)][-replies:]
    assert texts.count(SLOW_DOWN) == 1
    assert replies <= BURST + 1, replies  # her /start spent one of the burst already
    assert updates.dropped == FLOOD - (replies - 1)
    assert updates.most_slots_one_chat == 1
    assert updates.most_waiting_one_chat <= BACKLOG


async def test_texts_sent_fast_while_answering_by_typing_are_not_dropped(
        flood_bot: tuple[RunningBot, PerChatUpdateProcessor]) -> None:
    bot, updates = flood_bot
    await open_round(bot)
    asha = await bot.join("Asha Patel", 501)
    phone = Phone(bot.server, asha)
    await phone.invitation()
    await phone.tap("Start")
    await phone.tap("Skip")
    question = await phone.tap("Council")
    assert "added value" in question.text  # a question answered by typing
    # More texts at once than her rate lets through (a long paste Telegram split, say): she
    # is answering by typing, so none is dropped and she is not told to slow down.
    parts = [f"part {n} of the answer" for n in range(BURST + 5)]
    for part in parts:
        await asha.send_text(part)
    await bot.server.wait_idle(timeout=60, quiet=0.5)
    me = await bot.partner("Asha Patel")
    response = (await bot.svc.responses.all_of_partner(me.id))[0]
    stored = await bot.svc.responses.answers(response.id)
    assert parts[0] in [a.value for a in stored.values()]
    assert updates.dropped == 0
    assert SLOW_DOWN not in [e.text for e in bot.server.transcript(asha.chat_id)]


async def test_a_flooding_group_hears_only_that_the_bot_works_in_private(
        flood_bot: tuple[RunningBot, PerChatUpdateProcessor]) -> None:
    bot, updates = flood_bot
    group = bot.server.user(501, "Asha").in_group(-100777, kind="supergroup")
    for n in range(100):
        await group.send_text(f"group spam {n}")
    await bot.server.wait_idle(timeout=60, quiet=0.5)
    said = [e.text or "" for e in bot.server.transcript(-100777) if e.kind == "message"]
    assert len(said) == 1 and "private chat" in said[0]
    assert updates.dropped == 100 - BURST
