"""End to end through the local Bot API server: a suggestion longer than an action may be
(a partner's long answer, one sentence) is agreed by typing it shorter first. The owner
screen asks for the words before it offers an owner; nothing fails at the last tap."""

from __future__ import annotations

from surveys.action_screens import suggestions
from surveys.actions import MAX_TEXT
from surveys.templates import builtin_template
from tests.bot.desk import TEMPLATE, Desk

LONG = ("Set up a standing partnership group on young people's mental health that brings "
        "together the schools, the college, the youth service, the NHS trust, the police "
        "and the voluntary sector groups that already work with teenagers in Fareham, "
        "Portchester and Titchfield, meets every six weeks with a named lead from each "
        "partner who can commit their organisation's resources, reports to the board "
        "every quarter on waiting times, referrals and what young people themselves say, "
        "and runs a yearly event where young people question the board directly on what "
        "has changed for them since the last one")
SHORT = "Set up a partnership group on young people's mental health"


async def test_a_suggestion_too_long_for_an_action_is_typed_shorter_before_its_owner(
        desk: Desk) -> None:
    svc, coord = desk.bot.svc, desk.coord
    rid = await desk.closed_round({"Asha Patel": LONG})
    [area] = suggestions((await svc.reports.build(rid)).report,
                         builtin_template(TEMPLATE))
    [offered] = [t.wording for t in area.offered]
    assert len(offered) > MAX_TEXT

    asked = await desk.pick(await desk.open_suggestions(rid), "a) ")
    assert (f"It has {len(offered)} characters, and an agreed action holds at most "
            f"{MAX_TEXT}. Type it as the board agreed it, shorter; then pick its owner."
            ) in asked.text
    assert asked.buttons == []   # no owner to tap into a failure

    # Typed too long again: the same clear answer, the pick still waiting.
    again = await coord.say(offered)
    assert again.text == (f"An action's text is at most {MAX_TEXT} characters (this one has "
                          f"{len(offered)}). Type a shorter one.")
    reworded = await coord.say(SHORT)
    assert reworded.text.startswith(f"Reworded:\n“{SHORT}”") and "Who owns it?" in reworded.text
    await coord.tap("Asha Patel (Fareham Borough Council)")
    agreed = await coord.tap("6 months")
    assert "Agreed, and sent to its owner" in agreed.text
    [action] = await svc.actions.find(round_id=rid)
    assert action.text == SHORT and action.source_theme == offered
    response = await svc.responses.of_partner(rid, (await desk.bot.partner("Asha Patel")).id)
    assert response is not None and action.sources == (response.id,)
    # Agree, a), owner, due date: four taps, and the two typed wordings.
    assert coord.taps == 4
