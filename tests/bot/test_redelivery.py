"""An update whose answer failed to be stored is applied when Telegram delivers it again.

The update is claimed in the answer's own transaction: before, it was claimed first, so a
failure (or a crash) between the claim and the answer lost the answer for good, the
redelivered update being dropped as a duplicate.
"""

from __future__ import annotations

import sqlite3

from surveys.templates import builtin_template
from tests.bot.conftest import RunningBot
from tests.bot.test_live_message import started


def break_answers(path: str, broken: bool) -> None:
    """From another connection, as a failing disk would: every answer's insert fails."""
    with sqlite3.connect(path) as conn:
        if broken:
            conn.execute("CREATE TRIGGER answers_fail BEFORE INSERT ON answers BEGIN"
                         " SELECT RAISE(ABORT, 'disk I/O error'); END")
        else:
            conn.execute("DROP TRIGGER answers_fail")


async def test_a_tap_whose_answer_failed_is_applied_when_delivered_again(
        running_bot: RunningBot) -> None:
    bot = running_bot
    phone = await started(bot)
    [rnd] = await bot.svc.rounds.all()
    rid = rnd.id
    question = phone.screen()
    message_id, data = phone.find("Moderately")

    break_answers(bot.config.database.path, True)
    update_id = await phone.user.press(data, message_id)
    await bot.server.wait_for(phone.chat, lambda e: "something went wrong" in (e.text or ""))
    await phone.settled()
    partner = await bot.partner("Asha Patel")
    response = await bot.svc.responses.of_partner(rid, partner.id)
    assert response is not None and await bot.svc.responses.answers(response.id) == {}

    break_answers(bot.config.database.path, False)
    bot.server.redeliver(update_id)            # Telegram delivers the unacknowledged tap again
    # The answer is settled in its message; the next question follows below "Sorry...".
    await bot.server.wait_for(phone.chat, lambda e: "Question 2 of 6" in (e.text or ""))
    await phone.settled()
    assert "✅ Moderately" in bot.server.message(phone.chat, question.message_id).text
    answers = await bot.svc.responses.answers(response.id)
    assert [(a.question_id, a.value) for a in answers.values()] == [
        (builtin_template("partnership-functions").questions[0].id, "Moderately")]

    bot.server.redeliver(update_id)            # and once it is applied, never twice
    await phone.settled()
    again = await bot.svc.responses.answers(response.id)
    assert [a.version for a in again.values()] == [1]
