"""End to end: partners join and answer through the local Bot API server and the real bot."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from bot.app import build_application, shutdown, startup
from surveys.rounds import Audience
from surveys.screens import Action
from surveys.templates import builtin_template
from tests.bot.conftest import RunningBot
from tests.bot.phone import Phone


async def open_round(bot: RunningBot, template: str, **kw: object) -> int:
    rid = await bot.svc.rounds.create(builtin_template(template),
                                      deadline=bot.svc.clock.now() + timedelta(days=7),
                                      **kw)  # type: ignore[arg-type]
    bot.svc.outbox_changed.set()
    return rid


async def test_join_then_invitation_then_a_whole_round(running_bot: RunningBot) -> None:
    bot = running_bot
    rid = await open_round(bot, "framework-review", anonymity="named",
                           audience=Audience(partnership=("Fareham Partnership",)))
    user = await bot.join("Asha Patel", 501)
    phone = Phone(bot.server, user)
    invite = await phone.invitation()
    assert "LSP Framework Review" in invite.text and "Named round" in invite.text
    assert "19 questions" in invite.text
    q = await phone.tap("Start")                      # one tap from the invitation
    assert q.text.startswith("Area 1 of 4 · Question 1 of 19")
    assert "▶ Started" in bot.server.message(phone.chat, invite.message_id).text
    q = await phone.tap("Skip")                       # optional number
    assert "Which sector" in q.text
    before = len(user.messages())
    q = await phone.tap("Council")
    # Tapped on the chat's newest message: the sector question became a transcript line and
    # the next question took its place in the same message.
    assert "Which sector" in q.text and "\n✅ Council\n" in q.text
    assert "added value" in q.text and len(user.messages()) == before
    q = await phone.say("Networking *across* sectors\nand a shared focus — ñ, 你好 🙂")
    assert "barriers" in q.text
    q = await phone.say("x" * 10_000)                 # refused briefly; nothing sent again
    assert "10,000 characters" in q.text and "4,000" in q.text and "barriers" not in q.text
    await user.send_sticker()
    refusal = await phone.reply("can't use a sticker")
    assert "Please type your answer" in refusal.text and "barriers" not in refusal.text
    q = await phone.say("too many meetings; no budget")
    q = await phone.tap("Very effective")             # a rating, then its "Why?"
    assert "Why?" in q.text and "You said: Very effective" in q.text
    q = await phone.say("Regular updates")
    q = await phone.tap("← Back")                     # back to the "Why?", in place
    assert "Your answer: Regular updates" in q.text
    q = await phone.tap("Keep this answer")
    q = await phone.tap("Not very effective")
    q = await phone.say("No structured input")

    # The bot restarts in the middle; the partner carries on where they were.
    await shutdown(bot.app)
    bot.app = build_application(bot.svc, sender_idle_poll=0.05)
    await bot.app.initialize()
    await bot.app.start()
    await bot.app.updater.start_polling(poll_interval=0, timeout=1)
    await startup(bot.app)
    await user.send_command("/surveys")
    listing = await phone.reply("Your question rounds")
    assert "8 of 19 answered" in listing.text
    await phone.tap("Open: LSP Framework Review")
    q = await phone.tap("Continue")
    assert "Question 9 of 19" in q.text and "leadership" in q.text
    for _ in range(9):
        q = await phone.say("Clear roles & responsibilities")
    await phone.tap_in_place("Forum")
    await phone.tap_in_place("Away days")
    q = await phone.tap("Done")
    q = await phone.tap("No")
    assert q.text.startswith("Review your answers")
    assert "Away days, Forum" in q.text and "(skipped)" in q.text
    sent = len(user.messages())
    done = await phone.tap("Submit")
    assert "Submitted" in done.text and len(user.messages()) == sent   # one, in place
    partner = await bot.partner("Asha Patel")
    response = await bot.svc.responses.of_partner(rid, partner.id)
    assert response is not None and response.state == "submitted"
    answers = await bot.svc.responses.answers(response.id)
    assert answers["added-value"].value == ("Networking *across* sectors\n"
                                            "and a shared focus — ñ, 你好 🙂")
    assert answers["county-connection"].value == "Not very effective"
    assert answers["learning-join"].value == "No" and "learning-join-topics" not in answers


async def test_tokens_duplicates_stale_and_forged(running_bot: RunningBot) -> None:
    bot = running_bot
    stranger = Phone(bot.server, bot.server.user(600, "Stranger"))
    await stranger.user.send_command("/start")
    assert "invite link" in (await stranger.reply()).text
    await stranger.user.send_command("/start", "A" * 24)
    assert "not one we know" in (await stranger.reply()).text
    await stranger.user.send_command("/surveys")
    assert "not joined" in (await stranger.reply()).text

    rid = await open_round(bot, "swot", anonymity="confidential")
    ben = Phone(bot.server, await bot.join("Ben Okafor", 502))
    await ben.invitation()
    q = await ben.tap("Start")
    first_id = ben.screen().message_id
    update_id = await ben.user.send_text("Strong links with the police")
    await ben.settled()
    bot.server.redeliver(update_id)                     # the same update again
    await bot.server.wait_idle()
    partner = await bot.partner("Ben Okafor")
    response = await bot.svc.responses.of_partner(rid, partner.id)
    assert response is not None and response.current_question == "weaknesses"
    answers = await bot.svc.responses.answers(response.id)
    assert answers["strengths"].value == "Strong links with the police"
    assert "Question 2 of 4" in ben.screen().text             # applied once, not twice
    # the first question's message is a transcript now: no buttons to press
    assert not bot.server.message(ben.chat, first_id).buttons
    q = await ben.tap("← Back")
    _, back_data = ben.find("Keep this answer")
    q = await ben.tap("Keep this answer")
    assert "weakness" in q.text.lower()
    # an older message's button (kept by a tampered or lagging client): a toast, nothing sent
    stored = bot.server.message(ben.chat, first_id)
    stored.reply_markup = {"inline_keyboard": [[{"text": "Keep", "callback_data": back_data}]]}
    sent = len(ben.user.messages())
    await ben.user.press(back_data, first_id)
    note = await bot.server.wait_for(ben.chat, lambda e: e.kind == "callback_answer")
    assert "earlier message" in (note.params.get("text") or "")
    await ben.settled()
    assert len(ben.user.messages()) == sent
    forged = Action("pick", 99999, 0, 0).encode()
    message = ben.user.messages()[-1]
    # A tampered client: the message now carries a button the bot never made.
    stored = bot.server.message(ben.chat, message.message_id)
    assert stored is not None
    stored.reply_markup = {"inline_keyboard": [[{"text": "Forged", "callback_data": forged}]]}
    await ben.user.press(forged, message.message_id)
    note = await bot.server.wait_for(ben.chat, lambda e: e.kind == "callback_answer")
    assert "not one of yours" in (note.params.get("text") or "")
    response = await bot.svc.responses.of_partner(rid, partner.id)
    assert response is not None and response.current_question == "weaknesses"

    # A joined partner cannot be taken over by another account, even with a fresh link.
    token = await bot.svc.invitations.issue(partner.id)
    await stranger.user.send_command("/start", token)
    assert "already joined from another Telegram account" in (await stranger.reply()).text
    assert (await bot.partner("Ben Okafor")).telegram_user_id == 502


async def test_two_partners_at_once_and_forget(running_bot: RunningBot) -> None:
    bot = running_bot
    rid = await open_round(bot, "swot", anonymity="named")
    asha = Phone(bot.server, await bot.join("Asha Patel", 501))
    cara = Phone(bot.server, await bot.join("Cara Jones", 503))
    for phone in (asha, cara):
        await phone.invitation()
        await phone.tap("Start")
    for text in ("Trust", "Targets", "Leaders", "Funding"):
        await asha.user.send_text(f"Asha: {text}")
        await cara.user.send_text(f"Cara: {text}")
        await asha.reply()
        await cara.reply()
    await bot.server.wait_idle()
    for phone in (asha, cara):
        assert "Submitted" in (await phone.tap("Submit")).text
    for name, who in (("Asha Patel", "Asha"), ("Cara Jones", "Cara")):
        partner = await bot.partner(name)
        response = await bot.svc.responses.of_partner(rid, partner.id)
        assert response is not None
        values = [a.value for a in (await bot.svc.responses.answers(response.id)).values()]
        assert all(v.startswith(f"{who}:") for v in values) and len(values) == 4

    await asha.user.send_command("/mydata")
    document = await asha.reply()
    assert document.kind == "document" and document.file is not None
    data = json.loads(document.file.content)
    assert data["name"] == "Asha Patel" and len(data["rounds"][0]["answers"]) == 4

    await asha.user.send_command("/forget")
    await asha.reply("Erase everything?")
    message_id, data = asha.find("Yes, erase me")
    await asha.user.press(data, message_id)
    await bot.server.wait_for(asha.chat, lambda e: e.kind == "edit" and "erased" in (e.text or ""))
    assert [p.name for p in await bot.svc.partners.all()] == ["Ben Okafor", "Cara Jones",
                                                              "Dev Shah"]
    status = await bot.svc.rounds.status(rid)
    assert status.withdrawn == 1 and status.submitted == 1
    await asha.user.send_command("/surveys")
    assert "not joined" in (await asha.reply()).text


async def test_help_privacy_and_commands(running_bot: RunningBot) -> None:
    bot = running_bot
    phone = Phone(bot.server, await bot.join("Dev Shah", 504))
    await phone.user.send_command("/help")
    assert "/surveys" in (await phone.reply()).text
    await phone.user.send_command("/privacy")
    text = (await phone.reply()).text
    assert "Anonymous" in text and "smaller than 3" in text
    await phone.user.send_command("/digest", "on")
    assert "now on" in (await phone.reply()).text
    assert (await bot.partner("Dev Shah")).digest_opt_in
    commands = [c.command for c in await bot.app.bot.get_my_commands()]
    assert "surveys" in commands and "forget" in commands


async def test_a_rating_with_a_comment(running_bot: RunningBot) -> None:
    bot = running_bot
    rid = await open_round(bot, "rag-feedback", anonymity="named")
    phone = Phone(bot.server, await bot.join("Cara Jones", 503))
    await phone.invitation()
    q = await phone.tap("Start")
    assert "Green: things that have worked well" in q.text
    sent = len(phone.user.messages())
    q = await phone.say("Good relationships, but *not yet* working together 🤝")
    assert "💬 Your comment: Good relationships" in q.text        # the question, redrawn
    assert len(phone.user.messages()) == sent
    nxt = await phone.tap("Amber")
    assert "what has worked well" in nxt.text.lower()
    answered = phone.user.messages()[sent - 1]
    # The comment is the partner's own message just below: the settled line keeps the
    # rating, not a second copy of the words.
    assert answered.text.endswith("✅ Amber") and "Good relationships" not in answered.text
    partner = await bot.partner("Cara Jones")
    response = await bot.svc.responses.of_partner(rid, partner.id)
    assert response is not None
    overall = (await bot.svc.responses.answers(response.id))["overall"]
    assert overall.value == "Amber"
    assert overall.comment == "Good relationships, but *not yet* working together 🤝"


async def test_an_error_is_logged_and_the_partner_reassured(
        running_bot: RunningBot, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    bot = running_bot
    phone = Phone(bot.server, await bot.join("Dev Shah", 504))

    async def broken(*args: object) -> None:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(bot.svc.answering, "text", broken)
    caplog.set_level(logging.ERROR)
    reply = await phone.say("An answer")
    assert "Your answers so far are saved" in reply.text
    record = next(r for r in caplog.records if "error while handling an update" in r.message)
    assert record.exc_info is not None and "disk is on fire" in str(record.exc_info[1])
