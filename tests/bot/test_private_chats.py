"""The bot works in private chats only: in a group it says so once and does nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest

from surveys.errors import InvitationError
from surveys.rounds import Audience
from surveys.templates import builtin_template
from tests.bot.conftest import COORDINATOR_ID, RunningBot
from tests.bot.phone import Phone


@pytest.mark.parametrize("kind", ["group", "supergroup"])
async def test_a_group_gets_one_notice_and_nothing_else(running_bot: RunningBot,
                                                        kind: str) -> None:
    bot = running_bot
    rid = await bot.svc.rounds.create(builtin_template("framework-review"),
                                      deadline=bot.svc.clock.now() + timedelta(days=7),
                                      anonymity="named",
                                      audience=Audience(partnership=("Fareham Partnership",)))
    bot.svc.outbox_changed.set()
    asha = await bot.join("Asha Patel", 501)
    phone = Phone(bot.server, asha)
    await phone.invitation()
    await phone.tap("Start")  # Asha is on her first question, in her private chat

    group_id = -1001234567890
    in_group = asha.in_group(group_id, kind=kind)
    coordinator = bot.server.user(COORDINATOR_ID, "Coordinator").in_group(group_id, kind=kind)
    ben = await bot.partner("Ben Okafor")
    ben_token = await bot.svc.invitations.issue(ben.id)
    stranger = bot.server.user(777, "Stranger").in_group(group_id, kind=kind)

    await in_group.send_command("/mydata")
    await in_group.send_command("/surveys")
    await in_group.send_text("Networking across sectors")  # would be her answer in private
    await stranger.send_command("/start", ben_token)       # an invite link used in the group
    await coordinator.send_command("/status", str(rid))
    await coordinator.send_command("/rounds")
    await in_group.send_command("/forget")
    notice = await bot.server.wait_for(group_id, lambda e: e.kind == "message")
    assert "private chat" in (notice.text or "")
    assert "https://t.me/partnerpulse_bot" in (notice.text or "")

    # Asha's private chat still works; by then the group's updates have all been handled.
    await asha.send_command("/help")
    await phone.reply("one question at a time")
    await bot.server.wait_idle(timeout=10)

    sent = [e for e in bot.server.transcript(group_id) if e.kind != "callback_answer"]
    assert [e.text for e in sent] == [notice.text]
    assert not bot.server.documents(group_id)
    me = await bot.partner("Asha Patel")
    assert me.chat_id == 501
    mine = await bot.svc.responses.of_partner(rid, me.id)
    assert mine is not None and await bot.svc.responses.answers(mine.id) == {}
    assert mine.draft is None
    assert (await bot.partner("Ben Okafor")).chat_id is None  # the link bound nothing

    # Later messages in the group get no second notice; the unused link still works privately.
    await in_group.send_command("/surveys")
    ben_user = bot.server.user(502, "Ben")
    await ben_user.send_command("/start", ben_token)
    await bot.server.wait_for(502, lambda e: "Welcome" in (e.text or ""))
    await bot.server.wait_idle(timeout=10)
    assert len([e for e in bot.server.transcript(group_id) if e.kind == "message"]) == 1


async def test_an_invite_link_binds_only_a_private_chat(running_bot: RunningBot) -> None:
    bot = running_bot
    asha = await bot.partner("Asha Patel")
    token = await bot.svc.invitations.issue(asha.id)
    with pytest.raises(InvitationError, match="private chat"):
        await bot.svc.invitations.redeem(token, 501, -100501)
    assert (await bot.partner("Asha Patel")).chat_id is None
    joined = await bot.svc.invitations.redeem(token, 501, 501)
    assert joined.chat_id == 501
