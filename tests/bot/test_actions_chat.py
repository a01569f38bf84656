"""End to end through the local Bot API server: agreed actions followed up in the chat."""

from __future__ import annotations

from datetime import timedelta

from tests.bot.desk import Desk
from tests.bot.phone import Phone

SUGGESTED = {
    "Asha Patel": "Refresh the community strategy every three years with partners",
    "Ben Okafor": "Refresh the community strategy every three years",
    "Cara Jones": "Refresh the strategy every three years so it stays current",
}


async def test_owner_taps_done_the_coordinator_sees_it_and_the_digest_lists_it(
        desk: Desk) -> None:
    bot, coord = desk.bot, desk.coord
    rid = await desk.closed_round(SUGGESTED)
    asha = Phone(bot.server, await bot.join("Asha Patel", 501))

    # The coordinator agrees a suggested action with three taps: suggestion, owner, due date.
    suggestions = await desk.open_suggestions(rid)
    assert "The LSP's long-term goals" in suggestions.text and "a) " in suggestions.text
    # The three partners suggested one action in their own words: it is offered once,
    # worded as an action from what they wrote, with how many suggested it.
    offered = next(line for line in suggestions.text.splitlines() if line.startswith("a) "))
    assert offered == "a) Refresh the community strategy every three years (suggested by 3)"
    assert "b) " not in suggestions.text and "(from" not in suggestions.text
    suggestion = next(text for row in suggestions.buttons for text, _ in row)
    owners = await coord.tap(suggestion)
    assert "Refresh the community strategy every three years" in owners.text
    assert "Action to agree" in owners.text and "Who owns it?" in owners.text
    # The coordinator words it as the board agreed it, before choosing the owner.
    wording = "Agree how feedback from the review comes back to every partner"
    reworded = await coord.say(wording)
    assert reworded.text.startswith("Reworded")
    assert wording in reworded.text and "Who owns it?" in reworded.text
    due = await coord.tap("Asha Patel (Fareham Borough Council)")
    assert "Due in?" in due.text and wording in due.text
    agreed = await coord.tap("3 months")
    assert "Agreed, and sent to its owner" in agreed.text and wording in agreed.text
    assert ("Agreed from the suggestion “Refresh the community strategy every three years”, "
            "in 3 answers.") in agreed.text
    [action] = await bot.svc.actions.find(round_id=rid)
    # It records the suggestion it was agreed from, not the coordinator's rewording.
    assert action.text == wording
    assert action.source_theme == "Refresh the community strategy every three years"
    assert action.area == "long-term-goals" and action.question_id == "long-term-goals-actions"
    assert len(action.sources) == 3   # the three partners' answers it came from

    # The owner gets the card with its context and three buttons, and taps Done.
    card = await asha.reply("An action agreed for you")
    assert wording in card.text and "The LSP's long-term goals" in card.text
    assert [t for t, _ in card.buttons[0]] == ["In progress", "Done", "Stuck"]
    asked = await asha.tap("Done")
    assert "Recorded: done" in asked.text
    prompt = asha.screen()
    assert "Add a note for the board?" in prompt.text and asha.labels() == ["No note"]
    assert (await bot.svc.actions.get(action.id)).status == "done"   # stored at once
    [redrawn] = [e for e in bot.server.transcript(asha.chat)
                 if e.kind == "edit" and "Status: done" in (e.text or "")]
    # Done settles the card: no buttons left on it, nor a call to tap them.
    assert not redrawn.buttons and "Tap to tell" not in (redrawn.text or "")
    assert "Done: thank you" in (redrawn.text or "")
    told = await coord.reply("set action")
    assert "Asha Patel set action" in told.text and "done" in told.text

    # Her next message is the note; the coordinators are told that too.
    thanks = await asha.say("Signed off at the December Board")
    # The owner reads the action's words, never its internal number.
    assert "Noted on your action" in thanks.text and "#" not in thanks.text
    # The note is in, so the prompt no longer offers "No note".
    assert not bot.server.message(asha.chat, prompt.message_id).buttons
    assert all("#" not in (e.text or "") for e in bot.server.transcript(asha.chat))
    assert "Signed off at the December Board" in (await coord.reply("📝")).text
    # With the note taken, typed text is the partner's again (no round is waiting).
    assert "Noted" not in (await asha.say("hello")).text

    # /actions: the owner sees no open ones; the coordinator sees it settled with its history.
    await asha.user.send_command("/actions")
    assert "no open actions" in (await asha.reply()).text
    await coord.user.send_command("/actions")
    overview = await coord.reply("Agreed actions, by round")
    assert "1 of 1 settled" in overview.text and "✅" in overview.text

    [digest] = await bot.svc.scheduler.digests.preview(bot.svc.clock.now())  # type: ignore[union-attr]
    assert "Actions done this week" in digest.text and wording[:40] in digest.text
    # The round's report closes the loop: its last section lists the action, done.
    report = (await bot.svc.reports.build(rid)).report
    agreed = report.sections[-1]
    assert agreed.title == "Agreed actions"
    assert agreed.blocks[0].rows[0][1:3] == (wording, "Asha Patel")  # type: ignore[union-attr]
    assert agreed.blocks[0].rows[0][4] == "done"  # type: ignore[union-attr]


async def test_a_coordinator_drops_an_action_and_the_owner_is_refused(desk: Desk) -> None:
    bot, coord = desk.bot, desk.coord
    rid = await desk.closed_round(SUGGESTED)
    ben = Phone(bot.server, await bot.join("Ben Okafor", 502))
    action = await bot.svc.actions.add(rid, text="To develop induction training",
                                       owner="Ben Okafor", due=bot.svc.actions.today()
                                       + timedelta(days=30), area="3")
    bot.svc.outbox_changed.set()
    card = await ben.reply("An action agreed for you")
    assert "Meetings and messages" in card.text
    await coord.user.send_command("/actions")
    await coord.reply("Agreed actions, by round")
    detail = await coord.tap("#1 Ben Okafor")
    assert "History:" in detail.text and "agreed (command line)" in detail.text
    dropped = await coord.tap("Dropped")
    assert "Status: dropped" in dropped.text and "dropped (coordinator)" in dropped.text
    # The board dropped it: the owner's Done is refused.
    await ben.user.press(dict(card.buttons[0])["Done"], card.message_id)
    answer = await bot.server.wait_for(ben.chat, lambda e: e.kind == "callback_answer"
                                       and "dropped" in (e.text or ""), 5.0)
    assert "ask your coordinator" in (answer.text or "")
    assert (await bot.svc.actions.get(action.id)).status == "dropped"


async def test_an_owner_who_joins_later_gets_their_card_once(desk: Desk) -> None:
    bot = desk.bot
    rid = await desk.closed_round(SUGGESTED)
    action = await bot.svc.actions.add(rid, text="To agree a data quality policy",
                                       owner="Dev Shah", due=bot.svc.actions.today()
                                       + timedelta(days=60), area="6")
    assert await bot.svc.outbox.messages(kind="action") == []   # not joined: nowhere to send
    dev = Phone(bot.server, await bot.join("Dev Shah", 504))
    card = await dev.reply("An action agreed for you")
    assert "To agree a data quality policy" in card.text and "Common frameworks" in card.text
    assert await bot.svc.follow_ups.owner_joined(await bot.partner("Dev Shah")) == 0
    assert [m.dedupe_key for m in await bot.svc.outbox.messages(kind="action")] == [
        f"action:{action.id}"]
