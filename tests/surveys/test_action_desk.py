"""The coordinator's /actions desk respects coordinators' partnerships (surveys.coordinators)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.actions import ActionRepository
from storage.themes import RoundThemesRepository
from surveys.action_desk import ActionDesk, add_months
from surveys.action_follow_up import FollowUps
from surveys.actions import ActionService
from surveys.coordinators import Coordinators
from surveys.errors import NotAllowed
from surveys.quiet import QuietHours
from surveys.reporting import ReportService
from surveys.rounds import Audience
from surveys.templates import builtin_template
from tests.surveys.conftest import LONDON, Domain

GLOBAL, SAFETY_ONLY = 77, 88


async def test_a_scoped_coordinator_sees_and_changes_only_their_partnerships_actions(
        domain: Domain) -> None:
    coordinators = Coordinators(domain.partners, domain.clock, [GLOBAL])
    await coordinators.add(SAFETY_ONLY, ["Safety Board"])
    actions = ActionService(ActionRepository(domain.db), domain.rounds_repo, domain.partners,
                            domain.clock, LONDON)
    follow_ups = FollowUps(actions, coordinators.chats_for, QuietHours(LONDON, None))
    reports = ReportService(domain.rounds_repo, domain.responses, domain.partners,
                            RoundThemesRepository(domain.db))
    desk = ActionDesk(actions, follow_ups, reports, coordinators)
    wbt = builtin_template("working-better-together")
    deadline = domain.rounds.deadline_from("2026-11-20")
    fareham = await domain.rounds.create(
        wbt, deadline=deadline, audience=Audience(partnership=("Fareham Partnership",)))
    safety = await domain.rounds.create(
        wbt, deadline=deadline, audience=Audience(partnership=("Safety Board",)))
    theirs = await actions.add(safety, text="Publicise achievements", owner="Dev Shah",
                               due="2027-01-31")
    other = await actions.add(fareham, text="Refresh the SCS", owner="Asha Patel",
                              due="2027-03-31")

    everything = await desk.overview(GLOBAL)
    assert "Refresh the SCS" in everything.text and "Publicise achievements" in everything.text
    mine = await desk.overview(SAFETY_ONLY)
    assert "Publicise achievements" in mine.text and "Refresh the SCS" not in mine.text
    assert all(f"ac:show:{other.id}" != b["data"] for row in mine.buttons for b in row)
    with pytest.raises(NotAllowed):
        await desk.tap(f"ac:set:{other.id}:x", SAFETY_ONLY)
    assert (await actions.get(other.id)).status == "agreed"
    changed = await desk.tap(f"ac:set:{theirs.id}:d", SAFETY_ONLY)
    assert "Status: done" in changed.text

    # An owner's update goes to the coordinators of the action's round only.
    asha = next(p for p in domain.people if p.name == "Asha Patel")
    await follow_ups.owner_tap(asha, f"ac:prog:{other.id}")
    told = await domain.outbox.messages(kind="action_update")
    assert [m.chat_id for m in told] == [GLOBAL]


def test_due_dates_a_number_of_months_on() -> None:
    from datetime import date

    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)


async def test_an_erased_partners_suggestion_is_no_longer_offered(domain: Domain) -> None:
    """The desk keeps a closed round's suggestions between taps; a partner erased since
    takes theirs with them, and nothing is agreed from an answer that is gone."""
    from storage.vectors import VectorRepository
    from surveys.erasure import Erasure
    from tests.surveys.test_report_fixtures import PEOPLE, make_round

    said = ["Publish a quarterly e-newsletter for all partners",
            "Rotate the chair between partner organisations every two years",
            "Give the youth council a seat on the board"]
    rid = await make_round(domain.db, domain.clock, "working-better-together", "named",
                           [{"long-term-goals-actions": t} for t in said])
    await domain.rounds_repo.close(rid, [], domain.clock.now())
    coordinators = Coordinators(domain.partners, domain.clock, [GLOBAL])
    actions = ActionService(ActionRepository(domain.db), domain.rounds_repo, domain.partners,
                            domain.clock, LONDON)
    reports = ReportService(domain.rounds_repo, domain.responses, domain.partners,
                            RoundThemesRepository(domain.db))
    desk = ActionDesk(actions, FollowUps(actions, coordinators.chats_for,
                                         QuietHours(LONDON, None)), reports, coordinators)
    before = await desk.tap(f"ac:sugg:{rid}", GLOBAL)
    assert all(t in before.text for t in said)
    [writer] = [p for p in await domain.partners.all() if p.name == PEOPLE[1].name]
    await Erasure(domain.responses, VectorRepository(domain.db),
                  RoundThemesRepository(domain.db)).forget(writer)
    after = await desk.tap(f"ac:sugg:{rid}", GLOBAL)
    assert said[1] not in after.text and said[0] in after.text and said[2] in after.text
    action = await desk.add_from_suggestion(rid, "1:b", text=None, owner="Asha Patel",
                                            due="2099-01-31")
    assert action.source_theme != said[1] and len(action.sources) == 1
    stored = {r.id for r in await domain.responses.of_round(rid)}
    assert set(action.sources) <= stored


async def test_a_suggestion_too_long_for_an_action_needs_its_text_from_the_command_line(
        domain: Domain) -> None:
    """`actions add --from-suggestion` of a suggestion longer than an action may be: a clear
    answer naming --text, nothing stored; with --text, agreed from it with its answer."""
    from surveys.actions import MAX_TEXT
    from surveys.errors import InvalidAnswer
    from tests.surveys.test_report_fixtures import make_round

    long = ("Set up a standing partnership group on young people's mental health that "
            "brings together " + ", ".join(f"partner number {n}" for n in range(60)))
    rid = await make_round(domain.db, domain.clock, "working-better-together", "named",
                           [{"long-term-goals-actions": long}])
    await domain.rounds_repo.close(rid, [], domain.clock.now())
    coordinators = Coordinators(domain.partners, domain.clock, [GLOBAL])
    actions = ActionService(ActionRepository(domain.db), domain.rounds_repo, domain.partners,
                            domain.clock, LONDON)
    desk = ActionDesk(actions, FollowUps(actions, coordinators.chats_for,
                                         QuietHours(LONDON, None)),
                      ReportService(domain.rounds_repo, domain.responses, domain.partners,
                                    RoundThemesRepository(domain.db)), coordinators)
    with pytest.raises(InvalidAnswer, match=rf"Suggestion '1:a' has \d+ characters, and an "
                       rf"action's text holds at most {MAX_TEXT}: give the words the board "
                       "agreed with --text."):
        await desk.add_from_suggestion(rid, "1:a", text=None, owner="Asha Patel",
                                       due="2099-01-31")
    assert await actions.find(round_id=rid) == []
    action = await desk.add_from_suggestion(rid, "1:a", text="Set up a youth mental health "
                                            "group", owner="Asha Patel", due="2099-01-31")
    assert len(action.source_theme or "") > MAX_TEXT and len(action.sources) == 1


async def test_a_pick_waits_for_its_words_in_the_database_in_its_chat_until_it_expires(
        domain: Domain, tmp_path: Path) -> None:
    """A pick is kept with its chat and expiry: a desk started afresh on the same database
    file (a restart) takes the words typed in that chat; words typed elsewhere, or after it
    expired, are not its wording, and the stale one is named with what was received."""
    from datetime import timedelta

    from storage.action_picks import ActionPickRepository
    from storage.db import Database
    from surveys.action_desk import REWORD_WINDOW
    from tests.surveys.test_report_fixtures import make_round

    said = "Give the youth council a seat on the board"
    rid = await make_round(domain.db, domain.clock, "working-better-together", "named",
                           [{"long-term-goals-actions": said}])
    await domain.rounds_repo.close(rid, [], domain.clock.now())

    def desk_on(db: Database) -> ActionDesk:
        coordinators = Coordinators(domain.partners, domain.clock, [GLOBAL])
        actions = ActionService(ActionRepository(db), domain.rounds_repo, domain.partners,
                                domain.clock, LONDON)
        return ActionDesk(actions, FollowUps(actions, coordinators.chats_for,
                                             QuietHours(LONDON, None)),
                          ReportService(domain.rounds_repo, domain.responses, domain.partners,
                                        RoundThemesRepository(db)), coordinators,
                          ActionPickRepository(db))

    listed = await desk_on(domain.db).tap(f"ac:sugg:{rid}", GLOBAL)
    [[pick]] = listed.buttons
    await desk_on(domain.db).tap(pick["data"], GLOBAL, chat_id=GLOBAL)
    picked = domain.clock.now()
    domain.clock.advance(timedelta(minutes=20))

    async with Database(tmp_path / "test.db") as again:   # another connection: a restart
        desk = desk_on(again)
        assert await desk.reword(GLOBAL, "Offer the youth council a seat", chat_id=5) is None
        words = "Offer the youth council a standing seat"
        reworded = await desk.reword(GLOBAL, words, chat_id=GLOBAL)
        assert reworded is not None and reworded.text.startswith(f"Reworded:\n“{words}”")
        stored = await ActionPickRepository(again).get(GLOBAL)
        assert stored is not None and stored.wording == words and stored.offered == said
        # Typed words give it another half hour from when they were typed.
        assert stored.picked_at == picked
        assert stored.expires_at == domain.clock.now() + REWORD_WINDOW

        domain.clock.advance(REWORD_WINDOW + timedelta(seconds=1))
        assert await desk.reword(GLOBAL, "Too late", chat_id=GLOBAL) is None
        assert await desk.stray_text(GLOBAL, "“Too late”") == (
            f"I received “Too late”, but did not take it as the wording of “{said}”: you "
            "picked that more than 30 minutes ago. Tap it again in /actions (Agree actions), "
            "then send your words again.")
        await desk.drop_pick(GLOBAL)   # a command: the pick is gone
        assert (await desk.stray_text(GLOBAL, "a sticker")).startswith(
            "I received a sticker, but was not waiting for a message from you, so it was "
            "not kept.")
