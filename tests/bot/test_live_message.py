"""One live message per question, through the local Bot API server: the next question takes
the answered one's place when nothing came below it, and a step shown again below (Continue,
Open) settles the older copy, so only one message in the chat has the question's buttons."""

from __future__ import annotations

from datetime import timedelta

from surveys.templates import builtin_template
from tests.bot.conftest import RunningBot
from tests.bot.phone import Phone


async def started(bot: RunningBot, template: str = "partnership-functions") -> Phone:
    await bot.svc.rounds.create(builtin_template(template),
                                deadline=bot.svc.clock.now() + timedelta(days=7),
                                anonymity="named")
    bot.svc.outbox_changed.set()
    phone = Phone(bot.server, await bot.join("Asha Patel", 501))
    await phone.invitation()
    await phone.tap("Start")
    return phone


def with_answer_buttons(phone: Phone) -> list[int]:
    """The ids of the partner's messages that still have a question's answer buttons."""
    return [m.message_id for m in phone.user.messages() if not m.deleted
            and any(data.startswith("pick:") for row in m.buttons for _, data in row)]


async def test_continue_settles_the_older_copy_of_the_question(running_bot: RunningBot) -> None:
    bot = running_bot
    phone = await started(bot)
    await phone.tap(phone.labels()[0])                  # question 1 answered, 2 in its place
    older = phone.screen()
    assert older.text.startswith("Area 1: Strategy\n1. ") and "Question 2 of 6" in older.text
    await phone.user.send_command("/surveys")
    await phone.reply("Your question rounds")
    await phone.settled()
    await phone.tap("Open: Partnership functions")
    again = await phone.tap("Continue")
    assert again.message_id > older.message_id and "Question 2 of 6" in again.text
    settled = bot.server.message(phone.chat, older.message_id)
    assert not settled.buttons
    assert settled.text.startswith("Area 1: Strategy\n1. ")        # its transcript stays
    assert "\n\n2. Bottom up objectives" in settled.text
    assert settled.text.endswith("perform this function?\n⬇ Continued below.")
    # One message in the chat has the question's buttons: the copy just sent.
    assert with_answer_buttons(phone) == [again.message_id]
    answered = await phone.tap(phone.labels()[0])
    assert answered.message_id == again.message_id and "Question 3 of 6" in answered.text


async def test_something_below_the_question_sends_the_next_one_below(
        running_bot: RunningBot) -> None:
    bot = running_bot
    await bot.svc.rounds.create(builtin_template("partnership-functions"),
                                deadline=bot.svc.clock.now() + timedelta(days=7),
                                anonymity="named")
    bot.svc.outbox_changed.set()
    phone = Phone(bot.server, await bot.join("Asha Patel", 501))
    await phone.invitation()
    await phone.tap("Start")
    first = phone.screen()
    await phone.user.send_command("/help")            # the partner writes below the question
    await phone.reply("PartnerPulse runs")
    await phone.settled()
    asked = await phone.tap(first.buttons[0][0][0])
    assert asked.message_id > first.message_id         # the next question, at the bottom
    assert asked.text.startswith("Area 1 of 3 · Question 2 of 6") and "✅" not in asked.text
    settled = bot.server.message(phone.chat, first.message_id)
    assert settled.text.startswith("Area 1: Strategy\n1. ") and not settled.buttons
    # Answered at the bottom again, the next one takes its place once more.
    again = await phone.tap(phone.labels()[0])
    assert again.message_id == asked.message_id and again.text.startswith("2. ")
