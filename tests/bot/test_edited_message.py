"""An edited message gets a clear reply and changes nothing stored."""

from __future__ import annotations

from datetime import timedelta

from bot.handlers.edits import EDITED
from surveys.rounds import Audience
from surveys.templates import builtin_template
from tests.bot.conftest import RunningBot
from tests.bot.phone import Phone


async def test_an_edit_is_answered_and_the_answer_kept(running_bot: RunningBot) -> None:
    bot = running_bot
    await bot.svc.rounds.create(builtin_template("framework-review"),
                                deadline=bot.svc.clock.now() + timedelta(days=7),
                                anonymity="named",
                                audience=Audience(partnership=("Fareham Partnership",)))
    bot.svc.outbox_changed.set()
    asha = await bot.join("Asha Patel", 501)
    phone = Phone(bot.server, asha)
    await phone.invitation()
    await phone.tap("Start")
    await phone.tap("Skip")
    assert "added value" in (await phone.tap("Council")).text
    await phone.say("Networking across sectors")
    typed = bot.server.partner_messages(asha.chat_id)[-1]["message_id"]

    await asha.edit_text(typed, "Networking across all sectors")
    reply = await phone.reply(EDITED[:20])
    assert reply.text == EDITED
    me = await bot.partner("Asha Patel")
    response = (await bot.svc.responses.all_of_partner(me.id))[0]
    given = [a.value for a in (await bot.svc.responses.answers(response.id)).values()]
    assert "Networking across sectors" in given
    assert "Networking across all sectors" not in given
