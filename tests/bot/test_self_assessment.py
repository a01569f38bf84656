"""A whole "Working better together?" self-assessment through the local Bot API server:
how many taps it takes and how many messages the bot leaves in the chat."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from surveys.flow import question_count
from surveys.templates import builtin_template
from tests.bot.conftest import RunningBot
from tests.bot.phone import Phone

MAX_TAPS = 46                 # Start, one per question, Submit
MAX_MESSAGES_PER_QUESTION = 0.2   # several questions to a message


async def test_the_self_assessment_in_46_taps_and_one_message_a_question(
        running_bot: RunningBot) -> None:
    bot = running_bot
    q = builtin_template("working-better-together")
    assert len(q.questions) == question_count(q) == 44
    rid = await bot.svc.rounds.create(q, deadline=bot.svc.clock.now() + timedelta(days=7),
                                      anonymity="named")
    bot.svc.outbox_changed.set()
    phone = Phone(bot.server, await bot.join("Asha Patel", 501))
    invitation = await phone.invitation()
    assert "44 questions" in invitation.text
    first = invitation.index
    screen = await phone.tap("Start")
    while "Submit" not in phone.labels():
        labels = phone.labels()
        assert "\nArea " in f"\n{screen.text}", screen.text
        # A text question offers Back and Skip; a rating its points first.
        await phone.tap("Skip" if labels[0] in ("← Back", "Skip") else labels[0])
        screen = phone.screen()
    done = await phone.tap("Submit")
    # The thank-you follows the review's last answers in the message that showed them.
    assert "\n44. What actions would you suggest?\n   → (skipped)" in done.text
    assert f"✅ Submitted: {q.title}. Thank you!" in done.text

    sent = [e for e in phone.user.transcript() if e.kind == "message" and e.index >= first]
    per_question = len(sent) / len(q.questions)
    assert phone.taps <= MAX_TAPS, phone.taps
    assert per_question <= MAX_MESSAGES_PER_QUESTION, [e.text for e in sent]
    assert sum("Submitted" in (m.text or "") for m in phone.user.messages()) == 1
    # Every question reads as a transcript line now, several to a message (the next question
    # took the answered one's place), each area under its name, no buttons left on them.
    settled = [m for m in phone.user.messages() if "\n✅ " in (m.text or "")]
    assert sum(m.text.count("\n✅ ") - m.text.count("\n✅ Submitted") for m in settled) == 44, [
        m.text for m in settled]
    assert not any(m.buttons for m in settled)
    for number, section in enumerate(q.sections, 1):
        assert any(f"Area {number}: {section.title}\n" in m.text for m in settled), number
    for number, question in enumerate(q.questions, 1):
        assert any(f"{number}. {question.prompt}\n✅ " in m.text for m in settled), number
    partner = await bot.partner("Asha Patel")
    response = await bot.svc.responses.of_partner(rid, partner.id)
    assert response is not None and response.state == "submitted"
    answers = await bot.svc.responses.answers(response.id)
    assert len(answers) == 44 and sum(a.skipped for a in answers.values()) == 7
    # Bot API calls for the whole round: each tap answered, and at most one edit or send
    # besides for each, but for the few taps that both settle a message and send the next.
    calls = Counter(e.kind for e in phone.user.transcript() if e.index >= first
                    and e.kind in ("message", "edit", "callback_answer"))
    assert calls["callback_answer"] == phone.taps
    assert calls["message"] + calls["edit"] <= phone.taps + len(sent), calls
    print(f"self-assessment: {phone.taps} taps, {len(sent)} bot messages "
          f"({per_question:.2f} a question), Bot API calls {dict(calls)}")


async def test_a_review_in_parts_keeps_its_last_answers_when_submitted(
        running_bot: RunningBot) -> None:
    """Long typed answers make the review three messages; Submit is on the last. The thank-you
    must follow that part's answers, not replace them (the chat once ended the review at
    question 30, with no sign that 31-44 had been there)."""
    bot = running_bot
    q = builtin_template("working-better-together")
    rid = await bot.svc.rounds.create(q, deadline=bot.svc.clock.now() + timedelta(days=7),
                                      anonymity="named")
    bot.svc.outbox_changed.set()
    phone = Phone(bot.server, await bot.join("Asha Patel", 501))
    await phone.invitation()
    await phone.tap("Start")
    while "Submit" not in phone.labels():
        labels = phone.labels()
        if labels[0] in ("← Back", "Skip"):     # a text question: answer it at length
            await phone.say("Agree a shared plan with named owners and dates, report progress "
                            "to every board meeting, and publish what was done for residents.")
        else:
            await phone.tap(labels[0])
    first = next(m.message_id for m in phone.user.messages()
                 if (m.text or "").startswith("Review your answers"))
    parts = [m for m in phone.user.messages() if m.message_id >= first]
    assert len(parts) >= 2, len(parts)
    last = phone.screen()
    done = await phone.tap("Submit")
    assert done.message_id == last.message_id and not done.buttons
    assert "44. What actions would you suggest?\n   → Agree a shared plan" in done.text
    assert "Submit when you are happy" not in done.text
    assert done.text.rstrip().splitlines()[-2] == f"✅ Submitted: {q.title}. Thank you!"
    # Every question is still listed in the review's parts, once.
    reviewed = "\n".join(bot.server.message(phone.chat, m.message_id).text for m in parts)
    for number, question in enumerate(q.questions, 1):
        assert reviewed.count(f"\n{number}. {question.prompt}\n   → ") == 1, number
    response = await bot.svc.responses.of_partner(rid, (await bot.partner("Asha Patel")).id)
    assert response is not None and response.state == "submitted"
