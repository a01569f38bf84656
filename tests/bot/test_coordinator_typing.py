"""End to end through the local Bot API server: a coordinator who is no partner types when
nothing waits for their words. They are told what the bot takes from them, never "you have
not joined"; words typed after a pick's half hour are kept and asked about, never taken as
its wording unasked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.apiserver import BotApiServer
from bot.handlers.partner import NOT_JOINED
from surveys.action_desk import REWORD_WINDOW
from surveys.clock import ManualClock
from tests.bot.conftest import RunningBot, StartPolling, bot_config, bot_running
from tests.bot.desk import Desk
from tests.bot.phone import Phone
from tests.bot.test_actions_stale import SUGGESTED


@pytest.fixture
async def clocked_bot(telegram_server: BotApiServer, tmp_path: Path,
                      start_polling: StartPolling) -> AsyncIterator[tuple[RunningBot,
                                                                           ManualClock]]:
    """The bot on a clock the test moves."""
    clock = ManualClock()
    async with bot_running(telegram_server, bot_config(tmp_path, telegram_server),
                           start_polling, clock) as running:
        yield running, clock


async def test_a_coordinators_stray_words_get_a_coordinators_answer(
        clocked_bot: tuple[RunningBot, ManualClock]) -> None:
    bot, clock = clocked_bot
    desk = Desk(bot)
    coord = desk.coord
    rid = await desk.closed_round(SUGGESTED)

    # Typed with nothing waiting: what was received, that it was not kept, and what the
    # bot takes from a coordinator, and where.
    await coord.user.send_text("Board agreed the youth council seat")
    said = await coord.reply("was not waiting")   # (after the round's closing notice)
    assert said.text is not None and said.text.startswith(
        "I received “Board agreed the youth council seat”, but was not waiting for a message "
        "from you, so it was not kept.")
    assert "/actions" in said.text and NOT_JOINED not in said.text
    assert not any(NOT_JOINED in (m.text or "") for m in coord.user.messages())

    # A pick, then words typed 31 minutes later: not taken as its wording on a guess, but
    # kept, and the bot asks (one button: this coordinator has no question to answer;
    # tests/bot/test_actions_late_words.py has the partner who has).
    owners = await desk.pick(await desk.open_suggestions(rid), "a) ")
    offered = SUGGESTED["Asha Patel"]
    assert f"“{offered}”" in owners.text
    clock.advance(REWORD_WINDOW + timedelta(minutes=1))
    late = await coord.say("Offer the youth council a standing seat")
    assert late.text is not None and late.text.startswith(
        "I have kept your message “Offer the youth council a standing seat”, but not filed it "
        f"yet.\n\nIs it the new wording of the action “{offered}”? You picked that action "
        "more than 30 minutes ago")
    assert [t for row in late.buttons for t, _ in row] == [
        "Wording of “Give the youth council a seat on the…”"]
    # Not tapped: the owner and due-date screens still show the suggestion's own words, and
    # it is agreed in them.
    due = await coord.tap("Ben Okafor (Hampshire Constabulary)")
    assert f"“{offered}”" in due.text
    await coord.tap("1 month")
    [action] = await bot.svc.actions.find(round_id=rid)
    assert action.text == offered

    # A partner's stray words still go to answering, as before.
    asha = Phone(bot.server, await bot.join("Cara Jones", 502))
    reply = await asha.say("hello")
    assert not reply.text.startswith("I received")


async def test_a_picked_suggestion_does_not_take_newrounds_typed_deadline(
        desk: Desk) -> None:
    """A coordinator picks a suggestion, then starts /newround before typing its wording:
    the deadline they type is /newround's, not the action's words."""
    bot, coord = desk.bot, desk.coord
    rid = await desk.closed_round(SUGGESTED)
    owners = await desk.pick(await desk.open_suggestions(rid), "a) ")
    assert "Who owns it?" in owners.text

    await coord.user.send_command("/newround")
    await coord.reply("which questionnaire")
    await coord.tap("Strengths, Weaknesses, Opportunities, Threats of LSPs")
    await coord.tap("Done")
    step = await coord.tap("Confidential")
    assert "deadline" in step.text
    deadline = (bot.svc.clock.now() + timedelta(days=10)).astimezone(bot.config.zone).date()
    card = await coord.say(f"{deadline.day} {deadline:%b}")
    assert "please check" in card.text and not card.text.startswith("Reworded")
    # The pick's owner buttons still work, in the suggestion's own words.
    await coord.tap("Ben Okafor (Hampshire Constabulary)")
    await coord.tap("1 month")
    [action] = await bot.svc.actions.find(round_id=rid)
    assert action.text == SUGGESTED["Asha Patel"]
