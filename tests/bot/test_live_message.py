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
    phone = await started(bot)
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


async def test_the_review_under_every_answer_and_a_change_from_it(
        running_bot: RunningBot) -> None:
    bot = running_bot
    phone = await started(bot)
    live = phone.screen().message_id
    for _ in range(6):
        review = await phone.tap("Weakly")
    # Every answer is in the live message, so it is the review itself: nothing sent.
    assert review.message_id == live and "That is every question." in review.text
    assert review.text.count("\n✅ Weakly") == 6 and phone.labels() == ["Submit",
                                                                      "Change an answer"]
    grid = await phone.tap("Change an answer")
    kept = bot.server.message(phone.chat, live)
    assert kept.text.count("\n✅ Weakly") == 6 and not kept.buttons     # the lines stay
    assert "That is every question." not in kept.text
    assert grid.message_id > live and grid.text.startswith("Which answer")
    await phone.tap("2")
    await phone.tap("Strongly")
    assert "2. Bottom up" in bot.server.message(phone.chat, grid.message_id).text
    done = await phone.tap("Submit")
    # The review of its own keeps its answers above the thank-you, without its instruction.
    assert done.text.startswith("Review your answers: Partnership functions")
    assert done.text.count("→ Weakly") == 5 and done.text.count("→ Strongly") == 1
    assert "Submit when you are happy" not in done.text and not done.buttons
    assert done.text.rstrip().splitlines()[-2] == "✅ Submitted: Partnership functions. Thank you!"
    partner = await bot.partner("Asha Patel")
    response = await bot.svc.responses.of_partner(1, partner.id)
    assert response is not None and response.state == "submitted"
    answers = await bot.svc.responses.answers(response.id)
    assert answers["bottom-up-strategy"].value == "Strongly"
    assert [a.value for k, a in answers.items() if k != "bottom-up-strategy"] == ["Weakly"] * 5


async def test_back_keep_and_change_stay_in_the_live_message(running_bot: RunningBot) -> None:
    bot = running_bot
    phone = await started(bot)
    live = phone.screen().message_id
    await phone.tap("Strongly")
    back = await phone.tap("← Back")
    assert back.message_id == live and back.text.startswith("Area 1 of 3 · Question 1 of 6")
    assert "Your answer: Strongly" in back.text and "✅" not in back.text
    kept = await phone.tap("Keep this answer")
    assert kept.message_id == live and "Question 2 of 6" in kept.text
    assert kept.text.count("\n✅ Strongly") == 1
    await phone.tap("Moderately")
    back = await phone.tap("← Back")              # question 2 again, question 1's line above
    assert back.text.count("\n✅ ") == 1 and "Your answer: Moderately" in back.text
    changed = await phone.tap("Weakly")
    assert changed.message_id == live and "Question 3 of 6" in changed.text
    assert "\n✅ Strongly" in changed.text and "\n✅ Weakly" in changed.text
    assert "Moderately" not in changed.text
    assert with_answer_buttons(phone) == [live]
