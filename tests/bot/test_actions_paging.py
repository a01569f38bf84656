"""End to end through the local Bot API server: /actions pages through an area's suggested
actions with More and Back in one message, and an action agreed from a later page records
the answers it came from as one agreed from the first page does."""

from __future__ import annotations

from storage.records import PartnerRow
from surveys.action_screens import BACK, MORE, PAGE_GONE, suggestions
from surveys.templates import builtin_template
from tests.bot.desk import TEMPLATE, Desk

# Fifteen distinct proposals for the first area (the first three partners make one proposal
# in their own words): the first screen shows eight, "More" the other seven.
SUGGESTED = [
    "Refresh the community strategy every three years with partners",
    "Refresh the community strategy every three years",
    "Refresh the strategy every three years so it stays current",
    "Publish a quarterly e-newsletter for all partners",
    "Hold an annual public meeting where residents can question the board",
    "Rotate the chair between partner organisations every two years",
    "Give the youth council a seat on the board",
    "Map every partner budget that touches the strategy's priorities",
    "Agree a data sharing protocol with the police and the NHS",
    "Run a joint induction day for new board members",
    "Set up a small grants fund for community groups",
    "Keep board papers to four pages at most",
    "Keep a shared risk register for the partnership's programmes",
    "Invite local businesses to join the delivery groups",
    "Review the terms of reference of every theme group",
    "Produce an annual report of what the partnership achieved",
    "Train frontline staff across agencies on safeguarding together",
]
# Names that are no everyday word: a private round's report redacts a partner's name
# wherever an answer uses it ("Partner 3" would turn "partner budget" into "[name] budget").
EXTRA = [PartnerRow(name, f"{name.split()[1]} Trust", "Voluntary", "Fareham Partnership",
                    "Member") for name in (
    "Aled Quist", "Bronwen Ixworth", "Cyrus Oduya", "Delyth Marr", "Emrys Vance",
    "Fenella Gault", "Gethin Olwe", "Hesper Nkemi", "Ifor Breck", "Juno Tallis",
    "Kester Mbeki", "Lowri Fane", "Mabon Ruttle")]


async def many_suggestions(desk: Desk) -> int:
    """A closed self-assessment in which seventeen partners suggested actions for area 1."""
    svc = desk.bot.svc
    await svc.partners.import_rows(EXTRA, svc.clock.now())
    people = sorted(await svc.partners.all(), key=lambda p: p.id)
    return await desk.closed_round(dict(zip((p.name for p in people), SUGGESTED,
                                            strict=True)))


async def test_more_and_back_page_in_place_and_any_page_agrees_with_its_answers(
        desk: Desk) -> None:
    bot, coord = desk.bot, desk.coord
    rid = await many_suggestions(desk)
    first = await desk.open_suggestions(rid)
    first_text = first.text   # (`first` is the message as it reads now, paged or not)
    report = (await bot.svc.reports.build(rid)).report
    [area] = suggestions(report, builtin_template(TEMPLATE))
    assert len(area.offered) == 15
    assert "h) " in first.text and "i) " not in first.text
    assert "…and 7 more: tap “More: The LSP's long-term goals (7)”" in first.text
    sent = bot.server.sent_count(coord.chat)

    # More: the same message now shows i) to o), each a button, and Back.
    await coord.tap_in_place("More: The LSP's long-term goals (7)")
    page = bot.server.message(coord.chat, first.message_id)
    assert "The LSP's long-term goals, page 2 of 2: suggestions i) to o) of 15" in page.text
    lines = [line for line in page.text.splitlines() if line[:2] in {"i)", "o)"}]
    assert lines == [f"i) {area.offered[8].wording}",
                     f"o) {area.offered[14].wording}"]
    labels = [text for row in page.buttons for text, _ in row]
    assert labels[-1] == BACK and MORE not in labels and len(labels) == 8
    # Back: the first screen again, in the same message; then More once more.
    await coord.tap_in_place(BACK)
    assert bot.server.message(coord.chat, first.message_id).text == first_text
    await coord.tap_in_place("More: The LSP's long-term goals (7)")
    assert bot.server.sent_count(coord.chat) == sent   # paging sent no message

    # A made-up page: the list it was forged on becomes the suggestions as they stand, in
    # place; a malformed button: a clear answer. The page shown is left as it was.
    listing = next(m for m in coord.user.messages() if "No actions" in (m.text or ""))
    for forged in (f"ac:more:{rid}:1:2", f"ac:more:{rid}:1:1:5"):
        stored = bot.server.message(coord.chat, listing.message_id)
        stored.reply_markup = {"inline_keyboard": [[{"text": "Forged",
                                                     "callback_data": forged}]]}
        if forged.endswith(":5"):
            await coord.user.press(forged, listing.message_id)
            await coord.reply("That button is not valid")
            continue
        await coord.tap_in_place("Forged")
        redrawn = bot.server.message(coord.chat, listing.message_id)
        assert redrawn.text == f"{PAGE_GONE}\n\n{first_text}"
    assert "page 2 of 2" in bot.server.message(coord.chat, first.message_id).text

    # k), from the second page: owner, due date, agreed, with the answer it came from.
    taps_before = coord.taps
    k = area.offered[10]
    [label] = [text for row in page.buttons for text, data in row
               if data.startswith(f"ac:pick:{rid}:1:10:")]
    assert label.startswith("k) ")
    owners = await coord.tap(label)
    assert f"“{k.wording}”" in owners.text and "Who owns it?" in owners.text
    await coord.tap("Ben Okafor (Hampshire Constabulary)")
    agreed = await coord.tap("6 months")
    assert "Agreed, and sent to its owner" in agreed.text
    assert f"Agreed from the suggestion “{k.wording}”, in 1 answer." in agreed.text
    [action] = await bot.svc.actions.find(round_id=rid)
    assert action.text == k.wording and action.source_theme == k.wording
    assert action.question_id == "long-term-goals-actions"
    assert action.sources == k.sources and len(k.sources) == 1
    # The source is the answer of the partner who wrote it.
    said = {r.id: (await bot.svc.responses.answers(r.id))["long-term-goals-actions"].value
            for r in await bot.svc.responses.of_round(rid)}
    assert said[action.sources[0]] == k.wording   # offered in the words it was written
    # From the first screen: Agree, More, Back, More, the forged page, then the suggestion,
    # owner and due date; five messages (the first screen, the malformed button's answer and
    # three steps), paging editing the one in place.
    assert coord.taps - taps_before == 3 and coord.taps == 8
    assert bot.server.sent_count(coord.chat) == sent + 1 + 3
