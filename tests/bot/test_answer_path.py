"""End to end, the bugs that lost or blocked answers: repeats, the wrong round, withdrawn
submissions, messages at night. Each through the local Bot API server and the real bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.apiserver import BotApiServer
from bot.config import ScheduleConfig
from surveys.clock import ManualClock
from surveys.rounds import Audience
from surveys.templates import builtin_template
from tests.bot.conftest import (
    COORDINATOR_ID,
    RunningBot,
    StartPolling,
    bot_config,
    bot_running,
)
from tests.bot.phone import Phone


async def open_round(bot: RunningBot, template: str, **kw: object) -> int:
    rid = await bot.svc.rounds.create(builtin_template(template),
                                      deadline=bot.svc.clock.now() + timedelta(days=7),
                                      **kw)  # type: ignore[arg-type]
    bot.svc.outbox_changed.set()
    return rid


async def test_back_then_the_same_choice_again(running_bot: RunningBot) -> None:
    bot = running_bot
    # The embedding worker would drain the queue between taps; a busy one would not.
    embedding = bot.app.bot_data.embedding
    assert embedding is not None
    await embedding.stop()
    rid = await open_round(bot, "framework-review", anonymity="named")
    phone = Phone(bot.server, await bot.join("Asha Patel", 501))
    await phone.invitation()
    await phone.start_round()
    await phone.tap("Skip")
    await phone.tap("Council")
    q = await phone.tap("← Back")
    assert "Which sector" in q.text
    q = await phone.tap("Council")                     # the same choice, still queued
    assert "added value" in q.text and "went wrong" not in q.text
    q = await phone.tap("← Back")
    q = await phone.tap("Police")                      # a change is kept too
    assert "added value" in q.text
    partner = await bot.partner("Asha Patel")
    response = await bot.svc.responses.of_partner(rid, partner.id)
    assert response is not None
    answer = (await bot.svc.responses.answers(response.id))["role-sector"]
    assert answer.value == "Police" and answer.version == 3
    history = await bot.svc.responses.history(response.id, "role-sector")
    assert [h.value for h in history] == ["Council", "Council"]


async def test_typing_goes_to_the_round_the_partner_went_back_to(
        running_bot: RunningBot) -> None:
    bot = running_bot
    swot = await open_round(bot, "swot", anonymity="named")
    phone = Phone(bot.server, await bot.join("Ben Okafor", 502))
    await phone.invitation()
    await phone.start_round()
    q = await phone.say("Strong links with the police")   # one message answers it
    assert "weaknesses" in q.text.lower()
    rag = await open_round(bot, "rag-feedback", anonymity="named")
    await phone.invitation()
    await phone.start_round()
    await phone.tap("Amber")                            # the rag round answered last
    await phone.user.send_command("/surveys")
    await phone.reply("Your question rounds")
    await phone.tap("Open: Strengths, Weaknesses, Opportunities, Threats of LSPs")
    await phone.tap("Continue")
    reply = await phone.say("Too many targets")
    assert "tap one of the buttons" not in reply.text
    partner = await bot.partner("Ben Okafor")
    in_swot = await bot.svc.responses.of_partner(swot, partner.id)
    in_rag = await bot.svc.responses.of_partner(rag, partner.id)
    assert in_swot is not None and in_rag is not None
    answers = await bot.svc.responses.answers(in_swot.id)
    assert answers["weaknesses"].value == "Too many targets"
    rag_answers = await bot.svc.responses.answers(in_rag.id)
    assert rag_answers["overall"].comment is None


async def test_looking_at_a_submission_does_not_withdraw_it(running_bot: RunningBot) -> None:
    bot = running_bot
    rid = await open_round(bot, "swot", anonymity="confidential")
    phone = Phone(bot.server, await bot.join("Cara Jones", 503))
    await phone.invitation()
    await phone.start_round()
    for text in ("Trust", "Targets", "Leaders", "Funding"):
        await phone.say(text)
    await phone.tap("Submit")
    assert (await bot.svc.rounds.status(rid)).submitted == 1
    await phone.user.send_command("/surveys")
    await phone.reply("Your question rounds")
    await phone.tap("View: Strengths, Weaknesses, Opportunities, Threats of LSPs")
    review = await phone.tap("Change my answers")
    assert (await bot.svc.rounds.status(rid)).submitted == 1       # looking is free
    assert "submission stands" in review.text
    assert (await bot.svc.reminders.remind(rid)).queued == 0       # and brings no reminders
    await phone.tap("Change an answer")
    await phone.tap("2")
    review = await phone.say("Targets set from above")
    assert "Targets set from above" in review.text and "Done" in phone.labels()
    assert (await bot.svc.rounds.status(rid)).submitted == 1       # the change counts
    partner = await bot.partner("Cara Jones")
    response = await bot.svc.responses.of_partner(rid, partner.id)
    assert response is not None and response.state == "submitted"
    answers = await bot.svc.responses.answers(response.id)
    assert answers["weaknesses"].value == "Targets set from above"
    assert [h.value for h in await bot.svc.responses.history(response.id, "weaknesses")] == [
        "Targets"]


# -- never at night --------------------------------------------------------------------------

NIGHT = datetime(2026, 12, 2, 2, 24, tzinfo=UTC)          # 02:24 in London (GMT in winter)


@pytest.fixture
async def night_bot(telegram_server: BotApiServer, tmp_path: Path,
                    start_polling: StartPolling) -> AsyncIterator[tuple[RunningBot, ManualClock]]:
    """The bot at 02:24 with quiet hours 20:00-08:00, on a clock the test moves."""
    clock = ManualClock(NIGHT)
    config = replace(bot_config(tmp_path, telegram_server),
                     schedule=ScheduleConfig(quiet_hours="20:00-08:00"))
    async with bot_running(telegram_server, config, start_polling, clock) as running:
        yield running, clock


async def test_nothing_the_bot_starts_goes_out_at_night(
        night_bot: tuple[RunningBot, ManualClock]) -> None:
    bot, clock = night_bot
    asha = Phone(bot.server, await bot.join("Asha Patel", 501))
    rid = await open_round(bot, "swot", anonymity="named",
                           audience=Audience(partnership=("Fareham Partnership",)))
    coord = Phone(bot.server, bot.server.user(COORDINATOR_ID, "Cora"))
    await coord.user.send_command("/remind", str(rid))
    said = await coord.reply("reminder queued")       # a reply to her own command: at once
    assert "1 reminder queued" in said.text and "08:00" in said.text
    # A partner who joins at night asked for it: their invitation comes at once.
    ben = Phone(bot.server, await bot.join("Ben Okafor", 502))
    welcome = next(m for m in bot.server.messages(ben.chat) if "Welcome" in (m.text or ""))
    assert "on their way" in welcome.text
    await ben.invitation()
    await bot.server.wait_idle()
    texts = [m.text for m in asha.user.messages()]
    assert not any("New question round" in t or "Reminder" in t for t in texts), texts
    pending = await bot.svc.outbox.messages(round_id=rid)
    night = [m for m in pending if m.partner_id != (await bot.partner("Ben Okafor")).id]
    assert night and all(m.not_before.astimezone(bot.config.zone).hour == 8 for m in night)

    clock.set(datetime(2026, 12, 2, 8, 0, 1, tzinfo=UTC))   # morning
    bot.svc.outbox_changed.set()
    await asha.invitation()
    await asha.reply("Reminder")
