"""End to end through the local Bot API server: the weekly digest's buttons, compact on a
phone. A round's button is its number, as its line in the digest names it, three to a row;
"Agreed actions" opens the /actions screen, where an action is changed in two more taps."""

from __future__ import annotations

from datetime import timedelta

from storage.records import NewMessage
from surveys.templates import builtin_template
from tests.bot.conftest import COORDINATOR_ID
from tests.bot.desk import Desk
from tests.bot.test_actions_chat import SUGGESTED


async def test_the_digest_opens_a_rounds_status_and_the_actions_in_one_tap(
        desk: Desk) -> None:
    bot, svc, coord = desk.bot, desk.bot.svc, desk.coord
    closed = await desk.closed_round(SUGGESTED)
    action = await svc.actions.add(closed, text="Refresh the community strategy",
                                   owner="Ben Okafor",
                                   due=svc.actions.today() + timedelta(days=5))
    opened = [await svc.rounds.create(builtin_template(template), title=title,
                                      deadline=svc.clock.now() + timedelta(days=7))
              for template, title in (("swot", "Worcester CSP: SWOT of the partnership"),
                                      ("rag-feedback", "Cheshire East: experience of the LSP"),
                                      ("partnership-functions", "Partnership functions 2026"),
                                      ("framework-review", "Partnership framework review"))]
    assert svc.scheduler is not None
    [digest] = await svc.scheduler.digests.preview(svc.clock.now())
    now = svc.clock.now()
    await svc.actions.actions.queue([NewMessage(COORDINATOR_ID, "digest", {
        "text": digest.text, "buttons": digest.buttons}, now, dedupe_key="digest:test")], now)
    svc.outbox_changed.set()
    sent = await coord.reply("Weekly digest")
    # Four open rounds, one closed this week, an action due: three rows, not six
    # full-width "Status: <title>" and "Report: <title>" rows.
    assert [[label for label, _ in row] for row in sent.buttons] == [
        [f"Round {opened[0]}", f"Round {opened[1]}", f"Round {opened[2]}"],
        [f"Round {opened[3]}"], [f"Report {closed}"], ["Agreed actions"]]
    assert f"(round {opened[1]}): 0 of" in (sent.text or "")   # the number the button shows

    status = await coord.tap(f"Round {opened[1]}")
    assert "Cheshire East: experience of the LSP" in status.text and "Remind" in coord.labels()
    taps, messages = coord.taps, bot.server.sent_count(coord.chat)
    listing = await coord.tap("Agreed actions")
    assert listing.text.startswith("Agreed actions, by round:")
    await coord.tap(f"#{action.id} Ben Okafor")
    changed = await coord.tap("In progress")
    assert "Status: in progress" in changed.text
    assert (await svc.actions.get(action.id)).status == "in_progress"
    # From the digest: Agreed actions, the action, its new status; three messages, no
    # command typed (before: /actions typed, then the same two taps).
    assert coord.taps - taps == 3 and bot.server.sent_count(coord.chat) - messages == 3
    assert bot.server.message(coord.chat, sent.message_id).text == sent.text   # kept as sent
