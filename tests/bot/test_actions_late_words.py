"""End to end through the local Bot API server: a coordinator who is also a partner, in the
middle of a question round, types after their /actions pick has expired. The text could be
the answer to their open question or the action's new wording: it is kept, never filed on a
guess, and the bot asks with a button for each. A tap files it; a tap whose pick or question
has moved on says so and files nothing; a tap already settled is told so."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.apiserver.records import BotMessage
from surveys.action_desk import REWORD_WINDOW
from surveys.clock import ManualClock
from surveys.errors import StaleAction
from surveys.held_texts import PREFIX
from surveys.templates import builtin_template
from tests.bot.conftest import COORDINATOR_ID, RunningBot
from tests.bot.desk import Desk
from tests.bot.phone import Phone
from tests.bot.test_actions_stale import SUGGESTED
from tests.bot.test_coordinator_typing import clocked_bot

__all__ = ["clocked_bot"]   # the fixture, used below

STRENGTHS = "Strengths: what are the strengths of the LSP?"
ANSWER_TO = "Answer to “Strengths: what are the strengths of the…”"
OFFERED = SUGGESTED["Asha Patel"]
WORDING_OF = "Wording of “Give the youth council a seat on the…”"
KNOWLEDGE = "Strong local knowledge among the partners"
SEAT = "Offer the youth council a standing seat at the board table"
LATER = "Shared budgets are still a long way off"
MEETINGS = "Meetings run long and decide little"


async def press_on(bot: RunningBot, phone: Phone, message: BotMessage, label: str
                   ) -> BotMessage:
    """Press the button of `message` whose label starts with `label` (several messages may
    have one alike); the newest message once the bot has finished."""
    [data] = [d for row in message.buttons for text, d in row if text.startswith(label)]
    since = len(phone.user.transcript())
    phone.taps += 1
    await phone.user.press(data, message.message_id)
    await bot.server.wait_for(phone.chat, lambda e: e.kind in ("message", "edit"),
                              since=since)
    return await phone.settled()


async def _answers(bot: RunningBot, rid: int) -> dict[str, object]:
    dev = await bot.partner("Dev Shah")
    response = await bot.svc.responses.of_partner(rid, dev.id)
    assert response is not None
    found = await bot.svc.responses.answers_of_round(rid)
    return {qid: a.value for qid, a in found.get(response.id, {}).items()}


async def test_late_words_are_kept_and_filed_where_the_coordinator_says(
        clocked_bot: tuple[RunningBot, ManualClock]) -> None:
    bot, clock = clocked_bot
    desk = Desk(bot)
    coord = desk.coord
    closed = await desk.closed_round(SUGGESTED)
    # The coordinator is also Dev Shah, a partner, answering a SWOT round in the same chat.
    await bot.join("Dev Shah", COORDINATOR_ID)
    swot = await bot.svc.rounds.create(builtin_template("swot"),
                                       deadline=clock.now() + timedelta(days=7))
    await coord.invitation()
    question = await coord.start_round()
    assert STRENGTHS in question.text

    owners = await desk.pick(await desk.open_suggestions(closed, "No actions"), "a) ")
    assert f"“{OFFERED}”" in owners.text
    clock.advance(REWORD_WINDOW + timedelta(minutes=1))

    # Typed after the half hour: kept, not filed, and asked about, each time.
    asked = await coord.say(KNOWLEDGE)
    assert asked.text.startswith(f"I have kept your message “{KNOWLEDGE}”, but not filed it")
    assert f"your answer to “{STRENGTHS}”, or the new wording of the action “{OFFERED}”" in (
        asked.text)
    assert [t for row in asked.buttons for t, _ in row] == [ANSWER_TO, WORDING_OF]
    tapped = asked.buttons[0][0][1]   # (the message object follows the bot's edits)
    seat = await coord.say(SEAT)
    assert seat.text.startswith(f"I have kept your message “{SEAT}”")
    later = await coord.say(LATER)   # a third, the strengths question still open
    assert "your answer to “Strengths" in later.text
    assert await _answers(bot, swot) == {}
    pick = await bot.svc.action_desk.picks.get(COORDINATOR_ID)
    assert pick is not None and pick.wording == OFFERED

    # The first was the answer: filed as it, its question says so, the round moves on.
    await press_on(bot, coord, asked, ANSWER_TO)
    await coord.reply("Weaknesses")
    settled = bot.server.message(coord.chat, asked.message_id)
    assert settled.text == f"“{KNOWLEDGE}” was filed as your answer to “{STRENGTHS}”."
    assert settled.buttons == []
    assert await _answers(bot, swot) == {"strengths": KNOWLEDGE}

    # They said they are answering here: what they type next is an answer, unasked.
    following = await coord.say(MEETINGS)
    assert "I have kept your message" not in following.text
    assert "Opportunit" in following.text
    assert await _answers(bot, swot) == {"strengths": KNOWLEDGE, "weaknesses": MEETINGS}

    # The second was the wording: the owner buttons under it, and it is agreed in it.
    reworded = await press_on(bot, coord, seat, WORDING_OF)
    assert reworded.text.startswith(f"Reworded:\n“{SEAT}”")
    assert bot.server.message(coord.chat, seat.message_id).text == (
        f"“{SEAT}” was taken as the wording of “{OFFERED}”.")
    await coord.tap("Ben Okafor (Hampshire Constabulary)")
    await coord.tap("1 month")
    [action] = await bot.svc.actions.find(round_id=closed)
    assert action.text == SEAT and action.source_theme == OFFERED

    # The third's wording button: that action is agreed, so nothing is taken, and the
    # message stays held. Its answer button: strengths was answered since, so it is not
    # filed (never as the answer to the question open now); the words are given back.
    refused = await press_on(bot, coord, later, "Wording of")
    assert refused.text.startswith(f"I did not take “{LATER}” as the wording of “{OFFERED}”")
    assert len(await bot.svc.actions.find(round_id=closed)) == 1
    moved = await press_on(bot, coord, later, "Answer to")
    assert moved.text.startswith(f"I did not file “{LATER}” as your answer to “Strengths")
    assert "no longer the one open" in moved.text
    assert await _answers(bot, swot) == {"strengths": KNOWLEDGE, "weaknesses": MEETINGS}

    # A tap delivered again after its question was settled files nothing twice.
    again = await bot.svc.held_texts.file(COORDINATOR_ID, tapped)
    assert again.note.startswith("Already done:") and again.outcome is None
    assert await _answers(bot, swot) == {"strengths": KNOWLEDGE, "weaknesses": MEETINGS}
    # Someone else's, or a made-up, held button is not valid.
    assert tapped.startswith(PREFIX)
    for user, forged in ((COORDINATOR_ID + 1, tapped), (COORDINATOR_ID, f"{PREFIX}x:1")):
        with pytest.raises(StaleAction, match="That button is not valid"):
            await bot.svc.held_texts.file(user, forged)

    # Erasing the partner erases the answers they had not yet filed.
    held_id = int(later.buttons[0][0][1].rsplit(":", 1)[1])
    assert await bot.svc.held_texts.held.get(held_id) is not None
    await bot.svc.erasure.forget(await bot.partner("Dev Shah"))
    assert await bot.svc.held_texts.held.get(held_id) is None
