"""End to end through the local Bot API server: a suggestion picked in /actions waits for
its wording in the database, so the bot restarting between the pick and the typed words
loses neither; the words become the action's, as they would have without the restart."""

from __future__ import annotations

from tests.bot.desk import Desk
from tests.bot.test_actions_stale import REWORDED, SUGGESTED


async def test_words_typed_after_a_restart_still_word_the_picked_suggestion(
        desk: Desk) -> None:
    bot, coord = desk.bot, desk.coord
    rid = await desk.closed_round(SUGGESTED)
    owners = await desk.pick(await desk.open_suggestions(rid), "a) ")
    offered = SUGGESTED["Asha Patel"]
    assert f"Action to agree:\n“{offered}”" in owners.text

    await bot.restart()   # nothing of the desk's is left in memory
    reworded = await coord.say(REWORDED)
    assert reworded.text.startswith(f"Reworded:\n“{REWORDED}”") and "Who owns it?" in reworded.text
    due = await coord.tap("Ben Okafor (Hampshire Constabulary)")
    assert f"“{REWORDED}”" in due.text
    agreed = await coord.tap("3 months")
    assert "Agreed, and sent to its owner" in agreed.text
    [action] = await bot.svc.actions.find(round_id=rid)
    assert action.text == REWORDED and action.source_theme == offered
    # Agreed: the next words are nobody's wording, and the coordinator is told so.
    told = await coord.say("Thanks")
    assert told.text.startswith("I received “Thanks”, but was not waiting for a message")
