"""End to end: a coordinator runs rounds from the chat; partners cannot."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
from pypdf import PdfReader
from telegram import BotCommandScopeChat

from bot.handlers import coordinator
from surveys.rounds import Audience
from surveys.templates import builtin_template
from tests.bot.conftest import COORDINATOR_ID, RunningBot
from tests.bot.phone import Phone

COORDINATORS_ONLY = "This command is for coordinators."


def cora(bot: RunningBot) -> Phone:
    """The coordinator's phone (the user must exist before the bot can message them)."""
    return Phone(bot.server, bot.server.user(COORDINATOR_ID, "Cora"))


async def open_round(bot: RunningBot, template: str = "swot", **kw: object) -> int:
    rid = await bot.svc.rounds.create(builtin_template(template),
                                      deadline=bot.svc.clock.now() + timedelta(days=7),
                                      **kw)  # type: ignore[arg-type]
    bot.svc.outbox_changed.set()
    return rid


async def answer_swot(phone: Phone) -> None:
    """Start from the invitation and answer the four SWOT questions, then submit."""
    await phone.tap("Start")
    for text in ("Trust", "Targets", "Leaders", "Funding"):
        await phone.say(text)
    assert "Submitted" in (await phone.tap("Submit")).text


async def test_newround_through_every_step_then_status_remind_close(
        running_bot: RunningBot) -> None:
    bot = running_bot
    asha = Phone(bot.server, await bot.join("Asha Patel", 501))
    ben = Phone(bot.server, await bot.join("Ben Okafor", 502))
    dev = Phone(bot.server, await bot.join("Dev Shah", 504))
    coord = cora(bot)

    await coord.user.send_command("/newround")
    step = await coord.reply("which questionnaire")
    assert len(step.buttons) == 7                       # six built-ins and Cancel
    await coord.user.send_text("swot please")           # typing where a button is wanted
    assert "buttons above" in (await coord.reply()).text
    step = await coord.tap("Strengths, Weaknesses, Opportunities, Threats of LSPs")
    assert "who is it for" in step.text and "Chosen: everyone" in step.text
    assert coord.find("Sector: Police")
    edit = await coord.tap_in_place("Fareham Partnership")
    assert "Chosen: partnership Fareham Partnership" in (edit.text or "")
    edit = await coord.tap_in_place("Safety Board")
    edit = await coord.tap_in_place("Safety Board")     # ticked, then unticked
    assert "Chosen: partnership Fareham Partnership" in (edit.text or "")
    step = await coord.tap("Done")
    assert "how private" in step.text and "Anonymous round" in step.text
    step = await coord.tap("Confidential")
    assert "deadline" in step.text
    step = await coord.say("2001-02-03")                # a date in the past
    assert "in the past" in step.text and "step 4 of 4" in step.text
    step = await coord.say("next Friday")               # not a date
    assert "should be a date like" in step.text and "step 4 of 4" in step.text
    await coord.user.send_sticker()
    step = await coord.reply()
    assert "not a date" in step.text
    deadline = (bot.svc.clock.now() + timedelta(days=10)).astimezone(bot.config.zone).date()
    card = await coord.say(f"{deadline.day} {deadline:%b}")    # "18 Dec", as people write it
    assert "please check" in card.text
    assert "Audience: partnership Fareham Partnership: 3 partners, 2 joined" in card.text
    assert "Confidential round" in card.text and "4 questions" in card.text
    done = await coord.tap("Create")
    assert "Invitations are going out" in done.text
    rid = (await bot.svc.rounds.latest_open()).id
    assert f"Round {rid} is created" in done.text
    rnd = await bot.svc.rounds.round(rid)
    assert rnd.audience == {"partnership": ["Fareham Partnership"]}
    assert rnd.anonymity == "confidential" and rnd.created_by == COORDINATOR_ID
    assert rnd.deadline.astimezone(bot.config.zone).date() == deadline

    # The joined partners of that partnership get the invitation; Dev (Safety Board) does not.
    for phone in (asha, ben):
        assert "Strengths" in (await phone.invitation()).text
    await answer_swot(asha)
    await bot.server.wait_idle()
    assert not any("New question round" in (e.text or "") for e in dev.user.transcript())

    await coord.user.send_command("/status")            # the newest open round
    status = await coord.reply(f"Round {rid}")
    assert "Invitations: sent 2 of 2" in status.text
    assert "invited 3" in status.text.lower() and "submitted 1" in status.text
    assert "not joined 1" in status.text and "Response rate: 33%" in status.text
    assert [label for label, _ in status.buttons[0]] == ["Remind", "Close", "Report"]
    await coord.user.send_command("/status", "999")
    assert "No round 999" in (await coord.reply()).text

    await coord.user.send_command("/rounds")
    listing = await coord.reply("Rounds, newest first")
    assert "open, 1 of 3 submitted (33%)" in listing.text
    status = await coord.tap(f"Status of round {rid}")
    assert "Response rate: 33%" in status.text

    await coord.user.send_command("/remind", str(rid))
    result = await coord.reply(f"Round {rid}:")
    assert "1 reminder queued" in result.text and "1 not reachable" in result.text
    assert "Reminder" in (await ben.reply("Reminder")).text
    again = await coord.tap("Remind")                    # the button on the status message
    assert "0 reminders queued" in again.text and "1 reminded too recently" in again.text

    await ben.tap("Start")                               # Ben starts but does not submit
    await ben.say("Partial answer")
    await coord.user.send_command("/close", str(rid))
    ask = await coord.reply(f"Close round {rid}?")
    assert [label for label, _ in ask.buttons[0]] == ["Yes, close", "No"]
    assert (await bot.svc.rounds.round(rid)).state == "open"
    message_id, data = coord.find("Yes, close")
    await coord.user.press(data, message_id)
    # The reply and the summary (from the outbox) may come in either order.
    await bot.server.wait_for(coord.chat, lambda e: f"Round {rid} is closed" in (e.text or ""))
    assert (await bot.svc.rounds.round(rid)).state == "closed"
    assert "Thank you for taking part" in (await asha.reply("has closed")).text
    assert "answers you gave are saved" in (await ben.reply("has closed")).text
    summary = await bot.server.wait_for(coord.chat, lambda e: "Round closed:" in (e.text or ""),
                                        since=0)
    assert "Responses: 1 of 3 (33%)" in (summary.text or "")


async def test_report_in_the_chat(running_bot: RunningBot) -> None:
    bot = running_bot
    rid = await open_round(bot, anonymity="confidential")
    phones = []
    for name, uid in (("Asha Patel", 501), ("Ben Okafor", 502), ("Cara Jones", 503)):
        phone = Phone(bot.server, await bot.join(name, uid))
        await phone.invitation()
        await answer_swot(phone)
        phones.append(phone)
    coord = cora(bot)
    await coord.user.send_command("/report", str(rid))
    chart = await bot.server.wait_for(coord.chat, lambda e: e.kind == "photo", timeout=30)
    assert "3 of 4 responded (75%)" in (chart.text or chart.params.get("caption", ""))
    files = []
    for _ in range(2):
        files.append(await bot.server.wait_for(coord.chat, lambda e: e.kind == "document",
                                               timeout=30))
    names = [f.file.filename for f in files if f.file]
    assert names == [f"round-{rid}-strengths-weaknesses-opportunities-threats-of-lsps.pdf",
                     f"round-{rid}-strengths-weaknesses-opportunities-threats-of-lsps.xlsx"]
    pdf = PdfReader(io.BytesIO(files[0].file.content))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Strengths" in text and "Asha" not in text and "Fareham Borough Council" not in text
    assert files[1].file.content[:2] == b"PK"  # a workbook
    await coord.user.send_command("/report", "999")
    assert "No round 999" in (await coord.reply()).text


async def test_close_by_button_asks_first_and_no_keeps_it_open(running_bot: RunningBot) -> None:
    bot = running_bot
    rid = await open_round(bot, anonymity="named")
    coord = cora(bot)
    await coord.user.send_command("/status", str(rid))
    await coord.reply(f"Round {rid}")
    await coord.tap("Close")
    message_id, data = coord.find("No")
    await coord.user.press(data, message_id)
    await bot.server.wait_for(coord.chat, lambda e: e.kind == "edit" and "stays open" in (e.text
                                                                                      or ""))
    assert (await bot.svc.rounds.round(rid)).state == "open"
    await coord.tap("Close")
    await coord.tap("Yes, close")
    assert (await bot.svc.rounds.round(rid)).state == "closed"
    # The reply and the summary (sent from the outbox) may come in either order.
    await bot.server.wait_for(coord.chat, lambda e: "Round closed:" in (e.text or ""), since=0)
    await bot.server.wait_for(coord.chat, lambda e: f"Round {rid} is closed" in (e.text or ""),
                              since=0)
    await coord.user.send_command("/close", str(rid))
    assert "already closed" in (await coord.reply()).text
    await coord.user.send_command("/status")
    assert "no open round" in (await coord.reply()).text.lower()
    await coord.user.send_command("/remind", str(rid))
    assert "not open" in (await coord.reply()).text
    await coord.user.send_command("/close", "three")
    assert "Round ids are numbers" in (await coord.reply()).text
    await bot.server.wait_idle()


async def test_newround_cancel_and_a_round_for_nobody(running_bot: RunningBot) -> None:
    bot = running_bot
    coord = cora(bot)
    await coord.user.send_command("/newround")
    await coord.reply("which questionnaire")
    await coord.tap("Partnership functions")
    await coord.tap_in_place("Safety Board")
    await coord.tap_in_place("Sector: Police")          # Safety Board AND Police: nobody
    message_id, data = coord.find("Done")
    await coord.user.press(data, message_id)
    note = await bot.server.wait_for(coord.chat, lambda e: e.kind == "callback_answer")
    assert "No partner is in" in (note.params.get("text") or "")
    await coord.user.send_command("/cancel")
    assert "cancelled" in (await coord.reply()).text
    message_id, data = coord.find("Done")                # a button of the finished flow
    await coord.user.press(data, message_id)
    note = await bot.server.wait_for(coord.chat, lambda e: e.kind == "callback_answer")
    assert "has ended" in (note.params.get("text") or "")
    await coord.user.send_text("hello")                  # outside the flow: not an answer
    said = (await coord.reply()).text
    assert said.startswith("I received “hello”, but was not waiting for a message from you")
    assert "not joined" not in said
    assert await bot.svc.rounds.rounds.all() == []


async def test_partners_and_strangers_cannot_coordinate(running_bot: RunningBot,
                                                        caplog: pytest.LogCaptureFixture
                                                        ) -> None:
    bot = running_bot
    caplog.set_level(logging.WARNING, logger="bot.handlers")
    rid = await open_round(bot, anonymity="named",
                           audience=Audience(partnership=("Fareham Partnership",)))
    ben = Phone(bot.server, await bot.join("Ben Okafor", 502))
    await ben.invitation()
    stranger = Phone(bot.server, bot.server.user(777, "Mallory"))
    for phone in (ben, stranger):
        for command, args in (("/newround", None), ("/rounds", None), ("/status", None),
                              ("/status", str(rid)), ("/remind", str(rid)),
                              ("/close", str(rid)), ("/report", str(rid))):
            await phone.user.send_command(command, args)
            assert (await phone.reply()).text == COORDINATORS_ONLY, command
    refused = [r for r in caplog.records if "refused for user" in r.getMessage()]
    assert len(refused) == 14
    assert "/remind" in refused[4].getMessage() and "502" in refused[4].getMessage()

    # A tampered client: Ben's invitation now carries a coordinator's Close button.
    for data in (f"co:closeyes:{rid}", f"co:remind:{rid}", "nr:create"):
        message = ben.user.messages()[-1]
        stored = bot.server.message(ben.chat, message.message_id)
        stored.reply_markup = {"inline_keyboard": [[{"text": "Forged", "callback_data": data}]]}
        await ben.user.press(data, message.message_id)
        note = await bot.server.wait_for(ben.chat, lambda e: e.kind == "callback_answer")
        assert note.params.get("text") == COORDINATORS_ONLY
        assert any(data in r.getMessage() and "502" in r.getMessage() for r in caplog.records)

    # A partner's typed answer still reaches the partner flow.
    await ben.tap("Start")
    await ben.say("Strong links with the police")
    partner = await bot.partner("Ben Okafor")
    response = await bot.svc.responses.of_partner(rid, partner.id)
    assert response is not None
    assert (await bot.svc.responses.answers(response.id))["strengths"].value == (
        "Strong links with the police")

    await bot.server.wait_idle()
    assert (await bot.svc.rounds.round(rid)).state == "open"
    assert len(await bot.svc.rounds.rounds.all()) == 1
    assert await bot.svc.outbox.counts(rid, "reminder") == {}
    assert response.reminders_sent == 0


async def test_coordinator_commands_in_their_chat(running_bot: RunningBot,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    bot = running_bot
    scoped = await bot.app.bot.get_my_commands(scope=BotCommandScopeChat(COORDINATOR_ID))
    assert {"newround", "rounds", "status", "remind", "close"} <= {c.command for c in scoped}
    assert "newround" not in {c.command for c in await bot.app.bot.get_my_commands()}
    # A coordinator who never opened the bot: Telegram answers 400 "chat not found".
    bot.server.faults.add("setMyCommands", "400", description="Bad Request: chat not found")
    await coordinator.set_commands(bot.app)
    assert any("could not set coordinator commands" in r.getMessage() for r in caplog.records)
