"""End to end through the local Bot API server: a suggestion button names what it showed.

A closed round's suggestions are drawn again once an answer they came from is erased, and
the letters move up. A button on an older message must pick the suggestion it showed, or,
when that one is gone, say so, agree nothing, and show the suggestions as they stand now in
that message's place (pick, owner and due-date buttons alike, as More and Back do).
"""

from __future__ import annotations

from bot.apiserver.records import BotMessage
from surveys.action_desk import CHANGED
from surveys.action_screens import suggestions
from surveys.templates import builtin_template
from tests.bot.conftest import RunningBot
from tests.bot.desk import TEMPLATE, Desk
from tests.bot.phone import Phone

# One proposal each; the list is in the order of their wording: a) Give, b) Publish, c) Rotate.
SUGGESTED = {
    "Asha Patel": "Give the youth council a seat on the board",
    "Ben Okafor": "Publish a quarterly e-newsletter for all partners",
    "Cara Jones": "Rotate the chair between partner organisations every two years",
}
REWORDED = "Offer the youth council a standing seat at the board table"


async def tap_on(bot: RunningBot, phone: Phone, message: BotMessage, mark: str) -> BotMessage:
    """Tap the button of `message` (an older one) whose label starts with `mark`; the
    bot's answer is a new message."""
    [data] = [d for row in message.buttons for text, d in row if text.startswith(mark)]
    since = len(phone.user.transcript())
    phone.taps += 1
    await phone.user.press(data, message.message_id)
    await bot.server.wait_for(phone.chat, lambda e: e.kind == "message", since=since)
    return await phone.settled()


async def redrawn_by(bot: RunningBot, phone: Phone, message: BotMessage, mark: str
                     ) -> BotMessage:
    """Tap the button of `message` whose label starts with `mark`, when the bot answers by
    redrawing that message: the message as it now reads."""
    [data] = [d for row in message.buttons for text, d in row if text.startswith(mark)]
    phone.taps += 1
    await phone.user.press(data, message.message_id)
    await bot.server.wait_for(phone.chat, lambda e: e.kind == "edit"
                              and e.message_id == message.message_id)
    await phone.settled()
    return bot.server.message(phone.chat, message.message_id)


async def test_an_old_list_picks_what_it_showed_or_says_it_is_gone(
        desk: Desk) -> None:
    bot, coord = desk.bot, desk.coord
    rid = await desk.closed_round(SUGGESTED)
    report = (await bot.svc.reports.build(rid)).report
    [area] = suggestions(report, builtin_template(TEMPLATE))
    give, publish, rotate = (t.wording for t in area.offered)
    assert give.startswith("Give") and publish.startswith("Publish")
    older = await desk.open_suggestions(rid)   # a list drawn earlier, still on screen
    listed = await desk.open_suggestions(rid)
    assert [line[:3] for line in listed.text.splitlines() if line[1:3] == ") "] == [
        "a) ", "b) ", "c) "]

    # The coordinator picks a) and words it as the board agreed it ...
    owners = await desk.pick(listed, "a) ")
    assert f"“{give}”" in owners.text
    reworded = await coord.say(REWORDED)
    # ... and, meanwhile, the partner who suggested it is erased: a) is now Publish.
    await bot.svc.erasure.forget(await bot.partner("Asha Patel"))

    # The owner button of the reworded a) agrees nothing: it says so, gives the typed
    # wording back, and turns its own message into the suggestions as they now are (as More
    # and Back do), sending nothing new and leaving no dead owner buttons on screen.
    sent = bot.server.sent_count(coord.chat)
    fresh = await redrawn_by(bot, coord, reworded, "Ben Okafor (Hampshire Constabulary)")
    assert bot.server.sent_count(coord.chat) == sent
    assert fresh.text.startswith(CHANGED)
    assert f"The wording you typed for it: “{REWORDED}”." in fresh.text
    assert f"a) {publish}" in fresh.text and f"b) {rotate}" in fresh.text
    assert give not in fresh.text and "c) " not in fresh.text
    assert [t[:3] for row in fresh.buttons for t, _ in row if t[1:3] == ") "] == ["a) ", "b) "]
    assert await bot.svc.actions.find(round_id=rid) == []

    # The old list's a) is gone too: the same answer, never the new a), in the list's place.
    again = await redrawn_by(bot, coord, listed, "a) ")
    assert again.text.startswith(CHANGED) and "you typed" not in again.text
    assert f"a) {publish}" in again.text and give not in again.text
    assert bot.server.sent_count(coord.chat) == sent

    # The earlier list's b) is still Publish, now a): it picks Publish, not Rotate.
    picked = await tap_on(bot, coord, older, "b) ")
    assert f"Action to agree:\n“{publish}”" in picked.text
    await coord.tap("Ben Okafor (Hampshire Constabulary)")
    agreed = await coord.tap("3 months")
    assert f"Agreed from the suggestion “{publish}”, in 1 answer." in agreed.text
    [action] = await bot.svc.actions.find(round_id=rid)
    assert action.text == publish and action.source_theme == publish
    ben = await bot.svc.responses.of_partner(rid, (await bot.partner("Ben Okafor")).id)
    assert ben is not None and action.sources == (ben.id,)


async def test_a_due_date_button_whose_suggestion_has_gone_redraws_in_its_place(
        desk: Desk) -> None:
    """The due-date screen of a suggestion whose writer is erased before the date is
    tapped: the tap agrees nothing and the due-date message becomes the suggestions as they
    stand now; nothing new is sent."""
    bot, coord = desk.bot, desk.coord
    rid = await desk.closed_round(SUGGESTED)
    await desk.pick(await desk.open_suggestions(rid), "a) ")
    due = await coord.tap("Ben Okafor (Hampshire Constabulary)")
    assert any(t == "3 months" for row in due.buttons for t, _ in row)
    await bot.svc.erasure.forget(await bot.partner("Asha Patel"))
    sent = bot.server.sent_count(coord.chat)
    fresh = await redrawn_by(bot, coord, due, "3 months")
    assert fresh.text.startswith(CHANGED) and "3 months" not in str(fresh.buttons)
    assert "a) Publish" in fresh.text
    assert bot.server.sent_count(coord.chat) == sent
    assert await bot.svc.actions.find(round_id=rid) == []


async def test_a_more_button_whose_page_has_gone_redraws_the_suggestions_in_its_place(
        desk: Desk) -> None:
    """Fifteen suggestions: the first screen shows eight and "More" the rest. Seven of their
    writers are erased; the old More, tapped, turns its message into the suggestions as they
    stand now (all eight on one screen), saying so, and sends nothing new."""
    from surveys.action_screens import PAGE_GONE
    from tests.bot.test_actions_paging import many_suggestions

    bot, coord = desk.bot, desk.coord
    rid = await many_suggestions(desk)
    first = await desk.open_suggestions(rid)
    more = "More: The LSP's long-term goals (7)"
    assert f"…and 7 more: tap “{more}”" in first.text
    writers = sorted(await bot.svc.partners.all(), key=lambda p: p.id)[-7:]
    for writer in writers:   # each wrote one suggestion no one else made
        await bot.svc.erasure.forget(writer)
    [area] = suggestions((await bot.svc.reports.build(rid)).report, builtin_template(TEMPLATE))
    assert len(area.offered) == 8

    sent = bot.server.sent_count(coord.chat)
    await coord.tap_in_place(more)
    redrawn = bot.server.message(coord.chat, first.message_id)
    assert redrawn.text.startswith(f"{PAGE_GONE}\n\nSuggested actions from round {rid}")
    assert "h) " in redrawn.text and "more" not in redrawn.text.split(PAGE_GONE)[1]
    labels = [text for row in redrawn.buttons for text, _ in row]
    assert [label[:3] for label in labels] == [f"{c}) " for c in "abcdefgh"]
    assert bot.server.sent_count(coord.chat) == sent   # the one message, redrawn
