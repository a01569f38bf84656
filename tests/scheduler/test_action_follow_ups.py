"""Agreed actions followed up on an injected clock: cards, reminders under quiet hours, digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scheduler import Schedule, build_scheduler
from storage.actions import ActionRepository
from storage.records import OutboxMessage, Partner, Round
from surveys.action_follow_up import FollowUps
from surveys.actions import ActionService
from surveys.templates import builtin_template
from tests.scheduler.conftest import COORDINATOR, coordinators
from tests.surveys.conftest import LONDON, Domain


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class Cycle:
    """A closed self-assessment, its actions, and a scheduler that follows them up."""

    def __init__(self, domain: Domain, schedule: Schedule) -> None:
        self.domain = domain
        self.schedule = schedule
        self.actions = ActionService(ActionRepository(domain.db), domain.rounds_repo,
                                     domain.partners, domain.clock, LONDON)
        self.follow_ups = FollowUps(self.actions, self.chats_for, schedule.quiet_hours)
        self.scheduler = build_scheduler(domain.db, domain.rounds, schedule, coordinators,
                                         follow_ups=self.follow_ups)

    @staticmethod
    async def chats_for(rnd: Round) -> list[int]:
        """Every round is the one coordinator's here (scoping is tested with the desk)."""
        return await coordinators()

    def person(self, name: str) -> Partner:
        return next(p for p in self.domain.people if p.name == name)

    async def messages(self, kind: str) -> list[OutboxMessage]:
        return [m for m in await self.domain.outbox.messages(kind=kind)
                if m.state != "cancelled"]


@pytest.fixture
async def cycle(domain: Domain) -> Cycle:
    # Quiet 20:00-08:00 and at weekends, as a partnership might set it.
    schedule = Schedule(LONDON, quiet=((20, 0), (8, 0)), quiet_weekends=True,
                        digest=(0, 9, 0))
    rid = await domain.rounds.create(builtin_template("working-better-together"),
                                     deadline=domain.rounds.deadline_from("2026-11-06"))
    await domain.rounds.close(rid)
    return Cycle(domain, schedule)


async def test_the_owner_gets_the_card_then_reminders_in_waking_hours(cycle: Cycle) -> None:
    d = cycle.domain
    d.clock.set(utc(2026, 11, 6, 21, 30))   # Friday evening: quiet until Monday 08:00
    action = await cycle.actions.add(1, text="To develop a programme of induction training",
                                     owner="Ben Okafor", due="2026-11-20", area="3")
    [card] = await cycle.messages("action")
    assert card.chat_id == cycle.person("Ben Okafor").chat_id
    assert card.not_before == utc(2026, 11, 9, 8, 0)
    assert "To develop a programme of induction training" in card.payload["text"]
    assert "Meetings and messages" in card.payload["text"]
    assert "Due: Fri 20 Nov 2026" in card.payload["text"]
    assert [b["label"] for b in card.payload["buttons"][0]] == ["In progress", "Done", "Stuck"]
    assert card.payload["buttons"][0][1]["data"] == f"ac:done:{action.id}"

    # Before: due 20 Nov, so 17 Nov 09:00 local. Ticks before it queue nothing.
    d.clock.set(utc(2026, 11, 17, 8, 59))
    assert (await cycle.scheduler.tick()).action_reminders == 0
    plan = await cycle.scheduler.plan()
    assert plan.next_due == utc(2026, 11, 17, 9, 0)
    d.clock.set(utc(2026, 11, 17, 9, 0))
    assert (await cycle.scheduler.tick()).action_reminders == 1
    assert (await cycle.scheduler.tick()).action_reminders == 0   # once, however many ticks
    [before] = await cycle.messages("action_reminder")
    assert "due on Fri 20 Nov 2026" in before.payload["text"]

    # Overdue from Sat 21 Nov 09:00, but Saturday is quiet: it goes Monday 08:00.
    d.clock.set(utc(2026, 11, 21, 10, 0))
    await cycle.scheduler.tick()
    late = (await cycle.messages("action_reminder"))[-1]
    assert "Overdue since Fri 20 Nov 2026" in late.payload["text"]
    assert late.not_before == utc(2026, 11, 23, 8, 0)

    # The cap (the round's max_reminders, 3) stops them; a settled action gets none.
    d.clock.set(utc(2026, 12, 30, 10, 0))
    await cycle.scheduler.tick()
    assert len(await cycle.messages("action_reminder")) == 3
    await cycle.actions.update(action.id, status="done")
    assert await cycle.follow_ups.next_due() is None


async def test_after_downtime_only_the_latest_reminder_goes(cycle: Cycle) -> None:
    cycle.domain.clock.set(utc(2026, 11, 9, 10, 0))
    await cycle.actions.add(1, text="To agree a data quality policy", owner="Cara Jones",
                            due="2026-11-20")
    cycle.domain.clock.set(utc(2026, 11, 24, 10, 0))  # both "before" and "overdue" have passed
    assert (await cycle.scheduler.tick()).action_reminders == 1
    [only] = await cycle.messages("action_reminder")
    assert "Overdue" in only.payload["text"]
    assert only.dedupe_key.endswith(":overdue:1")


async def test_owner_updates_reach_the_coordinators_and_the_digest(cycle: Cycle) -> None:
    d = cycle.domain
    d.clock.set(utc(2026, 11, 9, 10, 0))
    asha, ben = cycle.person("Asha Patel"), cycle.person("Ben Okafor")
    refresh = await cycle.actions.add(1, text="To refresh the SCS every three years",
                                      owner="Asha Patel", due="2027-03-31", area="1")
    induction = await cycle.actions.add(1, text="Induction training", owner="Ben Okafor",
                                        due="2026-11-12", area="3")
    budgets = await cycle.actions.add(1, text="To identify budgets", owner="Dev Shah",
                                      due="2026-11-10", area="7")
    reply = await cycle.follow_ups.owner_tap(asha, f"ac:done:{refresh.id}")
    assert reply.action.status == "done" and "Status: done" in reply.card
    assert "Type it now, or tap No note" in reply.text
    [told] = await cycle.messages("action_update")
    assert told.chat_id == COORDINATOR
    assert "Fareham Borough Council" not in told.payload["text"]  # the partner owns it
    assert "Asha Patel set action 1 to done" in told.payload["text"]
    noted = await cycle.follow_ups.owner_note(asha, "Signed off by the Board")
    assert noted is not None and noted.notes[-1].note == "Signed off by the Board"
    assert len(await cycle.messages("action_update")) == 2
    # The note request was used up: the next message is an answer, not a note.
    assert await cycle.follow_ups.owner_note(asha, "Green") is None
    with pytest.raises(Exception, match="not yours"):
        await cycle.follow_ups.owner_tap(ben, f"ac:done:{refresh.id}")
    await cycle.follow_ups.owner_tap(ben, f"ac:stuck:{induction.id}")
    d.clock.advance(timedelta(minutes=31))   # too late for a note: it goes on to answering
    assert await cycle.follow_ups.owner_note(ben, "No budget") is None
    assert budgets.status == "agreed"

    d.clock.set(utc(2026, 11, 16, 9, 0))   # Monday: the digest
    await cycle.scheduler.tick()
    [digest] = await cycle.messages("digest")
    text = digest.payload["text"]
    assert ("Actions done this week\nFareham Partnership:\n• Asha Patel: To refresh the SCS "
            "every three years (due Wed 31 Mar 2027) [#1]") in text
    assert ("Actions overdue\nFareham Partnership:\n• Ben Okafor: Induction training "
            "(4 days overdue, stuck) [#2]\nSafety Board:\n• Dev Shah: To identify budgets "
            "(6 days overdue, agreed) [#3]") in text
