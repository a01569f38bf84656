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
    assert done.text.startswith("✅ Submitted")

    sent = [e for e in phone.user.transcript() if e.kind == "message" and e.index >= first]
    per_question = len(sent) / len(q.questions)
    assert phone.taps <= MAX_TAPS, phone.taps
    assert per_question <= MAX_MESSAGES_PER_QUESTION, [e.text for e in sent]
    assert sum("Submitted" in (m.text or "") for m in phone.user.messages()) == 1
    # Every question reads as a transcript line now, several to a message (the next question
    # took the answered one's place), each area under its name, no buttons left on them.
    settled = [m for m in phone.user.messages() if "\n✅ " in (m.text or "")]
    assert sum(m.text.count("\n✅ ") for m in settled) == 44, [m.text for m in settled]
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
