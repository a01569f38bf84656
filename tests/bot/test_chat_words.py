"""End to end: what the bot says to coordinators, to unknown commands, to late joiners."""

from __future__ import annotations

import re
from datetime import timedelta

from click.testing import CliRunner

from bot.cli import cli
from storage.records import PartnerRow
from surveys.flow import count_text, progress
from surveys.templates import builtin_template
from tests.bot.conftest import COORDINATOR_ID, ROSTER_ROWS, RunningBot
from tests.bot.phone import Phone


async def test_a_coordinator_gets_their_own_start_and_help(running_bot: RunningBot) -> None:
    bot = running_bot
    cora = Phone(bot.server, bot.server.user(COORDINATOR_ID, "Cora"))
    await cora.user.send_command("/start")
    welcome = await cora.reply()
    assert "coordinator" in welcome.text and "/newround" in welcome.text
    assert "invite link" not in welcome.text
    await cora.user.send_command("/help")
    helped = await cora.reply()
    for command in ("/newround", "/rounds", "/status", "/remind", "/close", "/report",
                    "/surveys"):
        assert command in helped.text
    partner = Phone(bot.server, await bot.join("Dev Shah", 504))
    await partner.user.send_command("/help")
    assert "/newround" not in (await partner.reply()).text


async def test_unknown_commands_get_a_short_answer(running_bot: RunningBot) -> None:
    bot = running_bot
    phone = Phone(bot.server, await bot.join("Asha Patel", 501))
    await phone.user.send_command("/frobnicate")
    assert (await phone.reply()).text == "I don't know /frobnicate. /help lists what I can do."
    await phone.user.send_command("/cancel")
    assert "nothing to cancel" in (await phone.reply()).text


async def test_a_late_joiner_hears_their_rounds_are_coming_and_they_come(
        running_bot: RunningBot) -> None:
    bot = running_bot
    await bot.svc.rounds.create(builtin_template("swot"),
                                deadline=bot.svc.clock.now() + timedelta(days=7))
    bot.svc.outbox_changed.set()
    phone = Phone(bot.server, await bot.join("Cara Jones", 503))
    welcome = next(m for m in phone.user.messages() if m.text.startswith("Welcome"))
    assert "Your question rounds are on their way" in welcome.text
    assert "We will message you" not in welcome.text
    invitation = await phone.invitation()
    assert "4 questions" in invitation.text
    early = Phone(bot.server, await bot.join("Dev Shah", 504))  # audience is everyone
    await early.invitation()


def test_question_counts_agree_between_the_cli_the_card_and_the_chat() -> None:
    q = builtin_template("framework-review")
    listed = CliRunner().invoke(cli, ["templates", "list"]).output
    line = next(x for x in listed.splitlines() if x.startswith("framework-review"))
    assert "19 questions (+1 follow-up)" in line
    assert count_text(q).startswith("19 questions")
    last_main, follow_up = q.questions[-2], q.questions[-1]
    assert progress(q, {}, last_main.id).line().endswith("Question 19 of 19")
    assert progress(q, {}, follow_up.id).line().endswith("Question 19 of 19 · follow-up")


async def test_a_partner_in_two_partnerships_is_welcomed_to_both_as_a_person_lists_them(
        running_bot: RunningBot) -> None:
    # The demo welcomed an action owner to "Fareham Community Partnership, Worcester
    # Community Safety Partnership": a list a person ends with "and".
    bot = running_bot
    await bot.svc.partners.import_rows(
        [*ROSTER_ROWS, PartnerRow("Dev Shah", "Community Action", "Voluntary",
                                  "Fareham Partnership", "Member")], bot.svc.clock.now())
    phone = Phone(bot.server, await bot.join("Dev Shah", 504))
    welcome = next(m for m in phone.user.messages() if m.text.startswith("Welcome"))
    assert re.search(r"You have joined (Fareham Partnership and Safety Board|Safety Board "
                     r"and Fareham Partnership) on PartnerPulse\.", welcome.text), welcome.text
