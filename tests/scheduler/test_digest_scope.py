"""Each coordinator's digest covers their partnerships alone: rounds, themes, partners, actions."""

from __future__ import annotations

from datetime import UTC, datetime

from scheduler import build_scheduler
from storage.actions import ActionRepository
from storage.digests import DigestRepository
from surveys.action_follow_up import FollowUps
from surveys.actions import ActionService
from surveys.coordinators import Coordinators
from surveys.rounds import Audience
from tests.scheduler.conftest import Timeline
from tests.surveys.conftest import LONDON

EVERY_ROUND, FAREHAM, BOARD = 70, 71, 72   # Telegram user ids of the three coordinators


async def test_each_coordinator_digest_holds_only_their_partnerships(
        timeline: Timeline) -> None:
    d = timeline.domain       # Mon 2 Nov 09:00; Fareham: Asha, Ben, Cara; Safety Board: Dev
    coordinators = Coordinators(d.partners, d.clock, config_ids=[EVERY_ROUND],
                                config_scopes={BOARD: ["safety board"]})
    await coordinators.add(FAREHAM, ["Fareham Partnership"])
    fareham, board = Audience(("Fareham Partnership",)), Audience(("Safety Board",))
    fareham_check = await timeline.new_round(days=3, title="Fareham check", audience=fareham)
    board_check = await timeline.new_round(days=3, title="Board check", audience=board)
    await timeline.new_round(title="Fareham review", audience=fareham)
    await timeline.new_round(title="Board review", audience=board)
    await timeline.new_round(title="County survey")       # everyone: a global coordinator's
    await timeline.submit(fareham_check, "Asha Patel")
    for name in ("Ben Okafor", "Dev Shah"):
        partner = next(p for p in d.people if p.name == name)
        await d.partners.set_reachable(partner.id, False, d.clock.now())
    actions = ActionService(ActionRepository(d.db), d.rounds_repo, d.partners, d.clock, LONDON)
    await actions.add(fareham_check, text="Induction training", owner="Cara Jones",
                      due="2026-11-12")
    await actions.add(board_check, text="Identify the board's budgets", owner="Dev Shah",
                      due="2026-11-13")
    themes = {fareham_check: ["Lack of resources"], board_check: ["Board buy in"]}

    async def top_themes(round_id: int) -> list[str]:
        return themes[round_id]

    follow_ups = FollowUps(actions, coordinators.chats_for, timeline.schedule.quiet_hours)
    scheduler = build_scheduler(d.db, d.rounds, timeline.schedule, coordinators.chats,
                                top_themes, follow_ups=follow_ups, scope=coordinators.get)
    d.clock.set(datetime(2026, 11, 9, 9, 0, tzinfo=UTC))
    await scheduler.tick()    # closes both checks (deadline Thu 5 Nov), then the digests
    sent = {m.chat_id: m for m in await timeline.outbox("digest")}
    assert set(sent) == {EVERY_ROUND, FAREHAM, BOARD}
    texts = {chat: m.payload["text"] for chat, m in sent.items()}

    assert "Open rounds\n• Fareham review (round 3): 0 of 3 (0%)\n\n" in texts[FAREHAM]
    assert ("Closed this week\n• Fareham check (round 1): 1 of 3 (33%); top themes: "
            "Lack of resources") in texts[FAREHAM]
    assert "Partners unreachable (1)\n• Ben Okafor (Hampshire Constabulary)" in texts[FAREHAM]
    assert ("Actions due in the coming week\nFareham Partnership:\n• Cara Jones: Induction "
            "training (due Thu 12 Nov 2026, agreed) [#1]") in texts[FAREHAM]
    for other in ("Board", "County survey", "Dev Shah", "Safety Board", "budgets"):
        assert other not in texts[FAREHAM]

    assert "Open rounds\n• Board review (round 4): 0 of 1 (0%)\n\n" in texts[BOARD]
    assert ("Closed this week\n• Board check (round 2): 0 of 1 (0%); top themes: "
            "Board buy in") in texts[BOARD]
    assert "Partners unreachable (1)\n• Dev Shah (Community Action)" in texts[BOARD]
    assert ("Actions due in the coming week\nSafety Board:\n• Dev Shah: Identify the board's "
            "budgets (due Fri 13 Nov 2026, agreed) [#2]") in texts[BOARD]
    for other in ("Fareham", "County survey", "Ben Okafor", "Cara Jones", "Induction",
                  "Lack of resources"):
        assert other not in texts[BOARD]

    for everything in ("Fareham review", "Board review", "County survey", "Fareham check",
                       "Board check", "Lack of resources", "Board buy in", "Ben Okafor",
                       "Dev Shah (Community Action)", "Induction training",
                       "Identify the board's budgets", "Partners unreachable (2)"):
        assert everything in texts[EVERY_ROUND]

    # Buttons and the figures kept for next week's change are theirs alone too.
    # (Each lists an action of theirs, so each has the button to /actions.)
    assert [b["data"] for row in sent[FAREHAM].payload["buttons"] for b in row] == [
        "co:status:3", "co:report:1", "ac:list"]
    assert [b["data"] for row in sent[BOARD].payload["buttons"] for b in row] == [
        "co:status:4", "co:report:2", "ac:list"]
    kept = DigestRepository(d.db)
    assert set((await kept.previous(FAREHAM, "2026-W47") or {})["rounds"]) == {"3"}
    assert set((await kept.previous(BOARD, "2026-W47") or {})["rounds"]) == {"4"}
    assert set((await kept.previous(EVERY_ROUND, "2026-W47") or {})["rounds"]) == {
        "3", "4", "5"}

    # `partnerpulse digest --preview` shows each coordinator the digest they were sent.
    previews = {p.recipient: p.text for p in await scheduler.digests.preview(d.clock.now())}
    assert previews == texts


async def test_a_coordinator_with_nothing_of_theirs_this_week_gets_no_digest(
        timeline: Timeline) -> None:
    d = timeline.domain
    coordinators = Coordinators(d.partners, d.clock, config_ids=[EVERY_ROUND],
                                config_scopes={FAREHAM: ["Fareham Partnership"],
                                               BOARD: ["Safety Board"]})
    scheduler = build_scheduler(d.db, d.rounds, timeline.schedule, coordinators.chats,
                                scope=coordinators.get)
    await timeline.new_round(title="Fareham review",
                             audience=Audience(("Fareham Partnership",)))
    assert (await scheduler.tick()).digests == 2
    assert {m.chat_id for m in await timeline.outbox("digest")} == {EVERY_ROUND, FAREHAM}
    assert await DigestRepository(d.db).recipients("2026-W45") == {EVERY_ROUND, FAREHAM}
