"""End to end through the local Bot API server: two suggestions that start alike are told
apart. The message lists each in full with its letter; each button carries the letter and
the first words, two to a row; agreeing one is the same four taps as before."""

from __future__ import annotations

from surveys.action_screens import HEAD, suggestions
from surveys.templates import builtin_template
from tests.bot.desk import TEMPLATE, Desk

# Two proposals whose first 66 characters are the same; the old buttons, cut at 60, read
# "a) Ask each partner to set out in its own business plan how…" both.
SAME_START = "Ask each partner to set out in its own business plan how it will "
SUGGESTED = {
    "Asha Patel": SAME_START + "cut the carbon emissions of its buildings and vehicles by "
                               "half before 2030",
    "Ben Okafor": SAME_START + "take on apprentices from the Brookside estate and the town "
                               "centre wards",
}


async def test_two_suggestions_that_start_alike_are_listed_whole_and_tapped_by_letter(
        desk: Desk) -> None:
    bot, svc, coord = desk.bot, desk.bot.svc, desk.coord
    rid = await desk.closed_round(SUGGESTED)
    report = (await svc.reports.build(rid)).report
    [area] = suggestions(report, builtin_template(TEMPLATE))
    offered = [t.wording for t in area.offered]
    # Two proposals, over a hundred characters each, alike for their first sixty-six.
    assert len(offered) == 2 and all(len(w) > 100 and w.startswith(SAME_START)
                                     for w in offered)

    listed = await desk.open_suggestions(rid)
    # The message: each suggestion whole, after its letter.
    assert f"\na) {offered[0]}\n" in listed.text + "\n"
    assert f"\nb) {offered[1]}\n" in listed.text + "\n"
    # The buttons: the letters and a few words, side by side.
    [row] = listed.buttons
    labels = [text for text, _ in row]
    assert [label[:3] for label in labels] == ["a) ", "b) "]
    assert all(len(label) <= len("a) ") + HEAD + 1 for label in labels)
    assert labels[1].startswith("b) Ask each partner")

    owners = await coord.tap(labels[1])
    assert f"Action to agree:\n“{offered[1]}”" in owners.text
    await coord.tap("Ben Okafor (Hampshire Constabulary)")
    agreed = await coord.tap("12 months")
    assert "Agreed, and sent to its owner" in agreed.text
    [action] = await svc.actions.find(round_id=rid)
    assert action.text == offered[1] and action.source_theme == offered[1]
    # Agree, b), owner, due date: four taps; five messages (the list of actions, the
    # suggestions, the owners, the due dates, the agreed action).
    assert coord.taps == 4
    assert bot.server.sent_count(coord.chat) == 1 + 5   # after the round's closing notice
