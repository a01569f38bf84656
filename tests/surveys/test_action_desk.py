"""The coordinator's /actions desk respects coordinators' partnerships (surveys.coordinators)."""

from __future__ import annotations

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
